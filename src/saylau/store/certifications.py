"""District certifications: the statements of `district_certifications`, as `DistrictCertification` records."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from saylau.store.tables import district_certifications

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


def certified_all(connection: Connection) -> dict[str, frozenset[int]]:
    """Every contest's certified districts, by contest (contests with none left out)."""
    out: dict[str, set[int]] = {}
    for contest, district in connection.execute(select(t.c.contest, t.c.district)):
        out.setdefault(contest, set()).add(int(district))
    return {c: frozenset(d) for c, d in out.items()}
