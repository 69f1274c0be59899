"""The HTML report and the standalone hemicycle, as a real browser draws them.

String tests prove the markup is there; only a browser proves the seats are laid out (non-empty boxes)
and that the page renders at all. Uses Debian's Chromium through Playwright; skipped where it is absent.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
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


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield b
        finally:
            b.close()


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
