"""Reading polling-station protocols and the station register (see docs/protocols.md).

    stations.csv        station,district,registered: the stations the count expects
    protocols/*.csv     one row per station and ballot: the protocol's lines, then one `vote:<option>` column
                        per option (empty where the option is not on that row's ballot)
    protocols/*.json    the same as a list of objects, votes as {"votes": {"<option>": n}}

A row that cannot be identified (station, district or ballot unreadable) is a *problem* with file, row and
field, and is skipped. A line that is not a whole number is kept in `Protocol.malformed`, so the check P006
reports it like any other finding and the other protocols still count.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from saylau.domain import BallotAccounting, BallotProgress, Election, Results, Tally
from saylau.errors import InputError, Problem
from saylau.io.table import Problems, Row, read_header, read_table, read_text
from saylau.limits import MAX_COLUMNS, MAX_COUNT, MAX_NESTING, NumberError, parse_whole
from saylau.reports.checks import describe
from saylau.tabulation import (
    BALLOT_KINDS,
    FIGURES,
    BallotKind,
    Finding,
    Protocol,
    Station,
    StationHistory,
    Tabulation,
    tabulate,
)

IDENTITY = ("station", "district", "ballot")
COLUMNS = IDENTITY + FIGURES
VOTE = "vote:"


@dataclass
class ProtocolSet:
    """What was read: the protocols, the station register (None when there is no stations.csv), problems."""

    protocols: list[Protocol] = field(default_factory=list)
    stations: list[Station] | None = None
    problems: list[Problem] = field(default_factory=list)


def read_protocol_file(folder: Path, name: str, *, confined: bool = True) -> tuple[list[Protocol], list[Problem]]:
    """The protocols of the CSV or JSON file folder/name; problems name the file as `name`.

    `confined`: the file belongs to an election folder and may not lead out of it (see `read_text`).
    """
    if name.lower().endswith(".json"):
        return _read_json(folder, name, confined)
    problems = Problems()
    rows = read_table(folder, name, COLUMNS, problems, confined=confined)
    protocols = [p for row in rows if (p := _from_row(row)) is not None]
    return protocols, problems.items


def read_stations(folder: Path) -> tuple[list[Station] | None, list[Problem]]:
    """The station register of an election folder, or None when it has no stations.csv."""
    if not (folder / "stations.csv").is_file():
        return None, []
    problems = Problems()
    stations: dict[int, Station] = {}
    for row in read_table(folder, "stations.csv", ("station", "district", "registered"), problems):
        number, district = row.integer("station", minimum=1), row.integer("district", minimum=1)
        registered = row.integer("registered")
        if number is None or district is None or registered is None:
            continue
        if number in stations:
            problems.add(f"station {number} is listed twice", row.path, row.number, "station")
            continue
        stations[number] = Station(number, district, registered)
    return list(stations.values()), problems.items


PREVIOUS = "previous:"


def read_station_history(
    folder: Path, parties: Iterable[str]
) -> tuple[dict[int, StationHistory] | None, list[Problem]]:
    """Each station's previous-election figures from stations.csv's optional `previous:` columns.

    None when stations.csv has no such column (the folder format without them stays valid). A station whose
    `previous:` cells are all empty has no history (a new station); `previous:registered` defaults to its
    register now and `previous:found` to the sum of its previous party votes. A `previous:<party>` column must
    name a registered party (the current short name of a renamed one).
    """
    if not (folder / "stations.csv").is_file():
        return None, []
    problems = Problems()
    known = set(parties)
    history: dict[int, StationHistory] = {}
    header_checked = False
    for row in read_table(folder, "stations.csv", ("station", "district", "registered"), problems):
        columns = [c for c in row.values if c.startswith(PREVIOUS)]
        if not columns:
            return None, problems.items
        party_columns = [c for c in columns if c not in (f"{PREVIOUS}registered", f"{PREVIOUS}found")]
        if not header_checked:
            header_checked = True
            for column in party_columns:
                if column[len(PREVIOUS) :] not in known:
                    problems.add(f"{column[len(PREVIOUS) :]!r} is not a registered party", row.path, 1, column)
        number, registered = row.integer("station", minimum=1), row.integer("registered")
        if number is None or registered is None or not any(row.values[c].strip() for c in columns):
            continue
        votes = {c[len(PREVIOUS) :]: row.integer(c) for c in party_columns}
        was_registered = row.integer(f"{PREVIOUS}registered", required=False)
        found = row.integer(f"{PREVIOUS}found", required=False)
        if any(v is None for v in votes.values()):
            continue
        counted = {party: v for party, v in votes.items() if v is not None}
        history[number] = StationHistory(
            registered if was_registered is None else was_registered,
            sum(counted.values()) if found is None else found,
            counted,
        )
    return history, problems.items


def read_protocols(paths: Iterable[Path]) -> ProtocolSet:
    """Protocols from files and election folders (their protocols/*.csv, *.json and stations.csv)."""
    found = ProtocolSet()
    for path in paths:
        if path.is_dir():
            stations, problems = read_stations(path)
            found.problems += problems
            if stations is not None:
                found.stations = (found.stations or []) + stations
            files = sorted((path / "protocols").glob("*.csv")) + sorted((path / "protocols").glob("*.json"))
            for file in files:
                protocols, problems = read_protocol_file(path, file.relative_to(path).as_posix())
                found.protocols += protocols
                found.problems += problems
        elif path.is_file():
            protocols, problems = read_protocol_file(Path(), str(path), confined=False)
            found.protocols += protocols
            found.problems += problems
        else:
            found.problems.append(Problem("is neither a file nor a folder", str(path)))
    return found


def unknown_options(paths: Iterable[Path], election: Election) -> list[Problem]:
    """A problem for each `vote:` column of a CSV protocol file that names no party and no district candidate
    of `election` and is empty on every row (issue 21: such a column passed unnoticed; one with a vote in it
    is P004 on that row's protocol). Files are named as `read_protocols` names them."""
    options = {p.short_name for p in election.parties} | {c.name for d in election.districts for c in d.candidates}
    files: list[tuple[Path, str, bool]] = []
    for path in paths:
        if path.is_dir():
            files += [(path, f.relative_to(path).as_posix(), True) for f in sorted((path / "protocols").glob("*.csv"))]
        elif path.is_file() and path.name.lower().endswith(".csv"):
            files.append((Path(), str(path), False))
    problems = []
    for folder, name, confined in files:
        header = read_header(folder, name, confined=confined) or []
        if len(header) > MAX_COLUMNS:
            continue  # the table reader refuses the file at the column limit
        unknown = [c for c in header if c.startswith(VOTE) and c[len(VOTE) :].strip() not in options]
        if unknown:  # rare: only then is the file read again, for the cells of those columns
            filled = {
                c
                for row in read_table(folder, name, (), Problems(), confined=confined)
                for c in unknown
                if row.values.get(c, "").strip()
            }
            unknown = [c for c in unknown if c not in filled]
        message = "names no party or district candidate of this election, and is empty on every row"
        if len(unknown) > UNKNOWN_SHOWN:  # one line, not a hundred thousand
            message = f"and {len(unknown) - 1:,} more empty `vote:` columns name no party or district candidate"
            unknown = unknown[:1]
        problems += [Problem(message, name, 1, column, "unknown-option") for column in unknown]
    return problems


UNKNOWN_SHOWN = 20
"""Unknown `vote:` columns of one file named one by one; above this, one problem says how many."""


OBJECT_COUNT = 1 << 20
"""Protocol files under this many bytes in all are counted one by one (`tabulate`), above it through columns
(`saylau.io.columnar`): for a city's count numpy's import alone takes longer than the whole count."""


def results_from_protocols(
    folder: Path, election: Election, notices: list[Problem] | None = None, stations: Sequence[Station] | None = None
) -> Results | None:
    """The election's results with the tallies counted from the folder's protocols; None without protocols/.

    Unreadable files raise InputError; protocols with an error finding are left out of the count, and each
    such finding is added to `notices` (when given) so the caller can say that the count is partial. Large
    counts are read through columns (`saylau.io.columnar`), small ones (under OBJECT_COUNT bytes) one protocol
    at a time; both give the same findings, in the same order, and the same sums. `stations` is the register
    when the folder has no stations.csv (an election day's).
    """
    if not (folder / "protocols").is_dir():
        return None
    unknown = unknown_options([folder], election)
    if unknown:
        raise InputError(unknown)
    small = _protocol_bytes(folder) < OBJECT_COUNT
    counted = _count_small(folder, election, stations) if small else _count_large(folder, election, stations)
    if counted is None:
        raise InputError([Problem("file is missing: counting protocols needs the station register", "stations.csv")])
    findings, list_tally, district_tallies, progress, accounting = counted
    if notices is not None:
        notices += [
            Problem(f"left out of the count: {f.code} {describe(f)}", f.source, f.row, f.field, code=f.code)
            for f in findings
            if f.severity == "error"
        ]
    # Keep what the commission published (percentages, seats, turnout) for the comparison with the count.
    return replace(
        election.results,
        list_tally=list_tally,
        district_tallies=district_tallies,
        progress=progress,
        accounting=accounting,
    )


_Counted = tuple[
    Sequence[Finding], Tally | None, dict[int, Tally], dict[str, BallotProgress], dict[str, BallotAccounting]
]


def _protocol_bytes(folder: Path) -> int:
    """The size of the protocol files `read_protocols` reads (a file that cannot be sized: as if huge)."""
    total = 0
    for pattern in ("*.csv", "*.json"):
        for path in (folder / "protocols").glob(pattern):
            try:
                total += path.stat().st_size
            except OSError:
                return OBJECT_COUNT
    return total


def _count_small(folder: Path, election: Election, stations: Sequence[Station] | None = None) -> _Counted | None:
    """The object path: every protocol read, checked and summed as a `Protocol` (no numpy)."""
    found = read_protocols([folder])
    if found.problems:
        raise InputError(found.problems)
    register = found.stations if found.stations is not None else stations
    if register is None:
        return None
    done = tabulate(found.protocols, election, register)
    progress = {str(b): p for b, p in done.progress.items()}
    return done.findings, done.list_tally, dict(done.district_tallies), progress, done.accounting


def _count_large(folder: Path, election: Election, stations: Sequence[Station] | None = None) -> _Counted | None:
    """The column path (numpy and, for large files, pyarrow load only here)."""
    from saylau.io.columnar import count_protocols

    count = count_protocols([folder], election, stations)
    if count.problems:
        raise InputError(count.problems)
    if count.register is None:
        return None
    return count.findings, count.list_tally(election), dict(count.district_tallies), count.progress, count.accounting


def count_folder(
    folder: Path, election: Election, stations: Sequence[Station] | None = None
) -> tuple[list[Station], Tabulation] | None:
    """The station register and the count of a folder's protocols, with every accepted `Protocol` (the NIST
    export has a unit per station); None when it has no protocols/. The object path: for a few thousand
    stations, not for a national count (`results_from_protocols` reads through columns)."""
    if not (folder / "protocols").is_dir():
        return None
    found = read_protocols([folder])
    found.problems += unknown_options([folder], election)
    if found.problems:
        raise InputError(found.problems)
    register = found.stations if found.stations is not None else (list(stations) if stations is not None else None)
    if register is None:
        raise InputError([Problem("file is missing: counting protocols needs the station register", "stations.csv")])
    return register, tabulate(found.protocols, election, register)


def _identity(row: Row) -> tuple[int, int, BallotKind] | None:
    station, district = row.integer("station", minimum=1), row.integer("district", minimum=1)
    ballot = (row.text("ballot") or "").lower()
    if ballot not in BALLOT_KINDS:
        row.problems.add(f"{ballot!r} is neither 'list' nor 'district'", row.path, row.number, "ballot")
        return None
    if station is None or district is None:
        return None
    return station, district, "list" if ballot == "list" else "district"


def _from_row(row: Row) -> Protocol | None:
    identity = _identity(row)
    if identity is None:
        return None
    malformed: dict[str, str] = {}
    figures = {name: _whole(row.values.get(name, ""), name, malformed) for name in FIGURES}
    votes = {
        _option(column): _whole(raw, column, malformed)
        for column, raw in row.values.items()
        if raw and column.startswith(VOTE) and raw.strip()
    }
    station, district, ballot = identity
    return Protocol(
        station, district, ballot, **figures, votes=votes, malformed=malformed, source=row.path, row=row.number
    )


_DIGITS = len(str(MAX_COUNT))
"""Fewer ASCII digits than this are a count within MAX_COUNT, whatever they are."""


@functools.lru_cache(maxsize=4096)
def _option(column: str) -> str:
    """The option a `vote:` column counts (the same few columns on every row)."""
    return column[len(VOTE) :].strip()


def _whole(raw: object, name: str, malformed: dict[str, str]) -> int:
    """The whole number written, or 0 with the reason kept in `malformed` (check P006 reports it).

    Counts are bounded (limits.MAX_COUNT), so every sum of accepted protocols is exact in int64 too.
    """
    if type(raw) is str and raw.isdigit() and raw.isascii() and len(raw) < _DIGITS:  # the usual cell
        return int(raw)
    text = raw if type(raw) is str else str(raw)
    try:
        if type(raw) is not str and (isinstance(raw, bool) or not isinstance(raw, int | str)):
            raise NumberError(text)
        return parse_whole(text)
    except NumberError:
        malformed[name] = text if len(text) <= 40 else text[:40] + "…"
        return 0


def _read_json(folder: Path, name: str, confined: bool) -> tuple[list[Protocol], list[Problem]]:
    found = Problems()
    text = read_text(folder, name, found, confined=confined)
    if text is None:
        return [], found.items
    try:
        data = json.loads(text)
    except RecursionError:
        return [], [Problem(f"is nested more than {MAX_NESTING} levels deep", name)]
    except ValueError as error:  # JSONDecodeError, or a number with more digits than Python converts
        return [], [Problem(f"is not readable JSON: {str(error)[:200]}", name)]
    if not isinstance(data, list):
        return [], [Problem("must be a list of protocol objects", name)]
    problems = Problems()
    protocols = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            problems.add("must be an object", name, number)
            continue
        protocol = _from_object(item, name, number, problems)
        if protocol is not None:
            protocols.append(protocol)
    return protocols, problems.items


def _from_object(item: Mapping[str, Any], name: str, number: int, problems: Problems) -> Protocol | None:
    votes = item.get("votes", {})
    if not isinstance(votes, dict):
        problems.add("must be an object of option: votes", name, number, "votes")
        return None
    values = {k: "" if item.get(k) is None else str(item[k]) for k in (*IDENTITY, *FIGURES)}
    missing = [k for k in COLUMNS if k not in item]
    if missing:
        problems.add(f"missing field(s): {', '.join(missing)}", name, number)
        return None
    identity = _identity(Row(name, number, values, problems))
    if identity is None:
        return None
    malformed: dict[str, str] = {}
    figures = {k: _whole(item[k], k, malformed) for k in FIGURES}
    counted = {str(o): _whole(v, f"{VOTE}{o}", malformed) for o, v in votes.items()}
    station, district, ballot = identity
    return Protocol(station, district, ballot, **figures, votes=counted, malformed=malformed, source=name, row=number)
