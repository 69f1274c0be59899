"""Single-member districts: plurality of the votes cast, no run-off.

Kazakhstan (Constitutional Law "On Elections", Art. 97-1 as amended 2022): the candidate with the most votes
wins. When "against all" has more votes than every candidate the preset marks the district for a repeat
election (our sources do not settle it; `DistrictTier.against_all` is the switch). A tie between the leading
candidates is either left to the commission (`decide`) or drawn by seeded lot (`lot`), recorded either way.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from enum import StrEnum

from saylau.domain import Candidate, District, Tally
from saylau.rules import AgainstAllRule, DistrictTier, DistrictTieRule


class DistrictStatus(StrEnum):
    """How a district's seat stands after the count."""

    ELECTED = "elected"
    REPEAT_ELECTION = "repeat-election"
    """No one elected: "against all" led; a repeat election is required."""
    TIE_UNDECIDED = "tie-undecided"
    """Leading candidates tied and the rules leave the choice to the commission."""
    NOT_REPORTED = "not-reported"
    """No accepted protocol for this district yet: not yet reported, never vacant."""


class Decision(StrEnum):
    """Why a district stands as it does; `reports/` turns it and the outcome's figures into words.

    `PLURALITY`: the candidate with most votes won; `LOT`: a tie drawn by seeded lot (`tied`, `lot_seed`);
    `AGAINST_ALL_LED`: "against all" beat every candidate (`against_all` vs the best candidate's votes);
    `NO_CANDIDATES`: nobody stood; `TIE`: a tie left to the commission (`tied`); `NOT_REPORTED`: no count yet.
    """

    PLURALITY = "plurality"
    LOT = "lot"
    AGAINST_ALL_LED = "against-all-led"
    NO_CANDIDATES = "no-candidates"
    TIE = "tie"
    NOT_REPORTED = "not-reported"


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


def decide_district(district: District, tally: Tally | None, rules: DistrictTier) -> DistrictOutcome:
    """Decide one district by plurality, applying the configured "against all" and tie rules."""
    if tally is None:
        return DistrictOutcome(district.number, DistrictStatus.NOT_REPORTED, None, (), 0, Decision.NOT_REPORTED)
    order = {c.name: i for i, c in enumerate(district.candidates)}
    standings = tuple(
        sorted(
            (Standing(c, tally.votes.get(c.name, 0)) for c in district.candidates),
            key=lambda s: (-s.votes, order[s.candidate.name]),
        )
    )
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
    if rules.tie is DistrictTieRule.LOT:
        seed = rules.tie_seed if rules.tie_seed is not None else secrets.randbits(32)
        drawn = random.Random(seed).choice(leaders).candidate
        return DistrictOutcome(
            district.number, DistrictStatus.ELECTED, drawn, standings, tally.against_all, Decision.LOT, tied, seed
        )
    return DistrictOutcome(
        district.number, DistrictStatus.TIE_UNDECIDED, None, standings, tally.against_all, Decision.TIE, tied
    )
