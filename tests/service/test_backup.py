"""`saylau backup` / `saylau restore`: one file holds the whole election; SQLite -> PostgreSQL -> SQLite is lossless."""

from __future__ import annotations

import importlib
import itertools
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from saylau.cli import _COMMANDS
from saylau.cli.app import app
from saylau.replay import figures
from saylau.service import audit, users
from saylau.service.permissions import Role
from saylau.store import open_database
from tests.service.conftest import ALMATY
from tests.service.helpers import user, with_votes
from tests.service.live import protocols_of

_names = itertools.count(1)


for _module in _COMMANDS:
    importlib.import_module(_module)


def saylau(*args: str) -> str:
    """Run the command line in-process; its output (exit 0 asserted)."""
    result = CliRunner().invoke(app, list(args), terminal_width=200)
    assert result.exit_code == 0, result.output
    return result.output


def _fresh_postgres(base: str) -> str:
    name = f"restore_{next(_names)}"
    engine = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return f"{base}/{name}"


def _tables(path: Path) -> dict[str, object]:
    return dict(json.loads(path.read_text(encoding="utf-8"))["tables"])


def _some_work(client: TestClient) -> None:
    """Protocols in three states of the machine (accepted, different, first entry) and two users more."""
    one, two = user(client, "op1", "operator", [1]), user(client, "op2", "operator", [1])
    paper = {(p.station, p.ballot): figures(p) for p in protocols_of(ALMATY) if p.station in (101, 102)}
    for (station, ballot), typed in paper.items():
        assert client.post(f"/api/protocols/{station}/{ballot}/entries", json=typed, headers=one).status_code == 200
    client.post("/api/protocols/101/list/entries", json=paper[(101, "list")], headers=two)
    votes = paper[(102, "list")]["votes"]
    swapped = with_votes(paper[(102, "list")], Amanat=votes["QHP"], QHP=votes["Amanat"])
    assert client.post("/api/protocols/102/list/entries", json=swapped, headers=two).json()["state"] == "different"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_sqlite_to_postgresql_and_back_gives_the_same_state(
    client: TestClient, database_url: str, postgres_server: str, tmp_path: Path
) -> None:
    _some_work(client)
    first = tmp_path / "first.json"
    saylau("backup", str(first), "--database", database_url)
    tables = _tables(first)
    assert {"day", "contests", "stations", "users", "protocols", "audit", "audit_head"} <= set(tables)
    assert all("password_hash" not in row for row in tables["users"])  # type: ignore[attr-defined]
    states = {(r["station"], r["ballot"]): r["state"] for r in tables["protocols"]}  # type: ignore[attr-defined]
    assert states[(101, "list")] == "accepted" and states[(102, "list")] == "different"

    postgres = _fresh_postgres(postgres_server)
    out = saylau("restore", str(first), "--database", postgres)
    assert "audit log intact" in out
    second = tmp_path / "second.json"
    saylau("backup", str(second), "--database", postgres)
    back = tmp_path / "back"
    saylau("restore", str(second), "--data", str(back))
    third = tmp_path / "third.json"
    saylau("backup", str(third), "--data", str(back))

    # Restored without password hashes, each restore gave `admin` a password (as a fresh service does):
    # one audit row `set-password` more each time, and nothing else changed.
    for restored, extra in ((second, 1), (third, 2)):
        found = _tables(restored)
        assert {k: v for k, v in found.items() if k not in ("audit", "audit_head")} == {
            k: v for k, v in tables.items() if k not in ("audit", "audit_head")
        }
        rows = found["audit"]  # type: ignore[index]
        assert rows[: len(tables["audit"])] == tables["audit"]  # type: ignore[arg-type]
        added = rows[len(tables["audit"]) :]  # type: ignore[arg-type]
        assert [(r["action"], r["subject"], r["user"]) for r in added] == [("set-password", "admin", "system")] * extra
    for url in (postgres, f"sqlite:///{back / 'saylau.sqlite'}"):
        database = open_database(url)
        with database.unit_of_work() as connection:
            assert audit.verify(connection).intact
            # the restored users have no password that works, and new rows get fresh ids
            assert users.login(connection, "op1", "pw-op1-123") is None
            users.add(connection, None, "after-restore", "a-password-1", Role.OBSERVER)
            audit.append(connection, None, "probe", "restore")
        with database.unit_of_work() as connection:
            assert audit.verify(connection).intact
        database.close()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_backup_written_before_the_entry_progress_counts_it_on_restore(
    client: TestClient, database_url: str, tmp_path: Path
) -> None:
    """A backup without `entry_progress` (before migration 0010, or one holding 0010's `entry_states`, which
    0014 replaced) restores with the protocols' states counted again."""
    from saylau.store.backup import digest

    _some_work(client)
    made = tmp_path / "made.json"
    saylau("backup", str(made), "--database", database_url)
    body = json.loads(made.read_text(encoding="utf-8"))
    counted = body["tables"].pop("entry_progress")
    assert counted == [
        {"contest": "election", "district": 1, "first_entry": 2, "different": 1, "warnings": 0, "accepted": 1}
    ]
    for retired in (
        [],
        [{"contest": "election", "ballot": "list", "district": 1, "state": "accepted", "protocols": 1}],
    ):
        if retired:
            body["tables"]["entry_states"] = retired
        older = tmp_path / f"older-{len(retired)}.json"
        older.write_text(json.dumps({**body, "sha256": digest(body)}), encoding="utf-8")
        back = tmp_path / f"back-{len(retired)}"
        saylau("restore", str(older), "--data", str(back))
        again = tmp_path / f"again-{len(retired)}.json"
        saylau("backup", str(again), "--data", str(back))
        tables = _tables(again)
        assert tables["entry_progress"] == counted and "entry_states" not in tables


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_backup_written_with_the_stations_tallies_stamps_the_protocols_on_restore(
    client: TestClient, database_url: str, tmp_path: Path
) -> None:
    """A backup of a release before migration 0013 holds `station_tallies` and protocols without their stamp:
    the restore leaves the retired table out and counts the tallies again, so the accepted protocol is stamped
    (a snapshot reads it) and the others are not."""
    from saylau.store.backup import digest

    _some_work(client)
    made = tmp_path / "made.json"
    saylau("backup", str(made), "--database", database_url)
    body = json.loads(made.read_text(encoding="utf-8"))
    stamped = {(r["station"], r["ballot"]) for r in body["tables"]["protocols"] if r.pop("tally_version")}
    assert stamped == {(101, "list")}
    body["tables"]["station_tallies"] = [
        {"contest": "election", "station": 101, "ballot": "list", "district": 1, "version": 3, "figures": "{}"}
    ]
    older = tmp_path / "older.json"
    older.write_text(json.dumps({**body, "sha256": digest(body)}), encoding="utf-8")
    saylau("restore", str(older), "--data", str(tmp_path / "back"))
    again = tmp_path / "again.json"
    saylau("backup", str(again), "--data", str(tmp_path / "back"))
    tables = _tables(again)
    assert "station_tallies" not in tables
    restored = {(r["station"], r["ballot"]): r["tally_version"] for r in tables["protocols"]}  # type: ignore[attr-defined]
    assert {k for k, v in restored.items() if v} == {(101, "list")}
    assert restored[(101, "list")] > 0


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_a_backup_with_a_row_a_tally_line_counts_the_tallies_again_on_restore(
    client: TestClient, database_url: str, tmp_path: Path
) -> None:
    """A backup of a release before migration 0015 holds a row for each tally line (`line`, `value`,
    `protocols`): the restore leaves them out and counts the tallies again, one row a district and ballot."""
    from saylau.store.backup import digest

    _some_work(client)
    made = tmp_path / "made.json"
    saylau("backup", str(made), "--database", database_url)
    body = json.loads(made.read_text(encoding="utf-8"))
    packed = body["tables"]["tallies"]
    assert [(r["contest"], r["ballot"], r["district"]) for r in packed] == [("election", "list", 1)]
    (row,) = packed
    assert row["lines"] == sorted(row["lines"]) and "_register" in row["lines"] and set(row["protocols"]) == {1}
    body["tables"]["tallies"] = [
        {"contest": "election", "ballot": "list", "district": 1, "line": line, "value": value, "protocols": n}
        for line, value, n in zip(row["lines"], row["sums"], row["protocols"], strict=True)
    ]
    older = tmp_path / "older.json"
    older.write_text(json.dumps({**body, "sha256": digest(body)}), encoding="utf-8")
    saylau("restore", str(older), "--data", str(tmp_path / "back"))
    again = tmp_path / "again.json"
    saylau("backup", str(again), "--data", str(tmp_path / "back"))
    assert _tables(again)["tallies"] == packed


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_backup_with_passwords_keeps_the_logins(client: TestClient, database_url: str, tmp_path: Path) -> None:
    _some_work(client)
    made = tmp_path / "with.json"
    saylau("backup", str(made), "--database", database_url, "--with-passwords")
    target = tmp_path / "target"
    saylau("restore", str(made), "--data", str(target))
    database = open_database(f"sqlite:///{target / 'saylau.sqlite'}")
    with database.unit_of_work() as connection:
        assert users.login(connection, "op1", "pw-op1-123") is not None
    database.close()


def test_a_changed_backup_or_a_used_database_is_refused(tmp_path: Path) -> None:
    from saylau.store.backup import dump

    database = open_database(f"sqlite:///{tmp_path / 'a.sqlite'}")
    with database.unit_of_work() as connection:
        audit.start(connection)
        users.add(connection, None, "someone", "a-password-1", Role.OBSERVER)
        made = dump(connection)
    database.close()
    changed = {**made, "tables": {**made["tables"], "users": [{**made["tables"]["users"][0], "role": "administrator"}]}}
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(changed), encoding="utf-8")
    result = CliRunner().invoke(app, ["restore", str(path), "--data", str(tmp_path / "b")])
    assert result.exit_code == 2 and "sha256" in result.output.lower()
    path.write_text(json.dumps(made), encoding="utf-8")
    saylau("restore", str(path), "--data", str(tmp_path / "b"))
    again = CliRunner().invoke(app, ["restore", str(path), "--data", str(tmp_path / "b")])
    assert again.exit_code == 2 and "empty database" in again.output
