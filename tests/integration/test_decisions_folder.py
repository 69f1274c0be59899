"""decisions.csv: the commission's drawings of lots make the offline commands complete; a bad row is refused.

The folder is the small registration folder (tests/registration/small.py) with tied figures typed by hand:
- list tier, 2 seats, `tie = "decide"`: A 354, B 118; quota (354 + 118) / 2 = 236; A 1 seat, remainder 118;
  B 0 seats, remainder 118: the second seat is tied between A and B. (Ballot: 354 + 118 + 20 against all
  + 8 invalid = 500 took part.)
- district 1: Bolat Zhaksylykov 117, Gulnar Utepova 117 (+ 10 against all + 6 invalid = 250): tied.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from saylau.cli.load import declared
from saylau.errors import InputError
from tests.integration.test_almaty_2023 import run_saylau
from tests.registration.small import make_folder, write_csv

HEADER = "tier,constituency,district,tied,seats,winners,drawn_on,recorded_by,note\n"
LIST_ROW = "list,,,A;B,1,B,2023-03-21,Secretary S. Sadykova,minutes No. 7\n"
DISTRICT_ROW = "district,,1,Bolat Zhaksylykov;Gulnar Utepova,1,Gulnar Utepova,2023-03-21 10:30,,\n"


@pytest.fixture
def tied(tmp_path: Path) -> Path:
    root = make_folder(tmp_path / "tied")
    toml = root / "election.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + '[system.overrides.list_tier]\ntie = "decide"\n', "utf-8")
    ballots = (root / "results/ballots.csv").read_text(encoding="utf-8")
    ballots = ballots.replace("list,,1000,500,20,10", "list,,1000,500,20,8").replace("1,500,250,10,5", "1,500,250,10,6")
    (root / "results/ballots.csv").write_text(ballots, encoding="utf-8")
    write_csv(
        root / "results/list.csv", ["party", "votes"], [{"party": "A", "votes": "354"}, {"party": "B", "votes": "118"}]
    )
    rows = [("1", "Bolat Zhaksylykov", "117"), ("1", "Gulnar Utepova", "117"), ("2", "Serik Nurgaliev", "235")]
    write_csv(
        root / "results/districts.csv",
        ["district", "candidate", "votes"],
        [{"district": d, "candidate": c, "votes": v} for d, c, v in rows],
    )
    return root


def decisions(folder: Path, *rows: str) -> Path:
    (folder / "decisions.csv").write_text(HEADER + "".join(rows), encoding="utf-8")
    return folder


def test_without_decisions_the_result_stops_at_drawing_of_lots_required(tied: Path) -> None:
    done = run_saylau("results", str(tied), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert [(lot["tier"], lot["tied"], lot["votes"], lot["seats"], lot["status"]) for lot in data["lots"]] == [
        ("list", ["A", "B"], [354, 118], 1, "required"),
        ("district", ["Bolat Zhaksylykov", "Gulnar Utepova"], [117, 117], 1, "required"),
    ]
    assert data["undecided_list_seats"] == 1 and data["vacancies"] == [1]
    text = " ".join(run_saylau("results", str(tied)).stdout.split())
    assert "Drawings of lots" in text and text.count("drawing of lots required") == 2


def test_recorded_drawings_complete_the_council_and_say_how(tied: Path) -> None:
    done = run_saylau("results", str(decisions(tied, LIST_ROW, DISTRICT_ROW)), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    seats = {p["name"]: (p["list_seats"], p["district_seats"]) for p in data["parties"]}
    assert seats == {"A": (1, 0), "B": (1, 1)}, "B won the list lot; district 2's B candidate won outright"
    assert data["independents"] == 1, "Gulnar Utepova (self-nominated) won district 1's lot"
    assert data["seats_filled"] == 4 and data["vacancies"] == [] and data["undecided_list_seats"] == 0
    lots = data["lots"]
    assert [(lot["status"], lot["winners"], lot["drawn_on"]) for lot in lots] == [
        ("decided", ["B"], "2023-03-21"),
        ("decided", ["Gulnar Utepova"], "2023-03-21 10:30"),
    ]
    assert lots[0]["recorded_by"] == "Secretary S. Sadykova"
    district = data["districts"][0]
    assert (district["decision"], district["winner"]) == ("drawn", "Gulnar Utepova")
    assert data["list_allocation"]["ties"][0]["drawn"] is True
    text = " ".join(run_saylau("results", str(tied)).stdout.split())
    assert "drawing of lots held by the commission on 2023-03-21 (recorded by Secretary S. Sadykova): won by B" in text
    assert "won by B in the drawing of lots held by the commission" in text, "the allocation annex says it too"
    report = run_saylau("report", str(tied), "--format", "markdown")
    assert report.returncode == 0, report.stderr
    assert "## Drawings of lots" in report.stdout
    pdf = tied / "protocol.pdf"
    assert run_saylau("report", str(tied), "--format", "pdf", "--lang", "ru", "-o", str(pdf)).returncode == 0
    if shutil.which("pdftotext"):
        layer = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split())
        assert "Жеребьёвки" in layer and "(записал: Secretary S. Sadykova): получили: B" in layer


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("draw,,,A;B,1,B,,,\n", "decisions.csv:2 [tier]: draw is not one of list, district, candidate"),
        ("district,,9,A;B,1,B,,,\n", "decisions.csv:2 [district]: there is no district 9"),
        ("list,,,A;Q,1,A,,,\n", "decisions.csv:2 [tied]: 'Q' is not a registered list"),
        ("list,,,A;B,1,C,,,\n", "decisions.csv:2 [winners]: 'C' is not among the tied"),
        ("list,,,A;B,2,A;B,,,\n", "decisions.csv:2 [seats]: 2 seats for 2 tied is no tie"),
        ("list,,,A;B,,A,,,\n", "decisions.csv:2 [seats]: is empty"),
        ("list,,,A;B,1,,,,\n", "decisions.csv:2 [winners]: is empty"),
        (
            "district,,1,Bolat Zhaksylykov;Gulnar Utepova,1,Bolat Zhaksylykov;Gulnar Utepova,,,\n",
            "decisions.csv:2 [winners]: names 2 winners; seats at stake: 1",
        ),
    ],
)
def test_a_broken_row_names_its_row_and_field(tied: Path, row: str, expected: str) -> None:
    done = run_saylau("results", str(decisions(tied, LIST_ROW, row)))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert expected.replace("decisions.csv:2", "decisions.csv:3") in done.stderr


def test_an_unknown_tier_is_refused_in_kazakh_and_russian_too(tied: Path) -> None:
    """The tier names every kind of tie the folder takes (candidate too), in the reader's language."""
    from saylau.reports.problems import problem_line

    with pytest.raises(InputError) as caught:
        declared(decisions(tied, LIST_ROW, "draw,,,A;B,1,B,,,\n"))
    (problem,) = caught.value.problems
    assert (
        problem_line(problem, "ru")
        == "decisions.csv:3 [tier]: «draw» — не список, не округ и не кандидат (list, district, candidate)"
    )
    assert problem_line(problem, "kk").endswith(
        "«draw» — тізім де, округ те, кандидат та емес (list, district, candidate)"
    )


def test_a_drawing_for_a_district_without_a_tie_is_refused(tied: Path) -> None:
    """Bolat Zhaksylykov 118, Gulnar Utepova 116: he wins outright; the recorded drawing settles nothing."""
    districts = tied / "results/districts.csv"
    text = districts.read_text(encoding="utf-8")
    districts.write_text(text.replace("Zhaksylykov,117", "Zhaksylykov,118").replace("Utepova,117", "Utepova,116"))
    with pytest.raises(InputError) as caught:
        declared(decisions(tied, LIST_ROW, DISTRICT_ROW))
    (problem,) = caught.value.problems
    assert (problem.path, problem.row, problem.field) == ("decisions.csv", 3, "district")
    assert "no tie is left to the commission there" in problem.message
    done = run_saylau("report", str(tied), "--format", "json")
    assert done.returncode == 2 and "decisions.csv:3 [district]" in done.stderr, "every command refuses it"


def test_a_second_drawing_for_a_settled_tie_is_refused(tied: Path) -> None:
    again = "district,,1,Gulnar Utepova;Bolat Zhaksylykov,1,Bolat Zhaksylykov,,,\n"
    with pytest.raises(InputError) as caught:
        declared(decisions(tied, DISTRICT_ROW, again))
    (problem,) = caught.value.problems
    assert (problem.row, problem.field) == (3, "tied")
    assert "an earlier row already settles this tie" in problem.message


def test_a_drawing_for_a_tie_the_rules_settle_is_refused(tied: Path) -> None:
    """Under the preset's own rule (registration order) A takes the tied seat: nothing is left to a lot."""
    toml = tied / "election.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('tie = "decide"', 'tie = "registration-order"'), "utf-8")
    folder = decisions(tied, LIST_ROW)
    with pytest.raises(InputError) as caught:
        declared(folder)
    (problem,) = caught.value.problems
    assert (problem.path, problem.row, problem.field) == ("decisions.csv", 2, "tied")
    assert "no tie is left to the commission" in problem.message
