"""The projection reads the count as arrays (issue 25): the column reader's tables, never an object per row.

`count_arrays` scatters the accepted protocols' tables into the model's arrays. Here it is held equal, on
generated counts, to the object path it replaced (kept below as the reference: one `Protocol` at a time, a
column for every candidate of the city): whole counts and partial ones, tables mixed with loose protocols, a
station reported twice (the last protocol counts), protocols of stations not in the register. And the
projection of a folder read through columns equals the one read protocol by protocol, with withdrawn lists
and candidates and a recorded drawing in the election.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saylau.analysis.projection import project, project_arrays
from saylau.analysis.projection.counted import CountArrays, HistoryColumns, count_arrays
from saylau.domain import Ballot, Election, LotDecision, Nominee, Particulars, Registration, TieTier
from saylau.io import columnar, load_election
from saylau.io.columnar import count_protocols
from saylau.io.history import read_history_columns
from saylau.io.protocols import plain_history, read_protocols, read_station_history
from saylau.io.writer import write_election
from saylau.synth import synthesize
from saylau.tabulation import Protocol, Station, StationHistory, tabulate
from saylau.tabulation.fast import AcceptedRows, ProtocolTable

Dense = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # type: ignore[type-arg]


def _reference(election: Election, stations: Sequence[Station], counted: Sequence[Protocol]) -> Dense:
    """The object path the arrays replaced: (list votes, list counted, district votes, district counted), the
    district ballot with a column for every candidate of the city (0 outside the station's district)."""
    index = {s.number: i for i, s in enumerate(stations)}
    districts = sorted(election.districts, key=lambda d: d.number)
    parties = [p.short_name for p in election.parties_in_registration_order]
    names = [c.name for d in districts for c in d.candidates]
    column = {(d.number, c.name): k for k, (d, c) in enumerate((d, c) for d in districts for c in d.candidates)}
    last: dict[tuple[int, str], Protocol] = {}
    for p in counted:
        if p.station in index:
            last[(index[p.station], p.ballot)] = p
    lists, list_seen = np.zeros((len(stations), len(parties) + 2)), np.zeros(len(stations), bool)
    races, race_seen = np.zeros((len(stations), len(names) + 2)), np.zeros(len(stations), bool)
    for (i, ballot), p in last.items():
        if ballot == "list":
            lists[i] = [*(p.votes.get(q, 0) for q in parties), p.against_all, p.invalid]
            list_seen[i] = True
            continue
        here = stations[i].district
        for name, n in p.votes.items():
            if (here, name) in column:
                races[i, column[(here, name)]] = n
        races[i, -2:] = (p.against_all, p.invalid)
        race_seen[i] = True
    return lists, list_seen, races, race_seen


def _dense(arrays: CountArrays) -> Dense:
    """The arrays' district ballot widened back to a column per candidate, beside the list ballot."""
    assert arrays.list_ballot is not None and arrays.district_ballot is not None
    narrow = arrays.district_ballot.votes
    wide = np.zeros((narrow.shape[0], len(arrays.candidates) + 2))
    for j, (_, _, k) in enumerate(arrays.candidates):
        mine = arrays.district == k
        wide[mine, j] = narrow[mine, arrays.candidate_column[j]]
    wide[:, -2:] = narrow[:, -2:]
    return arrays.list_ballot.votes, arrays.list_ballot.counted, wide, arrays.district_ballot.counted


def _assert_same(got: Dense, want: Dense) -> None:
    for a, b in zip(got, want, strict=True):
        assert a.shape == b.shape
        assert np.array_equal(a, b)


def _history_reference(stations: Sequence[Station], parties: Sequence[str], history: Mapping[int, StationHistory]):  # type: ignore[no-untyped-def]
    """Previous turnout and shares, station by station (a station without history: NaN, to compare the known)."""
    out = np.full((len(stations), 1 + len(parties)), np.nan)
    for i, s in enumerate(stations):
        h = history.get(s.number)
        if h is not None and h.found > 0:
            out[i] = [h.found / h.registered, *(h.votes.get(q, 0) / h.found for q in parties)]
    return out


_folders: dict[tuple[int, int, int, int], tuple[Path, Election, list[Station], list[Protocol], AcceptedRows]] = {}


def _folder(tmp: Path, seed: int, districts: int, stations: int, parties: int):  # type: ignore[no-untyped-def]
    """A generated election folder (with protocol errors, left out of the count) read both ways, made once."""
    key = (seed, districts, stations, parties)
    if key not in _folders:
        folder = tmp / "-".join(map(str, key))
        write_election(
            folder, synthesize(seed, districts, stations, parties, errors=2, heterogeneity=0.3, previous=True)
        )
        election = load_election(folder, count_protocols=False)
        found = read_protocols([folder])
        assert found.stations is not None
        objects = list(tabulate(found.protocols, election, found.stations).accepted)
        columns = count_protocols([folder], election, keep_accepted=True)
        assert isinstance(columns.accepted, AcceptedRows) and columns.accepted == objects
        _folders[key] = (folder, election, found.stations, objects, columns.accepted)
    return _folders[key]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.integers(0, 3),
    districts=st.integers(1, 5),
    stations=st.integers(5, 60),
    parties=st.integers(2, 5),
    share=st.floats(0.0, 1.0),
    cuts=st.lists(st.floats(0.0, 1.0), max_size=3),
    again=st.integers(0, 3),
    data=st.data(),
)
def test_the_arrays_equal_the_object_path_on_generated_counts(
    tmp_path_factory, seed, districts, stations, parties, share, cuts, again, data
) -> None:  # type: ignore[no-untyped-def]
    """Whole and partial counts, the rows split into tables and loose protocols, some stations reported again
    (later, with other figures) and some protocols of stations not in the register: the arrays are the
    reference's, and the history too."""
    folder, election, register, objects, _ = _folder(
        tmp_path_factory.getbasetemp(), seed, districts, max(stations, districts), parties
    )
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    counted = [p for p in objects if rng.random() < share]
    for p in counted[:again]:  # a second protocol of the same station and ballot: the last one counts
        counted.append(replace(p, against_all=p.against_all + 1, votes={k: v + 2 for k, v in p.votes.items()}))
    counted.append(replace(objects[0], station=10**9))  # not in the register: ignored
    pieces: list[ProtocolTable | Protocol] = []
    edges = sorted({0, len(counted), *(round(c * len(counted)) for c in cuts)})
    for k, (a, b) in enumerate(itertools.pairwise(edges)):
        pieces += [ProtocolTable.of(counted[a:b])] if k % 2 == 0 else counted[a:b]
    want = _reference(election, register, counted)
    _assert_same(_dense(count_arrays(election, register, counted)), want)
    _assert_same(_dense(count_arrays(election, register, AcceptedRows(pieces))), want)
    history, problems = read_station_history(folder, [p.short_name for p in election.parties])
    assert problems == [] and history is not None
    arrays = count_arrays(election, register, AcceptedRows(pieces), history)
    reference = _history_reference(register, arrays.parties, history)
    known = ~np.isnan(reference[:, 0])
    assert arrays.history is not None and np.array_equal(arrays.history[known], reference[known])
    columns, _ = read_history_columns(folder, [p.short_name for p in reversed(election.parties)])
    assert columns is not None  # the parties in another order: each column still goes to its party
    assert np.array_equal(count_arrays(election, register, counted, columns).history, arrays.history)


def _withdrawn(election: Election) -> Election:
    """Lists twice as long (so that no drawn count runs out of names), the last party's list withdrawn, the
    first list's second candidate withdrawn, and a recorded drawing between the middle two parties."""
    parties = [p.short_name for p in election.parties_in_registration_order]
    lists = {
        name: replace(entry, candidates=(*entry.candidates, *(f"{c} (more)" for c in entry.candidates)))
        for name, entry in election.lists.items()
    }
    out = Particulars(withdrawn=date(2026, 3, 1))
    nominees = tuple(
        Nominee(name, parties[0], Ballot.LIST, position=k + 1, particulars=out if k == 1 else Particulars())
        for k, name in enumerate(lists[parties[0]].candidates)
    )
    registration = Registration(nominees, {parties[-1]: date(2026, 3, 1)})
    decision = LotDecision(TieTier.LIST, (parties[1], parties[2]), 1, (parties[2],))
    return replace(election, lists=lists, registration=registration, decisions=(decision,))


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 3), share=st.sampled_from([0.15, 0.5, 1.0]), changed=st.booleans())
def test_a_folder_projects_the_same_through_columns_and_object_by_object(
    tmp_path_factory, seed, share, changed
) -> None:  # type: ignore[no-untyped-def]
    """The projection of the column reader's tables equals the projection of the same protocols read one by one,
    partial counts (smallest stations first) and elections with withdrawals and a recorded drawing included."""
    folder, election, register, objects, columns = _folder(tmp_path_factory.getbasetemp(), seed, 4, 60, 4)
    if changed:
        election = _withdrawn(election)
    history, _ = read_station_history(folder, [p.short_name for p in election.parties])
    order = sorted(register, key=lambda s: (s.registered, s.number))
    shown = {s.number for s in order[: round(len(order) * share)]}
    by_objects = project(
        election, register, [p for p in objects if p.station in shown], history=history, draws=300, seed=seed
    )
    mask = np.array([s.number in shown for s in register])
    arrays = count_arrays(election, register, columns, history).only(mask)
    assert project_arrays(election, arrays, draws=300, seed=seed) == by_objects
    reported = {(p.station, p.ballot) for p in objects}  # both ballots accepted (errors=2: some left out)
    assert by_objects.stations_counted == sum((n, "list") in reported and (n, "district") in reported for n in shown)


def _same_history(got: HistoryColumns | None, want: HistoryColumns | None) -> None:
    assert (got is None) == (want is None)
    if got is not None and want is not None:
        order, expected = np.argsort(got.station, kind="stable"), np.argsort(want.station, kind="stable")
        assert got.parties == want.parties
        for name in ("station", "registered", "found", "votes"):
            assert np.array_equal(getattr(got, name)[order], getattr(want, name)[expected]), name


@pytest.mark.parametrize("small", [columnar.SMALL, 0])
def test_history_columns_read_as_the_row_reader_reads(
    tmp_path: Path, small: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """stations.csv's previous figures read into columns by the one reader of them (`small` 0: by pyarrow, as a
    national register is; else by the csv module) are the row reader's; a file that is not plain (a new
    station's empty cells, a blank line, a party the election does not register; for the csv module a cell
    with spaces too, which pyarrow reads as the row reader does) is read by the row reader, with its problems."""
    monkeypatch.setattr(columnar, "SMALL", small)
    folder = tmp_path / "e"
    write_election(folder, synthesize(5, 3, 40, 3, previous=True))
    parties = ["Party 1", "Party 2", "Party 3"]
    path = folder / "stations.csv"
    plain = path.read_text(encoding="utf-8")

    def both(
        text: str, names: list[str] = parties, *, fast: bool = False, arrow: bool | None = None
    ) -> tuple[HistoryColumns | None, list[object]]:
        path.write_text(text, encoding="utf-8")
        history, problems = read_station_history(folder, names)
        columns, said = read_history_columns(folder, names)
        assert said == problems
        _same_history(columns, HistoryColumns.of(history, names) if history is not None else None)
        # which path: the one reader's columns (pyarrow for a national register, the csv module for a city's)
        assert (columnar.read_previous_columns(folder, set(names)) is not None) == (fast if arrow is None else arrow)
        assert (plain_history(folder, set(names)) is not None) == fast
        return columns, said

    columns, _ = both(plain, fast=True)
    assert columns is not None and len(columns) == 40
    assert both(plain, [*parties, "Party 9"], fast=True)[0] is not None  # a party without a column: 0 votes
    lines = plain.splitlines()
    header = lines[0].split(",")
    spaced = lines[1].split(",")
    spaced[header.index("previous:Party 1")] = f" {spaced[header.index('previous:Party 1')]} "
    both("\n".join([lines[0], ",".join(spaced), *lines[2:]]) + "\n", arrow=True)
    new = lines[2].split(",")
    for k, name in enumerate(header):
        if name.startswith("previous:"):
            new[k] = ""
    assert len(both("\n".join([*lines[:2], ",".join(new), *lines[3:]]) + "\n")[0] or ()) == 39
    found = lines[3].split(",")
    found[header.index("previous:found")] = ""  # the sum of the party votes, on both paths
    both("\n".join([*lines[:3], ",".join(found), *lines[4:]]) + "\n", fast=True)
    both("\n".join([*lines[:5], "", *lines[5:]]) + "\n")
    assert both(plain, parties[:2])[1]  # previous:Party 3 names no registered party: a problem
    path.write_text("\n".join(",".join(r.split(",")[:3]) for r in lines) + "\n", encoding="utf-8")
    assert read_history_columns(folder, parties) == (None, [])  # no previous: columns
