"""The single transferable vote: one multi-member district's count, stage by stage, exactly.

A ballot ranks candidates; each paper carries a value (1 at first). The quota (Droop: floor(valid / (seats + 1))
+ 1, the laws' usual one) elects; a candidate over it has a surplus that passes on to the next continuing
preference of the papers, at a transfer value; when no surplus is left to transfer, the candidate with the
fewest votes is excluded and all their papers pass on at their value. Each count is a `Stage` that says what
moved where, so a report can explain every transfer. Variants (`STVRules.surplus`, rules/system.py):

- `weighted-inclusive-gregory`: every paper of the candidate passes on, each at its value x surplus / the
  candidate's total (Scottish local government elections, SSI 2011/399 Sched. 1 rules 48-50), with values
  truncated to `decimals` (Scotland: 5) where the law says so;
- `inclusive-gregory`: every paper passes on at surplus / the number of the candidate's papers (values reset);
- `last-parcel`: Ireland's rules (Electoral Act 1992 s.121) as an exact deterministic variant, named as such:
  only the parcel that elected the candidate (all papers at the first count) passes on, at surplus / its
  transferable papers (at most their value); where Ireland draws whole papers at random, this variant moves
  every paper of the parcel at that fraction, so later counts may differ from an Irish count sheet.

Every figure is a `Fraction` (truncation, where the law asks for it, is exact too); what truncation drops is
recorded per stage as `lost`, so that at every stage the candidates' votes + non-transferable + lost = the
valid poll. Ties (the lowest to exclude, the largest surplus) go to the earliest count at which the tied
candidates had unequal votes (the laws' look-back), then to the tie rule: a seeded lot, or the commission's
recorded drawing (`Drawing`: its winners are the candidates who stay), else the count stops there and says
who is tied.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction

from saylau.apportionment import Drawing
from saylau.domain import RankedBallot
from saylau.rules import STVQuota, STVRules, SurplusTransfer

__all__ = ["RankedBallot", "STVCount", "Stage", "StageKind", "count_stv", "quota_of"]


class StageKind(StrEnum):
    """What a count did."""

    FIRST = "first"
    SURPLUS = "surplus"
    EXCLUSION = "exclusion"
    REMAINING = "remaining"
    """As many continuing candidates as seats left: all elected."""


@dataclass(frozen=True, slots=True)
class Stage:
    """One count: what moved from whom to whom, and everyone's votes after it."""

    number: int
    kind: StageKind
    candidate: str | None
    """Whose surplus was transferred, or who was excluded."""
    transfer_value: Fraction | None
    """Surplus transfers: the fraction applied to each paper's value (weighted) or the papers' new value."""
    transfers: Mapping[str, Fraction]
    """Votes gained (+) or given away (-) per candidate at this count."""
    non_transferable: Fraction
    """Votes of papers with no continuing preference left, at this count."""
    lost: Fraction
    """Votes dropped by the law's truncation of values, at this count."""
    totals: Mapping[str, Fraction]
    """Every candidate's votes after this count (elected at their quota once their surplus has gone)."""
    elected: tuple[str, ...] = ()
    """Elected at this count, in order."""
    excluded: tuple[str, ...] = ()
    tied: tuple[str, ...] = ()
    """Candidates tied at this count's decision (the lowest, or the largest surplus), when there was a tie."""
    lot_seed: int | None = None
    deferred: tuple[str, ...] = ()
    """Ireland: elected candidates whose surplus was not transferred before this exclusion (`STVRules.defer_surplus`):
    together it could neither elect the highest continuing candidate, save the lowest, nor bring it past a quarter
    of the quota."""


@dataclass(frozen=True, slots=True)
class STVCount:
    """A district's count: the quota, the stages, the elected in order, and a tie that stopped it (if any)."""

    seats: int
    valid: int
    quota: Fraction
    stages: tuple[Stage, ...]
    elected: tuple[str, ...]
    undecided: tuple[str, ...] = ()
    """Candidates tied where the rules leave the choice to a drawing of lots not yet recorded: the count stops."""
    first_preferences: Mapping[str, int] = field(default_factory=dict)
    settled: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    """A tie settled by the commission's recorded drawing of lots: (the tied, those the drawing kept)."""

    @property
    def non_transferable(self) -> Fraction:
        """All votes that found no continuing preference."""
        return sum((s.non_transferable for s in self.stages), Fraction(0))

    @property
    def lost(self) -> Fraction:
        """All votes dropped by truncation."""
        return sum((s.lost for s in self.stages), Fraction(0))


@dataclass(slots=True)
class _Paper:
    ranking: tuple[str, ...]
    count: int
    value: Fraction


@dataclass(frozen=True, slots=True)
class _Tie:
    """Candidates tied at a count's decision (the largest surplus, or the lowest votes) after the look-back, and
    the lot's seed when a lot broke it (see the module's note on ties)."""

    tied: tuple[str, ...] = ()
    lot: int | None = None


@dataclass(frozen=True, slots=True)
class _Transferred:
    """What a transfer left behind: the votes of papers with no continuing preference, and those lost to the
    truncation of transfer values; and the surpluses left waiting while it was made (Ireland s.121)."""

    non_transferable: Fraction = Fraction(0)
    lost: Fraction = Fraction(0)
    deferred: tuple[str, ...] = ()


def quota_of(valid: int, seats: int, rule: STVQuota) -> Fraction:
    """The quota: Droop floor(v / (s + 1)) + 1; exact Droop v / (s + 1) (election needs more); Hare v / s."""
    if rule is STVQuota.DROOP:
        return Fraction(valid // (seats + 1) + 1)
    if rule is STVQuota.DROOP_EXACT:
        return Fraction(valid, seats + 1)
    return Fraction(valid, seats)


def _truncate(value: Fraction, decimals: int | None) -> Fraction:
    if decimals is None:
        return value
    scale = 10**decimals
    return Fraction(value.numerator * scale // value.denominator, scale)


class _Count:
    """The state of one count between stages."""

    def __init__(
        self,
        candidates: Sequence[str],
        ballots: Sequence[RankedBallot],
        seats: int,
        rules: STVRules,
        drawn: Sequence[Drawing],
        seed: int | None,
    ) -> None:
        self.order = list(candidates)
        self.rules = rules
        self.seats = seats
        self.drawn = drawn
        self.rng = random.Random(seed) if seed is not None else None
        self.seed = seed
        self.parcels: dict[str, list[list[_Paper]]] = {c: [] for c in candidates}
        self.retained: dict[str, Fraction] = {}
        self.continuing = list(candidates)
        self.elected: list[str] = []
        self.excluded: list[str] = []
        self.surplus_done: set[str] = set()
        self.history: list[dict[str, Fraction]] = []
        self.stages: list[Stage] = []
        first: dict[str, list[_Paper]] = {c: [] for c in candidates}
        known = set(candidates)
        self.valid = 0
        for b in ballots:
            ranking = tuple(dict.fromkeys(n for n in b.ranking if n in known))
            if not ranking or b.count <= 0:
                continue
            self.valid += b.count
            first[ranking[0]].append(_Paper(ranking, b.count, Fraction(1)))
        for c in candidates:
            self.parcels[c].append(first[c])
        self.quota = quota_of(self.valid, seats, rules.quota)
        self.undecided: tuple[str, ...] = ()
        self.settled: tuple[tuple[str, ...], tuple[str, ...]] | None = None

    def total(self, c: str) -> Fraction:
        if c in self.retained:
            return self.retained[c]
        return sum((p.value * p.count for parcel in self.parcels[c] for p in parcel), Fraction(0))

    def totals(self) -> dict[str, Fraction]:
        return {c: self.total(c) for c in self.order}

    def reaches(self, votes: Fraction) -> bool:
        return votes > self.quota if self.rules.quota is STVQuota.DROOP_EXACT else votes >= self.quota

    def next_preference(self, paper: _Paper) -> str | None:
        live = set(self.continuing)
        for name in paper.ranking:
            if name in live:
                return name
        return None

    def record(
        self,
        kind: StageKind,
        candidate: str | None,
        value: Fraction | None,
        before: Mapping[str, Fraction],
        transferred: _Transferred,
        tie: _Tie,
    ) -> None:
        now = self.totals()
        newly = self.elect()
        after = self.totals()
        moves = {} if kind is StageKind.FIRST else {c: now[c] - before[c] for c in self.order if now[c] != before[c]}
        self.history.append(after)
        self.stages.append(
            Stage(
                len(self.stages) + 1,
                kind,
                candidate,
                value,
                moves,
                transferred.non_transferable,
                transferred.lost,
                after,
                tuple(newly),
                (candidate,) if kind is StageKind.EXCLUSION and candidate else (),
                tie.tied,
                tie.lot,
                transferred.deferred,
            )
        )

    def elect(self) -> list[str]:
        """Elect every continuing candidate at or over the quota, most votes first (ties: look back)."""
        newly = []
        for c in self.rank([c for c in self.continuing if self.reaches(self.total(c))], highest=True):
            if len(self.elected) < self.seats:
                self.elected.append(c)
                self.continuing.remove(c)
                newly.append(c)
        return newly

    def rank(self, names: list[str], *, highest: bool) -> list[str]:
        """Order by votes now, ties by the earliest count at which they differed, then ballot order."""

        def key(c: str) -> tuple[Fraction, tuple[Fraction, ...], int]:
            sign = -1 if highest else 1
            past = tuple(sign * h.get(c, Fraction(0)) for h in self.history)
            return (sign * self.total(c), past, self.order.index(c))

        return sorted(names, key=key)

    def pick(self, names: list[str], *, highest: bool) -> tuple[str | None, _Tie]:
        """The one candidate to act on: the highest surplus or the lowest votes; (None, tied) when a drawing of
        lots is required and not recorded. Also the tied names and a lot's seed, when a tie had to be broken."""
        best = self.total(self.rank(names, highest=highest)[0])
        tied = [c for c in names if self.total(c) == best]
        if len(tied) == 1:
            return tied[0], _Tie()
        for h in self.history:  # the earliest count at which they had unequal votes
            values = {c: h.get(c, Fraction(0)) for c in tied}
            if len(set(values.values())) > 1:
                extreme = max(values.values()) if highest else min(values.values())
                tied_now = [c for c in tied if values[c] == extreme]
                if len(tied_now) == 1:
                    return tied_now[0], _Tie(tuple(tied))
                tied = tied_now
        group = tuple(c for c in self.order if c in tied)
        if highest:  # equal surpluses: the order changes no one's election; ballot order
            return group[0], _Tie(group)
        stay = len(group) - 1  # an exclusion: the drawing's winners are those who stay
        for d in self.drawn:
            if d.settles(group, stay):
                self.settled = (group, tuple(d.winners))
                return next(c for c in group if c not in d.winners), _Tie(group)
        if self.rng is not None:
            return self.rng.choice(group), _Tie(group, self.seed)
        self.undecided = group
        return None, _Tie(group)

    def transfer(self, papers: list[tuple[_Paper, Fraction]]) -> tuple[Fraction, Fraction]:
        """Move each paper (at its new value) to its next continuing preference, as one new parcel each;
        returns (non-transferable, lost to truncation)."""
        parcels: dict[str, list[_Paper]] = {}
        exhausted = Fraction(0)
        for paper, value in papers:
            target = self.next_preference(paper)
            if target is None:
                exhausted += value * paper.count
                continue
            parcels.setdefault(target, []).append(_Paper(paper.ranking, paper.count, value))
        for c, parcel in parcels.items():
            self.parcels[c].append(parcel)
        return exhausted, Fraction(0)

    def surplus(self, c: str, tie: _Tie) -> None:
        before = self.totals()
        total = self.total(c)
        surplus = total - self.quota
        rule, decimals = self.rules.surplus, self.rules.decimals
        papers: list[tuple[_Paper, Fraction]]
        extra = Fraction(0)
        if rule is SurplusTransfer.LAST_PARCEL:
            parcel = next((p for p in reversed(self.parcels[c]) if p), [])
            moving = [p for p in parcel if self.next_preference(p) is not None]
            worth = sum((p.value * p.count for p in moving), Fraction(0))
            if worth <= surplus:  # every transferable paper at its value; the rest is non-transferable
                value = Fraction(1)
                papers = [(p, p.value) for p in moving]
                extra = surplus - worth
            else:
                value = _truncate(surplus / worth, decimals)
                papers = [(p, _truncate(p.value * surplus / worth, decimals)) for p in moving]
        else:
            every = [p for parcel in self.parcels[c] for p in parcel]
            if rule is SurplusTransfer.WEIGHTED_INCLUSIVE:
                # each paper: surplus x its value / the candidate's total (SSI 2011/399 Sched. 1 r.48)
                value = _truncate(surplus / total, decimals) if total else Fraction(0)
                papers = [(p, _truncate(surplus * p.value / total, decimals)) for p in every]
            else:
                count = sum(p.count for p in every)
                value = _truncate(surplus / count, decimals) if count else Fraction(0)
                papers = [(p, value) for p in every]
        self.parcels[c] = []
        self.retained[c] = self.quota
        self.surplus_done.add(c)
        moved = sum((v * p.count for p, v in papers), Fraction(0))
        exhausted, _ = self.transfer(papers)
        lost = surplus - moved - extra
        self.record(StageKind.SURPLUS, c, value, before, _Transferred(exhausted + extra, lost), tie)

    def exclude(self, c: str, tie: _Tie, deferred: tuple[str, ...] = ()) -> None:
        before = self.totals()
        papers = [(p, p.value) for parcel in self.parcels[c] for p in parcel]
        self.continuing.remove(c)
        self.excluded.append(c)
        self.parcels[c] = []
        exhausted, lost = self.transfer(papers)
        self.record(StageKind.EXCLUSION, c, None, before, _Transferred(exhausted, lost, deferred), tie)

    def deferrable(self, pending: list[str]) -> bool:
        """Ireland (s.121): the surpluses not yet transferred, together, could neither elect the highest
        continuing candidate, nor lift the lowest above the next lowest, nor bring the lowest past a quarter
        of the quota: they wait, and the lowest is excluded."""
        if not self.rules.defer_surplus or len(self.continuing) < 2:
            return False
        surplus = sum((self.total(c) - self.quota for c in pending), Fraction(0))
        votes = sorted(self.total(c) for c in self.continuing)
        lowest, next_lowest, highest = votes[0], votes[1], votes[-1]
        quarter = self.quota / 4
        could_elect = self.reaches(highest + surplus)
        could_save = lowest + surplus >= next_lowest
        could_qualify = lowest <= quarter < lowest + surplus
        return not (could_elect or could_save or could_qualify)

    def run(self) -> None:
        self.record(StageKind.FIRST, None, None, {}, _Transferred(), _Tie())
        while len(self.elected) < self.seats:
            if len(self.continuing) <= self.seats - len(self.elected):
                before = self.totals()
                remaining = self.rank(list(self.continuing), highest=True)
                self.elected += remaining
                self.continuing = []
                self.history.append(self.totals())
                self.stages.append(
                    Stage(
                        len(self.stages) + 1,
                        StageKind.REMAINING,
                        None,
                        None,
                        {},
                        Fraction(0),
                        Fraction(0),
                        dict(before),
                        tuple(remaining),
                    )
                )
                break
            pending = [c for c in self.elected if c not in self.surplus_done and self.total(c) > self.quota]
            if pending and self.deferrable(pending):
                c, tie = self.pick(list(self.continuing), highest=False)
                if c is None:
                    break
                self.exclude(c, tie, tuple(pending))
                continue
            if pending:
                c, tie = self.pick(pending, highest=True)
                if c is None:
                    break
                self.surplus(c, tie)
                continue
            c, tie = self.pick(list(self.continuing), highest=False)
            if c is None:
                break
            self.exclude(c, tie)


def count_stv(
    candidates: Sequence[str],
    ballots: Sequence[RankedBallot],
    seats: int,
    rules: STVRules,
    *,
    drawn: Sequence[Drawing] = (),
    seed: int | None = None,
) -> STVCount:
    """Count one district by STV under `rules`. `candidates` in ballot order (the last tie-break); names on a
    ballot that are not candidates, and repeated names, are ignored; an empty ballot is not in the valid poll.
    `seed`: break ties left after the look-back by a seeded lot (else by `drawn`, or stop)."""
    count = _Count(candidates, ballots, seats, rules, drawn, seed)
    count.run()
    firsts = {c: 0 for c in candidates}
    for b in ballots:
        ranking = [n for n in b.ranking if n in firsts]
        if ranking and b.count > 0:
            firsts[ranking[0]] += b.count
    return STVCount(
        seats,
        count.valid,
        count.quota,
        tuple(count.stages),
        tuple(count.elected),
        count.undecided,
        firsts,
        count.settled,
    )
