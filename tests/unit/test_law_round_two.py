"""Round two of the law's rules: each bug found by the checks against real elections, from a folder of its own
(tests/unit/folders/), with the arithmetic worked by hand in each docstring."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from saylau.composition import Decision, DistrictStatus, SeatKind
from saylau.errors import InputError
from saylau.io import load_election
from saylau.reports.text import render_text
from saylau.result import declare
from tests.integration.test_almaty_2023 import run_saylau

FOLDERS = Path(__file__).resolve().parent / "folders"


def copy(name: str, tmp_path: Path) -> Path:
    """A writable copy of one of the test folders."""
    return Path(shutil.copytree(FOLDERS / name, tmp_path / name))


def seats(folder: Path) -> dict[str, tuple[int, int]]:
    """(list seats, district seats) per party."""
    return {p.party: (p.list_seats, p.district_seats) for p in declare(load_election(folder)).composition.parties}


# Two-seat district 1: Ana (A) 50, Bek (B) 30, Cem (A) 30: Ana is elected outright, Bek and Cem tie for the
# second seat. District 2: Dan (B) 40 beats Eve (A) 35. List, 3 seats by Hare: quota 1000 / 3 = 333.3;
# A 600 -> 1 rest 266.7, B 400 -> 1 rest 66.7: A 2, B 1. The body has 6 seats, a majority is 4.


def test_the_outright_winner_of_a_two_seat_district_with_a_tie_is_counted() -> None:
    """Ana counts for A (district seats A 1, B 1 for Dan); only the tied seat stays open for the commission."""
    result = declare(load_election(FOLDERS / "two-seat-tie"))
    composition = result.composition
    assert {p.party: (p.list_seats, p.district_seats) for p in composition.parties} == {"A": (2, 1), "B": (1, 1)}
    one = composition.districts[0]
    assert one.status is DistrictStatus.TIE_UNDECIDED
    assert [c.name for c in one.elected] == ["Ana"]
    assert composition.vacant_seats == 1
    assert composition.seats_filled == 5
    assert (composition.seats_total, composition.majority) == (6, 4)
    assert [(d.name, d.kind) for d in composition.deputies if d.district == 1] == [("Ana", SeatKind.DISTRICT)]
    assert [(t.tied, t.seats) for t in result.lots_required] == [(("Bek", "Cem"), 1)]


def test_the_commissions_drawing_gives_the_tied_seat(tmp_path: Path) -> None:
    """The commission drew Cem: A holds Ana and Cem (2 district seats), B holds Dan; nothing is vacant."""
    folder = copy("two-seat-tie", tmp_path)
    (folder / "decisions.csv").write_text("tier,district,tied,seats,winners\ndistrict,1,Bek;Cem,1,Cem\n")
    composition = declare(load_election(folder)).composition
    one = composition.districts[0]
    assert (one.status, one.decision) == (DistrictStatus.ELECTED, Decision.DRAWN)
    assert [c.name for c in one.elected] == ["Ana", "Cem"]
    assert {p.party: p.district_seats for p in composition.parties} == {"A": 2, "B": 1}
    assert composition.vacant_seats == 0


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_a_seeded_lot_gives_the_tied_seat_under_the_lot_rule(tmp_path: Path, seed: int) -> None:
    """district_tier.tie = "lot": one of Bek and Cem takes the seat by the seeded drawing, replayable by its seed."""
    folder = copy("two-seat-tie", tmp_path)
    toml = folder / "election.toml"
    toml.write_text(toml.read_text() + f'[system.overrides.district_tier]\ntie = "lot"\ntie_seed = {seed}\n')
    composition = declare(load_election(folder)).composition
    one = composition.districts[0]
    assert (one.status, one.decision, one.lot_seed) == (DistrictStatus.ELECTED, Decision.LOT, seed)
    names = [c.name for c in one.elected]
    assert names[0] == "Ana" and names[1] in ("Bek", "Cem") and len(names) == 2
    again = declare(load_election(folder)).composition.districts[0]
    assert [c.name for c in again.elected] == names
    district = {p.party: p.district_seats for p in composition.parties}
    assert district == ({"A": 2, "B": 1} if names[1] == "Cem" else {"A": 1, "B": 2})


# Additional member system, 2 districts and 1 regional seat (D'Hondt, divisor = districts won + list seats + 1).
# A won both districts: A 3000 / 3 = 1000; B 1000 / 1 = 1000: A and B tie for the one regional seat. B is
# registered first, A has more votes, so each tie rule gives another answer.


def _with_tie_rule(tmp_path: Path, rule: str) -> Path:
    folder = copy("ams-tie", tmp_path)
    toml = folder / "election.toml"
    toml.write_text(toml.read_text() + f'[system.overrides.list_tier]\ntie = "{rule}"\n')
    return folder


def test_the_additional_member_tie_is_left_to_the_commission_under_the_scottish_preset() -> None:
    """The preset's rule is "decide": the seat waits for a drawing of lots; the body keeps 3 seats, majority 2."""
    result = declare(load_election(FOLDERS / "ams-tie"))
    composition = result.composition
    assert {p.party: (p.list_seats, p.district_seats) for p in composition.parties} == {"B": (0, 0), "A": (0, 2)}
    assert composition.undecided_list_seats == 1
    assert [(t.tied, t.seats, t.votes) for t in result.lots_required] == [(("B", "A"), 1, (1000, 3000))]
    assert (composition.seats_total, composition.majority) == (3, 2)


def test_the_commissions_drawing_settles_the_additional_member_tie(tmp_path: Path) -> None:
    folder = copy("ams-tie", tmp_path)
    (folder / "decisions.csv").write_text("tier,tied,seats,winners\nlist,A;B,1,B\n")
    result = declare(load_election(folder))
    assert seats(folder) == {"B": (1, 0), "A": (0, 2)}
    assert result.lots_required == () and result.misfits == ()


@pytest.mark.parametrize(("rule", "winner"), [("registration-order", "B"), ("more-votes", "A")])
def test_the_tie_rule_is_honoured_in_the_additional_member_mode(tmp_path: Path, rule: str, winner: str) -> None:
    won = seats(_with_tie_rule(tmp_path, rule))
    assert {p: n for p, (n, _) in won.items() if n} == {winner: 1}


# Hungarian rules with declared district seats (results/district_seats.csv) and no district votes: the fragment
# votes can come from nowhere, so the folder is refused, naming both files that could give them.


def test_a_preset_that_needs_fragment_votes_refuses_a_folder_without_them(tmp_path: Path) -> None:
    with pytest.raises(InputError) as raised:
        load_election(FOLDERS / "fragments-missing")
    [problem] = raised.value.problems
    assert (problem.path, problem.field) == ("results/fragment_votes.csv", "votes")
    assert "results/districts.csv" in problem.message and "hungary-2022" in problem.message
    folder = copy("fragments-missing", tmp_path)
    done = run_saylau("results", str(folder))
    assert done.returncode == 2 and "results/fragment_votes.csv [votes]" in done.stderr
    assert "Traceback" not in done.stderr
    (folder / "results" / "fragment_votes.csv").write_text("party,votes\nF,900\nU,500\nM,200\n")
    assert sum(p.seats for p in declare(load_election(folder)).composition.parties) == 7


def test_the_hungarian_allocation_line_agrees_with_the_party_table() -> None:
    """3 districts (F 2, U 1); G, a minority list, wins a preferential seat (500 >= 468.56); D'Hondt shares the
    other 3 list seats on F 3998, U 2349, M 650: F, U, F. The allocation's result line says F 2, U 1, M 0, G 1
    as the party table does, and G, outside the party threshold, is not shown as failing it."""
    result = declare(load_election(FOLDERS / "hungary-minority"))
    table = {p.party: p.list_seats for p in result.composition.parties}
    assert table == {"F": 2, "U": 1, "M": 0, "G": 1}
    text = render_text(result)
    [line] = [t for t in text.splitlines() if t.startswith("Result:")]
    assert line == "Result: F 2, U 1, M 0, G 1."
    assert not any(t.split()[:1] == ["G"] and t.rstrip().endswith("out") for t in text.splitlines())


def test_a_district_not_held_keeps_the_legal_size_and_the_majority() -> None:
    """10 seats: 5 districts (A 2, B 1, an independent 1, one not held) and 5 list seats by Hare on A 600,
    B 400 (quota 200: A 3, B 2). 9 seats filled, 1 vacant; the body keeps 10 seats and a majority of 6, not the
    5 of the 9 filled. (Ukraine 2019: 450 seats, 424 filled, majority 226.)"""
    composition = declare(load_election(FOLDERS / "not-held")).composition
    assert {p.party: (p.list_seats, p.district_seats) for p in composition.parties} == {"A": (3, 2), "B": (2, 1)}
    assert (composition.independents, composition.vacant_seats, composition.seats_filled) == (1, 1, 9)
    assert (composition.seats_total, composition.majority) == (10, 6)


def test_a_district_filled_by_a_by_election_after_the_allocation_is_added_to_the_house() -> None:
    """New Zealand rules, 10 seats shared by Sainte-Laguë on A 500, B 500: A 5, B 5; districts A 3, B 1, so
    list seats A 2, B 4. A wins a district later, by by-election: A 6, B 5, the House 11, majority 6 (as Port
    Waikato took the 2023 House from 122 to 123)."""
    composition = declare(load_election(FOLDERS / "by-election")).composition
    assert {p.party: (p.list_seats, p.district_seats) for p in composition.parties} == {"A": (2, 4), "B": (4, 1)}
    assert (composition.seats_total, composition.majority) == (11, 6)
    assert [s.kind.value for s in composition.steps if s.party == "A"][-1] == "filled-later"


def test_a_district_not_held_named_in_districts_csv_keeps_the_legal_size_and_the_majority() -> None:
    """districts.csv marks district 5 `not-held` (the others counted from their votes): Ana (A), Cem (A), Eve
    (B) and Gul (self-nominated) win 1-4; 5 list seats by Hare on A 600, B 400 (quota 200): A 3, B 2. 9 seats
    filled, district 5 vacant; the body keeps 10 seats and a majority of 6, not 5 of the 9 filled."""
    result = declare(load_election(FOLDERS / "districts-not-held"))
    composition = result.composition
    assert {p.party: (p.list_seats, p.district_seats) for p in composition.parties} == {"A": (3, 2), "B": (2, 1)}
    assert [d.number for d in composition.districts] == [1, 2, 3, 4]
    assert (composition.independents, composition.vacant_seats, composition.seats_filled) == (1, 1, 9)
    assert (composition.seats_total, composition.majority) == (10, 6)
    assert "1 district seat not filled, vacant" in render_text(result)


def test_a_district_held_later_by_by_election_named_in_districts_csv_is_added_after_the_allocation() -> None:
    """New Zealand rules, 10 seats by Sainte-Laguë on A 500, B 500: A 5, B 5. Districts 1-4 on the day: A 3
    (Ana, Cem, Eve), B 1 (Gul), so list seats A 2, B 4. District 5 (`by-election` in districts.csv) is won
    later by Ivy (A 50, B 40): A 6, B 5, the House 11, majority 6; Ivy is a deputy of district 5."""
    composition = declare(load_election(FOLDERS / "by-election-district")).composition
    assert {p.party: (p.list_seats, p.district_seats) for p in composition.parties} == {"A": (2, 4), "B": (4, 1)}
    assert (composition.seats_total, composition.majority) == (11, 6)
    assert [(s.kind.value, s.party, s.value) for s in composition.steps if s.kind.value == "filled-later"] == [
        ("filled-later", "A", 1)
    ]
    assert [d.name for d in composition.deputies if d.district == 5] == ["Ivy"]


def test_a_party_on_district_ballots_only_keeps_its_district_off_the_shared_seats() -> None:
    """C (list_ballot = no) won 1 district: it comes off the 10 seats (Electoral Act 1993 s.191(4)); 9 by
    Sainte-Laguë on A 600, B 400: 600 400 200 133 120 86 80 67 57 -> A 5, B 4; list seats A 2, B 3."""
    composition = declare(load_election(FOLDERS / "district-only-party")).composition
    assert {p.party: (p.list_seats, p.district_seats) for p in composition.parties} == {
        "A": (2, 3),
        "B": (3, 1),
        "C": (0, 1),
    }
    assert (composition.seats_total, composition.majority) == (10, 6)


@pytest.mark.parametrize(
    ("name", "path", "text", "row", "field"),
    [
        ("not-held", "results/district_seats.csv", ",1,not-held", ",1,later", "status"),
        ("not-held", "results/district_seats.csv", ",1,not-held", "A,1,not-held", "party"),
        ("district-only-party", "parties.csv", "C,Gamma,3,no", "C,Gamma,3,maybe", "list_ballot"),
        ("district-only-party", "results/list.csv", "B,400", "B,400\nC,10", "party"),
        ("districts-not-held", "districts.csv", "5,Occupied,not-held", "5,Occupied,postponed", "status"),
        ("districts-not-held", "candidates.csv", "4,Hal,A", "4,Hal,A\n5,Ivo,B", "district"),
    ],
)
def test_every_new_folder_error_names_its_file_row_and_field(
    tmp_path: Path, name: str, path: str, text: str, row: str, field: str
) -> None:
    folder = copy(name, tmp_path)
    target = folder / path
    target.write_text(target.read_text().replace(text, row))
    with pytest.raises(InputError) as raised:
        load_election(folder)
    assert any(p.path == path and p.field == field and p.row for p in raised.value.problems), raised.value
    done = run_saylau("results", str(folder))
    assert done.returncode == 2 and f"{path}:" in done.stderr
