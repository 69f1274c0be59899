"""The election-day folder: contests sharing one station register, which stations count what, the commissions.

The figures checked come from the contest folders themselves loaded on their own (`load_election`), never from
the day loader: a day must count each contest exactly as the contest's folder counts on its own.
"""

from __future__ import annotations

import csv
import re
import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from saylau.domain import CommissionLevel, ElectionDay
from saylau.errors import InputError, Phrase, WordedProblem
from saylau.io import day as day_module
from saylau.io import load_election
from saylau.io.day import is_day, load_day
from saylau.reports.i18n import messages
from saylau.reports.problems import problem_line
from saylau.rules import KAZAKHSTAN_2023_DAY, resolve_system

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _write(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def _register() -> list[dict[str, str]]:
    with (EXAMPLES / "almaty-2023" / "stations.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def day(tmp_path: Path) -> Path:
    """Almaty's mäslihat beside the day (its own stations.csv), and a second contest inside the day that has no
    stations.csv: the same folder, so its count must equal the first's, through the day's register."""
    shutil.copytree(EXAMPLES / "almaty-2023", tmp_path / "almaty-2023")
    shutil.copytree(EXAMPLES / "almaty-2021", tmp_path / "almaty-2021")
    root = tmp_path / "day"
    root.mkdir()
    second = root / "second"
    shutil.copytree(EXAMPLES / "almaty-2023", second)
    (second / "stations.csv").unlink()
    toml = (second / "election.toml").read_text(encoding="utf-8")
    (second / "election.toml").write_text(re.sub(r"\[previous\][^\[]*", "", toml), encoding="utf-8")
    (root / "day.toml").write_text(
        'name = "Test day"\nname_kk = "Сынақ күні"\ndate = 2023-03-19\ncountry = "Kazakhstan"\n\n'
        '[[contests]]\nid = "almaty"\nfolder = "../almaty-2023"\nregions = ["Almaty"]\n\n'
        '[[contests]]\nid = "second"\nfolder = "second"\n',
        encoding="utf-8",
    )
    rows = _register()
    _write(
        root / "stations.csv",
        ["station", "registered", "region", "area", "district:almaty", "district:second", "source"],
        [[r["station"], r["registered"], "Almaty", "", r["district"], r["district"], "test"] for r in rows],
    )
    return root


def _commissions(root: Path, rows: list[list[object]]) -> None:
    _write(
        root / "commissions.csv",
        ["id", "level", "parent", "name", "name_kk", "region", "stations", "contest", "districts", "declares"],
        rows,
    )


TREE = [
    ["cec", "central", "", "Central Election Commission", "ОСК", "", "", "", "", "second"],
    ["almaty", "territorial", "cec", "Almaty City TEC", "", "Almaty", "", "", "", "almaty"],
    ["d1", "district", "almaty", "District 1 EC", "", "", "", "almaty", "1", ""],
    ["p101", "precinct", "d1", "Precinct 101", "", "", "101", "", "", ""],
]


def test_a_day_counts_each_contest_as_its_folder_does(day: Path) -> None:
    alone = load_election(EXAMPLES / "almaty-2023")
    loaded = load_day(day)
    assert [c.id for c in loaded.contests] == ["almaty", "second"]
    for contest in loaded.contests:
        results = contest.election.results
        assert results.list_tally == alone.results.list_tally
        assert results.district_tallies == alone.results.district_tallies
        assert results.progress == alone.results.progress
    assert loaded.contest("almaty") is not None and loaded.contest("almaty").election.previous is not None  # type: ignore[union-attr]
    assert loaded.date is not None and loaded.date.isoformat() == "2023-03-19"
    assert loaded.names == {"kk": "Сынақ күні"}


def test_stations_are_registered_once_and_count_every_contest(day: Path) -> None:
    loaded = load_day(day)
    rows = _register()
    assert len(loaded.stations) == len(rows)
    assert loaded.registered == sum(int(r["registered"]) for r in rows)
    assert [c.id for c in loaded.contests_at(101)] == ["almaty", "second"]
    assert loaded.stations[101].district("second") == int(rows[0]["district"])
    assert loaded.contests[0].ballots == ("list", "district")


def test_without_commissions_one_central_commission_declares_everything(day: Path) -> None:
    loaded = load_day(day)
    assert loaded.root is not None and loaded.root.level is CommissionLevel.CENTRAL
    assert loaded.declarer("almaty") == loaded.root and loaded.declarer("second") == loaded.root


def test_the_commission_tree_resolves_areas(day: Path) -> None:
    _commissions(day, TREE)
    loaded: ElectionDay = load_day(day)
    assert list(loaded.commissions) == ["cec", "almaty", "d1", "p101"]
    d1 = loaded.commission("d1")
    assert d1 is not None and d1.establishes("almaty", 1) and not d1.establishes("almaty", 2)
    district_1 = {int(r["station"]) for r in _register() if r["district"] == "1"}
    assert d1.stations == district_1
    assert loaded.district_commission("almaty", 1) == d1
    assert loaded.precinct(101) == loaded.commission("p101") and loaded.precinct(102) is None
    assert [c.id for c in loaded.ancestors("p101")] == ["d1", "almaty", "cec"]
    assert [c.id for c in loaded.children("cec")] == ["almaty"]
    assert loaded.declarer("almaty") == loaded.commission("almaty")
    assert loaded.commission("cec").names == {"kk": "ОСК"}  # type: ignore[union-attr]
    assert loaded.commission("almaty").covers(101)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("change", "row", "field", "words"),
    [
        (lambda t: [*t, ["p101", "precinct", "d1", "Again", "", "", "102", "", "", ""]], 6, "id", "listed twice"),
        (lambda t: [*t, ["x", "regional", "cec", "X", "", "", "101", "", "", ""]], 6, "level", "unknown level"),
        (
            lambda t: [*t, ["x", "precinct", "nobody", "X", "", "", "102", "", "", ""]],
            6,
            "parent",
            "unknown commission",
        ),
        (lambda t: [*t, ["x", "territorial", "d1", "X", "", "Almaty", "", "", "", ""]], 6, "parent", "cannot be under"),
        (lambda t: [*t, ["x", "precinct", "d1", "X", "", "", "201", "", "", ""]], 6, "stations", "outside its parent"),
        (
            lambda t: [*t, ["x", "precinct", "d1", "X", "", "", "99999", "", "", ""]],
            6,
            "stations",
            "not in stations.csv",
        ),
        (lambda t: [*t, ["x", "precinct", "d1", "X", "", "", "101", "", "", ""]], 6, "stations", "two precinct"),
        (
            lambda t: [*t, ["x", "district", "almaty", "X", "", "", "", "almaty", "77", ""]],
            6,
            "districts",
            "not a district",
        ),
        (
            lambda t: [*t, ["x", "territorial", "cec", "X", "", "Nowhere", "", "", "", ""]],
            6,
            "region",
            "no station lies",
        ),
        (lambda t: [*t, ["x", "central", "", "X", "", "", "", "", "", ""]], None, "parent", "without a parent"),
        (lambda t: [[*t[0][:9], ""], *t[1:]], None, "declares", "no commission declares the contest second"),
        (
            lambda t: [[*t[0][:9], ""], *t[1:], ["x", "precinct", "d1", "X", "", "", "102", "", "", "second"]],
            6,
            "declares",
            "outside its area",
        ),
        (
            lambda t: [*t, ["x", "precinct", "d1", "X", "", "", "102-", "", "", ""]],
            6,
            "stations",
            "not a station number",
        ),
    ],
)
def test_a_bad_tree_is_refused_naming_file_row_and_field(day: Path, change, row, field, words) -> None:  # type: ignore[no-untyped-def]
    _commissions(day, change([list(r) for r in TREE]))
    with pytest.raises(InputError) as caught:
        load_day(day)
    found = [p for p in caught.value.problems if words in p.message]
    assert found, caught.value.problems
    assert (found[0].path, found[0].row, found[0].field) == ("commissions.csv", row, field)
    assert (isinstance(found[0], WordedProblem) and found[0].template) or isinstance(found[0].message, Phrase)


def test_a_contest_registered_differently_is_refused(day: Path) -> None:
    path = day / "stations.csv"
    text = path.read_text(encoding="utf-8").replace("\n101,2451,", "\n101,2452,", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_day(day)
    problem = next(p for p in caught.value.problems if "station 101" in p.message)
    assert (problem.path, problem.field) == ("../almaty-2023/stations.csv", "registered")


def test_a_station_without_its_district_is_refused(day: Path) -> None:
    path = day / "stations.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[5] = ""
    path.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_day(day)
    problem = next(p for p in caught.value.problems if "has no district" in p.message)
    assert (problem.path, problem.field) == ("stations.csv", "district:second")
    assert "station 101" in problem.message


def test_an_explicit_table_decides_where_a_contest_is_counted(day: Path) -> None:
    rows = _register()
    district_1 = [r for r in rows if r["district"] == "1"]
    _write(day / "counts.csv", ["station", "contest", "district"], [[r["station"], "second", 1] for r in district_1])
    loaded = load_day(day, count_protocols=False)
    second = loaded.contest("second")
    assert second is not None and second.stations == {int(r["station"]) for r in district_1}
    assert [c.id for c in loaded.contests_at(int(rows[-1]["station"]))] == ["almaty"]
    assert loaded.stations[int(rows[-1]["station"])].district("second") is None


def test_contest_problems_are_named_inside_the_day(day: Path) -> None:
    path = day / "second" / "parties.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",1,2023-02-18,", ",x,2023-02-18,", 1), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_day(day)
    problem = caught.value.problems[0]
    assert (problem.path, problem.row, problem.field) == ("second/parties.csv", 2, "registration_order")


def test_day_toml_problems(day: Path) -> None:
    (day / "day.toml").write_text('name = "x"\n[[contests]]\nid = "Bad Id"\nfolder = "nowhere"\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_day(day)
    assert [(p.path, p.field) for p in caught.value.problems] == [("day.toml", "contests.0.id")]


def test_is_day_tells_a_day_from_a_contest(day: Path) -> None:
    assert is_day(day) and not is_day(EXAMPLES / "almaty-2023")


def test_every_sentence_of_the_day_loader_is_in_kk_and_ru() -> None:
    sentences = [v for k, v in vars(day_module).items() if k.isupper() and isinstance(v, str) and "{" in v]
    assert len(sentences) >= 20
    for lang in ("kk", "ru"):
        catalogue = messages(lang)
        missing = [s for s in sentences if s not in catalogue]
        assert not missing, (lang, missing)
        for sentence in sentences:  # the translation fills the same fields as the English sentence
            assert set(re.findall(r"{(\w+)}", catalogue[sentence])) == set(re.findall(r"{(\w+)}", sentence))


def test_problems_are_said_in_kk_and_ru_with_their_place(day: Path) -> None:
    _commissions(day, [*TREE, ["x", "precinct", "nobody", "X", "", "", "102", "", "", ""]])
    with pytest.raises(InputError) as caught:
        load_day(day)
    problem = caught.value.problems[0]
    assert problem_line(problem, "en") == "commissions.csv:6 [parent]: unknown commission nobody"
    assert problem_line(problem, "kk") == "commissions.csv:6 [parent]: белгісіз комиссия nobody"
    assert problem_line(problem, "ru") == "commissions.csv:6 [parent]: неизвестная комиссия nobody"


def test_kazakhstan_2023_presets_give_each_contest_its_shape() -> None:
    # ../shared/spec/kazakhstan-2023.md "Scope": Mäjilis 98 = 69 list + 29 districts; regional and big-city
    # mäslihats half and half; district and small-city mäslihats all seats in single-member districts.
    majilis = KAZAKHSTAN_2023_DAY["majilis"]
    assert (majilis.seats, majilis.list_seats, majilis.district_seats) == (98, 69, 29)
    system = resolve_system(majilis.preset, {}, list_seats=None, has_districts=True)
    assert system.list_tier is not None and system.list_tier.seats == 69
    assert system.list_tier.threshold_percent == 5
    regional = KAZAKHSTAN_2023_DAY["regional-maslihat"]
    assert regional.list_share == Fraction(1, 2)
    assert resolve_system(regional.preset, {}, list_seats=21, has_districts=True).list_tier.seats == 21  # type: ignore[union-attr]
    district = resolve_system(KAZAKHSTAN_2023_DAY["district-maslihat"].preset, {}, list_seats=0, has_districts=True)
    assert district.list_tier is None and district.district_tier is not None


def test_a_fresh_nights_contest_needs_neither_results_nor_protocols(day: Path) -> None:
    """Before the polls close a contest folder has no results/ and no protocols/: the day loads, the contest
    counts nothing yet, and the service can start on it; the same folder alone still asks for its results."""
    second = day / "second"
    shutil.rmtree(second / "protocols")
    shutil.rmtree(second / "results")
    loaded = load_day(day)
    fresh = loaded.contest("second")
    assert fresh is not None
    assert fresh.election.results.list_tally is None and dict(fresh.election.results.district_tallies) == {}
    counted = loaded.contest("almaty")
    assert counted is not None and counted.election.results.list_tally is not None  # the other still counts
    from saylau.service.definition import read_source

    assert [c for c, _ in read_source(day).contests] == ["almaty", "second"]
    (second / "stations.csv").write_text((EXAMPLES / "almaty-2023" / "stations.csv").read_text(encoding="utf-8"))
    with pytest.raises(InputError) as alone:
        load_election(second)
    assert any("results/districts.csv" in str(p) for p in alone.value.problems)
