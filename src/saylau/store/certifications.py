"""District certifications: the statements of `district_certifications`, as `DistrictCertification` records."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from saylau.store import arrays
from saylau.store.tables import KEYS_AT_ONCE, by_whole_keys, district_certifications

t = district_certifications


@dataclass(frozen=True, slots=True)
class DistrictCertification:
    """A district's result as its district commission certified it: who, when, and what (status, winner,
    tally)."""

    contest: str
    district: int
    commission: str
    result: Mapping[str, Any]
    by: str
    at: str


def add(connection: Connection, found: DistrictCertification) -> None:
    """Store a district's certification."""
    text = json.dumps(found.result, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    connection.execute(
        insert(t).values(
            contest=found.contest,
            district=found.district,
            commission=found.commission,
            result=text,
            by=found.by,
            at=found.at,
        )
    )


def remove(connection: Connection, contest: str, district: int) -> None:
    """Withdraw a district's certification."""
    connection.execute(delete(t).where(t.c.contest == contest, t.c.district == district))


def of_contest(connection: Connection, contest: str) -> list[DistrictCertification]:
    """A contest's certified districts, by district."""
    query = select(t).where(t.c.contest == contest).order_by(t.c.district)
    return [
        DistrictCertification(r.contest, int(r.district), r.commission, json.loads(r.result), r.by, r.at)
        for r in connection.execute(query)
    ]


def certified(connection: Connection, contest: str) -> frozenset[int]:
    """The numbers of a contest's certified districts (their protocols are frozen)."""
    query = select(t.c.district).where(t.c.contest == contest)
    return frozenset(int(d) for (d,) in connection.execute(query))


def certified_among(connection: Connection, keys: Collection[tuple[str, int]]) -> frozenset[tuple[str, int]]:
    """Which of the districts `keys` ((contest, district) each) are certified, in one query: what a group of
    entries reads (a group's few districts, not every certification of the day)."""
    wanted = sorted(set(keys))
    if not wanted:
        return frozenset()
    if connection.dialect.name == "postgresql":  # one text for any number of keys (`saylau.store.arrays`)
        rows = connection.exec_driver_sql(_AMONG_PG, arrays.columns(wanted))
        return frozenset((str(c), int(d)) for c, d in rows)
    found: set[tuple[str, int]] = set()
    for start in range(0, len(wanted), KEYS_AT_ONCE):  # SQLite: each district by its whole key
        statement, values = by_whole_keys(_AMONG_SQLITE, wanted[start : start + KEYS_AT_ONCE])
        found.update((str(c), int(d)) for c, d in connection.exec_driver_sql(statement, values))
    return frozenset(found)


_AMONG_SQLITE = (
    "SELECT c.contest, c.district FROM {keys} AS k "
    "CROSS JOIN district_certifications AS c ON c.contest = k.column1 AND c.district = k.column2"
)
"""`certified_among` on SQLite (`tables.by_whole_keys`): a `contest IN (...)` beside the key's tuple `IN` read every
certification of each contest named."""

_AMONG_PG = (
    "SELECT c.contest, c.district FROM unnest(%s::text[], %s::integer[]) AS k(contest, district) "
    "JOIN district_certifications c USING (contest, district)"
)
