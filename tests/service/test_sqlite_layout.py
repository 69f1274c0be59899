"""SQLite's layout of the tables a group of entries writes and reads (migration 0012, docs/service.md "Entries
under load"): the running tallies' tables stored in their key's order, and the contests' and the day's hashes
read from an index, never through the definitions' pages.

The figures the tallies hold are proved elsewhere (tests/service/test_tallies.py: equal to a recount after
every step, on both databases; tests/service/test_migration.py: a release's database upgraded through 0012
keeps every row and its tallies equal a recount); here, what SQLite is asked to do.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import event

from saylau.service import definition, protocols, results
from saylau.service.errors import Conflict
from saylau.service.permissions import Actor, Role
from saylau.service.states import EntryState
from saylau.store import contests, open_database
from saylau.store import tallies as tallies_store
from saylau.store.commissions import tree_version
from tests.service.test_tallies import DAY, _paper

ONE, TWO = Actor("one", Role.OPERATOR), Actor("two", Role.OPERATOR)


@pytest.fixture
def day_file(tmp_path: Path) -> Path:
    database = open_database(f"sqlite:///{tmp_path / 'saylau.sqlite'}")
    with database.unit_of_work() as connection:
        definition.install(connection, definition.read_source(DAY))
    database.close()
    return tmp_path / "saylau.sqlite"


def _plan(path: Path, statement: str, parameters: tuple[str, ...] = ()) -> str:
    with closing(sqlite3.connect(path)) as connection:
        return " | ".join(str(row[-1]) for row in connection.execute(f"EXPLAIN QUERY PLAN {statement}", parameters))


def test_the_running_tallies_are_stored_in_their_keys_order(day_file: Path) -> None:
    with closing(sqlite3.connect(day_file)) as connection:
        schema = dict(connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall())
        indexes = {r[0] for r in connection.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'index'")}
    for table in ("tallies", "commission_tallies", "entry_progress"):
        assert schema[table].rstrip().endswith("WITHOUT ROWID"), table
        assert table not in indexes, table  # no index of the key beside the rows: the rows are the index
    assert "station_tallies" not in schema  # 0013: a protocol's stamp is on its own row


def test_a_group_reads_the_hashes_from_indexes_not_the_definitions(day_file: Path) -> None:
    with closing(sqlite3.connect(day_file)) as connection:
        ids = tuple(r[0] for r in connection.execute("SELECT id FROM contests ORDER BY id"))
        largest = connection.execute("SELECT max(length(definition)) FROM contests").fetchone()[0]
    assert len(ids) == 2 and largest > 4096  # a definition spills over pages of its own
    marks = ", ".join("?" * len(ids))
    statement = contests.STATES_SQLITE.format(marks=marks)
    assert "USING COVERING INDEX ix_contests_state" in _plan(day_file, statement, ids)
    assert "USING COVERING INDEX ix_day_definition_sha256" in _plan(day_file, "SELECT definition_sha256 FROM day")
    assert "USING COVERING INDEX ix_contests_state" in _plan(
        day_file, "SELECT id, position, name, definition_sha256, certified FROM contests ORDER BY position"
    )


def test_the_states_read_from_the_index_are_the_rows(day_file: Path) -> None:
    """What the index gives is what the rows hold, before and after a contest is certified, and a write to a
    certified contest is refused through it."""
    database = open_database(f"sqlite:///{day_file}")
    try:
        with closing(sqlite3.connect(day_file)) as raw:
            rows = raw.execute("SELECT id, position, name, definition_sha256, certified FROM contests").fetchall()
        with database.unit_of_work() as connection:
            found = contests.states(connection, [r[0] for r in rows] + ["no-such-contest"])
            assert {k: (s.id, s.position, s.name, s.sha256, int(s.certified)) for k, s in found.items()} == {
                r[0]: tuple(r) for r in rows
            }
            assert contests.state(connection, "no-such-contest") is None
            assert tree_version(connection) == raw_day_hash(day_file)
            contests.certify(connection, rows[0][0], {"certified": True})
        with database.unit_of_work() as connection:
            assert contests.state(connection, rows[0][0]) == contests.ContestState(*rows[0][:4], True)
            assert contests.states(connection, [rows[1][0]])[rows[1][0]].certified is False
            station = definition.current(connection, rows[0][0]).stations[0].number
            with pytest.raises(Conflict):
                protocols.enter(connection, ONE, station, "list", {}, rows[0][0])
            assert results.certification(connection, rows[0][0]).certified
    finally:
        database.close()


def test_a_snapshot_reads_the_stamped_protocols_from_their_index(day_file: Path) -> None:
    """The protocols a snapshot reads (those stamped since the snapshot before) are found through the partial
    index of the stamped ones, which holds exactly the protocols that ever counted, each with its stamp."""
    database = open_database(f"sqlite:///{day_file}")
    executed: list[tuple[str, tuple[object, ...]]] = []

    def seen(_c: object, _cursor: object, statement: str, parameters: tuple[object, ...], *_: object) -> None:
        executed.append((statement, parameters))

    paper = _paper()
    keys = sorted(k for k in paper if k[1] == "majilis")[:3]
    try:
        for who in (ONE, TWO):
            with database.unit_of_work() as connection:
                for station, contest, ballot in keys[:2]:
                    state = protocols.enter(
                        connection, who, station, ballot, paper[(station, contest, ballot)], contest
                    )
        assert state is EntryState.ACCEPTED
        with database.unit_of_work() as connection:  # a first entry alone counts nothing: never stamped
            station, contest, ballot = keys[2]
            protocols.enter(connection, ONE, station, ballot, paper[keys[2]], contest)
        event.listen(database.engine, "before_cursor_execute", seen)
        with database.unit_of_work() as connection:
            found = tallies_store.stations_since(connection, "majilis", 0)
        event.remove(database.engine, "before_cursor_execute", seen)
    finally:
        database.close()
    assert [(s.station, "majilis", s.ballot) for s in found] == keys[:2]
    assert all(s.figures is not None and s.version > 0 for s in found)
    (statement, parameters) = next((q, p) for q, p in executed if "tally_version" in q)
    assert "USING INDEX ix_protocols_tally_version (tally_version>?)" in _plan(day_file, statement, parameters)
    with closing(sqlite3.connect(day_file)) as connection:
        indexed = connection.execute(
            "SELECT station, contest, ballot, tally_version FROM protocols INDEXED BY ix_protocols_tally_version "
            "WHERE tally_version > 0 ORDER BY station, ballot"
        ).fetchall()
    assert indexed == [(s.station, "majilis", s.ballot, s.version) for s in found]


def raw_day_hash(path: Path) -> str:
    with closing(sqlite3.connect(path)) as connection:
        return str(connection.execute("SELECT definition_sha256 FROM day NOT INDEXED").fetchone()[0])
