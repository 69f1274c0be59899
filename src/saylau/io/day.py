"""The election-day folder: every contest of one day, its polling stations once, its commissions (docs/election-day.md).

    day.toml          the day (name, date, country) and its contests: `[[contests]] id, folder` and where
                      each is counted (`regions`, `areas`, or every station)
    stations.csv      station, registered, region (+ area, name, `district:<contest>` columns, source)
    counts.csv        station, contest (+ district): an explicit table of which station counts which contest
                      (optional; a contest it names is counted at the stations it lists, and only there)
    commissions.csv   id, level, parent, name (+ region, stations, contest, districts, declares, source)
                      (optional; without it, one central commission declares every contest)
    <contest>/        each contest's election folder, as `saylau results FOLDER` reads it; its
                      stations.csv may be left out (the day's register is used)

`load_day` validates everything and raises one `InputError` listing every problem, each naming the file
(inside the day folder), row and field; the day's own problems are `WordedProblem`s, so the command line
says them in kk, ru or en. A contest folder's own problems are named with the contest's folder in front.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from pydantic import Field, StringConstraints, ValidationError

from saylau.domain import Election
from saylau.domain.day import (
    CommissionLevel,
    Contest,
    DistrictRef,
    ElectionCommission,
    ElectionDay,
    PollingStation,
)
from saylau.errors import Count, InputError, Phrase, Problem, WordedProblem, worded
from saylau.io.config import TOO_DEEP, Day, Name, _Named, _Table
from saylau.io.folder import load_election
from saylau.io.table import Problems, Row, read_table, read_text
from saylau.limits import MAX_NESTING, MAX_TOML_BYTES
from saylau.rules import validation_problems
from saylau.tabulation import Station

if TYPE_CHECKING:
    from saylau.io.count import StationsCount

SOURCE = "day.toml"
STATIONS = "stations.csv"
COUNTS = "counts.csv"
COMMISSIONS = "commissions.csv"
DISTRICT = "district:"
"""The prefix of stations.csv's columns that give a station's district in one contest: `district:majilis`."""

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,62}$")]


class ContestConfig(_Table):
    """One `[[contests]]` table of day.toml."""

    id: Identifier
    folder: Name
    regions: list[Name] | None = None
    """Counted at the stations of these regions (stations.csv `region`)."""
    areas: list[Name] | None = None
    """Counted at the stations of these areas (stations.csv `area`: a district or town of a region)."""


class DayConfig(_Named):
    """The whole of day.toml."""

    name: Name
    date: Day | None = None
    country: Name | None = None
    notes: list[Annotated[str, StringConstraints(max_length=10_000)]] = Field(default_factory=list)
    contests: list[ContestConfig] = Field(min_length=1)


def is_day(folder: str | Path) -> bool:
    """Whether the folder is an election day (it has day.toml), not a single contest's folder."""
    return (Path(folder) / SOURCE).is_file()


@dataclass
class _Say:
    """The day's problems, each a `WordedProblem` (its English sentence and its msgid with values), or a counted
    `Phrase` put in `problems` (`Problems.add`: Russian's three forms)."""

    problems: Problems = field(default_factory=Problems)

    def __call__(
        self, template: str, path: str | None, row: int | None = None, column: str | None = None, **values: object
    ) -> None:
        texts: dict[str, str | int] = {k: v if isinstance(v, Count) else str(v) for k, v in values.items()}
        self.problems.items.append(
            WordedProblem(template.format(**texts), path, row, column, "day", template, tuple(texts.items()))
        )


# Every sentence the day loader says, as the catalogues' msgids (saylau/locale/*/LC_MESSAGES/saylau.po).
UNKNOWN_CONTEST = "unknown contest {contest} (day.toml names: {known})"
CONTEST_TWICE = "contest {contest} is named twice"
NOT_A_FOLDER = "is not a folder (the contest {contest})"
FOLDER_OUTSIDE = "lies outside the folders a day may read (the contest {contest}; see --allow-previous)"
STATION_TWICE = "station {station} is listed twice (first on row {first})"
UNKNOWN_STATION = "station {station} is not in stations.csv"
NO_STATIONS = "the contest {contest} is counted at no station"
NOT_A_DISTRICT = "district {district} is not a district of the contest {contest}"
NO_DISTRICT = "station {station} counts the contest {contest} but has no district in it"
REGISTER_DIFFERS = "station {station}: {contest}/stations.csv says {found}, the day's stations.csv {expected}"
DISTRICT_DIFFERS = (
    "station {station}: {contest}/stations.csv puts it in district {found}, the day in district {expected}"
)
REGISTER_STATIONS = "{contest}/stations.csv {listed}, the day counts the contest {counted}"
LISTS_STATIONS = ("lists {n} station", "lists {n} stations")
AT_STATIONS = ("at {n} station", "at {n} stations")
UNKNOWN_LEVEL = "unknown level {level} (one of: precinct, district, territorial, central)"
COMMISSION_TWICE = "commission {commission} is listed twice (first on row {first})"
UNKNOWN_PARENT = "unknown commission {commission}"
NOT_ONE_ROOT = (
    "the tree has {n} commission without a parent; it needs exactly one",
    "the tree has {n} commissions without a parent; it needs exactly one",
)
PARENT_LEVEL = "a {level} commission cannot be under a {parent} commission"
OUTSIDE_PARENT = (
    "{n} station of this commission lies outside its parent {parent} (station {station} first)",
    "{n} stations of this commission lie outside its parent {parent} (station {station} first)",
)
NO_AREA = "a {level} commission needs its area (stations, region or contest and districts)"
UNKNOWN_REGION = "no station lies in the region {region}"
DECLARED_TWICE = "the contest {contest} is declared by two commissions ({first} first)"
NOT_DECLARED = "no commission declares the contest {contest}"
DECLARER_AREA = "the commission {commission} declares {contest} but station {station} of it lies outside its area"
STATIONS_CELL = "{text} is not a station number or a range such as 101-120"
DUPLICATE_PRECINCT = "station {station} has two precinct commissions ({first} first)"
NAME_A_CONTEST = "--format {format} reports one contest: name it with --contest (one of: {known})"
TOO_LARGE = "is larger than the limit of {limit} bytes"
NOT_TOML = "is not valid TOML: {reason}"


def load_day(
    folder: str | Path,
    *,
    count_protocols: bool = True,
    allow_previous: str | Path | None = None,
    notices: list[Problem] | None = None,
    counted: Collection[str] | None = None,
    differences: list[Problem] | None = None,
    kept: dict[str, StationsCount] | None = None,
) -> ElectionDay:
    """Load and validate an election-day folder; raise InputError naming every problem found.

    `counted`: the contests whose protocols are counted (default: all, when `count_protocols`); the others are
    loaded as their definition and published totals only (what declaring one contest of a day needs).
    `notices` and `differences` collect what `load_election` says of each contest, named inside the day;
    `kept` each counted contest's stations and accepted protocols, by contest id (as `load_election` keeps
    them: the protocols are read once).

    Each contest folder is loaded by `load_election` (so it loads exactly as on its own); where it has no
    stations.csv, the day's register gives its stations, their district in it and their registered voters.
    `allow_previous` is where contest folders and their `[previous] folder` may lie (default: the day
    folder's parent, so a day may name contest folders beside it).
    """
    root = Path(folder)
    say = _Say()
    if not root.is_dir():
        raise InputError([worded("is not a folder", str(folder))])
    config = _read_config(root, say)
    if config is None:
        raise InputError(say.problems.items)
    ids = [c.id for c in config.contests]
    for k, contest in enumerate(config.contests):
        if contest.id in ids[:k]:
            say(CONTEST_TWICE, SOURCE, None, f"contests[{k}].id", contest=contest.id)
    stations = _stations(root, ids, say)
    explicit = _counts(root, ids, stations, say)
    counted_at = _counted_at(config, stations, explicit, say)
    contests: list[Contest] = []
    previous_root = Path(allow_previous) if allow_previous is not None else root.resolve().parent
    for k, entry in enumerate(config.contests):
        path = _contest_folder(root, previous_root, entry, k, say)
        if path is None or entry.id not in counted_at:
            continue
        register = _register(root, path, entry, counted_at[entry.id], stations, explicit, say)
        if register is None:
            continue
        left_out: list[Problem] = []
        differ: list[Problem] = []
        mine: list[StationsCount] | None = [] if kept is not None else None
        try:
            election = load_election(
                path,
                count_protocols=count_protocols and (counted is None or entry.id in counted),
                allow_previous=previous_root,
                notices=left_out,
                stations=register if not (path / STATIONS).is_file() else None,
                differences=differ,
                pending=True,  # a fresh night: neither results/ nor protocols/ yet
                kept=mine,
            )
        except InputError as error:
            say.problems.items += [_inside(entry.folder, p) for p in error.problems]
            continue
        if kept is not None and mine:
            kept[entry.id] = mine[0]
        if notices is not None:
            notices += [_inside(entry.folder, p) for p in left_out]
        if differences is not None:
            differences += [_inside(entry.folder, p) for p in differ]
        _check_districts(entry, election, register, say)
        contests.append(Contest(entry.id, entry.folder, election, frozenset(counted_at[entry.id])))
    if say.problems.items:
        raise InputError(say.problems.items)
    day_stations = {
        number: _with_districts(station, number, explicit, contests) for number, station in stations.items()
    }
    commissions = _commissions(root, day_stations, contests, say)
    if say.problems.items:
        raise InputError(say.problems.items)
    return ElectionDay(
        name=config.name,
        contests=tuple(contests),
        stations=day_stations,
        commissions=commissions,
        date=config.date,
        country=config.country,
        names=config.by_language,
        notes=tuple(config.notes),
    )


def _inside(folder: str, problem: Problem) -> Problem:
    """A contest folder's problem, named from the day folder (`almaty/parties.csv`)."""
    path = f"{folder.rstrip('/')}/{problem.path}" if problem.path else folder
    return dataclasses.replace(problem, path=path)  # a worded problem or a protocol left out keeps its kind


def _read_config(root: Path, say: _Say) -> DayConfig | None:
    path = root / SOURCE
    if path.is_file() and path.stat().st_size > MAX_TOML_BYTES:
        say(TOO_LARGE, SOURCE, limit=Count(MAX_TOML_BYTES))
        return None
    text = read_text(root, SOURCE, say.problems)
    if text is None:
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"at line (\d+)", str(error))
        say(NOT_TOML, SOURCE, int(line[1]) if line else None, reason=str(error))
        return None
    except (RecursionError, ValueError):
        say(TOO_DEEP, SOURCE, levels=MAX_NESTING)
        return None
    try:
        return DayConfig.model_validate(data)
    except ValidationError as error:
        say.problems.items += validation_problems(error, DayConfig, SOURCE)
        return None


def _stations(root: Path, contests: Sequence[str], say: _Say) -> dict[int, PollingStation]:
    """stations.csv: the day's polling stations, each once, with its `district:<contest>` columns."""
    found: dict[int, PollingStation] = {}
    rows: dict[int, int] = {}
    columns: list[tuple[str, str]] | None = None
    places: dict[str, str | None] = {}  # a region's or area's name, checked once (it repeats on every row)
    for row in read_table(root, STATIONS, ("station", "registered", "region"), say.problems):
        if columns is None:
            columns = [(c, c[len(DISTRICT) :]) for c in row.values if c.startswith(DISTRICT)]
            for column, contest in columns:
                if contest not in contests:
                    say(UNKNOWN_CONTEST, STATIONS, 1, column, contest=contest, known=", ".join(contests))
            columns = [(c, contest) for c, contest in columns if contest in contests]
        number = row.integer("station", minimum=1)
        registered = row.integer("registered")
        region, area = _place(row, "region", places), _place(row, "area", places)
        if number is None or registered is None:
            continue
        if number in found:
            say(STATION_TWICE, STATIONS, row.number, "station", station=number, first=rows[number])
            continue
        districts = {}
        for column, contest in columns:
            if (row.values.get(column) or "").strip():
                district = row.integer(column, minimum=1)
                if district is not None:
                    districts[contest] = district
        rows[number] = row.number
        found[number] = PollingStation(
            number,
            registered,
            region=region,
            area=area,
            name=row.name("name", required=False) or "",
            names=_names(row, "name"),
            districts=districts,
        )
    return found


def _place(row: Row, column: str, seen: dict[str, str | None]) -> str:
    """A region or area name: the cell as written, checked for invisible characters the first time it is met."""
    raw = row.values.get(column) or ""
    if raw not in seen:
        seen[raw] = row.name(column, required=False)
    elif seen[raw] is None and raw.strip():
        row.name(column, required=False)  # an invisible character: each row that has it is named
    return seen[raw] or ""


def _names(row: Row, key: str) -> dict[str, str]:
    return {
        lang: value for lang in ("kk", "ru", "en") if (value := row.name(f"{key}_{lang}", required=False)) is not None
    }


def _counts(
    root: Path, contests: Sequence[str], stations: Mapping[int, PollingStation], say: _Say
) -> dict[str, dict[int, int | None]]:
    """counts.csv, when there is one: contest -> {station: its district in the contest, or None}."""
    table: dict[str, dict[int, int | None]] = {}
    rows: dict[tuple[str, int], int] = {}
    if not (root / COUNTS).is_file():
        return table
    for row in read_table(root, COUNTS, ("station", "contest"), say.problems):
        number = row.integer("station", minimum=1)
        contest = row.text("contest")
        district = row.integer("district", required=False, minimum=1)
        if number is None or contest is None:
            continue
        if contest not in contests:
            say(UNKNOWN_CONTEST, COUNTS, row.number, "contest", contest=contest[:60], known=", ".join(contests))
            continue
        if number not in stations:
            say(UNKNOWN_STATION, COUNTS, row.number, "station", station=number)
            continue
        if number in table.setdefault(contest, {}):
            say(STATION_TWICE, COUNTS, row.number, "station", station=number, first=rows[(contest, number)])
            continue
        table[contest][number] = district
        rows[(contest, number)] = row.number
    return table


def _counted_at(
    config: DayConfig,
    stations: Mapping[int, PollingStation],
    explicit: Mapping[str, Mapping[int, int | None]],
    say: _Say,
) -> dict[str, list[int]]:
    """Which stations count each contest: counts.csv's rows, else its regions or areas, else every station."""
    counted: dict[str, list[int]] = {}
    for k, entry in enumerate(config.contests):
        if entry.id in explicit:
            numbers = list(explicit[entry.id])
        elif entry.regions is not None or entry.areas is not None:
            regions, areas = set(entry.regions or ()), set(entry.areas or ())
            numbers = [n for n, s in stations.items() if s.region in regions or s.area in areas]
            for key, wanted, present in (
                ("regions", regions, {s.region for s in stations.values()}),
                ("areas", areas, {s.area for s in stations.values()}),
            ):
                for name in sorted(wanted - present):
                    say(UNKNOWN_REGION, SOURCE, None, f"contests[{k}].{key}", region=name)
        else:
            numbers = list(stations)
        if not numbers:
            say(NO_STATIONS, SOURCE, None, f"contests[{k}]", contest=entry.id)
            continue
        counted[entry.id] = numbers
    return counted


def _contest_folder(root: Path, allowed: Path, entry: ContestConfig, k: int, say: _Say) -> Path | None:
    """The contest's folder: inside `allowed` (the day folder's parent by default; links followed), a folder.

    So a day can name a contest folder that also stands on its own beside it (`../almaty-2023`)."""
    path = root / entry.folder
    try:
        inside = path.resolve().is_relative_to(allowed.resolve())
    except (OSError, RuntimeError):
        inside = False
    if not inside:
        say(FOLDER_OUTSIDE, SOURCE, None, f"contests[{k}].folder", contest=entry.id)
        return None
    if not path.is_dir():
        say(NOT_A_FOLDER, SOURCE, None, f"contests[{k}].folder", contest=entry.id)
        return None
    return path


def _district_of(
    number: int, contest: str, stations: Mapping[int, PollingStation], explicit: Mapping[str, Mapping[int, int | None]]
) -> int | None:
    """A station's district in a contest: counts.csv's `district`, else stations.csv's `district:<contest>`."""
    given = explicit.get(contest, {}).get(number)
    return given if given is not None else stations[number].district(contest)


def _register(
    root: Path,
    path: Path,
    entry: ContestConfig,
    numbers: Sequence[int],
    stations: Mapping[int, PollingStation],
    explicit: Mapping[str, Mapping[int, int | None]],
    say: _Say,
) -> list[Station] | None:
    """The contest's station register: the day's, checked against the contest's stations.csv where it has one."""
    own: dict[int, Station] | None = None
    if (path / STATIONS).is_file():
        from saylau.io.protocols import read_stations

        listed, problems = read_stations(path)
        if problems:
            say.problems.items += [_inside(entry.folder, p) for p in problems]
            return None
        own = {s.number: s for s in listed or ()}
    register = []
    for number in numbers:
        district = _district_of(number, entry.id, stations, explicit)
        registered = stations[number].registered
        if own is not None:
            theirs = own.get(number)
            if theirs is None:
                continue
            if theirs.registered != registered:
                say(
                    REGISTER_DIFFERS,
                    f"{entry.folder}/{STATIONS}",
                    None,
                    "registered",
                    station=number,
                    contest=entry.folder,
                    found=theirs.registered,
                    expected=registered,
                )
            if district is not None and theirs.district != district:
                say(
                    DISTRICT_DIFFERS,
                    f"{entry.folder}/{STATIONS}",
                    None,
                    "district",
                    station=number,
                    contest=entry.folder,
                    found=theirs.district,
                    expected=district,
                )
            district = theirs.district
        register.append(Station(number, district or 0, registered))
    if own is not None and set(own) != set(numbers):
        lists, at = Phrase(*LISTS_STATIONS, n=Count(len(own))), Phrase(*AT_STATIONS, n=Count(len(numbers)))
        message = Phrase(REGISTER_STATIONS, contest=entry.folder, listed=lists, counted=at)
        say.problems.add(message, f"{entry.folder}/{STATIONS}", None, "station", "day")
    return register


def _check_districts(entry: ContestConfig, election: Election, register: Sequence[Station], say: _Say) -> None:
    """In a contest with districts, every station counting it lies in one of them (the first wrong one is named)."""
    if not election.districts:
        return
    known = {d.number for d in election.districts}
    column = f"{DISTRICT}{entry.id}"
    for station in register:
        if not station.district:
            say(NO_DISTRICT, STATIONS, None, column, station=station.number, contest=entry.id)
            return
        if station.district not in known:
            say(NOT_A_DISTRICT, STATIONS, None, column, district=station.district, contest=entry.id)
            return


def _with_districts(
    station: PollingStation,
    number: int,
    explicit: Mapping[str, Mapping[int, int | None]],
    contests: Sequence[Contest],
) -> PollingStation:
    """The station with its district in each contest it counts, from whichever table gives it."""
    districts = dict(station.districts)
    for contest in contests:
        if number not in contest.stations:
            districts.pop(contest.id, None)
            continue
        given = explicit.get(contest.id, {}).get(number)
        if given is not None:
            districts[contest.id] = given
    if districts == station.districts:
        return station
    return PollingStation(
        station.number, station.registered, station.region, station.area, station.name, station.names, districts
    )


_STATION_RANGE = re.compile(r"^([1-9][0-9]{0,17})(?:-([1-9][0-9]{0,17}))?$")


CENTRAL_COMMISSION = "Central Election Commission"
"""The name of the one commission a day folder without commissions.csv gets: the law's term, a msgid the
renderers say in the reader's language (`saylau.reports.day.commission_name`); the data keep the English."""


def _commissions(
    root: Path, stations: Mapping[int, PollingStation], contests: Sequence[Contest], say: _Say
) -> dict[str, ElectionCommission]:
    """commissions.csv as a tree, parents first; without the file, one central commission declaring all."""
    if not (root / COMMISSIONS).is_file():
        central = ElectionCommission(
            "central",
            CommissionLevel.CENTRAL,
            Phrase(CENTRAL_COMMISSION),
            stations=frozenset(stations),
            declares=tuple(c.id for c in contests),
        )
        return {central.id: central}
    by_contest = {c.id: c for c in contests}
    index: dict[str, dict[int, set[int]]] = {}
    found: dict[str, tuple[ElectionCommission, int]] = {}
    for row in read_table(root, COMMISSIONS, ("id", "level", "parent", "name"), say.problems):
        commission = _commission(row, stations, by_contest, say, index)
        if commission is None:
            continue
        if commission.id in found:
            say(
                COMMISSION_TWICE, COMMISSIONS, row.number, "id", commission=commission.id, first=found[commission.id][1]
            )
            continue
        found[commission.id] = (commission, row.number)
    _check_tree(found, say)
    _check_declarations(found, contests, say)
    order = sorted(found.values(), key=lambda item: (-item[0].level.rank, item[1]))
    return {c.id: c for c, _ in order}


def _commission(
    row: Row,
    stations: Mapping[int, PollingStation],
    contests: Mapping[str, Contest],
    say: _Say,
    index: dict[str, dict[int, set[int]]],
) -> ElectionCommission | None:
    """One row of commissions.csv, its area resolved to stations."""
    ident, name = row.name("id"), row.name("name")
    level_text = row.text("level")
    parent = row.name("parent", required=False)
    if level_text is not None and level_text not in CommissionLevel.__members__.values():
        say(UNKNOWN_LEVEL, COMMISSIONS, row.number, "level", level=level_text[:40])
        return None
    if ident is None or name is None or level_text is None:
        return None
    level = CommissionLevel(level_text)
    area: set[int] = set()
    region = row.name("region", required=False) or ""
    if region:
        inside = {n for n, s in stations.items() if s.region == region}
        if not inside:
            say(UNKNOWN_REGION, COMMISSIONS, row.number, "region", region=region)
        area |= inside
    area |= _station_cell(row, stations, say)
    districts: list[DistrictRef] = []
    contest_id = row.text("contest", required=False)
    numbers = (row.text("districts", required=False) or "").split()
    if contest_id is not None:
        contest = contests.get(contest_id)
        if contest is None:
            say(UNKNOWN_CONTEST, COMMISSIONS, row.number, "contest", contest=contest_id[:60], known=", ".join(contests))
        else:
            known = {d.number for d in contest.election.districts}
            for text in numbers:
                if not text.isdigit() or int(text) not in known:
                    say(NOT_A_DISTRICT, COMMISSIONS, row.number, "districts", district=text[:20], contest=contest_id)
                    continue
                districts.append(DistrictRef(contest_id, int(text)))
            by_district = _by_district(contest, stations, index)
            for ref in districts:
                area |= by_district.get(ref.district, set())
    declares = tuple((row.text("declares", required=False) or "").split())
    for contest_id in declares:
        if contest_id not in contests:
            say(
                UNKNOWN_CONTEST, COMMISSIONS, row.number, "declares", contest=contest_id[:60], known=", ".join(contests)
            )
    if level is CommissionLevel.CENTRAL and not area:
        area = set(stations)
    if not area:
        say(NO_AREA, COMMISSIONS, row.number, "stations", level=level.value)
        return None
    return ElectionCommission(
        id=ident,
        level=level,
        name=name,
        parent=parent,
        names=_names(row, "name"),
        region=region,
        stations=frozenset(area),
        districts=tuple(districts),
        declares=declares,
    )


def _by_district(
    contest: Contest, stations: Mapping[int, PollingStation], index: dict[str, dict[int, set[int]]]
) -> dict[int, set[int]]:
    """The contest's stations by their district in it (built once per contest)."""
    if contest.id not in index:
        found: dict[int, set[int]] = {}
        for number in contest.stations:
            district = stations[number].district(contest.id)
            if district is not None:
                found.setdefault(district, set()).add(number)
        index[contest.id] = found
    return index[contest.id]


def _station_cell(row: Row, stations: Mapping[int, PollingStation], say: _Say) -> set[int]:
    """The `stations` cell: numbers and ranges (`101-120 125`), each a station of the day."""
    found: set[int] = set()
    for text in (row.text("stations", required=False) or "").split():
        match = _STATION_RANGE.match(text)
        if match is None or (match[2] is not None and int(match[2]) < int(match[1])):
            say(STATIONS_CELL, COMMISSIONS, row.number, "stations", text=text[:40])
            continue
        first, last = int(match[1]), int(match[2] or match[1])
        if match[2] is None:
            if first not in stations:
                say(UNKNOWN_STATION, COMMISSIONS, row.number, "stations", station=first)
                continue
            found.add(first)
        else:
            found |= {n for n in stations if first <= n <= last}
    return found


def _check_tree(found: Mapping[str, tuple[ElectionCommission, int]], say: _Say) -> None:
    """One root; every parent known and of a higher level; every area inside its parent's; one precinct each."""
    roots = [c for c, _ in found.values() if c.parent is None]
    if len(roots) != 1:
        say.problems.add(Phrase(*NOT_ONE_ROOT, n=Count(len(roots))), COMMISSIONS, None, "parent", "day")
    precincts: dict[int, str] = {}
    for commission, number in found.values():
        if commission.level is CommissionLevel.PRECINCT:
            for station in sorted(commission.stations):
                if station in precincts:
                    say(DUPLICATE_PRECINCT, COMMISSIONS, number, "stations", station=station, first=precincts[station])
                    break
                precincts[station] = commission.id
        if commission.parent is None:
            continue
        above = found.get(commission.parent)
        if above is None:
            say(UNKNOWN_PARENT, COMMISSIONS, number, "parent", commission=commission.parent[:60])
            continue
        parent = above[0]
        if parent.level.rank <= commission.level.rank:
            say(PARENT_LEVEL, COMMISSIONS, number, "parent", level=commission.level.value, parent=parent.level.value)
            continue
        outside = commission.stations - parent.stations
        if outside:
            counted = Phrase(*OUTSIDE_PARENT, n=Count(len(outside)), parent=parent.id, station=min(outside))
            say.problems.add(counted, COMMISSIONS, number, "stations", "day")


def _check_declarations(
    found: Mapping[str, tuple[ElectionCommission, int]], contests: Sequence[Contest], say: _Say
) -> None:
    """Every contest declared by exactly one commission, whose area holds every station of the contest."""
    declarer: dict[str, str] = {}
    for commission, number in found.values():
        for contest_id in commission.declares:
            if contest_id in declarer:
                say(DECLARED_TWICE, COMMISSIONS, number, "declares", contest=contest_id, first=declarer[contest_id])
                continue
            declarer[contest_id] = commission.id
            contest = next((c for c in contests if c.id == contest_id), None)
            outside = contest.stations - commission.stations if contest is not None else set()
            if outside:
                say(
                    DECLARER_AREA,
                    COMMISSIONS,
                    number,
                    "declares",
                    commission=commission.id,
                    contest=contest_id,
                    station=min(outside),
                )
    for contest in contests:
        if contest.id not in declarer:
            say(NOT_DECLARED, COMMISSIONS, None, "declares", contest=contest.id)


def contest_stations(day: ElectionDay, contest: Contest) -> list[Station]:
    """The contest's station register as the count reads it (number, district in the contest, registered)."""
    return [
        Station(n, day.stations[n].district(contest.id) or 0, day.stations[n].registered)
        for n in sorted(contest.stations)
    ]
