"""Named deputies: who takes each seat a party or a district candidate won.

List seats go to the party's candidates in list order, or first to those the party designated (Kazakhstan:
a party designates, within 10 days, which candidates of its registered list take its seats), list order
filling the rest. A list candidate already elected in a district, or withdrawn, is passed over.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from saylau.composition.districts import DistrictOutcome
from saylau.domain import Election, PartyList
from saylau.errors import Phrase

UNRECORDED = "{party} list seat (candidate not recorded)"
"""A list seat whose candidate the folder does not record: the msgid the adapters say in kk, ru or en."""


class SeatKind(StrEnum):
    """The tier a deputy was elected in."""

    LIST = "list"
    DISTRICT = "district"


@dataclass(frozen=True, slots=True)
class Deputy:
    """One elected deputy; `name` is None where the folder does not record the list's candidates."""

    name: str | None
    party: str | None
    kind: SeatKind
    district: int | None = None
    list_position: int | None = None
    designated: bool = False
    constituency: str = ""
    """The list constituency whose list elected the deputy ("" for an election with one)."""
    preference_votes: int | None = None
    """Open lists: the preference votes the deputy received (None where none are counted)."""

    @property
    def label(self) -> str:
        """The name, or the seat described when the list was not recorded: a `Phrase` (it reads as its English
        sentence; `saylau.reports.phrases.deputy_label` says it in the reader's language, the party named)."""
        if self.name:
            return self.name
        return unrecorded(self.party or "")


def unrecorded(party: str) -> Phrase:
    """A list seat of `party` whose candidate the folder does not record, as a catalogue msgid with its party."""
    return Phrase(UNRECORDED, party=party)


def district_deputies(outcomes: Iterable[DistrictOutcome]) -> list[Deputy]:
    """The deputies elected in districts, in district order."""
    return [
        Deputy(w.name, w.party, SeatKind.DISTRICT, district=o.number)
        for o in sorted(outcomes, key=lambda o: o.number)
        for w in o.elected
    ]


def list_deputies(election: Election, list_seats: Mapping[str, int], elected_in_districts: set[str]) -> list[Deputy]:
    """The deputies elected from party lists, party by party in registration order."""
    use_designation = bool(election.system.list_tier and election.system.list_tier.seat_holders == "designation")
    deputies: list[Deputy] = []
    for party in election.parties_in_registration_order:
        seats = list_seats.get(party.short_name, 0)
        party_list = election.lists.get(party.short_name)
        designated = election.designations.get(party.short_name, ()) if use_designation else ()
        passed_over = elected_in_districts | election.registration.withdrawn_from_list(party.short_name)
        deputies += _take_seats(party.short_name, seats, party_list, designated, passed_over)
    return deputies


def constituency_deputies(
    election: Election,
    seats: Iterable[tuple[str, Mapping[str, int]]],
    elected_in_districts: set[str],
    order: Mapping[tuple[str, str], tuple[str, ...]] | None = None,
) -> list[Deputy]:
    """List deputies constituency by constituency (`seats`: each constituency's list seats per party), party by
    party in registration order. A party's own list there is used, else its national list, whose names are
    taken in turn across constituencies (a name is elected once). `order`: the order of election where open
    lists have reordered a list (constituency, party) -> names; list order otherwise."""
    use_designation = bool(election.system.list_tier and election.system.list_tier.seat_holders == "designation")
    taken: set[str] = set(elected_in_districts)
    deputies: list[Deputy] = []
    for constituency, won in seats:
        for party in election.parties_in_registration_order:
            count = won.get(party.short_name, 0)
            if not count:
                continue
            if party.individual:
                deputies.append(Deputy(party.full_name, party.short_name, SeatKind.LIST, constituency=constituency))
                continue
            registered = election.list_of(party.short_name, constituency)
            party_list = registered
            designated = election.designations.get(party.short_name, ()) if use_designation else ()
            skip = taken | election.registration.withdrawn_from_list(party.short_name)
            chosen = (order or {}).get((constituency, party.short_name))
            if chosen is not None and registered is not None:
                party_list = PartyList(registered.party, chosen)
                designated = ()
            made = _take_seats(party.short_name, count, party_list, designated, skip)
            if chosen is not None and registered is not None:
                position = {n: i + 1 for i, n in enumerate(registered.candidates)}
                made = [replace(d, list_position=position.get(d.name or "")) for d in made]
            deputies += [replace(d, constituency=constituency) for d in made]
            taken |= {d.name for d in made if d.name}
    return deputies


def _take_seats(
    party: str, seats: int, party_list: PartyList | None, designated: tuple[str, ...], skip: set[str]
) -> list[Deputy]:
    """Fill `seats` from the designated candidates first, then the list in order."""
    if party_list is None:
        return [Deputy(None, party, SeatKind.LIST) for _ in range(seats)]
    position = {name: i + 1 for i, name in enumerate(party_list.candidates)}
    order = [n for n in designated if n not in skip] + [
        n for n in party_list.candidates if n not in designated and n not in skip
    ]
    return [
        Deputy(name, party, SeatKind.LIST, list_position=position[name], designated=name in designated)
        for name in order[:seats]
    ]
