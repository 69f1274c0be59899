"""Properties every allocation must have, fuzzed with hypothesis (kept small so the suite stays fast)."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.apportionment import (
    Ballots,
    Contestant,
    Method,
    Threshold,
    ThresholdBase,
    TieRule,
    allocate,
    allocate_batch,
)
from saylau.errors import InputError, SaylauError

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


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 60), min_size=4, max_size=4), min_size=1, max_size=30),
    st.integers(1, 12),
    st.sampled_from(list(Method)),
    st.sampled_from([TieRule.REGISTRATION_ORDER, TieRule.MORE_VOTES, TieRule.DECIDE, TieRule.LOT]),
    st.integers(0, 3),
)
def test_batch_equals_scalar(rows: list[list[int]], seats: int, method: Method, tie: TieRule, minimum: int) -> None:
    rows = [r for r in rows if sum(r) > 0]
    if not rows:
        return
    threshold = Threshold(Fraction(15))
    against = [r[0] % 7 for r in rows]
    try:
        out = allocate_batch(
            np.array(rows), seats, method, threshold=threshold, against_all=against, min_admitted=minimum, tie=tie,
            seed=5,
        )  # fmt: skip
    except SaylauError:
        out = None
    expected: list[list[int]] = []
    for e, row in enumerate(rows):
        try:
            a = allocate(
                named(row), seats, method, threshold=threshold, ballots=Ballots(against[e]), min_admitted=minimum,
                tie=tie, seed=5 + e,
            )  # fmt: skip
        except SaylauError:
            assert out is None  # the batch raises exactly when some row cannot be allocated
            return
        expected.append(list(a.seats.values()))
    assert out is not None
    assert out.tolist() == expected


@settings(max_examples=300, deadline=None)
@given(
    votes=st.lists(st.integers(0, 12), min_size=1, max_size=7),
    seats=st.integers(1, 15),
    method=st.sampled_from([m for m in Method if not m.is_quota]),
    caps=st.lists(st.one_of(st.none(), st.integers(0, 4)), min_size=7, max_size=7),
    tie=st.sampled_from(list(TieRule)),
)
def test_divisor_shortcut_equals_seat_by_seat(
    votes: list[int], seats: int, method: Method, caps: list[int | None], tie: TieRule
) -> None:
    """Giving the seats to the highest averages at once (with small votes, so ties abound) decides and
    records exactly what handing them out one by one does: seats, order, lines, caps, ties."""
    from unittest import mock

    import saylau.apportionment.highest_averages as averages
    from saylau.reports.allocation import explain_allocation

    contestants = [Contestant(f"L{i}", v, caps[i]) for i, v in enumerate(votes)]

    def run() -> str:
        try:
            a = allocate(contestants, seats, method, tie=tie, seed=7)
        except SaylauError as error:
            return f"{type(error).__name__}: {error}"
        return repr(a) + "\n".join(explain_allocation(a))

    fast = run()
    with mock.patch.object(averages, "_guess", lambda *args: None):
        assert run() == fast


@settings(max_examples=300, deadline=None)
@given(
    votes=st.lists(st.integers(0, 40), min_size=1, max_size=7),
    scale=st.sampled_from([1, 1, 1, 10**6, 2**56]),
    seats=st.integers(1, 15),
    method=st.sampled_from([m for m in Method if m.is_quota]),
    percent=st.one_of(st.none(), st.fractions(0, 30, max_denominator=7)),
    vote_min=st.one_of(st.none(), st.integers(0, 30)),
    at=st.one_of(st.none(), st.integers(0, 6)),
    above=st.booleans(),
    base=st.sampled_from(list(ThresholdBase)),
    ballots=st.tuples(st.integers(0, 50), st.integers(0, 50)),
    minimum=st.sampled_from([0, 0, 1, 2, 3]),
    tie=st.sampled_from(list(TieRule)),
    cap=st.sampled_from([None, None, None, 0, 2]),
)
def test_common_path_decides_and_records_what_the_full_procedure_does(
    votes: list[int],
    scale: int,
    seats: int,
    method: Method,
    percent: Fraction | None,
    vote_min: int | None,
    at: int | None,
    above: bool,
    base: ThresholdBase,
    ballots: tuple[int, int],
    minimum: int,
    tie: TieRule,
    cap: int | None,
) -> None:
    """`allocate` decides the usual quota case in one integer pass and leaves the rest to the full procedure
    (`_allocate`): wherever it decides, the seats, the trace and the explanation are the full procedure's.
    Small counts make ties common; `at` puts the threshold exactly on a list's votes (its share of the base,
    or its count), or with `above` just over them, where an off-by-one in the vote cut would show; `scale`
    takes the counts up to int64's range."""
    from tests.golden.allocation_snapshot import snapshot

    from saylau.apportionment.allocation import _allocate

    counts = [v * scale for v in votes]
    if at is not None:
        edge = counts[at % len(counts)]
        shared = (
            sum(counts) + ballots[0] * (base is not ThresholdBase.PARTY) + ballots[1] * (base is ThresholdBase.CAST)
        )
        if percent is not None and shared:
            percent = min(Fraction(100 * edge, shared) + Fraction(above, 10**6), Fraction(100))
        vote_min = None if vote_min is None else edge + above
    threshold = None if percent is None and vote_min is None else Threshold(percent, vote_min, base)
    contestants = [Contestant(f"L{i}", v, cap if i == 0 else None) for i, v in enumerate(counts)]

    def outcome(procedure: Callable[..., object], *args: object, **kwargs: object) -> str:
        try:
            return snapshot(procedure(contestants, seats, method, *args, **kwargs))
        except SaylauError as error:
            return f"{type(error).__name__}: {error}"

    common = outcome(allocate, threshold=threshold, min_admitted=minimum, ballots=Ballots(*ballots), tie=tie, seed=11)
    assert common == outcome(_allocate, threshold, minimum, *ballots, tie, 11, ())
