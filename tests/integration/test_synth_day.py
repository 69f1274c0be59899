"""`saylau synth --day`: an election day of Kazakhstan's 2023 shape that the day loader reads and declares.

The expected sums are computed here from the generated protocols, never through saylau's tabulation.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from saylau.domain import CommissionLevel
from saylau.io.day import load_day
from saylau.io.day_writer import write_day
from saylau.result_day import declare_day
from saylau.synth import KAZAKHSTAN_2023_REGIONS, SyntheticDay, synthesize_day

STATIONS = 1_000


@pytest.fixture(scope="module")
def generated() -> SyntheticDay:
    return synthesize_day(5, STATIONS)


def test_the_same_seed_gives_the_same_day(generated: SyntheticDay) -> None:
    again = synthesize_day(5, STATIONS)
    assert again.stations == generated.stations
    assert [c.protocols for c in again.contests] == [c.protocols for c in generated.contests]
    assert synthesize_day(6, STATIONS).contests[0].protocols != generated.contests[0].protocols


def test_the_day_has_kazakhstans_shape(generated: SyntheticDay) -> None:
    assert len(generated.stations) == STATIONS
    majilis, *maslihats = generated.contests
    assert (majilis.list_seats, len(majilis.candidates), majilis.seats) == (69, 29, 98)
    assert len(majilis.stations) == STATIONS
    assert len(maslihats) == len(KAZAKHSTAN_2023_REGIONS) == 20
    for contest in maslihats:
        assert contest.list_seats == len(contest.candidates)  # half by list, half in districts
        assert {s.number for s in contest.stations} == {
            s.number for s in generated.stations if s.region == contest.region
        }
    regions_of_majilis_district = {}
    for station in generated.stations:
        district = station.districts["majilis"]
        assert regions_of_majilis_district.setdefault(district, station.region) == station.region
    assert len(set(regions_of_majilis_district.values())) == 20  # every region has a Mäjilis district


def test_every_voter_takes_every_ballot(generated: SyntheticDay) -> None:
    found: dict[int, set[int]] = {}
    for contest in generated.contests:
        for protocol in contest.protocols:
            found.setdefault(protocol.station, set()).add(protocol.found)
    assert all(len(values) == 1 for values in found.values())
    kinds = Counter((p.station, p.ballot) for c in generated.contests for p in c.protocols)
    assert set(kinds.values()) == {2}  # list and district ballots of the Mäjilis and of the region's mäslihat


def test_the_written_day_loads_and_declares_its_own_sums(generated: SyntheticDay, tmp_path: Path) -> None:
    write_day(tmp_path / "day", generated)
    day = load_day(tmp_path / "day")
    assert [c.id for c in day.contests] == [c.id for c in generated.contests]
    declared = declare_day(day)
    for contest in generated.contests:
        tally = declared.results[contest.id].election.results.list_tally
        expected = Counter()  # type: Counter[str]
        for protocol in contest.protocols:
            if protocol.ballot == "list":
                expected.update(protocol.votes)
        assert tally is not None and dict(tally.votes) == dict(expected)
        assert declared.results[contest.id].composition.seats_total == contest.seats
    levels = Counter(c.level for c in day.commissions.values())
    districts = 29 + sum(len(c.candidates) for c in generated.contests[1:])
    assert levels == {
        CommissionLevel.CENTRAL: 1,
        CommissionLevel.TERRITORIAL: 20,
        CommissionLevel.DISTRICT: districts,
        CommissionLevel.PRECINCT: STATIONS,
    }
    assert all(day.declarer(c.id) is not None for c in day.contests)


def test_too_few_stations_are_refused() -> None:
    with pytest.raises(ValueError, match="at least"):
        synthesize_day(1, 100)


def test_the_command_writes_a_day_that_saylau_results_declares(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    import saylau.cli.results
    import saylau.cli.synth  # noqa: F401  (the modules register their commands)
    from saylau.cli.app import app

    out = tmp_path / "day"
    written = CliRunner().invoke(app, ["synth", str(out), "--day", "--seed", "2", "--stations", str(STATIONS)])
    assert written.exit_code == 0, written.output
    assert f"{STATIONS:,} stations, 21 contests" in written.stdout
    declared = CliRunner().invoke(app, ["results", str(out), "--contest", "majilis", "--json"])
    assert declared.exit_code == 0, declared.output
    assert json.loads(declared.stdout)["seats_total"] == 98
