"""The NIST export of a national count: `saylau.reports.nist`'s file, byte for byte, with the stations'
lines written from columns.

Why (issue 25): a precinct-level report of a million stations has some ten million lines, a reporting unit,
a ballot count and a vote count per option for every station; made one dictionary at a time by
`saylau.reports.nist.Export` (the definition, which a reader of the format reads), they took seven times
as long as counting the protocols. Here the accepted protocols stay columns (`ProtocolTable`, as the column
reader kept them) and each kind of station line is one format string, filled from the columns: the format
is made by the definition itself (its `station_unit`, `vote_count`, `ballot_count` on sentinel numbers),
so the two cannot drift apart, and a format that does not give the definition's text on a second set of
sentinels is not used (the definition then writes those lines one by one).
`tests/integration/test_nist_columns.py` holds the two files equal byte for byte.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TextIO

import numpy as np
import numpy.typing as npt

from saylau.domain import Tally
from saylau.reports.nist import (
    Block,
    Export,
    Lazy,
    Raw,
    StationCount,
    Units,
    ballot_count,
    count_status,
    encoder,
    report_of,
    station_id,
    stream,
    vote_count,
)
from saylau.result import Result
from saylau.tabulation import Protocol, Station
from saylau.tabulation.fast import AcceptedRows, ProtocolTable, StationRows

Int64Array = npt.NDArray[np.int64]

COLUMN_ROWS = 2000
"""From this many accepted protocols the stations are written from columns (fewer: by the definition)."""
_LINES = 1 << 16
"""Station lines made at a time (a million of them held at once would cost hundreds of megabytes)."""
_UNITS = 1 << 13
"""Stations' reporting units made at a time (some 700 bytes each)."""
_SENTINELS: tuple[tuple[int, ...], ...] = (
    (7_204_951_386_402_917, 7_613_058_249_175_639, 7_835_260_491_736_281),
    (8_146_093_725_810_463, 8_390_517_264_938_057, 8_572_946_103_628_419),
)
"""Numbers no count or station has: where the definition writes one, the format puts a figure."""


def write_nist(
    out: TextIO,
    result: Result,
    status: str | None = None,
    generated: datetime | None = None,
    issuer: str = "saylau",
    count: StationCount | None = None,
) -> None:
    """What `saylau.reports.nist.write_nist` writes, the same document; from COLUMN_ROWS accepted protocols (or
    when they are the column reader's `AcceptedRows`) the stations' lines are written from columns, each chunk
    of them as a table (`saylau.reports.nist.Block.join`: a chunk written as numpy paints it, not packed
    again; docs/nist.md, "Layout")."""
    stream(out, report_of(export_of, result, status, generated, issuer, count), aligned=True)


def lazy_report(
    result: Result,
    status: str | None = None,
    generated: datetime | None = None,
    issuer: str = "saylau",
    count: StationCount | None = None,
) -> dict[str, Any]:
    """The report `write_nist` writes, its long lists `Lazy` (made as they are gone through, the stations'
    lines from columns as here): `saylau.reports.nist.made` makes it one dictionary."""
    return report_of(export_of, result, status, generated, issuer, count)


def export_of(result: Result, count: StationCount | None, part: DayPart | None = None) -> Export:
    """The export for this count: from columns where it has many stations (a day's `part`: any station)
    and each is reported once per ballot at most (a duplicate the definition keeps the last of), else the
    definition."""
    if count is None or not count.stations:
        return Export(result, count)
    accepted = count.accepted
    if part is None and not isinstance(accepted, AcceptedRows) and len(accepted) < COLUMN_ROWS:
        return Export(result, count)
    rows = Joined(accepted.tables() if isinstance(accepted, AcceptedRows) else [ProtocolTable.of(accepted)])
    if _repeats(register_columns(count.stations)[0]) or _repeats(rows.station * 2 + rows.ballot):
        return Export(result, count)
    return ColumnExport(result, count, rows, part)


def register_columns(stations: Sequence[Station]) -> tuple[Int64Array, Int64Array, Int64Array]:
    """The register's numbers, districts and registered voters as columns (a `StationRows` is columns)."""
    if isinstance(stations, StationRows):
        return stations.numbers, stations.districts, stations.registered
    columns = ([s.number for s in stations], [s.district for s in stations], [s.registered for s in stations])
    number, district, registered = (np.array(c, np.int64) for c in columns)
    return number, district, registered


def _repeats(values: Int64Array) -> bool:
    ordered = np.sort(values)
    return bool((ordered[1:] == ordered[:-1]).any())


class Format:
    """`encode(make(*figures))` for whole-number figures, as a %-format and as byte pieces filled from
    columns of figures.

    Made by writing `make` on sentinel figures and putting `%d` where each was written (a figure may be
    written several times, in any order); checked on a second set of sentinels. Where the check fails (a
    figure written other than as its digits) every line is written by `make` itself.

    Painted as a table (`paint_aligned`, the national stream's layout) each figure is right-aligned in its
    column with spaces before it; a figure inside a string (a station's id, its name) takes the string's
    opening with it (`moving`), so the spaces stand before the string, where JSON allows them. A format whose
    strings hold two figures, or whose table does not read back as the definition's items, is not painted
    as a table (its lines are then packed as `paint` paints them).
    """

    def __init__(self, make: Callable[..., Any], arity: int, encode: Callable[[Any], str] | None = None) -> None:
        self.make = make
        self.encode = encode = encode or encoder()
        """An item's JSON: on one line (the default), or indented as `json.dumps(indent=2)` at depth 0."""
        first, second = _SENTINELS[0][:arity], _SENTINELS[1][:arity]
        self.indented: dict[bytes, list[bytes]] = {}
        parts = re.split("(" + "|".join(map(str, first)) + ")", encode(make(*first)))
        self.order = [first.index(int(part)) for part in parts[1::2]]
        self.text: str | None = "%d".join(part.replace("%", "%%") for part in parts[0::2])
        self.pieces: list[bytes] | None = [part.encode() for part in parts[0::2]]
        """The line's fixed parts, a figure (`order`) between each two: filled by numpy (`Painted`)."""
        columns, expected = [[f] for f in second], [encode(make(*second))]
        if self.fill(columns) != expected:
            self.text = self.pieces = None
        elif any(0 in piece for piece in self.pieces) or bytes(_block([(self, None, _arrays(columns))], 1, b"")) != (
            expected[0].encode()
        ):
            self.pieces = None
        self.moving: list[bytes] | None = None
        """For each figure, the bytes just before it that move with it in a table (b"" for a number)."""
        if self.pieces is not None and not any(b"\n" in piece for piece in self.pieces):
            self.moving = _moving(encode(make(*first)), parts)
            if self.moving is not None and not self._aligns(second):
                self.moving = None

    def _aligns(self, second: Sequence[int]) -> bool:
        """Whether a table of the second sentinels and of one-digit figures reads back as the definition's
        items."""
        rows = [list(second), [1] * len(second)]
        columns = _arrays([list(column) for column in zip(*rows, strict=True)])
        text = str(_block([(self, None, columns)], 2, b"\n", aligned=True), "utf-8")
        try:
            read = [json.loads(line) for line in text.split("\n")]
        except ValueError:
            return False
        return read == [json.loads(self.encode(self.make(*row))) for row in rows]

    def fill(self, columns: Sequence[Sequence[int]]) -> list[str]:
        """One line per row of the columns (one column per figure, as `make` takes them)."""
        if self.text is None:
            return [self.encode(self.make(*figures)) for figures in zip(*columns, strict=True)]
        return list(map(self.text.__mod__, zip(*(columns[k] for k in self.order), strict=True)))

    def block(self, columns: Sequence[Int64Array]) -> Block:
        """`fill`'s lines as one `Block` (UTF-8, joined by the separator the writer gives)."""
        n = len(columns[0]) if columns else 0
        return Block(lambda separator, aligned: _block([(self, None, columns)], n, separator, aligned))

    def widths(self, columns: Sequence[Int64Array]) -> list[int]:
        """Each figure's width in a grid: the digits of its column's largest figure (1 for none)."""
        return [len(str(int(c.max()))) if c.size else 1 for c in columns]

    def pieces_at(self, indent: bytes) -> list[bytes]:
        """The pieces of an item written at `indent` (an indented item's every line break followed by it)."""
        assert self.pieces is not None
        if not indent or not any(b"\n" in piece for piece in self.pieces):
            return self.pieces
        if indent not in self.indented:
            self.indented[indent] = [piece.replace(b"\n", b"\n" + indent) for piece in self.pieces]
        return self.indented[indent]

    def length(self, widths: Sequence[int], indent: bytes = b"") -> int:
        """Bytes a line takes in a grid: the pieces and each figure at its width."""
        return sum(map(len, self.pieces_at(indent))) + sum(widths[k] for k in self.order)

    def paint(
        self, grid: UInt8Array, rows: Int64Array | None, columns: Sequence[Int64Array], separator: bytes, widths: Any
    ) -> list[tuple[int, int]]:
        """Write the lines, then `separator`, into `grid`'s `rows` (None: every row), NUL to the grid's end,
        each figure right-aligned in its width with NULs before it (left out when the grid is packed): the
        line's fixed bytes as one row copied to every row, then the figures a decimal place at a time.
        Gives where each figure's slot is (start, figure)."""
        template = bytearray(grid.shape[1])
        slots: list[tuple[int, int]] = []
        at = 0
        for i, piece in enumerate(self.pieces_at(_indent_of(separator))):
            template[at : at + len(piece)] = piece
            at += len(piece)
            if i < len(self.order):
                slots.append((at, self.order[i]))
                at += widths[self.order[i]]
        template[at : at + len(separator)] = separator
        at_rows: Any = slice(None) if rows is None else rows
        grid[at_rows] = np.frombuffer(template, np.uint8)
        digits: dict[int, UInt8Array] = {}  # a figure written several times (a station's number) is made once
        for start, k in slots:
            if k not in digits:
                digits[k] = _digits(columns[k], widths[k])
            grid[at_rows, start : start + widths[k]] = digits[k]
        return slots

    def paint_aligned(
        self, grid: UInt8Array, rows: Int64Array | None, columns: Sequence[Int64Array], separator: bytes, widths: Any
    ) -> list[tuple[int, int]]:
        """As `paint`, as a table: each figure right-aligned in its width with spaces before it, a figure in a
        string with the string's opening (`moving`) just before its digits; the row's room to spare as spaces
        before `separator`, which ends the row. Gives where each figure's digits start (start, figure)."""
        assert self.pieces is not None and self.moving is not None
        template = bytearray(b" " * grid.shape[1])
        slots: list[tuple[int, int]] = []
        at = 0
        for i, piece in enumerate(self.pieces):
            moving = self.moving[i] if i < len(self.order) else b""
            template[at : at + len(piece) - len(moving)] = piece[: len(piece) - len(moving)]
            at += len(piece)
            if i < len(self.order):
                slots.append((at, self.order[i]))
                at += widths[self.order[i]]
        template[len(template) - len(separator) :] = separator
        at_rows: Any = slice(None) if rows is None else rows
        grid[at_rows] = np.frombuffer(template, np.uint8)
        digits: dict[int, UInt8Array] = {}
        places: dict[int, Int64Array] = {}
        for (start, k), moving in zip(slots, self.moving, strict=True):
            if k not in digits:
                digits[k] = _digits(columns[k], widths[k], _SPACE)
            grid[at_rows, start : start + widths[k]] = digits[k]
            if moving:
                if k not in places:
                    places[k] = _places(columns[k])
                _place(grid, rows, places[k], start + widths[k], moving)
        return slots


_SPACE = 32
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
"""A JSON string, from its opening quote to its closing one."""


def _moving(line: str, parts: Sequence[str]) -> list[bytes] | None:
    """For each figure of `line` (split into `parts` as `Format` splits it: piece, figure, piece, ...), the
    end of the piece before it that opens the string it stands in (b"" where it is a number); None where
    two figures stand in one string."""
    strings = [match.span() for match in _STRING.finditer(line)]
    moving: list[bytes] = []
    at = 0
    for i in range(1, len(parts), 2):
        piece = parts[i - 1]
        at += len(piece)  # where the figure starts
        opening = next((start for start, end in strings if start < at < end), None)
        if opening is not None and opening < at - len(piece):
            return None
        moving.append(b"" if opening is None else piece[opening - (at - len(piece)) :].encode())
        at += len(parts[i])
    return moving


def _place(grid: UInt8Array, rows: Int64Array | None, places: Int64Array, end: int, moving: bytes) -> None:
    """`moving` into the grid's rows just before each figure's digits (`places` of them), which end at `end`:
    a run of rows at a time where the figures' widths come in a few runs (a chunk of stations in number
    order has one or two), else the rows of each width at a time."""
    piece = np.frombuffer(moving, np.uint8)
    runs = np.flatnonzero(places[1:] != places[:-1]) + 1
    if runs.size < _RUNS:
        bounds = [0, *runs.tolist(), places.size]
        for start, stop in itertools.pairwise(bounds):
            d = int(places[start])
            grid[slice(start, stop) if rows is None else rows[start:stop], end - d - len(moving) : end - d] = piece
        return
    for d in range(int(places.min()), int(places.max()) + 1):
        chosen = np.flatnonzero(places == d)
        grid[chosen if rows is None else rows[chosen], end - d - len(moving) : end - d] = piece


_RUNS = 16


def _places(values: Int64Array) -> Int64Array:
    """Each value's number of decimal digits (0 has one); the values are not below zero."""
    places: Int64Array = np.ones(values.size, np.int64)
    for power in _TENS[1:].tolist():
        above = values >= power
        if not above.any():
            break
        places += above
    return places


UInt8Array = npt.NDArray[np.uint8]
_Painted = tuple[Format, "Int64Array | None", Sequence[Int64Array]]
"""A format, the grid rows its lines go to (None: all, else a part of them) and its figures' columns."""


def _block(painted: Sequence[_Painted], n: int, separator: bytes, aligned: bool = False) -> memoryview:
    """The `n` lines the formats write into their rows, in row order, joined by `separator`, as UTF-8.

    Why numpy: a million stations' lines are some 15 million; filled one %-format at a time each is a Python
    string made, encoded and written. Here a chunk of lines is a grid of bytes, one row a line: the fixed
    bytes copied to every row at once, each figure's digits written a place at a time (NUL where a shorter
    number has no digit), and the grid read back without its NULs. A format with no pieces, or a negative
    figure, writes its lines by `fill` instead.

    `aligned` (where every format can, and the items are not indented): the grid as a table (`Format.
    paint_aligned`), written as it is, in memory of its own (the writer may still hold it while the next
    chunk is painted)."""
    if not n:
        return memoryview(b"")
    indent = _indent_of(separator)
    if any(_by_text(form, cols) for form, _, cols in painted):
        lines: list[str] = [""] * n
        for form, rows, cols in painted:
            made = form.fill([c.tolist() for c in cols])
            for i, line in zip(range(n) if rows is None else rows.tolist(), made, strict=True):
                lines[i] = line.replace("\n", "\n" + indent.decode()) if indent else line
        return memoryview(separator.decode().join(lines).encode())
    widths = [form.widths(cols) for form, _, cols in painted]
    width = max(form.length(w, indent) for (form, _, _), w in zip(painted, widths, strict=True)) + len(separator)
    if aligned and not indent and all(form.moving is not None for form, _, _ in painted):
        table = _TABLES.take(n, width)
        for (form, rows, cols), w in zip(painted, widths, strict=True):
            form.paint_aligned(table, rows, cols, separator, w)
        return _table(table, separator)
    grid = _SCRATCH.grid(n, width)
    for (form, rows, cols), w in zip(painted, widths, strict=True):
        form.paint(grid, rows, cols, separator, w)
    return _packed(grid, separator)


def _indent_of(separator: bytes) -> bytes:
    """The indentation of the items a separator (`,`, a line break, the indentation) stands between."""
    return separator[2:] if separator.startswith(b",\n") else b""


def _by_text(form: Format, columns: Sequence[Int64Array]) -> bool:
    """Whether the lines are written by `fill`: no pieces, or a negative figure (digits only here)."""
    return form.pieces is None or any(c.size and int(c.min()) < 0 for c in columns)


def _table(grid: UInt8Array, separator: bytes) -> memoryview:
    """A table's bytes, less the last separator."""
    return grid.reshape(-1).data[: grid.size - len(separator)]


def _packed(grid: UInt8Array, separator: bytes) -> memoryview:
    """The grid's bytes without its NULs, less the last separator."""
    flat = grid.reshape(-1)
    mask = _SCRATCH.mask(flat.size)
    np.not_equal(flat, 0, out=mask)
    packed = flat[mask]
    return packed.data[: packed.size - len(separator)]


class _Scratch:
    """Memory the grids are painted in, kept from chunk to chunk: fresh memory costs a page fault per 4 KiB,
    which on this work was as slow as the painting itself."""

    def __init__(self) -> None:
        self.bytes: UInt8Array = np.empty(0, np.uint8)
        self.flags: npt.NDArray[np.bool_] = np.empty(0, np.bool_)

    def grid(self, n: int, width: int) -> UInt8Array:
        if self.bytes.size < n * width:
            self.bytes = np.empty(n * width, np.uint8)
        return self.bytes[: n * width].reshape(n, width)

    def mask(self, size: int) -> npt.NDArray[np.bool_]:
        if self.flags.size < size:
            self.flags = np.empty(size, np.bool_)
        return self.flags[:size]


_SCRATCH = _Scratch()


class _Tables:
    """Memory the tables are painted in, each used again once nothing refers to it any more: a table is
    written as it is, so the writer may still hold the last few while the next is painted (fresh memory
    would cost a page fault per 4 KiB, as for `_Scratch`)."""

    KEEP = 12

    def __init__(self) -> None:
        self.kept: list[UInt8Array] = []

    def take(self, n: int, width: int) -> UInt8Array:
        size = n * width
        for i in range(len(self.kept)):  # by index: a name bound to an array would hold it
            if _unheld(self.kept, i):
                if self.kept[i].size < size:
                    self.kept[i] = np.empty(size, np.uint8)
                return self.kept[i][:size].reshape(n, width)
        memory = np.empty(size, np.uint8)
        if len(self.kept) < self.KEEP:
            self.kept.append(memory)
        return memory[:size].reshape(n, width)


def _unheld(kept: list[UInt8Array], i: int) -> bool:
    """Whether only the list refers to its `i`th array (no view of it, no memoryview of a view)."""
    return sys.getrefcount(kept[i]) == 2  # the list's reference and the argument's


_TABLES = _Tables()


_TENS: Int64Array = 10 ** np.arange(19, dtype=np.int64)


def _digits(values: Int64Array, width: int, pad: int = 0) -> UInt8Array:
    """Each value's decimal digits right-aligned in a row of `width` bytes, `pad` (NUL, or a space) before
    them: every place of every value at once (in 32 bits where the figures fit, half the memory to go
    through), the places before a value's first digit multiplied by zero."""
    kind = np.int32 if width <= 9 else np.int64
    small: npt.NDArray[np.signedinteger[Any]] = values.astype(kind)
    powers: npt.NDArray[np.signedinteger[Any]] = _TENS[width - 1 :: -1].astype(kind)  # 10^(width-1) ... 1
    out: UInt8Array = ((small[:, None] // powers) % 10).astype(np.uint8)
    out += np.uint8(48 - pad)
    out *= small[:, None] >= np.append(powers[:-1], 0)  # a place is written from the first digit on
    if pad:
        out += np.uint8(pad)
    return out


def _arrays(columns: Sequence[Sequence[int]]) -> list[Int64Array]:
    return [np.asarray(c, np.int64) for c in columns]


class Joined:
    """Tables of accepted protocols one after another, as one: identity and the lines the export writes
    joined, each table's `vote:` columns left where they are (a national count's one table would hold every
    candidate's column for every row); an option's votes are gathered for the rows asked for."""

    def __init__(self, tables: Sequence[ProtocolTable]) -> None:
        self.tables = list(tables)
        sizes = [len(t) for t in self.tables]
        self.start = np.cumsum([0, *sizes])[:-1].astype(np.int64)
        self.table_of = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
        self.station, self.district, self.ballot = (_joined([getattr(t, c) for t in self.tables]) for c in _IDENTITY)
        self.figures = {f: _joined([t.figures[f] for t in self.tables]) for f in ("found", "invalid", "against_all")}

    def votes(self, option: str, rows: Int64Array, owners: Sequence[_Owned] | None = None) -> Int64Array:
        """The option's votes on these rows (0 where not written); `owners`: the rows' `owned`, if made."""
        out = np.zeros(rows.size, np.int64)
        for k, chosen, local in self.owned(rows) if owners is None else owners:
            table = self.tables[k]
            if option in table.options:
                out[chosen] = table.votes[table.options.index(option)][local]
        return out

    def owned(self, rows: Int64Array) -> list[_Owned]:
        """The rows by the table that holds them: (table, where among the rows, rows of that table)."""
        owner = self.table_of[rows]
        found = []
        for k in np.unique(owner).tolist():
            chosen = np.flatnonzero(owner == k)
            found.append((k, chosen, rows[chosen] - self.start[k]))
        return found


_Owned = tuple[int, Int64Array, Int64Array]
"""Rows of one table: its index, where they are among the rows asked for, and where in the table."""

_IDENTITY = ("station", "district", "ballot")


def _joined(parts: list[Int64Array]) -> Int64Array:
    out: Int64Array = np.concatenate(parts) if parts else np.zeros(0, np.int64)
    return out


@dataclass(slots=True)
class DayPart:
    """How a contest's report is written as part of an election day's (`saylau.reports.nist_day`): every item
    indented (the day's report is `json.dumps(indent=2)`'s text), each item the export makes passed through
    `adjust` (the contest's ids renamed), and each station's unit written by the first contest that has it
    (`writes`), with its `CountStatus` over every contest (`status`: 0 not processed, 1 in process,
    2 completed), both by position in the register (number order)."""

    adjust: Callable[[dict[str, Any]], dict[str, Any]]
    writes: npt.NDArray[np.bool_] | None = None
    status: Int64Array | None = None


STATES = ((0, 1), (1, 2), (1, 1))
"""`count_status` of each code of `DayPart.status`: (done, of) giving not-processed, in-process, completed."""


class ColumnExport(Export):
    """`Export` with the stations' figures read from columns: the same report, line for line."""

    def __init__(self, result: Result, count: StationCount, rows: Joined, part: DayPart | None = None) -> None:
        self.table = rows
        self.part = part
        super().__init__(result, count)

    def register(self, stations: Sequence[Station]) -> None:
        """The register as columns in number order (no `Station` object is made: a `StationRows` is columns)."""
        number, district, registered = register_columns(stations)
        order = np.argsort(number, kind="stable")
        self.numbers: Int64Array = number[order]
        self.district_of: Int64Array = district[order]
        self.registered: Int64Array = registered[order]
        self.positions: dict[int | None, Int64Array] = {}

    def station_total(self, district: int | None = None) -> int:
        return int(self.at(district).size)

    def index(self, accepted: Sequence[Protocol]) -> None:
        """Where each register station's protocol of each ballot is in the table (-1: none), and the list
        ballot summed per district (every accepted list protocol, as the definition sums them)."""
        table = self.table
        self.row: dict[str, Int64Array] = {}
        for code, ballot in enumerate(("list", "district")):
            rows = np.flatnonzero(table.ballot == code)
            at = np.clip(np.searchsorted(self.numbers, table.station[rows]), 0, max(len(self.numbers) - 1, 0))
            known = self.numbers[at] == table.station[rows] if len(self.numbers) else np.zeros(0, np.bool_)
            where = np.full(len(self.numbers), -1, np.int64)
            where[at[known]] = rows[known]
            self.row[ballot] = where
        self.list_by_district = _sum_by_district(table.tables)
        self.formats: dict[str, Format] = {}

    def format(self, name: str) -> Format:
        """The format of one kind of station line, made once (`unitK`: a station's unit with K protocols in;
        in a day's part `unitK:S`, its status over the day S)."""
        if name not in self.formats:
            made: dict[str, tuple[Callable[..., Any], int]] = {
                "id": (station_id, 1),
                "count": (lambda n, s: vote_count(n, station_id(s)), 2),
                "list": (lambda s, cast, rejected: ballot_count(station_id(s), "list", cast, rejected), 3),
                "district": (lambda s, cast, rejected: ballot_count(station_id(s), "district", cast, rejected), 3),
                "unit0": (lambda s, r: self.station_unit(s, r, 0, None), 2),
                "unit1": (lambda s, r, f: self.station_unit(s, r, 1, f), 3),
                "unit2": (lambda s, r, f: self.station_unit(s, r, 2, f), 3),
            }
            kind, _, status = name.partition(":")
            make, arity = made[kind]
            if self.part is None:
                self.formats[name] = Format(make, arity)
            else:
                adjust, shown = self.part.adjust, count_status(*STATES[int(status)]) if status else None
                self.formats[name] = Format(lambda *f: adjust(_with_status(make(*f), shown)), arity, _indented)
        return self.formats[name]

    def at(self, district: int | None) -> Int64Array:
        """Positions in the register (number order) of the district's stations (None: every station)."""
        if district not in self.positions:
            every = np.arange(len(self.numbers))
            self.positions[district] = every if district is None else np.flatnonzero(self.district_of == district)
        return self.positions[district]

    def reported(self, district: int, ballot: str | None = None) -> int:
        at = self.at(district)
        done = np.ones(at.size, np.bool_)
        for b in self.ballots() if ballot is None else [ballot]:
            done &= self.row[b][at] >= 0
        return int(done.sum())

    def station_ids(self, district: int) -> list[str]:
        """None here: `district_units` writes them into the district's line from columns."""
        return []

    def district_units(self, number: int) -> Iterator[dict[str, Any] | Raw | Block]:
        """The definition's district unit, its stations' ids written from columns (`"ComposingGpUnitIds": []`
        cannot stand inside a name, whose quotes the encoder escapes), then the stations' units."""
        made = super().district_units(number)
        unit = next(made)
        assert isinstance(unit, dict)
        if "ComposingGpUnitIds" in unit and self.part is not None:  # indented: the ids one a line, as a list
            block = self.format("id").block([self.numbers[self.at(number)]])
            yield unit | {"ComposingGpUnitIds": Lazy(lambda: [block])}
        elif "ComposingGpUnitIds" in unit:
            ids = str(self.format("id").block([self.numbers[self.at(number)]]).join(b","), "utf-8")
            empty = '"ComposingGpUnitIds":[]'
            yield Raw(encoder()(unit).replace(empty, f'"ComposingGpUnitIds":[{ids}]', 1))
        else:
            yield unit
        yield from made

    def station_units(self, district: int) -> Iterator[Block]:
        at = self.at(district)
        if self.part is not None and self.part.writes is not None:
            at = at[self.part.writes[at]]  # a station an earlier contest of the day wrote is not written again
        rows = [self.row[b][at] for b in ("list", "district")]
        protocols = (rows[0] >= 0).astype(np.int64) + (rows[1] >= 0)
        found = _take(self.table.figures["found"], np.where(rows[0] >= 0, rows[0], rows[1]))
        numbers, registered = self.numbers[at], self.registered[at]
        day = self.part.status[at] if self.part is not None and self.part.status is not None else None
        kinds = protocols if day is None else protocols * 3 + day
        for start in range(0, at.size, _UNITS):
            part = slice(start, start + _UNITS)
            here = kinds[part]
            painted: list[_Painted] = []
            for kind in np.unique(here).tolist():
                k = kind if day is None else kind // 3
                chosen = np.flatnonzero(here == kind)
                columns = [numbers[part][chosen], registered[part][chosen]]
                columns += [found[part][chosen]] if k else []
                name = f"unit{k}" if day is None else f"unit{k}:{kind % 3}"
                painted.append((self.format(name), None if chosen.size == here.size else chosen, columns))
            yield Block(functools.partial(_block, painted, here.size))

    def unit_positions(self) -> Int64Array:
        """The register positions of the stations whose units the report writes, in the order it writes them
        (district by district)."""
        parts = [self.at(d.number) for d in self.election.districts if self.at(d.number).size]
        return np.concatenate(parts) if parts else np.zeros(0, np.int64)

    def unit_states(self) -> Int64Array:
        """Each station's own status code (`DayPart.status`) at `unit_positions`."""
        at = self.unit_positions()
        protocols = (self.row["list"][at] >= 0).astype(np.int64) + (self.row["district"][at] >= 0)
        needed = len(self.ballots())
        states: Int64Array = np.where(protocols >= needed, 2, np.where(protocols > 0, 1, 0))
        return states

    def units_for(self, ballot: str, district: int | None) -> Units:
        where = self.row[ballot][self.at(district)]
        rows = where[where >= 0]
        return ColumnUnits(self, self.summed_units(ballot, district), rows)


class ColumnUnits(Units):
    """One ballot's units, the stations' as rows of the table (in the register's order)."""

    def __init__(self, export: ColumnExport, summed: list[tuple[str, Tally]], rows: Int64Array) -> None:
        super().__init__(summed, [])
        self.export, self.rows = export, rows
        self.stations = export.table.station[rows]
        self.bases: dict[int, _Base] = {}
        self.owners: dict[int, list[_Owned]] = {}
        """Each part's rows by the table that holds them."""
        """Each part's count lines as a grid, the count's slot painted over for each option in turn."""

    def ballot_counts(self, ballot: str) -> Iterator[dict[str, Any] | Block]:
        for gp, tally in self.summed:
            yield ballot_count(gp, ballot, tally.took_part, tally.invalid)
        figures = self.export.table.figures
        for part in self.parts():
            rows = self.rows[part]
            yield self.export.format(ballot).block(
                [self.stations[part], figures["found"][rows], figures["invalid"][rows]]
            )

    def counts(self, option: str | None, after: Sequence[dict[str, Any]] = ()) -> Lazy:
        def made() -> Iterator[dict[str, Any] | Block]:
            for gp, tally in self.summed:
                yield vote_count(tally.votes.get(option, 0) if option is not None else tally.against_all, gp)
            table = self.export.table
            for k, part in enumerate(self.parts()):
                rows = self.rows[part]
                if option is None:
                    values = table.figures["against_all"][rows]
                else:  # which table holds each row: found once per part for all the options
                    if k not in self.owners:
                        self.owners[k] = table.owned(rows)
                    values = table.votes(option, rows, self.owners[k])
                yield Block(functools.partial(self.count_lines, k, values))
            if option is None:  # "against all", the contest's last selection: no other reads these again
                self.bases.clear()
                self.owners.clear()
            yield from after

        return Lazy(made)

    def count_lines(self, k: int, values: Int64Array, separator: bytes, aligned: bool = False) -> memoryview:
        """Part `k`'s count lines of one option: its stations' bytes painted once (`bases`), with room for a
        count as wide as the ballots found; each option's counts are painted into that grid in turn (as a
        table where `aligned` and the format can: `Block.join`)."""
        form, part = self.export.format("count"), list(self.parts())[k]
        stations = self.stations[part]
        if _by_text(form, [values, stations]):
            return _block([(form, None, [values, stations])], values.size, separator)
        aligned = aligned and form.moving is not None and not _indent_of(separator)
        base = self.bases.get(k)
        widths = form.widths([values, stations])
        if base is None or (base.separator, base.aligned) != (separator, aligned) or widths[0] > base.width:
            widths[0] = max(widths[0], *form.widths([self.export.table.figures["found"][self.rows[part]]]))
            grid = np.empty((values.size, form.length(widths, _indent_of(separator)) + len(separator)), np.uint8)
            slots = (form.paint_aligned if aligned else form.paint)(grid, None, [values, stations], separator, widths)
            counts = [at for at, figure in slots if figure == 0]
            base = self.bases[k] = _Base(grid, separator, aligned, widths[0], counts)
        else:
            digits = _digits(values, base.width, _SPACE if aligned else 0)
            for at in base.slots:
                base.grid[:, at : at + base.width] = digits
        if not aligned:
            return _packed(base.grid, separator)
        table = _TABLES.take(*base.grid.shape)
        np.copyto(table, base.grid)
        return _table(table, separator)

    def parts(self) -> Iterator[slice]:
        for start in range(0, len(self.rows), _LINES):
            yield slice(start, start + _LINES)


@dataclass(slots=True)
class _Base:
    """A part's count lines painted for one option: the grid, the separator in it, whether as a table, the
    count's width and where each slot of the count is."""

    grid: UInt8Array
    separator: bytes
    aligned: bool
    width: int
    slots: list[int]


def _with_status(item: dict[str, Any], shown: list[dict[str, Any]] | None) -> dict[str, Any]:
    """A station's unit with its `CountStatus` over the day (None: its own), in its place."""
    return item if shown is None else item | {"CountStatus": shown}


def _indented(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def _sum_by_district(tables: Sequence[ProtocolTable]) -> dict[int, Tally]:
    """The list ballot per district, as `saylau.reports.nist` sums it from every accepted list protocol: an
    option in a district's votes where one of its protocols wrote it. Table by table (each with its own
    options), in Python integers across tables: exact at any size."""
    lines = ("against_all", "invalid", "found", "registered")
    sums: dict[int, list[int]] = {}
    votes: dict[int, dict[str, int]] = {}
    for table in tables:
        rows = np.flatnonzero(table.ballot == 0)
        rows = rows[np.argsort(table.district[rows], kind="stable")]  # each district's rows together
        districts, starts = np.unique(table.district[rows], return_index=True)
        figures = [_total(table.figures[name][rows], starts) for name in lines]
        options = [
            (option, _total(v[rows], starts), _total(w[rows].astype(np.int64), starts))
            for option, v, w in zip(table.options, table.votes, table.written, strict=True)
        ]
        for k, district in enumerate(districts.tolist()):
            line = sums.setdefault(district, [0, 0, 0, 0])
            for j, column in enumerate(figures):
                line[j] += column[k]
            shown = votes.setdefault(district, {})
            for option, column, seen in options:
                if seen[k]:
                    shown[option] = shown.get(option, 0) + column[k]
    return {d: Tally(votes[d], *sums[d]) for d in sorted(sums)}


def _take(values: Int64Array, rows: Int64Array) -> Int64Array:
    """values[rows], 0 where a row is -1 (none)."""
    out: Int64Array = np.where(rows >= 0, values[np.maximum(rows, 0)], 0) if values.size else np.zeros_like(rows)
    return out


def _total(values: Int64Array, starts: Int64Array) -> list[int]:
    """The sums of the runs of `values` that begin at `starts` (none: no runs)."""
    return np.add.reduceat(values, starts).tolist() if starts.size else []
