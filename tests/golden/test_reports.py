"""Report formats on the Almaty 2023 example: golden files, and the seed's figures in each format.

Figures asserted here come from the seed (shared/seed/000_6f5d0e82cda8ae51.txt), never from saylau's output;
the golden files pin the rest of the layout (regenerate with SAYLAU_REGEN=1 after a deliberate change).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from saylau.io import load_election
from saylau.reports.csv_report import render_csv
from saylau.reports.html import render_html
from saylau.reports.markdown import render_markdown
from saylau.reports.wikitext import render_wikitext
from saylau.result import Result, declare
from tests.conftest import EXAMPLES
from tests.unit.test_hemicycle import make_result

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def almaty() -> Result:
    return declare(load_election(EXAMPLES / "almaty-2023"))


def check_golden(name: str, text: str) -> None:
    path = DATA / name
    if os.environ.get("SAYLAU_REGEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def field(wikitext: str, name: str) -> str:
    match = re.search(rf"^\| {name} = (.*)$", wikitext, re.MULTILINE)
    assert match, name
    return match.group(1)


class TestMarkdownAndCsv:
    def test_markdown_carries_the_seed(self, almaty: Result) -> None:
        text = render_markdown(almaty)
        assert "| Amanat | 151,531 | 51.94% | 12 | 13 | 25 | -4 | -16.17 |" in text
        assert "25.15% (-5.00 pp)" in text and "**Majority:** 22" in text

    def test_csv_golden_and_seed(self, almaty: Result) -> None:
        text = render_csv(almaty)
        check_golden("almaty-2023.csv", text)
        assert (
            "Amanat,Amanat,151531,51.94,12,13,25,29,68.11,-4,-16.17,false,party,complete,553,553" in text.splitlines()
        )
        # header, 6 parties, 5 ballot lines (against all, total, invalid, cast, registered), turnout, independents,
        # total
        assert len(text.splitlines()) == 1 + 6 + 5 + 1 + 1 + 1
        assert (
            "turnout,turnout,,25.15,,,,,,,-5.00,,turnout,complete,553,553" in text.splitlines()
        )  # seed: 25.15%, 5.00pp


class TestHtml:
    def test_self_contained_with_every_part(self, almaty: Result) -> None:
        page = render_html(almaty)
        assert page.count('class="seat"') == 42
        assert "http" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
        for part in ('class="infobox"', 'class="parties"', 'class="districts"', 'class="deputies"', "allocation"):
            assert part in page
        assert "51.94%" in page and "25.15%" in page

    def test_escapes_names(self) -> None:
        result = make_result()
        page = render_html(result)
        assert "<h1>2024 Test City election</h1>" in page
        assert "<script" not in page


def test_hand_built_result_renders_in_every_format() -> None:
    """No districts, deputies or allocation: the renderers leave those parts out rather than fail."""
    result = make_result()
    assert "| A | 500 | 50.00% | 3 | 3 | 6 | -1 | -10.00 |" in render_markdown(result)
    wikitext = render_wikitext(result, template="legislative")
    assert field(wikitext, "last_election2") == "2" and "|| 150 || 15.00 || 0 || 0 || 0 || New" in wikitext
    assert render_csv(result).splitlines()[1] == "A,Party A,500,50.00,3,3,6,7,60.00,-1,-10.00,false,party,complete,,"


def test_cli_writes_each_format(tmp_path: Path) -> None:
    for fmt in ("markdown", "wikitext", "csv", "json", "html", "text"):
        out = tmp_path / f"report.{fmt}"
        done = subprocess.run(
            [sys.executable, "-m", "saylau", "report", str(EXAMPLES / "almaty-2023"), "--format", fmt, "-o", str(out)],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert "51.94" in out.read_text(encoding="utf-8")
