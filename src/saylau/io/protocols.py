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

import csv
import functools
import io
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from saylau.domain import Election
from saylau.errors import Count, Phrase, Problem, worded
from saylau.io.table import Problems, Row, read_header, read_table, read_text
from saylau.limits import MAX_COLUMNS, MAX_COUNT, MAX_NESTING, NumberError, parse_whole
from saylau.tabulation import (
    BALLOT_KINDS,
    FIGURES,
    BallotKind,
    Protocol,
    Station,
    StationHistory,
)

IDENTITY = ("station", "district", "ballot")
NEITHER = "is neither a file nor a folder"
"""A path given to count that is neither (the words are the catalogue's msgid)."""
NO_REGISTER = "file is missing: counting protocols needs the station register"
NO_BALLOT = "{ballot} is neither 'list' nor 'district'"
UNKNOWN = "names no party or district candidate of this election, and is empty on every row"
MORE_UNKNOWN = (
    "and {n} more empty `vote:` column names no party or district candidate",
    "and {n} more empty `vote:` columns name no party or district candidate",
)
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
            problems.items.append(
                worded(("station {number} is listed twice"), row.path, row.number, "station", number=number)
            )
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
    plain = _plain_columns(folder, known)
    if plain is not None:
        return plain, []
    history: dict[int, StationHistory] = {}
    columns: list[str] | None = None
    party_columns: list[str] = []
    for row in read_table(folder, "stations.csv", ("station", "district", "registered"), problems):
        if columns is None:  # the header, once: every row has the same columns
            columns = [c for c in row.values if c.startswith(PREVIOUS)]
            if not columns:
                return None, problems.items
            party_columns = [c for c in columns if c not in (f"{PREVIOUS}registered", f"{PREVIOUS}found")]
            for column in party_columns:
                if column[len(PREVIOUS) :] not in known:
                    party = repr(column[len(PREVIOUS) :])
                    problems.items.append(
                        worded(("{party} is not a registered party"), row.path, 1, column, party=party)
                    )
        found = _station_history(row, columns, party_columns)
        if found:
            history[found[0]] = found[1]
    return history, problems.items


def _plain_columns(folder: Path, known: set[str]) -> dict[int, StationHistory] | None:
    """stations.csv's history read column by column when the whole file is plain (`plain_history`); None for
    anything else, which the row by row reader reads with every check and its problems (the same history
    where both apply)."""
    plain = plain_history(folder, known)
    if plain is None:
        return None
    column, party_columns = plain
    names = [h[len(PREVIOUS) :] for h in party_columns]
    by_station = zip(*(column[h] for h in party_columns), strict=True)
    votes = [dict(zip(names, map(int, cells), strict=True)) for cells in by_station]
    empty = ("",) * len(column["station"])
    was = column.get(f"{PREVIOUS}registered", empty)
    found = column.get(f"{PREVIOUS}found", empty)
    return {
        int(number): StationHistory(int(w or r), int(f) if f else sum(v.values()), v)
        for number, r, w, f, v in zip(column["station"], column["registered"], was, found, votes, strict=True)
    }


def plain_history(folder: Path, known: set[str]) -> tuple[dict[str, tuple[str, ...]], list[str]] | None:
    """stations.csv's columns (name -> cells) and its `previous:` party columns when the whole file is plain:
    every record complete, every `previous:` party column naming a registered party, every figure ASCII
    digits (the optional `previous:registered` and `previous:found` digits or empty); None otherwise."""
    problems = Problems()
    text = read_text(folder, "stations.csv", problems)
    if text is None or problems.items:
        return None
    try:
        records = list(csv.reader(io.StringIO(text)))
    except csv.Error:
        return None
    header = [h.strip() for h in records[0]] if records else []
    body = records[1:]
    if len(set(header)) != len(header) or not {"station", "district", "registered"} <= set(header):
        return None
    previous = [h for h in header if h.startswith(PREVIOUS)]
    optional = [f"{PREVIOUS}registered", f"{PREVIOUS}found"]
    party_columns = [h for h in previous if h not in optional]
    if not party_columns or not body or any(h[len(PREVIOUS) :] not in known for h in party_columns):
        return None
    if any(len(r) != len(header) for r in body) or not all(h.isprintable() for h in header):
        return None
    column = dict(zip(header, zip(*body, strict=True), strict=True))
    figures = [column[h] for h in ("station", "registered", *party_columns)]
    if not all(_plain(list(c)) for c in figures) or min(map(int, column["station"])) < 1:
        return None
    extra = [column[h] for h in optional if h in column]
    if not all(_plain([cell for cell in c if cell]) or not any(c) for c in extra):
        return None
    return column, party_columns


_Found = tuple[int, StationHistory] | tuple[()]
"""A station's number and history; () for a station without one (a new station, or a refused cell)."""

_LONGEST = len(str(MAX_COUNT)) - 1
"""Digits of a plain cell: int() of so many ASCII digits is exact and within MAX_COUNT."""


def _plain(cells: list[str]) -> bool:
    """Cells `parse_whole` reads as int(cell) unchanged: each one ASCII digits only, none empty or too long."""
    joined = "".join(cells)
    return all(cells) and joined.isdigit() and joined.isascii() and max(map(len, cells)) <= _LONGEST


def _station_history(row: Row, columns: list[str], party_columns: list[str]) -> _Found:
    """One station's `previous:` figures with every check (a problem for each cell that is not a count)."""
    number, registered = row.integer("station", minimum=1), row.integer("registered")
    if number is None or registered is None or not any(row.values[c].strip() for c in columns):
        return ()
    votes = {c[len(PREVIOUS) :]: row.integer(c) for c in party_columns}
    was_registered = row.integer(f"{PREVIOUS}registered", required=False)
    found = row.integer(f"{PREVIOUS}found", required=False)
    if any(v is None for v in votes.values()):
        return ()
    counted = {party: v for party, v in votes.items() if v is not None}
    return number, StationHistory(
        registered if was_registered is None else was_registered,
        sum(counted.values()) if found is None else found,
        counted,
    )


def read_protocols(
    paths: Iterable[Path], read: Callable[..., tuple[list[Protocol], list[Problem]]] | None = None
) -> ProtocolSet:
    """Protocols from files and election folders (their protocols/*.csv, *.json and stations.csv).

    `read` reads an election folder's protocol file as `read_protocol_file` does (`saylau.io.reread.Reread`:
    again after a few rows changed)."""
    read = read or read_protocol_file
    found = ProtocolSet()
    for path in paths:
        if path.is_dir():
            stations, problems = read_stations(path)
            found.problems += problems
            if stations is not None:
                found.stations = (found.stations or []) + stations
            files = sorted((path / "protocols").glob("*.csv")) + sorted((path / "protocols").glob("*.json"))
            for file in files:
                protocols, problems = read(path, file.relative_to(path).as_posix())
                found.protocols += protocols
                found.problems += problems
        elif path.is_file():
            protocols, problems = read_protocol_file(Path(), str(path), confined=False)
            found.protocols += protocols
            found.problems += problems
        else:
            found.problems.append(worded(NEITHER, str(path)))
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
    problems: list[Problem] = []
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
        if len(unknown) > UNKNOWN_SHOWN:  # one line, not a hundred thousand
            more = Count(len(unknown) - 1)
            problems.append(Problem(Phrase(*MORE_UNKNOWN, n=more), name, 1, unknown[0], "unknown-option"))
            continue
        problems += [worded(UNKNOWN, name, 1, column, "unknown-option") for column in unknown]
    return problems


UNKNOWN_SHOWN = 20
"""Unknown `vote:` columns of one file named one by one; above this, one problem says how many."""


def _identity(row: Row) -> tuple[int, int, BallotKind] | None:
    station, district = row.integer("station", minimum=1), row.integer("district", minimum=1)
    ballot = (row.text("ballot") or "").lower()
    if ballot not in BALLOT_KINDS:
        row.problems.items.append(worded(NO_BALLOT, row.path, row.number, "ballot", ballot=repr(ballot)))
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
        return [], [worded(("is nested more than {levels} levels deep"), name, levels=MAX_NESTING)]
    except ValueError as error:  # JSONDecodeError, or a number with more digits than Python converts
        return [], [worded(("is not readable JSON: {reason}"), name, reason=str(error)[:200])]
    if not isinstance(data, list):
        return [], [worded(("must be a list of protocol objects"), name)]
    problems = Problems()
    protocols = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            problems.items.append(worded(("must be an object"), name, number))
            continue
        protocol = _from_object(item, name, number, problems)
        if protocol is not None:
            protocols.append(protocol)
    return protocols, problems.items


def _from_object(item: Mapping[str, Any], name: str, number: int, problems: Problems) -> Protocol | None:
    votes = item.get("votes", {})
    if not isinstance(votes, dict):
        problems.items.append(worded(("must be an object of option: votes"), name, number, "votes"))
        return None
    values = {k: "" if item.get(k) is None else str(item[k]) for k in (*IDENTITY, *FIGURES)}
    missing = [k for k in COLUMNS if k not in item]
    if missing:
        problems.items.append(worded(("missing field(s): {fields}"), name, number, fields=", ".join(missing)))
        return None
    identity = _identity(Row(name, number, values, problems))
    if identity is None:
        return None
    malformed: dict[str, str] = {}
    figures = {k: _whole(item[k], k, malformed) for k in FIGURES}
    counted = {str(o): _whole(v, f"{VOTE}{o}", malformed) for o, v in votes.items()}
    station, district, ballot = identity
    return Protocol(station, district, ballot, **figures, votes=counted, malformed=malformed, source=name, row=number)
