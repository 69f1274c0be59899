"""The optional registration columns: read when present, refused with file/row/field when malformed,
not needed by old folders; a withdrawn candidate or list takes no seat."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from saylau.composition import compose
from saylau.domain import Sex
from saylau.errors import InputError
from saylau.io import load_election
from saylau.registration import check_registration
from tests.conftest import EXAMPLES
from tests.registration.small import base_lists, make_folder


def test_almaty_2023_illustrative_particulars_pass() -> None:
    election = load_election(EXAMPLES / "almaty-2023", count_protocols=False)
    check = check_registration(election)
    assert check.refusals == ()
    assert check.unchecked == {}
    first = election.registration.on_list("Amanat")[0]
    assert (first.name, first.particulars.sex) == ("Zhansaya Abdumalik", Sex.FEMALE)


def test_almaty_2021_without_the_columns_loads_and_checks_nothing() -> None:
    election = load_election(EXAMPLES / "almaty-2021", count_protocols=False)
    assert check_registration(election).refusals == ()


def test_particulars_are_read(tmp_path: Path) -> None:
    rows = base_lists()
    rows[1].update(disability="yes", registered="2023-02-01", withdrawn="2023-02-20")
    registration = load_election(make_folder(tmp_path / "f", lists=rows)).registration
    aru = registration.on_list("A")[1]
    assert aru.particulars.date_of_birth == date(1990, 4, 2)
    assert (aru.particulars.disability, aru.particulars.registered, aru.withdrawn) == (True, date(2023, 2, 1), True)
    assert registration.withdrawn_from_list("A") == {"Aru Seitova"}


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("sex", "x", "lists.csv:3 [sex]: 'x' is not a sex: write f or m"),
        ("disability", "maybe", "lists.csv:3 [disability]: 'maybe' is neither yes nor no"),
        ("date_of_birth", "02.04.1990", "lists.csv:3 [date_of_birth]: '02.04.1990' is not a date (YYYY-MM-DD)"),
        (
            "withdrawn",
            "2023-01-01",
            "lists.csv:3 [withdrawn]: withdrawn on 2023-01-01 before being registered on 2023-02-01",
        ),
    ],
)
def test_a_malformed_particular_is_refused_with_its_place(
    tmp_path: Path, column: str, value: str, message: str
) -> None:
    rows = base_lists()
    rows[1].update(registered="2023-02-01")
    rows[1][column] = value
    with pytest.raises(InputError) as error:
        load_election(make_folder(tmp_path / "f", lists=rows))
    assert [str(p) for p in error.value.problems] == [message]


def _list_deputies(folder: Path) -> list[tuple[str | None, str | None]]:
    return [(d.party, d.name) for d in compose(load_election(folder)).deputies if d.district is None]


def test_a_withdrawn_list_candidate_takes_no_seat(tmp_path: Path) -> None:
    """A and B win one list seat each (see the small folder); A's No. 1 withdrew, so A's No. 2 takes it."""
    assert _list_deputies(make_folder(tmp_path / "before")) == [("A", "Nurlan Abenov"), ("B", "Marat Ospanov")]
    rows = base_lists()
    rows[0]["withdrawn"] = "2023-03-01"
    assert _list_deputies(make_folder(tmp_path / "after", lists=rows)) == [("A", "Aru Seitova"), ("B", "Marat Ospanov")]


def test_a_withdrawn_list_takes_no_seat(tmp_path: Path) -> None:
    """B's list withdrawn: A (300 votes) takes both list seats; B's votes stay on record."""
    folder = make_folder(tmp_path / "f", parties_extra={"B": {"list_withdrawn": "2023-03-10"}})
    composition = compose(load_election(folder))
    assert {p.party: p.list_seats for p in composition.parties} == {"A": 2, "B": 0}
    assert composition.party("B") is not None and composition.party("B").list_votes == 170  # type: ignore[union-attr]
