"""The day's tree of commissions as the service stores it (from the day's commissions.csv), one
`StoredCommission` per commission, parents before their children."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, insert, select

from saylau.store.tables import commissions, day


@dataclass(frozen=True, slots=True)
class StoredCommission:
    """One commission: its level, parent, name, area (stations, and districts as (contest, number)) and the
    contests it declares."""

    id: str
    level: str
    parent: str | None
    name: str
    stations: frozenset[int]
    districts: tuple[tuple[str, int], ...]
    declares: tuple[str, ...]


def add_all(connection: Connection, found: Iterable[StoredCommission]) -> None:
    """Store the tree (on first start), in the order given (parents first)."""
    rows = [
        {
            "id": c.id,
            "position": k,
            "level": c.level,
            "parent": c.parent,
            "name": c.name,
            "stations": json.dumps(sorted(c.stations)),
            "districts": json.dumps([list(d) for d in c.districts], ensure_ascii=False),
            "declares": json.dumps(list(c.declares), ensure_ascii=False),
        }
        for k, c in enumerate(found)
    ]
    if rows:
        connection.execute(insert(commissions), rows)


def find(connection: Connection, commission: str) -> StoredCommission | None:
    """The commission of that id, if the tree has it."""
    row = connection.execute(select(commissions).where(commissions.c.id == commission)).first()
    return None if row is None else _commission(row)


def every(connection: Connection) -> list[StoredCommission]:
    """The whole tree, parents before their children."""
    return [_commission(r) for r in connection.execute(select(commissions).order_by(commissions.c.position))]


def _commission(row: Any) -> StoredCommission:
    return parsed(row.id, row.level, row.parent, row.name, row.stations, row.districts, row.declares)


@lru_cache(maxsize=256)
def parsed(
    id: str, level: str, parent: str | None, name: str, stations: str, districts: str, declares: str
) -> StoredCommission:
    """A commission from its stored columns (cached: every request of its users reads the same row)."""
    return StoredCommission(
        id,
        level,
        parent,
        name,
        frozenset(json.loads(stations)),
        tuple((str(c), int(n)) for c, n in json.loads(districts)),
        tuple(json.loads(declares)),
    )


def tree_version(connection: Connection) -> str:
    """What identifies the day's tree without reading it: the day's definition hash (the tree comes from the
    day's commissions.csv and never changes after the first start).

    Read once per engine, not per transaction: every group of entries needs it (the running tallies follow
    the tree), and on PostgreSQL each read was a round trip of the writer's. The `day` row is written once,
    into an empty database (the first start, or a restore, which refuses a database that holds an election),
    and never changed after, so the hash an engine has read stays the database's for every process that
    serves it; before the day exists nothing is kept."""
    engine = connection.engine
    found = _versions.get(engine)
    if found is None:
        found = str(connection.execute(select(day.c.definition_sha256)).scalar_one_or_none() or "")
        if found:
            _versions[engine] = found
    return found


def forget_version(connection: Connection) -> None:
    """Drop the hash `tree_version` keeps for this connection's engine: the day is being written (a first
    start whose transaction may yet roll back)."""
    _versions.pop(connection.engine, None)


_versions: WeakKeyDictionary[Engine, str] = WeakKeyDictionary()
"""The day's definition hash by engine (`tree_version`), once a transaction has read it."""


def tree(connection: Connection) -> tuple[StoredCommission, ...]:
    """The whole tree as `every` gives it, read once per day's tree (`tree_version`) and process: a staff list
    asks for it on every request, and a country's tree has some 10,000 commissions."""
    version = tree_version(connection)
    found = _trees.get(version)
    if found is None:
        found = _trees[version] = tuple(every(connection))
    return found


_trees: dict[str, tuple[StoredCommission, ...]] = {}
