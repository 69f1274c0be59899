"""The properties that make the statistics honest, on small hand-made counts with fixed seeds (fast, not timed).

- the integer test's double resampling: on counts that are binomial draws (clean by construction) its
  p-values spread over (0, 1) and fall under 5% no more often than chance allows; counts written to round
  percentages are found;
- the Klimek flag: read between the calibrated station counts (the joint fit's reading of mild stuffing is in
  tests/properties/test_forensics_injected.py, on 2,000 stations).

Each assertion can fail: a p-value computed against the wrong tail, or a null that ignores its own centre's
error, fails the first; a test blind to written-in figures fails the second.
"""

from __future__ import annotations

import numpy as np

from saylau.analysis.forensics import Contest, ContestKind, Quantity, StationVote, integer_test
from saylau.analysis.forensics.klimek import FLAGS, flag


def _clean(seed: int, stations: int = 300) -> Contest:
    """Stations of 150 to 3,000 voters, each with its own turnout rate, and turnout drawn binomially from it."""
    rng = np.random.default_rng([seed, 7])
    registered = rng.integers(150, 3000, stations)
    rate = rng.beta(8, 8, stations)
    found = rng.binomial(registered, rate)
    return Contest(
        ContestKind.LIST,
        {1: "A"},
        tuple(
            StationVote(1000 + i, 1, int(n), int(k), int(k) // 2, (int(k) // 2, int(k) - int(k) // 2, 0))
            for i, (n, k) in enumerate(zip(registered, found, strict=True))
        ),
    )


def test_the_integer_test_is_calibrated_on_binomial_counts() -> None:
    """60 clean counts of 300 stations: p under 5% at most 6 times (chance gives 3; 6 or more happens about 1
    time in 12 for a calibrated test, far more often for one that is not), and the p-values spread as
    uniform ones do (mean 0.5, a quarter of them under 0.25)."""
    p_values = []
    for seed in range(60):
        test = integer_test(_clean(seed), Quantity.TURNOUT, resamples=99, seed=seed)
        assert test is not None and test.stations == 300
        p_values.append(test.p_value)
    assert sum(p <= 0.05 for p in p_values) <= 6, sorted(p_values)[:10]
    assert 0.4 <= float(np.mean(p_values)) <= 0.6
    assert 8 <= sum(p <= 0.25 for p in p_values) <= 24


def test_the_integer_test_finds_counts_written_to_round_percentages() -> None:
    """One station in ten with its turnout written as the count nearest a multiple of 5%: p at its floor."""
    contest = _clean(3)
    written = tuple(
        s
        if i % 10
        else StationVote(
            s.station, 1, s.registered, (5 * round(20 * s.found / s.registered) * s.registered + 50) // 100, 0, ()
        )
        for i, s in enumerate(contest.stations)
    )
    test = integer_test(Contest(ContestKind.LIST, {1: "A"}, written), Quantity.TURNOUT, resamples=99, seed=3)
    assert test is not None and test.p_value == 0.01
    assert test.observed - test.null_mean > 15  # 30 stations written, some of them integer by chance anyway


def test_the_flag_is_read_between_the_calibrated_station_counts() -> None:
    """At each calibrated size its own flag; between two, between their flags; past either end, held."""
    for stations, value in FLAGS:
        assert flag(stations) == value
    (small, first), (middle, second), last = FLAGS[0], FLAGS[1], FLAGS[-1][1]
    assert min(first, second) <= flag((small + middle) // 2) <= max(first, second)
    assert flag((small + middle) // 2) not in (first, second)  # read between them, not a step
    assert flag(100) == first and flag(1_000_000) == last
