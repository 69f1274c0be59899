"""Observers' uploaded copies: insert and read rows of `observer_copies` as `StoredCopies`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select

from saylau.store.tables import observer_copies


@dataclass(frozen=True, slots=True)
class StoredCopies:
    """One observers' file as it was uploaded: who, when, for which contest, its rows and its text."""

    id: int
    contest: str
    observer: str
    at: str
    rows: int
    sha256: str
    copies: str


def add(connection: Connection, *, contest: str, observer: str, at: str, rows: int, sha256: str, copies: str) -> int:
    """Store one upload; its new id."""
    values = {"contest": contest, "observer": observer, "at": at, "copy_count": rows, "sha256": sha256, "body": copies}
    result = connection.execute(insert(observer_copies).values(values).returning(observer_copies.c.id))
    return int(result.scalar_one())


def every(connection: Connection, contest: str, observer: str | None = None) -> list[StoredCopies]:
    """The uploads of a contest in the order they came (only `observer`'s when given)."""
    query = select(observer_copies).where(observer_copies.c.contest == contest)
    if observer is not None:
        query = query.where(observer_copies.c.observer == observer)
    return [_stored(row) for row in connection.execute(query.order_by(observer_copies.c.id))]


def find(connection: Connection, upload: int) -> StoredCopies | None:
    """The upload stored under `upload`, if any."""
    row = connection.execute(select(observer_copies).where(observer_copies.c.id == upload)).first()
    return None if row is None else _stored(row)


def _stored(row: Any) -> StoredCopies:
    return StoredCopies(int(row.id), row.contest, row.observer, row.at, int(row.copy_count), row.sha256, row.body)
