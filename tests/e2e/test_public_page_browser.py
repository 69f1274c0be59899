"""The public results page in headless Chromium while `saylau replay` enters the Almaty protocols.

The page is opened once; the replay accepts protocols; the progress and the party figures change without a
reload (a marker set in the page survives); then the commission certifies, and the same page shows
"certified" and the bundle's SHA-256. Screenshots at 1280 and 390 px in kk, ru and en land in the test's
temporary folder (and in $SAYLAU_SCREENSHOTS when set).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.test_browser import ARGS, CHROMIUM
from tests.service.conftest import ADMIN_PASSWORD, ALMATY

sync_api = pytest.importorskip("playwright.sync_api")


def _stations_reported(page: Any) -> int:
    text = page.inner_text("[data-ballot-stations]")
    found = re.search(r"(\d[\d\s\u00a0\u202f,]*) of", text)
    assert found, text
    return int(re.sub(r"\D", "", found.group(1)))


def _wait(condition: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.25)


def _certify(url: str) -> str:
    with httpx.Client(base_url=url) as client:
        token = client.post("/api/login", json={"name": "admin", "password": ADMIN_PASSWORD}).json()["token"]
        body = {"name": "chief", "password": "pw-chief-123", "role": "coordinator", "districts": []}
        client.post("/api/users", json=body, headers={"Authorization": f"Bearer {token}"})
        chief = client.post("/api/login", json={"name": "chief", "password": "pw-chief-123"}).json()["token"]
        done = client.post("/api/certify", headers={"Authorization": f"Bearer {chief}"})
        assert done.status_code == 200, done.text
        return str(done.json()["sha256"])


def test_the_page_follows_the_count_then_shows_the_certified_hash(server: str, tmp_path: Path) -> None:
    shots = Path(os.environ.get("SAYLAU_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    replay = subprocess.Popen(
        [sys.executable, "-m", "saylau", "replay", str(ALMATY), "--url", server, "--operators", "4", "--rate", "100"],
        env={**os.environ, "SAYLAU_ADMIN_PASSWORD": ADMIN_PASSWORD},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
            page.goto(f"{server}/?lang=en")
            page.evaluate("window.__notReloaded = true")
            first_votes = page.inner_text('tr[data-party="Amanat"] [data-votes]')
            first = _stations_reported(page)
            # a count seen while still partial: between the first figure and all 553 stations (a busy machine
            # once let the replay finish before the page looked again)
            _wait(lambda: first < _stations_reported(page) < 553, 60, "the progress to move without a reload")
            assert page.evaluate("window.__notReloaded === true"), "the page must update without a reload"
            assert page.inner_text('tr[data-party="Amanat"] [data-votes]') != first_votes
            assert page.get_attribute("[data-status]", "data-status") == "partial"
            page.screenshot(path=str(shots / "public-partial-en-1280.png"), full_page=True)
            output, _ = replay.communicate(timeout=300)
            assert replay.returncode == 0, output
            sha256 = _certify(server)
            _wait(lambda: page.get_attribute("[data-status]", "data-status") == "certified", 30, "the certified status")
            assert page.evaluate("window.__notReloaded === true")
            assert page.inner_text("#bundle-sha256") == sha256
            assert _stations_reported(page) == 553
            for lang in ("kk", "ru", "en"):
                for width in (1280, 390):
                    view = browser.new_page(viewport={"width": width, "height": 900})
                    view.goto(f"{server}/?lang={lang}")
                    assert view.get_attribute("html", "lang") == lang
                    assert view.inner_text("#bundle-sha256") == sha256
                    chart = view.query_selector("svg.hemicycle")
                    assert chart is not None and chart.bounding_box()["width"] > 200  # type: ignore[index]
                    scroll_width = view.evaluate("document.documentElement.scrollWidth")
                    assert scroll_width <= width, "tables scroll inside themselves, never the whole page"
                    view.screenshot(path=str(shots / f"public-certified-{lang}-{width}.png"), full_page=True)
                    view.close()
            projector = browser.new_page(viewport={"width": 1280, "height": 900})
            projector.goto(f"{server}/projector?lang=ru")
            total = projector.inner_text("tr.total").split()
            assert total[-1] == str(2 * 553), "every station's two protocols accepted"
            projector.screenshot(path=str(shots / "projector-ru-1280.png"), full_page=True)
        finally:
            browser.close()
            if replay.poll() is None:
                replay.kill()
