"""Registration checks: the lists and district candidates an election folder records, against the law.

The territorial commission registers each party's list and each district's candidates and refuses what the
law does not allow (Constitutional Law "On Elections": minimum age, one candidacy, the list's form, the
registration period, the 30% quota). `check_registration` returns every refusal as a typed fact with its
figure and the limit it breaks; `reports/registration.py` words them. A rule whose particulars the folder
does not record is counted as not checked, never failed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction

from saylau.domain import Ballot, Election, Nominee, Sex
from saylau.rules.registration import Quota, QuotaGroup, RegistrationRules


class Rule(StrEnum):
    """Each registration rule a refusal can cite."""

    MIN_AGE = "min-age"
    ONE_LIST = "one-list"
    ONE_DISTRICT = "one-district"
    DUAL_CANDIDACY = "dual-candidacy"
    POSITIONS = "positions"
    LIST_MIN = "list-min"
    LIST_MAX = "list-max"
    PERIOD_OPENS = "period-opens"
    PERIOD_CLOSES = "period-closes"
    QUOTA = "quota"
    QUOTA_BLOCK = "quota-block"
    DESIGNATED_WITHDRAWN = "designated-withdrawn"
    DESIGNATION_QUOTA = "designation-quota"


Figure = int | Fraction | date | str | None


@dataclass(frozen=True, slots=True)
class Refusal:
    """One thing the commission must refuse: the rule, who (or which list), the figure and the limit.

    `nominee` is the registration at fault where there is one; `party` names the list for list-wide
    rules; `first` is the other registration a duplicate candidacy collides with.
    """

    rule: Rule
    party: str | None
    nominee: Nominee | None = None
    figure: Figure = None
    limit: Figure = None
    first: Nominee | None = None


@dataclass(frozen=True, slots=True)
class RegistrationCheck:
    """The refusals, and for each rule how many registrations it could not check (particulars missing)."""

    refusals: tuple[Refusal, ...]
    unchecked: dict[Rule, int] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        """True when nothing is refused."""
        return not self.refusals


def check_registration(election: Election) -> RegistrationCheck:
    """Every refusal the registration rules give for this election's lists, candidates and designations."""
    rules = election.system.registration
    unchecked: Counter[Rule] = Counter()
    refusals = [
        *_ages(election, rules, unchecked),
        *_candidacies(election, rules),
        *_list_forms(election, rules),
        *_period(election, rules, unchecked),
        *_quotas(election, rules, unchecked),
        *_designations(election, rules),
    ]
    return RegistrationCheck(tuple(refusals), dict(unchecked))


def _ages(election: Election, rules: RegistrationRules, unchecked: Counter[Rule]) -> Iterator[Refusal]:
    if rules.min_age is None:
        return
    for nominee in election.registration.nominees:
        age = nominee.particulars.age_on(election.date) if election.date else None
        if age is None:
            unchecked[Rule.MIN_AGE] += 1
        elif age < rules.min_age:
            yield Refusal(Rule.MIN_AGE, nominee.party, nominee, age, rules.min_age)


def _candidacies(election: Election, rules: RegistrationRules) -> Iterator[Refusal]:
    """One list only, one district only, and (unless dual candidacy is allowed) not both."""
    on_list: dict[str, Nominee] = {}
    in_district: dict[str, Nominee] = {}
    for nominee in election.registration.nominees:
        if nominee.ballot is Ballot.LIST:
            first = on_list.setdefault(nominee.name, nominee)
            if first is not nominee and _same_person(first, nominee):
                yield Refusal(Rule.ONE_LIST, nominee.party, nominee, nominee.party, first.party, first)
    for nominee in election.registration.in_districts():
        first = in_district.setdefault(nominee.name, nominee)
        if first is not nominee and _same_person(first, nominee):
            yield Refusal(Rule.ONE_DISTRICT, nominee.party, nominee, nominee.district, first.district, first)
        listed = on_list.get(nominee.name)
        if not rules.dual_candidacy and listed is not None and _same_person(listed, nominee):
            yield Refusal(Rule.DUAL_CANDIDACY, nominee.party, nominee, nominee.district, listed.party, listed)


def _same_person(a: Nominee, b: Nominee) -> bool:
    """Same name, and the same date of birth where both are recorded (namesakes are different people)."""
    born_a, born_b = a.particulars.date_of_birth, b.particulars.date_of_birth
    return a.name == b.name and (born_a is None or born_b is None or born_a == born_b)


def _list_forms(election: Election, rules: RegistrationRules) -> Iterator[Refusal]:
    """Positions run 1..n without a gap; the list's length is within the limits, if any."""
    for party in _parties(election):
        entries = election.registration.on_list(party)
        for where in dict.fromkeys(n.constituency for n in entries):  # each constituency's list on its own
            here = [n for n in entries if n.constituency == where]
            positions = {n.position for n in here}
            gap = next((p for p in range(1, len(here) + 1) if p not in positions), None)
            if gap is not None:
                yield Refusal(Rule.POSITIONS, party, None, gap, len(here))
        if entries and rules.list_min is not None and len(entries) < rules.list_min:
            yield Refusal(Rule.LIST_MIN, party, None, len(entries), rules.list_min)
        if rules.list_max is not None and len(entries) > rules.list_max:
            yield Refusal(Rule.LIST_MAX, party, None, len(entries), rules.list_max)


def _parties(election: Election) -> list[str]:
    """Parties with a list, in registration order, then any the folder's lists name besides."""
    named = [p.short_name for p in election.parties_in_registration_order]
    extra = {n.party for n in election.registration.nominees if n.ballot is Ballot.LIST and n.party not in named}
    return named + sorted(p for p in extra if p is not None)


def _period(election: Election, rules: RegistrationRules, unchecked: Counter[Rule]) -> Iterator[Refusal]:
    """Each list and candidate registered within the period: [day - opens, day - closes]."""
    if election.date is None or (rules.opens_days_before is None and rules.closes_days_before is None):
        return
    opens = election.date - timedelta(days=rules.opens_days_before) if rules.opens_days_before is not None else None
    closes = election.date - timedelta(days=rules.closes_days_before) if rules.closes_days_before is not None else None
    dated: list[tuple[str | None, Nominee | None, date | None]] = [
        (p.short_name, None, p.registration_date) for p in election.parties_in_registration_order
    ]
    dated += [(n.party, n, n.particulars.registered) for n in election.registration.nominees]
    for party, nominee, registered in dated:
        if registered is None:
            unchecked[Rule.PERIOD_CLOSES] += 1
        elif opens is not None and registered < opens:
            yield Refusal(Rule.PERIOD_OPENS, party, nominee, registered, opens)
        elif closes is not None and registered > closes:
            yield Refusal(Rule.PERIOD_CLOSES, party, nominee, registered, closes)


def in_quota(nominee: Nominee, quota: Quota, day: date | None) -> bool:
    """True when the nominee counts towards the quota: a woman, young on `day`, or with a disability."""
    p = nominee.particulars
    age = p.age_on(day) if day else None
    return (
        (QuotaGroup.WOMEN in quota.groups and p.sex is Sex.FEMALE)
        or (QuotaGroup.YOUNG in quota.groups and age is not None and age < quota.young_under)
        or (QuotaGroup.DISABILITY in quota.groups and p.disability is True)
    )


def meets_quota(nominees: Sequence[Nominee], quota: Quota, day: date | None) -> bool:
    """At least share_percent of `nominees` count towards the quota (exact: counted x 100 >= share x n)."""
    counted = sum(1 for n in nominees if in_quota(n, quota, day))
    return counted * 100 >= quota.share_percent * len(nominees)


def _quotas(election: Election, rules: RegistrationRules, unchecked: Counter[Rule]) -> Iterator[Refusal]:
    """Each list as registered, and each full block of `block` positions when the setting asks."""
    quota = rules.quota
    if quota is None:
        return
    for party in _parties(election):
        entries = election.registration.on_list(party)
        if not entries:
            continue
        if not any(n.particulars.recorded for n in entries):
            unchecked[Rule.QUOTA] += 1
            continue
        if not meets_quota(entries, quota, election.date):
            yield _quota_refusal(Rule.QUOTA, party, entries, quota, election.date)
        for block in _blocks(entries, quota.block):
            if not meets_quota(block, quota, election.date):
                yield _quota_refusal(Rule.QUOTA_BLOCK, party, block, quota, election.date, block[0])


def _blocks(entries: Sequence[Nominee], size: int | None) -> Iterable[Sequence[Nominee]]:
    if size is None:
        return []
    return [entries[i : i + size] for i in range(0, len(entries) - size + 1, size)]


def _quota_refusal(
    rule: Rule, party: str, entries: Sequence[Nominee], quota: Quota, day: date | None, first: Nominee | None = None
) -> Refusal:
    """The figure is how many count towards the quota; the limit how many were checked."""
    counted = sum(1 for n in entries if in_quota(n, quota, day))
    return Refusal(rule, party, None, counted, len(entries), first)


def _designations(election: Election, rules: RegistrationRules) -> Iterator[Refusal]:
    """Designated candidates are not withdrawn, and meet the quota among themselves if the setting asks."""
    for party, names in election.designations.items():
        entries = {n.name: n for n in election.registration.on_list(party)}
        chosen = [entries[name] for name in names if name in entries]
        for nominee in chosen:
            if nominee.withdrawn:
                yield Refusal(Rule.DESIGNATED_WITHDRAWN, party, nominee, nominee.particulars.withdrawn)
        quota = rules.quota
        if quota is None or not quota.designations or not any(n.particulars.recorded for n in chosen):
            continue
        if not meets_quota(chosen, quota, election.date):
            yield _quota_refusal(Rule.DESIGNATION_QUOTA, party, chosen, quota, election.date)
