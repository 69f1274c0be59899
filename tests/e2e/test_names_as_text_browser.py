"""The public page over names that are markup (tests.hostile.MARKUP), in headless Chromium: no dialog.

`alert(...)` in a party's or candidate's name would open a dialog if any of them ran; the page is loaded,
station 101's list ballot is accepted, and the page updates itself (live.js puts the fragment in place), so
the names pass through both the first render and the update. Any dialog fails the test. A screenshot lands
in the test's temporary folder (or $SAYLAU_SCREENSHOTS).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.test_browser import ARGS, CHROMIUM
from tests.hostile import MARKUP, markup_folder
from tests.service.conftest import ADMIN_PASSWORD
from tests.service.helpers import STATION_101_LIST

sync_api = pytest.importorskip("playwright.sync_api")

VOTES = {"Amanat": 343, "QHP": 84, "Respublica": 74, "Baytaq": 52, "Aq Jol": 22, "Auyl": 23}


def _accept_station_101(url: str) -> None:
    figures = {**STATION_101_LIST, "votes": {MARKUP.get(p, p): v for p, v in VOTES.items()}}
    with httpx.Client(base_url=url, timeout=30) as client:
        token = client.post("/api/login", json={"name": "admin", "password": ADMIN_PASSWORD}).json()["token"]
        for name in ("op1", "op2"):
            body = {"name": name, "password": f"pw-{name}-123", "role": "operator", "districts": [1]}
            client.post("/api/users", json=body, headers={"Authorization": f"Bearer {token}"})
            session = client.post("/api/login", json={"name": name, "password": f"pw-{name}-123"}).json()["token"]
            done = client.post(
                "/api/protocols/101/list/entries", json=figures, headers={"Authorization": f"Bearer {session}"}
            )
            assert done.status_code == 200, done.text


@pytest.mark.parametrize("server", [markup_folder], indirect=True)
def test_no_name_opens_a_dialog_on_the_public_page(server: str, tmp_path: Path) -> None:
    dialogs: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page()

        def record(dialog: Any) -> None:
            dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", record)
        page.goto(f"{server}/?lang=en")
        _accept_station_101(server)
        deadline = time.monotonic() + 30
        while "343" not in page.inner_text("body") and time.monotonic() < deadline:
            page.wait_for_timeout(250)
        shown = page.inner_text("body")
        shots = Path(os.environ.get("SAYLAU_SCREENSHOTS", tmp_path))
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / "public-markup-names.png"), full_page=True)
        browser.close()
    assert "343" in shown, "the page updated itself with station 101"
    assert MARKUP["Auyl"] in shown and MARKUP["QHP"] in shown
    assert dialogs == []
