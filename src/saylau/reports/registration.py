"""Registration refusals in words: one line per refusal naming the file, row, field, candidate, rule and figure.

The core (`saylau.registration`) returns typed refusals; this module is the only place they become
sentences, e.g. "lists.csv:14 [date_of_birth]: Aru Seitova is 19 on 2023-03-19; a mäslihat candidate must
be at least 20". The refusals are English for now (the kk/ru catalogues do not carry their 29 sentences
yet); the notes on what could not be checked and the command's summary follow `--lang`.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

from saylau.domain import Ballot, Election, Nominee
from saylau.errors import Problem
from saylau.registration import Refusal, RegistrationCheck, Rule
from saylau.reports.i18n import Words, words
from saylau.reports.numbers import percent
from saylau.rules.registration import QuotaGroup

_GROUPS = {
    QuotaGroup.WOMEN: "women",
    QuotaGroup.YOUNG: "young people",
    QuotaGroup.DISABILITY: "people with disabilities",
}


def refusal_lines(check: RegistrationCheck, election: Election) -> list[str]:
    """Every refusal as one located line, in the order the checks found them."""
    return [str(refusal_problem(r, election)) for r in check.refusals]


def refusal_problem(refusal: Refusal, election: Election) -> Problem:
    """The refusal as a located `Problem` (file, row, field, message), as the CLI and the API report it."""
    path, field = _WHERE[refusal.rule]
    nominee = refusal.nominee
    if nominee is not None and refusal.rule not in (Rule.DESIGNATED_WITHDRAWN,):
        path = _file(nominee)
    row = nominee.row if nominee is not None and path != "designations.csv" else None
    if refusal.rule in (Rule.PERIOD_OPENS, Rule.PERIOD_CLOSES) and nominee is None:
        path, field = "parties.csv", "registration_date"
    return Problem(_SENTENCES[refusal.rule](refusal, election), path, row, field, code=f"registration-{refusal.rule}")


def refusals_json(check: RegistrationCheck, election: Election) -> dict[str, Any]:
    """The check as JSON: each refusal with its rule code, place, candidate, figures and sentence."""
    refusals = []
    for refusal in check.refusals:
        problem = refusal_problem(refusal, election)
        refusals.append(
            {
                "rule": refusal.rule.value,
                "file": problem.path,
                "row": problem.row,
                "field": problem.field,
                "party": refusal.party,
                "candidate": refusal.nominee.name if refusal.nominee else None,
                "figure": _plain(refusal.figure),
                "limit": _plain(refusal.limit),
                "message": problem.message,
            }
        )
    return {
        "passed": check.passed,
        "refusals": refusals,
        "unchecked": {rule.value: count for rule, count in check.unchecked.items()},
    }


def _plain(figure: object) -> object:
    """A figure JSON can carry: dates as ISO text, fractions as "p/q"."""
    return figure if figure is None or isinstance(figure, int | str) else str(figure)


_UNCHECKED = {
    Rule.MIN_AGE: (
        "{n} registration without a date of birth: minimum age not checked",
        "{n} registrations without a date of birth: minimum age not checked",
    ),
    Rule.QUOTA: (
        "{n} list without sex, date of birth or disability recorded: quota not checked",
        "{n} lists without sex, date of birth or disability recorded: quota not checked",
    ),
    Rule.PERIOD_CLOSES: (
        "{n} registration without a registration date: period not checked",
        "{n} registrations without a registration date: period not checked",
    ),
}


def unchecked_lines(check: RegistrationCheck, w: Words | None = None) -> list[str]:
    """What could not be checked because the folder does not record the particulars (in `w`'s language)."""
    w = w or words("en")
    return [
        w.n(*_UNCHECKED[rule], count) if rule in _UNCHECKED else f"{count} {rule}"
        for rule, count in check.unchecked.items()
    ]


def _file(nominee: Nominee) -> str:
    return "lists.csv" if nominee.ballot is Ballot.LIST else "candidates.csv"


def _at(nominee: Nominee | None) -> str:
    """Where the other registration of a duplicate candidacy is: 'lists.csv:5'."""
    if nominee is None:
        return ""
    return f" ({_file(nominee)}:{nominee.row})" if nominee.row else f" ({_file(nominee)})"


def _candidate_kind(election: Election) -> str:
    preset = election.system.preset or ""
    if "majilis" in preset:
        return "a Mäjilis candidate"
    if "maslihat" in preset:
        return "a mäslihat candidate"
    return "a candidate"


def _groups(election: Election) -> str:
    quota = election.system.registration.quota
    names = [_GROUPS[g] for g in (quota.groups if quota else ())]
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else "".join(names)


def _share(refusal: Refusal, election: Election, whom: str) -> str:
    quota = election.system.registration.quota
    counted = refusal.figure if isinstance(refusal.figure, int) else 0
    size = refusal.limit if isinstance(refusal.limit, int) and refusal.limit else 1
    need = quota.share_percent if quota else Fraction(0)
    shown = f"{need.numerator}%" if need.denominator == 1 else percent(need)
    return (
        f"{counted} of {size} {whom} ({percent(Fraction(counted * 100, size))}) are {_groups(election)}; "
        f"at least {shown} must be"
    )


def _name(refusal: Refusal) -> str:
    return refusal.nominee.name if refusal.nominee else "?"


def _age(r: Refusal, e: Election) -> str:
    return f"{_name(r)} is {r.figure} on {e.date}; {_candidate_kind(e)} must be at least {r.limit}"


def _period(r: Refusal, e: Election) -> str:
    who = _name(r) if r.nominee else f"the list of {r.party}"
    if r.rule is Rule.PERIOD_OPENS:
        return f"{who} was registered on {r.figure}, before registration opened on {r.limit}"
    return f"{who} was registered on {r.figure}, after registration closed on {r.limit}"


def _block(r: Refusal, e: Election) -> str:
    quota = e.system.registration.quota
    start = r.first.position if r.first and r.first.position else 1
    end = start + (quota.block if quota and quota.block else 1) - 1
    return _share(r, e, f"candidates at positions {start}-{end} of the list of {r.party}")


_SENTENCES: dict[Rule, Callable[[Refusal, Election], str]] = {
    Rule.MIN_AGE: _age,
    Rule.ONE_LIST: lambda r, e: (
        f"{_name(r)} is already on the list of {r.limit}{_at(r.first)}; a candidate may stand on one list only"
    ),
    Rule.ONE_DISTRICT: lambda r, e: (
        f"{_name(r)} already stands in district {r.limit}{_at(r.first)}; a candidate may stand in one district only"
    ),
    Rule.DUAL_CANDIDACY: lambda r, e: (
        f"{_name(r)} stands in district {r.figure} and is on the list of {r.limit}{_at(r.first)}; "
        "a candidate may not stand on a list and in a district at once"
    ),
    Rule.POSITIONS: lambda r, e: (
        f"the list of {r.party} has no position {r.figure}; positions must run 1..{r.limit} without a gap"
    ),
    Rule.LIST_MIN: lambda r, e: f"the list of {r.party} has {r.figure} candidates; a list must have at least {r.limit}",
    Rule.LIST_MAX: lambda r, e: f"the list of {r.party} has {r.figure} candidates; a list may have at most {r.limit}",
    Rule.PERIOD_OPENS: _period,
    Rule.PERIOD_CLOSES: _period,
    Rule.QUOTA: lambda r, e: _share(r, e, f"candidates on the list of {r.party}"),
    Rule.QUOTA_BLOCK: _block,
    Rule.DESIGNATED_WITHDRAWN: lambda r, e: (
        f"{_name(r)}, designated by {r.party}, withdrew on {r.figure}; a withdrawn candidate takes no seat"
    ),
    Rule.DESIGNATION_QUOTA: lambda r, e: _share(r, e, f"candidates designated by {r.party}"),
}

_WHERE: dict[Rule, tuple[str, str]] = {
    Rule.MIN_AGE: ("lists.csv", "date_of_birth"),
    Rule.ONE_LIST: ("lists.csv", "candidate"),
    Rule.ONE_DISTRICT: ("candidates.csv", "candidate"),
    Rule.DUAL_CANDIDACY: ("candidates.csv", "candidate"),
    Rule.POSITIONS: ("lists.csv", "position"),
    Rule.LIST_MIN: ("lists.csv", "party"),
    Rule.LIST_MAX: ("lists.csv", "party"),
    Rule.PERIOD_OPENS: ("lists.csv", "registered"),
    Rule.PERIOD_CLOSES: ("lists.csv", "registered"),
    Rule.QUOTA: ("lists.csv", "party"),
    Rule.QUOTA_BLOCK: ("lists.csv", "position"),
    Rule.DESIGNATED_WITHDRAWN: ("designations.csv", "candidate"),
    Rule.DESIGNATION_QUOTA: ("designations.csv", "party"),
}
