"""Backtest of the election-night projection on generated elections, against the naive call.

Why: the projection's 90% intervals must contain the final seats about 90% of the time even when stations
report in a biased order, or its "honest uncertainty" is not honest. Generated elections (`saylau synth`
with districts and station sizes that differ, `--heterogeneity`, and each station's previous-election
figures, `--previous`) are revealed small stations first; at 10%, 25%, 50% and 90% counted we print how
often the intervals contain each party's final seats (aim: 85-95%), how often the majority holder is called
right, and the naive call (counted shares scaled up) beside it: how often it gets a party's seats exactly,
and the majority holder.

Run: `.venv/bin/python benchmarks/projection_backtest.py [--elections 200] [--draws 2000] [--no-previous]`.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from saylau.analysis.projection.backtest import FinishedCount, Score, score
from saylau.io import load_election
from saylau.io.writer import write_election
from saylau.synth import synthesize

FRACTIONS = (0.10, 0.25, 0.50, 0.90)


def run(elections: int, draws: int, previous: bool, heterogeneity: float, seed: int) -> list[Score]:
    """Scores of `elections` generated elections, each revealed small stations first."""
    scores: list[Score] = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(elections):
            synth = synthesize(
                seed + k,
                districts=8,
                stations=160,
                parties=3,
                list_seats=10,
                heterogeneity=heterogeneity,
                previous=True,
            )
            folder = Path(tmp) / f"e{k}"
            write_election(folder, synth)
            election = load_election(folder, count_protocols=False)
            order = [s.number for s in sorted(synth.stations, key=lambda s: (s.registered, s.number))]
            finished = FinishedCount(election, synth.stations, synth.protocols, synth.previous if previous else None)
            scores += score(finished, order, FRACTIONS, draws=draws, seed=k)
    return scores


def table(scores: list[Score]) -> list[str]:
    """One line per fraction: interval coverage and majority calls, projection and naive."""
    lines = [
        f"{'counted':>8} {'elections':>9} {'90% interval covers':>20} {'majority right':>15} "
        f"{'naive exact':>12} {'naive majority':>15}"
    ]
    for fraction in FRACTIONS:
        mine = [s for s in scores if s.fraction == fraction]
        parties = sum(s.parties for s in mine)
        lines.append(
            f"{fraction:>8.0%} {len(mine):>9} {sum(s.covered for s in mine) / parties:>20.1%} "
            f"{sum(s.majority_right for s in mine) / len(mine):>15.1%} "
            f"{sum(s.naive_exact for s in mine) / parties:>12.1%} "
            f"{sum(s.naive_majority_right for s in mine) / len(mine):>15.1%}"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--elections", type=int, default=200)
    parser.add_argument("--draws", type=int, default=2000)
    parser.add_argument("--heterogeneity", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-previous", action="store_true", help="Project without the previous-election figures.")
    args = parser.parse_args()
    started = time.perf_counter()
    scores = run(args.elections, args.draws, not args.no_previous, args.heterogeneity, args.seed)
    covariate = "register size only" if args.no_previous else "register size + previous election"
    print(
        f"{args.elections} generated elections (8 districts, 160 stations, 3 parties, 10 list seats, "
        f"heterogeneity {args.heterogeneity}), small stations first, {args.draws} draws, covariates: {covariate}"
    )
    print("\n".join(table(scores)))
    held = sum(s.held for s in scores if s.fraction == FRACTIONS[0])
    print(f"{held} of {args.elections} final councils have a majority holder (the rest: no majority)")
    print(f"projection backtest: {args.elections} elections in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
