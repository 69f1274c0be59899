"""Double data entry through the API, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.service.helpers import STATION_101_LIST, user, with_votes

ENTRIES = "/api/protocols/101/list/entries"


def test_the_count_before_any_entry(client: TestClient) -> None:
    status = client.get("/api/status")
    assert status.status_code == 200, status.text
    assert status.json()["protocols"]["empty"] == 553 * 2 and "council" not in status.json()  # public: no count


def test_equal_entries_are_accepted_and_counted(client: TestClient) -> None:
    one, two = user(client, "op1", "operator", [1]), user(client, "op2", "operator", [1])
    assert client.post(ENTRIES, json=STATION_101_LIST, headers=one).json() == {"state": "first-entry"}
    assert client.post(ENTRIES, json=STATION_101_LIST, headers=two).json() == {"state": "accepted"}
    observer = user(client, "watcher", "observer")
    status = client.get("/api/status", headers=observer).json()
    assert status["progress"]["list"] == {"stations_reported": 1, "stations_expected": 553}
    amanat = next(p for p in status["council"]["parties"] if p["name"] == "Amanat")
    assert amanat["list_votes"] == 343


def test_a_difference_is_resolved_in_one_step(client: TestClient) -> None:
    one, two = user(client, "op1", "operator", [1]), user(client, "op2", "operator", [1])
    coordinator = user(client, "coord", "coordinator", [1])
    client.post(ENTRIES, json=STATION_101_LIST, headers=one)
    swapped = with_votes(STATION_101_LIST, QHP=74, Respublica=84)  # typed into the wrong row
    assert client.post(ENTRIES, json=swapped, headers=two).json() == {"state": "different"}
    # The second operator does not see the first entry; the coordinator sees both, side by side.
    assert "first" not in client.get("/api/protocols/101/list", headers=two).json()
    view = client.get("/api/protocols/101/list", headers=coordinator).json()
    assert view["differences"] == ["votes:QHP", "votes:Respublica"]
    assert view["first"]["figures"]["votes"]["QHP"] == 84 and view["second"]["figures"]["votes"]["QHP"] == 74
    resolved = client.post("/api/protocols/101/list/resolve", json={"action": "keep-first"}, headers=coordinator)
    assert resolved.json() == {"state": "accepted"}
    assert client.get("/api/protocols/101/list", headers=coordinator).json()["definitive"]["by"] == "op1"


def test_the_same_operator_cannot_type_both_entries(client: TestClient) -> None:
    one = user(client, "op1", "operator", [1])
    client.post(ENTRIES, json=STATION_101_LIST, headers=one)
    # The same entry sent again is a repetition (issue 23): the saved state, nothing stored twice.
    assert client.post(ENTRIES, json=STATION_101_LIST, headers=one).json() == {"state": "first-entry"}
    refused = client.post(ENTRIES, json=with_votes(STATION_101_LIST, QHP=74, Respublica=84), headers=one)
    assert refused.status_code == 409 and refused.json()["code"] == "transition-refused"


def test_a_blocking_error_names_the_line_in_the_clerks_words_and_stores_nothing(client: TestClient) -> None:
    one = user(client, "op1", "operator", [1])
    wrong = with_votes(STATION_101_LIST, Amanat=344)  # P001: found != votes + against all + invalid
    response = client.post(ENTRIES, json=wrong, headers=one)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "blocking-errors" and body["field"] == "found"
    assert body["errors"][0]["message"].startswith("Ballots found in the boxes must equal")
    coordinator = user(client, "coord", "coordinator")
    assert client.get("/api/protocols/101/list", headers=coordinator).json()["state"] == "empty"


def test_warnings_need_a_written_acceptance(client: TestClient) -> None:
    one, two = user(client, "op1", "operator", [1]), user(client, "op2", "operator", [1])
    coordinator = user(client, "coord", "coordinator")
    high = {**STATION_101_LIST, "registered": 659}  # everyone voted: W002 high turnout, W004 reserve
    client.post(ENTRIES, json=high, headers=one)
    assert client.post(ENTRIES, json=high, headers=two).json() == {"state": "warnings"}
    codes = [w["code"] for w in client.get("/api/protocols/101/list", headers=coordinator).json()["warnings"]]
    assert "W002" in codes
    blank = client.post("/api/protocols/101/list/accept-warnings", json={"reason": "  "}, headers=coordinator)
    assert blank.status_code == 422 and blank.json()["field"] == "reason"
    accepted = client.post(
        "/api/protocols/101/list/accept-warnings", json={"reason": "checked the paper"}, headers=coordinator
    )
    assert accepted.json() == {"state": "accepted"}


def test_reopen_keeps_the_replaced_figures_in_the_audit_log(client: TestClient) -> None:
    one, two = user(client, "op1", "operator", [1]), user(client, "op2", "operator", [1])
    coordinator = user(client, "coord", "coordinator")
    client.post(ENTRIES, json=STATION_101_LIST, headers=one)
    client.post(ENTRIES, json=STATION_101_LIST, headers=two)
    refused = client.post("/api/protocols/101/list/reopen", json={"reason": "x"}, headers=one)
    assert refused.status_code == 403
    reopened = client.post("/api/protocols/101/list/reopen", json={"reason": "wrong station"}, headers=coordinator)
    assert reopened.json() == {"state": "empty"}
    last = client.get("/api/audit", headers=coordinator).json()[-1]
    assert last["action"] == "reopen" and last["reason"] == "wrong station"
    assert last["before"]["definitive"]["figures"]["votes"]["Amanat"] == 343
    assert last["after"]["state"] == "empty"


def test_bad_input_is_a_4xx_with_code_and_field_and_changes_nothing(client: TestClient) -> None:
    one = user(client, "op1", "operator", [1])
    cases = [
        ({**STATION_101_LIST, "found": "659"}, "found"),
        ({**STATION_101_LIST, "found": 10**12}, "found"),
        ({k: v for k, v in STATION_101_LIST.items() if k != "votes"}, "votes"),
        ({**STATION_101_LIST, "extra": 1}, "extra"),
        (with_votes(STATION_101_LIST, Nobody=0), "vote:Nobody"),
    ]
    for body, field in cases:
        response = client.post(ENTRIES, json=body, headers=one)
        assert 400 <= response.status_code < 500, response.text
        assert response.json()["field"] == field, response.text
    not_json = client.post(ENTRIES, content=b"{not json", headers={**one, "content-type": "application/json"})
    assert not_json.status_code == 422
    assert client.post("/api/protocols/99999/list/entries", json=STATION_101_LIST, headers=one).status_code == 404
    coordinator = user(client, "coord", "coordinator")
    assert client.get("/api/protocols/101/list", headers=coordinator).json()["state"] == "empty"
