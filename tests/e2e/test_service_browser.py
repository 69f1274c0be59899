"""The service's pages in headless Chromium: two operators type one protocol, one of them a figure wrong;
the coordinator sees the difference side by side and resolves it in one step; the protocol is accepted.

Runs the real server (uvicorn, SQLite) on a free port of 127.0.0.1, with Secure cookies as in production.
Screenshots land in the test's temporary folder (and in $SAYLAU_SCREENSHOTS when set).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import log_in
from tests.e2e.test_browser import ARGS, CHROMIUM
from tests.service.conftest import ADMIN_PASSWORD
from tests.service.helpers import STATION_101_LIST, with_votes

sync_api = pytest.importorskip("playwright.sync_api")


def _users(url: str) -> None:
    with httpx.Client(base_url=url) as client:
        token = client.post("/api/login", json={"name": "admin", "password": ADMIN_PASSWORD}).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        for name, role, districts in (("op1", "operator", [1]), ("op2", "operator", [1]), ("chief", "coordinator", [])):
            body = {"name": name, "password": f"pw-{name}-123", "role": role, "districts": districts}
            assert client.post("/api/users", json=body, headers=headers).status_code == 201


def _type_protocol(page: Any, figures: dict[str, Any]) -> None:
    """Keyboard only: each line typed, then Enter to the next; Enter on the button finalises."""
    page.focus("#f-registered")
    lines = ["registered", "received", "issued", "issued_absentee", "issued_outside", "cancelled", "found"]
    lines += ["invalid", "against_all"]
    options = page.eval_on_selector_all("input.vote", "xs => xs.map(x => x.name.slice(5))")
    for value in [figures[line] for line in lines] + [figures["votes"][o] for o in options]:
        page.keyboard.type(str(value))
        page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "finalise"
    page.keyboard.press("Enter")


def test_two_operators_one_difference_one_step(server: str, tmp_path: Path) -> None:
    _users(server)
    shots = Path(os.environ.get("SAYLAU_SCREENSHOTS", tmp_path))
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        first = browser.new_context().new_page()
        log_in(first, server, "op1")
        first.goto(f"{server}/enter/101/list")
        _type_protocol(first, STATION_101_LIST)
        first.wait_for_url(f"{server}/staff/station/101?done=*")
        assert "101 Party-list ballot" in first.inner_text(".message")

        second = browser.new_context().new_page()
        log_in(second, server, "op2")
        second.goto(f"{server}/enter/101/list?lang=ru")
        second.focus("#f-registered")
        second.keyboard.type("2451")
        second.fill("#f-found", "600")  # as typed so far: the live check shows P001 failing
        second.fill("#f-invalid", "20")
        second.fill("#f-against_all", "41")
        for field in second.query_selector_all("input.vote"):
            field.fill("1")
        second.dispatch_event("#f-found", "input")
        assert second.get_attribute("#checks li[data-code=P001]", "class") == "bad"
        second.screenshot(path=str(shots / "service-entry-ru.png"), full_page=True)
        second.goto(f"{server}/enter/101/list")
        _type_protocol(second, with_votes(STATION_101_LIST, QHP=74, Respublica=84))  # two rows swapped
        second.wait_for_url(f"{server}/staff/station/101?done=*")

        chief = browser.new_context().new_page()
        log_in(chief, server, "chief")
        chief.goto(f"{server}/protocols/101/list")
        differing = chief.eval_on_selector_all("tr.differs", "rows => rows.map(r => r.dataset.line)")
        assert sorted(differing) == ["votes:QHP", "votes:Respublica"]
        chief.screenshot(path=str(shots / "service-resolve.png"), full_page=True)
        chief.click("button[value=keep-first]")  # the one step
        chief.wait_for_url(f"{server}/staff?done=*")
        assert chief.get_attribute("tr[data-station='101'][data-ballot='list']", "class") == "accepted"
        browser.close()
