"""The result of an allocation and every step that led to it, so that a protocol can explain each seat.

Like the annex of a commission's protocol: the threshold table, the quota, the integer seats and remainders
(or the averages), the order in which the remaining seats fell, caps, and ties with the rule that broke them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from saylau.apportionment.methods import Method
from saylau.apportionment.threshold import ThresholdReport
from saylau.apportionment.ties import TieDecision, TieRule, Undecided


@dataclass(frozen=True, slots=True)
class SeatAward:
    """One seat in the order it fell (or, in `Allocation.withdrawn`, one seat taken back).

    Divisor methods: every seat, with the average that won it (None: a first seat of infinite priority under
    Adams or Huntington-Hill; Huntington-Hill averages are squared, v²/(s(s+1))). Quota methods: the seats
    given by largest remainder, with the remainder in votes (votes - integer seats x quota).
    """

    seat: int
    name: str
    value: Fraction | None


@dataclass(frozen=True, slots=True)
class QuotaLine:
    """An admitted contestant under a quota method."""

    name: str
    votes: int
    quotas: Fraction
    """votes / quota, exact."""
    integer_seats: int
    remainder: Fraction
    """votes - integer_seats x quota (in votes)."""
    seats: int
    """Final seats: integer seats, plus a remainder seat, minus a withdrawn one, or the cap."""


@dataclass(frozen=True, slots=True)
class DivisorLine:
    """An admitted contestant under a divisor method: its averages for seat 1 .. seats + 1.

    The last average is the first one that did not win a seat. None is an infinite average (first seat,
    Adams and Huntington-Hill); Huntington-Hill averages are squared.
    """

    name: str
    votes: int
    seats: int
    averages: tuple[Fraction | None, ...]


@dataclass(frozen=True, slots=True)
class Cap:
    """A contestant held to `cap` seats (its number of candidates); the seats beyond went to the others.

    `entitled` is what the method gave before the cap (quota methods); None for divisor methods, where the
    contestant simply stops competing once it holds `cap` seats.
    """

    name: str
    cap: int
    entitled: int | None


@dataclass(frozen=True, slots=True)
class Allocation:
    """Seats per contestant and the full trace of how they were decided."""

    seats: Mapping[str, int]
    """Every contestant in registration order, 0 included; only seats already decided."""
    seats_total: int
    method: Method
    threshold: ThresholdReport
    quota: Fraction | None
    lines: tuple[QuotaLine | DivisorLine, ...]
    order: tuple[SeatAward, ...]
    ties: tuple[TieDecision, ...]
    undecided: Undecided | None
    seed: int | None
    tie_rule: TieRule = TieRule.REGISTRATION_ORDER
    withdrawn: tuple[SeatAward, ...] = ()
    """Quota methods whose quotas hand out more seats than exist: the seats taken back, smallest remainder first."""
    capped: tuple[Cap, ...] = ()

    @property
    def seats_decided(self) -> int:
        """Seats given; less than `seats_total` only when a tie is left to a human decision."""
        return sum(self.seats.values())
