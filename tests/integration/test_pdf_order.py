"""The PDF protocol follows the ballot and keeps its signatures with the figures they sign (issue 24).

- the party lists are numbered and ordered as the ballot lists them (registration order: 1 Amanat, 2 Auyl,
  3 Respublica, 4 QHP, 5 Baytaq, 6 Aq Jol, the seed's parties table), in every language;
- the page with the signature lines also carries each list's votes and seats (pdftotext, page by page);
- the title names the commission in the genitive in Russian and Kazakh (forms written out by hand).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from saylau.io import load_election
from saylau.reports.pdf import protocol_data, render_pdf
from saylau.result import Result, declare
from tests.conftest import EXAMPLES

BALLOT = ["Amanat", "Auyl", "Respublica", "QHP", "Baytaq", "Aq Jol"]
"""examples/almaty-2023/parties.csv registration_order (the seed's parties table)."""


@pytest.fixture(scope="module")
def almaty() -> Result:
    return declare(load_election(EXAMPLES / "almaty-2023"))


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
def test_lists_in_ballot_order(almaty: Result, lang: str) -> None:
    data = protocol_data(almaty, lang=lang)
    names = {p.short_name: p.names.get(lang, p.short_name) for p in almaty.election.parties}
    parties = [row for row in data["parties"] if row[0]]
    assert [row[1] for row in parties] == [names[p] for p in BALLOT]
    assert [row[0] for row in parties] == ["1", "2", "3", "4", "5", "6"]
    signed = [row for row in data["signed"] if row[0]]
    assert [row[1] for row in signed] == [names[p] for p in BALLOT]
    assert [row[3] for row in signed] == ["25", "0", "5", "3", "3", "2"]  # the seed's seats


def test_the_title_names_the_commission_in_the_genitive(almaty: Result) -> None:
    assert protocol_data(almaty, lang="ru")["commission_title"] == (
        "Алматинской городской территориальной избирательной комиссии"
    )
    assert protocol_data(almaty, lang="kk")["commission_title"] == "Алматы қалалық аумақтық сайлау комиссиясының"
    assert protocol_data(almaty, lang="en")["commission_title"] == (
        "of the Almaty City Territorial Electoral Commission"
    )


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_signatures_stand_with_the_figures(almaty: Result, lang: str, tmp_path: Path) -> None:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("poppler's pdftotext is not installed")
    source = tmp_path / f"protocol-{lang}.pdf"
    source.write_bytes(render_pdf(almaty, lang=lang))
    text = subprocess.run([pdftotext, "-layout", str(source), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    signing = [page for page in pages if ("Төраға" if lang == "kk" else "Председатель") in page]
    assert len(signing) == 1
    page = signing[0]
    for votes in ("151 531", "8 264", "38 369", "38 563", "23 266", "15 273", "16 490", "1 201 869"):
        assert votes in page.replace("\xa0", " "), votes
