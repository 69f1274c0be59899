"""The integer-percentage test on real station results: Russia's Duma 2011 and presidential 2012 elections.

Why: a statistic proved only on generated data may not survive real data. Kobak, Shpilkin and
Pshenichnikov published, for every federal election since 2000, the excess of polling stations at integer
turnout or integer leader's result over a binomial-resampling null (Annals of Applied Statistics 10, 2016;
the figure "Excess of integer polling stations" of their Significance 15(3), 2018 paper, whose numbers are
in `significance2018/montecarlo.pickle` of github.com/dkobak/elections). This script runs saylau's test
(`saylau.analysis.forensics.integer`) on the same station data with the paper's inclusion rules (ballots
in the boxes > 0, at least 100 registered voters, turnout and leader's result at most 99%) and prints its
excess beside the published one.

The data are not shipped with saylau (30 MB a year): give the folder of an unpacked checkout of
github.com/dkobak/elections, or any folder with `2011.csv`, `2012.csv` (unzipped from its `data/`) and,
optionally, `montecarlo.pickle` (read with only numpy's array types allowed: it runs no other code).

Run: `.venv/bin/python benchmarks/forensics_russia.py DATA_FOLDER [--resamples 1000]`.

Definitions differ slightly, on purpose: the paper counts a percentage as integer when it lies within
±0.05 points of a whole number; saylau when the count is the one nearest to a whole percentage (within
±50/n points, n the denominator): the same for a station of 1,000 voters, stricter above, looser below.
"""

from __future__ import annotations

import argparse
import csv
import pickle
import sys
import time
from pathlib import Path

import numpy as np

from saylau.analysis.forensics import Contest, ContestKind, Quantity, StationVote, integer_test

LEADERS = {2011: "ЕДИНАЯ РОССИЯ", 2012: "Путин"}
YEARS = (2000, 2003, 2004, 2007, 2008, 2011, 2012, 2016, 2018)
"""The years of the published pickle, in its order."""


class _ArraysOnly(pickle.Unpickler):
    """Unpickles numpy arrays and nothing else (a pickle can otherwise run any code)."""

    def find_class(self, module: str, name: str) -> object:
        allowed = {("numpy.core.multiarray", "_reconstruct"), ("numpy", "ndarray"), ("numpy", "dtype")}
        if (module, name) not in allowed:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed")
        if module == "numpy.core.multiarray":
            from numpy._core import multiarray

            return getattr(multiarray, name)
        return getattr(np, name)


def _columns(header: list[str], *words: str, leave_out: str = "\x00") -> list[int]:
    return [i for i, h in enumerate(header) if any(w in h for w in words) and leave_out not in h]


def stations(path: Path, leader_name: str) -> tuple[list[StationVote], list[StationVote]]:
    """(turnout contest stations: found = ballots given out; share contest stations: found = ballots in the
    boxes), with the paper's inclusion rules."""
    with path.open(encoding="utf-8") as handle:
        rows = csv.reader(handle)
        header = next(rows)
        [voters_at] = _columns(header, "Число избирателей, внесенных", "Число избирателей, включенных")
        given_at = _columns(header, "бюллетеней, выданных")
        received_at = _columns(header, "действительных", "недействительных", leave_out="отметок")
        [leader_at] = _columns(header, leader_name)
        assert len(given_at) == 3 and len(received_at) == 2, (given_at, received_at)
        turnout, share = [], []
        for number, row in enumerate(rows):
            voters = int(row[voters_at])
            given = sum(int(row[i]) for i in given_at)
            received = sum(int(row[i]) for i in received_at)
            leader = int(row[leader_at])
            if received <= 0 or voters < 100 or 100 * given > 99 * voters or 100 * leader > 99 * received:
                continue
            turnout.append(StationVote(number, 1, voters, given, 0, ()))
            share.append(StationVote(number, 1, voters, received, leader, ()))
    return turnout, share


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="Folder with 2011.csv, 2012.csv (and montecarlo.pickle).")
    parser.add_argument("--resamples", type=int, default=1000)
    args = parser.parse_args()
    published = None
    pickled = args.data / "montecarlo.pickle"
    if pickled.is_file():
        with pickled.open("rb") as handle:
            anomalies = _ArraysOnly(handle).load()[0]
        published = {y: anomalies[i] for i, y in enumerate(YEARS)}
    print(
        f"{'year':<6}{'percentage':<16}{'stations':>9}{'integer':>9}{'null mean':>11}{'excess':>9}{'p':>9}"
        f"{'published excess':>18}"
    )
    for year, leader in LEADERS.items():
        started = time.perf_counter()
        turnout, share = stations(args.data / f"{year}.csv", leader)
        for quantity, kept, row in ((Quantity.TURNOUT, turnout, 2), (Quantity.SHARE, share, 1)):
            contest = Contest(ContestKind.LIST, {1: leader}, tuple(kept))
            test = integer_test(contest, quantity, args.resamples, seed=42)
            assert test is not None
            theirs = f"{published[year][row][0]:.0f}" if published else "-"
            print(
                f"{year:<6}{quantity.value:<16}{test.stations:>9,}{test.observed:>9,}{test.null_mean:>11,.1f}"
                f"{test.excess:>9,.0f}{test.p_value:>9.4f}{theirs:>18}"
            )
        print(f"      ({time.perf_counter() - started:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
