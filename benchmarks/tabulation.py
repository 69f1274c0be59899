"""Counting CSV protocols as users do: `saylau results` on a folder written by `saylau synth`, beside pandas.

    .venv/bin/python benchmarks/tabulation.py [--stations 200000] [--districts 100] [--parties 10] [--rounds 3]

Why: a count is read from the files commissions send, not from arrays in memory; this times the command a
user runs and the library call it makes, on the same files, against the least pandas needs to read them
and sum them per ballot and district.

What it does: writes an election folder with `saylau synth` (CSV protocols, both ballots, no injected
error; generation is not timed), then in interleaved rounds times
  saylau results   the command, in a fresh process: start-up, reading, checks, count, seats, tables;
  library          `saylau.io.columnar.count_protocols` on the folder, in a fresh process;
  pandas floor     a fresh process that reads protocols/*.csv with `pandas.read_csv` and sums every
                   column per ballot and district (`groupby().sum()`): no checks, no seats.
Each figure is the median of the rounds; peak memory is the child process's maximum resident set. The
load average before and after says how busy the machine was (2 cores here: saylau reads on both).
The last line is the ratio of `saylau results` to the pandas floor.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(sys.executable).parent

LIBRARY = """
import sys
from pathlib import Path
from saylau.io import load_election
from saylau.io.columnar import count_protocols
folder = Path(sys.argv[1])
count = count_protocols([folder], load_election(folder, follow_previous=False, count_protocols=False))
assert count.register is not None and not count.problems
"""

PANDAS = """
import sys
from pathlib import Path
import pandas as pd
for path in sorted((Path(sys.argv[1]) / "protocols").glob("*.csv")):
    frame = pd.read_csv(path)
    frame.drop(columns=["source"], errors="ignore").groupby(["ballot", "district"]).sum()
"""


def timed(command: list[str]) -> tuple[float, float]:
    """(wall seconds, peak resident MiB) of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{' '.join(command[:3])} failed: {child.stderr.read().decode() if child.stderr else ''}")
    return wall, usage.ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=200_000)
    parser.add_argument("--districts", type=int, default=100)
    parser.add_argument("--parties", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--folder", type=Path, help="use (or write) the election here instead of a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.folder or Path(tmp) / "election"
        if not (folder / "protocols").is_dir():
            start = time.perf_counter()
            synth = [str(HERE / "saylau"), "synth", str(folder), "--seed", "14", "--stations", str(args.stations)]
            synth += ["--districts", str(args.districts), "--parties", str(args.parties)]
            subprocess.run(
                synth,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            print(f"saylau synth: {args.stations:,} stations in {time.perf_counter() - start:.1f} s (not timed below)")
        size = sum(p.stat().st_size for p in (folder / "protocols").glob("*.csv"))
        print(f"protocols: {size / 2**20:,.0f} MiB of CSV; {args.rounds} interleaved rounds, medians")
        commands = {
            "saylau results": [str(HERE / "saylau"), "results", str(folder)],
            "library (count_protocols)": [sys.executable, "-c", LIBRARY, str(folder)],
            "pandas floor (read_csv + groupby sum)": [sys.executable, "-c", PANDAS, str(folder)],
        }
        runs: dict[str, list[tuple[float, float]]] = {label: [] for label in commands}
        before = os.getloadavg()[0]
        for _ in range(args.rounds):
            for label, command in commands.items():
                runs[label].append(timed(command))
    print(f"load average (1 min): {before:.2f} before, {os.getloadavg()[0]:.2f} after; {os.cpu_count()} cores")
    figures = {label: (statistics.median(w for w, _ in r), max(m for _, m in r)) for label, r in runs.items()}
    for label, (wall, peak) in figures.items():
        print(f"  {label:<40} {wall:8.2f} s  {peak:8,.0f} MiB peak")
    ours, peak = figures["saylau results"]
    floor = figures["pandas floor (read_csv + groupby sum)"][0]
    print(
        f"tabulation from CSV over pandas floor: {ours / floor:.1f}x "
        f"({args.stations:,} stations in {ours:.2f} s, {peak:,.0f} MB peak)"
    )


if __name__ == "__main__":
    main()
