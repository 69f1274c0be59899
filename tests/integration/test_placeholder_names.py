"""Placeholder names marked one by one (issue 24): the example's folder records, row by row, where each name
comes from (`source`); a row whose source begins with "illustrative" holds a made-up name ("District 12
candidate A", "Amanat list candidate No. 2"), and every report says so next to that name, in the reader's
language, while real names ("Аким Турсунов", found in shared/spec/almaty-data.md) stay unmarked."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from saylau.io import load_election
from tests.integration.test_almaty_2023 import run_saylau

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "almaty-2023"
MARK = {"en": "(placeholder name)", "kk": "(шартты есім)", "ru": "(условное имя)"}
REAL = "Аким Турсунов"  # district 1's winner: "spec/almaty-data.md (winner, found); party illustrative"
MADE_UP = ("District 12 candidate A", "Amanat list candidate No. 2")  # a district winner, a list deputy


def test_the_folder_reader_carries_each_names_source() -> None:
    nominees = {n.name: n for n in load_election(EXAMPLE, count_protocols=False).registration.nominees}
    assert nominees["District 1 candidate B"].illustrative and nominees["Amanat list candidate No. 2"].illustrative
    assert not nominees[REAL].illustrative  # its party and particulars are illustrative, its name is not
    assert not nominees["Zhansaya Abdumalik"].illustrative  # No. 1 of Amanat's list, from the seed


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
def test_the_terminal_marks_placeholder_names_only(lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # wide enough that no name wraps (tests/integration/test_cli_lang.py
    # checks the narrow terminals)
    done = run_saylau("results", str(EXAMPLE), "--lang", lang)
    assert done.returncode == 0, done.stderr
    for name in MADE_UP:
        assert f"{name} {MARK[lang]}" in done.stdout, name
    assert f"{REAL} {MARK[lang]}" not in done.stdout and REAL in done.stdout


@pytest.mark.parametrize(("lang", "fmt"), [("kk", "html"), ("ru", "markdown"), ("en", "html")])
def test_the_html_and_markdown_reports_mark_them(lang: str, fmt: str) -> None:
    done = run_saylau("report", str(EXAMPLE), "--format", fmt, "--lang", lang)
    assert done.returncode == 0, done.stderr
    assert f"District 12 candidate A {MARK[lang]}" in done.stdout
    assert f"{REAL} {MARK[lang]}" not in done.stdout


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_pdf_protocol_marks_them(lang: str, tmp_path: Path) -> None:
    """The PDF protocol's deputies and each district's candidates (District 1 candidate B lost: marked too)."""
    pdf = tmp_path / f"protocol-{lang}.pdf"
    done = run_saylau("report", str(EXAMPLE), "--format", "pdf", "--lang", lang, "-o", str(pdf))
    assert done.returncode == 0, done.stderr
    text = " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    for name in (*MADE_UP, "District 1 candidate B"):
        assert f"{name} {MARK[lang]}" in text, name
    assert f"{REAL} {MARK[lang]}" not in text


def test_the_ballots_mark_them_in_kazakh_and_russian(tmp_path: Path) -> None:
    pdf = tmp_path / "ballots.pdf"
    done = run_saylau("ballots", str(EXAMPLE), "-o", str(pdf), "--district", "1")
    assert done.returncode == 0, done.stderr
    text = " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    assert "District 1 candidate B (шартты есім)" in text and "District 1 candidate B (условное имя)" in text
    assert f"{REAL} (шартты" not in text
