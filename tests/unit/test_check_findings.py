"""Checks as data: a finding carries its code (an enum), every line of the failing relation and both sides
in figures; its words come from the catalogues (saylau.reports.checks) in kk, ru and en.

Figures are worked by hand from the protocols below (registered 1000, received 1010 = floor(1000 x 1.01)).
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from saylau.reports.checks import clerk, describe, detail, for_clerk, public, title
from saylau.reports.i18n import recording_misses
from saylau.tabulation import CheckSettings, Protocol, Station, check
from saylau.tabulation.checks import CHECKS, FIGURES_OF, Code
from tests.unit.test_protocol_checks import BROKEN, STATIONS, clean, small_election

LANGS = ("kk", "ru")


def test_codes_are_an_enum_that_reads_as_the_stable_code() -> None:
    assert [c.value for c in Code] == [f"P{n:03}" for n in range(1, 11)] + [f"W{n:03}" for n in range(1, 6)]
    assert Code.P001 == "P001" and f"{Code.W004}" == "W004"
    assert [c.code for c in CHECKS] == list(Code)


def test_p001_involves_every_line_of_the_relation() -> None:
    (finding,) = check([clean(found=601)], small_election(), STATIONS)
    assert finding.code is Code.P001
    assert finding.fields == ("found", "vote:A", "vote:B", "against_all", "invalid")
    assert dict(finding.figures) == {"found": 601, "counted": 600}  # 370 + 200 + 20 + 10


def test_w004_carries_both_sides_and_the_reserve() -> None:
    # registered 1901: floor(1901 x 1.01) = floor(1920.01) = 1920; received 1919 differs
    protocol = clean(registered=1901, received=1919, cancelled=1319)
    (finding,) = check([protocol], small_election(), [Station(1, 1, 1901)])
    assert finding.code is Code.W004 and finding.fields == ("received", "registered")
    assert dict(finding.figures) == {
        "received": 1919,
        "expected": 1920,
        "registered": 1901,
        "reserve": Fraction(1, 100),
    }
    assert detail(finding) == "received 1919, expected 1920 for 1901 registered"
    assert detail(finding, "ru") == "получено 1919, ожидалось 1920 (в списках 1901)"


def test_p007_names_the_lines_on_which_the_copies_differ() -> None:
    found = check([clean(), clean(invalid=11, votes={"A": 369, "B": 200})], small_election(), STATIONS)
    assert [f.fields for f in found] == [("invalid", "vote:A")] * 2
    assert [f.field for f in found] == [None, None]


@pytest.mark.parametrize(("code", "protocols"), BROKEN, ids=[f"{c}-{i}" for i, (c, _) in enumerate(BROKEN)])
def test_every_finding_is_data_said_in_every_language(code: str, protocols: tuple[Protocol, ...]) -> None:
    for finding in check(protocols, small_election(), STATIONS):
        assert set(finding.figures) <= set(FIGURES_OF[finding.code]) and finding.figures
        assert finding.field is None or finding.field in finding.fields
        with recording_misses() as misses:
            said = {lang: (describe(finding, lang), for_clerk(finding, lang), public(code, lang)) for lang in LANGS}
        assert misses == set(), f"{code}: untranslated {misses}"
        english = describe(finding)
        assert said["kk"][0] != english and said["ru"][0] != english
        for figure in finding.figures.values():  # every count the English names, every language names
            if isinstance(figure, int) and f" {figure}" in english:
                assert all(any(f"{c}{figure}" in text[0] for c in " №") for text in said.values())


def test_the_words_of_each_code_are_the_catalogues() -> None:
    assert clerk(Code.P002, "ru") == "Нельзя выдать больше бюллетеней, чем получено."
    assert title("P001") == "found in boxes != votes + against all + invalid"
    assert clerk("W005", "kk") != clerk("W005")


@pytest.mark.parametrize(
    ("supplied", "ru"),
    [(1021, "1021 бюллетень"), (1022, "1022 бюллетеня"), (1025, "1025 бюллетеней"), (1011, "1011 бюллетеней")],
)
def test_the_counted_phrase_takes_russians_plural_form(supplied: int, ru: str) -> None:
    # P010 against the register: found more than floor(registered x (1 + reserve)) ballots supplied;
    # reserve 0 makes supplied = the register's voters.
    station = Station(1, 1, supplied)
    protocol = clean(
        found=supplied + 1,
        received=supplied + 5,
        issued=supplied + 5,
        cancelled=0,
        registered=supplied,
        votes={"A": supplied + 1 - 230, "B": 200},
    )
    findings = check([protocol], small_election(), [station], CheckSettings(reserve=Fraction(0)))
    (p010,) = [f for f in findings if f.code is Code.P010]
    assert dict(p010.figures) == {"found": supplied + 1, "supplied": supplied}
    assert ru in detail(p010, "ru")
    assert detail(p010) == f"found {supplied + 1} > {supplied} ballots for the register's voters and the reserve"
