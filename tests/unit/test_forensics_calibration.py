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

from saylau.analysis.forensics import (
    Contest,
    ContestForensics,
    ContestKind,
    Quantity,
    StationVote,
    fingerprint,
    integer_test,
    klimek_fit,
    last_digit_test,
)
from saylau.analysis.forensics.integer import LARGE_REDRAWS
from saylau.analysis.forensics.klimek import FLAGS, flag
from saylau.reports.forensics import forensics_sheet
from saylau.reports.i18n import recording_misses


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


def _written() -> Contest:
    """Seed 3's clean count with one station in ten written as the count nearest a multiple of 5% turnout."""
    contest = _clean(3)
    written = tuple(
        s
        if i % 10
        else StationVote(
            s.station, 1, s.registered, (5 * round(20 * s.found / s.registered) * s.registered + 50) // 100, 0, ()
        )
        for i, s in enumerate(contest.stations)
    )
    return Contest(ContestKind.LIST, {1: "A"}, written)


def test_the_integer_test_finds_counts_written_to_round_percentages() -> None:
    """One station in ten with its turnout written as the count nearest a multiple of 5%: p at its floor."""
    test = integer_test(_written(), Quantity.TURNOUT, resamples=99, seed=3)
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


def test_the_large_sample_form_is_calibrated_on_binomial_counts() -> None:
    """The integer test's large-sample form (forced here at 300 stations: a normal null whose mean and variance
    10 redraws of every station measure) on the same 60 clean counts: p under 5% at most 6 times and p-values
    spread as uniform ones do. A form that left out the mean's own error, or the inner redraws, would fire
    more often; one whose variance were off would crowd the p-values to the middle or the ends."""
    p_values = []
    for seed in range(60):
        test = integer_test(_clean(seed), Quantity.TURNOUT, seed=seed, large=0)
        assert test is not None and test.large_sample and test.resamples == LARGE_REDRAWS
        p_values.append(test.p_value)
    assert sum(p <= 0.05 for p in p_values) <= 6, sorted(p_values)[:10]
    assert 0.4 <= float(np.mean(p_values)) <= 0.6
    assert 8 <= sum(p <= 0.25 for p in p_values) <= 24


def test_the_large_sample_form_finds_counts_written_to_round_percentages() -> None:
    """The same 30 written stations of 300 as above: the large-sample form's p is under 0.005 (54 integer
    stations where chance gives about 35, with a spread of about 6)."""
    test = integer_test(_written(), Quantity.TURNOUT, seed=3, large=0)
    assert test is not None and test.large_sample and test.p_value < 0.005


def _counts(seed: int, stations: int = 400, rounded: float = 0.0) -> Contest:
    """Stations of 400 to 3,000 ballots split among five options by binomial draws around each station's own
    shares (clean counts); `rounded`: that share of the stations with every count of 10 or more rounded to a
    multiple of 5, as counts made up by hand."""
    rng = np.random.default_rng([seed, 9])
    out = []
    for i in range(stations):
        found = int(rng.integers(400, 3000))
        counts = rng.multinomial(found, rng.dirichlet(np.full(5, 3.0)))
        if rng.random() < rounded:
            counts = np.where(counts >= 10, 5 * np.round(counts / 5), counts).astype(np.int64)
        out.append(StationVote(1000 + i, 1, 2 * found, found, int(counts[0]), tuple(int(c) for c in counts)))
    return Contest(ContestKind.LIST, {1: "A"}, tuple(out))


def test_the_last_digit_test_s_large_sample_form_is_calibrated_and_finds_made_up_counts() -> None:
    """40 clean counts of 400 stations (2,000 counts each), the large-sample form forced: p under 5% at most 5
    times (chance gives 2) and mean p about a half; with a fifth of the stations' counts rounded to multiples of
    5 (twice as many 0s and 5s there), p under 1 in 1,000."""
    p_values = []
    for seed in range(40):
        test = last_digit_test(_counts(seed), seed=seed, large=0)
        assert test is not None and test.large_sample
        p_values.append(test.p_value)
    assert sum(p <= 0.05 for p in p_values) <= 5, sorted(p_values)[:10]
    assert 0.35 <= float(np.mean(p_values)) <= 0.65
    made_up = last_digit_test(_counts(3, rounded=0.2), seed=3, large=0)
    assert made_up is not None and made_up.p_value < 0.001


def test_a_large_count_is_read_through_a_sample_of_the_stations() -> None:
    """With at most 100 stations read, a count of 300 is tested on 100 of them (the seed picks which: the same
    seed, the same sample), and says it read 100 of 300."""
    contest = _clean(5)
    first = integer_test(contest, Quantity.TURNOUT, resamples=99, seed=5, most=100)
    again = integer_test(contest, Quantity.TURNOUT, resamples=99, seed=5, most=100)
    assert first is not None and (first.stations, first.eligible) == (100, 300)
    assert first == again
    digits = last_digit_test(contest, resamples=99, seed=5, most=100)
    assert digits is not None and digits.eligible > 100 and sum(digits.digits) <= 100


def test_a_report_over_a_sample_says_so_in_every_language() -> None:
    """The model fitted to 100 of 300 stations and the integer test in its large-sample form: the report gives
    the 100 and says in a sentence that the count was read through a sample, in kk, ru and en (every word
    translated); the same count read whole says nothing of the kind."""
    contest = _clean(2)

    def result(most: int, large: int) -> ContestForensics:
        return ContestForensics(
            contest,
            fingerprint(contest),
            klimek_fit(contest, 2, most=most),
            integer_test(contest, Quantity.TURNOUT, 99, 2, large=large),
            None,
            None,
            None,
        )

    sampled, whole = result(100, 0), result(10_000, 10_000)
    assert sampled.klimek is not None and (sampled.klimek.stations, sampled.klimek.eligible) == (100, 300)
    sentences = {
        "en": "read through a random sample",
        "kk": "кездейсоқ іріктеме арқылы оқылады",
        "ru": "читается по случайной выборке",
    }
    with recording_misses() as misses:
        for lang, words in sentences.items():
            sheet = forensics_sheet([sampled], lang, figures=False)
            assert any(words in note for note in sheet.notes)
            model = dict(sheet.tables[0].rows)
            assert any(value == "100" for value in model.values())
            assert not any(words in note for note in forensics_sheet([whole], lang, figures=False).notes)
    assert misses == set()
