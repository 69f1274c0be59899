"""A report of a partial count says so, everywhere (issue 10, item 1).

Half of the Almaty example's protocol files are removed, as on election night: every renderer must show the
status and the stations in, no district without a protocol may be called vacant, the majority line must say
"leading" (never won or lost), turnout must be the counted one, and every PDF page must be marked partial.
Expected figures are read from the folder's own CSV files, never from saylau's output.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from saylau.io import load_election
from saylau.reports.csv_report import render_csv
from saylau.reports.hemicycle import render_hemicycle
from saylau.reports.html import render_html
from saylau.reports.markdown import render_markdown
from saylau.reports.pdf import render_pdf
from saylau.reports.summary import summary
from saylau.reports.text import render_text
from saylau.result import Result, declare
from tests.conftest import EXAMPLES


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def partial(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, dict[str, int]]:
    """The Almaty folder with the protocols of districts 1-10 removed; what the register says is left."""
    root = tmp_path_factory.mktemp("partial")
    for name in ("almaty-2023", "almaty-2021"):
        shutil.copytree(EXAMPLES / name, root / name)
    folder = root / "almaty-2023"
    removed: set[int] = set()
    for path in sorted((folder / "protocols").glob("district-*.csv"))[:10]:
        removed |= {int(r["district"]) for r in _rows(path)}
        path.unlink()
    stations = _rows(folder / "stations.csv")
    left = [s for s in stations if int(s["district"]) not in removed]
    took_part = sum(
        int(r["found"]) for p in (folder / "protocols").glob("*.csv") for r in _rows(p) if r["ballot"] == "list"
    )
    facts = {
        "reported": len(left),
        "expected": len(stations),
        "unreported_districts": len(removed),
        "took_part": took_part,
        "registered_covered": sum(int(s["registered"]) for s in left),
    }
    return declare(load_election(folder)), facts


def test_turnout_is_counted_not_published(partial: tuple[Result, dict[str, int]]) -> None:
    result, facts = partial
    turnout = result.election.results.turnout
    assert turnout is not None and turnout * facts["registered_covered"] == facts["took_part"]
    data = summary(result)
    assert data["status"] == "partial"
    assert data["turnout_percent"] == round(100 * facts["took_part"] / facts["registered_covered"], 2)
    assert data["published_turnout_percent"] == 25.15  # kept, as published, beside the count


def test_no_district_is_vacant_for_want_of_a_protocol(partial: tuple[Result, dict[str, int]]) -> None:
    result, facts = partial
    assert result.composition.vacancies == ()
    assert len(result.composition.unreported) == facts["unreported_districts"]
    data = summary(result)
    assert data["vacancies"] == [] and len(data["not_reported"]) == facts["unreported_districts"]
    for text in (render_text(result, width=160), render_markdown(result), render_html(result)):
        assert "Vacant" not in text and "vacant" not in text.replace('data-party="vacant"', "")
        assert "Not yet reported" in text and "not yet reported" in text
    svg = render_hemicycle(result)
    assert svg.count('data-party="not-reported"') == facts["unreported_districts"] + 1  # seats + legend
    assert 'data-party="vacant"' not in svg


def test_majority_is_only_ever_leading(partial: tuple[Result, dict[str, int]]) -> None:
    result, facts = partial
    stations = f"{facts['reported']} of {facts['expected']} stations"
    for text in (render_text(result, width=200), render_markdown(result), render_html(result)):
        assert "leading with" in text and stations in text
        for word in ("majority kept", "majority won", "majority lost", "held by"):
            assert word not in text, word
    data = summary(result)
    assert data["majority_state"] == "leading" and data["majority_holder"] is None
    assert data["majority_change"] is None


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
def test_every_renderer_shows_status_and_progress(partial: tuple[Result, dict[str, int]], lang: str) -> None:
    result, facts = partial
    marks = {"en": "Partial count", "kk": "ішінара есеп", "ru": "частичный подсчёт"}
    for text in (render_text(result, lang, width=200), render_markdown(result, lang), render_html(result, lang)):
        assert marks[lang].lower() in text.lower()
        assert str(facts["reported"]) in text and str(facts["expected"]) in text
    lines = render_csv(result).splitlines()
    assert all(line.endswith(f",partial,{facts['reported']},{facts['expected']}") for line in lines[1:])


def test_every_pdf_page_is_marked_partial(partial: tuple[Result, dict[str, int]], tmp_path: Path) -> None:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("poppler's pdftotext is not installed")
    source = tmp_path / "protocol.pdf"
    source.write_bytes(render_pdf(partial[0], lang="ru"))
    text = subprocess.run([pdftotext, "-layout", str(source), "-"], capture_output=True, text=True, check=True).stdout
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) > 2
    for page in pages:
        assert "Предварительные итоги, частичный подсчёт" in page


def test_results_json_of_a_partial_count(partial: tuple[Result, dict[str, int]]) -> None:
    data = json.loads(json.dumps(summary(partial[0])))
    assert data["progress"]["list"]["stations_reported"] == partial[1]["reported"]
    assert {d["status"] for d in data["districts"] if d["winner"] is None} == {"not-reported"}
