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

import re
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any, TextIO

import numpy as np
import numpy.typing as npt

from saylau.domain import Tally
from saylau.reports.nist import (
    Export,
    Lazy,
    Rows,
    StationCount,
    Units,
    ballot_count,
    encoder,
    report_of,
    station_id,
    stream,
    vote_count,
)
from saylau.result import Result
from saylau.tabulation import Protocol
from saylau.tabulation.fast import AcceptedRows, ProtocolTable

Int64Array = npt.NDArray[np.int64]

COLUMN_ROWS = 2000
"""From this many accepted protocols the stations are written from columns (fewer: by the definition)."""
_LINES = 1 << 16
"""Station lines made at a time (a million of them held at once would cost hundreds of megabytes)."""
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
    """What `saylau.reports.nist.write_nist` writes, byte for byte; from COLUMN_ROWS accepted protocols (or
    when they are the column reader's `AcceptedRows`) the stations' lines are written from columns."""
    stream(out, report_of(export_of, result, status, generated, issuer, count))


def export_of(result: Result, count: StationCount | None) -> Export:
    """The export for this count: from columns where it has many stations and each is reported once per
    ballot at most (a duplicate the definition keeps the last of), else the definition."""
    if count is None or not count.stations:
        return Export(result, count)
    accepted = count.accepted
    if not isinstance(accepted, AcceptedRows) and len(accepted) < COLUMN_ROWS:
        return Export(result, count)
    rows = Joined(accepted.tables() if isinstance(accepted, AcceptedRows) else [ProtocolTable.of(accepted)])
    numbers = np.array([s.number for s in count.stations], np.int64)
    if _repeats(numbers) or _repeats(rows.station * 2 + rows.ballot):
        return Export(result, count)
    return ColumnExport(result, count, rows)


def _repeats(values: Int64Array) -> bool:
    ordered = np.sort(values)
    return bool((ordered[1:] == ordered[:-1]).any())


class Format:
    """`encode(make(*figures))` for whole-number figures, as a %-format filled from columns of figures.

    Made by writing `make` on sentinel figures and putting `%d` where each was written (a figure may be
    written several times, in any order); checked on a second set of sentinels. Where the check fails (a
    figure written other than as its digits) every line is written by `make` itself.
    """

    def __init__(self, make: Callable[..., Any], arity: int) -> None:
        self.make = make
        first, second = _SENTINELS[0][:arity], _SENTINELS[1][:arity]
        encode = encoder()
        parts = re.split("(" + "|".join(map(str, first)) + ")", encode(make(*first)))
        self.order = [first.index(int(part)) for part in parts[1::2]]
        self.text: str | None = "%d".join(part.replace("%", "%%") for part in parts[0::2])
        self.head: str | None = None
        """Where the first figure stands once and first: the text before it (see `rests`)."""
        if len(self.order) > 1 and self.order[0] == 0 and self.order.count(0) == 1:
            self.head, self.rest = parts[0], "%d".join(part.replace("%", "%%") for part in parts[2::2])
        columns, expected = [[f] for f in second], [encode(make(*second))]
        if self.head is not None and self.after(columns[0], self.rests(columns)) != expected:
            self.head = None
        if self.fill(columns) != expected:
            self.text = self.head = None

    def fill(self, columns: Sequence[Sequence[int]]) -> list[str]:
        """One line per row of the columns (one column per figure, as `make` takes them)."""
        if self.text is None:
            encode = encoder()
            return [encode(self.make(*figures)) for figures in zip(*columns, strict=True)]
        return list(map(self.text.__mod__, zip(*(columns[k] for k in self.order), strict=True)))

    def rests(self, columns: Sequence[Sequence[int]]) -> list[str]:
        """Each line from the first figure on, less that figure: made once for rows whose other figures
        stay (a station's), while the first changes (the votes of each option in turn). [] without `head`."""
        if self.head is None:
            return []
        return list(map(self.rest.__mod__, zip(*(columns[k] for k in self.order[1:]), strict=True)))

    def after(self, firsts: Sequence[int], rests: Sequence[str]) -> list[str]:
        """`fill`'s lines from the first figure's column and the `rests` of the others."""
        head = self.head
        return [f"{head}{n}{rest}" for n, rest in zip(firsts, rests, strict=True)]


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

    def votes(self, option: str, rows: Int64Array) -> Int64Array:
        """The option's votes on these rows (0 where not written)."""
        out = np.zeros(rows.size, np.int64)
        owner = self.table_of[rows]
        for k, table in enumerate(self.tables):
            if option in table.options:
                chosen = np.flatnonzero(owner == k)
                out[chosen] = table.votes[table.options.index(option)][rows[chosen] - self.start[k]]
        return out


_IDENTITY = ("station", "district", "ballot")


def _joined(parts: list[Int64Array]) -> Int64Array:
    out: Int64Array = np.concatenate(parts) if parts else np.zeros(0, np.int64)
    return out


class ColumnExport(Export):
    """`Export` with the stations' figures read from columns: the same report, line for line."""

    def __init__(self, result: Result, count: StationCount, rows: Joined) -> None:
        self.table = rows
        super().__init__(result, count)

    def index(self, accepted: Sequence[Protocol]) -> None:
        """Where each register station's protocol of each ballot is in the table (-1: none), and the list
        ballot summed per district (every accepted list protocol, as the definition sums them)."""
        table = self.table
        self.numbers: Int64Array = np.array([s.number for s in self.stations], np.int64)
        self.registered: Int64Array = np.array([s.registered for s in self.stations], np.int64)
        self.district_of: Int64Array = np.array([s.district for s in self.stations], np.int64)
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
        self.positions: dict[int | None, Int64Array] = {}

    def format(self, name: str) -> Format:
        """The format of one kind of station line, made once."""
        if name not in self.formats:
            made: dict[str, tuple[Callable[..., Any], int]] = {
                "count": (lambda n, s: vote_count(n, station_id(s)), 2),
                "list": (lambda s, cast, rejected: ballot_count(station_id(s), "list", cast, rejected), 3),
                "district": (lambda s, cast, rejected: ballot_count(station_id(s), "district", cast, rejected), 3),
                "unit0": (lambda s, r: self.station_unit(s, r, 0, None), 2),
                "unit1": (lambda s, r, f: self.station_unit(s, r, 1, f), 3),
                "unit2": (lambda s, r, f: self.station_unit(s, r, 2, f), 3),
            }
            self.formats[name] = Format(*made[name])
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

    def station_units(self, district: int) -> Iterator[Rows]:
        at = self.at(district)
        rows = [self.row[b][at] for b in ("list", "district")]
        protocols = (rows[0] >= 0).astype(np.int64) + (rows[1] >= 0)
        found = _take(self.table.figures["found"], np.where(rows[0] >= 0, rows[0], rows[1]))
        numbers, registered = self.numbers[at], self.registered[at]
        for start in range(0, at.size, _LINES):
            part = slice(start, start + _LINES)
            lines: list[str] = [""] * len(numbers[part])
            kinds = protocols[part]
            for k in (0, 1, 2):
                chosen = np.flatnonzero(kinds == k)
                if not chosen.size:
                    continue
                columns = [numbers[part][chosen].tolist(), registered[part][chosen].tolist()]
                columns += [found[part][chosen].tolist()] if k else []
                for i, line in zip(chosen.tolist(), self.format(f"unit{k}").fill(columns), strict=True):
                    lines[i] = line
            yield Rows(lines)

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
        self.rests: list[list[str]] | None = None
        """Each part's station lines from the count on, less the count: made once for all the options."""

    def ballot_counts(self, ballot: str) -> Iterator[dict[str, Any] | Rows]:
        for gp, tally in self.summed:
            yield ballot_count(gp, ballot, tally.took_part, tally.invalid)
        figures = self.export.table.figures
        for part in self.parts():
            columns = [self.stations[part], figures["found"][self.rows[part]], figures["invalid"][self.rows[part]]]
            yield Rows(self.export.format(ballot).fill([c.tolist() for c in columns]))

    def counts(self, option: str | None, after: Sequence[dict[str, Any]] = ()) -> Lazy:
        def made() -> Iterator[dict[str, Any] | Rows]:
            for gp, tally in self.summed:
                yield vote_count(tally.votes.get(option, 0) if option is not None else tally.against_all, gp)
            table, form = self.export.table, self.export.format("count")
            if self.rests is None and form.head is not None:
                self.rests = [form.rests([[], self.stations[part].tolist()]) for part in self.parts()]
            for k, part in enumerate(self.parts()):
                rows = self.rows[part]
                values = (table.figures["against_all"][rows] if option is None else table.votes(option, rows)).tolist()
                yield Rows(
                    form.after(values, self.rests[k])
                    if self.rests
                    else form.fill([values, self.stations[part].tolist()])
                )
            yield from after

        return Lazy(made)

    def parts(self) -> Iterator[slice]:
        for start in range(0, len(self.rows), _LINES):
            yield slice(start, start + _LINES)


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
