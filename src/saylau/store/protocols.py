"""Protocols (one per station, contest and ballot) with both operators' entries and the definitive one: the
statements of the `protocols` table, returning the state machine's own `Record` and `Entry` values.

Entries are stored as canonical JSON {"figures": ..., "by": ..., "warnings": [...]}, exactly as typed.
Locks are taken in key order, so that two groups of entries never wait on each other.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Integer, bindparam, case, func, insert, select, update

from saylau.service.states import Entry, EntryState, Record
from saylau.store import arrays
from saylau.store.tables import KEYS_AT_ONCE, by_whole_keys, contests, protocols

Key = tuple[int, str, str]
"""A protocol's key: (station, contest, ballot)."""


@dataclass(frozen=True, slots=True)
class StoredProtocol:
    """One protocol: where it belongs and what the state machine knows of it."""

    station: int
    contest: str
    ballot: str
    district: int
    record: Record


@dataclass(frozen=True, slots=True)
class Definitive:
    """An accepted protocol's definitive figures, as the count reads them."""

    station: int
    district: int
    ballot: str
    figures: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Blank:
    """A protocol to create, empty: a station counts a contest's ballot, in a district of that contest."""

    station: int
    contest: str
    ballot: str
    district: int


def create_all(connection: Connection, blanks: Iterable[Blank]) -> None:
    """An empty protocol for each blank."""
    rows = [
        {"station": b.station, "contest": b.contest, "ballot": b.ballot, "district": b.district, "state": "empty"}
        for b in blanks
    ]
    if rows:
        connection.execute(insert(protocols), rows)


def find(connection: Connection, key: Key, *, lock: bool = False) -> Record | None:
    """The protocol of `key` (locked for update until the transaction ends, when `lock`)."""
    station, contest, ballot = key
    query = select(protocols).where(
        protocols.c.station == station, protocols.c.contest == contest, protocols.c.ballot == ballot
    )
    row = connection.execute(query.with_for_update() if lock else query).first()
    return None if row is None else _record(row)


def lock_all(connection: Connection, keys: Collection[Key]) -> dict[Key, Record]:
    """The protocols of `keys`, locked for update in key order, in one query."""
    wanted = sorted(keys)
    if not wanted:
        return {}
    if connection.dialect.name == "postgresql":
        rows = connection.exec_driver_sql(_LOCK_PG, arrays.columns(wanted))
        return {(row.station, row.contest, row.ballot): _record(row) for row in rows}
    out: dict[Key, Record] = {}
    for start in range(0, len(wanted), KEYS_AT_ONCE):  # SQLite: no row locks (its writers queue on its lock)
        statement, values = by_whole_keys(_LOCK_SQLITE, wanted[start : start + KEYS_AT_ONCE])
        rows = connection.exec_driver_sql(statement, values)
        out.update({(row.station, row.contest, row.ballot): _record(row) for row in rows})
    return out


def save_all(
    connection: Connection,
    records: Mapping[Key, Record],
    stamped: Collection[Key] = (),
    version: int = 0,
    texts: EntryTexts | None = None,
) -> None:
    """Write the protocols' new states and entries; those of `stamped` also get `version` as their tally stamp
    (`saylau.store.tallies.mark`, written with the change itself: each row is written once, not twice); `texts`:
    the entries' texts made already in this group (each entry is written as the same text either way).

    PostgreSQL: one `UPDATE ... FROM unnest(...)` of the rows as array literals (`saylau.store.arrays`), in
    key order; SQLite: one statement executed for each."""
    if not records:
        return
    wanted = set(stamped)
    text = texts or entry_text
    rows = [
        (
            station,
            contest,
            ballot,
            record.state.value,
            text(record.first),
            text(record.second),
            text(record.definitive),
            version if (station, contest, ballot) in wanted else None,
        )
        for (station, contest, ballot), record in sorted(records.items())
    ]
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(_SAVE_PG, arrays.columns(rows))
        return
    names = ("key_station", "key_contest", "key_ballot", "new_state", "new_first", "new_second", "new_definitive")
    connection.execute(_UPDATE, [dict(zip((*names, "new_stamp"), row, strict=True)) for row in rows])


_SAVE_PG = (
    "UPDATE protocols AS p SET state = k.state, first = k.first, second = k.second, definitive = k.definitive, "
    "tally_version = COALESCE(k.stamp, p.tally_version) "
    "FROM unnest(%s::integer[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[], "
    "%s::integer[]) AS k(station, contest, ballot, state, first, second, definitive, stamp) "
    "WHERE p.station = k.station AND p.contest = k.contest AND p.ballot = k.ballot"
)
"""`save_all` on PostgreSQL: one statement whatever the group's size (executed for each protocol, a group of 50
entries was 50 statements, each with SQLAlchemy's and psycopg's work on its parameters)."""


_LOCK_PG = (
    "SELECT p.station, p.contest, p.ballot, p.state, p.first, p.second, p.definitive "
    "FROM unnest(%s::integer[], %s::text[], %s::text[]) AS k(station, contest, ballot) "
    "JOIN protocols p USING (station, contest, ballot) ORDER BY p.station, p.contest, p.ballot FOR UPDATE OF p"
)
"""`lock_all` on PostgreSQL: the keys as one array per column (`saylau.store.arrays`), so the statement's text
is the same for a group of any size and psycopg prepares it once per connection (a tuple `IN` of as many
parameters as keys was a new text, converted and planned again, for each size of group); planned as one
primary-key lookup per key."""


_LOCK_SQLITE = (
    "SELECT p.station, p.contest, p.ballot, p.state, p.first, p.second, p.definitive FROM {keys} AS k "
    "CROSS JOIN protocols AS p ON p.station = k.column1 AND p.contest = k.column2 AND p.ballot = k.column3 "
    "ORDER BY p.station, p.contest, p.ballot"
)
"""`lock_all` on SQLite (`tables.by_whole_keys`): each protocol by its whole key. A `station IN (...)` beside the
key's tuple `IN` read every protocol of each station, so a group of an election day's entries read its stations' 4 or 5
protocols each (one contest's: 2) and bound each key's values through SQLAlchemy."""


_UPDATE = (
    update(protocols)
    .where(
        protocols.c.station == bindparam("key_station"),
        protocols.c.contest == bindparam("key_contest"),
        protocols.c.ballot == bindparam("key_ballot"),
    )
    .values(
        state=bindparam("new_state"),
        first=bindparam("new_first"),
        second=bindparam("new_second"),
        definitive=bindparam("new_definitive"),
        tally_version=func.coalesce(bindparam("new_stamp", type_=Integer), protocols.c.tally_version),
    )
)


PAPER_ORDER = (
    protocols.c.station,
    select(contests.c.position).where(contests.c.id == protocols.c.contest).scalar_subquery(),
    case((protocols.c.ballot == "list", 0), else_=1),
    protocols.c.ballot,
)
"""A station's protocols as its commission holds the papers: station by station, the day's contests in the
day's order, and in each the party-list ballot before the district ballot (spec/kazakhstan-2023.md, "The
ballots": each voter gets a list ballot and a district ballot). The station leads, so the primary key's
index orders the rows and only each station's few protocols are sorted."""


def listing(
    connection: Connection,
    contest: str | None = None,
    *,
    state: EntryState | None = None,
    districts: Collection[int] | None = None,
    stations: Collection[int] | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> list[StoredProtocol]:
    """Protocols in the paper's order (`PAPER_ORDER`): of `contest` (None: every contest), in `state`,
    `districts` and `stations` when given (None: every one); `limit` of them from `offset` (a page of the
    staff list)."""
    query = select(protocols).order_by(*PAPER_ORDER)
    query = _filtered(query, contest, state, districts, stations)
    if offset or limit is not None:
        query = query.offset(offset).limit(limit)
    return [StoredProtocol(r.station, r.contest, r.ballot, r.district, _record(r)) for r in connection.execute(query)]


def count(
    connection: Connection,
    contest: str | None = None,
    *,
    state: EntryState | None = None,
    districts: Collection[int] | None = None,
    stations: Collection[int] | None = None,
) -> int:
    """How many protocols `listing` gives with the same filters and no limit."""
    query = _filtered(select(func.count()).select_from(protocols), contest, state, districts, stations)
    return int(connection.execute(query).scalar_one())


def _filtered(
    query: Any,
    contest: str | None,
    state: EntryState | None,
    districts: Collection[int] | None,
    stations: Collection[int] | None,
) -> Any:
    if contest is not None:
        query = query.where(protocols.c.contest == contest)
    if state is not None:
        query = query.where(protocols.c.state == state.value)
    if districts is not None:
        query = query.where(protocols.c.district.in_(sorted(districts)))
    if stations is not None:
        query = query.where(protocols.c.station.in_(sorted(stations)))
    return query


def accepted(connection: Connection, contest: str) -> list[Definitive]:
    """Every accepted protocol of a contest: its definitive figures."""
    rows = connection.execute(
        select(protocols.c.station, protocols.c.district, protocols.c.ballot, protocols.c.definitive).where(
            protocols.c.contest == contest, protocols.c.state == EntryState.ACCEPTED.value
        )
    )
    return [Definitive(r.station, r.district, r.ballot, json.loads(r.definitive)["figures"]) for r in rows]


def not_accepted(connection: Connection, contest: str) -> list[tuple[int, str, EntryState]]:
    """(station, ballot, state) of every protocol of a contest not accepted yet, by station."""
    query = (
        select(protocols.c.station, protocols.c.ballot, protocols.c.state)
        .where(protocols.c.contest == contest, protocols.c.state != EntryState.ACCEPTED.value)
        .order_by(protocols.c.station, protocols.c.ballot)
    )
    return [(int(s), str(b), EntryState(st)) for s, b, st in connection.execute(query).all()]


def states(connection: Connection, contest: str) -> dict[EntryState, int]:
    """How many protocols of a contest are in each state (states with none left out)."""
    query = select(protocols.c.state, func.count()).where(protocols.c.contest == contest).group_by(protocols.c.state)
    return {EntryState(s): int(n) for s, n in connection.execute(query).all()}


def states_by_district(connection: Connection, contest: str) -> dict[int, dict[EntryState, int]]:
    """How many protocols of each district of a contest are in each state."""
    query = (
        select(protocols.c.district, protocols.c.state, func.count())
        .where(protocols.c.contest == contest)
        .group_by(protocols.c.district, protocols.c.state)
    )
    out: dict[int, dict[EntryState, int]] = {}
    for district, state, n in connection.execute(query).all():
        out.setdefault(int(district), {})[EntryState(state)] = int(n)
    return out


def stations_per_district(connection: Connection, contest: str) -> dict[int, int]:
    """How many stations count the contest in each of its districts."""
    query = (
        select(protocols.c.district, func.count(func.distinct(protocols.c.station)))
        .where(protocols.c.contest == contest)
        .group_by(protocols.c.district)
    )
    return {int(d): int(n) for d, n in connection.execute(query).all()}


def any_entered(connection: Connection, contest: str) -> bool:
    """Whether any protocol of a contest has left the empty state (entry has begun)."""
    query = (
        select(protocols.c.station)
        .where(protocols.c.contest == contest, protocols.c.state != EntryState.EMPTY.value)
        .limit(1)
    )
    return connection.execute(query).first() is not None


def entry_json(entry: Entry | None) -> dict[str, Any] | None:
    """An entry as stored and as the audit log records it."""
    if entry is None:
        return None
    return {"figures": dict(entry.figures), "by": entry.by, "warnings": list(entry.warnings)}


def entry_text(entry: Entry | None) -> str | None:
    """An entry's canonical JSON text (sorted keys, no spaces), or None: `entry_json`'s, without its copies (a
    tuple of warnings is written as the list it copies them into)."""
    if entry is None:
        return None
    figures = entry.figures if type(entry.figures) is dict else dict(entry.figures)
    found = {"figures": figures, "by": entry.by, "warnings": entry.warnings}
    return json.dumps(found, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class EntryTexts:
    """Each entry's canonical text (`entry_text`), made once however often a group of entries writes it.

    A protocol's record is written whole, every entry of it, to its row and twice to the audit log (the record
    before and after the change): a second entry that accepts a protocol wrote its first entry's text five
    times and its own twice (`definitive` is one of the two), each made anew by `json.dumps`, a fixed cost of
    each entry that grew with its lines. Entries are immutable; each is known here by its identity, kept
    alive with its text for as long as this object is."""

    __slots__ = ("_made",)

    def __init__(self) -> None:
        self._made: dict[int, tuple[Entry, str]] = {}

    def __call__(self, entry: Entry | None) -> str | None:
        """The entry's canonical text, or None."""
        if entry is None:
            return None
        found = self._made.get(id(entry))
        if found is not None:
            return found[1]
        text = entry_text(entry)
        assert text is not None
        self._made[id(entry)] = (entry, text)
        return text


def record_text(record: Record, texts: EntryTexts) -> str:
    """A record as the audit log stores it: the canonical JSON (sorted keys, no spaces) of its state and each
    entry's `entry_json`, put together from the entries' texts, which are that JSON of each (the same
    `json.dumps` settings): the bytes `json.dumps` makes of the whole, tests/service/test_store.py compares."""
    parts = (texts(record.definitive), texts(record.first), texts(record.second))
    definitive, first, second = ("null" if t is None else t for t in parts)
    return f'{{"definitive":{definitive},"first":{first},"second":{second},"state":{_STATE_TEXTS[record.state]}}}'


_STATE_TEXTS = {state: json.dumps(state.value, ensure_ascii=False) for state in EntryState}
"""Each state's JSON text (`record_text`), made once."""


def record_of(row: Any) -> Record:
    """The state machine's record of a stored row (a protocol's or a summary's)."""
    return _record(row)


def _record(row: Any) -> Record:
    return Record(EntryState(row.state), _entry(row.first), _entry(row.second), _entry(row.definitive))


def _entry(text: str | None) -> Entry | None:
    if text is None:
        return None
    data = json.loads(text)
    return Entry(data["figures"], data["by"], tuple(data["warnings"]))
