"""What the live page's script asks of the service, watched in headless Chromium (`static/live.js`).

A reader costs a request per poll: the script sends the ETag of the fragment on screen from its first poll (the
page carries it), so while the count stands every poll is a 304 with no body; an accepted protocol brings one
200 with the new fragment, and the polls after it send the new ETag. A tab nobody looks at asks for nothing
until it is shown. The poll interval is set to one second here (`public.POLL_SECONDS`; five on a real page).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from saylau.web import public
from tests.e2e.test_browser import ARGS, CHROMIUM
from tests.service.conftest import ADMIN_PASSWORD
from tests.service.helpers import STATION_101_LIST

sync_api = pytest.importorskip("playwright.sync_api")


def _accept_station_101(url: str) -> None:
    with httpx.Client(base_url=url) as client:
        token = client.post("/api/login", json={"name": "admin", "password": ADMIN_PASSWORD}).json()["token"]
        admin = {"Authorization": f"Bearer {token}"}
        for name in ("op1", "op2"):
            body = {"name": name, "password": f"pw-{name}-123", "role": "operator", "districts": [1]}
            assert client.post("/api/users", json=body, headers=admin).status_code in (200, 201)
            login = client.post("/api/login", json={"name": name, "password": f"pw-{name}-123"}).json()["token"]
            typed = client.post(
                "/api/protocols/101/list/entries", json=STATION_101_LIST, headers={"Authorization": f"Bearer {login}"}
            )
            assert typed.status_code in (200, 201), typed.text
        assert typed.json()["state"] == "accepted"


def _wait(page: Any, condition: Any, seconds: float, what: str) -> None:
    """Wait with Playwright's own clock, so that the page's events are handled meanwhile (not `time.sleep`)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        page.wait_for_timeout(100)


def test_the_live_page_polls_with_its_etag_and_not_while_hidden(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(public, "POLL_SECONDS", 1)  # the server runs in this process (tests/e2e/conftest.py)
    polls: list[tuple[int, str | None]] = []  # (status, the If-None-Match the script sent)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844}, locale="kk-KZ")

            def seen(response: Any) -> None:
                if "/live?" in response.url:
                    polls.append((response.status, response.request.headers.get("if-none-match")))

            page.on("response", seen)
            page.goto(f"{server}/?lang=kk")
            carried = page.get_attribute("#live", "data-etag")
            assert carried and carried.startswith('"v'), "the page carries its fragment's ETag"
            _wait(page, lambda: len(polls) >= 2, 15, "two polls")
            assert polls[:2] == [(304, carried), (304, carried)], "nothing changed: each poll a 304, from the first"

            _accept_station_101(server)
            _wait(page, lambda: any(status == 200 for status, _ in polls), 30, "the new fragment")
            _wait(page, lambda: page.get_attribute("[data-ballot-stations] progress", "value") == "1", 10, "it shown")
            changed = next(k for k, (status, _) in enumerate(polls) if status == 200)
            _wait(page, lambda: len(polls) > changed + 1, 15, "a poll after the new fragment")
            _status, sent = polls[changed + 1]
            assert sent not in (None, carried), "the next poll sends the new fragment's ETag"

            page.evaluate(
                "Object.defineProperty(document, 'hidden', {configurable: true, get: () => true});"
                "document.dispatchEvent(new Event('visibilitychange'))"
            )
            page.wait_for_timeout(1500)  # a poll already on its way may still land
            hidden_from = len(polls)
            page.wait_for_timeout(3500)
            assert len(polls) == hidden_from, "a hidden tab asks for nothing"
            page.evaluate(
                "Object.defineProperty(document, 'hidden', {configurable: true, get: () => false});"
                "document.dispatchEvent(new Event('visibilitychange'))"
            )
            _wait(page, lambda: len(polls) > hidden_from, 5, "a poll once the tab is shown")
            page.screenshot(path=str(tmp_path / "public-live-kk-390.png"), full_page=True)
        finally:
            browser.close()
