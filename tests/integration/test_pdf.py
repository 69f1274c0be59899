"""The signed-protocol PDF compiles, is a PDF, and a real PDF renderer (poppler) draws its first page."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from saylau.io import load_election
from saylau.reports.pdf import protocol_data, render_pdf
from saylau.result import Result, declare

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def almaty() -> Result:
    return declare(load_election(ROOT / "examples" / "almaty-2023"))


@pytest.fixture(scope="module")
def pdf(almaty: Result) -> bytes:
    return render_pdf(almaty)


def test_is_pdf(pdf: bytes) -> None:
    assert pdf.startswith(b"%PDF")
    assert pdf.rstrip().endswith(b"%%EOF")


def test_reproducible(almaty: Result, pdf: bytes) -> None:
    assert render_pdf(almaty) == pdf


def test_first_page_renders(pdf: bytes, tmp_path: Path) -> None:
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("poppler's pdftoppm is not installed")
    source = tmp_path / "protocol.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [pdftoppm, "-png", "-r", "50", "-f", "1", "-l", "1", str(source), str(tmp_path / "page")], check=True
    )
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) == 1
    assert pages[0].read_bytes().startswith(b"\x89PNG")
    assert pages[0].stat().st_size > 1000


def test_protocol_content(almaty: Result) -> None:
    data = protocol_data(almaty, members=3)
    roles = [role for role, _ in data["signatures"]]
    assert roles == ["Chair", "Deputy chair", "Secretary", "Member 1", "Member 2", "Member 3"]
    assert len(data["districts"]) == 21
    assert len(data["deputies"]) == almaty.composition.seats_filled
    assert ["Turnout", "25.15% (-5.00 pp)"] in data["facts"]


def test_markup_in_names_is_not_interpreted(almaty: Result) -> None:
    """Names reach Typst as data, so Typst syntax in them cannot break or alter the document."""
    import dataclasses

    election = dataclasses.replace(almaty.election, name='#panic("x") *bold* $x$ ]) Қазақ')
    assert render_pdf(dataclasses.replace(almaty, election=election)).startswith(b"%PDF")


def test_cli_pdf_needs_output(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    import saylau.cli.report  # noqa: F401  (registers the command)
    from saylau.cli.app import app

    prefix = ["report"]  # saylau stays a group of commands however few are registered

    folder = str(ROOT / "examples" / "almaty-2023")
    refused = CliRunner().invoke(app, [*prefix, folder, "--format", "pdf"])
    assert refused.exit_code == 2
    target = tmp_path / "protocol.pdf"
    written = CliRunner().invoke(app, [*prefix, folder, "--format", "pdf", "-o", str(target)])
    assert written.exit_code == 0, written.output
    assert target.read_bytes().startswith(b"%PDF")


def test_protocol_in_russian(almaty: Result) -> None:
    data = protocol_data(almaty, members=2, lang="ru")
    assert ["Явка", "25,15\xa0% (-5,00 п.п.)"] in data["facts"]
    roles = [role for role, _ in data["signatures"]]
    assert roles == ["Председатель", "Заместитель председателя", "Секретарь", "Член 1", "Член 2"]
    assert data["labels"]["party"] == "Партия"
    assert render_pdf(almaty, lang="ru").startswith(b"%PDF")


def test_protocol_in_kazakh_renders(almaty: Result) -> None:
    assert [role for role, _ in protocol_data(almaty, lang="kk")["signatures"]][::2][:2] == ["Төраға", "Хатшы"]
    assert render_pdf(almaty, lang="kk").startswith(b"%PDF")


def test_text_layer_carries_every_line(almaty: Result, tmp_path: Path) -> None:
    """What poppler reads back from the Russian protocol: the form's lines, every candidate, the commission.

    Expected figures come from the folder's CSV files (summed here), not from saylau.
    """
    import csv

    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("poppler's pdftotext is not installed")
    source = tmp_path / "protocol.pdf"
    source.write_bytes(render_pdf(almaty, lang="ru"))
    text = subprocess.run([pdftotext, "-layout", str(source), "-"], capture_output=True, text=True, check=True).stdout
    folder = ROOT / "examples" / "almaty-2023"
    rows = []
    for path in (folder / "protocols").glob("*.csv"):
        with path.open(encoding="utf-8") as handle:
            rows += list(csv.DictReader(handle))

    def total(line: str, ballot: str) -> str:
        return f"{sum(int(r[line]) for r in rows if r['ballot'] == ballot):,}".replace(",", " ")

    for label, line in (
        ("Получено бюллетеней", "received"),
        ("Выдано бюллетеней", "issued"),
        ("в том числе: по открепительным удостоверениям", "issued_absentee"),
        ("в том числе: вне помещения для голосования", "issued_outside"),
        ("Погашенные бюллетени", "cancelled"),
    ):
        row = next(r for r in text.splitlines() if r.strip().startswith(label))
        assert total(line, "list") in row and total(line, "district") in row, label
    with (folder / "candidates.csv").open(encoding="utf-8") as handle:
        for candidate in csv.DictReader(handle):
            assert candidate["candidate"] in text
    assert "Алматинская городская территориальная избирательная комиссия" in text
    assert "Проходной барьер" in text and "Избирательная квота и места" in text
    for role in ("Председатель", "Заместитель председателя", "Секретарь"):
        assert role in text


def test_columns_fit_in_every_language(almaty: Result, tmp_path: Path) -> None:
    """In the party table no header word is split across two columns: each label's words stay in one cell."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("poppler's pdftotext is not installed")
    for lang in ("kk", "ru", "en"):
        source = tmp_path / f"protocol-{lang}.pdf"
        source.write_bytes(render_pdf(almaty, lang=lang))
        text = subprocess.run([pdftotext, "-raw", str(source), "-"], capture_output=True, text=True, check=True).stdout
        for party, votes in (("AMANAT" if lang != "en" else "Amanat", "151"), ("Respublica", "38")):
            line = next(r for r in text.splitlines() if r.split()[1:2] == [party])
            assert line.split()[2].startswith(votes), (lang, line)
