"""The single transferable vote on random ballots (hypothesis): at every count every ballot's weight is
somewhere (a candidate's votes, non-transferable, or lost to the law's truncation) and adds up to the valid
poll; the elected never exceed the seats; a candidate is elected at most once and never after exclusion."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.composition.stv import RankedBallot, count_stv
from saylau.rules import STVQuota, STVRules, SurplusTransfer

NAMES = "ABCDEFG"


@st.composite
def elections(draw: st.DrawFn) -> tuple[str, list[RankedBallot], int]:
    candidates = NAMES[: draw(st.integers(2, 7))]
    seats = draw(st.integers(1, max(1, len(candidates) - 1)))
    ballots = []
    for _ in range(draw(st.integers(1, 25))):
        ranking = draw(st.permutations(candidates))[: draw(st.integers(1, len(candidates)))]
        ballots.append(RankedBallot(tuple(ranking), draw(st.integers(1, 300))))
    return candidates, ballots, seats


@settings(max_examples=300, deadline=None)
@given(
    elections(),
    st.sampled_from(list(SurplusTransfer)),
    st.sampled_from(list(STVQuota)),
    st.sampled_from([None, 5, 2]),
    st.integers(0, 3),
    st.booleans(),
)
def test_every_ballots_weight_is_conserved_and_the_elected_never_exceed_the_seats(
    case: tuple[str, list[RankedBallot], int],
    surplus: SurplusTransfer,
    quota: STVQuota,
    decimals: int | None,
    seed: int,
    defer: bool,
) -> None:
    candidates, ballots, seats = case
    rules = STVRules(quota=quota, surplus=surplus, decimals=decimals, defer_surplus=defer)
    count = count_stv(candidates, ballots, seats, rules, seed=seed)
    assert count.valid == sum(b.count for b in ballots)
    gone = Fraction(0)
    excluded: set[str] = set()
    elected: list[str] = []
    for stage in count.stages:
        gone += stage.non_transferable + stage.lost
        assert stage.non_transferable >= 0 and stage.lost >= 0
        assert sum(stage.totals.values()) + gone == count.valid
        assert all(v >= 0 for v in stage.totals.values())
        excluded |= set(stage.excluded)
        assert not set(stage.elected) & excluded
        elected += stage.elected
    assert elected == list(count.elected)
    assert len(count.elected) == len(set(count.elected)) == seats  # a seeded lot breaks every tie: the count ends
