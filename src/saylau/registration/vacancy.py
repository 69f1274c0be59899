"""Seats that fall vacant during the term, and who takes them.

A list seat goes to the next eligible candidate of that party's list (spec "Vacancies", M), or to the
candidate the party designates anew where its seats are taken by designation; a district seat is filled by
a by-election (H). Eligible: on the list as registered, not withdrawn, not sitting, and not a deputy who
already left. The record of vacancies (`vacancies.csv`) is replayed over the declared council so its
composition stays true over the term.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from saylau.composition.deputies import Deputy, SeatKind
from saylau.domain import Election


class Filling(StrEnum):
    """How a vacant seat is filled."""

    NEXT_ON_LIST = "next-on-list"
    DESIGNATED = "designated"
    BY_ELECTION = "by-election"
    """A district seat: the seat is open until a by-election; its winner is recorded as the successor."""
    LIST_EXHAUSTED = "list-exhausted"
    """No eligible candidate is left on the party's list: the seat stays open."""


class PassedOver(StrEnum):
    """Why a list candidate ahead of the successor does not take the seat."""

    SITTING = "sitting"
    WITHDRAWN = "withdrawn"
    LEFT = "left"


class Refused(StrEnum):
    """Why a vacancy cannot be recorded as asked."""

    NOT_SITTING = "not-sitting"
    BEFORE_ELECTION = "before-election"
    BEFORE_LAST = "before-last"
    NOT_ON_LIST = "not-on-list"
    NOT_ELIGIBLE = "not-eligible"


@dataclass(frozen=True, slots=True)
class Vacancy:
    """One recorded vacancy: who left, when, and who took the seat (None: open, e.g. a by-election to come)."""

    deputy: str
    day: date
    filling: Filling
    successor: str | None = None
    successor_party: str | None = None
    """The party of a by-election winner (None: self-nominated); list successors take the list's party."""


@dataclass(frozen=True, slots=True)
class Term:
    """The council as it stands after the recorded vacancies: who sits, who left, which seats are open."""

    sitting: tuple[Deputy, ...]
    left: frozenset[str]
    open_seats: tuple[Deputy, ...]
    """The deputies whose seats are open (by-election pending, or list exhausted)."""


@dataclass(frozen=True, slots=True)
class VacancyOutcome:
    """Who takes the seat of `deputy` and why; `passed_over` lists the list candidates ahead and why not."""

    deputy: Deputy
    day: date
    filling: Filling
    successor: Deputy | None
    passed_over: tuple[tuple[str, int, PassedOver], ...] = ()

    @property
    def record(self) -> Vacancy:
        """The row the folder records."""
        successor = self.successor
        return Vacancy(
            self.deputy.name or "",
            self.day,
            self.filling,
            successor.name if successor else None,
            successor.party if successor else None,
        )


@dataclass(frozen=True, slots=True)
class VacancyRefusal:
    """A vacancy that cannot be recorded as asked, and the name or date at fault."""

    reason: Refused
    name: str
    day: date | None = None


def term(election: Election, deputies: Iterable[Deputy], history: Iterable[Vacancy]) -> Term:
    """Replay the recorded vacancies, in the order recorded, over the declared deputies."""
    sitting = list(deputies)
    left: set[str] = set()
    open_seats: list[Deputy] = []
    for vacancy in history:
        index = next((i for i, d in enumerate(sitting) if d.name == vacancy.deputy), None)
        if index is None:
            continue  # io/vacancies.py refuses a record that names no sitting deputy
        gone = sitting.pop(index)
        left.add(vacancy.deputy)
        if vacancy.successor is None:
            open_seats.append(gone)
            continue
        if gone.kind is SeatKind.LIST:
            position = dict((name, p) for p, name in _listed(election, gone.party or "")).get(vacancy.successor)
            sitting.insert(index, _seat(gone, vacancy.successor, position))
        else:
            sitting.insert(index, replace(gone, name=vacancy.successor, party=vacancy.successor_party))
    return Term(tuple(sitting), frozenset(left), tuple(open_seats))


def fill_vacancy(
    election: Election,
    now: Term,
    deputy: str,
    day: date,
    last_day: date | None = None,
    designated: str | None = None,
) -> VacancyOutcome | VacancyRefusal:
    """Who takes the seat `deputy` leaves on `day`: the party's designation, the next eligible, or a by-election."""
    leaving = next((d for d in now.sitting if d.name == deputy), None)
    if leaving is None:
        return VacancyRefusal(Refused.NOT_SITTING, deputy)
    if election.date is not None and day < election.date:
        return VacancyRefusal(Refused.BEFORE_ELECTION, deputy, election.date)
    if last_day is not None and day < last_day:
        return VacancyRefusal(Refused.BEFORE_LAST, deputy, last_day)
    if leaving.kind is SeatKind.DISTRICT or leaving.party is None:
        return VacancyOutcome(leaving, day, Filling.BY_ELECTION, None)
    return _list_successor(election, now, leaving, day, designated)


def _list_successor(
    election: Election, now: Term, leaving: Deputy, day: date, designated: str | None
) -> VacancyOutcome | VacancyRefusal:
    party = leaving.party or ""
    listed = _listed(election, party)
    names = [name for _, name in listed]
    withdrawn = election.registration.withdrawn_from_list(party)
    sitting = {d.name for d in now.sitting}
    left = now.left | {leaving.name or ""}

    def why_not(name: str) -> PassedOver | None:
        if name in sitting:
            return PassedOver.SITTING
        if name in withdrawn:
            return PassedOver.WITHDRAWN
        return PassedOver.LEFT if name in left else None

    if designated is not None:
        if designated not in names:
            return VacancyRefusal(Refused.NOT_ON_LIST, designated)
        if why_not(designated) is not None:
            return VacancyRefusal(Refused.NOT_ELIGIBLE, designated)
        position = listed[names.index(designated)][0]
        return VacancyOutcome(leaving, day, Filling.DESIGNATED, _seat(leaving, designated, position))
    passed: list[tuple[str, int, PassedOver]] = []
    for position, name in listed:
        if name == leaving.name:
            continue
        reason = why_not(name)
        if reason is None:
            return VacancyOutcome(leaving, day, Filling.NEXT_ON_LIST, _seat(leaving, name, position), tuple(passed))
        passed.append((name, position, reason))
    return VacancyOutcome(leaving, day, Filling.LIST_EXHAUSTED, None, tuple(passed))


def _listed(election: Election, party: str) -> list[tuple[int, str]]:
    """(position, name) of the party's list as registered; the plain list where no positions are recorded."""
    entries = election.registration.on_list(party)
    if entries:
        return [(n.position or 0, n.name) for n in entries]
    return list(enumerate(election.lists[party].candidates if party in election.lists else (), 1))


def _seat(leaving: Deputy, name: str, position: int | None) -> Deputy:
    return replace(leaving, name=name, list_position=position, designated=False)
