"""Counting upward (saylau.tabulation.aggregation): totals are the sums of the accepted protocols, a bad
protocol is left out without stopping the others, and progress says partial until every station is in."""

from __future__ import annotations

from saylau.domain import Tally
from saylau.tabulation import Protocol, tabulate
from tests.unit.test_protocol_checks import STATIONS, clean, small_election


def district_ballot(station: int, district: int, votes: dict[str, int]) -> Protocol:
    """A clean district-ballot protocol: registered 1000, found = sum(votes) + 20 against all + 10 invalid."""
    found = sum(votes.values()) + 30
    return clean(
        station, ballot="district", district=district, votes=votes, found=found, issued=found, cancelled=1010 - found
    )


def all_protocols() -> list[Protocol]:
    return [
        clean(1),
        clean(2, votes={"A": 100, "B": 470}),
        clean(3, district=2, votes={"A": 500, "B": 70}),
        district_ballot(1, 1, {"Ann": 300, "Bob": 270}),
        district_ballot(2, 1, {"Ann": 100, "Bob": 200}),
        district_ballot(3, 2, {"Cat": 50, "Dan": 60}),
    ]


def test_totals_are_the_sums_of_the_protocols() -> None:
    """List ballot: A 370 + 100 + 500 = 970, B 200 + 470 + 70 = 740; 3 x 20 against all, 3 x 10 invalid."""
    count = tabulate(all_protocols(), small_election(), STATIONS)
    assert count.findings == ()
    assert count.list_tally == Tally({"A": 970, "B": 740}, 60, 30, 1800, 3000)
    assert count.list_by_district == {
        1: Tally({"A": 470, "B": 670}, 40, 20, 1200, 2000),
        2: Tally({"A": 500, "B": 70}, 20, 10, 600, 1000),
    }
    assert count.district_tallies == {
        1: Tally({"Ann": 400, "Bob": 470}, 40, 20, 930, 2000),
        2: Tally({"Cat": 50, "Dan": 60}, 20, 10, 140, 1000),
    }
    for tally in (count.list_tally, *count.district_tallies.values()):
        assert tally.valid + tally.invalid == tally.took_part
    assert all(type(v) is int for v in count.list_tally.votes.values())
    assert {b: p.status for b, p in count.progress.items()} == {"list": "complete", "district": "complete"}
    results = count.results()
    assert results.list_tally == count.list_tally and results.district_tallies == count.district_tallies


def test_a_bad_protocol_is_left_out_and_the_others_count() -> None:
    protocols = all_protocols()
    protocols[1] = clean(2, votes={"A": 100, "B": 470}, found=601)  # P001
    count = tabulate(protocols, small_election(), STATIONS)
    assert [f.code for f in count.findings] == ["P001"]
    assert count.list_tally == Tally({"A": 870, "B": 270}, 40, 20, 1200, 2000)
    progress = count.progress["list"]
    assert (progress.stations_reported, progress.stations_expected, progress.status) == (2, 3, "partial")
    assert (progress.registered_covered, progress.registered_expected) == (2000, 3000)
    assert count.progress["district"].status == "complete"


def test_an_identical_duplicate_counts_once_and_conflicting_ones_not_at_all() -> None:
    twice = tabulate([*all_protocols(), clean(1)], small_election(), STATIONS)
    assert twice.list_tally == tabulate(all_protocols(), small_election(), STATIONS).list_tally
    conflicting = tabulate(
        [*all_protocols(), clean(1, invalid=11, votes={"A": 369, "B": 200})], small_election(), STATIONS
    )
    assert conflicting.list_tally is not None and conflicting.list_tally.votes == {"A": 600, "B": 540}


def test_nothing_reported_yet() -> None:
    count = tabulate([], small_election(), STATIONS)
    assert count.list_tally is None, "no list protocol counted yet: no list seat can be allocated"
    assert count.district_tallies == {}
    assert count.progress["list"].stations_reported == 0 and count.progress["list"].status == "partial"
