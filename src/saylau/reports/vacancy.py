"""A vacancy in words: who leaves, who takes the seat and why, and who was passed over."""

from __future__ import annotations

from saylau.composition.deputies import Deputy, SeatKind
from saylau.errors import Problem
from saylau.registration.vacancy import Filling, PassedOver, Refused, Term, Vacancy, VacancyOutcome, VacancyRefusal

_PASSED = {
    PassedOver.SITTING: "already a deputy",
    PassedOver.WITHDRAWN: "withdrawn",
    PassedOver.LEFT: "left the council earlier",
}


def _seat(deputy: Deputy) -> str:
    if deputy.kind is SeatKind.DISTRICT:
        return f"district {deputy.district}"
    return f"{deputy.party} list No. {deputy.list_position or '?'}"


def outcome_lines(outcome: VacancyOutcome) -> list[str]:
    """The decision as a commission would minute it, one fact per line."""
    leaving = outcome.deputy
    lines = [f"{leaving.label} ({_seat(leaving)}) leaves the council on {outcome.day}."]
    successor = outcome.successor
    if outcome.filling is Filling.BY_ELECTION:
        lines.append(f"The seat of district {leaving.district} is filled by a by-election; it is open until then.")
    elif outcome.filling is Filling.LIST_EXHAUSTED:
        lines.append(f"No eligible candidate is left on the list of {leaving.party}: the seat stays open.")
    elif successor is not None and outcome.filling is Filling.DESIGNATED:
        lines.append(
            f"The seat goes to {successor.name}, No. {successor.list_position} on the list of {successor.party}, "
            "whom the party designated."
        )
    elif successor is not None:
        lines.append(
            f"The seat goes to {successor.name}, No. {successor.list_position} on the list of {successor.party}: "
            "the next eligible candidate of the list."
        )
    lines += [f"Passed over: {name} (No. {position}), {_PASSED[why]}." for name, position, why in outcome.passed_over]
    return lines


def refusal_problem(refusal: VacancyRefusal) -> Problem:
    """Why the vacancy cannot be recorded, as a located problem for the CLI."""
    messages = {
        Refused.NOT_SITTING: ("deputy", f"{refusal.name!r} is not a sitting deputy"),
        Refused.BEFORE_ELECTION: ("date", f"the date is before election day ({refusal.day})"),
        Refused.BEFORE_LAST: ("date", f"the date is before the last recorded vacancy ({refusal.day})"),
        Refused.NOT_ON_LIST: ("successor", f"{refusal.name!r} is not on the party's list"),
        Refused.NOT_ELIGIBLE: ("successor", f"{refusal.name!r} is sitting, withdrawn or left the council earlier"),
    }
    field, message = messages[refusal.reason]
    return Problem(message, field=field)


def term_lines(now: Term, history: tuple[Vacancy, ...]) -> list[str]:
    """The council as it stands after the recorded vacancies: sitting deputies, then open seats."""
    lines = [
        f"{len(history)} vacancies recorded; {len(now.sitting)} deputies sitting, {len(now.open_seats)} seats open."
    ]
    lines += [
        f"  {d.label} ({_seat(d)}, {d.party or 'self-nominated'})"
        if d.kind is SeatKind.DISTRICT
        else f"  {d.label} ({_seat(d)})"
        for d in now.sitting
    ]
    lines += [f"  open: {_seat(d)}, left by {d.label}" for d in now.open_seats]
    return lines
