"""Results travelling up the tree: the summary protocols of the commissions below (`summaries`), the bundles
imported from them (`imports`) and the Ed25519 keys that sign and check bundles (`keys`), as records.

A summary protocol goes through the same double entry as a station's protocol (`saylau.service.states`):
its first entry is the figures imported from the commission below, its second the paper summary protocol
typed by a person here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from saylau.service.states import EntryState, Record
from saylau.store.protocols import entry_text, record_of
from saylau.store.tables import imports, keys, summaries

SummaryKey = tuple[str, str, str, int]
"""A summary protocol's key: (commission below, contest, ballot, district; 0 for the list ballot)."""


@dataclass(frozen=True, slots=True)
class StoredSummary:
    """One summary protocol of a commission below, and the bundle it rests on."""

    key: SummaryKey
    record: Record
    bundle_sha256: str


@dataclass(frozen=True, slots=True)
class StoredImport:
    """One bundle imported from a commission below: its version, hash and whole content."""

    commission: str
    version: int
    sha256: str
    bundle: dict[str, Any]
    at: str


@dataclass(frozen=True, slots=True)
class StoredKey:
    """A commission's Ed25519 public key (hex), and its private key (PEM) when it is this commission's own."""

    commission: str
    public_key: str
    private_key: str | None


def save_key(connection: Connection, key: StoredKey) -> None:
    """Store (or replace) a commission's key."""
    connection.execute(keys.delete().where(keys.c.commission == key.commission))
    connection.execute(
        insert(keys).values(commission=key.commission, public_key=key.public_key, private_key=key.private_key)
    )


def key_of(connection: Connection, commission: str) -> StoredKey | None:
    """The key stored for a commission, if any."""
    row = connection.execute(select(keys).where(keys.c.commission == commission)).first()
    return None if row is None else StoredKey(row.commission, row.public_key, row.private_key)


def own_key(connection: Connection) -> StoredKey | None:
    """This commission's own key pair (the one row with a private key), if one was made."""
    row = connection.execute(select(keys).where(keys.c.private_key.is_not(None))).first()
    return None if row is None else StoredKey(row.commission, row.public_key, row.private_key)


def last_version(connection: Connection, commission: str) -> int:
    """The newest version imported from a commission (0: none yet)."""
    query = select(func.max(imports.c.version)).where(imports.c.commission == commission)
    return int(connection.execute(query).scalar_one_or_none() or 0)


def add_import(connection: Connection, commission: str, version: int, sha256: str, text: str, at: str) -> None:
    """Keep an imported bundle whole, as it came."""
    connection.execute(
        insert(imports).values(commission=commission, version=version, sha256=sha256, bundle=text, at=at)
    )


def imported(connection: Connection, sha256: str | None = None) -> list[StoredImport]:
    """Every import (or the one of that hash), oldest first."""
    query = select(imports).order_by(imports.c.id)
    if sha256 is not None:
        query = query.where(imports.c.sha256 == sha256)
    return [
        StoredImport(r.commission, r.version, r.sha256, json.loads(r.bundle), r.at) for r in connection.execute(query)
    ]


def replace_all(connection: Connection, commission: str, made: Iterable[StoredSummary]) -> None:
    """The summary protocols of a commission below, replaced by those of its newer bundle."""
    connection.execute(summaries.delete().where(summaries.c.commission == commission))
    rows = [
        {
            "commission": s.key[0],
            "contest": s.key[1],
            "ballot": s.key[2],
            "district": s.key[3],
            "state": s.record.state.value,
            "first": entry_text(s.record.first),
            "second": entry_text(s.record.second),
            "definitive": entry_text(s.record.definitive),
            "bundle_sha256": s.bundle_sha256,
        }
        for s in made
    ]
    if rows:
        connection.execute(insert(summaries), rows)


def find(connection: Connection, key: SummaryKey, *, lock: bool = False) -> StoredSummary | None:
    """One summary protocol (locked for update until the transaction ends, when `lock`)."""
    commission, contest, ballot, district = key
    query = select(summaries).where(
        summaries.c.commission == commission,
        summaries.c.contest == contest,
        summaries.c.ballot == ballot,
        summaries.c.district == district,
    )
    row = connection.execute(query.with_for_update() if lock else query).first()
    return None if row is None else _summary(row)


def save(connection: Connection, key: SummaryKey, record: Record) -> None:
    """Write a summary protocol's new state and entries."""
    commission, contest, ballot, district = key
    connection.execute(
        update(summaries)
        .where(
            summaries.c.commission == commission,
            summaries.c.contest == contest,
            summaries.c.ballot == ballot,
            summaries.c.district == district,
        )
        .values(
            state=record.state.value,
            first=entry_text(record.first),
            second=entry_text(record.second),
            definitive=entry_text(record.definitive),
        )
    )


def listing(connection: Connection, commission: str | None = None) -> list[StoredSummary]:
    """The summary protocols (of one commission below, or of all), in key order."""
    query = select(summaries).order_by(
        summaries.c.commission, summaries.c.contest, summaries.c.ballot, summaries.c.district
    )
    if commission is not None:
        query = query.where(summaries.c.commission == commission)
    return [_summary(r) for r in connection.execute(query)]


def not_accepted(connection: Connection) -> int:
    """How many summary protocols are not accepted yet."""
    query = select(func.count()).select_from(summaries).where(summaries.c.state != EntryState.ACCEPTED.value)
    return int(connection.execute(query).scalar_one())


def _summary(row: Any) -> StoredSummary:
    key = (row.commission, row.contest, row.ballot, int(row.district))
    return StoredSummary(key, record_of(row), row.bundle_sha256)
