"""`allocate_batch`: the same allocation for many elections at once (simulations, what-ifs), row by row exact.

A compiled (numba) loop over the rows does what `allocate` does with int64 arithmetic only: a threshold is
checked as votes x 100 x q >= p x base for a percent p/q; quotas V/k are handled as votes x k (remainders
compared over the common denominator V); divisor averages v/d are compared by cross-multiplication. Before
looping we work out the largest count for which no product can pass 2**62; a row with a larger (or negative)
count goes through the exact Python path instead (slow, never wrong). Floor division, the slowest step, is
guessed in floating point and then corrected with the exact integer remainder (0 <= remainder < divisor), so
every seat decision is still exact integer arithmetic. A caller that allocates batch after batch may give
the same `out` array each time: a fresh one of a million rows costs its memory pages, about a sixth of the
allocation itself.

The loop settles what it can settle alone: registration-order and more-votes ties, caps under divisor
methods. A row it cannot settle alone is flagged and recomputed with `allocate`, so every row equals
`allocate(...).seats` of that row:
- `TieRule.LOT`: a row with a tie is decided as `allocate(..., tie=LOT, seed=seed + row)`; `seed` is
  required, so the whole batch can be replayed.
- `TieRule.DECIDE`: a row with a tie leaves the tied seats out, exactly as `Allocation.seats` does, so that
  row sums to fewer than `seats` (callers can count them with `seats - out.sum(axis=1)`).
- a cap exceeded under a quota method (the seats are shared again without the capped list);
- every admitted list capped below the seats (every list has run out of names): each keeps the seats its
  names fill and the rest stay vacant, so that row sums to fewer than `seats`, as `composition.compose`
  declares the council (`composition.exhaustion`: the count is never refused); `allocate` alone raises;
- a row that cannot be allocated (nobody admitted) raises the scalar path's error, with the row number.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any, NamedTuple

import numba
import numpy as np
import numpy.typing as npt

from saylau.apportionment.allocation import NEGATIVE_MIN, SEATS_OUT_OF_RANGE, allocate
from saylau.apportionment.contestants import Ballots, Contestant
from saylau.apportionment.methods import Method
from saylau.apportionment.threshold import Threshold, ThresholdBase, admit
from saylau.apportionment.ties import TieRule
from saylau.errors import Count, InputError, Phrase, Problem, RuleError, SaylauError, phrase_of, worded
from saylau.limits import MAX_SEATS

Int64Array = npt.NDArray[np.int64]

_LIMIT = 2**62

# Codes shared with the compiled loop.
_QUOTA_CODE = {Method.HARE: 0, Method.HAGENBACH_BISCHOFF: 1, Method.IMPERIALI_QUOTA: 2, Method.DROOP: 3}
_DIVISOR_CODE = {
    Method.DHONDT: 10,
    Method.SAINTE_LAGUE: 11,
    Method.MODIFIED_SAINTE_LAGUE: 12,
    Method.DANISH: 13,
    Method.IMPERIALI: 14,
    Method.ADAMS: 15,
    Method.HUNTINGTON_HILL: 16,
}
_BASE_CODE = {ThresholdBase.VALID: 0, ThresholdBase.PARTY: 1, ThresholdBase.CAST: 2}
# What the batch refuses, as catalogue msgids (said in kk and ru by `saylau.reports.problems`).
NOT_A_TABLE = "votes must be an (elections x contestants) array, got shape {shape}"
NEEDS_SEED = "a batch with tie rule 'lot' needs a seed, so that it can be replayed"
NEGATIVE_CAPS = "a seat cap is negative"
THRESHOLD_TOO_FINE = "threshold {threshold} has terms beyond 2**62: use allocate"
OUT_NOT_WRITABLE = "out must be a writeable C-contiguous int64 array of shape {shape}, got {got}"
NOT_RECTANGULAR = "{name} must be a rectangular array of whole numbers"
BEYOND_INT64 = "{name} must be whole numbers that fit in int64"
NOT_WHOLE = "{name} must be whole numbers, not {dtype}"
COUNT_BEYOND_INT64 = "{name} has a count beyond int64 ({count})"
NOT_PER_ROW = "{name} must hold one non-negative count per election ({rows} in all)"
AT_ROW = "election {row}: {error}"

_FLAG_FAIL = 4  # 1: a tie for LOT/DECIDE, 2: a quota method went over a cap, 4: cannot be done here


@numba.njit(cache=True)
def _priority(code: int, v: int, s: int) -> tuple[int, int]:  # pragma: no cover - compiled
    """(num, den) of the next average; den == 0 is infinite: `methods.DIVISORS` by code (a property test holds
    the batch equal to `allocate`, and so this to them)."""
    if code == 10:
        return v, s + 1
    if code == 11:
        return v, 2 * s + 1
    if code == 12:
        if s == 0:
            return 5 * v, 7
        return v, 2 * s + 1
    if code == 13:
        return v, 3 * s + 1
    if code == 14:
        return v, s + 2
    if code == 15:
        return v, s
    return v * v, s * (s + 1)


@numba.njit(cache=True)
def _compare(n1: int, d1: int, n2: int, d2: int) -> int:  # pragma: no cover - compiled
    """+1, 0, -1 as n1/d1 is above, equal to, below n2/d2 (den 0: infinite, ordered by num)."""
    if d1 == 0 or d2 == 0:
        if d1 != d2:
            return 1 if d1 == 0 else -1
        a, b = n1, n2
    else:
        a, b = n1 * d2, n2 * d1
    if a > b:
        return 1
    if a < b:
        return -1
    return 0


class _Terms(NamedTuple):
    """The batch's terms, the same for every row: what the kernel reads besides the per-row arrays."""

    seats: int
    code: int  # _QUOTA_CODE or _DIVISOR_CODE
    pnum: int  # the threshold percent p/q
    pden: int
    vote_min: int
    base_kind: int  # _BASE_CODE
    min_admitted: int
    more_votes: bool  # TieRule.MORE_VOTES
    flag_ties: bool  # TieRule.LOT or DECIDE: a row with a tie is flagged
    has_caps: bool
    max_votes: int  # the largest count for which no product passes 2**62 (`_max_votes`)


@numba.njit(cache=True)
def _rows(
    votes: Any, against_all: Any, invalid: Any, caps: Any, out: Any, flags: Any, terms: _Terms, lo: int, hi: int
) -> None:  # pragma: no cover - compiled
    """Rows lo..hi-1 of the batch; `flags[e]` says which rows must go through `allocate` instead."""
    seats, code, pnum, pden, vote_min, base_kind, min_admitted, more_votes, flag_ties, has_caps, max_votes = terms
    n = votes.shape[1]
    admitted = np.zeros(n, np.bool_)
    rem = np.zeros(n, np.int64)
    chosen = np.zeros(n, np.bool_)
    for e in range(lo, hi):
        v = votes[e]
        res = out[e]
        total = 0
        unsafe = False
        for i in range(n):
            total += v[i]
            unsafe |= v[i] < 0 or v[i] > max_votes
        if unsafe:  # negative, or so large that a product could overflow: the exact Python path decides
            flags[e] = 4
            continue
        base = total
        if base_kind != 1:
            base += against_all[e]
        if base_kind == 2:
            base += invalid[e]
        floor = pnum * base
        scale = 100 * pden
        # One pass: who passes (`count`, for the minimum) and who takes part (passes, with votes: `admitted`).
        count = 0
        active = 0
        big = 0
        for i in range(n):
            res[i] = 0
            passes = v[i] * scale >= floor and v[i] >= vote_min
            count += passes
            admitted[i] = passes and v[i] > 0
            if admitted[i]:
                active += 1
                big += v[i]
        if count < min_admitted:
            while count < min_admitted:
                best = -1
                for i in range(n):
                    if not admitted[i] and v[i] > 0 and (best < 0 or v[i] > v[best]):
                        best = i
                if best < 0:
                    break
                admitted[best] = True
                count += 1
            active = 0
            big = 0
            for i in range(n):
                if admitted[i]:
                    active += 1
                    big += v[i]
        if active == 0:
            flags[e] = 4
            continue
        if code < 10:
            # Largest remainders. Quota V/k: floor = v k // V, remainder v k - floor V (over V).
            # Integer division is the slowest instruction here: a float quotient is only a first guess, and the
            # exact integer remainder corrects it, so floor and remainder are exact (0 <= rem < divisor).
            # A list that takes no part, or has won its remainder seat, has remainder -1 below.
            given = 0
            k, div = seats + code, big
            if code == 3:
                k, div = 1, big // (seats + 1) + 1
            inverse = 1.0 / div
            for i in range(n):
                if admitted[i]:
                    num = v[i] * k
                    f = int(num * inverse)
                    r = num - f * div
                    while r < 0:
                        f -= 1
                        r += div
                    while r >= div:
                        f += 1
                        r -= div
                    res[i] = f
                    rem[i] = r
                    given += f
                else:
                    rem[i] = -1
            left = seats - given
            if left >= active:
                rounds = left // active
                for i in range(n):
                    if admitted[i]:
                        res[i] += rounds
                left -= rounds * active
            edge = -1
            for _ in range(left):  # left < active: an admitted list with remainder >= 0 is always there
                best = 0
                for i in range(1, n):
                    if rem[i] > rem[best] or (more_votes and rem[i] == rem[best] and v[i] > v[best]):
                        best = i
                res[best] += 1
                edge = rem[best]
                rem[best] = -1
            if flag_ties and left > 0:
                for i in range(n):
                    if rem[i] == edge:  # admitted, no seat by remainder, tied with the last that got one
                        flags[e] |= 1
            excess = -left
            while excess > 0:
                holders = 0
                for i in range(n):
                    chosen[i] = False
                    if admitted[i] and res[i] > 0:
                        holders += 1
                take = min(excess, holders)
                for _ in range(take):
                    worst = -1
                    for i in range(n):
                        if (
                            admitted[i]
                            and res[i] > 0
                            and not chosen[i]
                            and (
                                worst < 0
                                or rem[i] < rem[worst]
                                or (rem[i] == rem[worst] and (not more_votes or v[i] <= v[worst]))
                            )
                        ):
                            worst = i
                    chosen[worst] = True
                    edge = rem[worst]
                if flag_ties:
                    for i in range(n):
                        if admitted[i] and res[i] > 0 and not chosen[i] and rem[i] == edge:
                            flags[e] |= 1
                for i in range(n):
                    if chosen[i]:
                        res[i] -= 1
                excess -= take
            if has_caps:
                for i in range(n):
                    if caps[e, i] >= 0 and res[i] > caps[e, i]:
                        flags[e] |= 2
        else:
            for s in range(seats):
                best = -1
                bn = 0
                bd = 0
                for i in range(n):
                    if admitted[i] and (not has_caps or caps[e, i] < 0 or res[i] < caps[e, i]):
                        pn, pd = _priority(code, v[i], res[i])
                        if best < 0:
                            best, bn, bd = i, pn, pd
                        else:
                            c = _compare(pn, pd, bn, bd)
                            if c > 0 or (c == 0 and more_votes and v[i] > v[best]):
                                best, bn, bd = i, pn, pd
                if best < 0:
                    flags[e] |= 4
                    break
                if flag_ties:
                    level = 0
                    for i in range(n):
                        if admitted[i] and (not has_caps or caps[e, i] < 0 or res[i] < caps[e, i]):
                            pn, pd = _priority(code, v[i], res[i])
                            if _compare(pn, pd, bn, bd) == 0:
                                level += 1
                    if level > seats - s:
                        flags[e] |= 1
                res[best] += 1


@numba.njit(cache=True, parallel=True)
def _all_rows(
    votes: Any, against_all: Any, invalid: Any, caps: Any, out: Any, flags: Any, terms: _Terms, chunks: int
) -> None:  # pragma: no cover - compiled
    """Split the rows into chunks over the threads; each chunk keeps its own scratch arrays."""
    n_rows = flags.shape[0]
    for c in numba.prange(chunks):
        _rows(votes, against_all, invalid, caps, out, flags, terms, c * n_rows // chunks, (c + 1) * n_rows // chunks)


def allocate_batch(
    votes: npt.ArrayLike,
    seats: int,
    method: Method = Method.HARE,
    *,
    threshold: Threshold | None = None,
    against_all: npt.ArrayLike | None = None,
    invalid: npt.ArrayLike | None = None,
    min_admitted: int = 0,
    tie: TieRule = TieRule.REGISTRATION_ORDER,
    seed: int | None = None,
    max_seats: npt.ArrayLike | None = None,
    out: Int64Array | None = None,
) -> Int64Array:
    """Seats for E elections of P contestants: an (E, P) int64 array equal, row by row, to `allocate`.

    `votes` is (E, P) with contestants in registration order; `against_all` and `invalid` are (E,);
    `max_seats` is (P,) or (E, P). See the module docstring for how LOT and DECIDE ties are handled.
    `out`: an (E, P) C-contiguous int64 array to write the seats into and return (default: a new one).
    """
    method, tie = Method(method), TieRule(tie)
    v = _counts(votes, "votes")
    _check_terms(v.shape, seats, min_admitted, tie, seed)
    rows = v.shape[0]
    aa = _per_row(against_all, rows, "against_all")
    inv = _per_row(invalid, rows, "invalid")
    caps = _caps(max_seats, v.shape)
    has_caps = max_seats is not None
    pnum, pden, vote_min = _threshold_terms(threshold)
    out = _output(out, v.shape)
    if rows == 0:
        return out
    max_votes = _max_votes(int(aa.max()) + int(inv.max()), pnum, pden, seats, v.shape[1], method)
    flags = np.zeros(rows, np.uint8)
    if max_votes < 0:
        flags[:] = _FLAG_FAIL
    else:
        base = threshold.base if threshold is not None else ThresholdBase.VALID
        terms = _Terms(
            seats, _QUOTA_CODE.get(method, _DIVISOR_CODE.get(method, -1)), pnum, pden, vote_min, _BASE_CODE[base],
            min_admitted, tie is TieRule.MORE_VOTES, tie in (TieRule.LOT, TieRule.DECIDE), has_caps, max_votes,
        )  # fmt: skip
        _all_rows(v, aa, inv, caps, out, flags, terms, min(rows, 4 * numba.get_num_threads()))
    for row in map(int, np.flatnonzero(flags)):  # the rows the kernel could not settle alone
        scalar = (seats, method, threshold, min_admitted, Ballots(int(aa[row]), int(inv[row])), tie, seed)
        out[row] = _by_allocate(v[row], caps[row] if has_caps else None, row, *scalar)
    return out


def _output(out: Int64Array | None, shape: tuple[int, ...]) -> Int64Array:
    """The array to write the seats into: `out` if it fits the votes exactly, else InputError; or a new one."""
    if out is None:
        return np.empty(shape, np.int64)
    if out.shape != shape or out.dtype != np.int64 or not out.flags.c_contiguous or not out.flags.writeable:
        got = f"{out.dtype} {out.shape}"
        raise InputError([worded(OUT_NOT_WRITABLE, field="out", shape=shape, got=got)])
    return out


def _max_votes(extra: int, pnum: int, pden: int, seats: int, parties: int, method: Method) -> int:
    """The largest count for which every product the loop forms stays below 2**62 ("against all" and invalid,
    `extra`, included); a row with a larger count takes the exact Python path instead."""
    return min(
        _LIMIT // (100 * pden),
        _LIMIT // (5 * (3 * seats + 1)),
        _LIMIT // (parties + 1) // max(pnum, seats + 2, 1) - extra,
        math.isqrt(_LIMIT // (seats * (seats + 1))) if method is Method.HUNTINGTON_HILL else _LIMIT,
    )


def _check_terms(shape: tuple[int, ...], seats: int, min_admitted: int, tie: TieRule, seed: int | None) -> None:
    """Every problem with the batch's terms at once (the shape of `votes` first, alone)."""
    if len(shape) != 2 or shape[1] == 0:
        raise InputError([worded(NOT_A_TABLE, field="votes", shape=shape)])
    problems: list[Problem] = []
    if not 0 < seats <= MAX_SEATS:  # the same checks and words as `allocate`'s
        problems.append(worded(SEATS_OUT_OF_RANGE, field="seats", most=Count(MAX_SEATS), seats=Count(seats)))
    if min_admitted < 0:
        problems.append(worded(NEGATIVE_MIN, field="min_admitted", got=min_admitted))
    if tie is TieRule.LOT and seed is None:
        problems.append(worded(NEEDS_SEED, field="seed"))
    if problems:
        raise InputError(problems)


def _caps(max_seats: npt.ArrayLike | None, shape: tuple[int, ...]) -> Int64Array:
    """The caps as an (E, P) array, -1 for none; a (1, 1) array of -1 when no contestant is capped."""
    if max_seats is None:
        return np.full((1, 1), -1, np.int64)
    caps = np.full(shape, -1, np.int64)
    caps[:] = _counts(max_seats, "max_seats")
    if caps.min() < 0:
        raise InputError([worded(NEGATIVE_CAPS, field="max_seats")])
    return caps


def _threshold_terms(threshold: Threshold | None) -> tuple[int, int, int]:
    """The percent as p/q and the vote threshold, each within what numba's int64 holds."""
    percent = threshold.percent if threshold is not None and threshold.percent is not None else None
    pnum, pden = (percent.numerator, percent.denominator) if percent is not None else (0, 1)
    vote_min = threshold.votes if threshold is not None and threshold.votes is not None else 0
    if max(pnum, pden, vote_min) > _LIMIT:  # numba's int64 cannot hold it: `allocate` takes it exactly
        raise InputError([worded(THRESHOLD_TOO_FINE, field="threshold", threshold=percent or vote_min)])
    return pnum, pden, vote_min


def _by_allocate(
    votes: Int64Array,
    caps: Int64Array | None,
    row: int,
    seats: int,
    method: Method,
    threshold: Threshold | None,
    min_admitted: int,
    ballots: Ballots,
    tie: TieRule,
    seed: int | None,
) -> list[int]:
    """A row the kernel could not settle alone, through `allocate` (its error names the row)."""
    contestants = [
        Contestant(f"#{i}", int(v), int(caps[i]) if caps is not None and caps[i] >= 0 else None)
        for i, v in enumerate(votes)
    ]
    try:
        result = allocate(
            contestants,
            seats,
            method,
            threshold=threshold,
            min_admitted=min_admitted,
            ballots=ballots,
            tie=tie,
            seed=None if seed is None else seed + row,
        )
    except RuleError:  # the caps leave seats unfillable: every admitted list has run out of names
        return _within_names(votes, caps, threshold, min_admitted, ballots)
    except SaylauError as error:
        raise type(error)(*_at_row(error, row)) from error
    return [result.seats[c.name] for c in contestants]


def _within_names(
    votes: Int64Array, caps: Int64Array | None, threshold: Threshold | None, min_admitted: int, ballots: Ballots
) -> list[int]:
    """A row whose admitted lists have all run out of names: each admitted list (with votes) takes its cap,
    every name it has, and the seats beyond stay vacant, as `composition.exhaustion` shares them when every
    list has run out: the council is declared with the seats vacant, never refused."""
    counts = [int(v) for v in votes]
    passed, by_minimum, _ = admit(counts, threshold, ballots.against_all, ballots.invalid, min_admitted)
    return [
        int(caps[i]) if caps is not None and v > 0 and (passed[i] or by_minimum[i]) else 0 for i, v in enumerate(counts)
    ]


def _counts(values: npt.ArrayLike, name: str) -> Int64Array:
    """`values` as int64, refusing what a silent cast would change: floats (100.9 -> 100), booleans, text,
    and integers beyond int64 (uint64 2**64 - 1 would read -1, a Python int past 2**63 would wrap)."""
    try:
        array = np.asarray(values)
    except (ValueError, OverflowError):
        raise InputError([worded(NOT_RECTANGULAR, field=name, name=name)]) from None
    if array.dtype == np.object_:  # Python integers too large for int64 (or anything else): checked one by one
        items = array.ravel().tolist()
        if not all(isinstance(x, int) and not isinstance(x, bool) and -(2**63) <= x < 2**63 for x in items):
            raise InputError([worded(BEYOND_INT64, field=name, name=name)])
        return np.ascontiguousarray(array.astype(np.int64))
    if array.dtype.kind not in "iu" or array.dtype == np.bool_:
        raise InputError([worded(NOT_WHOLE, field=name, name=name, dtype=array.dtype)])
    if array.dtype.kind == "u" and array.size and int(array.max()) >= 2**63:
        raise InputError([worded(COUNT_BEYOND_INT64, field=name, name=name, count=int(array.max()))])
    return np.ascontiguousarray(array, dtype=np.int64)


def _per_row(values: npt.ArrayLike | None, rows: int, name: str) -> Int64Array:
    if values is None:
        return np.zeros(rows, np.int64)
    array = _counts(values, name)
    if array.shape != (rows,) or (rows and array.min() < 0):
        raise InputError([worded(NOT_PER_ROW, field=name, name=name, rows=rows)])
    return array


def _at_row(error: SaylauError, row: int) -> tuple[Any, ...]:
    """The error's arguments with the row number added, so a caller can find the election."""
    if isinstance(error, InputError):
        return ([dataclasses.replace(p, row=row) for p in error.problems],)
    return (Phrase(AT_ROW, row=row, error=phrase_of(error)),)
