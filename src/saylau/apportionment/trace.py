"""The result of an allocation and every step that led to it, so that a protocol can explain each seat.

Like the annex of a commission's protocol: the threshold table, the quota, the integer seats and remainders
(or the averages), the order in which the remaining seats fell, caps, and ties with the rule that broke them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Protocol

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
class Steps:
    """The steps of the sharing stage, as `Allocation` shows them (built from recorded integers when asked)."""

    quota: Fraction | None
    lines: tuple[QuotaLine | DivisorLine, ...]
    order: tuple[SeatAward, ...]
    withdrawn: tuple[SeatAward, ...] = ()
    capped: tuple[Cap, ...] = ()


Recorded = tuple[Any, ...]
"""What a call recorded to build its trace later: `(replay, ...)`, where `replay` is a `Replay` that reads the
rest. One tuple serves both halves of the trace, so that the common path of `allocate` makes one object for
them, not two closures."""


class Replay(Protocol):
    """Builds the trace of an allocation from the integers its call recorded (see `Recorded`)."""

    def report(self, recorded: Recorded) -> ThresholdReport:
        """The threshold table."""

    def steps(self, recorded: Recorded) -> Steps:
        """The steps of the sharing stage."""


@dataclass(frozen=True, slots=True)
class TieRecord:
    """The ties of an allocation as the protocol annex records them: each tie and how it was broken, a tie left
    to the commission (`undecided`), the rule the system sets, and the lot's seed when a lot was drawn."""

    ties: tuple[TieDecision, ...] = ()
    undecided: Undecided | None = None
    seed: int | None = None
    rule: TieRule = TieRule.REGISTRATION_ORDER


NO_TIES = TieRecord()
"""An allocation where no tie arose, under registration order."""


class Allocation:
    """Seats per contestant and the full trace of how they were decided.

    Every seat is decided on integers when `allocate` runs; the trace (the threshold table, the quota, the
    lines, the order of the seats, caps) is built from the integers it recorded the first time it is read,
    so a caller that only wants the seats never pays for the fractions a protocol shows.
    """

    __slots__ = ("_report", "_steps", "method", "seats", "seats_total", "seed", "tie_rule", "ties", "undecided")

    seats: Mapping[str, int]
    """Every contestant in registration order, 0 included; only seats already decided."""
    seats_total: int
    method: Method
    ties: tuple[TieDecision, ...]
    undecided: Undecided | None
    seed: int | None
    tie_rule: TieRule

    def __init__(
        self,
        seats: Mapping[str, int],
        seats_total: int,
        method: Method,
        report: ThresholdReport | Callable[[], ThresholdReport] | Recorded,
        steps: Steps | Callable[[], Steps] | Recorded,
        ties: TieRecord = NO_TIES,
    ) -> None:
        self.seats, self.seats_total, self.method = seats, seats_total, method
        self._report: ThresholdReport | Callable[[], ThresholdReport] | Recorded = report
        self._steps: Steps | Callable[[], Steps] | Recorded = steps
        self.ties, self.undecided, self.seed, self.tie_rule = ties.ties, ties.undecided, ties.seed, ties.rule

    @property
    def threshold(self) -> ThresholdReport:
        """The threshold table: the base, what was required, and every contestant's line."""
        report = self._report
        if not isinstance(report, ThresholdReport):
            report = self._report = report[0].report(report) if isinstance(report, tuple) else report()
        return report

    @property
    def _trace(self) -> Steps:
        steps = self._steps
        if not isinstance(steps, Steps):
            steps = self._steps = steps[0].steps(steps) if isinstance(steps, tuple) else steps()
        return steps

    @property
    def quota(self) -> Fraction | None:
        """Votes per seat of the final round (quota methods); None for divisor methods or no seat to share."""
        return self._trace.quota

    @property
    def lines(self) -> tuple[QuotaLine | DivisorLine, ...]:
        """One line per admitted contestant, in registration order."""
        return self._trace.lines

    @property
    def order(self) -> tuple[SeatAward, ...]:
        """The seats in the order they fell (quota methods: the remainder seats only)."""
        return self._trace.order

    @property
    def withdrawn(self) -> tuple[SeatAward, ...]:
        """Quota methods whose quotas hand out more seats than exist: the seats taken back, smallest first."""
        return self._trace.withdrawn

    @property
    def capped(self) -> tuple[Cap, ...]:
        """Contestants held to their number of candidates."""
        return self._trace.capped

    def _fields(self) -> tuple[Any, ...]:
        return (
            dict(self.seats),
            self.seats_total,
            self.method,
            self.threshold,
            self.quota,
            self.lines,
            self.order,
            self.ties,
            self.undecided,
            self.seed,
            self.tie_rule,
            self.withdrawn,
            self.capped,
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Allocation) and self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment]  # like the dataclass it replaces: seats is a mapping

    def __repr__(self) -> str:
        names = "seats seats_total method threshold quota lines order ties undecided seed tie_rule withdrawn capped"
        values = (self.seats, *self._fields()[1:])
        return "Allocation(" + ", ".join(f"{n}={v!r}" for n, v in zip(names.split(), values, strict=True)) + ")"

    def replaced(
        self, *, seats: Mapping[str, int] | None = None, threshold: ThresholdReport | None = None
    ) -> Allocation:
        """The same allocation with other seats shown or another threshold table (a tier that admits lists by
        its own rules before sharing), as `dataclasses.replace` did when this was a dataclass."""
        return Allocation(
            self.seats if seats is None else seats,
            self.seats_total,
            self.method,
            self._report if threshold is None else threshold,
            self._steps,
            self.tie_record,
        )

    @property
    def tie_record(self) -> TieRecord:
        """The ties as one record (what the constructor takes)."""
        return TieRecord(self.ties, self.undecided, self.seed, self.tie_rule)

    @property
    def seats_decided(self) -> int:
        """Seats given; less than `seats_total` only when a tie is left to a human decision."""
        return sum(self.seats.values())
