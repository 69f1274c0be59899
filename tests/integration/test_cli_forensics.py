"""`saylau forensics` and `saylau observe` on a generated election folder: every format, kk/ru, refusals."""

from __future__ import annotations

import csv
import hashlib
import html
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.integration.test_almaty_2023 import run_saylau

STATION, OFF_BY = 1003, 25
"""The station whose observer's copy gives its first party 25 votes fewer than the accepted protocol."""


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("forensics") / "e"
    done = run_saylau(
        "synth", str(out), "--seed", "5", "--districts", "5", "--stations", "130", "--parties", "4",
        "--heterogeneity", "0.3", "--previous",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return out


def _write_copies(folder: Path, *, digest: str | None = None) -> dict[str, str]:
    """observers.csv: a copy of every list protocol of stations 1000-1009, station 1003's first party off by
    25, station 1001's copy with a photo. Returns the row of station 1003 as the protocol has it."""
    [source] = sorted((folder / "protocols").glob("*.csv"))
    with source.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["ballot"] == "list" and int(r["station"]) < 1010]
    photo = folder / "photos" / "1001.jpg"
    photo.parent.mkdir(exist_ok=True)
    photo.write_bytes(b"\xff\xd8 a photo of the protocol posted at station 1001")
    first = next(c for c in rows[0] if c.startswith("vote:") and rows[0][c])
    original = {}
    for row in rows:
        row["observer"] = "Айгерім" if row["station"] == "1001" else ""
        row["photo"] = "photos/1001.jpg" if row["station"] == "1001" else ""
        row["photo_sha256"] = (
            (digest or hashlib.sha256(photo.read_bytes()).hexdigest()) if row["station"] == "1001" else ""
        )
        if row["station"] == str(STATION):
            original = dict(row)
            row[first] = str(int(row[first]) - OFF_BY)
    with (folder / "observers.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return {"party": first.removeprefix("vote:"), "votes": original[first]}


def test_observe_names_the_station_the_line_and_the_difference(folder: Path) -> None:
    changed = _write_copies(folder)
    done = run_saylau("observe", str(folder), "--format", "json")
    assert done.returncode == 0, done.stderr
    check = json.loads(done.stdout)
    assert check["kind"] == "observers" and check["copies"] == 10 and check["matching"] == 9
    [difference] = check["differences"]
    assert difference["station"] == STATION and difference["ballot"] == "list"
    assert difference["lines"] == [
        {
            "line": f"vote:{changed['party']}",
            "official": int(changed["votes"]),
            "observed": int(changed["votes"]) - OFF_BY,
            "difference": -OFF_BY,
        }
    ]
    assert len(check["without_copy"]) == 2 * 130 - 10  # every district protocol, and 120 list protocols
    party = next(x for x in check["totals"][0]["lines"] if x["line"] == f"vote:{changed['party']}")
    assert party["official"] - party["observed"] == OFF_BY


@pytest.mark.parametrize("fmt", ["text", "markdown", "wikitext", "csv", "html"])
@pytest.mark.parametrize(
    ("lang", "word"), [("en", "Observer's copy"), ("kk", "Байқаушының көшірмесі"), ("ru", "Копия наблюдателя")]
)
def test_observe_in_every_format_and_language(folder: Path, fmt: str, lang: str, word: str) -> None:
    _write_copies(folder)
    done = run_saylau("observe", str(folder), "--format", fmt, "--lang", lang)
    assert done.returncode == 0, done.stderr
    shown = html.unescape(done.stdout) if fmt == "html" else done.stdout
    assert str(STATION) in shown and word in shown
    assert f"-{OFF_BY}" in shown


def test_a_photo_whose_hash_does_not_match_is_refused_with_file_row_and_field(folder: Path) -> None:
    _write_copies(folder, digest="0" * 64)
    done = run_saylau("observe", str(folder))
    assert done.returncode == 2
    assert "observers.csv:3 [photo_sha256]: does not match the photo 'photos/1001.jpg'" in done.stderr
    _write_copies(folder)  # put it right for the other tests


def test_observe_without_copies_is_refused(tmp_path: Path) -> None:
    done = run_saylau("observe", str(tmp_path))
    assert done.returncode == 2 and "observers.csv: file is missing" in done.stderr


def test_forensics_json_is_labelled_statistics_and_the_same_for_a_seed(folder: Path) -> None:
    args = ("forensics", str(folder), "--format", "json", "--resamples", "199", "--seed", "3")
    first = run_saylau(*args)
    assert first.returncode == 0, first.stderr
    data = json.loads(first.stdout)
    assert data["kind"] == "statistics" and "not findings" in data["label"]
    assert [c["contest"] for c in data["contests"]] == ["list", "district"]
    listed = data["contests"][0]
    assert sum(count for _, _, count in listed["fingerprint"]["cells"]) == listed["fingerprint"]["stations"] == 130
    assert listed["outliers"]["uses_previous"] and len(listed["outliers"]["stations"]) == 130
    assert [t["quantity"] for t in listed["integer_percentages"]] == ["turnout", "share"]
    assert run_saylau(*args).stdout == first.stdout


@pytest.mark.parametrize(
    ("lang", "label"),
    [
        ("en", "Statistics, not findings"),
        ("kk", "Бұл статистика, қорытынды емес"),
        ("ru", "Это статистика, а не выводы"),
    ],
)
@pytest.mark.parametrize("fmt", ["text", "markdown", "wikitext", "html"])
def test_forensics_says_it_is_statistics_in_every_format(folder: Path, fmt: str, lang: str, label: str) -> None:
    done = run_saylau("forensics", str(folder), "--format", fmt, "--lang", lang, "--resamples", "99")
    assert done.returncode == 0, done.stderr
    assert label in done.stdout


def test_the_fingerprint_as_svg_png_and_cells(folder: Path, tmp_path: Path) -> None:
    svg = run_saylau("forensics", str(folder), "--format", "svg", "--lang", "ru", "--resamples", "99")
    assert svg.returncode == 0, svg.stderr
    root = ET.fromstring(svg.stdout)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.find(f"{ns}title").text == "Явка и доля лидера на каждом избирательном участке"  # type: ignore[union-attr]
    cells = run_saylau("forensics", str(folder), "--format", "cells", "--resamples", "99")
    rows = list(csv.DictReader(cells.stdout.splitlines()))
    listed = [r for r in rows if r["contest"] == "list"]
    assert sum(int(r["stations"]) for r in listed) == 130
    shaded = [e for e in root.iter(f"{ns}rect") if e.find(f"{ns}title") is not None]
    assert len(shaded) == len(listed)  # a square per non-empty cell
    png = tmp_path / "f.png"
    done = run_saylau(
        "forensics", str(folder), "--format", "png", "-o", str(png), "--contest", "district", "--resamples", "99"
    )
    assert done.returncode == 0, done.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    refused = run_saylau("forensics", str(folder), "--format", "png", "--resamples", "99")
    assert refused.returncode == 2 and "-o" in refused.stderr


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")
def test_both_as_pdf_in_kazakh_and_russian(folder: Path, tmp_path: Path) -> None:
    _write_copies(folder)
    observed, statistics = tmp_path / "observe.pdf", tmp_path / "forensics.pdf"
    done = run_saylau("observe", str(folder), "--format", "pdf", "--lang", "kk", "-o", str(observed))
    assert done.returncode == 0, done.stderr
    words = subprocess.run(["pdftotext", str(observed), "-"], capture_output=True, text=True, check=True).stdout
    assert "Байқаушылардың көшірмелері мен қабылданған хаттамаларды салыстыру" in words
    assert str(STATION) in words and f"-{OFF_BY}" in words
    args = ("forensics", str(folder), "--format", "pdf", "--lang", "ru", "--resamples", "99", "-o", str(statistics))
    assert run_saylau(*args).returncode == 0
    words = subprocess.run(["pdftotext", str(statistics), "-"], capture_output=True, text=True, check=True).stdout
    assert "Это статистика, а не выводы" in " ".join(words.split())
    assert "Явка, %" in words  # the fingerprint's axis, drawn into the PDF
    refused = run_saylau("observe", str(folder), "--format", "pdf")
    assert refused.returncode == 2 and "-o" in refused.stderr
