"""The single transferable vote from an election folder (tests/unit/folders/stv-ward), worked by hand.

One seat, 100 valid ballots: Ann 40, Bob 30, Cat 15 (then Ann), Dan 15 (then Bob); quota 51. Cat and Dan tie
for exclusion at the first count with nothing earlier to look back to: the Scottish rules leave it to lots.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from saylau.composition import DistrictStatus
from saylau.errors import InputError
from saylau.io import load_election
from saylau.reports.text import render_text
from saylau.reports.tiers import tiers_json
from saylau.result import declare
from tests.integration.test_almaty_2023 import run_saylau

FOLDER = Path(__file__).resolve().parent / "folders" / "stv-ward"


def _copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FOLDER, tmp_path / "stv-ward"))


def test_the_tie_for_exclusion_waits_for_a_drawing_of_lots() -> None:
    result = declare(load_election(FOLDER))
    [ward] = result.composition.districts
    assert ward.status is DistrictStatus.TIE_UNDECIDED and ward.elected == ()
    assert [(t.tied, t.seats, t.votes) for t in result.lots_required] == [(("Cat", "Dan"), 1, (15, 15))]
    assert "Tied for exclusion: Cat, Dan; drawing of lots required." in render_text(result)


def test_the_drawing_recorded_keeps_one_in_the_count(tmp_path: Path) -> None:
    """The lot keeps Dan: Cat is excluded, Ann 40 + 15 = 55 >= 51 is elected."""
    folder = _copy(tmp_path)
    (folder / "decisions.csv").write_text("tier,district,tied,seats,winners\ndistrict,1,Cat;Dan,1,Dan\n")
    result = declare(load_election(folder))
    assert [d.name for d in result.composition.deputies] == ["Ann"]
    assert result.lots_required == () and result.misfits == ()
    assert [t.winners for t in result.ties] == [("Dan",)]
    text = render_text(result)
    assert "Count 2: Cat excluded, every paper transferred." in text
    assert "Ann +15.00000 → 55.00000" in text


def test_a_seeded_lot_under_the_lot_rule(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    toml = folder / "election.toml"
    toml.write_text(toml.read_text() + '[system.overrides.district_tier]\ntie = "lot"\ntie_seed = 3\n')
    [ward] = declare(load_election(folder)).composition.districts
    assert ward.status is DistrictStatus.ELECTED and ward.lot_seed == 3
    assert ward.count is not None and ward.count.stages[1].candidate in ("Cat", "Dan")


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("1,15,Cat;Ann", "1,15,Cat;Eve", "ranking"),
        ("1,15,Cat;Ann", "1,15,Cat;Cat", "ranking"),
        ("1,15,Dan;Bob", "2,15,Dan;Bob", "district"),
        ("1,30,Bob", "1,0,Bob", "count"),
    ],
)
def test_a_broken_ranking_is_refused_with_its_row_and_field(tmp_path: Path, old: str, new: str, field: str) -> None:
    folder = _copy(tmp_path)
    path = folder / "results" / "rankings.csv"
    path.write_text(path.read_text().replace(old, new))
    with pytest.raises(InputError) as raised:
        load_election(folder)
    [problem] = raised.value.problems
    assert (problem.path, problem.field) == ("results/rankings.csv", field) and problem.row
    done = run_saylau("results", str(folder))
    assert done.returncode == 2 and f"results/rankings.csv:{problem.row} [{field}]" in done.stderr


def test_the_irish_preset_defers_a_surplus_that_can_change_nothing() -> None:
    """tests/unit/folders/stv-ireland (the ballots of test_stv's Irish case, 3 seats, quota 251): Ann's surplus
    of 9 waits at count 2 while Eve is excluded, and passes on at count 4, after Dan's; the JSON and the words
    say so."""
    result = declare(load_election(FOLDER.parent / "stv-ireland"))
    [count] = [d.count for d in result.composition.districts if d.count is not None]
    assert [(s.kind.value, s.candidate, s.deferred) for s in count.stages] == [
        ("first", None, ()),
        ("exclusion", "Eve", ("Ann",)),
        ("surplus", "Dan", ()),
        ("surplus", "Ann", ()),
        ("exclusion", "Cat", ()),
    ]
    assert count.elected == ("Ann", "Dan", "Bob")
    [stv] = tiers_json(result.composition)["stv"]
    assert stv["stages"][1]["deferred"] == ["Ann"] and "deferred" not in stv["stages"][2]
