"""The audit page says the reason the system wrote for an air-gap refusal in the page's language, while the log
keeps the English text its hashes cover (issue 25): Kazakh on a phone, Russian on a desktop, nothing past the
right edge, the chain still intact."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from saylau.service import airgap, audit
from saylau.store import database_url, open_database
from saylau.store.temporary import free_port
from tests.e2e.conftest import log_in, serving
from tests.e2e.test_browser import ARGS, CHROMIUM
from tests.service.conftest import ADMIN_PASSWORD, ALMATY

sync_api = pytest.importorskip("playwright.sync_api")
SAID = {
    "kk": "192.0.2.1:53 қолжетімді: деректерді енгізу тоқтатылды",
    "ru": "192.0.2.1:53 доступен: ввод данных отклонён",
}


def test_an_air_gap_refusal_reads_in_kazakh_and_russian(tmp_path: Path) -> None:
    shots = Path(os.environ.get("SAYLAU_SCREENSHOTS", tmp_path))
    data = tmp_path / "data"
    with serving(ALMATY, data, free_port()) as url:
        database = open_database(database_url(data, None), migrate=False)
        with database.unit_of_work() as connection:
            airgap.record(connection, None, "POST /api/protocols/101/list/entries", "192.0.2.1:53")
        with database.unit_of_work() as connection:
            assert audit.verify(connection).intact
            stored = [e.reason for e in audit.rows(connection, after=0, limit=1000) if e.action == airgap.ACTION]
        database.close()
        assert stored == ["192.0.2.1:53 is reachable: data entry refused"]
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            for lang, width in (("kk", 390), ("ru", 1280)):
                page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
                log_in(page, url, "admin", lang, ADMIN_PASSWORD)
                page.goto(f"{url}/audit?lang={lang}&action={airgap.ACTION}")
                rows = page.locator("table.audit tbody tr")
                assert rows.count() == 1
                assert rows.first.locator("td").last.inner_text().strip() == SAID[lang]
                assert page.evaluate("document.documentElement.scrollWidth") <= width
                page.screenshot(path=str(shots / f"audit-air-gap-{lang}-{width}.png"), full_page=True)
                page.context.close()
            browser.close()
