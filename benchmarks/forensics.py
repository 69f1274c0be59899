"""How honest are the statistical checks? False alarms on clean elections, power against documented fraud.

Why: a test that cries fraud on clean counts harms the people it should protect, and one that never fires
is decoration; docs/forensics.md prints what this script measures. Clean elections come from `saylau synth`
(heterogeneous districts and station sizes, previous-election figures per station, several seeds, 553 to
10,000 stations); the fraud models are `saylau.analysis.forensics.stuffing` (documented there and in the
docs): ballot stuffing at a share of stations (a fraction U(0.1, 0.6) of the abstainers' ballots added for
the leading party), heavy stuffing (U(0.5, 1.0)), and figures rewritten to round percentages.

For each size and condition it prints, over the seeds, how often each test fires at its stated level
(5%): the Klimek model (estimated stuffed share at or above its flag for the station count), the
integer-percentage test on turnout and on the leader's share, the last-digit test, and the out-of-line ranking
(any station flagged); where stuffing was injected, the Klimek estimate (mean and mean absolute error against
the injected share) and how many flagged stations were stuffed ones. Then every rate again with its 95%
Wilson interval: on clean elections beside the aim (at most 5%), elsewhere as the test's power, and every
election's Klimek estimate seed by seed, to pool runs of other seeds (docs/forensics.md pools them).

Run (under the CPU lock): `flock /tmp/saylau-cpu.lock .venv/bin/python benchmarks/forensics.py
[--seeds 20] [--first-seed 0] [--sizes 553,2000,10000] [--tests klimek,integer,digits,outliers]
[--conditions clean,...] [--resamples 1000]`. `--conditions clean --seeds 100` measures the false alarms alone;
`--calibrate --first-seed 1000` prints the Klimek estimate that clean elections of each size reach at most 5%
of the time (the flags in `saylau.analysis.forensics.klimek.FLAGS`), on seeds apart from the measured ones.
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from saylau.analysis.forensics import Quantity, contests, integer_test, klimek_fit, last_digit_test, outliers
from saylau.analysis.forensics.klimek import FLAGS
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
    p_values: dict[str, list[float]] = field(default_factory=dict)

    def record(self, test: str, p: float) -> None:
        self.p_values.setdefault(test, []).append(p)

    def add(self, estimate: float) -> None:
        if self.estimates is None:
            self.estimates = []
        self.estimates.append(estimate)


TESTS = ("klimek", "integer", "digits", "outliers")


def wilson(hits: int, runs: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson score interval of a rate of `hits` in `runs` (good near 0 and 1, unlike the normal one)."""
    if runs == 0:
        return (0.0, 1.0)
    rate = hits / runs
    centre = (rate + z * z / (2 * runs)) / (1 + z * z / runs)
    half = z * ((rate * (1 - rate) / runs + z * z / (4 * runs * runs)) ** 0.5) / (1 + z * z / runs)
    return (max(0.0, centre - half), min(1.0, centre + half))


def measure(
    size: int,
    seeds: int,
    resamples: int,
    tests: Sequence[str] = TESTS,
    only: Sequence[str] = (),
    first: int = 0,
    large: bool = False,
) -> None:
    districts = max(1, size // 26)  # Almaty: 553 stations in 21 districts
    conditions = [c for c in _conditions() if not only or c[0] in only]
    tallies = {name: Tally() for name, _, _ in conditions}
    started = time.perf_counter()
    for seed in range(first, first + seeds):
        election = synthesize(seed, districts, size, 6, heterogeneity=0.3, previous=True)
        for name, _share, inject in conditions:
            protocols, touched = inject(election.protocols, seed)
            contest = contests(protocols, election.previous)[0]
            t = tallies[name]
            t.runs += 1
            fit = klimek_fit(contest, seed) if "klimek" in tests else None
            if fit is not None:
                t.klimek += fit.fraud_like
                t.add(fit.stuffed)
            forms = {"large": 0} if large else {}
            for quantity in Quantity if "integer" in tests else ():
                test = integer_test(contest, quantity, resamples, seed, **forms)
                if test is not None:
                    t.record(f"integer, {quantity}", test.p_value)
                if test is not None and test.p_value < LEVEL:
                    if quantity is Quantity.TURNOUT:
                        t.integer_turnout += 1
                    else:
                        t.integer_share += 1
            digits = last_digit_test(contest, resamples, seed, **forms) if "digits" in tests else None
            if digits is not None:
                t.record("last digits", digits.p_value)
            t.digits += digits is not None and digits.p_value < LEVEL
            ranking = outliers(contest) if "outliers" in tests else None
            if ranking is not None:
                flagged = {o.station for o in ranking.flagged}
                t.outliers += bool(flagged)
                t.flagged += len(flagged)
                t.flagged_true += len(flagged & touched)
    seconds = time.perf_counter() - started
    print(f"\n{size:,} stations, {districts} districts, {seeds} seeds from {first} ({seconds:.0f} s)")
    print(
        f"{'condition':<20} {'Klimek':>7} {'int.turn':>8} {'int.share':>9} {'digits':>7} {'outliers':>8}"
        f" {'est. mean':>9} {'abs.err':>7} {'flagged (stuffed)':>18}"
    )
    for name, share, _ in conditions:
        t = tallies[name]
        estimates = t.estimates or [0.0]
        error = statistics.mean(abs(e - share) for e in estimates) if share else float("nan")

        def rate(hits: int, test: str, width: int, runs: int = t.runs) -> str:
            return f"{hits / runs:>{width}.0%}" if test in tests else f"{'-':>{width}}"

        print(
            f"{name:<20} {rate(t.klimek, 'klimek', 7)} {rate(t.integer_turnout, 'integer', 8)}"
            f" {rate(t.integer_share, 'integer', 9)} {rate(t.digits, 'digits', 7)} {rate(t.outliers, 'outliers', 8)}"
            f" {statistics.mean(estimates):>9.3f} {error:>7.3f} {t.flagged:>10} ({t.flagged_true})"
        )
    _calibration(tallies, conditions, tests)
    _uniformity(tallies)
    for name, _, _ in conditions:
        if tallies[name].estimates:
            every = " ".join(f"{e:.4f}" for e in tallies[name].estimates)
            print(f"  Klimek estimate, {name}, seed by seed (to pool runs of other seeds): {every}")


def kolmogorov(values: Sequence[float]) -> tuple[float, float]:
    """(D, p) of the Kolmogorov-Smirnov test of `values` against the uniform distribution on (0, 1): D the
    largest distance between their distribution and the uniform one, p its asymptotic p-value
    (2 sum (-1)^(k-1) exp(-2 k^2 x^2), x = D sqrt(n) with Stephens' correction)."""
    ranked = sorted(values)
    n = len(ranked)
    if not n:
        return (0.0, 1.0)
    d = max(max((i + 1) / n - v, v - i / n) for i, v in enumerate(ranked))
    x = d * (math.sqrt(n) + 0.12 + 0.11 / math.sqrt(n))
    p = 2 * sum((-1) ** (k - 1) * math.exp(-2 * k * k * x * x) for k in range(1, 101))
    return d, min(1.0, max(0.0, p))


def _uniformity(tallies: dict[str, Tally]) -> None:
    """On clean elections a calibrated test's p-values are uniform: their deciles (a tenth in each) and the
    Kolmogorov-Smirnov test against the uniform distribution."""
    clean = tallies.get("clean")
    if clean is None or not clean.p_values:
        return
    print("p-values on clean elections (uniform if the null is right): share in each tenth, KS D and p, mean")
    for test, values in clean.p_values.items():
        tenths = [0] * 10
        for v in values:
            tenths[min(9, int(v * 10))] += 1
        d, p = kolmogorov(values)
        shares = " ".join(f"{k / len(values):.2f}" for k in tenths)
        print(f"  {test:<20} n={len(values):<4} [{shares}]  D={d:.3f} p={p:.3f} mean={statistics.mean(values):.3f}")
        print(f"    every p: {' '.join(f'{v:.4f}' for v in values)}")


AIM = LEVEL
"""The aim on clean elections: each test fires at most at its level (5%)."""


def _calibration(
    tallies: dict[str, Tally], conditions: Sequence[tuple[str, float, Inject]], tests: Sequence[str]
) -> None:
    """Each test's rate with its 95% Wilson interval: on clean rows beside the aim, elsewhere as power."""
    columns: list[tuple[str, str, Callable[[Tally], int]]] = [
        ("Klimek", "klimek", lambda t: t.klimek),
        ("integer, turnout", "integer", lambda t: t.integer_turnout),
        ("integer, share", "integer", lambda t: t.integer_share),
        ("last digits", "digits", lambda t: t.digits),
        ("out of line", "outliers", lambda t: t.outliers),
    ]
    print(f"Rates with their 95% Wilson intervals (aim on clean elections: at most {AIM:.0%}):")
    for name, _, _ in conditions:
        t = tallies[name]
        for label, test, hits in columns:
            if test not in tests:
                continue
            fired = hits(t)
            low, high = wilson(fired, t.runs)
            verdict = ""
            if name == "clean":
                verdict = "  false alarms: " + (
                    "at or under the aim"
                    if fired / t.runs <= AIM
                    else "over the aim, but not significantly (the interval holds it)"
                    if low <= AIM
                    else "ABOVE THE AIM (the whole interval is over it)"
                )
            print(
                f"  {name:<20} {label:<17} {fired:>4}/{t.runs:<4} {fired / t.runs:>6.1%}"
                f"  [{low:6.1%}, {high:6.1%}]{verdict}"
            )


def calibrate(size: int, seeds: int, first: int) -> None:
    """The Klimek estimate on clean elections of `size` stations: its 97th percentile and the flag FLAGS holds
    (the next whole percentage point above it: 3% of these elections reach the flag, room under the 5% aim
    for the calibration's own sampling error). Run on seeds apart from those `measure` uses."""
    districts = max(1, size // 26)
    estimates = []
    for seed in range(first, first + seeds):
        election = synthesize(seed, districts, size, 6, heterogeneity=0.3, previous=True)
        fit = klimek_fit(contests(election.protocols, election.previous)[0], seed)
        if fit is not None:
            estimates.append(fit.stuffed)
    ranked = sorted(estimates)
    top = ranked[min(len(ranked) - 1, math.ceil(0.97 * len(ranked)) - 1)]
    above = (math.floor(top * 100 + 1e-9) + 1) / 100  # the next whole percentage point above it
    print(
        f"{size:,} stations, clean, seeds {first}-{first + seeds - 1}: Klimek estimate mean"
        f" {statistics.mean(ranked):.3f}, 97th percentile {top:.3f} (flag {above:.2f}), highest {ranked[-1]:.3f}"
    )
    print("  every estimate, lowest first (to pool runs of other seeds):", " ".join(f"{e:.3f}" for e in ranked))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20, help="Elections per size (seeds F..F+N-1).")
    parser.add_argument("--first-seed", type=int, default=0, help="The first seed F (default 0).")
    parser.add_argument("--sizes", default="553,2000,10000", help="Stations per election, comma-separated.")
    parser.add_argument("--resamples", type=int, default=1000, help="Redraws of the integer-percentage null.")
    parser.add_argument("--tests", default=",".join(TESTS), help="Which tests to run, comma-separated.")
    parser.add_argument("--conditions", default="", help="Only these conditions (names as printed), comma-separated.")
    parser.add_argument(
        "--calibrate",
        action="store_true",
        help="Print the Klimek estimate clean elections reach at most 5%% of the time per size (for FLAGS).",
    )
    parser.add_argument(
        "--large",
        action="store_true",
        help="The integer and digit tests in their large-sample form at every size (to measure that form).",
    )
    args = parser.parse_args()
    tests = [t for t in args.tests.split(",") if t]
    unknown = set(tests) - set(TESTS)
    if unknown:
        parser.error(f"unknown tests: {', '.join(sorted(unknown))} (one of {', '.join(TESTS)})")
    only = [c for c in args.conditions.split(",") if c]
    print(
        f"Rates at which each test fires at level {LEVEL:.0%} (Klimek: estimated stuffed share at or above its flag"
        f" for the station count, {FLAGS}); on clean rows that is the false-alarm rate, elsewhere the power."
    )
    for size in (int(s) for s in args.sizes.split(",")):
        if args.calibrate:
            calibrate(size, args.seeds, args.first_seed)
        else:
            measure(size, args.seeds, args.resamples, tests, only, args.first_seed, args.large)


if __name__ == "__main__":
    main()
