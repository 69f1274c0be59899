"""The public page of a day of several contests in Chromium: the contest switcher in kk and ru, phone and desk.

The service runs examples/almaty-2023-day (the Mäjilis, then the Almaty City Mäslihat). A Kazakh reader opens
the page, sees the Mäjilis (the day's first contest) and switches to the city mäslihat; the language switch
keeps the contest; the page fits a 390 px phone without sideways scrolling. Screenshots at 390 and 1280 px in
kk and ru land in the test's temporary folder (and in $SAYLAU_SCREENSHOTS when set).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.fit import sideways
from tests.e2e.test_browser import ARGS, CHROMIUM
from tests.service.test_public_day import NAMES, copy_day

sync_api = pytest.importorskip("playwright.sync_api")


def _day(tmp_path: Path) -> Path:
    return copy_day(tmp_path / "examples")


@pytest.mark.parametrize("server", [_day], indirect=True)
def test_a_reader_switches_contests_in_kk_and_ru(server: str, tmp_path: Path) -> None:
    shots = Path(os.environ.get("SAYLAU_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            for width in (390, 1280):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(f"{server}/?lang=kk")
                switcher = page.locator("nav.contests a")
                assert switcher.all_inner_texts() == [NAMES["majilis"]["kk"], NAMES["almaty-maslihat"]["kk"]]
                assert page.locator("nav.contests a[aria-current]").inner_text() == NAMES["majilis"]["kk"]
                assert page.locator("h1").inner_text() == NAMES["majilis"]["kk"]
                page.screenshot(path=str(shots / f"public-day-kk-majilis-{width}.png"), full_page=False)

                page.click("nav.contests a[data-contest='almaty-maslihat']")
                page.wait_for_load_state()
                assert "contest=almaty-maslihat" in page.url
                assert page.locator("h1").inner_text() == NAMES["almaty-maslihat"]["kk"]
                assert page.locator("nav.contests a[aria-current]").get_attribute("data-contest") == "almaty-maslihat"
                assert sideways(page) == 0, f"the kk page scrolls sideways at {width} px"
                page.screenshot(path=str(shots / f"public-day-kk-maslihat-{width}.png"), full_page=False)

                page.click("nav.langs a[hreflang='ru']")
                page.wait_for_load_state()
                assert "contest=almaty-maslihat" in page.url and "lang=ru" in page.url
                assert page.locator("h1").inner_text() == NAMES["almaty-maslihat"]["ru"]
                assert page.locator("nav.contests a").all_inner_texts() == [
                    NAMES["majilis"]["ru"],
                    NAMES["almaty-maslihat"]["ru"],
                ]
                assert sideways(page) == 0, f"the ru page scrolls sideways at {width} px"
                page.screenshot(path=str(shots / f"public-day-ru-maslihat-{width}.png"), full_page=False)
                # the page's script refreshes the city's own fragment
                live = page.locator("#live").get_attribute("data-live") or ""
                assert "contest=almaty-maslihat" in live
                page.close()
        finally:
            browser.close()
