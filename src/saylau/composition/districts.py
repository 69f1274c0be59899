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
    NOT_COUNTED = "not-counted"
    """No result for this district yet."""


@dataclass(frozen=True, slots=True)
class Standing:
    """One line of a district's result, in descending order of votes."""

    candidate: Candidate
    votes: int


@dataclass(frozen=True, slots=True)
class DistrictOutcome:
    """The decision for one district, with the reason a report prints beside it."""

    number: int
    status: DistrictStatus
    winner: Candidate | None
    standings: tuple[Standing, ...]
    against_all: int
    reason: str
    tied: tuple[str, ...] = ()
    lot_seed: int | None = None

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
        return DistrictOutcome(district.number, DistrictStatus.NOT_COUNTED, None, (), 0, "no result yet")
    order = {c.name: i for i, c in enumerate(district.candidates)}
    standings = tuple(
        sorted(
            (Standing(c, tally.votes.get(c.name, 0)) for c in district.candidates),
            key=lambda s: (-s.votes, order[s.candidate.name]),
        )
    )
    if not standings:
        return DistrictOutcome(
            district.number, DistrictStatus.REPEAT_ELECTION, None, (), tally.against_all, "no candidates"
        )
    top = standings[0].votes
    leaders = [s for s in standings if s.votes == top]
    if tally.against_all > top and rules.against_all is AgainstAllRule.REPEAT_ELECTION:
        reason = f'"against all" ({tally.against_all:,}) led every candidate (best {top:,}): repeat election'
        return DistrictOutcome(
            district.number, DistrictStatus.REPEAT_ELECTION, None, standings, tally.against_all, reason
        )
    if len(leaders) == 1:
        winner = leaders[0].candidate
        return DistrictOutcome(
            district.number,
            DistrictStatus.ELECTED,
            winner,
            standings,
            tally.against_all,
            "plurality",
        )
    tied = tuple(s.candidate.name for s in leaders)
    if rules.tie is DistrictTieRule.LOT:
        seed = rules.tie_seed if rules.tie_seed is not None else secrets.randbits(32)
        drawn = random.Random(seed).choice(leaders).candidate
        reason = f"tie at {top:,} votes between {', '.join(tied)}; drawn by lot (seed {seed})"
        return DistrictOutcome(
            district.number, DistrictStatus.ELECTED, drawn, standings, tally.against_all, reason, tied, seed
        )
    reason = f"tie at {top:,} votes between {', '.join(tied)}: the commission must decide"
    return DistrictOutcome(
        district.number, DistrictStatus.TIE_UNDECIDED, None, standings, tally.against_all, reason, tied
    )
