"""The election-day migration (0004) on a database written by the previous release, SQLite and PostgreSQL.

`fixtures/release-8640354.sqlite` was written by the code of commit 8640354 (how: fixtures/
make_release_database.py): the Almaty example with users, accepted protocols, one waiting for its second
entry, one with two different entries, and the audit log. The SQLite test upgrades a copy of that file; the
PostgreSQL test builds the same release schema there (migrations 0001-0002, unchanged since), copies every
row of the file into it and upgrades. Both then compare every row with the file and use the database.
"""

from __future__ import annotations

import itertools
import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, create_engine, insert, text

from saylau.service import audit, definition, protocols, users
from saylau.service.permissions import Actor, Role
from saylau.service.states import EntryState
from saylau.store import Database, metadata, open_database
from saylau.store.temporary import create_database
from tests.service.test_tallies import recount, running

FIXTURE = Path(__file__).parent / "fixtures" / "release-8640354.sqlite"
MIGRATIONS = Path(__import__("saylau.store", fromlist=["x"]).__file__).parent / "migrations"


def _release_rows() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table of the release's file, read with sqlite3 (not with the code under test)."""
    with sqlite3.connect(FIXTURE) as connection:
        connection.row_factory = sqlite3.Row
        names = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {name: [dict(r) for r in connection.execute(f'SELECT * FROM "{name}"')] for name in names}


def _rows(database: Database, table: str, order: str) -> list[dict[str, Any]]:
    with database.engine.connect() as connection:
        return [dict(r) for r in connection.execute(text(f'SELECT * FROM "{table}" ORDER BY {order}')).mappings()]


@pytest.fixture
def sqlite_copy(tmp_path: Path) -> Iterator[str]:
    target = tmp_path / "saylau.sqlite"
    shutil.copyfile(FIXTURE, target)
    yield f"sqlite:///{target}"


_copies = itertools.count(1)


@pytest.fixture
def postgresql_copy(postgres_server: str) -> str:
    """A PostgreSQL database at the release's schema (revision 0002) holding the file's every row."""
    url = create_database(postgres_server, f"release_8640354_{next(_copies)}")  # one server a test worker
    engine = create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
    found = _release_rows()
    schema = MetaData()
    schema.reflect(engine)
    with engine.begin() as connection:
        for table in schema.sorted_tables:
            rows = found.get(table.name, [])
            if table.name != "alembic_version" and rows:
                booleans = [c.name for c in table.columns if str(c.type) == "BOOLEAN"]
                connection.execute(insert(table), [r | {b: bool(r[b]) for b in booleans} for r in rows])
        for table, column in [("users", "id"), ("decisions", "id"), ("login_failures", "id")]:
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                    f"COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)"
                )
            )
    engine.dispose()
    return url


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_release_database_upgrades_without_losing_an_entry(backend: str, request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue(f"{backend}_copy")
    before = _release_rows()
    database = open_database(url)  # upgrades to the newest revision
    try:
        with database.engine.connect() as connection:
            head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == head
            differences = compare_metadata(MigrationContext.configure(connection), metadata)
        assert [d for d in differences if not _cosmetic(d)] == []

        (election,) = before["election"]
        (contest,) = _rows(database, "contests", "id")
        assert contest["id"] == "election" and contest["position"] == 0
        for key in ("name", "definition", "definition_sha256", "bundle"):
            assert contest[key] == election[key], key
        assert bool(contest["certified"]) == bool(election["certified"])
        assert _rows(database, "day", "id")[0]["name"] == election["name"]

        old_protocols = sorted(before["protocols"], key=lambda r: (r["station"], r["ballot"]))
        new_protocols = _rows(database, "protocols", "station, ballot")
        assert [p.pop("contest") for p in new_protocols] == ["election"] * len(old_protocols)
        # Each accepted protocol was stamped with the log's last row when its tallies were filled (0008's
        # `station_tallies`, folded into the protocols' rows by 0013); the others never counted.
        last = before["audit_head"][0]["last_id"]
        stamps = [(p.pop("tally_version"), p["state"]) for p in new_protocols]
        assert stamps == [(last if state == "accepted" else 0, state) for _, state in stamps] and last > 0
        assert new_protocols == old_protocols
        assert {r["state"] for r in new_protocols} == {"empty", "first-entry", "different", "accepted"}

        assert _rows(database, "audit", "id") == sorted(before["audit"], key=lambda r: r["id"])
        assert _rows(database, "audit_head", "id") == before["audit_head"]
        stations = _rows(database, "stations", "number")
        assert [(s["number"], s["registered"]) for s in stations] == sorted(
            (s["number"], s["registered"]) for s in before["stations"]
        )
        new_users = _rows(database, "users", "id")
        assert [u.pop("commission") for u in new_users] == [None] * len(before["users"])
        assert [u | {"active": bool(u["active"])} for u in new_users] == [
            u | {"active": bool(u["active"])} for u in sorted(before["users"], key=lambda r: r["id"])
        ]

        # The running tallies (0005) were filled from the accepted protocols: they equal a recount, and keep
        # equal to it as the service carries on.
        with database.unit_of_work() as connection:
            backfilled = running(connection)
            assert backfilled == recount(connection)
        accepted = sum(1 for r in before["protocols"] if r["state"] == "accepted")
        assert len(backfilled["stations"]) == accepted > 0

        _the_service_carries_on(database, before)
        with database.unit_of_work() as connection:
            assert running(connection) == recount(connection) != backfilled
    finally:
        database.close()


def _cosmetic(difference: Any) -> bool:
    """Differences compare_metadata reports that are no difference of schema: a server default it cannot
    compare, or a type it reads back under another name."""
    kind = difference[0][0] if isinstance(difference, list) else difference[0]
    return kind in {"modify_default", "modify_type"}


def _the_service_carries_on(database: Database, before: dict[str, list[dict[str, Any]]]) -> None:
    """The upgraded database is the service's: the chain verifies, the old passwords and entries work."""
    with database.unit_of_work() as connection:
        assert audit.verify(connection).intact
        assert audit.verify(connection).rows == len(before["audit"])
        assert users.login(connection, "op1", "pw-op1-123") is not None
        accepted = protocols.accepted(connection)
        assert len(accepted) == sum(1 for r in before["protocols"] if r["state"] == "accepted")
        assert definition.current(connection).election.name == before["election"][0]["name"]
        waiting = next(r for r in before["protocols"] if r["state"] == "first-entry")
        figures = json.loads(waiting["first"])["figures"]
        state = protocols.enter(connection, Actor("co", Role.OPERATOR), waiting["station"], waiting["ballot"], figures)
        assert state in (EntryState.ACCEPTED, EntryState.WARNINGS)
    with database.unit_of_work() as connection:
        assert audit.verify(connection).intact


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_tallies_are_packed_a_row_a_district_and_unpacked_again(
    backend: str, request: pytest.FixtureRequest
) -> None:
    """Migration 0015 on the release's database: the tally lines 0008 filled (a row a line) become one row for
    each contest, ballot and district, its lines in code-point order beside their sums and counts; down again,
    the very same rows a line; up again, the same packed rows. Read with SQL, not with the code under test."""
    url = request.getfixturevalue(f"{backend}_copy")
    database = open_database(url)  # to the newest revision, through 0015
    packed_sql = "SELECT contest, ballot, district, lines, sums, protocols FROM tallies ORDER BY 1, 2, 3"
    lines_sql = "SELECT contest, ballot, district, line, value, protocols FROM tallies ORDER BY 1, 2, 3, 4"
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))

    def packed(connection: Any) -> list[tuple[Any, ...]]:
        rows = connection.execute(text(packed_sql)).all()
        return [(*r[:3], *(json.loads(v) if isinstance(v, str) else v for v in r[3:])) for r in rows]  # SQLite: JSON

    try:
        with database.engine.begin() as connection:
            before = packed(connection)
            config.attributes["connection"] = connection
            command.downgrade(config, "h22s_entry_progress")
            lines = [tuple(r) for r in connection.execute(text(lines_sql)).all()]
            command.upgrade(config, "head")
            after = packed(connection)
    finally:
        database.close()
    keys = [r[:3] for r in before]
    assert len(keys) == len(set(keys)) > 0 and {k[1] for k in keys} == {"list", "district"}
    for *_, names, sums, counts in before:
        assert names == sorted(names) and len(names) == len(sums) == len(counts) and "_register" in names
    unpacked = sorted(
        (c, b, d, name, v, n)
        for c, b, d, names, sums, counts in before
        for name, v, n in zip(names, sums, counts, strict=True)
    )
    assert lines == unpacked
    assert after == before
