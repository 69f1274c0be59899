"""Sessions that slide while the clerk works (issue 23): an idle limit, not a fixed end; an ended session
sends the clerk back, after logging in again, to the page they were on, and only ever to a page of this
service.

The idle limit here is one hour (`Settings.session_idle`), so the figures below are the test's own: a login
at 16:00 used every 50 minutes lives through the night; left alone for an hour, it ends.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from saylau.service import users
from saylau.store import Database
from saylau.store import users as store
from saylau.web import Settings, create_app, prepare
from saylau.web.context import COOKIE
from saylau.web.pages import HAD_SESSION, local_path
from tests.service.conftest import ADMIN_PASSWORD, ALMATY

HOUR = 3600
T0 = 1_700_000_000
"""A login time (seconds since the epoch); only differences from it matter."""


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    settings = Settings(folder=ALMATY, data=tmp_path / "data", admin_password=ADMIN_PASSWORD, secure_cookies=False)
    made, _ = prepare(settings)
    with contextlib.closing(made):
        yield made


def _expires(database: Database, token: str) -> int:
    with database.unit_of_work() as connection:
        return int(connection.execute(text("SELECT expires FROM sessions")).scalar_one())


def test_a_session_used_within_its_idle_limit_lives_through_the_night(database: Database) -> None:
    with database.unit_of_work() as connection:
        made = users.login(connection, "admin", ADMIN_PASSWORD, now=T0, idle=HOUR)
        assert made is not None
    for step in range(1, 15):  # a request every 50 minutes, from 16:00 to past 03:30
        with database.unit_of_work() as connection:
            assert users.session(connection, made.token, now=T0 + step * 50 * 60, idle=HOUR) is not None, step
    last = T0 + 14 * 50 * 60
    assert _expires(database, made.token) == last + HOUR
    with database.unit_of_work() as connection:
        assert users.session(connection, made.token, now=last + HOUR - 1) is not None
        assert users.session(connection, made.token, now=last + HOUR) is None  # an hour without work: ended


def test_an_idle_session_ends_and_a_late_request_does_not_revive_it(database: Database) -> None:
    with database.unit_of_work() as connection:
        made = users.login(connection, "admin", ADMIN_PASSWORD, now=T0, idle=HOUR)
        assert made is not None
        assert users.session(connection, made.token, now=T0 + HOUR, idle=HOUR) is None
        assert users.session(connection, made.token, now=T0 + HOUR + 10, idle=HOUR) is None
    assert _expires(database, made.token) == T0 + HOUR  # the refused requests renewed nothing


def test_requests_within_a_minute_of_the_last_renewal_write_nothing(database: Database) -> None:
    with database.unit_of_work() as connection:
        made = users.login(connection, "admin", ADMIN_PASSWORD, now=T0, idle=HOUR)
        assert made is not None
        users.session(connection, made.token, now=T0 + users.RENEW_AFTER, idle=HOUR)
        found = store.live_sessions(connection, [users._digest(made.token)], T0 + users.RENEW_AFTER)
    assert found[0].expires == T0 + HOUR  # one minute after: not yet renewed
    with database.unit_of_work() as connection:
        users.session(connection, made.token, now=T0 + users.RENEW_AFTER + 1, idle=HOUR)
    assert _expires(database, made.token) == T0 + users.RENEW_AFTER + 1 + HOUR


@pytest.mark.parametrize(
    ("asked", "kept"),
    [
        ("/enter/101/list", "/enter/101/list"),
        ("/enter/101/list?contest=maslihat&lang=kk", "/enter/101/list?contest=maslihat&lang=kk"),
        ("/staff?state=different", "/staff?state=different"),
        ("//evil.example/enter", None),
        ("https://evil.example/", None),
        ("/\\evil.example", None),
        ("\\\\evil.example", None),
        ("javascript:alert(1)", None),
        ("/enter/101/list\r\nSet-Cookie: x=1", None),
        ("/login", None),
        ("", None),
        ("enter/101/list", None),
        ("/" + "a" * 2001, None),
    ],
)
def test_next_is_only_ever_a_path_of_this_service(asked: str, kept: str | None) -> None:
    assert local_path(asked) == kept


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Any]:
    settings = Settings(
        folder=ALMATY, data=tmp_path / "data", admin_password=ADMIN_PASSWORD, secure_cookies=False, session_idle=HOUR
    )
    made, _ = prepare(settings)
    with contextlib.closing(made):
        yield create_app(settings, made), made


def _log_in(client: TestClient, name: str, password: str, next_path: str | None = None) -> Any:
    page = client.get("/login" + (f"?next={next_path}" if next_path else ""))
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf is not None
    form = {"name": name, "password": password, "csrf": csrf[1]}
    if next_path is not None:
        form["next"] = next_path
    return client.post("/login", data=form, follow_redirects=False)


def test_an_ended_session_returns_the_clerk_to_the_form_in_the_page_language(app: Any) -> None:
    served, database = app
    with TestClient(served) as admin:
        token = admin.post("/api/login", json={"name": "admin", "password": ADMIN_PASSWORD}).json()["token"]
        body = {"name": "op1", "password": "pw-op1-123", "role": "operator", "districts": []}
        assert admin.post("/api/users", json=body, headers={"Authorization": f"Bearer {token}"}).status_code == 201
    with TestClient(served) as clerk:
        assert _log_in(clerk, "op1", "pw-op1-123").headers["location"] == "/staff"
        assert clerk.get("/enter/101/list?lang=kk").status_code == 200
        with database.unit_of_work() as connection:  # two hours without work: the session has ended
            connection.execute(text("UPDATE sessions SET expires = 1"))
        ended = clerk.get("/enter/101/list?lang=kk", follow_redirects=False)
        assert ended.status_code == 303
        where = urlsplit(ended.headers["location"])
        assert where.path == "/login"
        assert parse_qs(where.query) == {"next": ["/enter/101/list?lang=kk"], "expired": ["1"], "lang": ["kk"]}
        login = clerk.get(ended.headers["location"])
        assert "Ұзақ үзілістен кейін сеансыңыз аяқталды" in login.text
        assert 'name="next" value="/enter/101/list?lang=kk"' in login.text
        back = _log_in(clerk, "op1", "pw-op1-123", "/enter/101/list?lang=kk")
        assert back.headers["location"] == "/enter/101/list?lang=kk"
        assert clerk.get(back.headers["location"]).status_code == 200


def test_a_form_sent_after_the_session_ended_returns_to_the_page_of_the_form(app: Any) -> None:
    served, database = app
    with TestClient(served) as clerk:
        assert _log_in(clerk, "admin", ADMIN_PASSWORD).status_code == 303
        with database.unit_of_work() as connection:
            connection.execute(text("UPDATE sessions SET expires = 1"))
        for sent, page in (
            ("/protocols/101/list/reopen?lang=ru", "/protocols/101/list?lang=ru"),
            ("/enter/101/list?contest=election", "/enter/101/list?contest=election"),
            ("/admin/users/op1/disable", "/admin/users"),
        ):
            answer = clerk.post(sent, data={"csrf": "x", "reason": "r"}, follow_redirects=False)
            assert answer.status_code == 303
            query = parse_qs(urlsplit(answer.headers["location"]).query)
            assert query == {"next": [page], "expired": ["1"]} | ({"lang": ["ru"]} if "lang=ru" in sent else {})


def test_a_session_cookie_gone_entirely_says_the_session_ended_and_returns_to_the_page(app: Any) -> None:
    """The browser lost the session cookie (restarted, cookies cleared): the page and a form sent from it land
    on the login page saying the session ended, in the page's language, and return to the same page; a first
    visit and a visit after logging out are not told so."""
    served, _ = app
    with TestClient(served) as clerk:
        first = clerk.get("/staff", follow_redirects=False)
        assert parse_qs(urlsplit(first.headers["location"]).query) == {"next": ["/staff"]}
        assert _log_in(clerk, "admin", ADMIN_PASSWORD).status_code == 303
        assert clerk.cookies.get(HAD_SESSION) == "1"
        clerk.cookies.delete(COOKIE)  # the session cookie is gone; the browser had one
        ended = clerk.get("/admin/users?lang=ru", follow_redirects=False)
        assert ended.status_code == 303
        assert parse_qs(urlsplit(ended.headers["location"]).query) == {
            "next": ["/admin/users?lang=ru"],
            "expired": ["lost"],
            "lang": ["ru"],
        }
        login = clerk.get(ended.headers["location"])
        assert "Сеанс завершён. Войдите снова" in login.text and "долгого перерыва" not in login.text
        back = _log_in(clerk, "admin", ADMIN_PASSWORD, "/admin/users?lang=ru")
        assert back.headers["location"] == "/admin/users?lang=ru"
        page = clerk.get("/staff")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert csrf is not None
        assert clerk.post("/logout", data={"csrf": csrf[1]}, follow_redirects=False).status_code == 303
        assert HAD_SESSION not in clerk.cookies
        after = clerk.get("/staff", follow_redirects=False)
        assert "expired" not in parse_qs(urlsplit(after.headers["location"]).query)
    with TestClient(served) as other:  # no cookie at all: a form's POST comes only from a page of a session
        sent = other.post("/enter/101/list?lang=kk", data={"csrf": "x", "registered": "1"}, follow_redirects=False)
        assert parse_qs(urlsplit(sent.headers["location"]).query) == {
            "next": ["/enter/101/list?lang=kk"],
            "expired": ["lost"],
            "lang": ["kk"],
        }
        assert "Сеансыңыз аяқталды." in other.get(sent.headers["location"]).text


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example"])
def test_the_login_form_never_sends_the_clerk_to_another_site(app: Any, target: str) -> None:
    served, _ = app
    with TestClient(served) as clerk:
        assert _log_in(clerk, "admin", ADMIN_PASSWORD, target).headers["location"] == "/staff"


def test_the_session_cookie_of_a_working_clerk_slides(app: Any) -> None:
    served, database = app
    with TestClient(served) as clerk:
        assert _log_in(clerk, "admin", ADMIN_PASSWORD).status_code == 303
        with database.unit_of_work() as connection:
            connection.execute(text("UPDATE sessions SET expires = expires - 3000"))  # 50 minutes have passed
            before = int(connection.execute(text("SELECT expires FROM sessions")).scalar_one())
        assert clerk.get("/staff").status_code == 200
        with database.unit_of_work() as connection:
            after = int(connection.execute(text("SELECT expires FROM sessions")).scalar_one())
        assert after >= before + 3000 - 5  # renewed to an hour from now
