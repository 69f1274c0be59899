"""Scans and photos of paper protocols (`protocol_scans`), as records: a scan's bytes are read only when asked for.

The use cases (`saylau.service.scans`) check who may upload what and record each upload in the audit chain.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import Connection, insert, select

from saylau.store.tables import protocol_scans


@dataclass(frozen=True, slots=True)
class Scan:
    """One stored scan of a paper protocol (its bytes apart)."""

    id: int
    station: int
    contest: str
    ballot: str
    sha256: str
    media: str
    size: int
    by: str
    at: str


_COLUMNS = (
    protocol_scans.c.id,
    protocol_scans.c.station,
    protocol_scans.c.contest,
    protocol_scans.c.ballot,
    protocol_scans.c.sha256,
    protocol_scans.c.media,
    protocol_scans.c.size,
    protocol_scans.c.by,
    protocol_scans.c.at,
)


def add(connection: Connection, scan: Scan, body: bytes) -> int:
    """Store a scan (its `id` is ignored); the new id."""
    values = {c.name: getattr(scan, c.name) for c in _COLUMNS if c.name != "id"}
    found = connection.execute(insert(protocol_scans).values(**values, body=body).returning(protocol_scans.c.id))
    return int(found.scalar_one())


def of_station(connection: Connection, station: int, contest: str | None = None) -> list[Scan]:
    """A station's scans (one contest's, when given), in upload order."""
    query = select(*_COLUMNS).where(protocol_scans.c.station == station)
    if contest is not None:
        query = query.where(protocol_scans.c.contest == contest)
    return [Scan(*row) for row in connection.execute(query.order_by(protocol_scans.c.id))]


def of_contest(connection: Connection, contest: str, stations: Collection[int] | None = None) -> list[Scan]:
    """A contest's scans in upload order (of `stations` only, when given)."""
    query = select(*_COLUMNS).where(protocol_scans.c.contest == contest)
    if stations is not None:
        query = query.where(protocol_scans.c.station.in_(list(stations)))
    return [Scan(*row) for row in connection.execute(query.order_by(protocol_scans.c.id))]


def one(connection: Connection, scan_id: int) -> tuple[Scan, bytes] | None:
    """A scan and its bytes, or None."""
    row = connection.execute(select(*_COLUMNS, protocol_scans.c.body).where(protocol_scans.c.id == scan_id)).first()
    return None if row is None else (Scan(*row[:-1]), bytes(row[-1]))


def bodies(connection: Connection, ids: Collection[int]) -> dict[int, bytes]:
    """The bytes of the scans `ids`."""
    if not ids:
        return {}
    query = select(protocol_scans.c.id, protocol_scans.c.body).where(protocol_scans.c.id.in_(list(ids)))
    return {int(i): bytes(b) for i, b in connection.execute(query)}
