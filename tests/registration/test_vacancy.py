"""Vacancies over the term: a list seat to the next eligible candidate of the list (or the party's new
designation), a district seat to a by-election; the folder's vacancies.csv keeps the council true.

The small folder elects A's No. 1 Nurlan Abenov and B's No. 1 Marat Ospanov by list, Bolat Zhaksylykov
(district 1) and Serik Nurgaliev (district 2)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from saylau.composition import compose
from saylau.errors import InputError
from saylau.io import load_election
from saylau.io.vacancies import read_vacancies
from saylau.registration.vacancy import (
    Filling,
    PassedOver,
    Refused,
    Vacancy,
    VacancyOutcome,
    VacancyRefusal,
    fill_vacancy,
    term,
)
from tests.integration.test_almaty_2023 import run_saylau
from tests.registration.small import base_lists, make_folder

DAY = date(2024, 1, 10)


def _fill(
    folder: Path, deputy: str, history: tuple[Vacancy, ...] = (), designated: str | None = None
) -> VacancyOutcome | VacancyRefusal:
    election = load_election(folder)
    now = term(election, compose(election).deputies, history)
    return fill_vacancy(election, now, deputy, DAY, designated=designated)


def test_next_eligible_passes_over_a_withdrawn_candidate(tmp_path: Path) -> None:
    rows = base_lists()
    rows[1]["withdrawn"] = "2023-03-25"  # A's No. 2, Aru Seitova
    outcome = _fill(make_folder(tmp_path / "f", lists=rows), "Nurlan Abenov")
    assert isinstance(outcome, VacancyOutcome)
    assert outcome.filling is Filling.NEXT_ON_LIST
    assert outcome.successor is not None
    assert (outcome.successor.name, outcome.successor.list_position) == ("Dias Omarov", 3)
    assert outcome.passed_over == (("Aru Seitova", 2, PassedOver.WITHDRAWN),)


def test_next_eligible_passes_over_a_sitting_district_deputy(tmp_path: Path) -> None:
    """Bolat Zhaksylykov won district 1 and is A's No. 2 (dual candidacy): he is passed over as sitting."""
    rows = base_lists()
    rows[1].update(candidate="Bolat Zhaksylykov", date_of_birth="1972-02-02")
    outcome = _fill(make_folder(tmp_path / "f", lists=rows), "Nurlan Abenov")
    assert isinstance(outcome, VacancyOutcome)
    assert outcome.successor is not None and outcome.successor.name == "Dias Omarov"
    assert outcome.passed_over == (("Bolat Zhaksylykov", 2, PassedOver.SITTING),)


def test_a_deputy_who_left_does_not_come_back(tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "f")
    first = Vacancy("Marat Ospanov", DAY, Filling.NEXT_ON_LIST, "Saule Akhmetova", "B")
    outcome = _fill(folder, "Saule Akhmetova", (first,))
    assert isinstance(outcome, VacancyOutcome)
    assert outcome.successor is not None and outcome.successor.name == "Timur Serikov"
    assert outcome.passed_over == (("Marat Ospanov", 1, PassedOver.LEFT),)


def test_an_exhausted_list_leaves_the_seat_open(tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "f")
    history = (
        Vacancy("Marat Ospanov", DAY, Filling.NEXT_ON_LIST, "Saule Akhmetova", "B"),
        Vacancy("Saule Akhmetova", DAY, Filling.NEXT_ON_LIST, "Timur Serikov", "B"),
    )
    outcome = _fill(folder, "Timur Serikov", history)
    assert isinstance(outcome, VacancyOutcome)
    assert (outcome.filling, outcome.successor) == (Filling.LIST_EXHAUSTED, None)


def test_the_partys_new_designation(tmp_path: Path) -> None:
    outcome = _fill(make_folder(tmp_path / "f"), "Nurlan Abenov", designated="Dana Li")
    assert isinstance(outcome, VacancyOutcome)
    assert outcome.filling is Filling.DESIGNATED
    assert outcome.successor is not None
    assert (outcome.successor.name, outcome.successor.list_position) == ("Dana Li", 4)


@pytest.mark.parametrize(
    ("deputy", "designated", "reason"),
    [
        ("Nobody", None, Refused.NOT_SITTING),
        ("Nurlan Abenov", "Saule Akhmetova", Refused.NOT_ON_LIST),  # B's list, not A's
        ("Nurlan Abenov", "Nurlan Abenov", Refused.NOT_ELIGIBLE),
    ],
)
def test_refused(tmp_path: Path, deputy: str, designated: str | None, reason: Refused) -> None:
    outcome = _fill(make_folder(tmp_path / "f"), deputy, designated=designated)
    assert isinstance(outcome, VacancyRefusal)
    assert outcome.reason is reason


def test_a_district_seat_goes_to_a_by_election_and_its_winner_sits(tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "f")
    outcome = _fill(folder, "Bolat Zhaksylykov")
    assert isinstance(outcome, VacancyOutcome)
    assert (outcome.filling, outcome.successor) == (Filling.BY_ELECTION, None)
    election = load_election(folder)
    pending = term(election, compose(election).deputies, (outcome.record,))
    assert [d.district for d in pending.open_seats] == [1]
    held = Vacancy("Bolat Zhaksylykov", DAY, Filling.BY_ELECTION, "Asel Nurova", None)
    after = term(election, compose(election).deputies, (held,))
    assert ("Asel Nurova", None, 1) in {(d.name, d.party, d.district) for d in after.sitting}
    assert after.open_seats == ()


def test_the_command_shows_why_and_records_it(tmp_path: Path) -> None:
    rows = base_lists()
    rows[1]["withdrawn"] = "2023-03-25"
    folder = make_folder(tmp_path / "f", lists=rows)
    done = run_saylau("vacancy", str(folder), "--deputy", "Nurlan Abenov", "--date", "2024-01-10")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "Nurlan Abenov (A list No. 1) leaves the council on 2024-01-10.",
        "The seat goes to Dias Omarov, No. 3 on the list of A: the next eligible candidate of the list.",
        "Passed over: Aru Seitova (No. 2), withdrawn.",
        "Recorded in vacancies.csv (row 2).",
    ]
    assert (folder / "vacancies.csv").read_text(encoding="utf-8").splitlines() == [
        "date,deputy,filling,successor,successor_party,source",
        "2024-01-10,Nurlan Abenov,next-on-list,Dias Omarov,A,",
    ]
    again = run_saylau("vacancy", str(folder), "--deputy", "Nurlan Abenov", "--date", "2024-02-01")
    assert again.returncode == 2
    assert "error: [deputy]: 'Nurlan Abenov' is not a sitting deputy" in again.stderr
    earlier = run_saylau("vacancy", str(folder), "--deputy", "Dias Omarov", "--date", "2024-01-01", "--dry-run")
    assert earlier.returncode == 2
    assert "before the last recorded vacancy (2024-01-10)" in earlier.stderr


def test_a_record_naming_no_sitting_deputy_is_refused_with_its_row(tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "f")
    (folder / "vacancies.csv").write_text(
        "date,deputy,filling\n2024-01-10,Nurlan Abenov,next-on-list\n2024-02-10,Nurlan Abenov,next-on-list\n",
        encoding="utf-8",
    )
    election = load_election(folder)
    with pytest.raises(InputError) as error:
        read_vacancies(folder, election, compose(election).deputies)
    assert [str(p) for p in error.value.problems] == [
        "vacancies.csv:3 [deputy]: 'Nurlan Abenov' is not a sitting deputy at this point of the term"
    ]


def test_the_command_without_a_deputy_shows_the_council_now(tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "f")
    (folder / "vacancies.csv").write_text(
        "date,deputy,filling,successor\n2024-01-10,Bolat Zhaksylykov,by-election,\n", encoding="utf-8"
    )
    done = run_saylau("vacancy", str(folder))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "1 vacancy recorded; 3 deputies sitting, 1 seat open.",
        "  Serik Nurgaliev (district 2, B)",
        "  Nurlan Abenov (A list No. 1)",
        "  Marat Ospanov (B list No. 1)",
        "  open: district 1, left by Bolat Zhaksylykov",
    ]


@pytest.mark.parametrize(
    ("reason", "ru", "kk"),
    [
        (
            Refused.NOT_SITTING,
            "[deputy]: 'Айгүл' не является действующим депутатом",
            "[deputy]: 'Айгүл' қазір депутат емес",
        ),
        (
            Refused.BEFORE_ELECTION,
            "[date]: дата раньше дня голосования (2023-03-19)",
            "[date]: күн сайлау күнінен (2023-03-19) бұрын",
        ),
        (
            Refused.NOT_ON_LIST,
            "[successor]: 'Айгүл' нет в списке партии",
            "[successor]: 'Айгүл' партияның тізімінде жоқ",
        ),
    ],
)
def test_a_refused_vacancy_is_said_in_kazakh_and_russian(reason: Refused, ru: str, kk: str) -> None:
    """saylau vacancy's refusals are msgids with the name or the date (issue 25), said as the CLI says them."""
    from saylau.reports.problems import problem_line
    from saylau.reports.vacancy import refusal_problem

    problem = refusal_problem(VacancyRefusal(reason, "Айгүл", date(2023, 3, 19)))
    assert (problem_line(problem, "ru"), problem_line(problem, "kk")) == (ru, kk)
    assert "'Айгүл'" in str(problem) or "2023-03-19" in str(problem)
