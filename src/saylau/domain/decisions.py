"""Decisions only people can take: a drawing of lots the commission held by hand, and its outcome.

A tie the rules leave to the commission (`tie = "decide"` for list seats, a tie between district candidates)
stops the declaration at "drawing of lots required". The commission draws lots, records who won, and the
calculation runs again with the record (the folder's `decisions.csv`, or the service's decisions). The record
names the tie it settles (tier, constituency or district, the tied names, the seats at stake), so that it
can settle that tie and no other.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class TieTier(StrEnum):
    """Where a tie left to the commission arose."""

    LIST = "list"
    """Lists tied for the last list seats (`tie = "decide"`)."""
    DISTRICT = "district"
    """Candidates tied for a district's seat (or its last seats)."""
    CANDIDATE = "candidate"
    """Candidates of one open list tied on preference votes for its last seats (`OpenList.tie` lot)."""


@dataclass(frozen=True, slots=True)
class LotDecision:
    """One drawing of lots as recorded: among `tied`, competing for `seats`, the lot gave them to `winners`."""

    tier: TieTier
    tied: tuple[str, ...]
    seats: int
    winners: tuple[str, ...]
    district: int | None = None
    """The district's number (district tier)."""
    constituency: str = ""
    """The list constituency ("" for an election with one)."""
    drawn_on: str = ""
    """When the lots were drawn, as recorded (a date, or a date and time)."""
    recorded_by: str = ""
    """Who recorded the outcome (a member of the commission, or the service's user)."""
    note: str = ""
