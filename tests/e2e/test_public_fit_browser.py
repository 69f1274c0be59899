"""The public page and the projector fit any language at any width, in Chromium (issue 24).

The Almaty protocols are replayed into a real service; then the public page at 390 and 1280 px and the
projector on a 1280 x 720 screen (and a 390 px phone) in kk, ru and en must not scroll sideways, no table or
cell may be wider than its box, and the projector must not scroll at all on 1280 x 720. The page and the
projector show "against all", invalid ballots, ballots cast and turnout in every language, with the example's
figures.

Screenshots go to $SAYLAU_SCREENSHOTS when set (to look at), else to the test's temporary folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.fit import overflows, sideways
from tests.e2e.test_browser import ARGS, CHROMIUM
from tests.service.conftest import ADMIN_PASSWORD, ALMATY

sync_api = pytest.importorskip("playwright.sync_api")

if not CHROMIUM.exists():
    pytest.skip(f"headless Chromium not installed at {CHROMIUM}", allow_module_level=True)

# The ballot lines of the example's list ballot (examples/almaty-2023, the 16,490 against all),
# as each language groups digits; and the turnout the seed gives (25.15%).
LINES = {
    "en": ["16,490", "10,514", "302,270", "25.15%"],
    "ru": ["16\xa0490", "10\xa0514", "302\xa0270", "25,15\xa0%"],
    "kk": ["16\xa0490", "10\xa0514", "302\xa0270", "25,15%"],
}
WORDS = {  # against all, invalid ballots, ballots cast (the glossary's terms), turnout
    "en": ["Against all", "Invalid ballots", "Ballots cast", "Turnout"],
    "ru": ["Против всех", "Недействительные бюллетени", "Приняли участие в голосовании", "Явка"],
    "kk": ["Барлығына қарсы", "Жарамсыз бюллетеньдер", "Дауыс беруге қатысқандар", "Сайлаушылардың қатысуы"],
}


def test_public_page_and_projector_fit(server: str, tmp_path: Path) -> None:
    shots = Path(os.environ.get("SAYLAU_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-m", "saylau", "replay", str(ALMATY), "--url", server, "--operators", "4"],
        env={**os.environ, "SAYLAU_ADMIN_PASSWORD": ADMIN_PASSWORD},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            for lang in ("kk", "ru", "en"):
                for width in (390, 1280):
                    page = browser.new_page(viewport={"width": width, "height": 900})
                    page.goto(f"{server}/?lang={lang}")
                    page.screenshot(path=str(shots / f"fit-public-{lang}-{width}.png"), full_page=True)
                    assert sideways(page) == 0, (lang, width)
                    assert overflows(page) == [], (lang, width)
                    parties = page.inner_text("table.parties")
                    body = page.inner_text("body")
                    for word, figure in zip(WORDS[lang], LINES[lang], strict=True):
                        assert word in body and figure in body, (lang, word, figure)
                    for word in WORDS[lang][:3]:
                        assert word in parties, (lang, word)
                    page.close()
                for width, height in ((1280, 720), (390, 844)):
                    page = browser.new_page(viewport={"width": width, "height": height})
                    page.goto(f"{server}/projector?lang={lang}")
                    page.screenshot(path=str(shots / f"fit-projector-{lang}-{width}.png"), full_page=True)
                    assert sideways(page) == 0, (lang, width)
                    assert overflows(page) == [], (lang, width)
                    totals = page.inner_text("[data-totals]")
                    for word, figure in zip(WORDS[lang], LINES[lang], strict=True):
                        assert word in totals and figure in totals, (lang, word, figure)
                    if width == 1280:  # a projected screen cannot scroll: everything on one 1280 x 720 screen
                        scroll = page.evaluate("document.documentElement.scrollHeight")
                        assert scroll <= height, (lang, scroll)
                    page.close()
        finally:
            browser.close()
