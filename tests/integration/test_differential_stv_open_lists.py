"""saylau's single transferable vote and open lists against votelib 0.4.0 on seeded random elections.

votelib's `TransferableVoteDistributor` with the `Gregory` transferer is the weighted inclusive Gregory method,
exact (no truncation), Droop quota, one seat per candidate (`max_seats`): the same variant as saylau's
`weighted-inclusive-gregory` with `decimals = None`, except that votelib transfers the surpluses of candidates
elected at one count together, and saylau one by one, largest first (as the Scottish rules do): where two
surpluses wait at once, a candidate elected by the first is no longer continuing for the second, so the
counts may part; those elections are counted, not compared. Where saylau had to break a tie (an exclusion
among equal votes, or equal surpluses), votelib has no rule (it raises or picks by dictionary order): those
elections are counted, not compared. votelib 0.4.0 also raises "tie in STV elimination" when its pile of
exhausted votes equals a candidate's votes (it ranks the pile among the candidates) or "infinite loop in STV"
when a count moves nothing, and it stops short of the seats when no continuing candidate can reach the quota
(saylau elects the last continuing candidates, as the laws do): those elections are counted, and in the last
case votelib's elected are checked to be among saylau's.

votelib's `ThresholdOpenList` with `jump_fraction` and `accept_equal = True` is saylau's open list with the
threshold as a share of the list's votes (`base = "list"`), the rest in list order. Equal preference votes
among those over the threshold are ordered by list place in saylau and by dictionary order in votelib: the
generator gives distinct votes.
"""

from __future__ import annotations

import random
from fractions import Fraction

import votelib.evaluate.core
import votelib.evaluate.openlist
import votelib.evaluate.sequential

from saylau.composition.preferences import preferred_order
from saylau.composition.stv import RankedBallot, StageKind, STVCount, count_stv
from saylau.rules import OpenList, PreferenceBase, STVRules

ELECTIONS = 400


def test_stv_elects_the_same_candidates_as_votelib() -> None:
    rng = random.Random(20240527)
    compared = tied = refused = short = together = 0
    peer = votelib.evaluate.sequential.TransferableVoteDistributor(transferer="Gregory", quota_function="droop")
    for _ in range(ELECTIONS):
        candidates = "ABCDEFG"[: rng.randint(3, 7)]
        seats = rng.randint(1, len(candidates) - 1)
        ballots: dict[tuple[str, ...], int] = {}
        for _ in range(rng.randint(3, 30)):
            ranking = tuple(rng.sample(candidates, rng.randint(1, len(candidates))))
            ballots[ranking] = ballots.get(ranking, 0) + rng.randint(1, 500)
        count = count_stv(candidates, [RankedBallot(r, n) for r, n in ballots.items()], seats, STVRules(), seed=1)
        if any(s.tied for s in count.stages):
            tied += 1
            continue
        if _surpluses_waited(count):
            together += 1
            continue
        try:
            theirs = peer.evaluate(dict(ballots), seats, max_seats=dict.fromkeys(candidates, 1))
        except (NotImplementedError, votelib.evaluate.core.VotingSystemError):  # votelib's own limits (above)
            refused += 1
            continue
        elected = {c for c, n in theirs.items() if n}
        if len(elected) < seats:  # votelib 0.4.0 stops short when no candidate left can reach the quota
            assert elected < set(count.elected), (ballots, seats)
            short += 1
            continue
        assert set(count.elected) == elected, (ballots, seats)
        compared += 1
    print(f"compared {compared}, tie {tied}, surpluses together {together}, refused {refused}, short {short}")
    assert compared > ELECTIONS // 2 and tied + together + refused + short + compared == ELECTIONS


def _surpluses_waited(count: STVCount) -> bool:
    """Whether two surpluses were ever waiting at once (saylau transfers them one by one, votelib together)."""
    elected: list[str] = []
    done: set[str] = set()
    for stage in count.stages:
        if stage.kind is StageKind.SURPLUS and stage.candidate:
            done.add(stage.candidate)
        elected += stage.elected
        waiting = [c for c in elected if c not in done and stage.totals[c] > count.quota]
        if len(waiting) > 1:
            return True
    return False


def test_open_lists_take_the_same_candidates_as_votelib() -> None:
    rng = random.Random(7)
    for _ in range(ELECTIONS):
        names = tuple(f"c{i}" for i in range(rng.randint(2, 12)))
        votes = dict(zip(names, rng.sample(range(0, 5000), len(names)), strict=True))
        seats = rng.randint(1, len(names))
        share = Fraction(rng.randint(1, 20), 100)
        peer = votelib.evaluate.openlist.ThresholdOpenList(jump_fraction=share, accept_equal=True)
        theirs = peer.evaluate(votes, seats, list(names))
        ours = preferred_order(
            OpenList(base=PreferenceBase.LIST, share=share),
            names,
            votes,
            quota=Fraction(0),
            list_votes=sum(votes.values()),
        )
        assert list(ours.order[:seats]) == list(theirs), (votes, seats, share)
