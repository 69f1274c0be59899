"""Registration refusals in words: one line per refusal naming the file, row, field, candidate, rule and figure.

The core (`saylau.registration`) returns typed refusals; this module is the only place they become
sentences, e.g. "lists.csv:14 [date_of_birth]: Aru Seitova is 19 on 2023-03-19; a mäslihat candidate must
be at least 20"; "lists.csv:14 [date_of_birth]: Aru Seitova на 19 марта 2023 г. — 19 лет; возраст кандидата в
депутаты маслихата должен быть не менее 20". Every sentence, the notes on what could not be checked and the
command's summary are catalogue msgids said in the reader's language (kk, ru, en), counted nouns with their
plural forms; the figures come from the core's typed refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from fractions import Fraction
from typing import Any

from saylau.domain import Ballot, Election, Nominee
from saylau.errors import Problem
from saylau.registration import Refusal, RegistrationCheck, Rule
from saylau.reports.i18n import N_, Words, words
from saylau.rules.registration import QuotaGroup


def refusal_lines(check: RegistrationCheck, election: Election, w: Words | None = None) -> list[str]:
    """Every refusal as one located line, in the order the checks found them, in `w`'s language."""
    return [str(refusal_problem(r, election, w)) for r in check.refusals]


def refusal_problem(refusal: Refusal, election: Election, w: Words | None = None) -> Problem:
    """The refusal as a located `Problem` (file, row, field, message), as the CLI and the API report it.

    The message is `w`'s language (English by default); the code (`registration-<rule>`) and the place are
    the same in every language."""
    path, field = _WHERE[refusal.rule]
    nominee = refusal.nominee
    if nominee is not None and refusal.rule not in (Rule.DESIGNATED_WITHDRAWN,):
        path = _file(nominee)
    row = nominee.row if nominee is not None and path != "designations.csv" else None
    if refusal.rule in (Rule.PERIOD_OPENS, Rule.PERIOD_CLOSES) and nominee is None:
        path, field = "parties.csv", "registration_date"
    message = SENTENCES[refusal.rule](refusal, election, w or words("en"))
    return Problem(message, path, row, field, code=f"registration-{refusal.rule}")


def refusals_json(check: RegistrationCheck, election: Election, w: Words | None = None) -> dict[str, Any]:
    """The check as JSON: each refusal with its rule code, place, candidate, figures and sentence (in `w`'s
    language)."""
    refusals = []
    for refusal in check.refusals:
        problem = refusal_problem(refusal, election, w)
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


def _candidate_kind(election: Election, w: Words) -> str:
    """Whose minimum age it is, in the case the age sentence needs (Russian and Kazakh: the genitive)."""
    preset = election.system.preset or ""
    if "majilis" in preset:
        return w("age|a Mäjilis candidate")
    if "maslihat" in preset:
        return w("age|a mäslihat candidate")
    return w("age|a candidate")


_GROUPS = {
    QuotaGroup.WOMEN: N_("quota|women"),
    QuotaGroup.YOUNG: N_("quota|young people"),
    QuotaGroup.DISABILITY: N_("quota|people with disabilities"),
}


def _groups(election: Election, w: Words) -> str:
    """The quota's groups, "women, young people or people with disabilities", in `w`'s language."""
    quota = election.system.registration.quota
    names = [w(_GROUPS[g]) for g in (quota.groups if quota else ())]
    if len(names) > 1:
        return w("{names} or {last}", names=", ".join(names[:-1]), last=names[-1])
    return "".join(names)


def _date(figure: object, w: Words) -> str:
    """A registration date: ISO in English (as the folder writes it), the locale's long form in kk and ru."""
    if isinstance(figure, date):
        return figure.isoformat() if w.lang == "en" else w.fmt.date(figure)
    return str(figure)


def _name(refusal: Refusal) -> str:
    return refusal.nominee.name if refusal.nominee else "?"


def _share(r: Refusal, e: Election, w: Words) -> str:
    """A quota refusal: how many of the candidates checked count towards the quota, and the share required."""
    quota = e.system.registration.quota
    counted = r.figure if isinstance(r.figure, int) else 0
    size = r.limit if isinstance(r.limit, int) and r.limit else 1
    need = quota.share_percent if quota else Fraction(0)
    figures = {
        "counted": w.fmt.integer(counted),
        "party": r.party,
        "percent": w.fmt.percent(Fraction(counted * 100, size)),
        "groups": _groups(e, w),
        "need": w.fmt.percent(need, 0) if need.denominator == 1 else w.fmt.percent(need),
    }
    if r.rule is Rule.QUOTA_BLOCK:
        start = r.first.position if r.first and r.first.position else 1
        end = start + (quota.block if quota and quota.block else 1) - 1
        return w.n(
            "{counted} of {n} candidate at positions {start}-{end} of the list of {party} ({percent}) are {groups}; "
            "at least {need} must be",
            "{counted} of {n} candidates at positions {start}-{end} of the list of {party} ({percent}) are {groups}; "
            "at least {need} must be",
            size,
            start=start,
            end=end,
            **figures,
        )
    if r.rule is Rule.DESIGNATION_QUOTA:
        return w.n(
            "{counted} of {n} candidate designated by {party} ({percent}) are {groups}; at least {need} must be",
            "{counted} of {n} candidates designated by {party} ({percent}) are {groups}; at least {need} must be",
            size,
            **figures,
        )
    return w.n(
        "{counted} of {n} candidate on the list of {party} ({percent}) are {groups}; at least {need} must be",
        "{counted} of {n} candidates on the list of {party} ({percent}) are {groups}; at least {need} must be",
        size,
        **figures,
    )


def _age(r: Refusal, e: Election, w: Words) -> str:
    age = r.figure if isinstance(r.figure, int) else 0
    return w.n(
        "{name} is {n} on {date}; {kind} must be at least {limit}",
        "{name} is {n} on {date}; {kind} must be at least {limit}",
        age,
        name=_name(r),
        date=_date(e.date, w),
        kind=_candidate_kind(e, w),
        limit=r.limit,
    )


def _period(r: Refusal, e: Election, w: Words) -> str:
    figures = {"name": _name(r), "party": r.party, "date": _date(r.figure, w), "limit": _date(r.limit, w)}
    if r.rule is Rule.PERIOD_OPENS:
        if r.nominee:
            return w("{name} was registered on {date}, before registration opened on {limit}", **figures)
        return w("the list of {party} was registered on {date}, before registration opened on {limit}", **figures)
    if r.nominee:
        return w("{name} was registered on {date}, after registration closed on {limit}", **figures)
    return w("the list of {party} was registered on {date}, after registration closed on {limit}", **figures)


def _one_list(r: Refusal, e: Election, w: Words) -> str:
    return w(
        "{name} is already on the list of {party}{at}; a candidate may stand on one list only",
        name=_name(r),
        party=r.limit,
        at=_at(r.first),
    )


def _one_district(r: Refusal, e: Election, w: Words) -> str:
    return w(
        "{name} already stands in district {district}{at}; a candidate may stand in one district only",
        name=_name(r),
        district=r.limit,
        at=_at(r.first),
    )


def _dual(r: Refusal, e: Election, w: Words) -> str:
    return w(
        "{name} stands in district {district} and is on the list of {party}{at}; "
        "a candidate may not stand on a list and in a district at once",
        name=_name(r),
        district=r.figure,
        party=r.limit,
        at=_at(r.first),
    )


def _positions(r: Refusal, e: Election, w: Words) -> str:
    return w(
        "the list of {party} has no position {position}; positions must run 1..{size} without a gap",
        party=r.party,
        position=r.figure,
        size=r.limit,
    )


def _list_size(r: Refusal, e: Election, w: Words) -> str:
    size = r.figure if isinstance(r.figure, int) else 0
    if r.rule is Rule.LIST_MIN:
        return w.n(
            "the list of {party} has {n} candidate; a list must have at least {limit}",
            "the list of {party} has {n} candidates; a list must have at least {limit}",
            size,
            party=r.party,
            limit=r.limit,
        )
    return w.n(
        "the list of {party} has {n} candidate; a list may have at most {limit}",
        "the list of {party} has {n} candidates; a list may have at most {limit}",
        size,
        party=r.party,
        limit=r.limit,
    )


def _withdrawn(r: Refusal, e: Election, w: Words) -> str:
    return w(
        "{name}, designated by {party}, withdrew on {date}; a withdrawn candidate takes no seat",
        name=_name(r),
        party=r.party,
        date=_date(r.figure, w),
    )


SENTENCES: dict[Rule, Callable[[Refusal, Election, Words], str]] = {
    Rule.MIN_AGE: _age,
    Rule.ONE_LIST: _one_list,
    Rule.ONE_DISTRICT: _one_district,
    Rule.DUAL_CANDIDACY: _dual,
    Rule.POSITIONS: _positions,
    Rule.LIST_MIN: _list_size,
    Rule.LIST_MAX: _list_size,
    Rule.PERIOD_OPENS: _period,
    Rule.PERIOD_CLOSES: _period,
    Rule.QUOTA: _share,
    Rule.QUOTA_BLOCK: _share,
    Rule.DESIGNATED_WITHDRAWN: _withdrawn,
    Rule.DESIGNATION_QUOTA: _share,
}
"""Each rule's sentence, from its refusal's figures, in the reader's language (every msgid is in the catalogues)."""

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
