"""Properties every allocation must have, fuzzed with hypothesis (kept small so the suite stays fast)."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.apportionment import (
    Ballots,
    Contestant,
    Method,
    Threshold,
    TieRule,
    allocate,
)
from saylau.errors import InputError

FAST = settings(max_examples=80, deadline=None)
DIVISOR_METHODS = [m for m in Method if not m.is_quota]
votes_lists = st.lists(st.integers(0, 2000), min_size=2, max_size=7).filter(lambda v: sum(v) > 0)


def named(votes: list[int]) -> list[Contestant]:
    return [Contestant(f"P{i}", v) for i, v in enumerate(votes)]


@FAST
@given(votes_lists, st.integers(1, 40), st.sampled_from(list(Method)))
def test_seats_add_up(votes: list[int], seats: int, method: Method) -> None:
    a = allocate(named(votes), seats, method)
    assert sum(a.seats.values()) == seats
    assert set(a.seats) == {f"P{i}" for i in range(len(votes))}
    assert all(n >= 0 for n in a.seats.values())


@FAST
@given(votes_lists, st.integers(1, 40), st.sampled_from(list(Method)), st.randoms(use_true_random=False))
def test_anonymity(votes: list[int], seats: int, method: Method, shuffler: object) -> None:
    """Renaming and reordering the lists changes nothing when no tie has to be broken."""
    a = allocate(named(votes), seats, method, tie=TieRule.MORE_VOTES)
    if a.ties:
        return
    order = list(range(len(votes)))
    shuffler.shuffle(order)  # type: ignore[attr-defined]
    renamed = [Contestant(f"Q{i}", votes[i]) for i in order]
    b = allocate(renamed, seats, method, tie=TieRule.MORE_VOTES)
    assert all(b.seats[f"Q{i}"] == a.seats[f"P{i}"] for i in range(len(votes)))


@FAST
@given(votes_lists, st.integers(1, 40), st.sampled_from(DIVISOR_METHODS))
def test_house_monotonicity_of_divisor_methods(votes: list[int], seats: int, method: Method) -> None:
    """One more seat never takes a seat from anybody (divisor methods; Alabama paradox-free)."""
    before = allocate(named(votes), seats, method)
    after = allocate(named(votes), seats + 1, method)
    assert all(after.seats[name] >= n for name, n in before.seats.items())


@FAST
@given(votes_lists, st.integers(1, 40))
def test_hare_stays_within_quota(votes: list[int], seats: int) -> None:
    """Largest remainders with the Hare quota: each list gets floor or ceil of its exact share v·S/V."""
    a = allocate(named(votes), seats, Method.HARE)
    total = sum(votes)
    for i, v in enumerate(votes):
        share = Fraction(v * seats, total)
        assert share.__floor__() <= a.seats[f"P{i}"] <= share.__ceil__()


@FAST
@given(votes_lists, st.integers(1, 40), st.sampled_from(list(Method)), st.integers(1, 20), st.integers(0, 500))
def test_below_threshold_gets_nothing(votes: list[int], seats: int, method: Method, pct: int, against: int) -> None:
    threshold = Threshold(Fraction(pct))
    try:
        a = allocate(named(votes), seats, method, threshold=threshold, ballots=Ballots(against))
    except InputError:  # nobody passes: covered by unit tests
        return
    for line in a.threshold.lines:
        assert line.passed == (line.votes * 100 >= pct * (sum(votes) + against))
        if not line.passed:
            assert a.seats[line.name] == 0
