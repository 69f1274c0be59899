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
from saylau.store import (
    Database,
    arrays,
    audit,
    certifications,
    commissions,
    contests,
    decisions,
    open_database,
    protocols,
    stations,
    tallies,
    users,
)
from saylau.store.certifications import DistrictCertification
from saylau.store.commissions import StoredCommission
from saylau.store.protocols import Blank
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
        contests.create_day(connection, "Day", {}, "0")
        for k, contest in enumerate(["majilis", "city"]):
            contests.create(connection, contest, k, contest, {}, "0")
        stations.add_all(connection, [StoredStation(1, 100, "Almaty"), StoredStation(2, 50)])
        blanks = [
            (1, "majilis", "list", 3),
            (2, "majilis", "list", 4),
            (2, "city", "district", 4),
            (2, "city", "list", 1),
        ]
        protocols.create_all(connection, [Blank(*b) for b in blanks])
        protocols.save_all(connection, {(1, "majilis", "list"): Record(EntryState.FIRST_ENTRY, first=entry)})
    with database.unit_of_work() as connection:
        assert protocols.find(connection, (1, "majilis", "list")) == Record(EntryState.FIRST_ENTRY, first=entry)
        assert protocols.find(connection, (1, "city", "list")) is None
        # The paper's order: the day's contests in their positions (majilis 0, city 1), list before district.
        assert [(p.contest, p.ballot) for p in protocols.listing(connection, stations={2})] == [
            ("majilis", "list"),
            ("city", "list"),
            ("city", "district"),
        ]
        assert [p.station for p in protocols.listing(connection, "majilis", districts={4})] == [2]
        assert protocols.states(connection, "majilis") == {EntryState.EMPTY: 1, EntryState.FIRST_ENTRY: 1}
        assert protocols.states(connection, "city") == {EntryState.EMPTY: 2}
        assert protocols.states_by_district(connection, "majilis")[3] == {EntryState.FIRST_ENTRY: 1}
        assert protocols.any_entered(connection, "majilis") and not protocols.any_entered(connection, "city")
        assert protocols.stations_per_district(connection, "city") == {1: 1, 4: 1}
        assert protocols.accepted(connection, "majilis") == []
        assert [(s, b) for s, b, _ in protocols.not_accepted(connection, "city")] == [(2, "district"), (2, "list")]
        assert stations.every(connection)[0] == StoredStation(1, 100, "Almaty", "")


def test_contest_users_decisions_and_audit_records(database: Database) -> None:
    with database.unit_of_work() as connection:
        assert contests.state(connection, "city") is None
        assert contests.certification(connection, "city") == contests.Certification(False, None)
        contests.create_day(connection, "Day", {"day.toml": "name = 'Day'"}, "d")
        contests.create(connection, "city", 0, "Test", {"election.toml": "x"}, "abc")
        contests.create(connection, "majilis", 1, "Mäjilis", {"election.toml": "y"}, "def")
        contests.certify(connection, "city", {"sha256": "f00"})
        users.add(connection, "op1", "hash", "operator", frozenset({2, 1}), "tec-almaty")
        made = decisions.add(
            connection,
            contest="majilis",
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
        commissions.add_all(
            connection,
            [
                StoredCommission("cec", "central", None, "CEC", frozenset({1, 2}), (), ("majilis",)),
                StoredCommission("dec-1", "district", "cec", "DEC 1", frozenset({1}), (("majilis", 1),), ()),
            ],
        )
        audit.start(connection, "0" * 64)
    with database.unit_of_work() as connection:
        assert contests.stored_day(connection) == contests.StoredDay("Day", {"day.toml": "name = 'Day'"}, "d")
        assert [c.id for c in contests.every(connection)] == ["city", "majilis"]
        assert contests.state(connection, "city") == contests.ContestState("city", 0, "Test", "abc", True)
        assert not contests.certification(connection, "majilis").certified
        assert contests.files(connection, "majilis") == {"election.toml": "y"}
        assert contests.certification(connection, "city").bundle == {"sha256": "f00"}
        found = users.named(connection, "op1")
        assert found is not None and found.districts == frozenset({1, 2}) and found.commission == "tec-almaty"
        assert decisions.every(connection, "majilis") == [made] and decisions.every(connection, "city") == []
        assert made.tied == ("B", "A")
        tree = commissions.every(connection)
        assert [c.id for c in tree] == ["cec", "dec-1"] and tree[1].districts == (("majilis", 1),)
        assert audit.head(connection) == audit.Head(0, "0" * 64)


def test_sqlite_syncs_its_log_at_every_commit(tmp_path: Path) -> None:
    """An entry answered as stored survives a power cut: the embedded database keeps its write-ahead log and
    syncs it to disk at every commit (`PRAGMA synchronous` FULL, 2; NORMAL, 1, syncs only at checkpoints)."""
    database = open_database(f"sqlite:///{tmp_path / 'saylau.sqlite'}")
    try:
        with database.engine.connect() as connection:
            raw = connection.connection.dbapi_connection
            assert raw is not None
            cursor = raw.cursor()
            assert cursor.execute("PRAGMA journal_mode").fetchone() == ("wal",)
            assert cursor.execute("PRAGMA synchronous").fetchone() == (2,)
            cursor.close()
    finally:
        database.close()


NAMES = ['a"b', "c\\d", "x,y", "{}", " spaced ", "", "NULL", "Қазақ", "it's", '\\"}']
"""Names that could change the shape of an array written as text (`saylau.store.arrays`)."""


def test_the_writer_arrays_carry_any_name_as_given(database_url: str) -> None:
    """On PostgreSQL the writer's statements send their rows as array literals: a line named with a quote, a
    backslash, a comma, braces, spaces, `NULL` or nothing is stored and found as given (both databases)."""
    database = open_database(database_url)
    lines = [f"vote:{name}" for name in NAMES]
    try:
        with database.unit_of_work() as connection:
            contests.create_day(connection, "Day", {}, "0")
            contests.create(connection, "city", 0, "City", {}, "0")
            tallies.add(connection, {("city", "district", 1): {line: (k + 1, 1) for k, line in enumerate(lines)}}, {})
        with database.unit_of_work() as connection:  # each line again: the upsert adds to the rows stored
            tallies.add(connection, {("city", "district", 1): {line: (10, 1) for line in lines[::-1]}}, {})
            tallies.add(connection, {("city", "district", 1): {"vote:new": (5, 1), lines[0]: (0, 0)}}, {})
            certifications.add(connection, DistrictCertification("city", 2, "dec-2", {}, "chief", "now"))
        with database.unit_of_work() as connection:
            found = {(t.line, t.value, t.protocols) for t in tallies.totals(connection, "city")}
            assert found == {(line, k + 11, 2) for k, line in enumerate(lines)} | {("vote:new", 5, 1)}
            wanted = {("city", 1), ("city", 2), ("city", 3), ("majilis", 2)}
            assert certifications.certified_among(connection, wanted) == {("city", 2)}
            assert contests.states(connection, ["city", "nowhere"], lock="share").keys() == {"city"}
    finally:
        database.close()


def test_an_array_column_is_whole_numbers_or_text() -> None:
    assert arrays.columns([(1, "a"), (-20, 'b"')]) == ("{1,-20}", '{"a","b\\""}')
    assert arrays.literal([]) == "{}"
    assert arrays.literal([None, "NULL", ""]) == '{NULL,"NULL",""}' and arrays.literal([3, None]) == "{3,NULL}"
    with pytest.raises(TypeError):
        arrays.literal([1, "a"])
    with pytest.raises(TypeError):
        arrays.literal([True])
    # the joined way (plain ints, plain text with nothing to escape) and the element-by-element way agree
    assert arrays.literal(v for v in (7, -8)) == "{7,-8}" and arrays.literal(("a b", "{c}")) == '{"a b","{c}"}'
    assert arrays.literal(["a\\b", "c"]) == '{"a\\\\b","c"}' and arrays.literal(["a", None]) == '{"a",NULL}'


def test_audit_rows_are_stored_as_given(database_url: str) -> None:
    """On PostgreSQL a group's audit rows go as one array per column (`store.audit.append`): texts with quotes,
    backslashes, braces, commas, `NULL`, nothing, newlines and JSON's escapes are read back as given, beside
    rows with no record or reason (both databases)."""
    texts = [*NAMES, "line\nbreak", '{"a":"b\\"c","d":[1,2]}', "tab\there"]
    rows = [
        audit.AuditRow(
            k + 1,
            f"at {k}",
            text,
            "operator",
            "enter",
            f"station {k} {text}",
            text,
            None,
            text or None,
            f"{k:064}",
            f"{k + 1:064}",
        )
        for k, text in enumerate(texts)
    ]
    database = open_database(database_url)
    try:
        with database.unit_of_work() as connection:
            audit.start(connection, "0" * 64)
            audit.append(connection, rows[:1])
            audit.append(connection, rows[1:])
        with database.unit_of_work() as connection:
            assert audit.after(connection, 0, len(rows) + 1) == rows
            assert audit.head(connection) == audit.Head(len(rows), rows[-1].sha256)
    finally:
        database.close()
