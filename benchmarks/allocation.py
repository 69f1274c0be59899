"""Time saylau's allocation against its peers on the same inputs, in one process.

    .venv/bin/python benchmarks/allocation.py

(a) one allocation of the Almaty 2023 list tier through the scalar API (Hare, 5%, 21 seats);
(b) 1,000,000 random Almaty-shaped elections (6 lists, 21 seats, 5%, Hare) through `allocate_batch`, best of
    7 runs taken in turn with the numba floor's (both meet the same load; both write into an array made
    beforehand, `out=`; the batch is timed with a new array each call too, and on one thread like the floor,
    in 7 rounds of its own with the floor's); the peers have no batch API, so they are timed on a sample of
    2,000 of the same elections and their time per allocation is extrapolated (said so in the output);
(c) 1,000 seats among 200 lists (Hare and D'Hondt), scalar.
The last lines: the batch speed-up over the fastest peer, its ratio to a hand-written numba floor, and the
scalar speed-up (fastest peer's time / saylau's; above 1 saylau is faster). Scalar figures are medians of
interleaved rounds (saylau and each peer in turn), as the machine's load changes.
Peers: votelib 0.4.0, apportionment 1.0, poli-sci-kit 1.1.0, each called as its users call it (poli-sci-kit's
`largest_remainder` directly: it returns a list, and a wrapper of ours would add its cost to the peer's time);
saylau's contestants and threshold are made beforehand, like the peers' lists, and its `Ballots` in the timed
call. The peers' thresholds take party votes as the base; saylau's take party votes + "against all" (the
Kazakhstan preset) -- the work is the same.
The numba compile (or cache load) of the batch path is done before timing.
"""

from __future__ import annotations

import statistics
import time
import warnings
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numba
import numpy as np

warnings.filterwarnings("ignore")  # the peers' deprecation warnings are not what we measure

import apportionment.methods as ap  # noqa: E402
import votelib.evaluate.proportional as vprop  # noqa: E402
from poli_sci_kit import appointment  # noqa: E402
from poli_sci_kit.appointment.methods import largest_remainder  # noqa: E402
from votelib.evaluate.threshold import RelativeThreshold  # noqa: E402

from saylau.apportionment import Ballots, Contestant, Method, Threshold, allocate, allocate_batch  # noqa: E402
from saylau.reports.allocation import explain_allocation  # noqa: E402

ALMATY = {"Amanat": 151_531, "QHP": 38_563, "Respublica": 38_369, "Baytaq": 23_266, "Aq Jol": 15_273, "Auyl": 8_264}
AGAINST_ALL = 16_490
FIVE = Threshold(Fraction(5))


def per_call(fn: Callable[[], Any], min_time: float = 0.3) -> float:
    """Seconds per call: best of 3 runs of enough calls to last `min_time`."""
    n = 1
    while True:
        start = time.perf_counter()
        for _ in range(n):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed > min_time / 3:
            break
        n *= 2
    best = elapsed / n
    for _ in range(2):
        start = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter() - start) / n)
    return best


def interleaved(fns: dict[str, Callable[[], Any]], rounds: int = 5) -> dict[str, float]:
    """Seconds per call of each function: the median of `rounds` rounds, each timing every function in turn
    (the machine's load falls on all of them alike)."""
    runs: dict[str, list[float]] = {label: [] for label in fns}
    for _ in range(rounds):
        for label, fn in fns.items():
            runs[label].append(per_call(fn, min_time=0.1))
    return {label: statistics.median(r) for label, r in runs.items()}


def integer_hare(votes: list[int], seats: int, against_all: int) -> list[int]:
    """The floor: exact Hare with a 5% threshold in a few lines of integers, no checks and no trace."""
    base = sum(votes) + against_all
    passed = [i for i, v in enumerate(votes) if v * 20 >= base]
    total = sum(votes[i] for i in passed)
    out = [0] * len(votes)
    rest = []
    for i in passed:
        out[i], r = divmod(votes[i] * seats, total)
        rest.append((-r, i))
    for _, i in sorted(rest)[: seats - sum(out)]:
        out[i] += 1
    return out


def show(label: str, seconds: float, reference: float | None = None) -> None:
    unit, scale = ("ns", 1e9) if seconds < 1e-6 else ("µs", 1e6) if seconds < 1e-3 else ("ms", 1e3)
    ratio = f"  ({seconds / reference:,.1f}x saylau)" if reference else ""
    print(f"  {label:<44} {seconds * scale:>12,.2f} {unit}/allocation{ratio}")


def votelib_hare(votes: dict[str, int], seats: int, threshold: float | None = 0.05) -> dict[Any, int]:
    if threshold is not None:
        passed = set(RelativeThreshold(Fraction(threshold).limit_denominator(1000)).evaluate(votes))
        votes = {k: v for k, v in votes.items() if k in passed}
    return dict(vprop.LargestRemainder("hare").evaluate(votes, seats))


def scalar_almaty() -> float:
    """(a); returns the fastest peer's time over saylau's."""
    print("(a) Almaty 2023 list tier, one allocation (scalar API), median of 5 interleaved rounds")
    contestants = [Contestant(n, v) for n, v in ALMATY.items()]
    votes = list(ALMATY.values())
    times = interleaved(
        {
            "saylau allocate (exact, trace on demand)": lambda: allocate(
                contestants, 21, threshold=FIVE, min_admitted=2, ballots=Ballots(AGAINST_ALL)
            ),
            "votelib 0.4.0 LargestRemainder('hare')": lambda: votelib_hare(ALMATY, 21),
            "apportionment 1.0 largest_remainder": lambda: ap.compute("largest_remainder", votes, 21, threshold=0.05),
            "poli-sci-kit 1.1.0 largest_remainder": lambda: largest_remainder("Hare", votes, 21, alloc_threshold=0.05),
            "integer floor (exact Hare, no checks)": lambda: integer_hare(votes, 21, AGAINST_ALL),
        }
    )
    ours = times.pop("saylau allocate (exact, trace on demand)")
    show("saylau allocate (exact, trace on demand)", ours)
    for label, seconds in times.items():
        show(label, seconds, ours)
    trace = per_call(
        lambda: explain_allocation(
            allocate(contestants, 21, threshold=FIVE, min_admitted=2, ballots=Ballots(AGAINST_ALL))
        )
    )
    show("saylau allocate + the explanation (the annex)", trace, ours)
    return min(t for label, t in times.items() if "floor" not in label) / ours


@numba.njit(cache=True)
def _numba_floor(votes: Any, against: Any, seats: int, out: Any) -> None:  # pragma: no cover - compiled
    """The batch floor: exact Hare with a 5% threshold, written by hand for these rows (no checks, no ties)."""
    n = votes.shape[1]
    rem = np.zeros(n, np.int64)
    for e in range(votes.shape[0]):
        v = votes[e]
        base = against[e]
        for i in range(n):
            base += v[i]
        total = 0
        for i in range(n):
            if v[i] * 20 >= base:
                total += v[i]
        given = 0
        for i in range(n):
            out[e, i] = 0
            rem[i] = -1
            if v[i] * 20 >= base:
                out[e, i] = v[i] * seats // total
                rem[i] = v[i] * seats - out[e, i] * total
                given += out[e, i]
        for _ in range(seats - given):
            best = 0
            for i in range(n):
                if rem[i] > rem[best]:
                    best = i
            out[e, best] += 1
            rem[best] = -1


def batch(n: int = 1_000_000, sample: int = 2_000) -> float:
    print(f"(b) {n:,} Almaty-shaped elections (6 lists, 21 seats, 5%, Hare)")
    rng = np.random.default_rng(2023)
    shares = rng.dirichlet(np.array([8.0, 2, 2, 1.5, 1, 0.6]), size=n)
    turnout = rng.integers(100_000, 400_000, size=(n, 1))
    votes = np.floor(shares * turnout).astype(np.int64)
    against = rng.integers(0, 30_000, size=n)
    allocate_batch(votes[:100], 21, Method.HARE, threshold=FIVE, against_all=against[:100], min_admitted=2)  # compile
    floor_out, out = np.empty_like(votes), np.empty_like(votes)  # both write into an array made once
    _numba_floor(votes[:100], against[:100], 21, floor_out[:100])  # compile
    runs, fresh, floors, single, floors_single = [], [], [], [], []
    threads = numba.get_num_threads()

    def timed(into: list[float], fn: Callable[[], Any]) -> None:
        start = time.perf_counter()
        fn()
        into.append((time.perf_counter() - start) / n)

    def batched(into: list[float], given: Any = None) -> None:
        kwargs = {"threshold": FIVE, "against_all": against, "min_admitted": 2, "out": given}
        timed(into, lambda: allocate_batch(votes, 21, Method.HARE, **kwargs))

    for _ in range(7):  # in turn, so that all meet the same load (the batch runs on every core, the floor on one)
        batched(runs, out)
        timed(floors, lambda: _numba_floor(votes, against, 21, floor_out))
        batched(fresh)
    numba.set_num_threads(1)  # like for like: one core each (its own rounds: a change of threads costs the next call)
    batched(single, out)
    single.clear()
    for _ in range(7):
        batched(single, out)
        timed(floors_single, lambda: _numba_floor(votes, against, 21, floor_out))
    numba.set_num_threads(threads)
    ours, floor = min(runs), min(floors)
    assert (out.sum(axis=1) == 21).all()
    show(f"saylau allocate_batch ({n:,} rows, into a given array, best of 7)", ours)
    show("hand-written numba floor (Hare 5%, no checks, into a given array)", floor, ours)
    show("saylau allocate_batch, a new array each call (best of 7)", min(fresh), ours)
    show("saylau allocate_batch on one thread, into a given array", min(single), ours)
    paired = statistics.median(a / b for a, b in zip(runs, floors, strict=True))
    alone = statistics.median(a / b for a, b in zip(single, floors_single, strict=True))
    print(f"  batch over numba floor: {ours / floor:.2f}x best of 7, {paired:.2f}x median of the 7 pairs")
    print(f"  (a new array each call: {min(fresh) / floor:.2f}x best of 7; on one thread, in rounds of its own")
    print(f"   with the floor: {min(single) / min(floors_single):.2f}x best of 7, {alone:.2f}x median of the pairs)")
    rows = votes[:sample].tolist()
    names = list(ALMATY)
    peers = {
        "votelib 0.4.0": lambda r: votelib_hare(dict(zip(names, r, strict=True)), 21),
        "apportionment 1.0": lambda r: ap.compute("largest_remainder", r, 21, threshold=0.05),
        "poli-sci-kit 1.1.0": lambda r: largest_remainder("Hare", r, 21, alloc_threshold=0.05),
    }
    fastest = float("inf")
    for label, fn in peers.items():
        start = time.perf_counter()
        for row in rows:
            fn(row)
        each = (time.perf_counter() - start) / sample
        fastest = min(fastest, each)
        show(f"{label} (timed on {sample:,}, extrapolated)", each, ours)
    return fastest / ours


def large() -> float:
    """(c); returns the fastest peer's D'Hondt time over saylau's."""
    print("(c) 1,000 seats among 200 lists (scalar), median of 5 interleaved rounds")
    rng = np.random.default_rng(7)
    votes = [int(v) for v in rng.integers(1_000, 1_000_000, size=200)]
    contestants = [Contestant(f"L{i}", v) for i, v in enumerate(votes)]
    named = {f"L{i}": v for i, v in enumerate(votes)}
    hare = interleaved(
        {
            "saylau allocate, Hare": lambda: allocate(contestants, 1000, Method.HARE),
            "votelib 0.4.0, Hare": lambda: votelib_hare(named, 1000, None),
            "apportionment 1.0, Hare": lambda: ap.compute("largest_remainder", votes, 1000, parties=list(named)),
            "poli-sci-kit 1.1.0, Hare": lambda: largest_remainder("Hare", votes, 1000),
        },
        rounds=3,
    )
    ours = hare.pop("saylau allocate, Hare")
    show("saylau allocate, Hare", ours)
    for label, seconds in hare.items():
        show(label, seconds, ours)
    dhondt = interleaved(
        {
            "saylau allocate, D'Hondt": lambda: allocate(contestants, 1000, Method.DHONDT),
            "votelib 0.4.0, D'Hondt": lambda: vprop.HighestAverages("d_hondt").evaluate(named, 1000),
            "apportionment 1.0, D'Hondt": lambda: ap.compute("dhondt", votes, 1000, parties=list(named)),
        },
        rounds=3,
    )
    ours = dhondt.pop("saylau allocate, D'Hondt")
    show("saylau allocate, D'Hondt", ours)
    for label, seconds in dhondt.items():
        show(label, seconds, ours)
    # poli-sci-kit's D'Hondt takes about a second a call: timed once, not in the rounds
    show("poli-sci-kit 1.1.0, D'Hondt (one call)", per_call(psk_dhondt, min_time=0.0), ours)
    return min(dhondt.values()) / ours


def psk_dhondt() -> None:
    rng = np.random.default_rng(7)
    votes = [int(v) for v in rng.integers(1_000, 1_000_000, size=200)]
    appointment.methods.highest_averages("Jefferson", votes, 1000)


if __name__ == "__main__":
    almaty = scalar_almaty()
    speedup = batch()
    dhondt = large()
    print(f"batch speedup over fastest peer: {speedup:.1f}x")
    print(f"scalar over fastest peer: Almaty {almaty:.1f}x, D'Hondt 1000/200 {dhondt:.1f}x")
