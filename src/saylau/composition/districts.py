"""Districts: plurality (one seat or several), or two rounds with a run-off between the top two.

Kazakhstan (Constitutional Law "On Elections", Art. 97-1 as amended 2022): the candidate with the most votes
wins. When "against all" has more votes than every candidate the preset marks the district for a repeat
election (our sources do not settle it; `DistrictTier.against_all` is the switch). A tie between the leading
candidates is either left to the commission (`decide`) or drawn by seeded lot (`lot`), recorded either way.
The commission draws lots by hand and its outcome comes back as a `Drawing`; it decides the tie it fits.

A district with `seats` > 1 elects its most-voted candidates (multi-member plurality, the block vote). Under
`DistrictRounds.TWO` a candidate with more than half of the base (`MajorityBase`) is elected in round one;
otherwise the two leaders meet in a run-off whose figures are in results/runoff.csv, and the run-off's
plurality decides (Lithuania, Seimas Elections Law, art. 87).
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, replace
from enum import StrEnum

from saylau.apportionment import Drawing, TieRule
from saylau.composition.stv import STVCount, count_stv
from saylau.domain import Candidate, District, RankedBallot, Tally
from saylau.rules import AgainstAllRule, DistrictRounds, DistrictTier, MajorityBase


class DistrictStatus(StrEnum):
    """How a district's seat stands after the count."""

    ELECTED = "elected"
    REPEAT_ELECTION = "repeat-election"
    """No one elected: "against all" led; a repeat election is required."""
    TIE_UNDECIDED = "tie-undecided"
    """Leading candidates tied and the rules leave the choice to the commission."""
    NOT_REPORTED = "not-reported"
    """No accepted protocol for this district yet: not yet reported, never vacant."""
    RUNOFF_PENDING = "runoff-pending"
    """No majority in round one and no run-off figures yet."""


class Decision(StrEnum):
    """Why a district stands as it does; `reports/` turns it and the outcome's figures into words.

    `PLURALITY`: the candidate with most votes won; `LOT`: a tie drawn by seeded lot (`tied`, `lot_seed`);
    `AGAINST_ALL_LED`: "against all" beat every candidate (`against_all` vs the best candidate's votes);
    `NO_CANDIDATES`: nobody stood; `TIE`: a tie left to the commission (`tied`); `NOT_REPORTED`: no count yet;
    `RUNOFF_PENDING`: no majority in round one (the top two in `standings`); `RUNOFF`: the run-off decided;
    `MULTI_MEMBER`: the most-voted candidates of a multi-member district; `TIE_LAST_SEAT`: a tie across its last
    seat, left to the commission (`tied`); `DRAWN`: a tie left to the commission, decided by the drawing of lots
    it held and recorded (`tied`, the winners drawn among them).
    """

    PLURALITY = "plurality"
    LOT = "lot"
    AGAINST_ALL_LED = "against-all-led"
    NO_CANDIDATES = "no-candidates"
    TIE = "tie"
    NOT_REPORTED = "not-reported"
    RUNOFF_PENDING = "runoff-pending"
    RUNOFF = "run-off"
    MULTI_MEMBER = "multi-member"
    TIE_LAST_SEAT = "tie-last-seat"
    DRAWN = "drawn"
    STV = "stv"
    """Counted by the single transferable vote (`count` holds every stage)."""


@dataclass(frozen=True, slots=True)
class Standing:
    """One line of a district's result, in descending order of votes."""

    candidate: Candidate
    votes: int


@dataclass(frozen=True, slots=True)
class DistrictOutcome:
    """The decision for one district and why (`decision`, with the figures a report needs to say it)."""

    number: int
    status: DistrictStatus
    winner: Candidate | None
    standings: tuple[Standing, ...]
    against_all: int
    decision: Decision
    tied: tuple[str, ...] = ()
    lot_seed: int | None = None
    winners: tuple[Candidate, ...] = ()
    """Every candidate elected here: one, or several in a multi-member district."""
    runoff: tuple[Standing, ...] = ()
    """The run-off's lines, best first, when one decided the district."""
    round: int = 1
    """The round that decided the district."""
    seats_tied: int = 0
    """Seats at stake in a tie left to the commission (decided by a drawing of lots or not yet); else 0."""
    seats: int = 1
    """Seats the district elects (more than one: multi-member plurality)."""
    count: STVCount | None = None
    """The single transferable vote count, stage by stage, where the district was counted so."""

    @property
    def vacant(self) -> int:
        """Seats of this district left without a deputy after the count (0 while it is not reported)."""
        if self.status is DistrictStatus.NOT_REPORTED:
            return 0
        return max(0, self.seats - len(self.elected))

    @property
    def elected(self) -> tuple[Candidate, ...]:
        """Every candidate elected here (the winner of a single-member district)."""
        return self.winners or ((self.winner,) if self.winner is not None else ())

    @property
    def top_votes(self) -> int:
        """The best candidate's votes (0 without candidates)."""
        return self.standings[0].votes if self.standings else 0

    @property
    def margin(self) -> int | None:
        """Votes between the winner and the runner-up ("against all" counts as a runner-up)."""
        if self.winner is None or not self.standings:
            return None
        rivals = [s.votes for s in self.standings[1:]] + [self.against_all]
        return self.standings[0].votes - max(rivals)


def _standings(district: District, tally: Tally, only: set[str] | None = None) -> tuple[Standing, ...]:
    order = {c.name: i for i, c in enumerate(district.candidates)}
    return tuple(
        sorted(
            (Standing(c, tally.votes.get(c.name, 0)) for c in district.candidates if only is None or c.name in only),
            key=lambda s: (-s.votes, order[s.candidate.name]),
        )
    )


def decide_district(
    district: District,
    tally: Tally | None,
    rules: DistrictTier,
    runoff: Tally | None = None,
    drawn: Drawing | None = None,
    rankings: tuple[RankedBallot, ...] = (),
) -> DistrictOutcome:
    """Decide one district under the configured rounds, seats, "against all" and tie rules; by the single
    transferable vote from its ranked ballots where the rules say so (`rules.stv`).

    `drawn`: the commission's drawing of lots for this district; it decides a tie left to the commission
    when it fits that tie exactly (the same tied candidates and seats), and nothing otherwise.
    """
    if rules.stv is not None and rankings:
        return _transferable(district, rankings, tally, rules, drawn)
    if tally is None:
        return DistrictOutcome(district.number, DistrictStatus.NOT_REPORTED, None, (), 0, Decision.NOT_REPORTED)
    standings = _standings(district, tally)
    if district.seats > 1:
        return _multi_member(district, standings, tally, rules, drawn)
    if rules.rounds is DistrictRounds.TWO and standings and not _wins_round_one(standings, tally, rules):
        base = tally.took_part if rules.majority_base is MajorityBase.CAST else tally.valid
        return _runoff(district, standings, tally, runoff, rules, base, drawn)
    return _plurality(district, standings, tally, rules, drawn)


def _transferable(
    district: District,
    rankings: tuple[RankedBallot, ...],
    tally: Tally | None,
    rules: DistrictTier,
    drawn: Drawing | None,
) -> DistrictOutcome:
    """The single transferable vote: the elected in the order the count elected them; a tie the count could
    not break (no lot, no recorded drawing) leaves the seats not yet filled open for the commission."""
    assert rules.stv is not None
    names = [c.name for c in district.candidates]
    seed = (
        (rules.tie_seed if rules.tie_seed is not None else secrets.randbits(32)) if rules.tie is TieRule.LOT else None
    )
    count = count_stv(names, rankings, district.seats, rules.stv, drawn=(drawn,) if drawn else (), seed=seed)
    by_name = {c.name: c for c in district.candidates}
    order = {c.name: i for i, c in enumerate(district.candidates)}
    firsts = count.first_preferences
    standings = tuple(
        sorted(
            (Standing(c, firsts.get(c.name, 0)) for c in district.candidates),
            key=lambda s: (-s.votes, order[s.candidate.name]),
        )
    )
    winners = tuple(by_name[n] for n in count.elected)
    against_all = tally.against_all if tally is not None else 0
    if count.undecided:
        return DistrictOutcome(
            district.number,
            DistrictStatus.TIE_UNDECIDED,
            None,
            standings,
            against_all,
            Decision.STV,
            count.undecided,
            winners=winners,
            seats_tied=len(count.undecided) - 1,  # a drawing decides who stays in the count
            seats=district.seats,
            count=count,
        )
    lot = next((s.lot_seed for s in count.stages if s.lot_seed is not None), None)
    tied = count.settled[0] if count.settled else ()
    return DistrictOutcome(
        district.number,
        DistrictStatus.ELECTED,
        winners[0] if winners else None,
        standings,
        against_all,
        Decision.STV,
        tied,
        lot_seed=lot,
        winners=winners,
        seats_tied=len(tied) - 1 if tied else 0,
        seats=district.seats,
        count=count,
    )


def _wins_round_one(standings: tuple[Standing, ...], tally: Tally, rules: DistrictTier) -> bool:
    """More than half of the base; or, at low turnout where the rules say so, the most votes with at least
    a set share of the registered voters (exact: integer cross-products)."""
    top = standings[0].votes
    low, share = rules.low_turnout_percent, rules.low_turnout_share
    if low is not None and share is not None and tally.took_part * 100 < low * tally.registered:
        alone = len(standings) == 1 or standings[1].votes < top
        return alone and top >= share * tally.registered
    base = tally.took_part if rules.majority_base is MajorityBase.CAST else tally.valid
    return top * 2 > base


def _runoff(
    district: District,
    standings: tuple[Standing, ...],
    tally: Tally,
    runoff: Tally | None,
    rules: DistrictTier,
    base: int,
    drawn: Drawing | None,
) -> DistrictOutcome:
    """No majority in round one: the top two meet again; the run-off's plurality decides."""
    pair = {s.candidate.name for s in standings[:2]}
    if runoff is None:
        return DistrictOutcome(
            district.number, DistrictStatus.RUNOFF_PENDING, None, standings, tally.against_all, Decision.RUNOFF_PENDING
        )
    second = _standings(district, runoff, pair)
    decided = _plurality(district, second, runoff, rules, drawn)
    return DistrictOutcome(
        district.number,
        decided.status,
        decided.winner,
        standings,
        tally.against_all,
        Decision.RUNOFF if decided.status is DistrictStatus.ELECTED and not decided.tied else decided.decision,
        decided.tied,
        decided.lot_seed,
        runoff=second,
        round=2,
        seats_tied=decided.seats_tied,
    )


def _multi_member(
    district: District, standings: tuple[Standing, ...], tally: Tally, rules: DistrictTier, drawn: Drawing | None
) -> DistrictOutcome:
    """The `seats` most-voted candidates win. A tie across the last seats: those above the tie are elected
    whatever happens; the tied seats go by the tie rule (a seeded drawing of lots), or to the commission's
    recorded drawing, or stay open for it (the candidates above the tie are elected all the same)."""
    seats = district.seats
    if len(standings) > seats and standings[seats].votes == standings[seats - 1].votes:
        return _tie_at_the_last_seats(district, standings, tally, rules, drawn)
    # No tie across the last seat: the `seats` best (all with votes); fewer candidates than seats: those with votes.
    return _seats_filled(district, standings, tally, tuple(s.candidate for s in standings[:seats] if s.votes > 0))


def _seats_filled(
    district: District,
    standings: tuple[Standing, ...],
    tally: Tally,
    chosen: tuple[Candidate, ...],
    decision: Decision = Decision.MULTI_MEMBER,
) -> DistrictOutcome:
    """A multi-member district's outcome with `chosen` (best first) elected, as `decision` says."""
    return DistrictOutcome(
        district.number,
        DistrictStatus.ELECTED,
        chosen[0] if chosen else None,
        standings,
        tally.against_all,
        decision,
        winners=chosen,
        seats=district.seats,
    )


def _tie_at_the_last_seats(
    district: District, standings: tuple[Standing, ...], tally: Tally, rules: DistrictTier, drawn: Drawing | None
) -> DistrictOutcome:
    """Candidates tied across the last seats of a multi-member district: those above the tie are elected; the
    tied seats go by a seeded drawing of lots, or the commission's recorded drawing, or stay open for it."""
    seats = district.seats
    last = standings[seats - 1].votes
    tied = tuple(s.candidate.name for s in standings if s.votes == last)
    sure = tuple(s.candidate for s in standings if s.votes > last)
    stake = seats - len(sure)
    if rules.tie is TieRule.LOT:
        seed = rules.tie_seed if rules.tie_seed is not None else secrets.randbits(32)
        lucky = set(random.Random(seed).sample(tied, stake))
        chosen = sure + tuple(s.candidate for s in standings if s.candidate.name in lucky)
        return replace(_seats_filled(district, standings, tally, chosen, Decision.LOT), tied=tied, lot_seed=seed)
    if drawn is not None and drawn.settles(tied, stake):
        chosen = sure + tuple(s.candidate for s in standings if s.candidate.name in drawn.winners)
        outcome = _seats_filled(district, standings, tally, chosen, Decision.DRAWN)
        return replace(outcome, tied=tied, seats_tied=stake)
    return DistrictOutcome(
        district.number,
        DistrictStatus.TIE_UNDECIDED,
        None,
        standings,
        tally.against_all,
        Decision.TIE_LAST_SEAT,
        tied,
        winners=sure,
        seats=seats,
        seats_tied=stake,
    )


def _plurality(
    district: District, standings: tuple[Standing, ...], tally: Tally, rules: DistrictTier, drawn: Drawing | None
) -> DistrictOutcome:
    """The most votes win, subject to the "against all" and tie rules."""
    if not standings:
        return DistrictOutcome(
            district.number, DistrictStatus.REPEAT_ELECTION, None, (), tally.against_all, Decision.NO_CANDIDATES
        )
    top = standings[0].votes
    leaders = [s for s in standings if s.votes == top]
    if tally.against_all > top and rules.against_all is AgainstAllRule.REPEAT_ELECTION:
        return DistrictOutcome(
            district.number,
            DistrictStatus.REPEAT_ELECTION,
            None,
            standings,
            tally.against_all,
            Decision.AGAINST_ALL_LED,
        )
    if len(leaders) == 1:
        winner = leaders[0].candidate
        return DistrictOutcome(
            district.number,
            DistrictStatus.ELECTED,
            winner,
            standings,
            tally.against_all,
            Decision.PLURALITY,
        )
    tied = tuple(s.candidate.name for s in leaders)
    if rules.tie is TieRule.LOT:
        seed = rules.tie_seed if rules.tie_seed is not None else secrets.randbits(32)
        lot = random.Random(seed).choice(leaders).candidate
        return DistrictOutcome(
            district.number, DistrictStatus.ELECTED, lot, standings, tally.against_all, Decision.LOT, tied, seed
        )
    if drawn is not None and drawn.settles(tied, 1):
        won = next(s.candidate for s in leaders if s.candidate.name in drawn.winners)
        return DistrictOutcome(
            district.number,
            DistrictStatus.ELECTED,
            won,
            standings,
            tally.against_all,
            Decision.DRAWN,
            tied,
            seats_tied=1,
        )
    return DistrictOutcome(
        district.number,
        DistrictStatus.TIE_UNDECIDED,
        None,
        standings,
        tally.against_all,
        Decision.TIE,
        tied,
        seats_tied=1,
    )
