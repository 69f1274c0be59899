"""The store layer: every SQL statement lives in `saylau.store`, and its functions give records back.

The first test reads the source: a module outside `saylau/store` that builds a statement (select, insert,
update, delete, text, func) or reaches for the tables is a statement outside the store. The others run the
store's functions on a fresh SQLite database and check what comes back.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import saylau
from saylau.service.states import Entry, EntryState, Record
from saylau.store import Database, audit, contests, decisions, open_database, protocols, stations, users
from saylau.store.stations import StoredStation

SOURCE = Path(saylau.__file__).parent
STATEMENTS = {"select", "insert", "update", "delete", "text", "func", "bindparam", "tuple_", "literal_column"}


def _statements_outside_store(source: Path) -> list[str]:
    found = []
    for path in sorted(source.rglob("*.py")):
        if path.relative_to(source).parts[0] == "store":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = {a.name for a in node.names}
                if node.module.startswith("sqlalchemy") and names & STATEMENTS:
                    found.append(f"{path.relative_to(source)}:{node.lineno} imports {sorted(names & STATEMENTS)}")
                if node.module == "saylau.store.tables":
                    found.append(f"{path.relative_to(source)}:{node.lineno} reaches for the tables")
            if isinstance(node, ast.Attribute) and node.attr in {"execute", "exec_driver_sql"}:
                found.append(f"{path.relative_to(source)}:{node.lineno} executes a statement")
    return found


def test_no_sql_outside_the_store() -> None:
    assert _statements_outside_store(SOURCE) == []


def test_the_source_check_finds_a_statement(tmp_path: Path) -> None:
    """The check above is not blind: a module with a statement outside the store is named."""
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "ok.py").write_text("from sqlalchemy import select\n")
    (tmp_path / "web.py").write_text("from sqlalchemy import select\n\ndef f(c):\n    c.execute(select(1))\n")
    assert _statements_outside_store(tmp_path) == ["web.py:1 imports ['select']", "web.py:4 executes a statement"]


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    found = open_database(f"sqlite:///{tmp_path / 'store.sqlite'}")
    yield found
    found.close()


def test_protocols_come_back_as_the_state_machine_records(database: Database) -> None:
    entry = Entry({"found": 7, "votes": {"A": 7}}, "op1", ("W.001",))
    with database.unit_of_work() as connection:
        stations.add_all(connection, [StoredStation(1, 3, 100), StoredStation(2, 4, 50)])
        protocols.create_all(connection, [(1, "list", 3), (2, "list", 4), (2, "district", 4)])
        protocols.save_all(connection, {(1, "list"): Record(EntryState.FIRST_ENTRY, first=entry)})
    with database.unit_of_work() as connection:
        assert protocols.find(connection, 1, "list") == Record(EntryState.FIRST_ENTRY, first=entry)
        assert protocols.find(connection, 9, "list") is None
        assert [p.station for p in protocols.listing(connection, districts={4})] == [2, 2]
        assert protocols.states(connection) == {EntryState.EMPTY: 2, EntryState.FIRST_ENTRY: 1}
        assert protocols.states_by_district(connection)[3] == {EntryState.FIRST_ENTRY: 1}
        assert protocols.any_entered(connection)
        assert stations.per_district(connection) == {3: 1, 4: 1}
        assert protocols.accepted(connection) == []
        assert [(s, b) for s, b, _ in protocols.not_accepted(connection)] == [(1, "list"), (2, "district"), (2, "list")]


def test_contest_users_decisions_and_audit_records(database: Database) -> None:
    with database.unit_of_work() as connection:
        assert contests.state(connection) is None
        assert contests.certification(connection) == contests.Certification(False, None)
        contests.create(connection, "Test", {"election.toml": "x"}, "abc")
        contests.certify(connection, {"sha256": "f00"})
        users.add(connection, "op1", "hash", "operator", frozenset({2, 1}))
        made = decisions.add(
            connection,
            tier="district",
            district=2,
            tied=["B", "A"],
            seats=1,
            winners=["A"],
            by="co",
            at="now",
            drawn_on="",
            note="",
        )
        audit.start(connection, "0" * 64)
    with database.unit_of_work() as connection:
        assert contests.state(connection) == contests.ContestState("abc", True)
        assert contests.files(connection) == {"election.toml": "x"}
        assert contests.certification(connection).bundle == {"sha256": "f00"}
        found = users.named(connection, "op1")
        assert found is not None and found.districts == frozenset({1, 2}) and found.active
        assert decisions.every(connection) == [made]
        assert made.tied == ("B", "A")
        assert audit.head(connection) == audit.Head(0, "0" * 64)
