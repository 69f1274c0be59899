"""Entries in progress and the receipts of finalised forms (issue 23): the statements of `entry_drafts` and
`entry_receipts`.

A draft is one operator's typing of one protocol's form so far, exactly as typed (field -> text), keyed by the
user's name and the protocol: it is never an entry, and nothing that counts, publishes or exports reads it. A
receipt remembers the idempotency key of a finalised form, so that the same form sent again is recognised.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from saylau.store import arrays
from saylau.store.tables import KEYS_AT_ONCE, by_whole_keys, entry_drafts, entry_receipts

Key = tuple[int, str, str]
"""A protocol's key: (station, contest, ballot), as in `saylau.store.protocols`."""


@dataclass(frozen=True, slots=True)
class Draft:
    """What one operator has typed so far into one protocol's form, and when it was last saved."""

    user: str
    key: Key
    typed: Mapping[str, str]
    at: str


def _insert(connection: Connection, table: Any) -> Any:
    """An INSERT that can say what to do on a conflict (both dialects spell it ON CONFLICT)."""
    return (postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert)(table)


def save(connection: Connection, user: str, key: Key, typed: Mapping[str, str], at: str) -> None:
    """Store the user's draft of the protocol `key`, replacing the one before."""
    station, contest, ballot = key
    text = json.dumps(dict(typed), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    statement = _insert(connection, entry_drafts).values(
        user=user, station=station, contest=contest, ballot=ballot, typed=text, at=at
    )
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=["user", "station", "contest", "ballot"], set_={"typed": text, "at": at}
        )
    )


def find(connection: Connection, user: str, key: Key) -> Draft | None:
    """The user's draft of the protocol `key`, if there is one."""
    station, contest, ballot = key
    row = connection.execute(
        select(entry_drafts.c.typed, entry_drafts.c.at).where(
            entry_drafts.c.user == user,
            entry_drafts.c.station == station,
            entry_drafts.c.contest == contest,
            entry_drafts.c.ballot == ballot,
        )
    ).first()
    return None if row is None else Draft(user, key, json.loads(row.typed), row.at)


def remove(connection: Connection, user: str, key: Key) -> None:
    """Delete the user's draft of the protocol `key` (there may be none)."""
    station, contest, ballot = key
    connection.execute(
        delete(entry_drafts).where(
            entry_drafts.c.user == user,
            entry_drafts.c.station == station,
            entry_drafts.c.contest == contest,
            entry_drafts.c.ballot == ballot,
        )
    )


def remove_all(connection: Connection, finished: Collection[tuple[str, Key]]) -> None:
    """Delete the drafts of entries just stored: (user, protocol) each (in one statement)."""
    wanted = sorted({(user, *key) for user, key in finished})
    if not wanted:
        return
    if connection.dialect.name == "postgresql":  # one text for any number of keys: prepared once per connection
        connection.exec_driver_sql(_REMOVE_PG, arrays.columns(wanted))
        return
    for start in range(0, len(wanted), KEYS_AT_ONCE):  # SQLite: each draft by its whole key
        connection.exec_driver_sql(*by_whole_keys(_REMOVE_SQLITE, wanted[start : start + KEYS_AT_ONCE]))


_REMOVE_SQLITE = (
    "DELETE FROM entry_drafts WHERE rowid IN (SELECT d.rowid FROM {keys} AS k CROSS JOIN entry_drafts AS d ON "
    'd."user" = k.column1 AND d.station = k.column2 AND d.contest = k.column3 AND d.ballot = k.column4)'
)
"""`remove_all` on SQLite (`tables.by_whole_keys`): a row value `IN` a list is planned as a scan of the whole
table, and a `user IN (...)` beside it compiled every key's values through SQLAlchemy for every group of entries."""

_REMOVE_PG = (
    'DELETE FROM entry_drafts d USING unnest(%s::text[], %s::integer[], %s::text[], %s::text[]) AS k("user", '
    'station, contest, ballot) WHERE d."user" = k."user" AND d.station = k.station AND d.contest = k.contest '
    "AND d.ballot = k.ballot"
)
"""`remove_all` on PostgreSQL: the keys as one array per column (`store.protocols.lock_all` says why)."""


def receipt(connection: Connection, key: str) -> tuple[str, Key] | None:
    """Who finalised the form of idempotency key `key`, and which protocol it was; None if none was."""
    row = connection.execute(select(entry_receipts).where(entry_receipts.c.key == key)).first()
    return None if row is None else (row.user, (row.station, row.contest, row.ballot))


def keep_receipts(connection: Connection, receipts: Mapping[str, tuple[str, Key]], at: str) -> None:
    """Remember the idempotency keys of forms just finalised (a key already kept stays as it was)."""
    rows = [
        {"key": k, "user": user, "station": station, "contest": contest, "ballot": ballot, "at": at}
        for k, (user, (station, contest, ballot)) in receipts.items()
    ]
    if rows:
        connection.execute(_insert(connection, entry_receipts).on_conflict_do_nothing(index_elements=["key"]), rows)
