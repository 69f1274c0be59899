"""`saylau results` counts a city's protocols one by one and a national count through columns
(`saylau.io.count.OBJECT_COUNT`); both give the same results, notices and refusals, on generated folders
that carry every kind of error the checks name (the files of `test_columnar_reader`)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.properties.test_columnar_reader import BASE, ELECTION, csv_text, election_of, json_text, protocol

from saylau.domain import Results
from saylau.errors import InputError, Problem
from saylau.io import count as protocols
from saylau.io.count import count_folder, results_from_protocols
from saylau.tabulation import Station, aggregation


def counted(folder: Path, by_objects: bool) -> tuple[Results | None, list[Problem]] | list[Problem]:
    """The results and notices of one path, or the problems it refuses the folder with."""
    notices: list[Problem] = []
    limit = 1 << 40 if by_objects else 0
    try:
        with mock.patch.object(protocols, "OBJECT_COUNT", limit):
            return results_from_protocols(folder, ELECTION, notices), notices
    except InputError as error:
        return error.problems


def tally_orders(results: Results | None) -> list[list[str]]:
    """The order of every tally's options: reports list them in this order."""
    if results is None:
        return []
    tallies = [results.list_tally, *results.district_tallies.values()]
    return [list(t.votes) for t in tallies if t is not None]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    files=st.lists(st.lists(protocol(), min_size=0, max_size=12), min_size=1, max_size=3),
    kinds=st.lists(st.sampled_from(["csv", "json"]), min_size=3, max_size=3),
    blank=st.booleans(),
    vector_rows=st.sampled_from([0, 2000]),
)
def test_a_small_count_gives_what_the_column_path_gives(
    files: list[list[dict[str, object]]], kinds: list[str], blank: bool, vector_rows: int
) -> None:
    """`vector_rows`: the object path's sums by numpy (0) or in Python integers (as for a city)."""
    texts = {
        f"f{k}.{kinds[k]}": (
            json_text(rows) if kinds[k] == "json" else csv_text(rows, blank=blank and k == 0, quoted=False, drop=None)
        )
        for k, rows in enumerate(files)
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = election_of(Path(tmp) / "election", texts)
        with mock.patch.object(aggregation, "VECTOR_ROWS", vector_rows):
            by_objects = counted(folder, by_objects=True)
        by_columns = counted(folder, by_objects=False)
        assert by_objects == by_columns
        if isinstance(by_objects, tuple) and isinstance(by_columns, tuple):
            assert tally_orders(by_objects[0]) == tally_orders(by_columns[0])


def test_the_almaty_count_is_the_same_by_either_path() -> None:
    by_objects, by_columns = counted(BASE, by_objects=True), counted(BASE, by_objects=False)
    assert isinstance(by_objects, tuple) and isinstance(by_columns, tuple)
    assert by_objects == by_columns
    assert tally_orders(by_objects[0]) == tally_orders(by_columns[0])
    assert by_objects[0] is not None and by_objects[0].list_tally is not None
    assert by_objects[0].list_tally.votes["Amanat"] == 151_531  # the seed's figure for Amanat's list votes


def folder_count(folder: Path, by_objects: bool) -> tuple[list[Station], tuple[object, ...]] | list[Problem]:
    """`count_folder` by one path: the register and the count (accepted protocols as a multiset), or the
    problems it refuses the folder with."""
    limit = 1 << 40 if by_objects else 0
    try:
        with mock.patch.object(protocols, "OBJECT_COUNT", limit):
            found = count_folder(folder, ELECTION)
    except InputError as error:
        return error.problems
    assert found is not None
    register, tabulation = found
    accepted = sorted(tabulation.accepted, key=lambda p: (p.station, p.ballot))
    return sorted(register, key=lambda s: s.number), (
        tabulation.list_tally,
        dict(tabulation.list_by_district),
        dict(tabulation.district_tallies),
        dict(tabulation.progress),
        tabulation.accounting,
        accepted,
        tabulation.findings,
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    files=st.lists(st.lists(protocol(), min_size=0, max_size=12), min_size=1, max_size=3),
    kinds=st.lists(st.sampled_from(["csv", "json"]), min_size=3, max_size=3),
)
def test_the_stations_count_is_the_same_by_either_path(files: list[list[dict[str, object]]], kinds: list[str]) -> None:
    """`count_folder` (the NIST export's precincts, the projection's stations) keeps the same accepted
    protocols through the column reader as one protocol at a time."""
    texts = {
        f"f{k}.{kinds[k]}": json_text(rows)
        if kinds[k] == "json"
        else csv_text(rows, blank=False, quoted=False, drop=None)
        for k, rows in enumerate(files)
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = election_of(Path(tmp) / "election", texts)
        assert folder_count(folder, by_objects=True) == folder_count(folder, by_objects=False)


def test_the_almaty_stations_are_the_same_by_either_path() -> None:
    by_objects = folder_count(BASE, by_objects=True)
    assert isinstance(by_objects, tuple) and by_objects[1][5]
    assert by_objects == folder_count(BASE, by_objects=False)
