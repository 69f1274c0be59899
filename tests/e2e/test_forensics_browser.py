"""The statistical checks (with the fingerprint) and the observers' table as Chromium draws them, kk and ru.

A browser proves what strings cannot: the fingerprint has a size on the page, the label is on screen, and
nothing scrolls sideways on a phone, neither the page nor a table in its box (a wide table is stacked).
Screenshots go to $SAYLAU_SCREENSHOTS when set (to look at), else to the test's temporary folder. The browser
is the shared headless Chromium of `tests/e2e/conftest.py`.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from saylau.analysis.forensics import examine
from saylau.analysis.forensics.observers import ObserverCopy, compare
from saylau.analysis.forensics.stuffing import stuff
from saylau.reports.forensics import forensics_sheet
from saylau.reports.i18n import recording_misses
from saylau.reports.observers import observers_sheet
from saylau.reports.sheet import render_sheet_html
from saylau.synth import synthesize
from tests.e2e.fit import overflows
from tests.e2e.test_browser import CHROMIUM

if not CHROMIUM.exists():
    pytest.skip(f"headless Chromium not installed at {CHROMIUM}", allow_module_level=True)


@pytest.fixture(scope="module")
def pages() -> dict[tuple[str, str], str]:
    """The two pages in kk and ru, for a 553-station election with 10% of its stations heavily stuffed and
    observers' copies of 40 stations, 3 of them different; every label translated."""
    election = synthesize(7, 21, 553, 6, heterogeneity=0.3, previous=True)
    stuffed, _ = stuff(election.protocols, 0.1, 7, 0.5, 1.0)
    results = examine(stuffed, election.previous, seed=7, resamples=199)
    lists = [p for p in stuffed if p.ballot == "list"][:40]
    copies = [ObserverCopy(p, "Айгерім Сәрсенова") for p in lists[3:]]
    copies += [
        ObserverCopy(replace(p, votes={**p.votes, "Party 1": p.votes["Party 1"] + 17 * (k + 1)}), None, None, "ab" * 32)
        for k, p in enumerate(lists[:3])
    ]
    check = compare(stuffed, copies)
    out = {}
    with recording_misses() as misses:
        for lang in ("kk", "ru"):
            out[("forensics", lang)] = render_sheet_html(forensics_sheet(results, lang))
            out[("observers", lang)] = render_sheet_html(observers_sheet(check, lang))
    assert misses == set()
    return out


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("kind", ["forensics", "observers"])
def test_the_page_reads_on_a_phone_and_a_desktop(
    browser: object, pages: dict[tuple[str, str], str], tmp_path: Path, kind: str, lang: str, width: int
) -> None:
    shots = Path(os.environ.get("SAYLAU_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    page_file = tmp_path / f"{kind}-{lang}.html"
    page_file.write_text(pages[(kind, lang)], encoding="utf-8")
    page = browser.new_page(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    try:
        page.goto(page_file.as_uri())
        assert page.evaluate("document.scrollingElement.scrollWidth - innerWidth") <= 0
        assert overflows(page) == []  # a wide table is stacked on a phone, not scrolled inside its box
        label = page.locator("p.label")
        assert label.is_visible() and label.bounding_box()["width"] > 0
        if kind == "forensics":
            figures = page.locator("figure svg")
            assert figures.count() == 2  # the list ballot and the district ballots
            box = figures.first.bounding_box()
            assert box is not None and box["width"] >= min(width - 40, 300) and box["height"] > 200
            assert page.locator("table").count() == page.locator("table caption").count() == 8
        else:
            rows = page.locator("#differences tbody tr")
            assert rows.count() == 3  # one line differs at each of the three stations
        page.screenshot(path=str(shots / f"{kind}-{lang}-{width}.png"), full_page=True)
    finally:
        page.close()
