"""Backup and restore of a whole election: one JSON file, from any database to any other.

A backup holds every row of every table the service keeps (the definition, the station register, every
protocol with both entries and the definitive one, the drawings of lots, the users and the audit log with
its chain head), so a restore gives the very same state on SQLite or PostgreSQL and the audit chain still
verifies. What is transient is left out: sessions (everybody logs in again), failed logins and the clients
users logged in from. Password hashes are left out unless asked for; the users then come back without a
password that works (an administrator sets new ones), and a restored database without any usable
administrator password still refuses every login rather than letting anyone in.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Integer, func, insert, select, text

from saylau.errors import InputError, worded
from saylau.store import users as users_store
from saylau.store.database import Database
from saylau.store.tables import contests, metadata, users

FORMAT = "saylau-backup/1"
TRANSIENT = frozenset({"sessions", "login_failures", "login_clients"})
"""Tables a backup leaves out: nobody's session outlives a restore."""
RETIRED = frozenset({"station_tallies", "entry_states"})
"""Tables of earlier releases a backup may hold and a restore leaves out: running tallies the restore counts
again (`saylau restore`, `saylau.service.tallies.rebuild`; migration 0013 folded `station_tallies` into the
protocols' rows, 0014 made `entry_states` one row a district, `entry_progress`)."""
RETIRED_COLUMNS = {"tallies": "line"}
"""Tables whose rows in a backup of an earlier release carry a column this schema no longer has: a restore
leaves those rows out and counts the tallies again (migration 0015 packed a district's lines, a row a `line`
before, into one row)."""
NO_PASSWORD = users_store.NO_PASSWORD
"""The hash a user restored without one gets: no password matches it (argon2 refuses it as a hash). The
restore then sets the administrator's password as a fresh service does (`saylau restore`,
`saylau.service.users.ensure_admin`): from SAYLAU_ADMIN_PASSWORD, or generated and printed once."""


def tables() -> list[str]:
    """The tables a backup holds, parents before children (the order a restore inserts them in)."""
    return [t.name for t in metadata.sorted_tables if t.name not in TRANSIENT]


def dump(connection: Connection, *, passwords: bool = False) -> dict[str, Any]:
    """The whole election as one JSON-ready object, rows in primary-key order, with a SHA-256 of its content."""
    content: dict[str, Any] = {}
    for name in tables():
        table = metadata.tables[name]
        order = list(table.primary_key.columns) or list(table.columns)
        rows = [dict(r) for r in connection.execute(select(table).order_by(*order)).mappings()]
        if name == "users" and not passwords:
            for row in rows:
                row.pop("password_hash", None)
        if name == "keys" and not passwords:  # a commission's signing key travels only with the passwords
            for row in rows:
                row["private_key"] = None
        content[name] = rows
    body = {"format": FORMAT, "passwords": passwords, "tables": content}
    return {**body, "sha256": digest(body)}


def digest(body: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a backup without its own `sha256`."""
    content = {k: v for k, v in body.items() if k != "sha256"}
    return hashlib.sha256(json.dumps(content, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def restore(database: Database, data: Mapping[str, Any], source: str) -> dict[str, int]:
    """Write a backup into an empty database (schema already migrated); the rows restored per table.

    Refused, naming `source` and what is wrong, when the file is not a backup, was changed after it was
    written, or the target already holds an election (a restore never merges into or overwrites one).
    """
    _check(data, source)
    counts: dict[str, int] = {}
    with database.unit_of_work() as connection:
        if any(connection.execute(select(func.count()).select_from(t)).scalar_one() for t in (contests, users)):
            raise InputError([worded("already holds an election: restore into an empty database", source)])
        for name in tables():
            rows = [dict(r) for r in data["tables"].get(name, []) if RETIRED_COLUMNS.get(name) not in r]
            if name == "users":
                for row in rows:
                    row.setdefault("password_hash", NO_PASSWORD)
            if rows:
                connection.execute(insert(metadata.tables[name]), rows)
            counts[name] = len(rows)
        if connection.dialect.name == "postgresql":
            _advance_sequences(connection)
    return counts


def counted_again(data: Mapping[str, Any]) -> bool:
    """Whether a restore of this backup must count the running tallies again (`saylau.service.tallies.rebuild`):
    it was written before them, or holds them in a layout of an earlier release (`RETIRED`, `RETIRED_COLUMNS`)."""
    held = data.get("tables", {})
    if not {"tallies", "entry_progress"} <= set(held) or set(held) & RETIRED:
        return True
    return any(column in row for name, column in RETIRED_COLUMNS.items() for row in held.get(name, []))


def _check(data: Mapping[str, Any], source: str) -> None:
    if data.get("format") != FORMAT:
        raise InputError(
            [worded("is not a saylau backup (format {found})", source, field="format", found=repr(data.get("format")))]
        )
    if not isinstance(data.get("tables"), dict) or digest(data) != data.get("sha256"):
        raise InputError([worded("its SHA-256 does not match its content: it was changed", source, field="sha256")])
    known = {c.name for name in tables() for c in metadata.tables[name].columns}
    for name, rows in data["tables"].items():
        if name in RETIRED:
            continue
        if name not in tables() or not isinstance(rows, list):
            raise InputError([worded("unknown table {name}", source, field=f"tables.{name}", name=repr(name))])
        for index, row in enumerate(rows):
            if not isinstance(row, dict) or not set(row) <= known:
                raise InputError([worded("is not a row of this schema", source, field=f"tables.{name}[{index}]")])


def _advance_sequences(connection: Connection) -> None:
    """PostgreSQL's serial counters past the restored ids, so the next user or decision gets a fresh id."""
    for name in tables():
        table = metadata.tables[name]
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer) or keys[0].autoincrement is False:
            continue
        column = keys[0].name
        sequence = connection.execute(text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": name, "c": column})
        found = sequence.scalar_one_or_none()
        if found is not None:
            connection.execute(
                text(f'SELECT setval(:s, COALESCE((SELECT MAX("{column}") FROM "{name}"), 0) + 1, false)'),
                {"s": found},
            )
