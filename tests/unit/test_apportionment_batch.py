"""`allocate_batch` equals `allocate` row by row, including ties, caps and the overflow fallback."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import numpy as np
import pytest

from saylau.apportionment import Ballots, Contestant, Method, Threshold, TieRule, allocate, allocate_batch
from saylau.composition import compose
from saylau.composition.council import list_allocation, list_contestants, list_threshold
from saylau.domain import Tally
from saylau.errors import InputError, RuleError
from saylau.io import load_election
from tests.conftest import EXAMPLES

ALMATY = [151_531, 38_563, 38_369, 23_266, 15_273, 8_264]


def scalar(row: list[int], seats: int, method: Method, **kwargs: object) -> list[int]:
    caps = kwargs.pop("caps", None)
    contestants = [
        Contestant(f"#{i}", v, None if caps is None else int(caps[i]))  # type: ignore[index]
        for i, v in enumerate(row)
    ]
    return list(allocate(contestants, seats, method, **kwargs).seats.values())  # type: ignore[arg-type]


def test_almaty_row() -> None:
    """The Almaty 2023 list tier through the batch path: 12/3/3/2/1/0 (see test_apportionment)."""
    out = allocate_batch(
        np.array([ALMATY]), 21, Method.HARE, threshold=Threshold(Fraction(5)), against_all=[16_490], min_admitted=2
    )
    assert out.tolist() == [[12, 3, 3, 2, 1, 0]]


@pytest.mark.parametrize("method", list(Method))
@pytest.mark.parametrize("tie", [TieRule.REGISTRATION_ORDER, TieRule.MORE_VOTES, TieRule.DECIDE])
def test_small_vote_counts_with_many_ties(method: Method, tie: TieRule) -> None:
    """Tiny counts make exact ties of remainders and averages frequent: every row must match `allocate`."""
    rng = np.random.default_rng(7)
    votes = rng.integers(0, 6, size=(300, 4))
    votes[:, 0] += 1  # at least one vote per row
    out = allocate_batch(votes, 5, method, threshold=Threshold(Fraction(10)), min_admitted=2, tie=tie)
    for row, got in zip(votes.tolist(), out.tolist(), strict=True):
        expected = scalar(row, 5, method, threshold=Threshold(Fraction(10)), min_admitted=2, tie=tie)
        assert got == expected, (row, method, tie)


def test_lot_rows_replay_with_seed_plus_row() -> None:
    votes = np.array([[10, 10, 10], [30, 20, 10], [5, 5, 5]])
    out = allocate_batch(votes, 2, Method.HARE, tie=TieRule.LOT, seed=99)
    for row in range(3):
        expected = allocate(
            [Contestant(f"#{i}", int(v)) for i, v in enumerate(votes[row])], 2, tie=TieRule.LOT, seed=99 + row
        )
        assert out[row].tolist() == list(expected.seats.values())
    assert (allocate_batch(votes, 2, Method.HARE, tie=TieRule.LOT, seed=99) == out).all()


def test_decide_rows_leave_tied_seats_out() -> None:
    out = allocate_batch(np.array([[20, 10, 10], [30, 20, 10]]), 2, Method.HARE, tie=TieRule.DECIDE)
    assert out.tolist() == [[1, 0, 0], [1, 1, 0]]


@pytest.mark.parametrize("method", [Method.HARE, Method.IMPERIALI_QUOTA, Method.DHONDT, Method.ADAMS])
def test_caps_match_scalar(method: Method) -> None:
    rng = np.random.default_rng(3)
    votes = rng.integers(0, 1000, size=(200, 4))
    votes[:, 0] += 500
    caps = np.array([4, 3, 10, 2])
    out = allocate_batch(votes, 10, method, max_seats=caps)
    for row, got in zip(votes.tolist(), out.tolist(), strict=True):
        assert got == scalar(row, 10, method, caps=caps)


@pytest.mark.parametrize("method", [Method.HARE, Method.DHONDT])
def test_a_row_where_every_list_runs_out_of_names_leaves_seats_vacant_as_compose_does(method: Method) -> None:
    """Almaty 2023 with Amanat's 21 names and one name on every other list. Row 0, the real count: Amanat takes
    what the others cannot. Row 1, Amanat without votes: every admitted list has run out after its one seat,
    and the batch declares what `compose` declares on that count (one seat each, the rest vacant), where
    `allocate` alone refuses."""
    election = load_election(EXAMPLES / "almaty-2023")
    tier = election.system.list_tier
    assert tier is not None and election.results.list_tally is not None
    short = {
        n: replace(lst, candidates=lst.candidates[: 21 if n == "Amanat" else 1]) for n, lst in election.lists.items()
    }
    system = election.system.model_copy(update={"list_tier": tier.model_copy(update={"method": method})})
    election = replace(election, lists=short, system=system)
    real = election.results.list_tally
    tallies = [real, Tally({**real.votes, "Amanat": 0}, real.against_all, real.invalid)]
    names = [c.name for c in list_contestants(election, real)]
    caps = [c.max_seats for c in list_contestants(election, real)]
    out = allocate_batch(
        [[t.votes[n] for n in names] for t in tallies], 21, method, threshold=list_threshold(tier),
        against_all=[t.against_all for t in tallies], invalid=[t.invalid for t in tallies],
        min_admitted=tier.min_admitted, max_seats=caps,
    )  # fmt: skip
    for row, tally in zip(out.tolist(), tallies, strict=True):
        declared = compose(replace(election, results=replace(election.results, list_tally=tally)))
        assert row == [declared.party(n).list_seats for n in names]  # type: ignore[union-attr]
        assert 21 - sum(row) == declared.vacant_list_seats
    assert out[0].sum() == 21 and out[0, 0] > 10
    assert out[1].tolist() == [0, 1, 1, 1, 1, 1]  # Auyl passes 5% once Amanat's votes are gone: 16 seats vacant
    with pytest.raises(RuleError):
        list_allocation(election, tallies[1])


def test_huge_counts_take_the_exact_python_path() -> None:
    """v² overflows int64 for Huntington-Hill at 10^10 votes: the batch must still be exact."""
    votes = np.array([[10**10 + 1, 10**10, 3 * 10**9]])
    out = allocate_batch(votes, 7, Method.HUNTINGTON_HILL)
    assert out.tolist() == [scalar(votes[0].tolist(), 7, Method.HUNTINGTON_HILL)]


def test_ballots_bases_match_scalar() -> None:
    votes = np.array([[50, 6, 44], [10, 5, 85]])
    aa, inv = np.array([20, 0]), np.array([7, 900])
    for base in ("party", "valid", "cast"):
        threshold = Threshold(Fraction(5), base=base)  # type: ignore[arg-type]
        out = allocate_batch(votes, 10, Method.HARE, threshold=threshold, against_all=aa, invalid=inv)
        for e in range(2):
            expected = allocate(
                [Contestant(f"#{i}", int(v)) for i, v in enumerate(votes[e])],
                10,
                threshold=threshold,
                ballots=Ballots(int(aa[e]), int(inv[e])),
            )
            assert out[e].tolist() == list(expected.seats.values())


def test_bad_batches_are_input_errors() -> None:
    with pytest.raises(InputError, match="negative votes"):
        allocate_batch(np.array([[1, -1]]), 2)
    with pytest.raises(InputError, match="seats"):
        allocate_batch(np.array([[1, 1]]), 0)
    with pytest.raises(InputError, match="needs a seed"):
        allocate_batch(np.array([[1, 1]]), 1, tie=TieRule.LOT)
    with pytest.raises(InputError) as caught:
        allocate_batch(np.array([[5, 5], [0, 0]]), 2)
    assert caught.value.problems[0].row == 1


def test_seats_written_into_a_given_array() -> None:
    """`out` is written whole (stale seats, the rows the kernel leaves to `allocate` included) and returned."""
    rng = np.random.default_rng(11)
    votes = rng.integers(0, 1000, size=(50, 4))
    votes[:, 0] += 1
    votes[7] = [10**10 + 1, 10**10, 3 * 10**9, 5]  # beyond the kernel's products: `allocate` writes this row
    buffer = np.full(votes.shape, 99, np.int64)
    got = allocate_batch(votes, 7, Method.HUNTINGTON_HILL, out=buffer)
    assert got is buffer
    assert got.tolist() == [scalar(row, 7, Method.HUNTINGTON_HILL) for row in votes.tolist()]
    for wrong in (np.zeros((50, 3), np.int64), np.zeros((50, 4), np.int32), np.zeros((4, 50), np.int64).T):
        with pytest.raises(InputError, match="out must be"):
            allocate_batch(votes, 7, out=wrong)
