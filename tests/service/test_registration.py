"""Registration through the API, on SQLite and on a real PostgreSQL server: the administrator registers,
edits and withdraws lists and district candidates, the coordinator designates; the same checks as
`saylau registration check`, each refusal worded the same way; accepted edits are audited."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.service.helpers import STATION_101_LIST, admin, user

UNDER_AGE = "lists.csv:58 [date_of_birth]: Aru Seitova is 19 on 2023-03-19; a mäslihat candidate must be at least 20"
"""Baytaq's list is rows 57-66 of the example's lists.csv; the new list takes its place, No. 2 on row 58."""

BAYTAQ = [
    {"candidate": "Marat Ospanov", "date_of_birth": "1970-01-01", "sex": "m"},
    {"candidate": "Aru Seitova", "date_of_birth": "2004-01-01", "sex": "f"},
    {"candidate": "Dana Li", "date_of_birth": "1980-05-05", "sex": "f"},
]


def _baytaq(client: TestClient) -> dict[str, Any]:
    lists = client.get("/api/registration").json()["lists"]
    found: dict[str, Any] = next(item for item in lists if item["party"] == "Baytaq")
    return found


def _audit_actions(client: TestClient) -> list[str]:
    return [row["action"] for row in client.get("/api/audit", headers=admin(client)).json()]


def test_a_list_with_an_under_age_candidate_is_refused_and_nothing_changes(client: TestClient) -> None:
    before = _baytaq(client)
    answer = client.put("/api/lists/Baytaq", json={"candidates": BAYTAQ}, headers=admin(client))
    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "registration-refused"
    assert body["errors"] == [{"code": "registration-min-age", "field": "date_of_birth", "message": UNDER_AGE}]
    assert _baytaq(client) == before
    assert "register-list" not in _audit_actions(client)


def test_a_lawful_list_is_registered_and_audited(client: TestClient) -> None:
    lawful = [dict(BAYTAQ[0]), dict(BAYTAQ[1], date_of_birth="1990-01-01"), dict(BAYTAQ[2])]
    answer = client.put("/api/lists/Baytaq", json={"candidates": lawful}, headers=admin(client))
    assert answer.status_code == 200, answer.text
    baytaq = _baytaq(client)
    assert [(c["position"], c["name"], c["sex"]) for c in baytaq["candidates"]] == [
        (1, "Marat Ospanov", "m"),
        (2, "Aru Seitova", "f"),
        (3, "Dana Li", "f"),
    ]
    row = next(r for r in client.get("/api/audit", headers=admin(client)).json() if r["action"] == "register-list")
    assert row["subject"] == "Baytaq" and row["user"] == "admin"
    assert client.get("/api/registration").json()["refusals"] == []


def test_a_list_below_the_quota_is_refused(client: TestClient) -> None:
    men = [{"candidate": f"Man {i}", "date_of_birth": "1970-01-01", "sex": "m"} for i in range(1, 4)]
    answer = client.put("/api/lists/Baytaq", json={"candidates": men}, headers=admin(client))
    assert answer.status_code == 422
    assert [e["code"] for e in answer.json()["errors"]] == ["registration-quota"]


def test_a_withdrawn_candidate_stays_on_record(client: TestClient) -> None:
    name = "Beibit Äpsenbetov"
    answer = client.post(
        f"/api/lists/Baytaq/candidates/{name}/withdraw", json={"date": "2023-03-01"}, headers=admin(client)
    )
    assert answer.status_code == 200, answer.text
    first = _baytaq(client)["candidates"][0]
    assert (first["name"], first["withdrawn"]) == (name, "2023-03-01")
    assert "withdraw-candidate" in _audit_actions(client)


def test_editing_a_candidate_under_age_is_refused(client: TestClient) -> None:
    answer = client.patch(
        "/api/lists/Baytaq/candidates/Beibit Äpsenbetov", json={"date_of_birth": "2010-01-01"}, headers=admin(client)
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["message"].startswith("lists.csv:57 [date_of_birth]: Beibit Äpsenbetov is 13")


def test_district_candidates(client: TestClient) -> None:
    young = {"candidate": "Young One", "party": "Amanat", "date_of_birth": "2005-01-01", "sex": "m"}
    refused = client.post("/api/districts/3/candidates", json=young, headers=admin(client))
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["code"] == "registration-min-age"
    lawful = dict(young, date_of_birth="1985-01-01")
    assert client.post("/api/districts/3/candidates", json=lawful, headers=admin(client)).status_code == 201
    district = next(d for d in client.get("/api/registration").json()["districts"] if d["number"] == 3)
    assert district["candidates"][-1]["name"] == "Young One"
    dual = {"candidate": "Beibit Äpsenbetov", "party": "Baytaq", "date_of_birth": "1956-03-12", "sex": "m"}
    answer = client.post("/api/districts/4/candidates", json=dual, headers=admin(client))
    assert [e["code"] for e in answer.json()["errors"]] == ["registration-dual-candidacy"]


def test_only_the_administrator_registers(client: TestClient) -> None:
    operator = user(client, "op1", "operator", [1])
    answer = client.put("/api/lists/Baytaq", json={"candidates": BAYTAQ}, headers=operator)
    assert answer.status_code == 403


def test_registration_closes_when_protocols_are_entered(client: TestClient) -> None:
    operator = user(client, "op1", "operator", [1])
    assert client.post("/api/protocols/101/list/entries", json=STATION_101_LIST, headers=operator).status_code == 200
    answer = client.put("/api/lists/Baytaq", json={"candidates": BAYTAQ}, headers=admin(client))
    assert (answer.status_code, answer.json()["code"]) == (409, "registration-closed")
    withdrawn = client.post("/api/lists/Baytaq/withdraw", json={"date": "2023-03-10"}, headers=admin(client))
    assert withdrawn.status_code == 200  # a withdrawal is still possible: on record, no seat
    assert _baytaq(client)["withdrawn"] == "2023-03-10"


def test_the_coordinator_designates_within_the_rules(client: TestClient) -> None:
    coordinator = user(client, "coord", "coordinator")
    men = {"candidates": ["Beibit Äpsenbetov"]}  # No. 1, a man of 67: below the quota among those designated
    refused = client.put("/api/designations/Baytaq", json=men, headers=coordinator)
    assert [e["code"] for e in refused.json()["errors"]] == ["registration-designation-quota"]
    not_listed = client.put("/api/designations/Baytaq", json={"candidates": ["Nobody"]}, headers=coordinator)
    assert not_listed.status_code == 422
    assert "'Nobody' is not on the list of Baytaq" in not_listed.json()["errors"][0]["message"]
    lawful = {"candidates": ["Beibit Äpsenbetov", "Baytaq list candidate No. 2"]}
    assert client.put("/api/designations/Baytaq", json=lawful, headers=coordinator).status_code == 200
    assert _baytaq(client)["designated"] == lawful["candidates"]
    assert client.put("/api/designations/Baytaq", json=lawful, headers=admin(client)).status_code == 403
