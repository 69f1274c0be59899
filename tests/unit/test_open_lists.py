"""Open lists with preference votes, from a folder of its own (tests/unit/folders/open-list), worked by hand.

10 seats by D'Hondt on A 6000, B 4000: A 6, B 4. The electoral quota is 10000 / 10 = 1000. Every vote is a
preference vote for a candidate (A: 2980 + 100 + 50 + 40 + 30 + 15 + 35 + 2750 = 6000; B: 3000 + 400 + 200 +
140 + 260 = 4000).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from saylau.errors import InputError
from saylau.io import load_election
from saylau.reports.tiers import sentences
from saylau.result import declare
from tests.integration.test_almaty_2023 import run_saylau

FOLDER = Path(__file__).resolve().parent / "folders" / "open-list"


def _copy(tmp_path: Path, toml: str = "") -> Path:
    folder = Path(shutil.copytree(FOLDER, tmp_path / "open-list"))
    if toml:
        path = folder / "election.toml"
        path.write_text(path.read_text().replace('preset = "netherlands-tweede-kamer"', toml))
    return folder


def _elected(folder: Path) -> list[str]:
    return [d.name or "" for d in declare(load_election(folder)).composition.deputies]


def test_the_dutch_rule_elects_those_over_a_quarter_of_the_quota_then_list_order() -> None:
    """Threshold 1000 / 4 = 250: A's a1 (2980) and a8 (2750), then a2..a5 in list order; B's b1 (3000), b2 (400)
    and b5 (260), then b3. a7 (35 votes) is passed over for a5 (30): below the threshold, list order rules."""
    composition = declare(load_election(FOLDER)).composition
    assert [(d.name, d.list_position, d.preference_votes) for d in composition.deputies] == [
        ("a1", 1, 2980),
        ("a8", 8, 2750),
        ("a2", 2, 100),
        ("a3", 3, 50),
        ("a4", 4, 40),
        ("a5", 5, 30),
        ("b1", 1, 3000),
        ("b2", 2, 400),
        ("b5", 5, 260),
        ("b3", 3, 200),
    ]
    assert "a8 (A) elected by 2,750 preference votes, the threshold 250" in sentences(composition)


def test_the_polish_rule_elects_the_most_preference_votes(tmp_path: Path) -> None:
    """No threshold, every seat by votes: A's six are a1, a8, a2, a3, a4 and a7 (35 beats a5's 30)."""
    folder = _copy(tmp_path, 'preset = "poland-sejm"')
    assert _elected(folder) == ["a1", "a8", "a2", "a3", "a4", "a7", "b1", "b2", "b5", "b3"]


def test_a_threshold_as_a_share_of_the_lists_votes(tmp_path: Path) -> None:
    """5% of the list's votes: A needs 300 (a1, a8), B needs 200 (b1, b2, b5 and b3 exactly at it)."""
    folder = _copy(tmp_path)
    path = folder / "election.toml"
    path.write_text(path.read_text() + 'open_list = { base = "list", share = "1/20" }\n')
    assert _elected(folder) == ["a1", "a8", "a2", "a3", "a4", "a5", "b1", "b2", "b5", "b3"]
    composition = declare(load_election(folder)).composition
    assert "b3 (B) elected by 200 preference votes, the threshold 200" in sentences(composition)


def test_an_absolute_threshold(tmp_path: Path) -> None:
    """At least 2800 votes: only a1 and b1; the rest in list order."""
    folder = _copy(tmp_path)
    path = folder / "election.toml"
    path.write_text(path.read_text() + 'open_list = { base = "votes", votes = 2800 }\n')
    assert _elected(folder) == ["a1", "a2", "a3", "a4", "a5", "a6", "b1", "b2", "b3", "b4"]


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [("A,a7,35", "A,b1,35", "candidate"), ("B,b4,140", "B,b3,140", "candidate"), ("B,b5,260", "B,b5,many", "votes")],
)
def test_a_broken_preference_row_is_refused_with_its_row_and_field(
    tmp_path: Path, old: str, new: str, field: str
) -> None:
    folder = _copy(tmp_path)
    path = folder / "results" / "preferences.csv"
    path.write_text(path.read_text().replace(old, new))
    with pytest.raises(InputError) as raised:
        load_election(folder)
    [problem] = raised.value.problems
    assert (problem.path, problem.field) == ("results/preferences.csv", field) and problem.row
    done = run_saylau("results", str(folder))
    assert done.returncode == 2 and f"results/preferences.csv:{problem.row} [{field}]" in done.stderr
