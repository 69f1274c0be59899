"""Drawings of lots: the ties the rules leave to the commission, and whether each recorded outcome fits one.

Abacus's rule, and ours: drawing lots is never random inside the software. The calculation stops at
"drawing of lots required" with the tied standings (`ties`, those with no `decision`); people draw by hand;
the outcome is recorded (`Election.decisions`) and the calculation runs again with it, each recorded outcome
settling the one tie it names. An outcome that fits no tie decides nothing and is refused (`misfits`), with
a reason a report puts into words: no tie there, another tie there, a winner who is not tied, the wrong
number of winners, or a second outcome for a tie already settled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from saylau.apportionment import Allocation, Drawing, TieRule
from saylau.composition.districts import Decision, DistrictOutcome
from saylau.composition.preferences import TieSettled
from saylau.composition.result import NATIONAL, Composition, Step
from saylau.domain import Election, LotDecision, TieTier


def drawings(
    election: Election, tier: TieTier, *, constituency: str = NATIONAL, district: int | None = None
) -> list[Drawing]:
    """The recorded outcomes for ties at one place, as the tie breakers take them."""
    return [
        Drawing(frozenset(d.tied), d.seats, d.winners)
        for d in election.decisions
        if d.tier is tier and d.constituency == constituency and d.district == district
    ]


def district_drawing(election: Election, number: int) -> Drawing | None:
    """The first recorded outcome for a tie in district `number` (a second one is refused as a misfit)."""
    found = drawings(election, TieTier.DISTRICT, district=number)
    return found[0] if found else None


@dataclass(frozen=True, slots=True)
class Tie:
    """A tie the rules leave to the commission: who is tied for how many seats, where, and how it stands."""

    tier: TieTier
    tied: tuple[str, ...]
    """The tied lists (registration order) or candidates (ballot order)."""
    seats: int
    votes: tuple[int, ...]
    """Each tied one's votes, in the order of `tied`."""
    district: int | None = None
    constituency: str = NATIONAL
    value: Fraction | None = None
    """The tied remainder or average (list tier; None for an infinite first average)."""
    stage: str = ""
    """"remainder", "average" or "excess" (list tier); "" for a district."""
    decision: int | None = None
    """The index in `Election.decisions` of the drawing that settled it; None: a drawing of lots is required."""
    winners: tuple[str, ...] = ()
    """Who won the drawing (when settled)."""

    def at(self, decision: LotDecision) -> bool:
        """Whether `decision` names this tie's place (tier, constituency, district)."""
        return (decision.tier, decision.constituency, decision.district) == (
            self.tier,
            self.constituency,
            self.district,
        )


def ties(election: Election, composition: Composition) -> tuple[Tie, ...]:
    """Every tie left to the commission in this council, settled by a recorded drawing or still open."""
    found: list[Tie] = []
    seen: set[int] = set()
    places = [(NATIONAL, composition.list_allocation)] + [(c.name, c.allocation) for c in composition.constituencies]
    for name, allocation in places:
        if allocation is not None and id(allocation) not in seen:
            seen.add(id(allocation))
            found += _list_ties(election, name, allocation)
    for outcome in composition.districts:
        if outcome.seats_tied:
            found.append(_district_tie(election, outcome))
    found += [_candidate_tie(election, step) for step in composition.steps if _left_to_lot(step)]
    return tuple(found)


def _left_to_lot(step: Step) -> bool:
    """An open list's tie of preference votes that the commission's drawing of lots settles or must settle."""
    return step.tie is not None and step.tie.settled in (TieSettled.DRAWN, TieSettled.UNDECIDED)


def _candidate_tie(election: Election, step: Step) -> Tie:
    tie = step.tie
    assert tie is not None
    found = Tie(TieTier.CANDIDATE, tie.tied, tie.seats, (tie.votes,) * len(tie.tied), None, step.constituency)
    return _settled(election, found, tie.winners) if tie.settled is TieSettled.DRAWN else found


def required(election: Election, composition: Composition) -> tuple[Tie, ...]:
    """The ties still waiting for a drawing of lots: the result cannot be final before they are settled."""
    return tuple(t for t in ties(election, composition) if t.decision is None)


def _list_ties(election: Election, constituency: str, allocation: Allocation) -> list[Tie]:
    if allocation.tie_rule is not TieRule.DECIDE or not allocation.ties:
        return []
    votes = {line.name: line.votes for line in allocation.lines}
    out = []
    for tie in allocation.ties:
        if tie.rule is not TieRule.DECIDE:
            continue
        found = Tie(
            TieTier.LIST,
            tie.names,
            tie.seats,
            tuple(votes.get(n, 0) for n in tie.names),
            None,
            constituency,
            tie.value,
            tie.stage,
        )
        if tie.drawn:
            found = _settled(election, found, tie.winners)
        out.append(found)
    return out


def _district_tie(election: Election, outcome: DistrictOutcome) -> Tie:
    votes = {s.candidate.name: s.votes for s in outcome.standings}
    found = Tie(
        TieTier.DISTRICT, outcome.tied, outcome.seats_tied, tuple(votes[n] for n in outcome.tied), outcome.number
    )
    if outcome.decision is Decision.DRAWN:
        tied = set(outcome.tied)
        return _settled(election, found, tuple(c.name for c in outcome.elected if c.name in tied))
    if outcome.count is not None and outcome.count.settled is not None:  # STV: the drawing kept these in
        return _settled(election, found, outcome.count.settled[1])
    return found


def _settled(election: Election, tie: Tie, winners: tuple[str, ...]) -> Tie:
    """The tie with the first recorded drawing that settled it (the one the tie breakers took)."""
    index = next(
        i
        for i, d in enumerate(election.decisions)
        if tie.at(d) and Drawing(frozenset(d.tied), d.seats, d.winners).settles(tie.tied, tie.seats)
    )
    return Tie(
        tie.tier,
        tie.tied,
        tie.seats,
        tie.votes,
        tie.district,
        tie.constituency,
        tie.value,
        tie.stage,
        index,
        winners,
    )


class Misfit(StrEnum):
    """Why a recorded drawing of lots settles nothing."""

    NO_TIE = "no-tie"
    """There is no tie left to the commission at the place it names."""
    OTHER_TIE = "other-tie"
    """There is a tie there, but between other names."""
    SEATS = "seats"
    """The same names are tied, for another number of seats."""
    NOT_TIED = "not-tied"
    """A winner is not among the tied."""
    WINNERS = "winners"
    """The number of winners is not the number of seats at stake (or a winner is named twice)."""
    TWICE = "twice"
    """An earlier record already settled this tie."""


@dataclass(frozen=True, slots=True)
class Refusal:
    """A recorded drawing that does not fit: which one (`index` in `Election.decisions`), why, the field at
    fault, and the tie that is there (when there is one), so the message can say what would fit."""

    index: int
    misfit: Misfit
    field: str
    tie: Tie | None = None


def misfits(election: Election, found: Sequence[Tie]) -> tuple[Refusal, ...]:
    """Every recorded drawing of lots that settles none of the ties `found` (from `ties`)."""
    out = []
    for index, decision in enumerate(election.decisions):
        refusal = _misfit(index, decision, [t for t in found if t.at(decision)])
        if refusal is not None:
            out.append(refusal)
    return tuple(out)


def _misfit(index: int, decision: LotDecision, here: list[Tie]) -> Refusal | None:
    if any(t.decision == index for t in here):
        return None
    if not here:
        return Refusal(index, Misfit.NO_TIE, "district" if decision.tier is TieTier.DISTRICT else "tied")
    same = [t for t in here if set(t.tied) == set(decision.tied)]
    if not same:
        return Refusal(index, Misfit.OTHER_TIE, "tied", here[0])
    tie = same[0]
    if tie.seats != decision.seats:
        return Refusal(index, Misfit.SEATS, "seats", tie)
    if not set(decision.winners) <= set(tie.tied):
        return Refusal(index, Misfit.NOT_TIED, "winners", tie)
    if len(decision.winners) != tie.seats or len(set(decision.winners)) != len(decision.winners):
        return Refusal(index, Misfit.WINNERS, "winners", tie)
    return Refusal(index, Misfit.TWICE, "tied", tie)
