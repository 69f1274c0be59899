"""A recorded drawing of lots completes any allocation a `decide` tie stopped, exactly as the lot fell.

Votes are drawn from a few small values so that ties are common; the "commission" picks any `seats` of the
tied names. Properties: every seat is then given; the winners drawn are exactly those who gained over the
undecided allocation; the same outcome recorded under the registration-order rule changes nothing.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.apportionment import Contestant, Drawing, Method, TieRule, allocate

FAST = settings(max_examples=120, deadline=None)
tied_votes = st.lists(st.sampled_from([0, 30, 60, 90, 120]), min_size=2, max_size=6).filter(lambda v: sum(v) > 0)


def named(votes: list[int]) -> list[Contestant]:
    return [Contestant(f"P{i}", v) for i, v in enumerate(votes)]


@FAST
@given(tied_votes, st.integers(1, 12), st.sampled_from(list(Method)), st.randoms(use_true_random=False))
def test_a_recorded_drawing_gives_exactly_the_seats_the_lot_gave(
    votes: list[int], seats: int, method: Method, lot: object
) -> None:
    open_ = allocate(named(votes), seats, method, tie=TieRule.DECIDE)
    if open_.undecided is None:
        return
    names, at_stake = open_.undecided.names, open_.undecided.seats
    winners = tuple(lot.sample(list(names), at_stake))  # type: ignore[attr-defined]
    drawn = (Drawing(frozenset(names), at_stake, winners),)
    settled = allocate(named(votes), seats, method, tie=TieRule.DECIDE, drawn=drawn)
    if settled.undecided is not None:  # the drawing settled this tie and the count met a later one
        assert settled.undecided.names != names or settled.seats_decided > open_.seats_decided
        return
    assert sum(settled.seats.values()) == seats
    decided = [t for t in settled.ties if t.drawn]
    assert [t.winners for t in decided] == [tuple(n for n in names if n in winners)]
    gained = {n for n in settled.seats if settled.seats[n] > open_.seats[n]}
    if open_.undecided is not None and all(t.stage != "excess" for t in settled.ties):
        assert gained == set(winners)
    ordered = allocate(named(votes), seats, method, tie=TieRule.REGISTRATION_ORDER, drawn=drawn)
    assert dict(ordered.seats) == dict(allocate(named(votes), seats, method).seats)
