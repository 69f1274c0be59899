"""Running tallies: the statements of the `tallies`, `commission_tallies` and `entry_progress` tables, and of
the protocols' `tally_version`.

A protocol accepted, reopened or counted from an imported summary changes its contest's totals in the same
transaction (`saylau.service.tallies` computes the change): each line of its district and of each
commission above the station that holds the station's district only in part moves by the protocol's figures
(a commission holding whole districts sums theirs), and the protocol's row is stamped with the audit version
of the change (`tally_version`). A count then reads a few rows per district instead of every protocol, and a
snapshot reads only the protocols stamped since the one before it. Every change of a protocol's state
(a first entry, a difference, an acceptance) moves the count of its district's protocols in that state, so
the commission's entry progress is read from a few rows per district too.

Every value is an exact integer (BIGINT: a line is at most 10**10 per protocol). The rows are changed in
key order, so two transactions never wait on each other's rows in opposite orders (PostgreSQL).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, Connection, Integer, Table, bindparam, delete, literal_column, select, update

from saylau.service.states import EntryState
from saylau.store import arrays
from saylau.store.tables import KEYS_AT_ONCE, by_whole_keys, commission_tallies, entry_progress, protocols, tallies

REGISTER = "_register"
"""The line holding the station register's voters of the stations counted (its `protocols`: how many)."""

VOTE = "vote:"
"""The prefix of an option's line: `vote:Amanat`."""

RowKey = tuple[str, str, int]
"""A district's row of running tallies: (contest, ballot, district)."""

CommissionKey = tuple[str, str, str, str]
"""(commission, contest, ballot, line)."""

Key = tuple[int, str, str]
"""A protocol's key: (station, contest, ballot)."""

StateKey = tuple[str, int, str]
"""(contest, district, state)."""

Change = tuple[int, int]
"""What a line moves by: (value, protocols carrying the line); a district's line may come as a list of the two."""


@dataclass(frozen=True, slots=True)
class TallyLine:
    """One line of a running tally: its sum over the accepted protocols, and how many of them carry it."""

    ballot: str
    district: int
    line: str
    value: int
    protocols: int


@dataclass(frozen=True, slots=True)
class StationTally:
    """A station's protocol as the count has it: its figures (None: it does not count now) and the audit
    version after which they last changed."""

    station: int
    ballot: str
    district: int
    version: int
    figures: Mapping[str, Any] | None


def add(
    connection: Connection,
    districts: Mapping[RowKey, Mapping[str, Sequence[int]]],
    commissions: Mapping[CommissionKey, Change],
) -> None:
    """Move the districts' lines (by district row, then line: [value, protocols]) and the commissions' lines by
    the changes (rows made on first use), in key order."""
    if connection.dialect.name == "postgresql":
        _add_packed_pg(connection, districts)
    else:
        _add_packed_sqlite(connection, districts)
    _add(connection, commission_tallies, ("commission", "contest", "ballot", "line"), commissions)


def _add_packed_pg(connection: Connection, changes: Mapping[RowKey, Mapping[str, Sequence[int]]]) -> None:
    """PostgreSQL: one upsert of a row for each district and ballot, in key order, its lines merged with the
    row's by the server (`_ADD_PG`): the row is locked by the upsert itself, as a line's row was, so two
    transactions never lose each other's sums and no round trip reads it first."""
    if not changes:
        return
    keys: list[tuple[str, str, int, int, int]] = []
    names: list[str] = []
    sums: list[int] = []
    counts: list[int] = []
    for key in sorted(changes):
        lines = changes[key]
        start = len(names) + 1
        for line in sorted(lines):
            value, carried = lines[line]
            names.append(line)
            sums.append(value)
            counts.append(carried)
        keys.append((*key, start, len(names)))
    connection.exec_driver_sql(
        _ADD_PG, (arrays.literal(names), arrays.literal(sums), arrays.literal(counts), *arrays.columns(keys))
    )


_ADD_PG = (
    "INSERT INTO tallies AS t (contest, ballot, district, lines, sums, protocols) "
    "SELECT k.contest, k.ballot, k.district, f.lines[k.first:k.last], f.sums[k.first:k.last], "
    "f.protocols[k.first:k.last] "
    "FROM (SELECT %s::text[] AS lines, %s::bigint[] AS sums, %s::integer[] AS protocols) AS f, "
    "unnest(%s::text[], %s::text[], %s::integer[], %s::integer[], %s::integer[]) "
    "AS k(contest, ballot, district, first, last) "
    "ON CONFLICT (contest, ballot, district) DO UPDATE SET "
    "lines = CASE WHEN t.lines = excluded.lines THEN t.lines ELSE ({merged} m.line {ordered}) END, "
    "sums = CASE WHEN t.lines = excluded.lines THEN (SELECT array_agg(s.a + s.b ORDER BY s.n) "
    "FROM unnest(t.sums, excluded.sums) WITH ORDINALITY AS s(a, b, n)) ELSE ({merged} m.sum {ordered}) END, "
    "protocols = CASE WHEN t.lines = excluded.lines THEN (SELECT array_agg(s.a + s.b ORDER BY s.n) "
    "FROM unnest(t.protocols, excluded.protocols) WITH ORDINALITY AS s(a, b, n)) "
    "ELSE ({merged} m.protocols {ordered}) END"
).format(
    merged="SELECT array_agg(",
    ordered='ORDER BY m.line COLLATE "C") '
    "FROM (SELECT u.line, SUM(u.sum)::bigint, SUM(u.protocols)::integer "
    "FROM (SELECT * FROM unnest(t.lines, t.sums, t.protocols) UNION ALL "
    "SELECT * FROM unnest(excluded.lines, excluded.sums, excluded.protocols)) AS u(line, sum, protocols) "
    "GROUP BY u.line) AS m(line, sum, protocols)",
)
"""`add`'s districts on PostgreSQL: every row's lines, sums and counts as three flat arrays and each row's key
with where its lines begin and end in them (`unnest` cannot carry an array per row), so the statement's text
never changes and psycopg prepares it once per connection; a row already there gets the sums of both by line
name (a line new to the row is added), its lines in code-point order as Python's `sorted` gives them.

A row whose lines are the change's own, in the same order (every protocol of a district and ballot carries the
same lines, so after its first protocol nearly every row), is summed element by element where its lines
stand; any other row is merged by name (`CASE` evaluates only the branch it takes). Both give the same arrays
(tests/service/test_writer_shortcuts.py checks the rows on both databases, most changes to a row's own lines);
the merge sorted, grouped and aggregated each row's lines on the server: 0.8 to 0.9 ms of a group's 50 entries."""


def _add_packed_sqlite(connection: Connection, changes: Mapping[RowKey, Mapping[str, Sequence[int]]]) -> None:
    """SQLite: the rows of the changed districts read, their lines moved here, and written back, in key order
    (SQLite has no arrays; its writers queue on the database's write lock, so nobody writes a row between
    the read and the write).

    A row whose lines are the change's own (every protocol of a district and ballot carries the same lines:
    the figures, each option and the register's, so after its first protocol nearly every row) is moved by
    `_summed`: its sums and counts added where they stand, its lines' text kept as stored. Any other row (new,
    or a line new to it) goes the long way, `_merged`; both write the same text (tests/service/
    test_writer_shortcuts.py)."""
    if not changes:
        return
    wanted = sorted(changes)
    held: dict[RowKey, tuple[str, str, str]] = {}
    for start in range(0, len(wanted), KEYS_AT_ONCE):
        found = connection.exec_driver_sql(*by_whole_keys(_HELD_SQLITE, wanted[start : start + KEYS_AT_ONCE]))
        for contest, ballot, district, lines, sums, counts in found:
            held[(contest, ballot, int(district))] = (lines, sums, counts)
    rows = []
    for key in wanted:
        change = changes[key]
        stored = held.get(key)
        row = None if stored is None else _summed(stored, change)
        rows.append((*key, *(row or _merged(stored, change))))
    conflict = (
        "ON CONFLICT (contest, ballot, district) DO UPDATE SET lines = excluded.lines, sums = excluded.sums, "
        "protocols = excluded.protocols"
    )
    _upsert(connection, tallies, ("contest", "ballot", "district", "lines", "sums", "protocols"), conflict, rows)


def _summed(stored: tuple[str, str, str], change: Mapping[str, Sequence[int]]) -> tuple[str, str, str] | None:
    """A stored row (its three columns' text) moved by a change to exactly its lines, or None where the change's
    lines are not the row's: its sums and counts added line by line in the row's order (code-point order, as
    `_merged` writes it), the lines' text as it was. A list of whole numbers is written as `_json` writes it
    (`json.dumps` writes an `int` as `repr` does)."""
    names = sorted(change)
    if json.loads(stored[0]) != names:
        return None
    moved = [change[name] for name in names]
    sums = [int(v) + m[0] for v, m in zip(json.loads(stored[1]), moved, strict=True)]
    counts = [int(n) + m[1] for n, m in zip(json.loads(stored[2]), moved, strict=True)]
    return stored[0], _numbers(sums), _numbers(counts)


def _merged(stored: tuple[str, str, str] | None, change: Mapping[str, Sequence[int]]) -> tuple[str, str, str]:
    """A row's three columns' text after a change (None: a new row): every line of either, in code-point order,
    its sum and count moved by the change (a line new to the row made at the change's figures)."""
    lines: dict[str, list[int]] = {}
    if stored is not None:
        names, sums, counts = (json.loads(text) for text in stored)
        lines = {line: [int(v), int(n)] for line, v, n in zip(names, sums, counts, strict=True)}
    move(lines, change.keys(), change.values())
    order = sorted(lines)
    return _json(order), _json([lines[n][0] for n in order]), _json([lines[n][1] for n in order])


def _numbers(values: list[int]) -> str:
    """A packed column of whole numbers as `_json` writes it, without building an encoder for each row."""
    return "[" + ",".join(map(str, values)) + "]"


_HELD_SQLITE = (
    "SELECT t.contest, t.ballot, t.district, t.lines, t.sums, t.protocols FROM {keys} AS k "
    "CROSS JOIN tallies AS t ON t.contest = k.column1 AND t.ballot = k.column2 AND t.district = k.column3"
)
"""The rows of a group's districts on SQLite, each found by its whole key (`tables.by_whole_keys`; `CROSS JOIN`
keeps the keys the outer loop): a `contest IN (...)` beside the key's tuple `IN` read every row of each
contest named, on an election day most of the table for every group."""


def move(totals: dict[Any, list[int]], keys: Iterable[Any], changes: Iterable[Sequence[int]]) -> None:
    """Add each change ([value, protocols]) to the total of its key (made at [0, 0] on first use)."""
    for key, (value, carried) in zip(keys, changes, strict=True):
        total = totals.get(key)
        if total is None:
            totals[key] = [value, carried]
        else:
            total[0] += value
            total[1] += carried


def _json(values: list[Any]) -> str:
    """A packed column as SQLite stores it (`tables.Packed`)."""
    return json.dumps(values, separators=(",", ":"), ensure_ascii=False)


def _add(connection: Connection, table: Table, columns: Sequence[str], changes: Mapping[Any, Change]) -> None:
    """Move each changed line by one upsert of many rows (thousands of lines a transaction on a country's
    night: one statement executed per row cost twice as much on SQLite and a round trip per row on a server,
    and SQLAlchemy's per-row parameter processing more than both)."""
    rows = [(*key, value, protocols) for key, (value, protocols) in sorted(changes.items()) if value or protocols]
    conflict = (
        f"ON CONFLICT ({', '.join(columns)}) DO UPDATE SET value = {table.name}.value + excluded.value, "
        f"protocols = {table.name}.protocols + excluded.protocols"
    )
    _upsert(connection, table, (*columns, "value", "protocols"), conflict, rows)


def _upsert(
    connection: Connection, table: Table, columns: Sequence[str], conflict: str, rows: Sequence[tuple[Any, ...]]
) -> None:
    """`INSERT INTO table (columns) ... ON CONFLICT ...` of `rows`, in the order given (key order: no two
    transactions wait on each other's rows in opposite orders), through the driver.

    PostgreSQL: one statement whose rows are one array per column (`unnest`), so its text never changes and
    the server parses and plans it once per connection (psycopg prepares a statement it sees again); a
    `VALUES` list of a thousand rows was parsed and planned anew each time, 2.5 to 4 times the cost per row.
    The arrays go as their text (`saylau.store.arrays`: psycopg's adaptation of a list was a fifth of the
    writer's CPU).
    SQLite: `VALUES` lists of `BATCH` rows (an in-process parse is cheap; one statement executed per row cost
    twice as much).
    """
    if not rows:
        return
    names = ", ".join(columns)
    if connection.dialect.name == "postgresql":
        typed = ", ".join(f"%s::{_element(table.c[c].type)}[]" for c in columns)
        statement = f"INSERT INTO {table.name} ({names}) SELECT * FROM unnest({typed}) {conflict}"
        connection.exec_driver_sql(statement, arrays.columns(rows))
        return
    one = "(" + ", ".join(["?"] * len(columns)) + ")"
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        flat = tuple(v for row in chunk for v in row)
        connection.exec_driver_sql(
            f"INSERT INTO {table.name} ({names}) VALUES {', '.join([one] * len(chunk))} {conflict}", flat
        )


BATCH = 1000
"""Rows of one SQLite statement (6 values each: well under SQLite's 32,766 parameters)."""


def _element(type_: Any) -> str:
    """A column's PostgreSQL array element type: `bigint`, `integer` or `text`."""
    if isinstance(type_, BigInteger):
        return "bigint"
    return "integer" if isinstance(type_, Integer) else "text"


PROGRESS = {state.value: state.value.replace("-", "_") for state in EntryState if state is not EntryState.EMPTY}
"""Each state but empty (as stored) and its column of `entry_progress`."""


def move_states(connection: Connection, changes: Mapping[StateKey, int]) -> None:
    """Move the protocols counted in each state (other than empty) by the changes: one row a district, in key
    order."""
    columns = tuple(PROGRESS.values())
    moved: dict[tuple[str, int], list[int]] = {}
    for (contest, district, state), n in changes.items():
        if n:
            moved.setdefault((contest, district), [0] * len(columns))[columns.index(PROGRESS[state])] += n
    rows = [(*key, *counts) for key, counts in sorted(moved.items()) if any(counts)]
    sums = ", ".join(f"{c} = entry_progress.{c} + excluded.{c}" for c in columns)
    conflict = f"ON CONFLICT (contest, district) DO UPDATE SET {sums}"
    _upsert(connection, entry_progress, ("contest", "district", *columns), conflict, rows)


def states_by_district(connection: Connection, contest: str) -> dict[int, dict[str, int]]:
    """How many protocols of each district of a contest are in each state other than empty (every ballot):
    one row per district, however many protocols the contest has."""
    t = entry_progress
    query = select(t.c.district, *(t.c[c] for c in PROGRESS.values())).where(t.c.contest == contest)
    out: dict[int, dict[str, int]] = {}
    for district, *counts in connection.execute(query):
        found = {state: int(n) for state, n in zip(PROGRESS, counts, strict=True) if n}
        if found:
            out[int(district)] = found
    return out


def mark(connection: Connection, keys: Collection[Key], version: int) -> None:
    """Stamp the protocols of `keys` (station, contest, ballot) with the audit version of the change to the
    figures they count with.

    The protocol's own row, rewritten in the same transaction by the change itself: until migration 0013 a
    table of its own (`station_tallies`) held each counted protocol's figures again beside the version,
    and every group of entries wrote its rows, its key's index and its version's index (about 30 pages to
    SQLite's log a commit of an election day's 50 entries, where the protocols' rows were written anyway);
    `ix_protocols_tally_version` holds the stamped protocols in the order they were stamped, so a group
    appends its own at the index's end, whatever contests and stations they belong to. A group of entries
    writes its stamps with the protocols' new states instead (`saylau.store.protocols.save_all`: each row once
    a transaction)."""
    wanted = sorted(set(keys))
    if not wanted:
        return
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(_MARK_PG, (version, *arrays.columns(wanted)))
        return
    connection.execute(
        _MARK,
        [{"key_station": s, "key_contest": c, "key_ballot": b, "new_version": version} for s, c, b in wanted],
    )


_MARK = (
    update(protocols)
    .where(
        protocols.c.station == bindparam("key_station"),
        protocols.c.contest == bindparam("key_contest"),
        protocols.c.ballot == bindparam("key_ballot"),
    )
    .values(tally_version=bindparam("new_version"))
)

_MARK_PG = (
    "UPDATE protocols AS p SET tally_version = %s "
    "FROM unnest(%s::integer[], %s::text[], %s::text[]) AS k(station, contest, ballot) "
    "WHERE p.station = k.station AND p.contest = k.contest AND p.ballot = k.ballot"
)
"""`mark` on PostgreSQL: one statement whatever the group's size, its keys one array per column (as
`store.protocols.lock_all`), so its text never changes and psycopg prepares it once per connection."""


def totals(connection: Connection, contest: str) -> list[TallyLine]:
    """A contest's running tallies per ballot and district: the lines some accepted protocol carries, by
    ballot, district and line."""
    t = tallies
    query = (
        select(t.c.ballot, t.c.district, t.c.lines, t.c.sums, t.c.protocols)
        .where(t.c.contest == contest)
        .order_by(t.c.ballot, t.c.district)
    )
    out = []
    for ballot, district, lines, sums, counts in connection.execute(query):
        found = sorted((line, int(v), int(n)) for line, v, n in zip(lines, sums, counts, strict=True) if n > 0)
        out += [TallyLine(ballot, int(district), line, v, n) for line, v, n in found]
    return out


def commissions_counted(connection: Connection) -> list[tuple[str, str, str, str, int, int]]:
    """The commission lines kept in `commission_tallies` that some accepted protocol carries: (commission,
    contest, ballot, line, value, protocols), in key order (`saylau.service.tallies.commission_lines` adds
    those summed from the districts' lines)."""
    t = commission_tallies
    query = (
        select(t.c.commission, t.c.contest, t.c.ballot, t.c.line, t.c.value, t.c.protocols)
        .where(t.c.protocols > 0)
        .order_by(t.c.commission, t.c.contest, t.c.ballot, t.c.line)
    )
    return [(c, k, b, ln, int(v), int(n)) for c, k, b, ln, v, n in connection.execute(query)]


def stations_since(connection: Connection, contest: str, version: int = 0) -> list[StationTally]:
    """The stations' protocols of a contest stamped after audit version `version` (0: every one ever
    counted), by station and ballot, with the figures they count with now (their definitive entry's while
    accepted). `tally_version > 0` is written out: SQLite takes a partial index only where the statement's
    own text implies its condition (a bound 0 would not)."""
    p = protocols
    query = (
        select(p.c.station, p.c.ballot, p.c.district, p.c.tally_version, p.c.state, p.c.definitive)
        .where(p.c.contest == contest, p.c.tally_version > version, p.c.tally_version > literal_column("0"))
        .order_by(p.c.station, p.c.ballot)
    )
    return [
        StationTally(int(s), b, int(d), int(v), _counted(state, definitive))
        for s, b, d, v, state, definitive in connection.execute(query)
    ]


def _counted(state: str, definitive: str | None) -> Mapping[str, Any] | None:
    """The figures a protocol counts with: its definitive entry's while it is accepted, none otherwise."""
    if state != EntryState.ACCEPTED.value or definitive is None:
        return None
    figures: Mapping[str, Any] = json.loads(definitive)["figures"]
    return figures


def clear(connection: Connection) -> None:
    """Forget every running tally, entry state count and protocol's stamp (before a recount rebuilds them: a
    restored backup of an older release)."""
    for table in (tallies, commission_tallies, entry_progress):
        connection.execute(delete(table))
    connection.execute(update(protocols).where(protocols.c.tally_version > 0).values(tally_version=0))
