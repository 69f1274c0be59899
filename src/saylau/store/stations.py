"""The station register as the service stores it: one `StoredStation` per polling station."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, func, insert, select

from saylau.store.tables import stations


@dataclass(frozen=True, slots=True)
class StoredStation:
    """A polling station: its number, its district and its registered voters."""

    number: int
    district: int
    registered: int


def add_all(connection: Connection, found: Iterable[StoredStation]) -> None:
    """Register stations (on first start)."""
    rows = [{"number": s.number, "district": s.district, "registered": s.registered} for s in found]
    if rows:
        connection.execute(insert(stations), rows)


def per_district(connection: Connection) -> dict[int, int]:
    """How many stations each district has."""
    query = select(stations.c.district, func.count()).group_by(stations.c.district)
    return {int(d): int(n) for d, n in connection.execute(query).all()}
