"""Issue 25, item 2, the last words: the place of a duplicate protocol, the default central commission, the
counts the adapters refuse with, the tie's votes and the readers' counted problems, each said in kk, ru and en.

Every expected sentence below is written by hand from the grammar, never read from the code: Russian puts a
noun after a number in one of three forms (1 участок, 2 участка, 5 участков, 21 участок; after «по»: по 1
голосу, по 2 голоса, по 5 голосов; after «на»: на 1 участке, на 2 участках), Kazakh keeps the noun singular
after any number (5 учаске, 21 дауыс); kk and ru group digits with a no-break space (1 234), English with a
comma (1,234).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from saylau.composition import Decision, DistrictStatus
from saylau.errors import Count, InputError, Phrase, Problem
from saylau.io.day import AT_STATIONS, LISTS_STATIONS, NOT_ONE_ROOT, OUTSIDE_PARENT, REGISTER_STATIONS
from saylau.io.protocols import MORE_UNKNOWN
from saylau.reports.checks import detail
from saylau.reports.day import commission_name
from saylau.reports.i18n import words
from saylau.reports.phrases import decision
from saylau.reports.problems import problem_line, said
from saylau.reports.view import CandidateRow, DistrictRow
from saylau.tabulation import check
from saylau.tabulation.checks import Code
from saylau.tabulation.fast import AT_MOST_OPTIONS, AT_MOST_PROTOCOLS, TOO_WIDE
from tests.unit.test_protocol_checks import STATIONS, clean, small_election

NBSP = "\xa0"

# -- the place of a duplicate protocol (W005, P007) --------------------------------------------------------


def test_a_typed_in_duplicate_carries_its_station_as_a_number_not_a_sentence() -> None:
    (w005,) = check([clean(station=2), clean(station=2)], small_election(), STATIONS)
    assert w005.code is Code.W005 and dict(w005.figures) == {"station": 2}
    assert detail(w005) == "same figures as another protocol of station 2"
    assert detail(w005, "ru") == "те же цифры, что и в другом протоколе участка № 2"
    assert detail(w005, "kk") == "№2 учаскенің басқа хаттамасымен сандары бірдей"


@pytest.mark.parametrize(
    ("copies", "en", "ru"),
    [
        (1, "differs from 1 other protocol of station 3", "расходится с 1 другим протоколом участка № 3"),
        (2, "differs from 2 other protocols of station 3", "расходится с 2 другими протоколами участка № 3"),
        (5, "differs from 5 other protocols of station 3", "расходится с 5 другими протоколами участка № 3"),
    ],
)
def test_a_typed_in_conflict_counts_the_other_copies(copies: int, en: str, ru: str) -> None:
    protocols = [
        clean(station=3, district=2, invalid=10 + k, votes={"A": 370 - k, "B": 200}) for k in range(copies + 1)
    ]
    findings = [f for f in check(protocols, small_election(), STATIONS) if f.code is Code.P007]
    assert len(findings) == copies + 1
    assert dict(findings[0].figures) == {"station": 3, "copies": copies}
    assert detail(findings[0]) == en
    assert detail(findings[0], "ru") == ru
    assert detail(findings[0], "kk") == f"№3 учаскенің басқа {copies} хаттамасынан өзгеше"


def test_a_duplicate_read_from_files_is_named_by_its_place() -> None:
    first, second = clean(source="a.csv", row=2), clean(source="b.csv", row=7)
    (w005,) = check([first, second], small_election(), STATIONS)
    assert dict(w005.figures) == {"first": "a.csv:2"}
    assert detail(w005, "ru") == "те же цифры, что и: a.csv:2"
    differing = clean(source="b.csv", row=7, invalid=11, votes={"A": 369, "B": 200})
    p007 = check([first, differing], small_election(), STATIONS)
    assert [dict(f.figures) for f in p007] == [{"others": "b.csv:7"}, {"others": "a.csv:2"}]


# -- the central commission of a day folder without commissions.csv -----------------------------------------


EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize(
    ("lang", "name"),
    [
        ("en", "Central Election Commission"),
        ("kk", "Орталық сайлау комиссиясы"),
        ("ru", "Центральная избирательная комиссия"),
    ],
)
def test_a_day_without_commissions_csv_names_its_central_commission_in_the_readers_language(
    tmp_path: Path, lang: str, name: str
) -> None:
    from saylau.io.day import load_day

    for folder in ("almaty-2023-day", "almaty-2023", "almaty-2021"):
        shutil.copytree(EXAMPLES / folder, tmp_path / folder)
    (tmp_path / "almaty-2023-day" / "commissions.csv").unlink()
    day = load_day(tmp_path / "almaty-2023-day", count_protocols=False)
    (central,) = day.commissions.values()
    assert isinstance(central.name, Phrase) and central.name.template == "Central Election Commission"
    assert central.name == "Central Election Commission"  # the data (the store, a backup) keep the English
    assert commission_name(central.name, lang) == name
    assert commission_name(str(central.name), lang) == name  # as the service reads it back from its store
    assert commission_name("Almaty territorial electoral commission", lang) == "Almaty territorial electoral commission"


# -- counts the adapters refuse with, grouped as the reader writes them ----------------------------------------


def _grouped(lang: str, digits: str) -> str:
    """`1234567` as a reader of `lang` groups it: 1,234,567 or 1 234 567 (no-break spaces)."""
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return ("," if lang == "en" else NBSP).join(groups)


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
def test_the_services_limits_are_grouped_as_the_reader_writes_them(lang: str) -> None:
    from saylau.service.errors import Invalid
    from saylau.service.protocols import _number
    from saylau.web.bounds import clerk_number, localized, validation_message

    with pytest.raises(Invalid) as refused:
        clerk_number("99999999999", "found", 1234)
    assert _grouped(lang, "1234") in localized(refused.value, lang)
    with pytest.raises(Invalid) as refused:
        _number(10**9 + 1, "found")
    assert _grouped(lang, "1000000000") in localized(refused.value, lang)
    error: dict[str, Any] = {"type": "less_than_equal", "loc": ("body", "found"), "ctx": {"le": 2147483647}}
    assert _grouped(lang, "2147483647") in validation_message(error, lang)[1]


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
def test_the_readers_limits_are_grouped_as_the_reader_writes_them(lang: str) -> None:
    from saylau.cli.quick import _contestants
    from saylau.web.observers import _not_utf8

    with pytest.raises(InputError) as refused:
        _contestants([f"P{k}=1" for k in range(1001)])
    assert _grouped(lang, "1000") in problem_line(refused.value.problems[0], lang)
    error = UnicodeDecodeError("utf-8", b"x" * 5000, 1233, 1234, "invalid start byte")
    assert _grouped(lang, "1234") in problem_line(_not_utf8(error), lang)


# -- the tie's votes, counted ----------------------------------------------------------------------------------


def _tie(votes: int, kind: Decision) -> DistrictRow:
    ann, bob = CandidateRow("Ann", None, None, votes), CandidateRow("Bob", None, None, votes)
    return DistrictRow(
        1,
        "",
        DistrictStatus.TIE_UNDECIDED,
        kind,
        None,
        None,
        None,
        None,
        None,
        votes,
        (ann, bob),
        ("Ann", "Bob"),
        7,
        None,
    )


@pytest.mark.parametrize(
    ("votes", "en", "kk", "ru"),
    [
        (1, "1 vote", "1 дауыс", "по 1 голосу"),
        (2, "2 votes", "2 дауыс", "по 2 голоса"),
        (5, "5 votes", "5 дауыс", "по 5 голосов"),
        (21, "21 votes", "21 дауыс", "по 21 голосу"),
        (1234, "1,234 votes", f"1{NBSP}234 дауыс", f"по 1{NBSP}234 голоса"),
    ],
)
def test_a_tie_counts_its_votes(votes: int, en: str, kk: str, ru: str) -> None:
    row = _tie(votes, Decision.TIE)
    assert decision(row, words("en")) == f"tie at {en} between Ann, Bob: the commission must decide"
    assert decision(row, words("ru")) == f"равенство голосов между Ann, Bob ({ru}): решает комиссия"
    assert decision(row, words("kk")) == f"Ann, Bob арасында дауыстар тең (әрқайсысында {kk}): комиссия шешеді"
    drawn = decision(_tie(votes, Decision.LOT), words("ru"))
    assert drawn == f"равенство голосов между Ann, Bob ({ru}); жеребьёвка (начальное число 7)"
    last = decision(_tie(votes, Decision.TIE_LAST_SEAT), words("en"))
    assert last == f"tie at {en} for the last seat between Ann, Bob: the commission must decide"
    held = decision(_tie(votes, Decision.DRAWN), words("ru"))
    assert held == f"равенство голосов между Ann, Bob ({ru}): решено жеребьёвкой, проведённой комиссией"


# -- the readers' counted problems ----------------------------------------------------------------------------

RU_STATIONS = {1: "1 участок", 2: "2 участка", 5: "5 участков", 21: "21 участок", 1234: f"1{NBSP}234 участка"}
RU_AT = {
    1: "на 1 участке",
    2: "на 2 участках",
    5: "на 5 участках",
    21: "на 21 участке",
    1234: f"на 1{NBSP}234 участках",
}
EN = {1: "1 station", 2: "2 stations", 5: "5 stations", 21: "21 stations", 1234: "1,234 stations"}
KK = {1: "1", 2: "2", 5: "5", 21: "21", 1234: f"1{NBSP}234"}


@pytest.mark.parametrize("n", [1, 2, 5, 21, 1234])
def test_a_contests_register_and_the_days_count_are_counted(n: int) -> None:
    lists, at = Phrase(*LISTS_STATIONS, n=Count(n)), Phrase(*AT_STATIONS, n=Count(n))
    message = Phrase(REGISTER_STATIONS, contest="majilis", listed=lists, counted=at)
    assert said(message, "en") == f"majilis/stations.csv lists {EN[n]}, the day counts the contest at {EN[n]}"
    assert said(message, "ru") == (
        f"majilis/stations.csv содержит {RU_STATIONS[n]}, а по таблицам дня выборов голоса считаются {RU_AT[n]}"
    )
    assert said(message, "kk") == (
        f"majilis/stations.csv тізімінде {KK[n]} учаске, ал күннің кестелері бойынша сайлау {KK[n]} учаскеде саналады"
    )
    outside = Phrase(*OUTSIDE_PARENT, n=Count(n), parent="cec", station=101)
    verb = "лежит" if n in (1, 21) else "лежат"
    assert (
        said(outside, "ru")
        == f"{RU_STATIONS[n]} этой комиссии {verb} вне вышестоящей комиссии cec (первый — участок 101)"
    )
    assert said(outside, "en").startswith(f"{EN[n]} of this commission {'lies' if n == 1 else 'lie'} outside")


@pytest.mark.parametrize(
    ("n", "ru"),
    [
        (1, "в дереве 1 комиссия без вышестоящей"),
        (2, "в дереве 2 комиссии без вышестоящей"),
        (5, "в дереве 5 комиссий без вышестоящей"),
        (21, "в дереве 21 комиссия без вышестоящей"),
        (0, "в дереве 0 комиссий без вышестоящей"),
    ],
)
def test_the_roots_of_a_tree_are_counted(n: int, ru: str) -> None:
    assert said(Phrase(*NOT_ONE_ROOT, n=Count(n)), "ru") == f"{ru}; должна быть ровно одна"
    english = "commission" if n == 1 else "commissions"
    assert (
        said(Phrase(*NOT_ONE_ROOT, n=Count(n)), "en")
        == f"the tree has {n} {english} without a parent; it needs exactly one"
    )


@pytest.mark.parametrize(
    ("n", "en", "ru"),
    [
        (1, "and 1 more empty `vote:` column names", "и ещё 1 пустой столбец `vote:` не называет"),
        (2, "and 2 more empty `vote:` columns name", "и ещё 2 пустых столбца `vote:` не называют"),
        (5, "and 5 more empty `vote:` columns name", "и ещё 5 пустых столбцов `vote:` не называют"),
        (21, "and 21 more empty `vote:` columns name", "и ещё 21 пустой столбец `vote:` не называет"),
        (1234, "and 1,234 more empty `vote:` columns name", f"и ещё 1{NBSP}234 пустых столбца `vote:` не называют"),
    ],
)
def test_the_empty_columns_left_unnamed_are_counted(n: int, en: str, ru: str) -> None:
    problem = Problem(Phrase(*MORE_UNKNOWN, n=Count(n)), "protocols/a.csv", 1, "vote:X", "unknown-option")
    assert problem_line(problem) == f"protocols/a.csv:1 [vote:X]: {en} no party or district candidate"
    assert problem_line(problem, "ru") == f"protocols/a.csv:1 [vote:X]: {ru} ни партию, ни кандидата округа"


def test_the_column_readers_bounds_are_counted() -> None:
    options, rows = Phrase(*AT_MOST_OPTIONS, n=Count(21)), Phrase(*AT_MOST_PROTOCOLS, n=Count(1234))
    message = Phrase(TOO_WIDE, options=options, rows=rows)
    assert said(message, "en") == "at most 21 options and at most 1,234 protocols"
    assert said(message, "ru") == f"не более 21 варианта и не более 1{NBSP}234 протоколов"
    assert said(message, "kk") == f"ең көбі 21 нұсқа және ең көбі 1{NBSP}234 хаттама"
    small = Phrase(TOO_WIDE, options=Phrase(*AT_MOST_OPTIONS, n=Count(2)), rows=Phrase(*AT_MOST_PROTOCOLS, n=Count(1)))
    assert said(small, "ru") == "не более 2 вариантов и не более 1 протокола"


# -- the same words from the readers themselves --------------------------------------------------------------


def test_the_column_reader_refuses_beyond_its_bounds_with_counted_phrases() -> None:
    from types import SimpleNamespace

    import numpy as np

    from saylau.tabulation.fast import MAX_OPTIONS, MAX_ROWS, _check_bounds

    with pytest.raises(InputError) as refused:
        _check_bounds(SimpleNamespace(votes=np.zeros(3)))  # type: ignore[arg-type]
    (problem,) = refused.value.problems
    options, rows = _grouped("ru", str(MAX_OPTIONS)), _grouped("ru", str(MAX_ROWS))
    assert str(MAX_OPTIONS)[-1] == "0" and str(MAX_ROWS)[-2:] == "01"  # 5+ form; 1, not 11: the form of 21
    assert problem_line(problem, "ru") == f"[votes]: не более {options} вариантов и не более {rows} протокола"
    options, rows = _grouped("en", str(MAX_OPTIONS)), _grouped("en", str(MAX_ROWS))
    assert problem_line(problem) == f"[votes]: at most {options} options and at most {rows} protocols"


def test_the_protocol_reader_counts_the_empty_columns_it_does_not_name(tmp_path: Path) -> None:
    from saylau.io.protocols import unknown_options

    columns = [f"vote:X{k}" for k in range(25)]
    path = tmp_path / "p.csv"
    path.write_text("station," + ",".join(columns) + "\n1" + "," * len(columns) + "\n", encoding="utf-8")
    (problem,) = unknown_options([path], small_election())
    assert problem_line(problem, "ru") == (
        f"{path}:1 [vote:X0]: и ещё 24 пустых столбца `vote:` не называют ни партию, ни кандидата округа"
    )
    assert (
        problem_line(problem)
        == f"{path}:1 [vote:X0]: and 24 more empty `vote:` columns name no party or district candidate"
    )


def test_the_day_reader_counts_a_contests_register_against_the_days(tmp_path: Path) -> None:
    from saylau.io.day import load_day

    for folder in ("almaty-2023-day", "almaty-2023", "almaty-2021"):
        shutil.copytree(EXAMPLES / folder, tmp_path / folder)
    register = tmp_path / "almaty-2023" / "stations.csv"
    lines = register.read_text(encoding="utf-8").splitlines(keepends=True)
    register.write_text("".join(lines[:-1]), encoding="utf-8")  # one station fewer than the day counts it at
    with pytest.raises(InputError) as refused:
        load_day(tmp_path / "almaty-2023-day", count_protocols=False)
    said_ru = [problem_line(p, "ru") for p in refused.value.problems]
    said_en = [problem_line(p) for p in refused.value.problems]
    assert any("содержит 552 участка, а по таблицам дня выборов голоса считаются на 553 участках" in s for s in said_ru)
    assert any("lists 552 stations, the day counts the contest at 553 stations" in s for s in said_en), said_en


@pytest.mark.parametrize(
    ("row", "en", "ru", "kk"),
    [
        (
            "1",
            "has 1 cell but the header has 3 columns: the row is cut short",
            "в строке 1 ячейка, а в заголовке 3 столбца: строка обрезана",
            "жолда 1 ұяшық, ал тақырыпта 3 баған: жол қысқарып қалған",
        ),
        (
            "1,2,3,4,5",
            "has 5 cells but the header has 3 columns (a comma in a value needs quotes)",
            "в строке 5 ячеек, а в заголовке 3 столбца (запятую в значении нужно заключить в кавычки)",
            "жолда 5 ұяшық, ал тақырыпта 3 баған (мәндегі үтір тырнақшаға алынуы керек)",
        ),
        (
            ",".join(["1"] * 22),
            "has 22 cells but the header has 3 columns (a comma in a value needs quotes)",
            "в строке 22 ячейки, а в заголовке 3 столбца (запятую в значении нужно заключить в кавычки)",
            "жолда 22 ұяшық, ал тақырыпта 3 баған (мәндегі үтір тырнақшаға алынуы керек)",
        ),
    ],
)
def test_a_rows_width_against_its_header_is_counted(tmp_path: Path, row: str, en: str, ru: str, kk: str) -> None:
    from saylau.io.table import Problems, read_table

    (tmp_path / "t.csv").write_text(f"a,b,c\n{row}\n", encoding="utf-8")
    problems = Problems()
    assert list(read_table(tmp_path, "t.csv", ("a", "b", "c"), problems)) == []
    (problem,) = problems.items
    assert (problem.path, problem.row) == ("t.csv", 2)
    assert [problem_line(problem, lang).split("]: ", 1)[1] for lang in ("en", "ru", "kk")] == [en, ru, kk]
