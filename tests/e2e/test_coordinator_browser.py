"""The clerk's night in headless Chromium, in Kazakh and Russian, at 390 px (a phone) and 1280 px:

- certifying shows the council it will certify and asks to confirm (nothing is certified by one click);
- the audit log as a page, filtered by station;
- a session that ended while the clerk was away sends them, after logging in again, back to their form;
- the staff list fits a 390 px screen (its table scrolls inside the page, not past its edge).

The election is tests/service/test_coordinator_pages.py's one station (council by hand there: A 3, B 1, C 1).
Screenshots land in the test's temporary folder (and in $SAYLAU_SCREENSHOTS when set).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from saylau.store import open_database
from tests.e2e.test_browser import ARGS, CHROMIUM
from tests.service.conftest import ADMIN_PASSWORD
from tests.service.test_coordinator_pages import DISTRICT_FIGURES, ELECTION, LIST_FIGURES
from tests.service.test_decisions import FILES

sync_api = pytest.importorskip("playwright.sync_api")
WIDTHS = (390, 1280)
KK_RU = (("kk", 390), ("ru", 1280))
"""Kazakh on a phone, Russian on a desktop."""


def small_folder(root: Path) -> Path:
    folder = root / "small"
    folder.mkdir()
    for name, content in {**FILES, "election.toml": ELECTION}.items():
        (folder / name).write_text(content, encoding="utf-8")
    return folder


def _users(url: str, count: bool) -> None:
    with httpx.Client(base_url=url) as client:
        token = client.post("/api/login", json={"name": "admin", "password": ADMIN_PASSWORD}).json()["token"]
        for name, role in (("op1", "operator"), ("op2", "operator"), ("chief", "coordinator")):
            body = {"name": name, "password": f"pw-{name}-123", "role": role, "districts": []}
            assert client.post("/api/users", json=body, headers={"Authorization": f"Bearer {token}"}).status_code == 201
        if not count:
            return
        for name in ("op1", "op2"):
            login = client.post("/api/login", json={"name": name, "password": f"pw-{name}-123"}).json()
            headers = {"Authorization": f"Bearer {login['token']}"}
            for ballot, figures in (("list", LIST_FIGURES), ("district", DISTRICT_FIGURES)):
                assert (
                    client.post(f"/api/protocols/1/{ballot}/entries", json=figures, headers=headers).status_code == 200
                )
            client.cookies.clear()


def _log_in(page: Any, url: str, name: str) -> None:
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", f"pw-{name}-123")
    page.keyboard.press("Enter")


def _logged_in(
    browser: Any, server: str, name: str, views: Iterable[tuple[str, int]]
) -> Iterator[tuple[str, int, Any]]:
    """A page for each (language, width) of `views`, `name` logged in on the staff page; each page is closed
    when the caller asks for the next."""
    for lang, width in views:
        page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
        page.goto(f"{server}/login?lang={lang}")
        _log_in(page, server, name)
        page.wait_for_url(f"{server}/staff")
        yield lang, width, page
        page.context.close()


def _fits(page: Any, width: int) -> None:
    """Nothing runs past the right edge of a `width` px screen."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def _whole(page: Any, table: str) -> None:
    """The table shows every column at once: it needs no scrolling of its own either."""
    sizes = page.eval_on_selector(table, "t => [t.scrollWidth, t.clientWidth]")
    assert sizes[0] <= sizes[1], (page.url, table, sizes)


@pytest.mark.parametrize("server", [small_folder], indirect=True)
def test_certify_shows_the_council_and_asks_to_confirm_in_kk_and_ru(server: str, tmp_path: Path) -> None:
    _users(server, count=True)
    shots = Path(os.environ.get("SAYLAU_SCREENSHOTS", tmp_path))
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for lang, width, page in _logged_in(
            browser, server, "chief", (("kk", 390), ("ru", 1280), ("kk", 1280), ("ru", 390))
        ):
            _fits(page, width)
            page.screenshot(path=str(shots / f"staff-chief-{lang}-{width}.png"), full_page=True)
            _whole(page, "table.protocols")
            page.click("a.certify")
            page.wait_for_url(f"{server}/certify")
            rows = page.locator("table.council-seats tbody tr")
            assert [r.get_attribute("data-party") for r in rows.all()] == ["A", "B", "C"]
            assert rows.locator("td b").all_inner_texts() == ["3", "1", "1"]
            assert page.locator("table.council-deputies tbody tr").count() == 5
            _fits(page, width)
            page.screenshot(path=str(shots / f"certify-{lang}-{width}.png"), full_page=True)
            page.click("form.confirm button")  # not ticked: the page asks for the tick in its words (no browser's)
            page.wait_for_selector(".errors li[data-field=confirm]")
            assert page.url == f"{server}/certify"
            assert httpx.get(f"{server}/api/status").json()["certified"] is False
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.goto(f"{server}/login?lang=ru")
        _log_in(page, server, "chief")
        page.click("a.certify")
        page.check("form.confirm input[name=confirm]")
        page.click("form.confirm button")
        page.wait_for_url(f"{server}/staff?done=*")
        assert "утверждённые итоги: SHA-256" in page.inner_text(".message")
        assert httpx.get(f"{server}/api/status").json()["certified"] is True
        page.goto(f"{server}/audit?lang=ru&station=1")
        assert page.locator("table.audit tbody tr").count() == 4  # the four entries of station 1
        assert "введён протокол" in page.inner_text("table.audit")
        for lang, width in (("ru", 1280), ("kk", 390)):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{server}/audit?lang={lang}")
            assert page.locator("table.audit tbody tr").first.locator("td").nth(3).inner_text().strip() in (
                "итоги утверждены",
                "қорытынды бекітілді",
            )
            _fits(page, width)
            page.screenshot(path=str(shots / f"audit-{lang}-{width}.png"), full_page=True)
        browser.close()


def test_an_ended_session_returns_the_clerk_to_the_form_in_kk_and_ru(server: str, tmp_path: Path) -> None:
    _users(server, count=False)
    shots = Path(os.environ.get("SAYLAU_SCREENSHOTS", tmp_path))
    database = open_database(f"sqlite:///{tmp_path / 'data' / 'saylau.sqlite'}", migrate=False)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        said_in = ("Ұзақ үзілістен кейін сеансыңыз аяқталды", "Сеанс завершился после долгого перерыва")
        for (lang, width, page), said in zip(_logged_in(browser, server, "op1", KK_RU), said_in, strict=True):
            _fits(page, width)
            _whole(page, "table.protocols")
            page.screenshot(path=str(shots / f"staff-{lang}-{width}.png"), full_page=True)
            form = f"{server}/enter/101/list?lang={lang}"
            page.goto(form)
            page.fill("#f-registered", "2451")
            with database.unit_of_work() as connection:  # the clerk was away longer than the idle limit
                connection.execute(text("UPDATE sessions SET expires = 1"))
            page.goto(form)  # the next step of the clerk: the form again
            page.wait_for_url(re.compile(r".*/login\?next=.*expired=1"))
            assert said in page.inner_text(".message")
            page.screenshot(path=str(shots / f"session-ended-{lang}-{width}.png"), full_page=True)
            _log_in(page, server, "op1")
            page.wait_for_url(form)
            assert page.locator("#f-registered").count() == 1  # back on the form the clerk was typing
            page.screenshot(path=str(shots / f"session-back-{lang}-{width}.png"), full_page=True)
        browser.close()
    database.close()


@pytest.mark.parametrize("server", [small_folder], indirect=True)
def test_the_coordinator_reads_each_check_in_words_and_discards_only_with_a_reason(server: str, tmp_path: Path) -> None:
    _users(server, count=False)
    shots = Path(os.environ.get("SAYLAU_SCREENSHOTS", tmp_path))
    over = {**LIST_FIGURES, "received": 1011, "cancelled": 511}  # W004: floor(1000 x 1.01) = 1010 expected
    with httpx.Client(base_url=server) as client:
        for name, figures in (("op1", over), ("op2", {**over, "votes": {"A": 150, "B": 240, "C": 90}})):
            token = client.post("/api/login", json={"name": name, "password": f"pw-{name}-123"}).json()["token"]
            answer = client.post(
                "/api/protocols/1/list/entries", json=figures, headers={"Authorization": f"Bearer {token}"}
            )
            assert answer.status_code == 200, answer.text
            client.cookies.clear()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        said_in = ("алынды 1011, күтілгені 1010 (тізімде 1000)", "получено 1011, ожидалось 1010 (в списках 1000)")
        for (lang, width, page), said in zip(_logged_in(browser, server, "chief", KK_RU), said_in, strict=True):
            page.goto(f"{server}/protocols/1/list")
            assert said in page.inner_text("ul.warnings li[data-code=W004]")
            assert page.locator("details.discard form").count() == 3  # behind one more click, each with a reason
            page.click("details.discard summary")
            page.screenshot(path=str(shots / f"protocol-checks-{lang}-{width}.png"), full_page=True)
            _fits(page, width)
        browser.close()
