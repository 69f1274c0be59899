"""The statistics read a count as columns (`StationColumns`, from the column reader's tables) and find what
the protocols say, station by station: checked here against each station worked out from its `Protocol`
objects directly, on a folder written to disk and read back (the column reader's `AcceptedRows`) and on
protocol objects with stuffing injected.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest

from saylau.analysis.forensics import ContestKind, StationVote, contests, examine
from saylau.analysis.forensics.contests import PastColumns
from saylau.analysis.forensics.stuffing import stuff
from saylau.io import load_election
from saylau.io.count import OBJECT_COUNT
from saylau.io.protocols import read_past_columns, read_station_history
from saylau.io.writer import write_election
from saylau.reports.forensics import forensics_json
from saylau.synth import synthesize
from saylau.tabulation import Protocol, StationHistory
from saylau.tabulation.fast import AcceptedRows


def _by_hand(
    protocols: Iterable[Protocol], ballot: str, history: Mapping[int, StationHistory], party_of: Any
) -> list[StationVote]:
    """Each station of one ballot from its protocol: the leader (the list's, or each district's, most votes,
    ties to the first name), its votes, every written count in option-name order and "against all" last,
    and the previous turnout and the leader's (party's) previous share."""
    rows = sorted((p for p in protocols if p.ballot == ballot), key=lambda p: p.station)
    totals: dict[Any, dict[str, int]] = {}
    for p in rows:
        key = p.district if ballot == "district" else None
        for option, votes in p.votes.items():
            totals.setdefault(key, {}).setdefault(option, 0)
            totals[key][option] += votes
    leader = {key: min(t, key=lambda o: (-t[o], o)) for key, t in totals.items()}
    out = []
    for p in rows:
        name = leader[p.district if ballot == "district" else None]
        backer = name if ballot == "list" else party_of(p.district, name)
        past = history.get(p.station)
        turnout = past.found / past.registered if past and past.registered else None
        share = past.votes.get(backer, 0) / past.found if past and past.found and backer is not None else None
        counts = (*(p.votes[o] for o in sorted(p.votes)), p.against_all)
        votes = p.votes.get(name, 0)
        out.append(StationVote(p.station, p.district, p.registered, p.found, votes, counts, turnout, share))
    return out


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """5,000 stations: over OBJECT_COUNT bytes of protocols, so the column reader reads them."""
    path = tmp_path_factory.mktemp("forensics") / "election"
    write_election(path, synthesize(11, 21, 5000, 6, heterogeneity=0.3, previous=True))
    assert sum(f.stat().st_size for f in (path / "protocols").iterdir()) > OBJECT_COUNT
    return path


def test_the_column_reader_s_rows_give_every_station_as_its_protocols_say(folder: Path) -> None:
    kept: list[Any] = []
    election = load_election(folder, kept=kept)
    _, count = kept[0]
    assert isinstance(count.accepted, AcceptedRows)
    history, problems = read_station_history(folder, [p.short_name for p in election.parties])
    assert history and not problems
    parties_of = {d.number: {c.name: c.party for c in d.candidates} for d in election.districts}
    found = {c.kind: c for c in contests(count.accepted, history, parties_of)}
    objects = list(count.accepted)
    party = lambda district, name: parties_of[district].get(name)  # noqa: E731
    assert list(found[ContestKind.LIST].stations) == _by_hand(objects, "list", history, party)
    assert list(found[ContestKind.DISTRICT].stations) == _by_hand(objects, "district", history, party)
    # the history as columns reads the same, made from the objects or read straight from stations.csv
    read, problems = read_past_columns(folder, [p.short_name for p in election.parties])
    assert read is not None and not problems
    for past in (PastColumns.of(history), read):
        columns = {c.kind: c for c in contests(count.accepted, past, parties_of)}
        assert columns[ContestKind.DISTRICT].stations == found[ContestKind.DISTRICT].stations
        assert columns[ContestKind.LIST].stations == found[ContestKind.LIST].stations


def test_stuffed_protocol_objects_give_the_stuffed_figures_and_the_same_statistics_as_columns(folder: Path) -> None:
    synth = synthesize(12, 21, 600, 6, heterogeneity=0.3, previous=True)
    stuffed, touched = stuff(synth.protocols, 0.1, 12, 0.5, 1.0)
    parties_of = {d: dict(c) for d, c in synth.candidates.items()}
    party = lambda district, name: parties_of[district].get(name)  # noqa: E731
    (list_contest, district_contest) = contests(stuffed, synth.previous, parties_of)
    assert list(list_contest.stations) == _by_hand(stuffed, "list", synth.previous, party)
    assert list(district_contest.stations) == _by_hand(stuffed, "district", synth.previous, party)
    assert touched and all(s.found > 0 for s in list_contest.stations)
    # the same statistics whether the history comes as a mapping or as columns
    first = forensics_json(examine(stuffed, synth.previous, parties_of, seed=2, resamples=99))
    second = forensics_json(examine(stuffed, PastColumns.of(synth.previous), parties_of, seed=2, resamples=99))
    assert first == second


def test_a_stations_file_that_is_not_plain_gives_the_same_past_columns_as_its_rows(tmp_path: Path) -> None:
    """A new station (its `previous:` cells empty) makes stations.csv not plain: the columns then come from the
    row by row reader, without that station, as `PastColumns.of` of its history."""
    write_election(tmp_path, synthesize(13, 3, 60, 4, previous=True))
    path = tmp_path / "stations.csv"
    header, first, *rest = path.read_text(encoding="utf-8").splitlines()
    cells = first.split(",")
    blank = [c if not name.startswith("previous:") else "" for name, c in zip(header.split(","), cells, strict=True)]
    path.write_text("\n".join([header, ",".join(blank), *rest]) + "\n", encoding="utf-8")
    parties = [f"Party {k}" for k in range(1, 5)]
    history, problems = read_station_history(tmp_path, parties)
    read, read_problems = read_past_columns(tmp_path, parties)
    assert history is not None and read is not None and not problems and not read_problems
    assert int(cells[0]) not in history and len(read) == len(history) == 59
    made = PastColumns.of(history)
    assert (read.station == made.station).all() and (read.found == made.found).all()
    assert (read.registered == made.registered).all()
    assert all((read.votes[p] == made.votes[p]).all() for p in parties)
