"""Lists per constituency, deputies named constituency by constituency, and lists that run out of names, each
from a folder of its own (tests/unit/folders/), the arithmetic worked by hand in each docstring."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from saylau.errors import InputError
from saylau.io import load_election
from saylau.reports.tiers import sentences
from saylau.result import declare
from tests.integration.test_almaty_2023 import run_saylau

FOLDERS = Path(__file__).resolve().parent / "folders"

# short-lists: 5 list seats by Hare on A 600, B 260, C 140 (quota 200): A 3, B 1 (rest 60), C 0 (rest 140)
# -> C takes the fifth: A 3, B 1, C 1. A's list has one name (Aru).


def _with(tmp_path: Path, name: str, toml: str = "", lists: str | None = None) -> Path:
    folder = Path(shutil.copytree(FOLDERS / name, tmp_path / name))
    if toml:
        path = folder / "election.toml"
        path.write_text(path.read_text() + toml)
    if lists is not None:
        (folder / "lists.csv").write_text(lists)
    return folder


def _seats(folder: Path) -> tuple[dict[str, int], int, list[str]]:
    composition = declare(load_election(folder)).composition
    return (
        {p.party: p.list_seats for p in composition.parties},
        composition.vacant_seats,
        [d.name or "" for d in composition.deputies],
    )


def test_a_used_up_list_is_disregarded_and_the_seats_shared_again() -> None:
    """recompute (the default): A keeps 1; 4 seats by Hare on B 260, C 140 (quota 100): B 2 rest 60, C 1 rest
    40 -> B 3, C 1."""
    assert _seats(FOLDERS / "short-lists") == (
        {"A": 1, "B": 3, "C": 1},
        0,
        ["Aru", "Bota", "Berik", "Bakyt", "Chingiz"],
    )


def test_a_used_up_lists_seats_passed_on_keep_the_quota(tmp_path: Path) -> None:
    """pass-on: A's 2 extra seats go down the remainders, the quota kept: first B (60, no remainder seat yet),
    then C (140, had one): A 1, B 2, C 2."""
    folder = _with(tmp_path, "short-lists", '[system.overrides.list_tier]\nexhausted = "pass-on"\n')
    assert _seats(folder) == ({"A": 1, "B": 2, "C": 2}, 0, ["Aru", "Bota", "Berik", "Chingiz", "Dana"])


def test_a_used_up_lists_seats_stay_vacant_where_the_law_says_so(tmp_path: Path) -> None:
    """vacant (Germany's rule): A 1, B 1, C 1, 2 seats vacant; the body keeps 5 seats and a majority of 3."""
    folder = _with(tmp_path, "short-lists", '[system.overrides.list_tier]\nexhausted = "vacant"\n')
    result = declare(load_election(folder))
    assert {p.party: p.list_seats for p in result.composition.parties} == {"A": 1, "B": 1, "C": 1}
    assert (result.composition.vacant_seats, result.composition.seats_total, result.composition.majority) == (2, 5, 3)
    assert "A: its list has 1 name left; 2 seats beyond them stay vacant" in sentences(result.composition)


def test_the_kazakh_preset_declares_the_filled_seats_when_every_list_runs_out(tmp_path: Path) -> None:
    """Each list has one name: 3 seats filled (Aru, Bota, Chingiz), 2 vacant, reported, not refused."""
    folder = _with(tmp_path, "short-lists", lists="party,position,candidate\nA,1,Aru\nB,1,Bota\nC,1,Chingiz\n")
    assert _seats(folder) == ({"A": 1, "B": 1, "C": 1}, 2, ["Aru", "Bota", "Chingiz"])
    done = run_saylau("results", str(folder))
    assert done.returncode == 0, done.stderr


def test_lists_per_constituency_name_the_deputies_constituency_by_constituency() -> None:
    """North (3 seats, A 700, B 300, quota 333.3): A 2 rest 33.3, B 0 rest 300 -> A 2, B 1: Aigul, Arman, Bota.
    South (2 seats, A 200, B 800, quota 500): A 0 rest 200, B 1 rest 300 -> B 2; B's South list has one name
    (Bakyt), so the second seat is shared again: A 1 (Askar), B 1 (Bakyt)."""
    composition = declare(load_election(FOLDERS / "lists-per-constituency")).composition
    assert [(d.constituency, d.party, d.name, d.list_position) for d in composition.deputies] == [
        ("North", "A", "Aigul", 1),
        ("North", "A", "Arman", 2),
        ("North", "B", "Bota", 1),
        ("South", "A", "Askar", 1),
        ("South", "B", "Bakyt", 1),
    ]
    assert {c.name: dict(c.list_seats) for c in composition.constituencies} == {
        "North": {"A": 2, "B": 1},
        "South": {"A": 1, "B": 1},
    }


def test_a_national_list_is_still_accepted_beside_constituencies(tmp_path: Path) -> None:
    """One national list per party: its names are taken in turn across the constituencies, never twice."""
    lists = "party,position,candidate\nA,1,A1\nA,2,A2\nA,3,A3\nA,4,A4\nB,1,B1\nB,2,B2\nB,3,B3\n"
    folder = _with(tmp_path, "lists-per-constituency", lists=lists)
    composition = declare(load_election(folder)).composition
    assert [(d.constituency, d.name) for d in composition.deputies] == [
        ("North", "A1"),
        ("North", "A2"),
        ("North", "B1"),
        ("South", "B2"),
        ("South", "B3"),
    ]


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [("South,B,1,Bakyt", "West,B,1,Bakyt", "constituency"), ("South,A,2,Ayan", "South,A,1,Ayan", "position")],
)
def test_a_broken_constituency_list_is_refused_with_its_row_and_field(
    tmp_path: Path, old: str, new: str, field: str
) -> None:
    folder = _with(tmp_path, "lists-per-constituency")
    path = folder / "lists.csv"
    path.write_text(path.read_text().replace(old, new))
    with pytest.raises(InputError) as raised:
        load_election(folder)
    [problem] = raised.value.problems
    assert (problem.path, problem.field) == ("lists.csv", field) and problem.row
    done = run_saylau("results", str(folder))
    assert done.returncode == 2 and f"lists.csv:{problem.row} [{field}]" in done.stderr


def test_an_individual_regional_candidate_is_elected_once_and_list_winners_are_passed_over() -> None:
    """Scottish rules, 3 regional seats; A won the one constituency (Ann, also first on A's list). Regional
    figures: I 5000 / 1, B 3000 / 1, A 4000 / 2 = 2000. Seat 1: I (5000); an individual is then disregarded
    (s.8(3); else I 2500 would take seat 3). Seat 2: B 3000. Seat 3: A 2000 (B is down to 1500). A's seat goes
    to Aidan: Ann, returned in the constituency, has left the list (s.8(5))."""
    composition = declare(load_election(FOLDERS / "ams-individual")).composition
    assert {p.party: (p.list_seats, p.district_seats) for p in composition.parties} == {
        "A": (1, 1),
        "B": (1, 0),
        "I": (1, 0),
    }
    assert [(d.name, d.kind.value) for d in composition.deputies] == [
        ("Ann", "district"),
        ("Aidan", "list"),
        ("Bea", "list"),
        ("Ivy Indie", "list"),
    ]
    assert "I: an individual candidate is elected once; 1 seat more goes to the others" in sentences(composition)


def test_each_constituencys_list_is_registered_on_its_own_and_the_seat_names_it() -> None:
    """Positions run 1..n in each constituency's list (A: 1-3 in North, 1-2 in South), so registration passes;
    the report's seat column names the constituency, and the JSON carries it."""
    done = run_saylau("results", str(FOLDERS / "lists-per-constituency"))
    assert done.returncode == 0 and "registration checks fail" not in done.stderr, done.stderr
    assert "list No. 2, North" in done.stdout
    data = run_saylau("results", str(FOLDERS / "lists-per-constituency"), "--json")
    deputies = json.loads(data.stdout)["deputies"]
    assert {(d["name"], d["constituency"]) for d in deputies} >= {("Arman", "North"), ("Bakyt", "South")}
