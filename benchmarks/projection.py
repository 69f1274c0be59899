"""Election-night projection speed: 100,000 draws of the Almaty example at 50% counted.

Why: on election night a projection is refreshed with every batch of protocols; it must take seconds, not
minutes, on an ordinary machine. What is timed is `saylau.analysis.projection.project` alone (fitting the
model, drawing 100,000 completions of both ballots, the list tier through `allocate_batch`, the 21
district races, the council and the summaries); loading the folder and compiling the batch engine happen
before (a warm-up projection of 1,000 draws). The count is the 553 station protocols of
`examples/almaty-2023`, of which the smallest half (by register) are shown.

Run: `.venv/bin/python benchmarks/projection.py [--draws N] [--repeat R]`; the last line is
`projection: N draws in T s` (the best of R runs).
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from saylau.analysis.projection import project
from saylau.io import load_election
from saylau.io.protocols import read_protocols
from saylau.tabulation import tabulate

FOLDER = Path(__file__).resolve().parent.parent / "examples" / "almaty-2023"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    election = load_election(FOLDER)
    found = read_protocols([FOLDER])
    assert found.stations is not None
    order = sorted(found.stations, key=lambda s: (s.registered, s.number))
    shown = {s.number for s in order[: len(order) // 2]}
    count = tabulate([p for p in found.protocols if p.station in shown], election, found.stations)
    project(election, found.stations, count.accepted, draws=1_000)
    best = cpu = float("inf")
    projection = None
    for _ in range(args.repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        projection = project(election, found.stations, count.accepted, draws=args.draws, seed=1)
        best = min(best, time.perf_counter() - started)
        cpu = min(cpu, time.process_time() - started_cpu)
    assert projection is not None
    print(f"{projection.stations_counted} of {projection.stations_expected} stations counted; cores: {os.cpu_count()}")
    for p in projection.parties:
        print(f"  {p.party:<12} seats {p.seats.median:>3} ({p.seats.low}-{p.seats.high})  majority {p.majority:.3f}")
    # On a shared machine wall time includes waiting for a core; CPU time is the work itself.
    print(f"CPU time {cpu:.2f} s; load average {os.getloadavg()[0]:.1f}")
    print(f"projection: {args.draws} draws in {best:.2f} s")


if __name__ == "__main__":
    main()
