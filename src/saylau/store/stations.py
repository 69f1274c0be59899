"""The day's station register as the service stores it: one `StoredStation` per polling station, once for
every contest it counts (its district in each contest is kept with its protocols)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, insert, select

from saylau.store.tables import stations


@dataclass(frozen=True, slots=True)
class StoredStation:
    """A polling station: its number, its registered voters, its region and area (may be empty)."""

    number: int
    registered: int
    region: str = ""
    area: str = ""


def add_all(connection: Connection, found: Iterable[StoredStation]) -> None:
    """Register stations (on first start)."""
    rows = [{"number": s.number, "registered": s.registered, "region": s.region, "area": s.area} for s in found]
    if rows:
        connection.execute(insert(stations), rows)


def every(connection: Connection) -> list[StoredStation]:
    """Every station, by number."""
    query = select(stations).order_by(stations.c.number)
    return [StoredStation(r.number, r.registered, r.region, r.area) for r in connection.execute(query)]
