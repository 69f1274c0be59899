"""The speed path of the protocol checks and the count: columns of int64 arrays, not `Protocol` objects.

The law's relations are defined once, readably, in `saylau.tabulation.checks`; a reader of the law looks
there. This module is their vectorised copy for a national count: `check_columns` gives, for each code of
COLUMN_CODES, the rows that break it, and `tests/properties/test_fast_checks.py` holds it equal to `check`
over every protocol it accepts (any figures, register and thresholds). The column reader
(`saylau.io.columnar`) uses it to pick the rows that `check` must judge; only those become objects.

Why: `check` and `tabulate` work on one `Protocol` object at a time, which is right for a city's few
thousand protocols, but a million stations would take minutes. Here each protocol line is one int64 array
(one row per protocol, options as the columns of `votes`), so a relation is one vectorised comparison.
Only the relations between numbers are checked here (COLUMN_CODES); the checks about identity (P004 an
option not on the ballot, P007/W005 duplicates, P009 an unknown station) need names and keys, so rows are
expected to have passed them.
Pure: no I/O.

Exact, not wrapped: int64 sums wrap silently past 2**63. Every count of an accepted row is at most
`limits.MAX_COUNT` (10**10; a larger one is P006, like a negative one), so a row's sum of at most
`MAX_OPTIONS` options stays below 2**62, and a district's sum of up to `MAX_ROWS` accepted rows below 2**63.
A row with a larger count may wrap in the intermediate sums, but it is rejected, and int64 addition is
exact modulo 2**64, so subtracting it again (see `tabulate_columns`) restores the exact total. Columns given
without the checks (a library caller's) may hold larger counts in kept rows: a column with any count beyond
MAX_COUNT is summed in Python integers instead, and a district's sum beyond int64 is an InputError.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

import numpy as np
import numpy.typing as npt

from saylau.errors import Count, InputError, Phrase, Problem, worded
from saylau.limits import MAX_COUNT
from saylau.tabulation.checks import CheckSettings
from saylau.tabulation.protocol import FIGURES, BallotKind, LazyProtocols, LazySequence, Protocol, Station

Int64Array = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

COLUMN_CODES: tuple[str, ...] = ("P001", "P002", "P003", "P005", "P006", "P008", "P010", "W001", "W002", "W003", "W004")
"""The catalogue codes `check_columns` reports."""

MAX_OPTIONS = 2**62 // MAX_COUNT // 2
"""Most options (parties or candidates) on one ballot for which a row's sum provably fits int64."""
MAX_ROWS = 2**63 // MAX_COUNT // 2
"""Most protocols of one district for which the district's sums provably fit int64."""
TOO_WIDE = "{options} and {rows}"
"""The refusal of columns beyond the bounds that keep every sum exact (a catalogue msgid), its two bounds counted
phrases (`AT_MOST_OPTIONS`, `AT_MOST_PROTOCOLS`: Russian's three forms)."""
AT_MOST_OPTIONS = ("at most {n} option", "at most {n} options")
AT_MOST_PROTOCOLS = ("at most {n} protocol", "at most {n} protocols")


@dataclass(frozen=True, slots=True)
class ProtocolColumns:
    """n protocols of one ballot as columns: `figures` maps each of FIGURES to an (n,) array, `votes` is (n, k)."""

    station: Int64Array
    district: Int64Array
    figures: Mapping[str, Int64Array]
    votes: Int64Array

    def __len__(self) -> int:
        return int(self.station.shape[0])


@dataclass(frozen=True, slots=True)
class DistrictSums:
    """Per district index 0..D-1: option votes (D, k) and the lines summed as in `Tally`."""

    votes: Int64Array
    against_all: Int64Array
    invalid: Int64Array
    took_part: Int64Array
    registered: Int64Array


def check_columns(
    columns: ProtocolColumns,
    registered_district: Int64Array | None = None,
    settings: CheckSettings = CheckSettings(),  # noqa: B008 - frozen, never mutated
    registered_voters: Int64Array | None = None,
) -> dict[str, BoolArray]:
    """For each code of COLUMN_CODES, the mask of protocols that break it (same rules as `check`).

    `registered_district` is the district each row's station is registered to (for P005); None skips P005.
    `registered_voters` is each row's station's voters in the register (for P010's bound on the ballots
    supplied); None checks P010 against the protocol's own `received` line only.
    """
    f = columns.figures
    registered, received, issued, found = f["registered"], f["received"], f["issued"], f["found"]
    n = len(columns)
    _check_bounds(columns)
    negative = np.zeros(n, dtype=np.bool_)  # P006: negative, or above the limit (see the module docstring)
    for name in FIGURES:
        negative |= (f[name] < 0) | (f[name] > MAX_COUNT)
    if columns.votes.size:
        negative |= ((columns.votes < 0) | (columns.votes > MAX_COUNT)).any(axis=1)
    counted = columns.votes.sum(axis=1, dtype=np.int64) + f["against_all"] + f["invalid"]
    p002 = issued > received
    p010 = found > received
    if registered_voters is not None and settings.reserve is not None:
        den, num = settings.reserve.denominator, settings.reserve.numerator
        p010 |= found > (registered_voters * (den + num)) // den  # the ballots supplied by law
    over = (registered > 0) & (found > registered)
    turnout = settings.high_turnout
    invalid_share = settings.high_invalid
    masks: dict[str, BoolArray] = {
        "P001": found != counted,
        "P002": p002,
        "P003": ~p002 & (received != issued + f["cancelled"]),  # P002 is the cause: report it, not both
        "P005": (registered_district != columns.district if registered_district is not None else np.zeros(n, np.bool_)),
        "P006": negative,
        "P008": f["issued_absentee"] + f["issued_outside"] > issued,
        "P010": p010,
        "W001": ~p010 & over,  # P010 is the grave form of W001: report it, not both
        "W002": ~p010 & ~over & (registered > 0) & (found * turnout.denominator > registered * turnout.numerator),
        "W003": (found > 0) & (f["invalid"] * invalid_share.denominator > found * invalid_share.numerator),
    }
    if settings.reserve is None:
        masks["W004"] = np.zeros(n, dtype=np.bool_)
    else:
        den, num = settings.reserve.denominator, settings.reserve.numerator
        masks["W004"] = received != (registered * (den + num)) // den  # floor(registered x (1 + reserve))
    return masks


def _check_bounds(columns: ProtocolColumns) -> None:
    """Refuse shapes beyond the bounds that keep every int64 sum exact."""
    if columns.votes.ndim != 2 or columns.votes.shape[1] > MAX_OPTIONS or len(columns) > MAX_ROWS:
        options = Phrase(*AT_MOST_OPTIONS, n=Count(MAX_OPTIONS))
        rows = Phrase(*AT_MOST_PROTOCOLS, n=Count(MAX_ROWS))
        raise InputError([Problem(Phrase(TOO_WIDE, options=options, rows=rows), field="votes")])


def accepted(masks: Mapping[str, BoolArray]) -> BoolArray:
    """The protocols with no error (P-codes); warnings still count, as in `tabulate`."""
    errors = [m for code, m in masks.items() if code.startswith("P")]
    out: BoolArray = ~np.logical_or.reduce(errors) if errors else np.ones(0, dtype=np.bool_)
    return out


def tabulate_columns(
    columns: ProtocolColumns, district_index: Int64Array, districts: int, keep: BoolArray | None = None
) -> DistrictSums:
    """Sum the kept protocols per district (`district_index` in 0..districts-1 for each row).

    Everything is summed with np.add.reduceat over rows sorted by district (stations numbered district by
    district are summed in place), then the few rejected rows are subtracted: copying a million rows to
    leave out a thousand would cost more than the sum itself.
    """
    order = None
    if district_index.size > 1 and not bool((district_index[1:] >= district_index[:-1]).all()):
        order = np.argsort(district_index, kind="stable")
    keys = district_index if order is None else district_index[order]
    starts = np.searchsorted(keys, np.arange(districts, dtype=np.int64))
    empty = np.diff(np.append(starts, keys.size)) == 0

    def total(values: Int64Array, name: str) -> Int64Array:
        if values.size and (int(values.max()) > MAX_COUNT or int(values.min()) < -MAX_COUNT):
            return _exact_total(values, district_index, districts, keep, name)  # int64 sums could wrap
        arranged = values if order is None else values[order]
        if bool((starts >= arranged.shape[0]).any()):  # reduceat needs every start inside the array
            arranged = np.concatenate([arranged, np.zeros((1, *arranged.shape[1:]), dtype=np.int64)])
        out: Int64Array = np.add.reduceat(arranged, starts, axis=0)
        out[empty] = 0  # reduceat gives the row itself for an empty range
        if keep is not None and not bool(keep.all()):
            rejected = np.flatnonzero(~keep)
            np.subtract.at(out, district_index[rejected], values[rejected])
        return out

    f = columns.figures
    return DistrictSums(
        total(columns.votes, "votes"),
        total(f["against_all"], "against_all"),
        total(f["invalid"], "invalid"),
        total(f["found"], "found"),
        total(f["registered"], "registered"),
    )


def _exact_total(
    values: Int64Array, district_index: Int64Array, districts: int, keep: BoolArray | None, name: str
) -> Int64Array:
    """The per-district sums of the kept rows in Python integers, for columns with a count beyond MAX_COUNT
    (not checked, or checked and left out): the sums if they fit int64, else InputError, never a wrapped sum."""
    rows = np.arange(values.shape[0]) if keep is None else np.flatnonzero(keep)
    exact = np.zeros((districts, *values.shape[1:]), dtype=object)
    np.add.at(exact, district_index[rows], values[rows].astype(object))
    limit = np.iinfo(np.int64).max
    if any(abs(int(x)) > limit for x in exact.flat):
        raise InputError(
            [worded("a district's sum of {line} is beyond 2**63 - 1: check the protocols first", field=name, line=name)]
        )
    return np.asarray(exact.astype(np.int64), dtype=np.int64)


@dataclass(frozen=True, slots=True)
class ProtocolTable:
    """Protocols of both ballots as columns, row for row what `Protocol` holds (the column reader's accepted
    rows): identity, the lines of FIGURES, and per option its votes (0 where not written) and where written.

    Why: the commands that need every station's figures (the NIST export's precincts) read a million rows;
    as columns they cost a few arrays, as `Protocol` objects a dictionary each. `protocols` makes the
    objects for a caller that wants them, equal to what the object path reads (no source, row or malformed
    line: an accepted row has none of these that takes part in equality).
    """

    station: Int64Array
    district: Int64Array
    ballot: Int64Array
    """0 list, 1 district."""
    figures: Mapping[str, Int64Array]
    options: tuple[str, ...]
    votes: tuple[Int64Array, ...]
    written: tuple[BoolArray, ...]

    def __len__(self) -> int:
        return int(self.station.shape[0])

    def protocols(self) -> list[Protocol]:
        """The rows as `Protocol`s, built column by column, not cell by cell."""
        n = len(self)
        if not n:
            return []
        votes: list[dict[str, int]] = [{} for _ in range(n)]
        if self.options:
            at, column = np.nonzero(np.stack(self.written, axis=1))  # row-major: each row's options in order
            values = np.stack(self.votes, axis=1)[at, column].tolist()
            for i, c, v in zip(at.tolist(), column.tolist(), values, strict=True):
                votes[i][self.options[c]] = v
        lines = zip(*(self.figures[f].tolist() for f in FIGURES), strict=True)
        identity = zip(self.station.tolist(), self.district.tolist(), self.ballot.tolist(), strict=True)
        kinds: tuple[BallotKind, BallotKind] = ("list", "district")
        return [
            Protocol(station, district, kinds[ballot], reg, rec, iss, absentee, outside, can, fnd, inv, against, v)
            for (station, district, ballot), (reg, rec, iss, absentee, outside, can, fnd, inv, against), v in zip(
                identity, lines, votes, strict=True
            )
        ]

    @classmethod
    def of(cls, protocols: Sequence[Protocol]) -> ProtocolTable:
        """Protocol objects as columns (options in the order first written). The cells are gathered as flat
        lists and written with one scatter (a numpy write per cell costs more than the lists)."""
        options = list(dict.fromkeys(o for p in protocols for o in p.votes))
        at = {o: k for k, o in enumerate(options)}
        votes = np.zeros((len(options), len(protocols)), np.int64)
        written = np.zeros((len(options), len(protocols)), np.bool_)
        rows = [i for i, p in enumerate(protocols) for _ in p.votes]
        columns = [at[o] for p in protocols for o in p.votes]
        votes[columns, rows] = [n for p in protocols for n in p.votes.values()]
        written[columns, rows] = True
        lines = np.array(list(map(attrgetter(*FIGURES), protocols)), np.int64).reshape(-1, len(FIGURES))
        return cls(
            np.array([p.station for p in protocols], np.int64),
            np.array([p.district for p in protocols], np.int64),
            np.array([p.ballot == "district" for p in protocols], np.int64),
            {f: lines[:, k].copy() for k, f in enumerate(FIGURES)},
            tuple(options),
            tuple(votes),
            tuple(written),
        )

    @classmethod
    def joined(cls, tables: Sequence[ProtocolTable]) -> ProtocolTable:
        """Several tables one after another, as one (the options of all, in the order first seen)."""
        options = tuple(dict.fromkeys(o for t in tables for o in t.options))
        votes, written = [], []
        for option in options:
            votes.append(_joined([_option(t, option)[0] for t in tables], np.int64))
            written.append(_joined([_option(t, option)[1] for t in tables], np.bool_))
        return cls(
            _joined([t.station for t in tables], np.int64),
            _joined([t.district for t in tables], np.int64),
            _joined([t.ballot for t in tables], np.int64),
            {f: _joined([t.figures[f] for t in tables], np.int64) for f in FIGURES},
            options,
            tuple(votes),
            tuple(written),
        )


def _option(table: ProtocolTable, option: str) -> tuple[Int64Array, BoolArray]:
    """(votes, written) of one option in a table; zeros and False where the table has no such column."""
    if option in table.options:
        k = table.options.index(option)
        return table.votes[k], table.written[k]
    return np.zeros(len(table), np.int64), np.zeros(len(table), np.bool_)


def _joined(parts: list[Any], dtype: Any) -> Any:
    return np.concatenate(parts) if parts else np.zeros(0, dtype)


class AcceptedRows(LazyProtocols):
    """The accepted protocols of a count, in order, kept as the column reader read them: tables of rows and
    the few protocols read as objects. A `Sequence[Protocol]` like the object path's tuple (the objects are
    made once, when first asked for); `tables` gives them all as columns without making one object."""

    __slots__ = ("_made", "_pieces")

    def __init__(self, pieces: Sequence[ProtocolTable | Protocol]) -> None:
        self._pieces = list(pieces)
        self._made: list[Protocol] | None = None

    def _items(self) -> list[Protocol]:
        if self._made is None:
            made: list[Protocol] = []
            for piece in self._pieces:
                made += piece.protocols() if isinstance(piece, ProtocolTable) else [piece]
            self._made = made
        return self._made

    def tables(self) -> list[ProtocolTable]:
        """Every row as tables, in order (each run of protocols read as objects turned into one), without
        making an object per row. Not joined into one: each table holds only the `vote:` columns its rows
        have, where one table of a national count would hold every candidate's column for every row."""
        tables: list[ProtocolTable] = []
        loose: list[Protocol] = []
        for piece in self._pieces:
            if isinstance(piece, ProtocolTable):
                if loose:
                    tables.append(ProtocolTable.of(loose))
                    loose = []
                tables.append(piece)
            else:
                loose.append(piece)
        return [*tables, ProtocolTable.of(loose)] if loose else tables

    def __len__(self) -> int:
        if self._made is not None:
            return len(self._made)
        return sum(len(p) if isinstance(p, ProtocolTable) else 1 for p in self._pieces)

    def __repr__(self) -> str:
        return f"AcceptedRows({len(self)} protocols)"


class StationRows(LazySequence[Station]):
    """The station register kept as the column reader read it: its numbers, districts and registered voters as
    arrays, in one order. A `Sequence[Station]` like a list of them (the objects made once, when first asked
    for); a caller that reads columns (the projection) takes the arrays and never makes a million objects."""

    __slots__ = ("_made", "districts", "numbers", "registered")

    def __init__(self, numbers: Int64Array, districts: Int64Array, registered: Int64Array) -> None:
        self.numbers = numbers
        self.districts = districts
        self.registered = registered
        self._made: list[Station] | None = None

    def _items(self) -> list[Station]:
        if self._made is None:
            columns = (self.numbers.tolist(), self.districts.tolist(), self.registered.tolist())
            self._made = [Station(*row) for row in zip(*columns, strict=True)]
        return self._made

    def __len__(self) -> int:
        return int(self.numbers.shape[0])

    def __repr__(self) -> str:
        return f"StationRows({len(self)} stations)"
