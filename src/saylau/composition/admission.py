"""Who takes part in the sharing of list seats: the threshold as data, with every alternative the laws use.

A list passes when its share reaches its percentage (the general one, or the one for joint lists of its
number of member parties: Hungary 5/10/15%, Lithuania 5/7%) and any absolute vote threshold; or, as an
alternative, when it won at least `threshold_districts` districts (New Zealand: one electorate; Germany:
three constituencies); or when it is exempt by name (parties of national minorities: Germany's SSW). An
aggregated row ("Others") counts in the base and never passes. Exactness: a list passes iff
votes x 100 >= percent x base, in integers and fractions only.

The result is the apportionment engine's own `ThresholdReport` (so every renderer shows it as before) plus
one `Admission` per list saying which rule admitted it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from saylau.apportionment import Threshold, ThresholdLine, ThresholdReport
from saylau.domain import Party, Tally
from saylau.rules import ListTier


class AdmittedBy(StrEnum):
    """The rule that let a list take part, or why it does not."""

    THRESHOLD = "threshold"
    DISTRICTS = "districts"
    EXEMPT = "exempt"
    MINIMUM = "minimum"
    BELOW = "below"
    AGGREGATE = "aggregate"


@dataclass(frozen=True, slots=True)
class Admission:
    """One list's line: its votes, the percentage it faced, and the rule that decided."""

    party: str
    votes: int
    required_percent: Fraction
    share: Fraction
    by: AdmittedBy
    districts_won: int = 0

    @property
    def admitted(self) -> bool:
        """Takes part in the sharing of seats."""
        return self.by not in (AdmittedBy.BELOW, AdmittedBy.AGGREGATE)


@dataclass(frozen=True, slots=True)
class AdmissionReport:
    """The base, each list's admission, and the engine's threshold table built from them."""

    base: int
    admissions: tuple[Admission, ...]
    table: ThresholdReport

    @property
    def admitted(self) -> tuple[str, ...]:
        """Lists that take part, in registration order."""
        return tuple(a.party for a in self.admissions if a.admitted)


def base_of(tier: ListTier, tally: Tally) -> int:
    """The number of ballots a share is taken of: the tier's base, with blank votes in or out."""
    blank = tally.blank if tier.blank_in_base else 0
    return tier.threshold_base.of(tally.option_votes, tally.against_all + blank, tally.invalid)


def required_percent(tier: ListTier, party: Party) -> Fraction:
    """The percentage this list must reach: the joint-list one for its member count, else the general one."""
    fitting = [k for k in tier.joint_list_thresholds if k <= party.members and k > 1]
    if fitting:
        return tier.joint_list_thresholds[max(fitting)]
    return tier.threshold_percent or Fraction(0)


def admit(
    tier: ListTier,
    parties: Sequence[Party],
    tally: Tally,
    districts_won: Mapping[str, int],
) -> AdmissionReport:
    """Decide, exactly, which lists take part; then admit by vote order up to `min_admitted`.

    Under a preferential quota (Hungary), minority lists are outside the party threshold: their votes are
    not in its base and they win seats only by the preferential quota.
    """
    separate = {p.short_name for p in parties if p.minority} if tier.preferential_quota is not None else set()
    base = base_of(tier, tally) - sum(tally.votes.get(name, 0) for name in separate)
    at_least = tier.threshold_votes or 0
    decided: list[Admission] = []
    for party in parties:
        votes = tally.votes.get(party.short_name, 0)
        percent = required_percent(tier, party)
        share = Fraction(votes, base) if base else Fraction(0)
        won = districts_won.get(party.short_name, 0)
        by = AdmittedBy.BELOW
        if party.aggregate:
            by = AdmittedBy.AGGREGATE
        elif party.short_name in separate or not party.list_ballot:  # off the list ballot: never a list seat
            by = AdmittedBy.BELOW
        elif votes * 100 >= percent * base and votes >= at_least and votes > 0:
            by = AdmittedBy.THRESHOLD
        elif tier.threshold_districts is not None and won >= tier.threshold_districts:
            by = AdmittedBy.DISTRICTS
        elif party.short_name in tier.threshold_exempt:
            by = AdmittedBy.EXEMPT
        decided.append(Admission(party.short_name, votes, percent, share, by, won))
    decided = _admit_minimum(decided, tier.min_admitted)
    # Minority lists under a preferential quota face no party threshold: the table shows those that do.
    off = separate | {p.short_name for p in parties if not p.list_ballot}
    return AdmissionReport(base, tuple(decided), _table(tier, [a for a in decided if a.party not in off], base))


def _admit_minimum(decided: list[Admission], minimum: int) -> list[Admission]:
    """Admit further lists with votes, most votes first (equal: registration order), up to `minimum`."""
    missing = minimum - sum(a.admitted for a in decided)
    if missing <= 0:
        return decided
    waiting = sorted(
        (i for i, a in enumerate(decided) if a.by is AdmittedBy.BELOW and a.votes > 0),
        key=lambda i: (-decided[i].votes, i),
    )
    out = list(decided)
    for i in waiting[:missing]:
        a = out[i]
        out[i] = Admission(a.party, a.votes, a.required_percent, a.share, AdmittedBy.MINIMUM, a.districts_won)
    return out


def _table(tier: ListTier, decided: list[Admission], base: int) -> ThresholdReport:
    """The engine's threshold table, so reports show these lists as they show any allocation's."""
    general = tier.threshold_percent or Fraction(0)
    threshold = Threshold(tier.threshold_percent, tier.threshold_votes, tier.threshold_base)
    lines = tuple(
        ThresholdLine(
            a.party,
            a.votes,
            a.share,
            a.by in (AdmittedBy.THRESHOLD, AdmittedBy.DISTRICTS, AdmittedBy.EXEMPT),
            a.share * 100 - a.required_percent,
            a.by is AdmittedBy.MINIMUM,
        )
        for a in decided
    )
    required = max(general * base / 100, Fraction(tier.threshold_votes or 0))
    return ThresholdReport(threshold, base, required, lines, tier.min_admitted)


def combine(national: AdmissionReport, local: AdmissionReport, both: bool) -> AdmissionReport:
    """A constituency's admissions under a national threshold (or both): the national decision rules it."""
    by_party = {a.party: a for a in national.admissions}
    merged = []
    for a in local.admissions:
        nat = by_party.get(a.party)
        ok = nat is not None and nat.admitted and (a.admitted or not both)
        by = (
            (nat.by if nat is not None and not both else a.by)
            if ok
            else (AdmittedBy.AGGREGATE if a.by is AdmittedBy.AGGREGATE else AdmittedBy.BELOW)
        )
        merged.append(Admission(a.party, a.votes, a.required_percent, a.share, by, a.districts_won))
    lines = tuple(
        ThresholdLine(
            line.name,
            line.votes,
            line.share,
            m.admitted and not line.admitted_by_minimum,
            line.margin_pp,
            line.admitted_by_minimum and m.admitted,
        )
        for line, m in zip(local.table.lines, merged, strict=True)
    )
    table = ThresholdReport(
        local.table.threshold, local.table.base_votes, local.table.required_votes, lines, local.table.min_admitted
    )
    return AdmissionReport(local.base, tuple(merged), table)
