"""The HTML report and the standalone hemicycle, as a real browser draws them.

String tests prove the markup is there; only a browser proves the seats are laid out (non-empty boxes)
and that the page renders at all. Uses Debian's Chromium through Playwright; skipped where it is absent.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from saylau.io import load_election
from saylau.reports.hemicycle import INDEPENDENT, VACANT, render_hemicycle
from saylau.reports.html import render_html
from saylau.result import Result, declare

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ROOT = Path(__file__).resolve().parents[2]

if not CHROMIUM.exists():
    pytest.skip(f"headless Chromium not installed at {CHROMIUM}", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def almaty() -> Result:
    return declare(load_election(ROOT / "examples" / "almaty-2023"))


def _expected(result: Result) -> Counter[str]:
    composition = result.composition
    want: Counter[str] = Counter({line.party: line.seats for line in composition.parties if line.seats})
    if composition.independents:
        want[INDEPENDENT] = composition.independents
    vacant = composition.seats_total - composition.seats_filled
    if vacant:
        want[VACANT] = vacant
    return want


def _check_page(browser: object, path: Path, result: Result, shot: Path) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 900})  # type: ignore[attr-defined]
    try:
        page.goto(path.as_uri())
        seats = page.locator("circle.seat")
        assert seats.count() == result.composition.seats_total == 42
        parties = Counter(seats.evaluate_all("els => els.map(e => e.getAttribute('data-party'))"))
        assert parties == _expected(result)
        boxes = seats.evaluate_all(
            "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })"
        )
        assert all(w > 0 and h > 0 for w, h in boxes)
        page.screenshot(path=str(shot))  # full_page hangs on a bare SVG document
        assert shot.stat().st_size > 0
    finally:
        page.close()


def test_html_report_in_chromium(browser: object, almaty: Result, tmp_path: Path) -> None:
    page_file = tmp_path / "report.html"
    page_file.write_text(render_html(almaty), encoding="utf-8")
    _check_page(browser, page_file, almaty, tmp_path / "report.png")


def test_standalone_svg_in_chromium(browser: object, almaty: Result, tmp_path: Path) -> None:
    svg_file = tmp_path / "hemicycle.svg"
    svg_file.write_text(render_hemicycle(almaty), encoding="utf-8")
    _check_page(browser, svg_file, almaty, tmp_path / "hemicycle.png")


def _contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
@pytest.mark.parametrize("width", [1280, 390])
def test_page_reads_at_every_width_and_language(
    browser: object, almaty: Result, tmp_path: Path, lang: str, width: int
) -> None:
    """Desktop and phone: nothing scrolls the page sideways, the hemicycle keeps its size, tables are labelled.

    Screenshots go to $SAYLAU_SCREENSHOTS when set (to look at), else to the test's temporary folder.
    """
    import os

    shots = Path(os.environ.get("SAYLAU_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    page_file = tmp_path / f"report-{lang}.html"
    page_file.write_text(render_html(almaty, lang), encoding="utf-8")
    page = browser.new_page(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    try:
        page.goto(page_file.as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # tables scroll inside themselves
        box = page.locator("svg.hemicycle").bounding_box()
        assert box is not None and box["width"] >= min(300, width - 40) and box["height"] > 200
        assert page.locator("meta[name=viewport]").count() == 1
        assert page.locator("table").count() == page.locator("table caption").count() >= 4
        headers = page.locator("th")
        scopes = headers.evaluate_all("els => els.map(e => e.getAttribute('scope'))")
        assert all(scope in ("row", "col") for scope in scopes)
        page.screenshot(path=str(shots / f"report-{lang}-{width}.png"), full_page=True)
    finally:
        page.close()


def test_party_colours_are_outlined_where_they_are_pale(almaty: Result) -> None:
    """A seat or swatch whose colour has less than 3:1 contrast with the page carries a dark outline."""
    svg = render_hemicycle(almaty)
    for fill, stroke in re.findall(
        r'<circle class="seat"[^>]*fill="(#[0-9a-fA-F]{6})" stroke="(#[0-9a-fA-F]{6})"', svg
    ):
        assert _contrast(fill, "#ffffff") >= 3 or _contrast(stroke, "#ffffff") >= 3
    assert _contrast("#F9A825", "#ffffff") < 3  # Aq Jol's colour alone would not do (issue 9)
    patterns = set(re.findall(r'fill="url\(#saylau-([a-z]+)\)"', svg))
    assert len(patterns) >= 4  # parties told apart by pattern as well as colour


@pytest.fixture(scope="module")
def scotland() -> Result:
    """Two regions of the Scottish Parliament 2021: a real election with several list constituencies."""
    return declare(load_election(ROOT / "tests" / "real" / "scotland-2021"))


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
@pytest.mark.parametrize("width", [1280, 390])
def test_constituencies_in_the_page(browser: object, scotland: Result, tmp_path: Path, lang: str, width: int) -> None:
    """Several constituencies: the seats table (one row each and the total), each one's party table, the steps.

    The figures are read back from the page as a reader sees them and compared with the composition.
    """
    import os

    shots = Path(os.environ.get("SAYLAU_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    page_file = tmp_path / f"constituencies-{lang}.html"
    page_file.write_text(render_html(scotland, lang), encoding="utf-8")
    composition = scotland.composition
    named = [c for c in composition.constituencies if c.name]
    page = browser.new_page(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    try:
        page.goto(page_file.as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        rows = page.locator("table.constituencies tbody tr")
        assert rows.count() == len(named) + 1 == 3
        cells = rows.evaluate_all("rs => rs.map(r => [...r.children].map(c => c.innerText.trim()))")
        for c, row in zip(named, cells, strict=False):
            assert row[0] == c.name
            seats = sum(c.list_seats.values()) + sum(c.district_seats.values())
            assert int(row[-1].replace("\u00a0", "").replace(" ", "")) == seats
        assert int(cells[-1][-1]) == composition.seats_filled == 32
        details = page.locator("details.constituency")
        assert details.count() == len(named)
        assert all(details.nth(i).evaluate("d => d.open") for i in range(details.count()))
        first = page.locator("details.constituency").first.locator("tbody tr")
        highlands = named[0]
        body = first.evaluate_all("rs => rs.map(r => [...r.children].map(c => c.innerText.trim()))")
        standing = {
            p
            for p in (*highlands.list_votes, *highlands.list_seats, *highlands.district_seats)
            if highlands.list_votes.get(p) or highlands.list_seats.get(p) or highlands.district_seats.get(p)
        }
        assert len(body) == len(standing) + 1  # a line per party with votes or seats there, and the total
        assert page.locator("ol.steps li").count() == len(composition.steps) > 0
        assert page.locator("table").count() == page.locator("table caption").count()
        page.screenshot(path=str(shots / f"constituencies-{lang}-{width}.png"), full_page=True)
    finally:
        page.close()


def test_many_constituencies_fold_under_their_names(browser: object, tmp_path: Path) -> None:
    """Spain's 52 constituencies: one seats table, each constituency's own table folded until opened."""
    import os

    spain = declare(load_election(ROOT / "tests" / "real" / "spain-2023"))
    shots = Path(os.environ.get("SAYLAU_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    page_file = tmp_path / "spain.html"
    page_file.write_text(render_html(spain, "ru"), encoding="utf-8")
    page = browser.new_page(viewport={"width": 390, "height": 900})  # type: ignore[attr-defined]
    try:
        page.goto(page_file.as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert page.locator("table.constituencies tbody tr").count() == 52 + 1
        details = page.locator("details.constituency")
        assert details.count() == 52
        assert not any(details.nth(i).evaluate("d => d.open") for i in range(details.count()))
        madrid = details.filter(has_text="Madrid")
        madrid.locator("summary").click()
        assert madrid.evaluate("d => d.open")
        rows = madrid.locator("tbody tr").evaluate_all("rs => rs.map(r => r.innerText)")
        assert len(rows) == 5 + 1  # PP, PSOE, VOX, SUMAR, OTROS and the total
        page.screenshot(path=str(shots / "spain-ru-390.png"), full_page=False)
    finally:
        page.close()
