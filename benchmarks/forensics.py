"""How honest are the statistical checks? False alarms on clean elections, power against documented fraud.

Why: a test that cries fraud on clean counts harms the people it should protect, and one that never fires
is decoration; docs/forensics.md prints what this script measures. Clean elections come from `saylau synth`
(heterogeneous districts and station sizes, previous-election figures per station, several seeds, 553 to
10,000 stations); the fraud models are `saylau.analysis.forensics.stuffing` (documented there and in the
docs): ballot stuffing at a share of stations (a fraction U(0.1, 0.6) of the abstainers' ballots added for
the leading party), heavy stuffing (U(0.5, 1.0)), and figures rewritten to round percentages.

For each size and condition it prints, over the seeds, how often each test fires at its stated level
(5%): the Klimek model (estimated stuffed share at or above its flag), the integer-percentage test on
turnout and on the leader's share, the last-digit test, and the out-of-line ranking (any station flagged);
and, where stuffing was injected, the Klimek estimate (mean and mean absolute error against the injected
share) and how many flagged stations were stuffed ones.

Run (under the CPU lock): `flock /tmp/saylau-cpu.lock .venv/bin/python benchmarks/forensics.py
[--seeds 20] [--sizes 553,2000,10000]`.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from saylau.analysis.forensics import Quantity, contests, integer_test, klimek_fit, last_digit_test, outliers
from saylau.analysis.forensics.klimek import FLAG
from saylau.analysis.forensics.stuffing import invent_digits, round_off, stuff
from saylau.synth import synthesize
from saylau.tabulation import Protocol

LEVEL = 0.05
Inject = Callable[[Sequence[Protocol], int], tuple[list[Protocol], frozenset[int]]]


def _conditions() -> list[tuple[str, float, Inject]]:
    def stuffing(share: float, low: float, high: float) -> Inject:
        return lambda protocols, seed: stuff(protocols, share, seed, low, high)

    def rounding(share: float) -> Inject:
        return lambda protocols, seed: round_off(protocols, share, seed)

    return [
        ("clean", 0.0, lambda protocols, seed: (list(protocols), frozenset())),
        ("stuffing 5%", 0.05, stuffing(0.05, 0.1, 0.6)),
        ("stuffing 10%", 0.10, stuffing(0.10, 0.1, 0.6)),
        ("stuffing 20%", 0.20, stuffing(0.20, 0.1, 0.6)),
        ("heavy stuffing 5%", 0.05, stuffing(0.05, 0.5, 1.0)),
        ("heavy stuffing 10%", 0.10, stuffing(0.10, 0.5, 1.0)),
        ("round figures 5%", 0.0, rounding(0.05)),
        ("round figures 10%", 0.0, rounding(0.10)),
        ("invented digits 10%", 0.0, lambda protocols, seed: invent_digits(protocols, 0.10, seed)),
        ("invented digits 20%", 0.0, lambda protocols, seed: invent_digits(protocols, 0.20, seed)),
    ]


@dataclass
class Tally:
    runs: int = 0
    klimek: int = 0
    integer_turnout: int = 0
    integer_share: int = 0
    digits: int = 0
    outliers: int = 0
    flagged: int = 0
    flagged_true: int = 0
    estimates: list[float] | None = None

    def add(self, estimate: float) -> None:
        if self.estimates is None:
            self.estimates = []
        self.estimates.append(estimate)


def measure(size: int, seeds: int, resamples: int) -> None:
    districts = max(1, size // 26)  # Almaty: 553 stations in 21 districts
    conditions = _conditions()
    tallies = {name: Tally() for name, _, _ in conditions}
    started = time.perf_counter()
    for seed in range(seeds):
        election = synthesize(seed, districts, size, 6, heterogeneity=0.3, previous=True)
        for name, _share, inject in conditions:
            protocols, touched = inject(election.protocols, seed)
            contest = contests(protocols, election.previous)[0]
            t = tallies[name]
            t.runs += 1
            fit = klimek_fit(contest, seed)
            if fit is not None:
                t.klimek += fit.fraud_like
                t.add(fit.stuffed)
            for quantity in Quantity:
                test = integer_test(contest, quantity, resamples, seed)
                if test is not None and test.p_value < LEVEL:
                    if quantity is Quantity.TURNOUT:
                        t.integer_turnout += 1
                    else:
                        t.integer_share += 1
            digits = last_digit_test(contest, resamples, seed)
            t.digits += digits is not None and digits.p_value < LEVEL
            ranking = outliers(contest)
            if ranking is not None:
                flagged = {o.station for o in ranking.flagged}
                t.outliers += bool(flagged)
                t.flagged += len(flagged)
                t.flagged_true += len(flagged & touched)
    seconds = time.perf_counter() - started
    print(f"\n{size:,} stations, {districts} districts, {seeds} seeds ({seconds:.0f} s)")
    print(
        f"{'condition':<20} {'Klimek':>7} {'int.turn':>8} {'int.share':>9} {'digits':>7} {'outliers':>8}"
        f" {'est. mean':>9} {'abs.err':>7} {'flagged (stuffed)':>18}"
    )
    for name, share, _ in conditions:
        t = tallies[name]
        estimates = t.estimates or [0.0]
        error = statistics.mean(abs(e - share) for e in estimates) if share else float("nan")
        print(
            f"{name:<20} {t.klimek / t.runs:>7.0%} {t.integer_turnout / t.runs:>8.0%} {t.integer_share / t.runs:>9.0%}"
            f" {t.digits / t.runs:>7.0%} {t.outliers / t.runs:>8.0%} {statistics.mean(estimates):>9.3f}"
            f" {error:>7.3f} {t.flagged:>10} ({t.flagged_true})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20, help="Elections per size (seeds 0..N-1).")
    parser.add_argument("--sizes", default="553,2000,10000", help="Stations per election, comma-separated.")
    parser.add_argument("--resamples", type=int, default=1000, help="Redraws of the integer-percentage null.")
    args = parser.parse_args()
    print(
        f"Rates at which each test fires at level {LEVEL:.0%} (Klimek: estimated stuffed share >= {FLAG:.0%}); "
        "on clean rows that is the false-alarm rate, elsewhere the power."
    )
    for size in (int(s) for s in args.sizes.split(",")):
        measure(size, args.seeds, args.resamples)


if __name__ == "__main__":
    main()
