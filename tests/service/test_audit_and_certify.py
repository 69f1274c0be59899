"""Audit chain, definition on restart, certification and the frozen result, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from saylau.errors import InputError
from saylau.service import audit, tallies
from saylau.store import open_database
from saylau.web import Settings, prepare
from tests.service.conftest import ALMATY
from tests.service.helpers import STATION_101_LIST, admin, user

ENTRIES = "/api/protocols/101/list/entries"


def _enter_twice(client: TestClient) -> None:
    one, two = user(client, "op1", "operator", [1]), user(client, "op2", "operator", [1])
    client.post(ENTRIES, json=STATION_101_LIST, headers=one)
    client.post(ENTRIES, json=STATION_101_LIST, headers=two)


def test_editing_an_audit_row_in_the_database_breaks_the_chain_there(client: TestClient, database_url: str) -> None:
    _enter_twice(client)
    database = open_database(database_url, migrate=False)
    with database.unit_of_work() as connection:
        intact = audit.verify(connection)
        assert intact.intact and intact.rows >= 5
        target = connection.execute(
            text("SELECT id FROM audit WHERE action = 'enter' ORDER BY id LIMIT 1")
        ).scalar_one()
        edited = '{"state":"accepted"}'
        connection.execute(text("UPDATE audit SET after = :a WHERE id = :id"), {"a": edited, "id": target})
    with database.unit_of_work() as connection:
        broken = audit.verify(connection)
    database.close()
    assert broken.broken_at == target and "does not match its hash" in broken.why
    api = client.get("/api/audit/verify", headers=admin(client)).json()
    assert api["intact"] is False and api["broken_at"] == target


def test_deleting_the_last_audit_row_is_noticed(client: TestClient, database_url: str) -> None:
    _enter_twice(client)
    database = open_database(database_url, migrate=False)
    with database.unit_of_work() as connection:
        last = connection.execute(text("SELECT max(id) FROM audit")).scalar_one()
        connection.execute(text("DELETE FROM audit WHERE id = :id"), {"id": last})
    with database.unit_of_work() as connection:
        assert audit.verify(connection).broken_at == last
    database.close()


def test_a_later_start_refuses_a_folder_whose_definition_differs(
    settings: Settings, client: TestClient, tmp_path: Path
) -> None:
    changed = tmp_path / "almaty"
    changed.mkdir()
    for name in ("election.toml", "parties.csv", "lists.csv", "districts.csv", "candidates.csv", "stations.csv"):
        (changed / name).write_text((ALMATY / name).read_text(encoding="utf-8"), encoding="utf-8")
    lines = (changed / "stations.csv").read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("2451", "2452")
    (changed / "stations.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    again, _ = prepare(settings)  # the same folder: fine
    again.close()
    with pytest.raises(InputError, match=r"stations.csv:2: differs"):
        prepare(settings.model_copy(update={"folder": changed}))


def test_certification_needs_every_protocol_then_freezes_the_result(client: TestClient) -> None:
    _enter_twice(client)
    city = user(client, "chief", "coordinator")
    district = user(client, "local", "coordinator", [1])
    assert client.post("/api/certify", headers=district).json()["code"] == "commission"
    incomplete = client.post("/api/certify", headers=city)
    assert incomplete.status_code == 409 and incomplete.json()["code"] == "incomplete"
    assert "1,105 protocols are not accepted yet" in incomplete.json()["message"]
    assert client.get("/api/bundle").status_code == 404


def test_a_certified_result_refuses_writes_until_an_administrator_reopens_it(
    client: TestClient, database_url: str
) -> None:
    _enter_twice(client)
    database = open_database(database_url, migrate=False)
    with database.unit_of_work() as connection:  # the rest of the count, as if typed: station 101's figures
        typed = connection.execute(text("SELECT definitive FROM protocols WHERE station = 101 AND ballot = 'list'"))
        connection.execute(
            text("UPDATE protocols SET state = 'accepted', definitive = :d WHERE ballot = 'list'"),
            {"d": typed.scalar_one()},
        )
        connection.execute(text("DELETE FROM protocols WHERE ballot = 'district'"))
        tallies.rebuild(connection)  # changed behind the service's back: count the running tallies again
    database.close()
    city = user(client, "chief", "coordinator")
    certified = client.post("/api/certify", headers=city)
    assert certified.status_code == 200, certified.text
    bundle = client.get("/api/bundle").json()
    assert bundle["sha256"] == certified.json()["sha256"]
    assert json.loads(json.dumps(bundle))["council"]["seats_total"] == 42
    public = client.get("/api/status").json()
    assert public["certified"] is True and "council" in public
    frozen = client.post("/api/protocols/101/list/reopen", json={"reason": "late"}, headers=city)
    assert frozen.status_code == 409 and frozen.json()["code"] == "certified"
    assert client.post("/api/uncertify", json={"reason": "x"}, headers=city).status_code == 403
    reopened = client.post("/api/uncertify", json={"reason": "court order"}, headers=admin(client))
    assert reopened.json() == {"certified": False}
    assert client.post("/api/protocols/101/list/reopen", json={"reason": "late"}, headers=city).status_code == 200
