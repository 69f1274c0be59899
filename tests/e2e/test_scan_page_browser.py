"""A published station page with the scan of its paper protocol beside the typed figures, in Chromium.

The service accepts station 101's list protocol (typed from examples/almaty-2023) and its commission uploads
a photo (a PNG made here); the version is published to a folder and its station page opened from disk in kk
and ru at 390 and 1280 px: the picture is shown and loads, the SHA-256 under it, nothing scrolls sideways.
Screenshots land in the test's temporary folder (and in $SAYLAU_SCREENSHOTS when set).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from saylau.publish import FolderTarget, current, from_database, publish
from tests.e2e.fit import sideways
from tests.e2e.test_browser import ARGS, CHROMIUM
from tests.service.conftest import client, database_url, settings  # noqa: F401  (the fixtures)
from tests.service.helpers import STATION_101_LIST, user
from tests.service.test_scans import png

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_station_page_shows_the_paper_beside_the_figures(client: TestClient, tmp_path: Path) -> None:  # noqa: F811
    shots = Path(os.environ.get("SAYLAU_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    one, two = user(client, "op1", "operator", [1]), user(client, "op2", "operator", [1])
    for who in (one, two):
        assert client.post("/api/protocols/101/list/entries", json=STATION_101_LIST, headers=who).status_code < 300
    photo = png(210, 297)
    assert client.post("/api/protocols/101/list/scans", content=photo, headers=one).status_code == 201
    site = tmp_path / "site"
    publish(FolderTarget(site), from_database(client.app.state.database))  # type: ignore[attr-defined]
    version = site / "v" / str((current(FolderTarget(site)) or {})["version"])
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            for lang, caption in (("kk", "Қағаз хаттама"), ("ru", "Бумажный протокол")):
                for width in (390, 1280):
                    page = browser.new_page(viewport={"width": width, "height": 900})
                    page.goto((version / lang / "station" / "101.html").as_uri())
                    image = page.locator(".scan img")
                    assert image.count() == 1
                    assert page.evaluate("document.querySelector('.scan img').naturalWidth") == 210, "the file loads"
                    assert caption in page.locator(".scan figcaption").inner_text()
                    assert hashlib.sha256(photo).hexdigest() in page.locator(".scan figcaption").inner_text()
                    assert sideways(page) == 0, f"{lang} at {width} px scrolls sideways"
                    page.screenshot(path=str(shots / f"station-scan-{lang}-{width}.png"), full_page=True)
                    page.close()
        finally:
            browser.close()
