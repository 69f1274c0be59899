"""Each statistic of `saylau.analysis.forensics` on hand-made stations whose answers are worked out here.

Known answers come from the arithmetic in each test's docstring, never from the code under test.
"""

from __future__ import annotations

import numpy as np
import pytest

from saylau.analysis.forensics import (
    Contest,
    ContestKind,
    Quantity,
    StationVote,
    contests,
    fingerprint,
    integer_test,
    is_integer_percentage,
    last_digit_test,
    outliers,
)
from saylau.analysis.forensics.klimek import expected_points
from saylau.tabulation import Protocol


def _station(number: int, registered: int, found: int, leader: int, district: int = 1, *counts: int) -> StationVote:
    return StationVote(number, district, registered, found, leader, counts or (leader, found - leader))


def _contest(stations: list[StationVote]) -> Contest:
    return Contest(ContestKind.LIST, {s.district: "A" for s in stations}, tuple(stations))


def _protocol(station: int, district: int, ballot: str, votes: dict[str, int], registered: int = 1000) -> Protocol:
    found = sum(votes.values()) + 10
    return Protocol(
        station,
        district,
        ballot,
        registered,
        registered,
        found,
        0,
        0,
        registered - found,
        found,
        5,
        5,
        votes,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("count", "of", "integer"),
    [
        (600, 1200, True),  # exactly 50%
        (601, 1200, False),  # 50.083%: 100 x 601 = 60,100 = 50 x 1,200 + 100, and 100 > 50
        (457, 1234, True),  # 37% of 1,234 is 456.58: 457 is the nearest count (45,700 - 45,658 = 42 <= 50)
        (456, 1234, False),  # 45,658 - 45,600 = 58 > 50
        (0, 500, True),  # 0%
        (500, 500, True),  # 100%
        (7, 100, True),  # with 100 behind it every count is a whole percentage
    ],
)
def test_integer_percentage_is_the_count_nearest_to_a_whole_percentage(count: int, of: int, integer: bool) -> None:
    assert is_integer_percentage(count, of) is integer


def test_integer_test_on_a_count_of_round_turnouts_rejects_chance() -> None:
    """200 stations of 1,000 registered voters, every one at exactly 50.0% turnout: all 200 are integer; a
    binomial redraw lands on a whole percentage with chance about 101/1000 per station, so no redraw reaches
    200 and p = 1 / (resamples + 1)."""
    contest = _contest([_station(i, 1000, 500, 250) for i in range(200)])
    test = integer_test(contest, Quantity.TURNOUT, resamples=199, seed=1)
    assert test is not None
    assert (test.stations, test.observed) == (200, 200)
    assert test.p_value == 1 / 200
    assert 10 < test.null_mean < 40 and test.null_high < 200
    assert test.excess > 150


def test_integer_test_with_no_round_station_cannot_reject() -> None:
    """Turnout 505/1000 = 50.5% is not integer (100 x 505 mod 1000 = 500 > 50): observed 0, and every redraw
    has at least 0, so p = 1."""
    contest = _contest([_station(i, 1000, 505, 250) for i in range(50)])
    test = integer_test(contest, Quantity.TURNOUT, resamples=99, seed=0)
    assert test is not None and test.observed == 0 and test.p_value == 1.0


def test_integer_test_leaves_out_percentages_with_100_or_fewer_behind_them() -> None:
    contest = _contest([_station(1, 100, 50, 25), _station(2, 101, 50, 25)])
    turnout = integer_test(contest, Quantity.TURNOUT, resamples=99)
    assert turnout is not None and turnout.stations == 1  # only the station of 101 voters
    assert integer_test(contest, Quantity.SHARE, resamples=99) is None  # 50 ballots found: too few


def test_last_digit_test_on_even_and_on_made_up_digits() -> None:
    """Counts 10..109 of stations of 2,000 ballots end in every digit ten times: redraws of such counts
    scatter over all digits too, so the observed digits are as close to the null as most redraws (p > 0.5).
    100 counts that all end in 5 (15, 25, ..., 1005): 100 fives where the redraws give about 10 of each digit;
    no redraw comes near, so p = 1 / (redraws + 1)."""
    even = last_digit_test(_contest([StationVote(i, 1, 4000, 2000, 0, (10 + i,)) for i in range(100)]), 199)
    assert even is not None and even.digits == (10,) * 10 and even.p_value > 0.5
    assert all(8 < e < 12 for e in even.expected)
    fives = _contest([StationVote(i, 1, 4000, 2000, 0, (15 + 10 * i, 3)) for i in range(100)])
    made_up = last_digit_test(fives, 199)
    assert made_up is not None
    assert made_up.digits[5] == 100 and made_up.counts == 100  # the 3s are under 10: not read
    assert made_up.chi_square > 500
    assert made_up.p_value == 1 / 200


def test_fingerprint_cells_are_exact_and_skip_stations_nobody_voted_at() -> None:
    """555/1000 = 55.5% -> turnout cell 55; 111/555 = 20% exactly -> share cell 20 (a float 0.2 x 100 could
    fall in 19); 1,010 found of 1,000 (voters added on the day) -> the last column; no ballot -> left out."""
    contest = _contest(
        [
            _station(1, 1000, 555, 111),
            _station(2, 1000, 555, 111),
            _station(3, 1000, 1010, 1010),
            _station(4, 900, 0, 0),
        ]
    )
    f = fingerprint(contest)
    assert f.cells == {(55, 20): 2, (99, 99): 1}
    assert (f.stations, f.left_out, f.peak) == (3, 1, 2)


def test_contests_find_each_ballots_leader() -> None:
    """List ballot: B has 200 + 250 = 450 against A's 300 + 100 = 400, so B leads (though A wins station 1).
    District 2: X and Y tie at 100, the first in name order leads (a statistic decides no seat)."""
    protocols = [
        _protocol(1, 1, "list", {"A": 300, "B": 200}),
        _protocol(2, 2, "list", {"A": 100, "B": 250}),
        _protocol(1, 1, "district", {"Q": 50, "R": 40}),
        _protocol(2, 2, "district", {"Y": 100, "X": 100}),
    ]
    found = {c.kind: c for c in contests(protocols, parties_of={1: {"Q": "A"}, 2: {"X": None}})}
    assert found[ContestKind.LIST].leader == "B"
    assert [s.leader for s in found[ContestKind.LIST].stations] == [200, 250]
    assert dict(found[ContestKind.DISTRICT].leaders) == {1: "Q", 2: "X"}
    assert [s.leader for s in found[ContestKind.DISTRICT].stations] == [50, 100]


def test_outliers_rank_the_one_station_out_of_line_first_and_flag_only_it() -> None:
    """60 stations in 3 districts, turnout 40-59% and share 30-49% in a fixed pattern; one station at 90%
    turnout with 85% for the leader is many spreads away: first, and the only one flagged."""
    stations = [
        _station(
            i,
            1000,
            400 + 10 * ((7 * i) % 20),
            (300 + 10 * ((3 * i) % 20)) * (400 + 10 * ((7 * i) % 20)) // 1000,
            1 + i % 3,
        )
        for i in range(60)
    ]
    stations.append(_station(999, 1000, 900, 765, 2))
    ranking = outliers(_contest(stations))
    assert ranking is not None
    assert ranking.stations[0].station == 999
    assert [o.station for o in ranking.flagged] == [999]
    assert ranking.stations[0].z_turnout > 3 and ranking.stations[0].z_share > 3
    assert not ranking.uses_previous


def test_outliers_use_the_previous_result_when_every_station_has_one() -> None:
    """A station that always votes 80% for the leader is in line with itself: with its previous share known,
    it is no longer the furthest out."""
    stations = [
        StationVote(i, 1 + i % 2, 1000, 500, 300 + (i % 7) * 5, (1,), 0.5, 0.3 + (i % 7) * 0.005) for i in range(40)
    ]
    loyal = StationVote(99, 1, 1000, 500, 400, (1,), 0.5, 0.8)
    without = outliers(
        _contest([*(StationVote(*s[:6]) for s in _tuples(stations)), StationVote(99, 1, 1000, 500, 400, (1,))])
    )
    with_history = outliers(_contest([*stations, loyal]))
    assert without is not None and with_history is not None
    assert with_history.uses_previous and not without.uses_previous
    assert without.stations[0].station == 99
    assert with_history.stations[0].station != 99


def _tuples(stations: list[StationVote]) -> list[tuple[int, int, int, int, int, tuple[int, ...]]]:
    return [(s.station, s.district, s.registered, s.found, s.leader, s.counts) for s in stations]


def test_the_klimek_model_centres_each_station_on_its_district_and_weighs_stuffed_stations_out() -> None:
    """Two districts of 40 stations, 1,000 voters each, turnout 50% everywhere, the leader at 30% in
    district 1 and 60% in district 2 (alternately 2 points over and under, so each district's mean is exactly
    30% or 60%). The expected point of every station is its district's (turnout 50%, share 30% or 60%): no
    size or previous figures to explain anything else. The first station (28%) then reads 90%: with every station
    weighed alike its district's expected share rises by (90 - 28) / 40 = 1.55 points (moved a little, since
    the district effects are random effects, by under 0.1 point here: the districts differ by 30 points, their
    stations by 2); weighed as stuffed (weight 0) it leaves its district at 30%."""
    share = np.array([(0.3 if i < 40 else 0.6) + (0.02 if i % 2 else -0.02) for i in range(80)])
    turnout = np.full(80, 0.5)
    covariates = np.column_stack([np.ones(80), np.zeros(80)])
    group = np.repeat(np.arange(2), 40).astype(np.int64)
    expected_turnout, expected_share = expected_points(turnout, share, np.ones(80), covariates, group)
    assert np.allclose(expected_turnout, 0.5)
    assert np.allclose(expected_share[:40], 0.3, atol=1e-3) and np.allclose(expected_share[40:], 0.6, atol=1e-3)
    share[0] = 0.9
    _, alike = expected_points(turnout, share, np.ones(80), covariates, group)
    weights = np.ones(80)
    weights[0] = 0.0
    _, weighed = expected_points(turnout, share, weights, covariates, group)
    assert 0.315 <= alike[1] <= 0.317
    assert abs(weighed[1] - 0.3) < 1e-3 and np.allclose(weighed[40:], 0.6, atol=1e-3)
