"""Every speed path equals the one definition of the rule it speeds up (issue 25), on generated inputs over the
whole space it accepts: the seats, the trace and the ties.

- `fast.common.common_case` (`allocate`'s usual case) against `allocation.procedure`;
- `fast.common.plain_quota` (the procedure's shortcut) against `largest_remainder.share_by_quota`;
- `fast.divisor.at_once` (the highest averages at once) against `highest_averages.assign_by_divisor`;
- `fast.batch.allocate_batch` (the numba kernel) against `allocate`, row by row, with every threshold, base,
  ballot, cap, minimum and tie rule it takes; and its divisor and comparison against `methods`.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.golden.allocation_snapshot import snapshot

from saylau.apportionment import (
    DIVISORS,
    Ballots,
    Contestant,
    Method,
    Threshold,
    ThresholdBase,
    TieRule,
    allocate,
    allocate_batch,
)
from saylau.apportionment.allocation import procedure
from saylau.apportionment.contestants import Entrants
from saylau.apportionment.fast.batch import _compare, _priority
from saylau.apportionment.fast.common import plain_quota
from saylau.apportionment.largest_remainder import share_by_quota
from saylau.apportionment.methods import compare_averages
from saylau.apportionment.threshold import apply_threshold
from saylau.apportionment.ties import TieBreaker
from saylau.composition.exhaustion import ListContest, share_with_exhaustion
from saylau.domain import Tally
from saylau.errors import RuleError, SaylauError
from saylau.rules import ListTier

QUOTA_METHODS = [m for m in Method if m.is_quota]
DIVISOR_METHODS = [m for m in Method if not m.is_quota]


def named(votes: list[int]) -> list[Contestant]:
    return [Contestant(f"P{i}", v) for i, v in enumerate(votes)]


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

    import saylau.apportionment.fast.divisor as at_once
    from saylau.reports.allocation import explain_allocation

    contestants = [Contestant(f"L{i}", v, caps[i]) for i, v in enumerate(votes)]

    def run() -> str:
        try:
            a = allocate(contestants, seats, method, tie=tie, seed=7)
        except SaylauError as error:
            return f"{type(error).__name__}: {error}"
        return repr(a) + "\n".join(explain_allocation(a))

    fast = run()
    with mock.patch.object(at_once, "_guess", lambda *args: None):
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
    (`procedure`): wherever it decides, the seats, the trace and the explanation are the full procedure's.
    Small counts make ties common; `at` puts the threshold exactly on a list's votes (its share of the base,
    or its count), or with `above` just over them, where an off-by-one in the vote cut would show; `scale`
    takes the counts up to int64's range."""
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
    full = outcome(procedure, threshold=threshold, min_admitted=minimum, ballots=Ballots(*ballots), tie=tie, seed=11)
    assert common == full


def _threshold(percent: Fraction | None, votes: int | None, base: ThresholdBase) -> Threshold | None:
    return None if percent is None and votes is None else Threshold(percent, votes, base)


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(st.lists(st.integers(0, 40), min_size=5, max_size=5), min_size=1, max_size=12),
    seats=st.integers(1, 14),
    method=st.sampled_from(list(Method)),
    percent=st.one_of(st.none(), st.fractions(0, 40, max_denominator=9)),
    vote_min=st.one_of(st.none(), st.integers(0, 25)),
    base=st.sampled_from(list(ThresholdBase)),
    ballots=st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), min_size=12, max_size=12),
    minimum=st.integers(0, 4),
    tie=st.sampled_from(list(TieRule)),
    caps=st.one_of(st.none(), st.lists(st.one_of(st.just(-1), st.integers(0, 5)), min_size=5, max_size=5)),
)
def test_the_batch_kernel_gives_allocates_seats_over_everything_it_takes(
    rows: list[list[int]],
    seats: int,
    method: Method,
    percent: Fraction | None,
    vote_min: int | None,
    base: ThresholdBase,
    ballots: list[tuple[int, int]],
    minimum: int,
    tie: TieRule,
    caps: list[int] | None,
) -> None:
    """Row by row, the batch gives `allocate`'s seats (a tie left to the commission leaves the row short, as
    `Allocation.seats` is); where every admitted list runs out of names, what the council's tier declares
    (`composition.exhaustion`: the seats vacant); and it raises exactly when some row cannot be allocated."""
    threshold = _threshold(percent, vote_min, base)
    against = [b[0] for b in ballots[: len(rows)]]
    invalid = [b[1] for b in ballots[: len(rows)]]
    cap_of = None if caps is None else [c if c >= 0 else 10**6 for c in caps]  # -1: a list longer than any count
    try:
        out = allocate_batch(
            np.array(rows), seats, method, threshold=threshold, against_all=against, invalid=invalid,
            min_admitted=minimum, tie=tie, seed=3, max_seats=cap_of,
        )  # fmt: skip
    except SaylauError:
        out = None
    expected = []
    for e, row in enumerate(rows):
        contestants = [Contestant(f"#{i}", v, None if cap_of is None else cap_of[i]) for i, v in enumerate(row)]
        ballots = Ballots(against[e], invalid[e])
        try:
            a = allocate(
                contestants, seats, method, threshold=threshold, ballots=ballots, min_admitted=minimum, tie=tie,
                seed=3 + e,
            )  # fmt: skip
        except RuleError:  # the caps leave seats unfillable: `compose` shares them as the exhausted lists' tier
            expected.append(_as_the_tier_shares(contestants, seats, method, threshold, ballots, minimum))
            continue
        except SaylauError:
            assert out is None
            return
        expected.append(list(a.seats.values()))
    assert out is not None
    assert out.tolist() == expected


def _as_the_tier_shares(
    contestants: list[Contestant],
    seats: int,
    method: Method,
    threshold: Threshold | None,
    ballots: Ballots,
    minimum: int,
) -> list[int]:
    """The seats `composition.exhaustion.share_with_exhaustion` gives the admitted lists, each held to its names
    (as `compose` shares one constituency's list seats when the caps leave seats unfillable)."""
    names = [c.name for c in contestants]
    report = apply_threshold(
        names, [c.votes for c in contestants], threshold, against_all=ballots.against_all, invalid=ballots.invalid,
        min_admitted=minimum,
    )  # fmt: skip
    lines = zip(contestants, report.lines, strict=True)
    admitted = [Contestant(c.name, c.votes) for c, line in lines if line.admitted and c.votes > 0]
    tally = Tally({c.name: c.votes for c in contestants}, ballots.against_all, ballots.invalid)
    contest = ListContest(admitted, seats, {c.name: c.max_seats for c in contestants}, tally, [], names)
    shared = share_with_exhaustion(ListTier(seats=seats, method=method), contest)
    assert shared.vacant == seats - sum(shared.allocation.seats.values())
    return [shared.allocation.seats[n] for n in names]


@settings(max_examples=300, deadline=None)
@given(v=st.integers(0, 10**9), s=st.integers(0, 500), method=st.sampled_from(DIVISOR_METHODS))
def test_the_kernels_divisors_are_the_methods(v: int, s: int, method: Method) -> None:
    """The kernel's own copy of each divisor (a compiled function takes no registry) is `methods.DIVISORS`."""
    from saylau.apportionment.fast.batch import _DIVISOR_CODE

    assert _priority.py_func(_DIVISOR_CODE[method], v, s) == DIVISORS[method](v, s)


@settings(max_examples=300, deadline=None)
@given(st.tuples(st.integers(0, 10**6), st.integers(0, 50), st.integers(0, 10**6), st.integers(0, 50)))
def test_the_kernels_comparison_is_the_methods(pair: tuple[int, int, int, int]) -> None:
    assert _compare.py_func(*pair) == compare_averages(*pair)


@settings(max_examples=300, deadline=None)
@given(
    votes=st.lists(st.integers(0, 30), min_size=1, max_size=7),
    seats=st.integers(1, 20),
    method=st.sampled_from(QUOTA_METHODS),
    tie=st.sampled_from(list(TieRule)),
)
def test_the_procedures_quota_shortcut_gives_the_sharing_stages_seats(
    votes: list[int], seats: int, method: Method, tie: TieRule
) -> None:
    """Wherever the shortcut decides (no tie at the last seat, no second round, no cap), the sharing stage
    decides the same seats and breaks no tie."""
    admitted = [i for i, v in enumerate(votes) if v > 0]
    if not admitted:
        return
    caps: list[int | None] = [None] * len(votes)
    shortcut = plain_quota(votes, caps, admitted, seats, method)
    if shortcut is None:
        return
    breaker = TieBreaker(tie, 5)
    shared, _ = share_by_quota(
        Entrants([f"P{i}" for i in range(len(votes))], votes, caps), admitted, seats, method, breaker
    )
    assert shared == shortcut
    assert breaker.decisions == [] and breaker.undecided is None
