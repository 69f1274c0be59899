"""Every page of the published site reads on a 390 px phone in Kazakh and Russian without scrolling sideways,
and keeps its tables at 1280 px (hclean).

The Almaty example is published (`saylau publish folder`: the home page, a district with its stations, a
station's protocols, the corrections and the projector) and each page is opened in Chromium at 390 and 1280 px
in kk and ru (Kazakh words are long): the page must not scroll sideways
(`document.scrollingElement.scrollWidth <= innerWidth`) and no table may be wider than its box or spill a cell
(`tests.e2e.fit.overflows`): a wide table is stacked on a phone (each row a card: its name, then each figure
under its label), not scrolled. The statistics and the observers' tables (`reports/sheet.py`, the public
`/statistics` page) are held to the same in `test_forensics_browser.py`.

Screenshots go to $SAYLAU_SCREENSHOTS when set (to look at), else to the test's temporary folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from saylau.publish import FolderTarget, from_folder, publish
from tests.e2e.fit import overflows
from tests.e2e.test_browser import CHROMIUM
from tests.service.conftest import ALMATY

if not CHROMIUM.exists():
    pytest.skip(f"headless Chromium not installed at {CHROMIUM}", allow_module_level=True)

PAGES = ["index", "district/1", "station/101", "corrections", "projector"]
SIDEWAYS = "document.scrollingElement.scrollWidth - innerWidth"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Almaty example published once: its version 1."""
    folder = tmp_path_factory.mktemp("site")
    publish(FolderTarget(folder), from_folder(ALMATY, released=True))
    return folder / "v" / "1"


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_published_page_reads_without_sideways_scrolling(
    browser: object, site: Path, tmp_path: Path, lang: str, width: int
) -> None:
    shots = Path(os.environ.get("SAYLAU_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    try:
        for name in PAGES:
            page.goto((site / lang / f"{name}.html").as_uri())
            page.screenshot(path=str(shots / f"published-{name.replace('/', '-')}-{lang}-{width}.png"), full_page=True)
            assert page.evaluate(SIDEWAYS) <= 0, name
            assert overflows(page) == [], name
        page.goto((site / lang / "district" / "1.html").as_uri())
        stations = page.locator("table.stations tbody tr")
        assert stations.count() == 26  # district 1's stations, every one on the page
        first = stations.first.locator("td").first.bounding_box()
        assert first is not None and first["x"] >= 0 and first["x"] + first["width"] <= width  # on screen
        stacked = page.evaluate("getComputedStyle(document.querySelector('table.stations thead')).position")
        assert (stacked == "absolute") is (width == 390)  # a card per station on a phone, a table on a desktop
    finally:
        page.close()
