"""What a coordinator needs, and nothing irreversible in one click (issue 23), over a one-station election:

- certifying shows the council it will certify and asks to confirm (tied to that council's SHA-256);
- discarding entries asks for a confirmation and a reason, which the audit log keeps;
- the audit log as a page, filtered by station, user, action and time, paged, times in Asia/Almaty;
- the protocol PDF marked partial or certified, named with the contest, the status and the local time.

The count, by hand (Hare quota and largest remainders, kazakhstan-2023-maslihat, 5 seats = 1 district + 4
list seats): list votes A 240, B 150, C 90 (480 valid); quota 480 / 4 = 120; A 2 (remainder 0), B 1 (30),
C 0 (90): the fourth seat goes to C, the largest remainder. District 1: X (A) 250 wins. Council: A 3, B 1,
C 1; deputies A list 1, A list 2, B list 1, C list 1 and X.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from saylau.web import Settings, create_app, prepare
from tests.service.conftest import ADMIN_PASSWORD
from tests.service.helpers import admin, user
from tests.service.test_decisions import FILES, LIST

ELECTION = FILES["election.toml"].replace('name = "Tied"\n', 'name = "Small"\n') + (
    '[commission]\nname = "Small Territorial Electoral Commission"\ntime_zone = "Asia/Almaty"\n'
)
LIST_FIGURES = {**LIST, "votes": {"A": 240, "B": 150, "C": 90}}
DISTRICT_FIGURES = {**LIST, "votes": {"X": 250, "Y": 150, "Z": 80}}
ALMATY = ZoneInfo("Asia/Almaty")


@pytest.fixture
def small(tmp_path: Path) -> Iterator[tuple[TestClient, Any]]:
    folder = tmp_path / "small"
    folder.mkdir()
    for name, content in {**FILES, "election.toml": ELECTION}.items():
        (folder / name).write_text(content, encoding="utf-8")
    settings = Settings(folder=folder, data=tmp_path / "data", admin_password=ADMIN_PASSWORD, secure_cookies=False)
    database, _ = prepare(settings)
    with contextlib.closing(database), TestClient(create_app(settings, database)) as client:
        yield client, database


def _type(client: TestClient, ballot: str, figures: dict[str, Any], *who: dict[str, str]) -> str:
    for headers in who:
        answer = client.post(f"/api/protocols/1/{ballot}/entries", json=figures, headers=headers)
        assert answer.status_code == 200, answer.text
    state: str = answer.json()["state"]
    return state


def _count(client: TestClient) -> None:
    one, two = user(client, "op1", "operator"), user(client, "op2", "operator")
    assert _type(client, "list", LIST_FIGURES, one, two) == "accepted"
    assert _type(client, "district", DISTRICT_FIGURES, one, two) == "accepted"


def _browser(client: TestClient, name: str, password: str) -> str:
    """Log `client` in with a cookie (as a browser); the session's CSRF token."""
    client.cookies.clear()
    session = client.post("/api/login", json={"name": name, "password": password})
    assert session.status_code == 200
    csrf: str = session.json()["csrf"]
    return csrf


def test_certify_shows_the_council_and_asks_to_confirm(small: tuple[TestClient, Any]) -> None:
    client, _ = small
    _count(client)
    user(client, "chief", "coordinator")
    csrf = _browser(client, "chief", "pw-chief-123")
    page = client.get("/certify?lang=ru")
    assert page.status_code == 200
    seats = {
        party: [int(x) for x in re.findall(r'<td class="n">(?:<b>)?(\d+)', row)]
        for party, row in re.findall(r'<tr data-party="(\w)">(.*?)</tr>', page.text)
    }
    assert seats == {"A": [3, 2, 1, 240], "B": [1, 1, 0, 150], "C": [1, 1, 0, 90]}  # seats, list, district, votes
    deputies = re.findall(r'<tr><td class="n">\d+</td><td>([^<]+)</td>', page.text)
    assert sorted(deputies) == ["A list 1", "A list 2", "B list 1", "C list 1", "X"]
    assert "Я сверил(а) состав маслихата выше с протоколами и утверждаю итоги." in page.text
    seen = re.search(r'name="seen" value="([0-9a-f]{64})"', page.text)
    assert seen is not None
    unconfirmed = client.post("/certify?lang=ru", data={"csrf": csrf, "seen": seen[1]})
    assert unconfirmed.status_code == 422 and "подтвердите, что вы проверили показанный состав" in unconfirmed.text
    other = client.post("/certify?lang=ru", data={"csrf": csrf, "seen": "0" * 64, "confirm": "yes"})
    assert other.status_code == 409 and "подсчёт изменился" in other.text
    assert client.get("/api/status").json()["certified"] is False  # nothing certified by a click
    done = client.post("/certify?lang=ru", data={"csrf": csrf, "seen": seen[1], "confirm": "yes"})
    assert done.status_code == 200 and "утверждённые итоги: SHA-256" in done.text
    assert client.get("/api/status").json()["certified"] is True


def test_discarding_entries_asks_to_confirm_and_for_a_reason(small: tuple[TestClient, Any]) -> None:
    client, _ = small
    one, two = user(client, "op1", "operator"), user(client, "op2", "operator")
    other = {**LIST_FIGURES, "votes": {"A": 150, "B": 240, "C": 90}}
    assert _type(client, "list", LIST_FIGURES, one) == "first-entry"
    assert _type(client, "list", other, two) == "different"
    user(client, "chief", "coordinator")
    program = user(client, "c2", "coordinator")
    audit_reader = admin(client)
    csrf = _browser(client, "chief", "pw-chief-123")
    page = client.get("/protocols/1/list?lang=kk")
    assert "Енгізулерді жою…" in page.text and 'name="confirm" value="yes" required' in page.text
    unconfirmed = client.post("/protocols/1/list/discard-both?lang=kk", data={"csrf": csrf, "reason": "қате"})
    assert unconfirmed.status_code == 422 and "енгізулерді жою керектігін растаңыз" in unconfirmed.text
    no_reason = client.post("/protocols/1/list/discard-both?lang=kk", data={"csrf": csrf, "confirm": "yes"})
    assert no_reason.status_code == 422 and "себебін жазыңыз" in no_reason.text
    api = client.post("/api/protocols/1/list/resolve", json={"action": "discard-both"}, headers=program)
    assert (api.status_code, api.json()["field"]) == (422, "reason")
    assert client.get("/api/protocols/1/list").json()["state"] == "different"  # nothing discarded yet
    done = client.post(
        "/protocols/1/list/discard-both?lang=kk", data={"csrf": csrf, "confirm": "yes", "reason": "екі қате"}
    )
    assert done.status_code == 200
    assert client.get("/api/protocols/1/list").json()["state"] == "empty"
    client.cookies.clear()
    row = client.get("/api/audit?limit=1000", headers=audit_reader).json()[-1]
    assert (row["action"], row["reason"], row["user"]) == ("discard-both", "екі қате", "chief")


def test_the_audit_page_filters_pages_and_speaks_the_commissions_time(small: tuple[TestClient, Any]) -> None:
    client, database = small
    _count(client)
    for k in range(50):  # more than a page of rows
        body = {"name": f"obs{k}", "password": "a-long-pass-phrase-1", "role": "observer"}
        assert client.post("/api/users", json=body, headers=admin(client)).status_code == 201
    _browser(client, "admin", ADMIN_PASSWORD)
    first = client.get("/audit?lang=kk")
    assert first.status_code == 200
    total = int(re.search(r"(\d+) жазба", first.text)[1])  # type: ignore[index]
    assert total > 50 and first.text.count("<tr data-id=") == 50 and 'rel="next"' in first.text
    ids = [int(i) for i in re.findall(r'<tr data-id="(\d+)"', first.text)]
    assert ids == sorted(ids, reverse=True)  # newest first
    second = client.get("/audit?lang=kk&page=2")
    assert [int(i) for i in re.findall(r'<tr data-id="(\d+)"', second.text)] == list(range(ids[-1] - 1, 0, -1))
    entered = client.get("/audit?lang=kk&station=1&action=enter")
    assert entered.text.count("<tr data-id=") == 4 and "хаттама енгізілді" in entered.text
    by_op2 = client.get("/audit?lang=kk&user=op2")
    assert by_op2.text.count("<tr data-id=") == 2
    with database.unit_of_work() as connection:
        stored = connection.execute(text("SELECT id, at FROM audit ORDER BY id DESC LIMIT 1")).one()
    local = datetime.fromisoformat(stored.at).astimezone(ALMATY)
    shown = re.search(
        rf'<tr data-id="{stored.id}"><td class="n">{stored.id}</td><td class="at"[^>]*>([^<]+)</td>', first.text
    )
    assert shown is not None and shown[1] == f"{local:%Y-%m-%d %H:%M:%S}"
    later = (local + timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M")
    assert client.get(f"/audit?since={later}").text.count("<tr data-id=") == 0
    assert client.get(f"/audit?until={later}").text.count("<tr data-id=") == 50


def test_the_protocol_pdf_is_marked_with_its_status_and_named_for_the_shelf(
    small: tuple[TestClient, Any], tmp_path: Path
) -> None:
    client, _ = small
    chief = user(client, "chief", "coordinator")
    partial = client.get("/api/protocol.pdf?lang=kk", headers=chief)
    assert partial.status_code == 200 and partial.headers["content-type"] == "application/pdf"
    name = re.fullmatch(
        r'attachment; filename="election-partial-(\d{4}-\d\d-\d\dT\d{4})\.pdf"', partial.headers["content-disposition"]
    )
    assert name is not None
    when = datetime.strptime(name[1], "%Y-%m-%dT%H%M").replace(tzinfo=ALMATY)
    assert abs(datetime.now(UTC) - when) < timedelta(minutes=2)  # the commission's time, not UTC
    _count(client)
    certified = client.post("/api/certify", headers=chief).json()
    final = client.get("/api/protocol.pdf?lang=kk", headers=chief)
    assert '"election-certified-' in final.headers["content-disposition"]
    texts = {}
    for label, answer in (("partial", partial), ("certified", final)):
        path = tmp_path / f"{label}.pdf"
        path.write_bytes(answer.content)
        texts[label] = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "ішінара есеп" in texts["partial"] and "Бекітілген қорытынды" not in texts["partial"]
    assert f"Бекітілген қорытынды · SHA-256 {certified['sha256'][:16]}" in texts["certified"]
    bundle = client.get("/api/bundle")
    assert re.fullmatch(
        r'attachment; filename="election-certified-\d{4}-\d\d-\d\dT\d{4}\.json"', bundle.headers["content-disposition"]
    )


@pytest.mark.parametrize(
    ("lang", "seat"),
    [
        ("kk", "A партиялық тізімі бойынша орын (кандидат көрсетілмеген)"),
        ("ru", "место по партийному списку A (кандидат не указан)"),
        ("en", "A list seat (candidate not recorded)"),
    ],
)
def test_certify_names_a_seat_whose_candidate_is_not_recorded_in_the_pages_language(
    tmp_path: Path, lang: str, seat: str
) -> None:
    """Without lists.csv the council's list seats have no names: the page describes each seat (`Deputy.label`)
    in its language where it showed a dash (issue 25)."""
    folder = tmp_path / "small"
    folder.mkdir()
    files = {**FILES, "election.toml": ELECTION}
    del files["lists.csv"]
    for name, content in files.items():
        (folder / name).write_text(content, encoding="utf-8")
    settings = Settings(folder=folder, data=tmp_path / "data", admin_password=ADMIN_PASSWORD, secure_cookies=False)
    database, _ = prepare(settings)
    with contextlib.closing(database), TestClient(create_app(settings, database)) as client:
        _count(client)
        user(client, "chief", "coordinator")
        _browser(client, "chief", "pw-chief-123")
        page = client.get(f"/certify?lang={lang}")
    assert page.status_code == 200
    deputies = re.findall(r'<tr><td class="n">\d+</td><td>([^<]+)</td>', page.text)
    assert sorted(deputies) == sorted([seat, seat, "X", seat.replace("A", "B", 1), seat.replace("A", "C", 1)])
