"""Published pages in headless Chromium, served by nginx from the published folder.

The Almaty example is published with station 101's list protocol typed wrong (two parties' votes swapped),
then corrected with a reason (`saylau publish folder --reason`). A reader on version 1's page is taken to
version 2 when the pointer moves; the station page and the corrections list show the change and the reason
in kk and ru. Screenshots at 390 and 1280 px land in the test's temporary folder (and in $SAYLAU_SCREENSHOTS
when set).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from saylau.publish import FolderTarget, from_folder, publish
from tests.e2e.test_browser import ARGS, CHROMIUM
from tests.publish.conftest import Count

sync_api = pytest.importorskip("playwright.sync_api")

REASON = "Amanat and QHP were typed in each other's line"


def test_station_page_and_corrections_in_kk_and_ru(count: Count, site: tuple[Path, str], tmp_path: Path) -> None:
    shots = Path(os.environ.get("SAYLAU_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    folder, base = site
    target = FolderTarget(folder)
    amanat, qhp = count.swap(101, "Amanat", "QHP")  # the paper's figures, before the typing mistake
    publish(target, from_folder(count.folder))
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            reader = browser.new_page(viewport={"width": 1280, "height": 900})
            reader.goto(f"{base}/")  # the root page sends the reader to the current version
            reader.wait_for_url("**/v/1/**")
            count.complete()
            publish(target, from_folder(count.folder), reason=REASON)
            deadline = time.monotonic() + 30
            while "/v/2/" not in reader.url:  # the page follows the pointer by itself
                assert time.monotonic() < deadline, f"the reader stayed on {reader.url}"
                reader.wait_for_timeout(250)
            expected = {
                "kk": (
                    f"«Amanat» үшін берілген дауыстар {qhp} орнына {amanat} болып өзгерді",
                    "Сайлау учаскесі 101",
                    "Түзетулер",
                ),
                "ru": (
                    f"голоса за «Amanat» — изменено с {qhp} на {amanat}",
                    "Избирательный участок 101",
                    "Исправления",
                ),
            }
            words = {"kk": "Осы округтің сайлау учаскелерінің хаттамалары", "ru": "Протоколы избирательных участков"}
            progress = {"kk": ("26 учаскенің 26", "25 учаскенің 25"), "ru": ("26 из 26 участков", "25 из 25 участков")}
            everything = {"kk": "Барлық сайлау учаскелерінің хаттамалары", "ru": "Протоколы всех избирательных"}
            for lang, (change, title, heading) in expected.items():
                for width in (390, 1280):
                    page = browser.new_page(viewport={"width": width, "height": 900})
                    page.goto(f"{base}/v/2/{lang}/station/101.html")
                    assert page.inner_text("h1") == title
                    text = page.inner_text("section.corrections").replace("\u00a0", " ")
                    assert change in text and REASON in text, text
                    votes = [page.inner_text(t) for t in ("section.protocol:nth-of-type(2) table.protocol-votes",)]
                    assert f"Amanat\t{amanat}" in votes[0], votes
                    page.screenshot(path=str(shots / f"station-101-{lang}-{width}.png"), full_page=True)
                    page.goto(f"{base}/v/2/{lang}/corrections.html")
                    assert page.inner_text("h1") == heading
                    listed = page.inner_text("main, body").replace("\u00a0", " ")
                    assert change in listed and REASON in listed
                    page.screenshot(path=str(shots / f"corrections-{lang}-{width}.png"), full_page=True)
                    # district 1's page links its bulk open data (rewritten: station 101 changed), district 2's
                    # the files version 1 stored
                    for district, at in ((1, 2), (2, 1)):
                        page.goto(f"{base}/v/{at}/{lang}/district/{district}.html")  # where version 2 links
                        assert page.locator("h1 + p").inner_text() == progress[lang][district - 1]
                        bulk = page.locator("p.bulk")
                        assert bulk.inner_text().startswith(words[lang]), bulk.inner_text()
                        link = bulk.locator("a").first.get_attribute("href") or ""
                        assert link.endswith(f"v/{at}/stations/district-{district}.csv"), link
                        fetched = page.request.get(page.url.rsplit("/", 1)[0] + "/" + link)
                        assert fetched.ok and fetched.text().startswith("station,district,ballot,")
                    page.screenshot(path=str(shots / f"district-2-{lang}-{width}.png"), full_page=True)
                    page.goto(f"{base}/v/2/{lang}/index.html")
                    listing = page.locator("a[href='../stations-by-district.json']")
                    assert listing.inner_text().startswith(everything[lang])
                    page.screenshot(path=str(shots / f"index-{lang}-{width}.png"), full_page=True)
                    page.close()
        finally:
            browser.close()
