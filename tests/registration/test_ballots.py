"""The ballot papers: one page per ballot, every party and "against all" in Kazakh and Russian in the text
layer, a real renderer (poppler) draws every page; lines in registration order or by a seeded lot."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from saylau.domain import Ballot
from saylau.errors import InputError
from saylau.io import load_election
from saylau.registration.ballots import ballot_papers
from saylau.reports.ballots import render_ballots
from tests.conftest import EXAMPLES
from tests.integration.test_almaty_2023 import run_saylau
from tests.registration.small import make_folder

ALMATY = EXAMPLES / "almaty-2023"


def _poppler(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        pytest.skip(f"poppler's {tool} is not installed")
    return found


@pytest.fixture(scope="module")
def ballots_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("ballots") / "ballots.pdf"
    done = run_saylau("ballots", str(ALMATY), "-o", str(target))
    assert done.returncode == 0, done.stderr
    return target


def test_one_page_per_ballot_and_every_page_renders(ballots_pdf: Path) -> None:
    """Almaty 2023: the list ballot and 21 district ballots = 22 pages, each drawn by pdftoppm."""
    out = ballots_pdf.parent / "page"
    subprocess.run([_poppler("pdftoppm"), "-png", "-r", "40", str(ballots_pdf), str(out)], check=True)
    pages = sorted(ballots_pdf.parent.glob("page*.png"))
    assert len(pages) == 22
    assert all(p.stat().st_size > 2000 for p in pages)


def test_text_layer_has_every_party_and_against_all_in_both_languages(ballots_pdf: Path) -> None:
    text = subprocess.run(
        [_poppler("pdftotext"), "-f", "1", "-l", "1", str(ballots_pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    election = load_election(ALMATY, count_protocols=False)
    flat = " ".join(text.split())
    for party in election.parties:
        kazakh, russian = party.full_names["kk"], party.full_names["ru"]
        assert kazakh != russian
        assert " ".join(kazakh.split()) in flat, kazakh
        assert " ".join(russian.split()) in flat, russian
    assert "Барлығына қарсы" in flat
    assert "Против всех" in flat
    assert "САЙЛАУ БЮЛЛЕТЕНІ" in flat and "ИЗБИРАТЕЛЬНЫЙ БЮЛЛЕТЕНЬ" in flat


def test_district_ballot_lists_its_candidates_in_registration_order() -> None:
    election = load_election(ALMATY, count_protocols=False)
    (paper,) = ballot_papers(election, district=3)
    assert paper.ballot is Ballot.DISTRICT
    assert [line.name for line in paper.lines] == [c.name for c in election.districts[2].candidates]


def test_one_district_only(tmp_path: Path) -> None:
    target = tmp_path / "d2.pdf"
    assert run_saylau("ballots", str(ALMATY), "-o", str(target), "--district", "2").returncode == 0
    info = subprocess.run([_poppler("pdfinfo"), str(target)], check=True, capture_output=True, text=True).stdout
    assert "Pages:           1" in info


def test_unknown_district_is_refused(tmp_path: Path) -> None:
    done = run_saylau("ballots", str(ALMATY), "-o", str(tmp_path / "x.pdf"), "--district", "99")
    assert done.returncode == 2
    assert "no district 99" in done.stderr


def test_order_by_lot_is_replayable_from_its_seed(tmp_path: Path) -> None:
    """With ballot_order = "lot" the order comes from the seed, which the ballot prints: same seed, same order."""
    lot = 'ballot_order = "lot"\nballot_seed = 7'
    first = load_election(make_folder(tmp_path / "a", registration=lot))
    again = load_election(make_folder(tmp_path / "b", registration=lot))
    assert ballot_papers(first) == ballot_papers(again)
    assert ballot_papers(first)[0].seed == 7
    source = tmp_path / "lot.pdf"
    source.write_bytes(render_ballots(first))
    out = subprocess.run([_poppler("pdftotext"), str(source), "-"], check=True, capture_output=True, text=True).stdout
    assert "Порядок строк определён жеребьёвкой (seed 7)" in " ".join(out.split())


def test_lot_without_a_seed_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError) as error:
        load_election(make_folder(tmp_path / "f", registration='ballot_order = "lot"'))
    assert "ballot_seed" in str(error.value)


def test_a_withdrawn_candidate_is_not_printed(tmp_path: Path) -> None:
    from tests.registration.small import base_candidates

    rows = base_candidates()
    rows[1]["withdrawn"] = "2023-03-01"
    (paper,) = ballot_papers(load_election(make_folder(tmp_path / "f", candidates=rows)), district=1)
    assert [line.name for line in paper.lines] == ["Bolat Zhaksylykov"]
