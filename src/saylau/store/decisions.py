"""The recorded drawings of lots: insert, read and withdraw rows of `decisions` as `StoredDecision`s."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from saylau.store.tables import decisions


@dataclass(frozen=True, slots=True)
class StoredDecision:
    """One drawing of lots as the commission recorded it (`district` 0 for the list tier)."""

    id: int
    tier: str
    district: int
    tied: tuple[str, ...]
    """In the tie's own order (registration or ballot order)."""
    seats: int
    winners: tuple[str, ...]
    by: str
    at: str
    drawn_on: str
    note: str


def every(connection: Connection) -> list[StoredDecision]:
    """Every recorded drawing, in the order they were recorded (the count applies them so)."""
    return [_decision(row) for row in connection.execute(select(decisions).order_by(decisions.c.id))]


def find(connection: Connection, decision_id: int) -> StoredDecision | None:
    """The drawing recorded under `decision_id`, if any."""
    row = connection.execute(select(decisions).where(decisions.c.id == decision_id)).first()
    return None if row is None else _decision(row)


def add(
    connection: Connection,
    *,
    tier: str,
    district: int,
    tied: Sequence[str],
    seats: int,
    winners: Sequence[str],
    by: str,
    at: str,
    drawn_on: str,
    note: str,
) -> StoredDecision:
    """Record a drawing; the stored record with its new id."""
    values: dict[str, Any] = {
        "tier": tier,
        "district": district,
        "tied": json.dumps(list(tied), ensure_ascii=False),
        "winners": json.dumps(list(winners), ensure_ascii=False),
        "by": by,
        "seats": seats,
        "drawn_on": drawn_on,
        "at": at,
        "note": note,
    }
    key = connection.execute(insert(decisions).values(**values)).inserted_primary_key
    assert key is not None
    return StoredDecision(int(key[0]), tier, district, tuple(tied), seats, tuple(winners), by, at, drawn_on, note)


def remove(connection: Connection, decision_id: int) -> None:
    """Delete the drawing recorded under `decision_id`."""
    connection.execute(delete(decisions).where(decisions.c.id == decision_id))


def _decision(row: Any) -> StoredDecision:
    return StoredDecision(
        int(row.id),
        row.tier,
        int(row.district),
        tuple(json.loads(row.tied)),
        int(row.seats),
        tuple(json.loads(row.winners)),
        row.by,
        row.at,
        row.drawn_on,
        row.note,
    )
