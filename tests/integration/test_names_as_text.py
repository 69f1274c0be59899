"""Names that are markup somewhere (HTML, wikitext, spreadsheet formulas, typst) are text in every report.

The Almaty folder with the names of `tests.hostile.MARKUP` (parties, a district winner, other candidates, a list
candidate, district names), rendered in every format of `saylau report`. Each output is read back the way its
reader reads it (an HTML parser, the csv module, JSON, mwparserfromhell, pdftotext), and every name must come
back exactly as written, never as an element, a template, a link, a formula or typst markup.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import mwparserfromhell
import pytest

from tests.hostile import MARKUP, live_markup, markup_folder, saylau, shown_text

PARTIES = [MARKUP[p] for p in ("Auyl", "QHP", "Baytaq", "Aq Jol", "Respublica")]
WINNERS = [MARKUP["Аким Турсунов"], MARKUP["Дастан Джантелиев"]]
FORMULAS = [name for name in MARKUP.values() if name.startswith(("=", "+", "-", "@"))]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return markup_folder(tmp_path_factory.mktemp("markup"))


def report(folder: Path, fmt: str) -> str:
    outcome = saylau("report", "-f", fmt, folder)
    assert outcome.exit_code == 0 and not outcome.traceback, outcome.stderr
    return outcome.stdout


def test_html_shows_every_name_as_text(folder: Path) -> None:
    page = report(folder, "html")
    assert live_markup(page) == []
    shown = shown_text(page)
    for name in [*PARTIES, *WINNERS, MARKUP["Zhansaya Abdumalik"]]:  # district names are not in this report
        assert name in shown, name


def test_markdown_escapes_html_links_emphasis_and_math(folder: Path) -> None:
    text = report(folder, "markdown")
    assert "<script>" not in text and "<img" not in text and "<i>" not in text
    assert "&lt;script&gt;alert('party')&lt;/script&gt;" in text
    assert r"\[\[link\]\]" in text
    assert r'#import "x.typ": \* \*bold\* \$x\$ #set text(red)' in text


def test_csv_cells_never_start_a_formula(folder: Path) -> None:
    cells = {cell for row in csv.reader(io.StringIO(report(folder, "csv"))) for cell in row}
    assert not [name for name in FORMULAS if name in cells]
    assert "'" + MARKUP["Aq Jol"] in cells


def test_json_and_nist_carry_the_names_exactly(folder: Path) -> None:
    every = json.dumps(json.loads(report(folder, "json")), ensure_ascii=False)
    nist = json.dumps(json.loads(report(folder, "nist")), ensure_ascii=False)
    for name in [*PARTIES, *WINNERS]:
        quoted = json.dumps(name, ensure_ascii=False)
        assert quoted in every, name
        assert quoted in nist, name


def test_wikitext_shows_names_without_templates_or_links(folder: Path) -> None:
    text = report(folder, "wikitext")
    code = mwparserfromhell.parse(text)
    templates = {str(t.name).strip() for t in code.filter_templates(recursive=True)}
    assert "wikitext" not in templates and "Template" not in templates
    titles = {str(link.title).strip() for link in code.filter_wikilinks(recursive=True)}
    assert "link" not in titles and "Link" not in titles
    assert "'''bold'''" not in text and "~~~~" not in text and "<script>" not in text


def test_text_report_prints_names_as_written(folder: Path) -> None:
    text = report(folder, "text")
    for name in ("<script>alert('party')</script>", "=HYPERLINK", "{{wikitext}}", "#import"):
        assert name in text, name


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (scripts/system-deps.sh) not here")
def test_pdf_prints_typst_markup_as_written(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "protocol.pdf"
    outcome = saylau("report", "-f", "pdf", "-o", out, folder)
    assert outcome.exit_code == 0, outcome.stderr
    layer = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", layer)
    for name in [*PARTIES, *WINNERS, MARKUP["Zhansaya Abdumalik"]]:
        assert re.sub(r"\s+", "", name) in flat, name


def test_svg_hemicycle_has_names_only_as_text(folder: Path) -> None:
    tree = ElementTree.fromstring(report(folder, "svg"))
    tags = {element.tag.rsplit("}", 1)[-1] for element in tree.iter()}
    handlers = [k for element in tree.iter() for k in element.attrib if k.lower().startswith("on")]
    assert not tags & {"script", "img", "b", "i", "foreignObject"} and handlers == []
    text = " ".join(element.text or "" for element in tree.iter())
    assert any(MARKUP["QHP"] in t for t in (text, *(v for e in tree.iter() for v in e.attrib.values())))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (scripts/system-deps.sh) not here")
def test_the_printed_ballot_shows_candidates_as_written(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "ballot.pdf"
    outcome = saylau("ballots", folder, "-o", out, "--district", "1")
    assert outcome.exit_code == 0, outcome.stderr
    layer = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    lines = {line.strip() for line in layer.splitlines()}
    made_up = [MARKUP["District 1 candidate B"], MARKUP["District 1 candidate C"]]  # placeholders (issue 24)
    assert {MARKUP["Аким Турсунов"], *(f"{n} (шартты есім)" for n in made_up)} <= lines
