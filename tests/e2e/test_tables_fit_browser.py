"""Tables that fit any language at any width, in Chromium (issue 24): the HTML report at 390 and 1280 px in
kk, ru and en. The test fails when the page scrolls sideways or any table (or cell) is wider than its box;
at phone width the long tables are stacked rows (name, then each figure under its label).

Screenshots go to $SAYLAU_SCREENSHOTS when set (to look at), else to the test's temporary folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from saylau.io import load_election
from saylau.reports.html import render_html
from saylau.result import Result, declare
from tests.e2e.fit import overflows, sideways
from tests.e2e.test_browser import ROOT

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def almaty() -> Result:
    return declare(load_election(ROOT / "examples" / "almaty-2023"))


def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("SAYLAU_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
@pytest.mark.parametrize("width", [390, 1280])
def test_the_report_s_tables_fit(browser: object, almaty: Result, tmp_path: Path, lang: str, width: int) -> None:
    page_file = tmp_path / f"report-{lang}.html"
    page_file.write_text(render_html(almaty, lang), encoding="utf-8")
    page = browser.new_page(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    try:
        page.goto(page_file.as_uri())
        page.screenshot(path=str(shots(tmp_path) / f"fit-report-{lang}-{width}.png"), full_page=True)
        assert sideways(page) == 0
        assert overflows(page) == []
        # every party's seats and swing are on screen, not only its name
        amanat = page.locator("table.parties tbody tr").first
        for cell in amanat.locator("td").all():
            box = cell.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        stacked = page.evaluate("getComputedStyle(document.querySelector('table.parties td')).display")
        assert (stacked == "flex") == (width == 390)
    finally:
        page.close()
