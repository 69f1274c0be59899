"""The registration freezes once the count stands on it (issue 23): after the first accepted protocol no
candidate or list is withdrawn (a seat then changes hands only through the vacancy procedure), and a
withdrawal dated after election day (2023-03-19, examples/almaty-2023/election.toml) is refused at any time,
with the reason, in the caller's language; a refused withdrawal writes nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.service.helpers import STATION_101_LIST, admin, user

SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
CANDIDATE = "/api/lists/Baytaq/candidates/{}/withdraw"


def _baytaq(client: TestClient) -> dict[str, Any]:
    lists = client.get("/api/registration", headers=admin(client)).json()["lists"]
    found: dict[str, Any] = next(entry for entry in lists if entry["party"] == "Baytaq")
    return found


def _audited(client: TestClient) -> list[str]:
    return [row["action"] for row in client.get("/api/audit?limit=1000", headers=admin(client)).json()]


def _accept_one(client: TestClient) -> None:
    """Station 101's list protocol typed twice, alike: the first protocol accepted."""
    for name in ("op1", "op2"):
        answer = client.post(
            "/api/protocols/101/list/entries", json=STATION_101_LIST, headers=user(client, name, "operator")
        )
        assert answer.status_code == 200, answer.text
    assert answer.json()["state"] == "accepted"


@SQLITE
def test_a_withdrawal_dated_after_election_day_is_refused_with_the_reason(client: TestClient) -> None:
    name = _baytaq(client)["candidates"][1]["name"]
    before = _audited(client)
    for lang, said in (("en", "after it"), ("kk", "одан кейін"), ("ru", "позже")):
        answer = client.post(
            CANDIDATE.format(name) + f"?lang={lang}", json={"date": "2023-03-20"}, headers=admin(client)
        )
        assert (answer.status_code, answer.json()["code"], answer.json()["field"]) == (
            409,
            "after-election-day",
            "date",
        )
        assert "2023-03-19" in answer.json()["message"] and "2023-03-20" in answer.json()["message"]
        assert said in answer.json()["message"]
    listed = client.post("/api/lists/Baytaq/withdraw", json={"date": "2023-04-01"}, headers=admin(client))
    assert listed.json()["code"] == "after-election-day"
    assert _baytaq(client)["withdrawn"] is None and _baytaq(client)["candidates"][1]["withdrawn"] is None
    assert _audited(client) == before


@SQLITE
def test_a_withdrawal_on_election_day_before_the_count_is_recorded(client: TestClient) -> None:
    name = _baytaq(client)["candidates"][1]["name"]
    answer = client.post(CANDIDATE.format(name), json={"date": "2023-03-19"}, headers=admin(client))
    assert answer.status_code == 200, answer.text
    assert _baytaq(client)["candidates"][1]["withdrawn"] == "2023-03-19"


@SQLITE
def test_after_the_first_accepted_protocol_no_one_is_withdrawn(client: TestClient) -> None:
    name = _baytaq(client)["candidates"][1]["name"]
    first = client.post(
        "/api/protocols/101/list/entries", json=STATION_101_LIST, headers=user(client, "op1", "operator")
    )
    assert first.json()["state"] == "first-entry"
    registry = client.get("/api/registration", headers=admin(client)).json()
    assert (registry["open"], registry["frozen"]) == (False, False)  # entered once: closed, not yet frozen
    second = client.post(
        "/api/protocols/101/list/entries", json=STATION_101_LIST, headers=user(client, "op2", "operator")
    )
    assert second.json()["state"] == "accepted"
    registry = client.get("/api/registration", headers=admin(client)).json()
    assert (registry["frozen"], registry["election_day"]) == (True, "2023-03-19")
    before = _audited(client)
    for path in (
        CANDIDATE.format(name),
        "/api/lists/Baytaq/withdraw",
        "/api/districts/1/candidates/Аким Турсунов/withdraw",
    ):
        answer = client.post(path + "?lang=ru", json={"date": "2023-03-10"}, headers=admin(client))
        assert (answer.status_code, answer.json()["code"]) == (409, "registration-frozen"), path
        assert "регистрация заморожена" in answer.json()["message"]
    assert _audited(client) == before
    assert _baytaq(client)["candidates"][1]["withdrawn"] is None


@SQLITE
def test_the_registration_page_says_it_is_frozen_and_offers_no_withdrawal(client: TestClient) -> None:
    _accept_one(client)
    client.post("/api/login", json={"name": "admin", "password": "admin-password-1"})
    page = client.get("/admin/registration?lang=kk")
    assert "Тіркеу тоқтатылды: санақ басталды." in page.text
    assert "withdraw-candidate" not in page.text
    client.cookies.clear()
    client.post("/api/logout")
