"""Generated elections: the count equals the plain sums of the accepted protocols, every injected error is
found where it was put, and the column path agrees with the object path."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saylau.domain import Election
from saylau.io import load_election
from saylau.io.writer import write_election
from saylau.synth import SyntheticElection, synthesize
from saylau.tabulation import FIGURES, Protocol, check, tabulate
from saylau.tabulation.fast import COLUMN_CODES, ProtocolColumns, accepted, check_columns, tabulate_columns

sizes = st.tuples(
    st.integers(0, 2**32 - 1),  # seed
    st.integers(1, 4),  # districts
    st.integers(0, 12),  # stations beyond one per district
    st.integers(2, 6),  # parties
    st.integers(0, 8),  # errors
)
few = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def generate(seed: int, districts: int, extra: int, parties: int, errors: int) -> SyntheticElection:
    stations = districts + extra
    return synthesize(seed, districts, stations, parties, errors=min(errors, stations))


def election_of(synth: SyntheticElection) -> Election:
    """The election as `load_election` reads the written folder (totals, not the protocols)."""
    with tempfile.TemporaryDirectory() as folder:
        write_election(Path(folder), synth)
        return load_election(folder, count_protocols=False)


@few
@given(sizes)
def test_the_count_is_the_sum_of_the_accepted_protocols(size: tuple[int, int, int, int, int]) -> None:
    synth = generate(*size)
    count = tabulate(synth.protocols, election_of(synth), synth.stations)
    list_counted = any(p.ballot == "list" for p in count.accepted)
    assert count.list_tally == (synth.expected_list_tally if list_counted else None)  # nothing counted: no tally
    assert dict(count.list_by_district) == synth.expected_list_by_district
    assert dict(count.district_tallies) == synth.expected_district_tallies
    assert count.progress["district"].status == "complete"
    assert (count.progress["list"].status == "complete") == (not synth.injected)


@few
@given(sizes)
def test_every_injected_error_is_found_where_it_was_put(size: tuple[int, int, int, int, int]) -> None:
    synth = generate(*size)
    findings = check(synth.protocols, election_of(synth), synth.stations)
    found = {(f.station, f.ballot, f.code) for f in findings}
    assert {(i.station, i.ballot, i.code) for i in synth.injected} <= found
    assert {f.code for f in findings if f.severity == "error"} <= {i.code for i in synth.injected}


def columns_of(protocols: list[Protocol], options: tuple[str, ...]) -> ProtocolColumns:
    return ProtocolColumns(
        station=np.array([p.station for p in protocols], dtype=np.int64),
        district=np.array([p.district for p in protocols], dtype=np.int64),
        figures={f: np.array([p.figure(f) for p in protocols], dtype=np.int64) for f in FIGURES},
        votes=np.array([[p.votes.get(o, 0) for o in options] for p in protocols], dtype=np.int64).reshape(
            len(protocols), len(options)
        ),
    )


@few
@given(sizes)
def test_the_column_path_agrees_with_the_object_path(size: tuple[int, int, int, int, int]) -> None:
    synth = generate(*size)
    structural = {i.station for i in synth.injected if i.code not in COLUMN_CODES}  # P004, P007: names and keys
    protocols = [p for p in synth.protocols if p.ballot == "list" and p.station not in structural]
    register = {s.number: s.district for s in synth.stations}
    columns = columns_of(protocols, synth.parties)
    masks = check_columns(columns, np.array([register[p.station] for p in protocols], dtype=np.int64))
    by_columns = {(int(columns.station[i]), code) for code, m in masks.items() for i in np.flatnonzero(m)}
    by_objects = {(f.station, f.code) for f in check(protocols, None, synth.stations) if f.code in COLUMN_CODES}
    assert by_columns == by_objects
    keep = accepted(masks)
    sums = tabulate_columns(columns, columns.district - 1, len(synth.districts), keep)
    expected = synth.expected_list_by_district
    for d in synth.districts:
        tally = expected.get(d)
        votes = [tally.votes.get(p, 0) if tally else 0 for p in synth.parties]
        assert sums.votes[d - 1].tolist() == votes
        assert int(sums.took_part[d - 1]) == (tally.took_part if tally else 0)
        assert int(sums.registered[d - 1]) == (tally.registered if tally else 0)
        assert int(sums.against_all[d - 1]) == (tally.against_all if tally else 0)
        assert int(sums.invalid[d - 1]) == (tally.invalid if tally else 0)
