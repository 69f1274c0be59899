"""Entries that survive the night and actions that can be repeated (issue 23), on SQLite and PostgreSQL.

An operator's entry in progress is saved as typed (their draft) and read back after a lost session or a
restart of the service; another operator, another commission or a coordinator never reads it; a draft is never
an entry (no state, no count, no export) and is deleted when its entry is finalised. Finalising the same form
again (its idempotency key), or sending the same entry again, answers with the saved state. A form that would
be refused is refused when it is opened, before any typing.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any
from urllib.parse import unquote

from fastapi.testclient import TestClient

from saylau.web import Settings, create_app, prepare
from saylau.web.context import COOKIE
from tests.service.helpers import STATION_101_DISTRICT, STATION_101_LIST, admin, login, user, with_votes

HALF = {"registered": "2 451", "received": "2,475", "issued": "65"}
"""Station 101's first lines as a clerk types them, interrupted in the middle of line 3."""


def _page_session(client: TestClient, name: str) -> str:
    """Log in as a browser does (the session cookie on the client); the session's CSRF token."""
    answer = client.post("/api/login", json={"name": name, "password": f"pw-{name}-123"})
    assert answer.status_code == 200, answer.text
    csrf: str = answer.json()["csrf"]
    return csrf


def _browser(client: TestClient) -> str:
    """The session cookie the client holds now (a later API login replaces it: `_back_to` restores it)."""
    return str(client.cookies.get(COOKIE))


def _back_to(client: TestClient, cookie: str) -> None:
    client.cookies.clear()
    client.cookies.set(COOKIE, cookie)


def _form(figures: dict[str, Any], csrf: str, key: str) -> dict[str, str]:
    values = {k: str(v) for k, v in figures.items() if k != "votes"}
    values |= {f"vote:{o}": str(n) for o, n in figures["votes"].items()}
    return values | {"csrf": csrf, "key": key}


def test_a_draft_is_kept_as_typed_for_its_operator_only(client: TestClient) -> None:
    one = user(client, "op1", "operator", [1])
    two = user(client, "op2", "operator", [1])
    elsewhere = user(client, "op9", "operator", [2])
    coordinator = user(client, "co", "coordinator", [1])
    saved = client.put("/api/protocols/101/list/draft", json={"typed": HALF}, headers=one)
    assert saved.status_code == 200, saved.text
    assert client.get("/api/protocols/101/list/draft", headers=one).json() == {"typed": HALF}
    # Another operator of the commission has a draft of their own (none); nobody else reads one at all.
    assert client.get("/api/protocols/101/list/draft", headers=two).json() == {"typed": {}}
    assert client.get("/api/protocols/101/list/draft", headers=elsewhere).status_code == 403
    assert client.get("/api/protocols/101/list/draft", headers=coordinator).status_code == 403
    client.cookies.clear()  # only the bearer tokens say who asks
    assert client.get("/api/protocols/101/list/draft").status_code == 401
    # Only the form's own fields, as text of a bounded length.
    unknown = client.put("/api/protocols/101/list/draft", json={"typed": {"votes": "1"}}, headers=one)
    assert unknown.status_code == 422 and unknown.json()["field"] == "votes"
    party = client.put("/api/protocols/101/list/draft", json={"typed": {"vote:Nobody": "1"}}, headers=one)
    assert party.status_code == 422
    # A draft is no entry: the protocol stays empty, nothing is reported, the bundle has no station.
    assert client.get("/api/protocols/101/list", headers=coordinator).json()["state"] == "empty"
    progress = client.get("/api/status").json()["progress"]
    assert {p["stations_reported"] for p in progress.values()} == {0}
    assert client.get("/api/public/results.json").json().get("protocols", []) == []
    assert client.get("/api/protocols/101/list/draft", headers=one).json() == {"typed": HALF}
    assert client.delete("/api/protocols/101/list/draft", headers=one).status_code == 200
    assert client.get("/api/protocols/101/list/draft", headers=one).json() == {"typed": {}}


def test_a_draft_survives_a_lost_session_and_a_restart(settings: Settings) -> None:
    database, _ = prepare(settings)
    with contextlib.closing(database), TestClient(create_app(settings, database)) as client:
        one = user(client, "op1", "operator", [1])
        assert client.put("/api/protocols/101/list/draft", json={"typed": HALF}, headers=one).status_code == 200
        client.post("/api/logout", headers=one)
        assert client.get("/api/protocols/101/list/draft", headers=one).status_code == 401
    database, _ = prepare(settings)  # the service started again over the same database
    with contextlib.closing(database), TestClient(create_app(settings, database)) as client:
        again = login(client, "op1", "pw-op1-123")
        assert client.get("/api/protocols/101/list/draft", headers=again).json() == {"typed": HALF}
        # The entry form opens with the figures typed so far.
        _page_session(client, "op1")
        page = client.get("/enter/101/list?lang=kk")
        assert page.status_code == 200
        assert re.search(r'name="registered"[^>]*value="2 451"', page.text)
        assert re.search(r'name="received"[^>]*value="2,475"', page.text)
        assert re.search(r'name="issued"[^>]*value="65"', page.text)


def test_finalising_deletes_the_draft_and_a_late_save_keeps_none(client: TestClient) -> None:
    one = user(client, "op1", "operator", [1])
    client.put("/api/protocols/101/list/draft", json={"typed": HALF}, headers=one)
    entered = client.post("/api/protocols/101/list/entries", json=STATION_101_LIST, headers=one)
    assert entered.json() == {"state": "first-entry"}
    assert client.get("/api/protocols/101/list/draft", headers=one).json() == {"typed": {}}
    late = client.put("/api/protocols/101/list/draft", json={"typed": HALF}, headers=one)
    assert late.status_code == 409 and late.json()["code"] == "entered-by-you"
    assert client.get("/api/protocols/101/list/draft", headers=one).json() == {"typed": {}}


def test_the_same_form_finalised_three_times_answers_the_saved_state(client: TestClient) -> None:
    user(client, "op1", "operator", [1])
    two = user(client, "op2", "operator", [1])
    csrf = _page_session(client, "op1")
    browser = _browser(client)
    form = _form(STATION_101_LIST, csrf, "form-key-1")
    answers = [client.post("/enter/101/list?lang=ru", data=form, follow_redirects=False) for _ in range(3)]
    assert [a.status_code for a in answers] == [303, 303, 303]
    assert len({a.headers["location"] for a in answers}) == 1
    assert answers[0].headers["location"].startswith("/staff/station/101?done=")
    shown = client.get(answers[2].headers["location"] + "&lang=ru")
    assert "введён один раз" in shown.text and "другой оператор" not in shown.text
    entries = client.get("/api/audit", headers=admin(client)).json()
    assert len([e for e in entries if e["action"] == "enter"]) == 1
    # The second operator's entry accepts the protocol; the first one's form sent again still is no error.
    assert client.post("/api/protocols/101/list/entries", json=STATION_101_LIST, headers=two).status_code == 200
    _back_to(client, browser)
    again = client.post("/enter/101/list", data=form, follow_redirects=False)
    assert again.status_code == 303 and unquote(again.headers["location"]).endswith(": accepted")
    coordinator = user(client, "co", "coordinator", [1])
    assert client.get("/api/protocols/101/list", headers=coordinator).json()["state"] == "accepted"


def test_a_resent_entry_is_no_error_and_a_reopened_protocol_takes_no_stale_form(client: TestClient) -> None:
    user(client, "op1", "operator", [1])
    one = login(client, "op1", "pw-op1-123")
    coordinator = user(client, "co", "coordinator", [1])
    for _ in range(2):  # the API call sent twice: the same answer
        answer = client.post("/api/protocols/101/district/entries", json=STATION_101_DISTRICT, headers=one)
        assert answer.status_code == 200 and answer.json() == {"state": "first-entry"}
    # Other figures by the same operator are no repetition: still refused.
    figures = STATION_101_DISTRICT
    changed = {**figures, "invalid": figures["invalid"] - 1, "against_all": figures["against_all"] + 1}
    other = client.post("/api/protocols/101/district/entries", json=changed, headers=one)
    assert other.status_code == 409
    # A form finalised before the coordinator reopened the protocol, sent again afterwards, enters nothing.
    two = user(client, "op2", "operator", [1])
    csrf = _page_session(client, "op1")
    browser = _browser(client)
    form = _form(STATION_101_LIST, csrf, "stale-key")
    assert client.post("/enter/101/list", data=form, follow_redirects=False).status_code == 303
    assert client.post("/api/protocols/101/list/entries", json=STATION_101_LIST, headers=two).json() == {
        "state": "accepted"
    }
    reopened = client.post("/api/protocols/101/list/reopen", json={"reason": "a line misread"}, headers=coordinator)
    assert reopened.json() == {"state": "empty"}
    _back_to(client, browser)
    stale = client.post("/enter/101/list", data=form, follow_redirects=False)
    assert stale.status_code == 303 and unquote(stale.headers["location"]).endswith(": empty")
    assert client.get("/api/protocols/101/list", headers=coordinator).json()["state"] == "empty"
    # A new form (a new key) enters as usual.
    fresh = client.post("/enter/101/list", data=_form(STATION_101_LIST, csrf, "new-key"), follow_redirects=False)
    assert unquote(fresh.headers["location"]).endswith(": entered once")


def test_a_form_that_would_be_refused_is_refused_when_opened(client: TestClient) -> None:
    one = user(client, "op1", "operator", [1])
    user(client, "op9", "operator", [2])
    client.post("/api/protocols/101/list/entries", json=STATION_101_LIST, headers=one)
    _page_session(client, "op1")
    mine = client.get("/enter/101/list?lang=kk")
    assert mine.status_code == 409
    assert "бұл хаттаманы сіз енгізіп қойдыңыз" in mine.text
    assert 'name="registered"' not in mine.text  # no form to type into
    assert client.get("/enter/101/district?lang=kk").status_code == 200  # the other ballot is still open to them
    client.cookies.clear()
    _page_session(client, "op9")
    assert client.get("/enter/101/list?lang=ru").status_code == 403


def test_a_refused_entry_marks_every_line_of_the_broken_relation_and_only_those(client: TestClient) -> None:
    user(client, "op1", "operator", [1])
    csrf = _page_session(client, "op1")
    wrong = with_votes(STATION_101_LIST, Amanat=344)  # the paper says 343: P001 breaks, nothing else
    refused = client.post("/enter/101/list?lang=ru", data=_form(wrong, csrf, "k1"), follow_redirects=False)
    assert refused.status_code == 422
    marked = set(re.findall(r'name="([^"]+)"[^>]*class="figure[^"]*\bbad\b', refused.text))
    votes = {f"vote:{o}" for o in STATION_101_LIST["votes"]}
    assert marked == {"found", "invalid", "against_all", *votes}  # not "received", not "issued"
    beside = dict(re.findall(r'<td class="sides" id="s-([\w-]+)">([^<]*)</td>', refused.text))
    assert beside["found"] and "659" in beside["found"] and "660" in beside["found"]
    assert beside["received"] == "" and beside["issued"] == ""
    # Typed figures come back as typed (nothing lost), the clerk's words in Russian with both sides.
    assert 'value="344"' in refused.text and "P001" in refused.text and "660" in refused.text
    # Another relation: cancelled mistyped marks received, issued and cancelled only.
    wrong = {**STATION_101_LIST, "cancelled": 1815}
    refused = client.post("/enter/101/list?lang=kk", data=_form(wrong, csrf, "k2"), follow_redirects=False)
    marked = set(re.findall(r'name="([^"]+)"[^>]*class="figure[^"]*\bbad\b', refused.text))
    assert marked == {"received", "issued", "cancelled"}


def test_an_idempotency_key_makes_an_api_entry_sent_again_the_saved_state(client: TestClient) -> None:
    one, two = user(client, "op1", "operator", [1]), user(client, "op2", "operator", [1])
    coordinator = user(client, "co", "coordinator", [1])
    keyed = {**one, "Idempotency-Key": "api-key-1"}
    assert client.post("/api/protocols/101/list/entries", json=STATION_101_LIST, headers=keyed).json() == {
        "state": "first-entry"
    }
    client.post("/api/protocols/101/list/entries", json=STATION_101_LIST, headers=two)
    client.post("/api/protocols/101/list/reopen", json={"reason": "a line misread"}, headers=coordinator)
    # Sent again after the reopening (a client retrying a lost answer): nothing entered, the saved state.
    again = client.post("/api/protocols/101/list/entries", json=STATION_101_LIST, headers=keyed)
    assert again.status_code == 200 and again.json() == {"state": "empty"}
    # The key is the operator's own: another operator's entry with the same key is entered as usual.
    other = client.post(
        "/api/protocols/101/list/entries", json=STATION_101_LIST, headers={**two, "Idempotency-Key": "api-key-1"}
    )
    assert other.json() == {"state": "first-entry"}
