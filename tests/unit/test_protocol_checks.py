"""Each control relation of a protocol (saylau.tabulation.checks): a protocol that breaks exactly one rule
gets exactly that rule's code, and a clean protocol gets none."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from typing import Any

import pytest

from saylau.domain import Body, Candidate, District, Election, Party, Results
from saylau.reports.checks import clerk, describe
from saylau.rules import resolve_system
from saylau.tabulation import CATALOGUE, CHECKS, CheckSettings, Protocol, Station, check

STATIONS = (Station(1, 1, 1000), Station(2, 1, 1000), Station(3, 2, 1000))


def small_election() -> Election:
    """Two parties (A, B) on the list ballot; districts 1 (Ann, Bob) and 2 (Cat, Dan); 4 seats."""
    return Election(
        name="Small",
        body=Body("Small council", 4),
        system=resolve_system("kazakhstan-2023-maslihat", {}, list_seats=2, has_districts=True),
        parties=(Party("A", "Party A", 1), Party("B", "Party B", 2)),
        lists={},
        districts=(
            District(1, (Candidate("Ann", "A"), Candidate("Bob", "B"))),
            District(2, (Candidate("Cat", "A"), Candidate("Dan"))),
        ),
        results=Results(),
    )


def clean(station: int = 1, **changes: Any) -> Protocol:
    """A list-ballot protocol that keeps every relation.

    registered 1000, received floor(1000 x 1.01) = 1010 = issued 600 + cancelled 410;
    found 600 = A 370 + B 200 + against all 20 + invalid 10; turnout 60%, invalid 1.7%.
    """
    protocol = Protocol(
        station=station,
        district=1,
        ballot="list",
        registered=1000,
        received=1010,
        issued=600,
        issued_absentee=5,
        issued_outside=10,
        cancelled=410,
        found=600,
        invalid=10,
        against_all=20,
        votes={"A": 370, "B": 200},
    )
    return replace(protocol, **changes)


def codes(*protocols: Protocol) -> list[str]:
    return [f.code for f in check(protocols, small_election(), STATIONS)]


def test_a_clean_protocol_has_no_finding() -> None:
    assert codes(clean()) == []
    assert codes(clean(ballot="district", votes={"Ann": 370, "Bob": 200})) == []


BROKEN: list[tuple[str, tuple[Protocol, ...]]] = [
    ("P001", (clean(found=601),)),
    ("P002", (clean(issued=1011, cancelled=0),)),
    ("P003", (clean(cancelled=409),)),
    ("P004", (clean(votes={"A": 370, "X": 200}),)),
    ("P004", (clean(ballot="district", votes={"Ann": 370, "Cat": 200}),)),
    ("P005", (clean(district=2),)),
    ("P006", (clean(issued_absentee=-5),)),
    ("P006", (clean(issued_outside=0, malformed={"issued_outside": "ten"}),)),
    ("P007", (clean(), clean(votes={"A": 369, "B": 200}, invalid=11))),
    ("P008", (clean(issued_absentee=300, issued_outside=301),)),
    ("P009", (clean(station=99),)),
    ("P009", (clean(ballot="district", district=3, votes={"Ann": 370, "Bob": 200}, station=4),)),
    # found 1011 = A 781 + B 200 + 20 + 10 > received 1010 = issued 1010 + cancelled 0: not W001 as well
    ("P010", (clean(found=1011, issued=1010, cancelled=0, votes={"A": 781, "B": 200}),)),
    # found 1005 > registered 1000, within received 1010 = issued 1005 + cancelled 5
    ("W001", (clean(found=1005, issued=1005, cancelled=5, votes={"A": 775, "B": 200}),)),
    # registered 620: received 626 = 600 + 26; turnout 600/620 = 96.8% > 95%
    ("W002", (clean(registered=620, received=626, cancelled=26),)),
    # invalid 70/600 = 11.7% > 10%
    ("W003", (clean(invalid=70, votes={"A": 310, "B": 200}),)),
    ("W004", (clean(received=1011, cancelled=411),)),
    ("W005", (clean(), clean())),
]


@pytest.mark.parametrize(("code", "protocols"), BROKEN, ids=[f"{c}-{i}" for i, (c, _) in enumerate(BROKEN)])
def test_breaking_one_rule_gives_exactly_its_code(code: str, protocols: tuple[Protocol, ...]) -> None:
    found = check(protocols, small_election(), STATIONS)
    assert {f.code for f in found} == {code}
    assert all(f.severity == CATALOGUE[code].severity for f in found)


def test_every_catalogued_code_is_tested() -> None:
    assert {c.code for c in CHECKS} == {code for code, _ in BROKEN}


def test_codes_are_unique_and_stable_in_form() -> None:
    assert len({c.code for c in CHECKS}) == len(CHECKS)
    assert all((c.code[0] == "P") == (c.severity == "error") for c in CHECKS)


def test_conflicting_duplicates_flag_every_copy() -> None:
    found = check([clean(), clean(invalid=11, votes={"A": 369, "B": 200})], small_election(), STATIONS)
    assert [(f.code, f.station) for f in found] == [("P007", 1), ("P007", 1)]


def test_the_finding_names_station_ballot_field_and_figures() -> None:
    (finding,) = check([clean(found=601)], small_election(), STATIONS)
    assert (finding.station, finding.ballot, finding.field) == (1, "list", "found")
    assert "601" in describe(finding) and "600" in describe(finding)
    assert clerk(finding.code)


def test_thresholds_are_settings() -> None:
    settings = CheckSettings(reserve=Fraction(2, 100), high_turnout=Fraction(1, 2), high_invalid=Fraction(1, 100))
    found = {f.code for f in check([clean()], small_election(), STATIONS, settings)}
    assert found == {"W002", "W003", "W004"}
    assert codes(clean(received=1011, cancelled=411)) == ["W004"]
    no_reserve = CheckSettings(reserve=None)
    assert check([clean(received=1011, cancelled=411)], small_election(), STATIONS, no_reserve) == []


def test_without_election_or_register_only_the_protocol_itself_is_checked() -> None:
    assert [f.code for f in check([clean(station=99, votes={"X": 370, "B": 200})])] == []
