"""A vacancy in words, in the reader's language: who leaves, who takes the seat and why, who was passed over."""

from __future__ import annotations

from saylau.composition.deputies import Deputy, SeatKind
from saylau.errors import Problem, worded
from saylau.registration.vacancy import Filling, PassedOver, Refused, Term, Vacancy, VacancyOutcome, VacancyRefusal
from saylau.reports.i18n import N_, Words, words
from saylau.reports.phrases import deputy_label

_PASSED = {
    PassedOver.SITTING: N_("already a deputy"),
    PassedOver.WITHDRAWN: N_("withdrawn"),
    PassedOver.LEFT: N_("left the council earlier"),
}


def _seat(deputy: Deputy, w: Words) -> str:
    if deputy.kind is SeatKind.DISTRICT:
        return w("district {number}", number=deputy.district)
    return w("{party} list No. {position}", party=deputy.party, position=deputy.list_position or "?")


def outcome_lines(outcome: VacancyOutcome, w: Words | None = None) -> list[str]:
    """The decision as a commission would minute it, one fact per line (English when no `w` is given)."""
    w = w or words("en")
    leaving = outcome.deputy
    lines = [
        w(
            "{name} ({seat}) leaves the council on {day}.",
            name=deputy_label(leaving, w),
            seat=_seat(leaving, w),
            day=outcome.day,
        )
    ]
    successor = outcome.successor
    if outcome.filling is Filling.BY_ELECTION:
        lines.append(
            w(
                "The seat of district {number} is filled by a by-election; it is open until then.",
                number=leaving.district,
            )
        )
    elif outcome.filling is Filling.LIST_EXHAUSTED:
        lines.append(
            w("No eligible candidate is left on the list of {party}: the seat stays open.", party=leaving.party)
        )
    elif successor is not None and outcome.filling is Filling.DESIGNATED:
        lines.append(
            w(
                "The seat goes to {name}, No. {position} on the list of {party}, whom the party designated.",
                name=successor.name,
                position=successor.list_position,
                party=successor.party,
            )
        )
    elif successor is not None:
        lines.append(
            w(
                "The seat goes to {name}, No. {position} on the list of {party}: "
                "the next eligible candidate of the list.",
                name=successor.name,
                position=successor.list_position,
                party=successor.party,
            )
        )
    lines += [
        w("Passed over: {name} (No. {position}), {why}.", name=name, position=position, why=w(_PASSED[why]))
        for name, position, why in outcome.passed_over
    ]
    return lines


_REFUSED = {
    Refused.NOT_SITTING: ("deputy", N_("{name} is not a sitting deputy")),
    Refused.BEFORE_ELECTION: ("date", N_("the date is before election day ({day})")),
    Refused.BEFORE_LAST: ("date", N_("the date is before the last recorded vacancy ({day})")),
    Refused.NOT_ON_LIST: ("successor", N_("{name} is not on the party's list")),
    Refused.NOT_ELIGIBLE: ("successor", N_("{name} is sitting, withdrawn or left the council earlier")),
}
"""Why a vacancy cannot be recorded: the field to point at and the msgid (said in the reader's language)."""


def refusal_problem(refusal: VacancyRefusal) -> Problem:
    """Why the vacancy cannot be recorded, as a located problem for the CLI (`reports.problems` says it)."""
    field, template = _REFUSED[refusal.reason]
    return worded(template, field=field, name=repr(refusal.name), day=refusal.day)


def term_lines(now: Term, history: tuple[Vacancy, ...], w: Words | None = None) -> list[str]:
    """The council as it stands after the recorded vacancies: sitting deputies, then open seats."""
    w = w or words("en")
    lines = [
        w.n("{n} vacancy recorded", "{n} vacancies recorded", len(history))
        + "; "
        + w.n("{n} deputy sitting", "{n} deputies sitting", len(now.sitting))
        + ", "
        + w.n("{n} seat open", "{n} seats open", len(now.open_seats))
        + "."
    ]
    lines += [
        f"  {deputy_label(d, w)} ({_seat(d, w)}, {d.party or w('self-nominated')})"
        if d.kind is SeatKind.DISTRICT
        else f"  {deputy_label(d, w)} ({_seat(d, w)})"
        for d in now.sitting
    ]
    lines += [
        "  " + w("open: {seat}, left by {name}", seat=_seat(d, w), name=deputy_label(d, w)) for d in now.open_seats
    ]
    return lines
