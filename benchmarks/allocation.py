"""Time saylau's allocation against its peers on the same inputs, in one process.

    .venv/bin/python benchmarks/allocation.py

(a) one allocation of the Almaty 2023 list tier through the scalar API (Hare, 5%, 21 seats);
(b) 1,000,000 random Almaty-shaped elections (6 lists, 21 seats, 5%, Hare) through `allocate_batch`; the
    peers have no batch API, so they are timed on a sample of 2,000 of the same elections and their time
    per allocation is extrapolated (said so in the output);
(c) 1,000 seats among 200 lists (Hare and D'Hondt), scalar.
Peers: votelib 0.4.0, apportionment 1.0, poli-sci-kit 1.1.0. The peers' thresholds take party votes as the
base; saylau's take party votes + "against all" (the Kazakhstan preset) -- the work is the same.
The numba compile (or cache load) of the batch path is done before timing.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np

warnings.filterwarnings("ignore")  # the peers' deprecation warnings are not what we measure

import apportionment.methods as ap  # noqa: E402
import votelib.evaluate.proportional as vprop  # noqa: E402
from poli_sci_kit import appointment  # noqa: E402
from votelib.evaluate.threshold import RelativeThreshold  # noqa: E402

from saylau.apportionment import Ballots, Contestant, Method, Threshold, allocate, allocate_batch  # noqa: E402

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


def show(label: str, seconds: float, reference: float | None = None) -> None:
    unit, scale = ("ns", 1e9) if seconds < 1e-6 else ("µs", 1e6) if seconds < 1e-3 else ("ms", 1e3)
    ratio = f"  ({seconds / reference:,.1f}x saylau)" if reference else ""
    print(f"  {label:<44} {seconds * scale:>12,.2f} {unit}/allocation{ratio}")


def votelib_hare(votes: dict[str, int], seats: int, threshold: float | None = 0.05) -> dict[Any, int]:
    if threshold is not None:
        passed = set(RelativeThreshold(Fraction(threshold).limit_denominator(1000)).evaluate(votes))
        votes = {k: v for k, v in votes.items() if k in passed}
    return dict(vprop.LargestRemainder("hare").evaluate(votes, seats))


def psk_hare(votes: list[int], seats: int, threshold: float | None = 0.05) -> list[int]:
    return list(appointment.methods.largest_remainder("Hare", votes, seats, alloc_threshold=threshold))


def scalar_almaty() -> None:
    print("(a) Almaty 2023 list tier, one allocation (scalar API)")
    contestants = [Contestant(n, v) for n, v in ALMATY.items()]
    ours = per_call(lambda: allocate(contestants, 21, threshold=FIVE, min_admitted=2, ballots=Ballots(AGAINST_ALL)))
    show("saylau allocate (exact, with full trace)", ours)
    votes = list(ALMATY.values())
    show("votelib 0.4.0 LargestRemainder('hare')", per_call(lambda: votelib_hare(ALMATY, 21)), ours)
    show(
        "apportionment 1.0 largest_remainder",
        per_call(lambda: ap.compute("largest_remainder", votes, 21, threshold=0.05)),
        ours,
    )
    show("poli-sci-kit 1.1.0 largest_remainder", per_call(lambda: psk_hare(votes, 21)), ours)


def batch(n: int = 1_000_000, sample: int = 2_000) -> float:
    print(f"(b) {n:,} Almaty-shaped elections (6 lists, 21 seats, 5%, Hare)")
    rng = np.random.default_rng(2023)
    shares = rng.dirichlet(np.array([8.0, 2, 2, 1.5, 1, 0.6]), size=n)
    turnout = rng.integers(100_000, 400_000, size=(n, 1))
    votes = np.floor(shares * turnout).astype(np.int64)
    against = rng.integers(0, 30_000, size=n)
    allocate_batch(votes[:100], 21, Method.HARE, threshold=FIVE, against_all=against[:100], min_admitted=2)  # compile
    runs = []
    for _ in range(7):
        start = time.perf_counter()
        out = allocate_batch(votes, 21, Method.HARE, threshold=FIVE, against_all=against, min_admitted=2)
        runs.append((time.perf_counter() - start) / n)
    ours = min(runs)
    assert (out.sum(axis=1) == 21).all()
    show(f"saylau allocate_batch ({n:,} rows, best of 7)", ours)
    rows = votes[:sample].tolist()
    names = list(ALMATY)
    peers = {
        "votelib 0.4.0": lambda r: votelib_hare(dict(zip(names, r, strict=True)), 21),
        "apportionment 1.0": lambda r: ap.compute("largest_remainder", r, 21, threshold=0.05),
        "poli-sci-kit 1.1.0": lambda r: psk_hare(r, 21),
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


def large() -> None:
    print("(c) 1,000 seats among 200 lists (scalar)")
    rng = np.random.default_rng(7)
    votes = [int(v) for v in rng.integers(1_000, 1_000_000, size=200)]
    contestants = [Contestant(f"L{i}", v) for i, v in enumerate(votes)]
    named = {f"L{i}": v for i, v in enumerate(votes)}
    ours = per_call(lambda: allocate(contestants, 1000, Method.HARE))
    show("saylau allocate, Hare", ours)
    show("votelib 0.4.0, Hare", per_call(lambda: votelib_hare(named, 1000, None)), ours)
    show(
        "apportionment 1.0, Hare",
        per_call(lambda: ap.compute("largest_remainder", votes, 1000, parties=list(named))),
        ours,
    )
    show("poli-sci-kit 1.1.0, Hare", per_call(lambda: psk_hare(votes, 1000, None)), ours)
    ours = per_call(lambda: allocate(contestants, 1000, Method.DHONDT))
    show("saylau allocate, D'Hondt", ours)
    show("votelib 0.4.0, D'Hondt", per_call(lambda: vprop.HighestAverages("d_hondt").evaluate(named, 1000)), ours)
    show("apportionment 1.0, D'Hondt", per_call(lambda: ap.compute("dhondt", votes, 1000, parties=list(named))), ours)
    show(
        "poli-sci-kit 1.1.0, D'Hondt",
        per_call(lambda: appointment.methods.highest_averages("Jefferson", votes, 1000)),
        ours,
    )


if __name__ == "__main__":
    scalar_almaty()
    speedup = batch()
    large()
    print(f"batch speedup over fastest peer: {speedup:.1f}x")
