"""What test_roles and test_sessions leave out: expiry, CSRF on every write route, the login window, frozen writes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from saylau.service import tallies, users
from saylau.store import open_database
from tests.service.conftest import ADMIN_PASSWORD
from tests.service.helpers import STATION_101_LIST, admin, user
from tests.service.test_roles import TABLE

SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@SQLITE
def test_an_expired_session_is_refused_by_token_and_by_cookie(client: TestClient, database_url: str) -> None:
    headers = user(client, "op1", "operator", [1])
    assert client.get("/api/me", headers=headers).status_code == 200
    database = open_database(database_url, migrate=False)
    with database.unit_of_work() as connection:
        connection.execute(text("UPDATE sessions SET expires = 1"))
    database.close()
    expired = client.get("/api/me", headers=headers)
    assert expired.status_code == 401 and expired.json()["code"] == "session-expired"
    assert client.get("/api/me").status_code == 401  # the cookie of the same sessions
    assert client.post("/api/protocols/101/list/entries", json=STATION_101_LIST, headers=headers).status_code == 401


@SQLITE
def test_an_unused_session_lasts_its_idle_limit_and_no_longer(client: TestClient, database_url: str) -> None:
    database = open_database(database_url, migrate=False)
    with database.unit_of_work() as connection:
        made = users.login(connection, "admin", ADMIN_PASSWORD, now=1_000_000)
        assert made is not None
        assert users.session(connection, made.token, now=1_000_000 + users.IDLE_SECONDS - 1) is not None
        assert users.session(connection, made.token, now=1_000_000 + users.IDLE_SECONDS) is None
    database.close()


@SQLITE
def test_every_write_route_needs_the_csrf_token_with_a_cookie(client: TestClient) -> None:
    client.post("/api/login", json={"name": "admin", "password": ADMIN_PASSWORD})
    assert client.cookies
    for method, route, request, _ in TABLE:
        verb, path, body = request(101)
        if method == "GET" or route in ("/api/login", "/api/logout"):
            continue
        answer = client.request(verb, path, json=body)
        assert answer.status_code == 403 and answer.json()["code"] == "csrf", f"{verb} {path}: {answer.text}"


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_certified_result_refuses_every_write_route(client: TestClient, database_url: str) -> None:
    one, two = user(client, "op1", "operator", [1]), user(client, "op2", "operator", [1])
    client.post("/api/protocols/101/list/entries", json=STATION_101_LIST, headers=one)
    client.post("/api/protocols/101/list/entries", json=STATION_101_LIST, headers=two)
    database = open_database(database_url, migrate=False)
    with database.unit_of_work() as connection:  # the rest of the count as if typed: station 101's figures
        typed = connection.execute(text("SELECT definitive FROM protocols WHERE station = 101 AND ballot = 'list'"))
        connection.execute(
            text("UPDATE protocols SET state = 'accepted', definitive = :d WHERE ballot = 'list'"),
            {"d": typed.scalar_one()},
        )
        connection.execute(text("DELETE FROM protocols WHERE ballot = 'district'"))
        tallies.rebuild(connection)  # changed behind the service's back: count the running tallies again
    database.close()
    city = user(client, "chief", "coordinator")
    assert client.post("/api/certify", headers=city).status_code == 200
    sessions = {"administrator": admin(client), "coordinator-city": city, "operator": one}
    may_write = {"/api/uncertify", "/api/users", "/api/users/{name}/disable", "/api/login", "/api/logout"}
    may_write.add("/api/users/{name}/password")  # accounts are kept after certification too
    may_write.add("/api/observer/compare")  # a POST that stores nothing: observers compare after certification too
    refused = []
    for method, route, request, cells in TABLE:
        if method == "GET" or route in may_write:
            continue
        role = next(r for r, (own, _) in cells.items() if own == "ok" and r in sessions)
        verb, path, body = request(101)
        answer = client.request(verb, path, json=body, headers=sessions[role])
        client.cookies.clear()
        refused.append(answer.status_code == 409 and answer.json()["code"] == "certified")
        assert refused[-1], f"{role} {verb} {path}: {answer.status_code} {answer.text}"
    assert len(refused) >= 10
