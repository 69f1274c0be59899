"""Counting protocol files through columns: read by pyarrow's CSV reader, checked and summed with numpy.

Why: a national count reads a million protocols from the files commissions send; building a Python
object per protocol (and a dict per row over every `vote:` column) costs ten times the read itself. Here a
large CSV file is cut into pieces just after line breaks, which threads parse into typed columns while the
main thread checks the pieces before them, in order; every control relation is one vectorised comparison
per piece, and only the rows it flags (a possible finding of any code) are turned into `Protocol` objects
and checked by the object path, so every finding keeps the file, row, station, code, lines and figures
`saylau.tabulation.check` gives. Accepted rows are summed per ballot and district.

Why pyarrow (not polars): on two threads pyarrow read the same protocols into 32-bit columns with about a
third less CPU time than polars (docs/protocols.md has the figures), and `import pyarrow.csv` takes about a
fifth of `import polars`, which the CLI pays on every count. Neither reads a JSON *array* of objects as a
stream (pyarrow's JSON reader wants one object per line), so JSON files are parsed by the standard
library's C parser and counted by the same column code.

The object path stays the judge of anything unusual, file by file: a file whose header, identity columns
(station, district, ballot), cell text (anything but a plain whole number or an empty vote cell), line
layout (blank lines, quoted line breaks: the row numbers would differ) or size (a number above 2**40)
is not plain is read by `saylau.io.protocols` instead; and if any station reports a ballot twice, the
whole count is done by the object path, whose duplicate checks (P007, W005) compare the full protocols.
Sums are exact: every count summed here is at most MAX_COUNT = 10**10 < 2**34, so the int64 sums stay
below 2**56 up to 2**22 rows, after which they become Python integers.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from saylau.domain import BallotAccounting, BallotProgress, Election, Results, Tally
from saylau.errors import Problem, worded
from saylau.io.protocols import (
    COLUMNS,
    NEITHER,
    PREVIOUS,
    VOTE,
    plain_history,
    read_protocol_file,
    read_protocols,
    read_station_history,
    read_stations,
)
from saylau.io.table import inside
from saylau.limits import MAX_CELL, MAX_COLUMNS, MAX_COUNT, MAX_FILE_BYTES, invisible
from saylau.tabulation import FIGURES, Finding, Protocol, Station, check, counted_results, tabulate
from saylau.tabulation.checks import CheckSettings, ballots_of, findings_of
from saylau.tabulation.fast import AcceptedRows, ProtocolColumns, ProtocolTable, StationRows, check_columns

if TYPE_CHECKING:
    from saylau.analysis.forensics.contests import PastColumns

Int64Array = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

LARGEST = 2**40
"""The largest number the column path takes; a file with a larger one is read by the object path."""
_ROWS_INT64 = 2**22
_BLOCK = 1 << 20  # bytes per block of the CSV reader
_RANGE = 1 << 24
"""Bytes of a large CSV file one thread reads at a time (cut just after a line break)."""
_THREADS = 4
"""The most threads reading one file (no more than the machine's cores)."""
SMALL = 1 << 20
"""Files under this many bytes are split into columns by the standard library's csv module (same checks)."""
_DIGITS = len(str(MAX_COUNT)) + 1  # the longest plain cell that can be a count: a sign and MAX_COUNT's digits
_PLAIN = re.compile(r"-?[0-9]+\Z")
_BALLOTS = ("list", "district")


class _NotPlain(Exception):
    """This file needs the object path (see the module's docstring)."""


@dataclass
class Count:
    """What counting a set of protocol files found: findings, reading problems, and the sums per district."""

    protocols: int = 0
    findings: list[Finding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    register: Mapping[int, Station] | None = None
    """The station register the protocols were checked against (None: there is none)."""
    list_by_district: dict[int, Tally] = field(default_factory=dict)
    district_tallies: dict[int, Tally] = field(default_factory=dict)
    progress: dict[str, BallotProgress] = field(default_factory=dict)
    """Per counted ballot: stations and registered voters covered by accepted protocols."""
    accounting: dict[str, BallotAccounting] = field(default_factory=dict)
    """Per counted ballot: the ballot accounting lines summed over the accepted protocols."""
    accepted: Sequence[Protocol] | None = None
    """Every accepted protocol, in file order, when `count_protocols` was asked to keep them (else None): from
    the columns an `AcceptedRows`, whose objects are made only when asked for."""

    def list_tally(self, election: Election) -> Tally | None:
        """The city-wide list ballot, every registered party in order (0 where nobody voted for it).

        None before any list protocol is counted: a count that has not started decides no list seat.
        """
        if not election.parties or not self.list_by_district:
            return None
        votes: dict[str, int] = {}
        lines = [0, 0, 0, 0]
        for tally in self.list_by_district.values():
            for option, n in tally.votes.items():
                votes[option] = votes.get(option, 0) + n
            for k, n in enumerate((tally.against_all, tally.invalid, tally.took_part, tally.registered)):
                lines[k] += n
        return Tally({p.short_name: votes.get(p.short_name, 0) for p in election.parties}, *lines)

    def stations(self) -> Sequence[Station] | None:
        """The station register the protocols were checked against, in station order (None: there is none)."""
        if isinstance(self.register, _Register):
            return self.register.stations()
        return None if self.register is None else list(self.register.values())

    def results(self, election: Election) -> Results:
        """The count as the election's results (what it published kept beside them; `counted_results`)."""
        tally = self.list_tally(election)
        return counted_results(election.results, tally, self.district_tallies, self.progress, self.accounting)


def count_protocols(
    paths: Iterable[Path],
    election: Election | None,
    stations: Sequence[Station] | None = None,
    settings: CheckSettings = CheckSettings(),  # noqa: B008 - frozen, never mutated
    *,
    keep_accepted: bool = False,
) -> Count:
    """Read, check and count the protocols of files and election folders, like `read_protocols` + `check`
    + `tabulate` do, with the same findings in the same order and the same sums.

    `stations` is the register to check against when `paths` hold none (files named one by one).
    `keep_accepted`: also keep every accepted protocol (`Count.accepted`, as `tabulate` gives them), for the
    commands that need each station's figures (the NIST export's precincts, the projection).
    """
    paths = list(paths)
    count = Count()
    registers = {path: _read_register(path) for path in paths if path.is_dir()}
    found = [r for r in registers.values() if r[0] is not None]
    register = _Register.joined([r for r, _ in found if r is not None]) if found else _Register.of(stations)
    count.register = register if register.present else None
    tally = _Tally(election, keep=keep_accepted)
    keys: list[Int64Array] = []
    for path in paths:
        if path.is_dir():
            count.problems += registers[path][1]
            files = sorted((path / "protocols").glob("*.csv")) + sorted((path / "protocols").glob("*.json"))
            for file in files:
                name = file.relative_to(path).as_posix()
                keys += _count_file(path, name, election, register, settings, tally, count, confined=True)
        elif path.is_file():
            keys += _count_file(Path(), str(path), election, register, settings, tally, count, confined=False)
        else:
            count.problems.append(worded(NEITHER, str(path)))
    if keys and _has_duplicates(keys):
        return _by_objects(paths, election, stations, settings, keep_accepted)
    count.accepted = AcceptedRows(tally.accepted) if tally.accepted is not None else None
    count.list_by_district, count.district_tallies = tally.tallies()
    if election is not None:
        count.accounting = tally.accounting()
        if register.present:
            count.progress = {b: tally.progress(b, register) for b in count.accounting}
    return count


def _count_file(
    folder: Path,
    name: str,
    election: Election | None,
    register: _Register,
    settings: CheckSettings,
    tally: _Tally,
    count: Count,
    *,
    confined: bool,
) -> list[Int64Array]:
    """One file: through the columns if it is plain, else through the object path (`confined`: it belongs to
    an election folder and may not lead out of it)."""
    try:
        if name.lower().endswith(".json"):
            raise _NotPlain  # parsed to objects by the standard library's C parser, checked one by one
        return _count_csv(folder if confined else None, folder / name, name, election, register, settings, tally, count)
    except _NotPlain:
        protocols, problems = read_protocol_file(folder, name, confined=confined)
        count.problems += problems
        return _count_objects(protocols, election, register, settings, tally, count)


def _by_objects(
    paths: list[Path],
    election: Election | None,
    stations: Sequence[Station] | None,
    settings: CheckSettings,
    keep_accepted: bool,
) -> Count:
    """The whole count by the object path: a station reported a ballot twice (P007, W005 need it)."""
    found = read_protocols(paths)
    register = found.stations if found.stations is not None else (list(stations) if stations is not None else None)
    findings = check(found.protocols, election, register, settings)
    out = Count(len(found.protocols), findings, found.problems, _Register.of(register) if register else None)
    if election is not None and register is not None:
        done = tabulate(found.protocols, election, register, settings)
        out.list_by_district, out.district_tallies = dict(done.list_by_district), dict(done.district_tallies)
        out.progress, out.accounting = {str(b): p for b, p in done.progress.items()}, done.accounting
        out.accepted = list(done.accepted) if keep_accepted else None
    return out


class _Register(Mapping[int, Station]):
    """The station register as sorted arrays (numbers and their districts, registered voters); a mapping
    for the object path's checks, which look up only the few stations of flagged rows."""

    def __init__(self, numbers: Int64Array | None, districts: Int64Array, registered: Int64Array) -> None:
        self.present = numbers is not None
        order = np.argsort(numbers, kind="stable") if numbers is not None else np.zeros(0, np.int64)
        self.numbers: Int64Array = numbers[order] if numbers is not None else np.zeros(0, np.int64)
        self.districts: Int64Array = districts[order] if numbers is not None else np.zeros(0, np.int64)
        self.registered: Int64Array = registered[order] if numbers is not None else np.zeros(0, np.int64)

    @classmethod
    def of(cls, stations: Sequence[Station] | None) -> _Register:
        if stations is None:
            return cls(None, np.zeros(0, np.int64), np.zeros(0, np.int64))
        return cls(
            np.array([s.number for s in stations], np.int64),
            np.array([s.district for s in stations], np.int64),
            np.array([s.registered for s in stations], np.int64),
        )

    @classmethod
    def joined(cls, registers: list[_Register]) -> _Register:
        """Several folders' registers as one; a station in two of them: the last, as `check`'s dict keeps it."""
        numbers = np.concatenate([r.numbers for r in registers])
        districts = np.concatenate([r.districts for r in registers])
        registered = np.concatenate([r.registered for r in registers])
        last = len(numbers) - 1 - np.unique(numbers[::-1], return_index=True)[1]
        return cls(numbers[last], districts[last], registered[last])

    def _at(self, number: int) -> int | None:
        i = int(np.searchsorted(self.numbers, number))
        return i if i < len(self.numbers) and int(self.numbers[i]) == number else None

    def __getitem__(self, number: int) -> Station:
        i = self._at(number)
        if i is None:
            raise KeyError(number)
        return Station(number, int(self.districts[i]), int(self.registered[i]))

    def __iter__(self) -> Iterator[int]:
        return iter(self.numbers.tolist())

    def __len__(self) -> int:
        return len(self.numbers)

    def stations(self) -> StationRows:
        """The register in station order, as columns (a `Sequence[Station]` that makes no object until asked)."""
        return StationRows(self.numbers, self.districts, self.registered)


def _read_register(folder: Path) -> tuple[_Register | None, list[Problem]]:
    """The folder's stations.csv as arrays when it is plain; otherwise through `read_stations` (its problems)."""
    path = folder / "stations.csv"
    if not path.is_file():
        return None, []
    if path.stat().st_size < SMALL:  # a city's register: the object path reads it at once, without pyarrow
        stations, problems = read_stations(folder)
        return (_Register.of(stations) if stations is not None else None), problems
    import pyarrow as pa
    import pyarrow.csv as pacsv

    try:
        header = _stripped_header(path)
        if any(c not in header for c in ("station", "district", "registered")):
            raise _NotPlain
        types = {c: pa.int64() for c in ("station", "district", "registered")}
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=header, skip_rows=1),
            parse_options=pacsv.ParseOptions(newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(
                column_types=types, include_columns=list(types), null_values=[""], quoted_strings_can_be_null=True
            ),
        )
        if table.num_rows != _records(path, folder) or any(table.column(c).null_count for c in types):
            raise _NotPlain
        numbers, districts, registered = (_ints(table.column(c).combine_chunks())[0] for c in types)
        if (numbers < 1).any() or (districts < 1).any() or (registered < 0).any():
            raise _NotPlain
        if _repeats(numbers):
            raise _NotPlain  # the object path names the station listed twice
        return _Register(numbers, districts, registered), []
    except (_NotPlain, pa.ArrowInvalid, OSError, UnicodeDecodeError):
        stations, problems = read_stations(folder)
        return (_Register.of(stations) if stations is not None else None), problems


def read_past_columns(folder: Path, parties: Iterable[str]) -> tuple[PastColumns | None, list[Problem]]:
    """`read_station_history`'s figures as columns (for a national count, where a `StationHistory` per station
    costs more than the count): a plain file straight from its columns, anything else through
    `read_station_history` with every check and its problems. The same figures either way. The one reader of
    the `previous:` columns: the forensics take these columns, the projection the same in its own order
    (`io.history.read_history_columns`). (Here, not in io.protocols, which this module imports.)"""
    from saylau.analysis.forensics.contests import PastColumns

    known = set(parties)
    path = folder / "stations.csv"
    if not path.is_file() or not _names_previous(path):
        return None, []  # no `previous:` column: no history (the folder format without them)
    columns = read_previous_columns(folder, known) if path.stat().st_size >= SMALL else None
    if columns is None:
        plain = plain_history(folder, known)
        if plain is None:
            history, problems = read_station_history(folder, known)
            return (PastColumns.of(history) if history else None), problems
        cells, _ = plain
        columns = {
            h: np.fromiter((int(c) if c else -1 for c in cells[h]), np.int64, len(cells["station"]))
            for h in cells
            if h in ("station", "registered") or h.startswith(PREVIOUS)
        }
    named = [h for h in columns if h.startswith(PREVIOUS) and h not in (f"{PREVIOUS}registered", f"{PREVIOUS}found")]
    votes = {h[len(PREVIOUS) :]: columns[h] for h in named}
    registered = columns["registered"].copy()
    found = np.zeros(registered.shape[0], np.int64)
    for party_votes in votes.values():
        found += party_votes
    for name, default in ((f"{PREVIOUS}registered", registered), (f"{PREVIOUS}found", found)):
        if name in columns:
            given = columns[name]
            default[given >= 0] = given[given >= 0]
    station = columns["station"]
    order: Int64Array | slice = slice(None) if _rising(station) else np.argsort(station, kind="stable")
    return (
        PastColumns(
            station[order],
            registered[order].astype(np.float64),
            found[order].astype(np.float64),
            {party: v[order].astype(np.float64) for party, v in votes.items()},
        ),
        [],
    )


def _names_previous(path: Path) -> bool:
    """Whether the file's first line may have a `previous:` column (a file that cannot be read, or a first line
    past a mebibyte or without its end: as if it had, so that the row reader says what it finds)."""
    try:
        with path.open("rb") as f:
            first = f.readline(1 << 20)
    except OSError:
        return True
    return PREVIOUS.encode() in first or not first.endswith(b"\n")


def read_previous_columns(folder: Path, parties: set[str]) -> dict[str, Int64Array] | None:
    """stations.csv's `station`, `registered` and `previous:` columns as arrays when the file is plain for
    pyarrow (header stripped and unquoted, every record complete, `station`, `registered` and every
    `previous:` party column, each naming one of `parties`, whole numbers from 0 to MAX_COUNT, stations from
    1 and none twice); the optional `previous:registered` and `previous:found` -1 where empty. None for
    anything else, which `io.protocols.read_station_history` reads row by row with every check. For a
    national register (`io.columnar.read_past_columns`), where a Python string per cell costs more than the
    count."""
    path = folder / "stations.csv"
    import pyarrow as pa
    import pyarrow.csv as pacsv

    try:
        header = _stripped_header(path)
        previous = [h for h in header if h.startswith("previous:")]
        optional = [h for h in previous if h in ("previous:registered", "previous:found")]
        named = [h for h in previous if h not in optional]
        if not named or any(h[len("previous:") :] not in parties for h in named) or "registered" not in header:
            raise _NotPlain
        if "station" not in header or len(set(header)) != len(header):
            raise _NotPlain
        wanted = ["station", "registered", *previous]
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=header, skip_rows=1),
            parse_options=pacsv.ParseOptions(newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(wanted, pa.int64()),
                include_columns=wanted,
                null_values=[""],
                quoted_strings_can_be_null=True,
            ),
        )
        if table.num_rows == 0 or table.num_rows != _records(path, folder):
            raise _NotPlain
        out: dict[str, Int64Array] = {}
        for name in wanted:
            values, missing = _ints(table.column(name).combine_chunks())
            if (missing.any() and name not in optional) or (values < 0).any() or (values > MAX_COUNT).any():
                raise _NotPlain
            out[name] = np.where(missing, -1, values) if missing.any() else values
        if (out["station"] < 1).any() or _repeats(out["station"]):
            raise _NotPlain
        return out
    except (_NotPlain, pa.ArrowInvalid, OSError, UnicodeDecodeError):
        return None


def _has_duplicates(keys: list[Int64Array]) -> bool:
    return _repeats(np.concatenate(keys)) if keys else False


def _rising(values: Int64Array) -> bool:
    """Whether every value is larger than the one before (a register in station order)."""
    return bool((values[1:] > values[:-1]).all())


def _repeats(values: Int64Array) -> bool:
    """Whether a value appears twice: by sorting (numpy 2.4's `np.unique` hashes, twenty times slower on a
    million distinct station numbers), unless they are in order already."""
    if _rising(values):
        return False
    ordered = np.sort(values)
    return bool((ordered[1:] == ordered[:-1]).any())


# --- one CSV file ------------------------------------------------------------------------------------------


def _stripped_header(path: Path) -> list[str]:
    """The file's column names as `read_table` sees them (stripped), or _NotPlain."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            first = f.readline()
    except (OSError, UnicodeDecodeError):
        raise _NotPlain from None
    if '"' in first:
        raise _NotPlain
    try:
        header = [h.strip() for h in next(csv.reader([first]), [])]
    except csv.Error:  # a cell over MAX_CELL: the object path reports it with the file and row
        raise _NotPlain from None
    if len(header) > MAX_COLUMNS or len(set(header)) < len(header) or any(invisible(h) for h in header):
        raise _NotPlain  # the object path names the column
    return header


def _header(path: Path) -> list[str]:
    """The protocol file's column names (stripped), or _NotPlain."""
    header = _stripped_header(path)
    options = [h[len(VOTE) :].strip() for h in header if h.startswith(VOTE)]
    if len(set(options)) < len(options):
        raise _NotPlain
    if any(c not in header for c in COLUMNS):
        raise _NotPlain  # the object path says which columns are missing
    return header


def _records(path: Path, folder: Path | None = None) -> int:
    """Records after the header if the file is plain for the column reader (see `_lines`), else _NotPlain."""
    return _count_records(path, _ranges(path, folder))


def _count_records(path: Path, ranges: list[tuple[int, int]]) -> int:
    with path.open("rb") as f:
        return sum(_lines(f.read(size), first=k == 0, last=k == len(ranges) - 1) for k, (_, size) in enumerate(ranges))


def _ranges(path: Path, folder: Path | None) -> list[tuple[int, int]]:
    """(offset, size) of the file's pieces of about _RANGE bytes, each cut just after a line break, or
    _NotPlain: a link out of `folder`, a file over MAX_FILE_BYTES (the object path reports those)."""
    if (folder is not None and not inside(path, folder)) or (size := path.stat().st_size) > MAX_FILE_BYTES:
        raise _NotPlain
    starts = [0]
    with path.open("rb") as f:
        while starts[-1] + _RANGE < size:
            f.seek(starts[-1] + _RANGE)
            rest = f.readline(MAX_CELL + 1)
            if len(rest) > MAX_CELL:
                raise _NotPlain  # a line longer than MAX_CELL
            if f.tell() >= size:
                break
            starts.append(f.tell())
    return [(start, end - start) for start, end in zip(starts, [*starts[1:], size], strict=True)]


def _lines(data: bytes, *, first: bool, last: bool) -> int:
    """Records in a piece of a file cut just after line breaks (`first`: it begins with the header) if it
    is plain for the column reader, else _NotPlain.

    Plain: every line is one record (no blank line, no quoted line break: the row numbers are the line
    numbers), the bytes are UTF-8, every line is shorter than MAX_CELL bytes, and no cell holds "0x"
    (pyarrow reads 0x1F as a number where the object path sees text).
    """
    # "x" is rare in a protocol file and "0" everywhere: looking for "x" first is a hundred times faster
    if (b"x" in data and b"0x" in data) or (b"X" in data and b"0X" in data):
        raise _NotPlain
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise _NotPlain from None
    start, end = 0, len(data)
    while end - start >= MAX_CELL:  # a line break within every MAX_CELL bytes: no line is that long
        start = data.rfind(b"\n", start, start + MAX_CELL) + 1
        if not start:
            raise _NotPlain
    return data.count(b"\n") - first + (last and not data.endswith(b"\n"))


class _Wider(Exception):
    """A number does not fit 32 bits: read the file again with 64-bit columns."""


class _Whole(Exception):
    """The file holds a quote character, or a line beginning with a byte order mark: read it in one stream,
    whose reader knows where a quoted cell ends and where the file begins."""


def _count_csv(
    folder: Path | None,
    path: Path,
    name: str,
    election: Election | None,
    register: _Register,
    settings: CheckSettings,
    tally: _Tally,
    count: Count,
) -> list[Int64Array]:
    """Read one CSV file through the column checks into `tally`; _NotPlain when it needs the object path.

    First in pieces on several threads with 32-bit columns (a station's counts are far below 2**31); a file
    with a larger number is read again with 64-bit ones, and a file with a quote character in one stream.
    """
    if not path.is_file():
        raise _NotPlain
    header = _header(path)
    ranges = _ranges(path, folder)
    wide = whole = False
    while True:
        local = _Tally(
            tally.election, keep=tally.accepted is not None
        )  # merged only once the whole file has read plainly
        findings: list[Finding] = []
        keys: list[Int64Array] = []
        rows = 0
        try:
            for block in _blocks(path, name, header, ranges, election, wide=wide, whole=whole):
                rows += block.size
                keys.append(block.keys())
                findings += _check_block(block, election, register, settings, local)
        except _Wider:
            wide = True
            continue
        except _Whole:
            whole = True
            continue
        break
    tally.merge(local)
    count.findings += findings
    count.protocols += rows
    return keys


def _blocks(
    path: Path,
    name: str,
    header: list[str],
    ranges: list[tuple[int, int]],
    election: Election | None,
    *,
    wide: bool,
    whole: bool,
) -> Iterator[_Block]:
    """The file's rows in blocks of columns, checked to be its lines: the standard library's csv module for
    a small file (under SMALL bytes, which spares the command line pyarrow's import), else pyarrow's reader,
    in pieces on threads or (`whole`) in one stream."""
    if path.stat().st_size < SMALL:
        block = _Block.of_text(path, name, header)
        if block.size != _count_records(path, ranges):
            raise _NotPlain
        yield block
        return
    columns = _Columns.of(header, election, wide=wide)
    if whole:
        yield from _stream(path, name, header, ranges, columns.every, wide=wide)
    else:
        yield from _pieces(path, name, ranges, columns)


@dataclass(frozen=True)
class _Columns:
    """Which columns a piece is read with: `every` one the count needs, or, when the election says which
    options stand on which ballot, the `fixed` ones (identity, accounting and any other non-vote column)
    first and then only the `vote:` columns of the ballots and districts of the piece's rows."""

    header: list[str]
    wide: bool
    every: Any
    """pyarrow's ConvertOptions for every column the count needs."""
    fixed: Any | None
    """ConvertOptions for the columns that are not `vote:` ones (None: read `every` column)."""
    votes: list[str]
    """The `vote:` columns, in the header's order."""
    parties: frozenset[str]
    """The `vote:` columns of the list ballot's options."""
    candidates: Mapping[int, frozenset[str]]
    """The `vote:` columns of each district's candidates."""

    @classmethod
    def of(cls, header: list[str], election: Election | None, *, wide: bool) -> _Columns:
        import pyarrow as pa
        import pyarrow.csv as pacsv

        number = pa.int64() if wide else pa.int32()
        ballot = pa.dictionary(pa.int32(), pa.string())
        votes = [h for h in header if h.startswith(VOTE)]
        every = [h for h in header if h in COLUMNS or h in votes]
        types = {h: (ballot if h == "ballot" else number) for h in every}
        fixed = None
        parties: frozenset[str] = frozenset()
        candidates: dict[int, frozenset[str]] = {}
        if election is not None:
            rest = [h for h in header if h not in votes]
            fixed = pacsv.ConvertOptions(
                column_types={h: types.get(h, pa.string()) for h in rest},
                include_columns=rest,
                null_values=[""],
                quoted_strings_can_be_null=True,
                strings_can_be_null=True,  # an empty cell of any column is null: `_filled` counts the others
            )
            column = {h[len(VOTE) :].strip(): h for h in votes}
            parties = frozenset(column[p.short_name] for p in election.parties if p.short_name in column)
            for d in election.districts:
                candidates[d.number] = frozenset(column[c.name] for c in d.candidates if c.name in column)
        return cls(header, wide, _converting(every, types), fixed, votes, parties, candidates)

    def convert(self, names: list[str]) -> Any:
        """ConvertOptions for these `vote:` columns."""
        import pyarrow as pa

        number = pa.int64() if self.wide else pa.int32()
        return _converting(names, dict.fromkeys(names, number))

    def chosen(self, fixed: Any) -> list[str]:
        """The `vote:` columns the rows of a piece (its `fixed` columns) may fill on their ballots."""
        is_district = _ballots(fixed.column("ballot"))
        districts, _ = _column(fixed.column("district"))
        chosen: set[str] = set(self.parties) if (is_district == 0).any() else set()
        for d in np.unique(districts[is_district == 1]).tolist():
            chosen |= self.candidates.get(d, frozenset())
        return [h for h in self.votes if h in chosen]


def _converting(names: list[str], types: Mapping[str, Any]) -> Any:
    import pyarrow.csv as pacsv

    return pacsv.ConvertOptions(
        column_types=dict(types), include_columns=names, null_values=[""], quoted_strings_can_be_null=True
    )


def _pieces(path: Path, name: str, ranges: list[tuple[int, int]], columns: _Columns) -> Iterator[_Block]:
    """The file's pieces read on up to _THREADS threads (pyarrow parses without holding the GIL), in order,
    a few ahead of the checks."""
    threads = max(1, min(_THREADS, os.cpu_count() or 1))
    ahead = threads + 1
    pool = ThreadPoolExecutor(threads)
    try:

        def read(k: int) -> Future[_Block]:
            offset, size = ranges[k]
            return pool.submit(_piece, path, name, offset, size, k, len(ranges), columns)

        futures = {k: read(k) for k in range(min(ahead, len(ranges)))}
        before = 0
        for k in range(len(ranges)):
            if k + ahead < len(ranges):
                futures[k + ahead] = read(k + ahead)
            block = futures.pop(k).result()
            block.first_row = before + 2
            before += block.size
            yield block
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _piece(path: Path, name: str, offset: int, size: int, k: int, pieces: int, columns: _Columns) -> _Block:
    """Piece k of the file as one block (its first row numbered 2: `_pieces` numbers it).

    With an election, the piece is read twice, which costs less than converting every column once: the
    `fixed` columns, then the `vote:` columns its rows' ballots hold; if its bytes hold more filled cells
    than those (a vote off the ballot, P004), it is read a third time with every column.
    """
    import pyarrow as pa

    with path.open("rb") as f:
        f.seek(offset)
        data = f.read(size)
    records = _lines(data, first=k == 0, last=k == pieces - 1)
    if b'"' in data or (k and data.startswith(codecs.BOM_UTF8)):
        raise _Whole
    try:
        table = None
        if columns.fixed is not None:
            fixed = _parsed(data, columns.header, k == 0, columns.fixed)
            chosen = columns.chosen(fixed)
            votes = _parsed(data, columns.header, k == 0, columns.convert(chosen))
            if _filled(data, first=k == 0) == _nonempty(fixed) + _nonempty(votes):
                table = fixed
                for h in chosen:
                    table = table.append_column(h, votes.column(h))
        if table is None:
            table = _parsed(data, columns.header, k == 0, columns.every)
    except (pa.ArrowInvalid, UnicodeDecodeError):
        if columns.wide:
            raise _NotPlain from None
        raise _Wider from None
    if table.num_rows != records:
        raise _NotPlain
    return _Block.of_arrow(table, name, 0)


def _parsed(data: bytes, header: list[str], first: bool, convert: Any) -> Any:
    """A piece of CSV (`first`: it begins with the header) as a pyarrow table, on this thread."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    return pacsv.read_csv(
        pa.py_buffer(data),
        read_options=pacsv.ReadOptions(column_names=header, skip_rows=first, block_size=_BLOCK, use_threads=False),
        parse_options=pacsv.ParseOptions(newlines_in_values=False),
        convert_options=convert,
    )


def _nonempty(table: Any) -> int:
    return sum(table.num_rows - column.null_count for column in table.columns)


def _filled(data: bytes, *, first: bool) -> int | None:
    """Filled cells of the records of a piece without quotes (`first`: after its header line), or None when
    a byte below the comma other than a line break is in it (the count below would take it for a separator).
    """
    start = data.find(b"\n") + 1 if first else 0
    if first and not start:
        return 0  # the header alone
    text = np.frombuffer(data, np.uint8)[start:]
    low = np.flatnonzero(text < 44)
    if not ((text[low] == 10) | (text[low] == 13)).all():
        return None
    filled = text > 44  # not a comma, a line feed or a carriage return
    return int(np.count_nonzero(filled[1:] > filled[:-1])) + int(filled[:1].sum())


def _stream(
    path: Path, name: str, header: list[str], ranges: list[tuple[int, int]], convert: Any, *, wide: bool
) -> Iterator[_Block]:
    """The file in one stream of blocks, quoted cells read as CSV reads them (a line break inside one
    makes two lines one record: the file is not plain)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    records = _count_records(path, ranges)
    read = pacsv.ReadOptions(column_names=header, skip_rows=1, block_size=_BLOCK)
    parse = pacsv.ParseOptions(newlines_in_values=True)
    rows = 0
    try:
        with pacsv.open_csv(path, read_options=read, parse_options=parse, convert_options=convert) as reader:
            for batch in reader:
                block = _Block.of_arrow(batch, name, rows)
                rows += block.size
                yield block
    except (pa.ArrowInvalid, UnicodeDecodeError, OSError):
        if wide:
            raise _NotPlain from None
        raise _Wider from None
    if rows != records:
        raise _NotPlain


def _count_objects(
    protocols: list[Protocol],
    election: Election | None,
    register: _Register,
    settings: CheckSettings,
    tally: _Tally,
    count: Count,
) -> list[Int64Array]:
    """Protocols the object path read: checked and summed one by one (they are objects already)."""
    count.protocols += len(protocols)
    for p in protocols:
        found = findings_of(p, tally.ballots, register_view(register), settings)
        count.findings += found
        if not any(f.severity == "error" for f in found):
            tally.add_protocol(p)
    keys = np.array([p.station * 2 + (p.ballot == "district") for p in protocols], np.int64)
    return [keys]


# --- a block of rows as columns -----------------------------------------------------------------------------


@dataclass
class _Block:
    """Rows of one file: identity, the nine lines (nulls read 0, marked in `missing`), and vote columns."""

    source: str | None
    first_row: int
    station: Int64Array
    district: Int64Array
    ballot: Int64Array
    """0 list, 1 district."""
    figures: dict[str, Int64Array]
    missing: dict[str, BoolArray]
    options: list[str]
    votes: list[Int64Array]
    present: list[BoolArray]

    @property
    def size(self) -> int:
        return int(self.station.shape[0])

    def keys(self) -> Int64Array:
        out: Int64Array = self.station * 2 + self.ballot
        return out

    @classmethod
    def of_arrow(cls, table: Any, source: str, before: int) -> _Block:
        """Rows of a pyarrow table or record batch of int32 or int64 columns; a `vote:` column empty on every
        row is left out (it adds nothing and flags nothing), which spares most of a national file's."""

        def ints(name: str) -> tuple[Int64Array, BoolArray]:
            column = table.column(name)
            values, missing = _column(column)
            wide = column.type.bit_width == 64
            if wide and values.size and (int(values.max()) > MAX_COUNT or int(values.min()) < -MAX_COUNT):
                raise _NotPlain  # the object path says "above the limit"
            return values, missing

        station, no_station = ints("station")
        district, no_district = ints("district")
        is_district = _ballots(table.column("ballot"))
        if no_station.any() or no_district.any() or (station < 1).any() or (district < 1).any():
            raise _NotPlain
        figures, missing = {}, {}
        for name in FIGURES:
            figures[name], missing[name] = ints(name)
        options, votes, present = [], [], []
        for name in table.schema.names:
            if name.startswith(VOTE) and table.column(name).null_count < table.num_rows:
                values, empty = ints(name)
                options.append(name[len(VOTE) :].strip())
                votes.append(values)
                present.append(~empty)
        return cls(source, before + 2, station, district, is_district, figures, missing, options, votes, present)

    @classmethod
    def of_text(cls, path: Path, source: str, header: list[str]) -> _Block:
        """A small file in one block, split by the csv module; only plain whole numbers are taken."""
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            raise _NotPlain from None
        reader = csv.reader(io.StringIO(text))
        width = len(header)
        records: list[list[str]] = []
        try:
            next(reader, None)
            for record in reader:
                if len(record) != width or reader.line_num != len(records) + 2:
                    raise _NotPlain  # a short or long row, a blank line, a quoted line break
                records.append(record)
        except csv.Error:  # a cell over MAX_CELL: the object path reports it with the file and row
            raise _NotPlain from None
        columns = list(zip(*records, strict=True)) if records else [() for _ in header]
        at = {h: k for k, h in enumerate(header)}

        def ints(name: str) -> tuple[Int64Array, BoolArray]:
            cells = columns[at[name]]
            missing = np.array([c == "" for c in cells], np.bool_)
            if not all(c == "" or (len(c) <= _DIGITS and _PLAIN.match(c)) for c in cells):
                raise _NotPlain  # not a plain whole number, or too long to be one within MAX_COUNT
            values = [int(c) if c else 0 for c in cells]
            if values and (max(values) > MAX_COUNT or min(values) < -MAX_COUNT):
                raise _NotPlain  # the object path says "above the limit"
            return np.array(values, np.int64), missing

        station, no_station = ints("station")
        district, no_district = ints("district")
        words = [c.strip().lower() for c in columns[at["ballot"]]]
        if any(w not in _BALLOTS for w in words) or no_station.any() or no_district.any():
            raise _NotPlain
        if (station < 1).any() or (district < 1).any():
            raise _NotPlain
        figures, missing = {}, {}
        for name in FIGURES:
            figures[name], missing[name] = ints(name)
        options, votes, present = [], [], []
        for name in header:
            if name.startswith(VOTE):
                values, empty = ints(name)
                options.append(name[len(VOTE) :].strip())
                votes.append(values)
                present.append(~empty)
        ballot = np.array([w == "district" for w in words], np.int64)
        return cls(source, 2, station, district, ballot, figures, missing, options, votes, present)

    def rows(self, rows: Int64Array | slice) -> ProtocolTable:
        """The rows as a table of accepted protocols (every line read; no source or row, which take no part in
        equality): copies of the columns (the columns themselves for every row, `slice(None)`), not an object
        per row."""
        return ProtocolTable(
            self.station[rows],
            self.district[rows],
            self.ballot[rows],
            {f: self.figures[f][rows] for f in FIGURES},
            tuple(self.options),
            tuple(v[rows] for v in self.votes),
            tuple(here[rows] for here in self.present),
        )

    def protocol(self, r: int) -> Protocol:
        """Row r as the object path would have read it."""
        malformed = {f: "" for f in FIGURES if self.missing[f][r]}
        votes = {o: int(v[r]) for o, v, here in zip(self.options, self.votes, self.present, strict=True) if here[r]}
        return Protocol(
            int(self.station[r]),
            int(self.district[r]),
            _BALLOTS[int(self.ballot[r])],  # type: ignore[arg-type]
            **{f: int(self.figures[f][r]) for f in FIGURES},
            votes=votes,
            malformed=malformed,
            source=self.source,
            row=self.first_row + r,
        )


def _check_block(
    block: _Block, election: Election | None, register: _Register, settings: CheckSettings, tally: _Tally
) -> list[Finding]:
    """The findings of a block (rows flagged by the columns, checked by the object path) and its sums."""
    flagged, huge = _flags(block, election, register, settings)
    findings: list[Finding] = []
    keep = np.ones(block.size, np.bool_)
    for r in np.flatnonzero(flagged).tolist():
        protocol = block.protocol(r)
        found = findings_of(protocol, tally.ballots, register_view(register), settings)
        findings += found
        if huge[r] or any(f.severity == "error" for f in found):
            keep[r] = False
            if huge[r] and not any(f.severity == "error" for f in found):
                tally.add_protocol(protocol)  # in Python integers: exact at any size
    tally.add(block, keep)
    return findings


def _flags(
    block: _Block, election: Election | None, register: _Register, settings: CheckSettings
) -> tuple[BoolArray, BoolArray]:
    """(rows that may break any check, rows with a number above LARGEST): the relations between numbers are
    the speed path's (`saylau.tabulation.fast.check_columns`, held equal to `check` by property tests); a
    flagged row is then judged by `check` itself, which says which checks and with what figures."""
    f = block.figures
    n = block.size
    flag = np.zeros(n, np.bool_)
    huge = np.zeros(n, np.bool_)
    for name in FIGURES:
        flag |= block.missing[name]
        huge |= (f[name] > LARGEST) | (f[name] < -LARGEST)
    for values in block.votes:
        huge |= (values > LARGEST) | (values < -LARGEST)
    flag |= huge
    if huge.any():  # keep the sums and products in range: those rows are decided one by one anyway
        f = {name: np.where(huge, 0, column) for name, column in f.items()}
    votes = [np.where(huge, 0, values) for values in block.votes] if huge.any() else block.votes
    matrix = np.stack(votes, axis=1) if votes else np.zeros((n, 0), np.int64)
    registered_district = registered_voters = None
    if register.present:
        numbers = register.numbers
        if len(numbers):
            at = np.clip(np.searchsorted(numbers, block.station), 0, len(numbers) - 1)
            flag |= numbers[at] != block.station  # P009: not in the register
            registered_district, registered_voters = register.districts[at], register.registered[at]
        else:
            flag[:] = True
    masks = check_columns(
        ProtocolColumns(block.station, block.district, f, matrix), registered_district, settings, registered_voters
    )
    for mask in masks.values():
        flag |= mask
    if election is not None:
        flag |= _off_ballot(block, election)
    return flag, huge


def _off_ballot(block: _Block, election: Election) -> BoolArray:
    """Rows with a vote for an option that is not on their ballot (P004), or in a district not in the election."""
    parties = {p.short_name for p in election.parties}
    where: dict[str, list[int]] = {}
    for d in election.districts:
        for c in d.candidates:
            where.setdefault(c.name, []).append(d.number)
    numbers = np.array([d.number for d in election.districts], np.int64)
    is_district = block.ballot == 1
    flag: BoolArray = is_district & ~np.isin(block.district, numbers)
    for option, here in zip(block.options, block.present, strict=True):
        rows = np.flatnonzero(here)
        if not rows.size:
            continue
        on_district = is_district[rows]
        wrong = on_district & ~np.isin(block.district[rows], np.array(where.get(option, []), np.int64))
        if option not in parties:
            wrong |= ~on_district
        flag[rows[wrong]] = True
    return flag


def _chunks(column: Any) -> list[Any]:
    """The arrays of a pyarrow column: a table's are chunked, a record batch's are one array."""
    return list(column.chunks) if hasattr(column, "chunks") else [column]


def _column(column: Any) -> tuple[Int64Array, BoolArray]:
    """(values with 0 where empty, empty) of an int64 or int32 pyarrow column, chunked or not."""
    parts = [_ints(chunk) for chunk in _chunks(column)]
    if len(parts) == 1:
        return parts[0]
    if not parts:
        return np.zeros(0, np.int64), np.zeros(0, np.bool_)
    return np.concatenate([v for v, _ in parts]), np.concatenate([m for _, m in parts])


def _ballots(column: Any) -> Int64Array:
    """1 for a district ballot, 0 for a list one, of the dictionary-encoded ballot column (each chunk has its
    few words, looked at in Python); _NotPlain for an empty cell or another word (the object path names it)."""
    if column.null_count:
        raise _NotPlain
    parts = [np.zeros(0, np.int64)]
    for chunk in _chunks(column):
        words = [(w or "").strip().lower() for w in chunk.dictionary.to_pylist()]
        if any(w not in _BALLOTS for w in words):
            raise _NotPlain
        codes = np.array([_BALLOTS.index(w) for w in words], np.int64)
        parts.append(codes[_ints(chunk.indices)[0]])
    out: Int64Array = np.concatenate(parts)
    return out


def _ints(array: Any) -> tuple[Int64Array, BoolArray]:
    """(values with 0 where empty, empty) of an int64 or int32 arrow array, read from its buffers: no
    conversion through floats (exact beyond 2**53) and no import of pyarrow.compute (a quarter second)."""
    n, offset = len(array), array.offset
    validity, data = array.buffers()[:2]
    dtype = np.int64 if array.type.bit_width == 64 else np.int32
    values = np.frombuffer(data, dtype=dtype, count=offset + n)[offset:].astype(np.int64)
    if not array.null_count:
        return values, np.zeros(n, np.bool_)
    bits = np.unpackbits(np.frombuffer(validity, np.uint8), bitorder="little")[offset : offset + n]
    missing = bits == 0
    values[missing] = 0
    return values, missing


# --- the sums -------------------------------------------------------------------------------------------------


class _Tally:
    """Sums per ballot, district and option of the accepted rows, with which options were written at all.

    Dense int64 arrays (district x option) while no sum can pass 2**62: every number summed here is at most
    LARGEST = 2**40, so that holds up to 2**22 rows; past that the arrays become Python integers (exact).
    """

    LINES: tuple[str, ...] = ("against_all", "invalid", "found", "registered", "received", "issued")
    LINES += ("issued_absentee", "issued_outside", "cancelled")
    """The lines summed per district: the Tally's four, then the rest of the ballot accounting."""

    def __init__(self, election: Election | None, *, keep: bool = False) -> None:
        self.election = election
        self.accepted: list[ProtocolTable | Protocol] | None = [] if keep else None
        """The accepted protocols, in order, when asked to keep them: tables of rows and single objects."""
        self.ballots = ballots_of(election) if election is not None else None
        self.rows = 0
        self.row_of: list[dict[int, int]] = [{}, {}]
        self.column_of: list[dict[str, int]] = [{}, {}]
        self.lines = [np.zeros((0, 9), np.int64), np.zeros((0, 9), np.int64)]
        self.stations: list[list[Int64Array]] = [[], []]
        self.votes = [np.zeros((0, 0), np.int64), np.zeros((0, 0), np.int64)]
        self.seen = [np.zeros((0, 0), np.int64), np.zeros((0, 0), np.int64)]

    def _grow(self, ballot: int, districts: Iterable[int], options: Iterable[str]) -> None:
        rows, columns = self.row_of[ballot], self.column_of[ballot]
        for d in districts:
            rows.setdefault(d, len(rows))
        for o in options:
            columns.setdefault(o, len(columns))
        shape = (len(rows), len(columns))
        if self.votes[ballot].shape != shape:
            r, c = self.votes[ballot].shape
            dtype = self.votes[ballot].dtype
            self.lines[ballot] = np.vstack([self.lines[ballot], np.zeros((shape[0] - r, len(self.LINES)), dtype)])
            for table in (self.votes, self.seen):
                grown = np.zeros(shape, dtype)
                grown[:r, :c] = table[ballot]
                table[ballot] = grown

    def merge(self, other: _Tally) -> None:
        """Add another tally's sums (a file counted on its own) to these."""
        self.rows += other.rows
        if self.accepted is not None and other.accepted is not None:
            self.accepted += other.accepted
        for ballot in (0, 1):
            self.stations[ballot] += other.stations[ballot]
        self._widen()
        for ballot in (0, 1):
            if not other.row_of[ballot]:
                continue
            self._grow(ballot, other.row_of[ballot], other.column_of[ballot])
            if other.votes[ballot].dtype == object:
                for table in (self.lines, self.votes, self.seen):
                    table[:] = [t.astype(object) for t in table]
            rows = np.array([self.row_of[ballot][d] for d in other.row_of[ballot]], np.int64)
            columns = np.array([self.column_of[ballot][o] for o in other.column_of[ballot]], np.int64)
            self.lines[ballot][rows] += other.lines[ballot]
            if columns.size:
                self.votes[ballot][np.ix_(rows, columns)] += other.votes[ballot]
                self.seen[ballot][np.ix_(rows, columns)] += other.seen[ballot]

    def _widen(self) -> None:
        if self.rows >= 2**22 and self.votes[0].dtype != object:
            for table in (self.lines, self.votes, self.seen):
                table[:] = [t.astype(object) for t in table]

    def add(self, block: _Block, keep: BoolArray) -> None:
        """The kept rows of a block."""
        self.rows += int(keep.sum())
        if self.accepted is not None:
            self.accepted.append(block.rows(slice(None) if keep.all() else np.flatnonzero(keep)))
        self._widen()
        for ballot in (0, 1):
            chosen = np.flatnonzero(keep & (block.ballot == ballot))
            if not chosen.size:
                continue
            self.stations[ballot].append(block.station[chosen])
            districts, at = np.unique(block.district[chosen], return_inverse=True)
            self._grow(ballot, districts.tolist(), block.options)
            where = np.array([self.row_of[ballot][d] for d in districts.tolist()], np.int64)[at]
            lines, votes, seen = self.lines[ballot], self.votes[ballot], self.seen[ballot]
            for k, name in enumerate(self.LINES):
                np.add.at(lines[:, k], where, block.figures[name][chosen].astype(lines.dtype))
            for option, values, here in zip(block.options, block.votes, block.present, strict=True):
                written = here[chosen]
                if not written.any():
                    continue
                column = self.column_of[ballot][option]
                np.add.at(votes[:, column], where[written], values[chosen[written]].astype(votes.dtype))
                np.add.at(seen[:, column], where[written], 1)

    def add_protocol(self, p: Protocol) -> None:
        """One accepted protocol, in Python integers."""
        ballot = 1 if p.ballot == "district" else 0
        self.rows += 1
        if self.accepted is not None:
            self.accepted.append(p)
        self._grow(ballot, [p.district], p.votes)
        self._widen_for(ballot, p)
        row = self.row_of[ballot][p.district]
        self.stations[ballot].append(np.array([p.station], np.int64))
        for k, name in enumerate(self.LINES):
            self.lines[ballot][row, k] += p.figure(name)
        for option, n in p.votes.items():
            self.votes[ballot][row, self.column_of[ballot][option]] += n
            self.seen[ballot][row, self.column_of[ballot][option]] += 1

    def _widen_for(self, ballot: int, p: Protocol) -> None:
        numbers = [*(p.figure(name) for name in self.LINES), *p.votes.values()]
        if self.votes[ballot].dtype != object and any(abs(n) > LARGEST for n in numbers):
            for table in (self.lines, self.votes, self.seen):
                table[:] = [t.astype(object) for t in table]

    def tallies(self) -> tuple[dict[int, Tally], dict[int, Tally]]:
        """(list ballot by district, district ballot by district), as `tabulate` gives them."""
        out: tuple[dict[int, Tally], dict[int, Tally]] = ({}, {})
        counted = (
            self.election is None or bool(self.election.parties),
            self.election is None or bool(self.election.districts),
        )
        for ballot in (0, 1):
            if not counted[ballot]:
                continue
            options = sorted(self.column_of[ballot])
            lines, votes, seen = (t[ballot].tolist() for t in (self.lines, self.votes, self.seen))
            for d in sorted(self.row_of[ballot]):
                r = self.row_of[ballot][d]
                shown = {o: int(votes[r][c]) for o in options if seen[r][(c := self.column_of[ballot][o])]}
                out[ballot][d] = Tally(shown, *(int(n) for n in lines[r][:4]))
        return out

    def counted(self) -> list[int]:
        """The ballots the election counts (list: it has parties; district: it has districts)."""
        if self.election is None:
            return [0, 1]
        return [b for b, has in ((0, self.election.parties), (1, self.election.districts)) if has]

    def accounting(self) -> dict[str, BallotAccounting]:
        """Per counted ballot, the accounting lines over every accepted protocol (as `account` sums them)."""
        out = {}
        for ballot in self.counted():
            totals = [sum(int(n) for n in column) for column in zip(*self.lines[ballot].tolist(), strict=False)]
            totals = totals or [0] * len(self.LINES)
            sums = dict(zip(self.LINES, totals, strict=True))
            fields = ("received", "issued", "issued_absentee", "issued_outside", "cancelled", "found")
            out[_BALLOTS[ballot]] = BallotAccounting(**{f: sums[f] for f in fields})
        return out

    def progress(self, ballot: str, register: _Register) -> BallotProgress:
        """Stations of the register with an accepted protocol of this ballot, and their registered voters."""
        reported = self.stations[_BALLOTS.index(ballot)]
        covered = np.isin(register.numbers, np.concatenate(reported)) if reported else np.zeros(0, np.bool_)
        return BallotProgress(
            ballot,
            stations_reported=int(covered.sum()),
            stations_expected=len(register.numbers),
            registered_covered=sum(register.registered[covered].tolist()) if covered.size else 0,
            registered_expected=sum(register.registered.tolist()),
        )


def rows_of(count: Count) -> Iterator[tuple[int, Tally]]:
    """Every district tally of both ballots (for tests)."""
    yield from count.list_by_district.items()
    yield from count.district_tallies.items()


__all__ = ["LARGEST", "Count", "count_protocols"]

_ = io


def register_view(register: _Register) -> Mapping[int, Station] | None:
    """The register as the object path's checks take it (None: no register, so no station checks)."""
    return register if register.present else None
