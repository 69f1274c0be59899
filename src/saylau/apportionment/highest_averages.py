"""Divisor (highest-averages) methods: each seat in turn goes to the highest average votes / divisor(seats).

Averages are exact integer pairs compared by cross-multiplication (`methods.compare_averages`). Contestants
tied on the same average are handled as one level: if the level has no more contestants than seats left, all
of them get a seat; otherwise the tie rule picks who does. A contestant that holds as many seats as its cap
(candidates) stops competing and the others go on, which is the same as sharing the rest among them.
`assign_by_divisor` is that procedure, seat by seat: the definition. `fast.divisor.at_once` finds the same
seats at once, and a property test holds the two equal.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from saylau.apportionment.contestants import Entrants, unfillable
from saylau.apportionment.fast.divisor import at_once
from saylau.apportionment.methods import DIVISORS, Method, averages_of, compare_averages
from saylau.apportionment.ties import Candidate, TieBreaker
from saylau.apportionment.trace import Cap, DivisorLine, SeatAward, Steps


def share_by_divisor(
    entrants: Entrants, admitted: list[int], seats: int, method: Method, breaker: TieBreaker
) -> tuple[dict[int, int], Callable[[], Steps]]:
    """Seats by registration index for the `admitted` contestants (all with votes), and how to build the trace.

    The seats go one by one to the highest average (`assign_by_divisor`); the same seats are found at once
    by `fast.divisor.at_once` wherever its floating-point guess can be proved on integers.
    """
    caps = entrants.caps
    competing = [i for i in admitted if caps[i] != 0]
    limited = [c for i in competing if (c := caps[i]) is not None]
    if len(limited) == len(competing) and sum(limited) < seats:
        left = seats - sum(limited)
        raise unfillable(left)
    found = at_once(entrants, competing, admitted, seats, method, breaker)
    if found is not None:
        return found
    return _stepwise(entrants, admitted, seats, method, breaker)


def _stepwise(
    entrants: Entrants, admitted: list[int], seats: int, method: Method, breaker: TieBreaker
) -> tuple[dict[int, int], Callable[[], Steps]]:
    """The seat-by-seat procedure, for the rare inputs the floats cannot settle."""
    outcome = assign_by_divisor([entrants.candidate(i) for i in admitted], seats, method, breaker)
    index = {entrants.names[i]: i for i in admitted}
    steps = Steps(None, outcome.lines, outcome.order, (), outcome.capped)
    return {index[name]: n for name, n in outcome.seats.items()}, lambda: steps


@dataclass(frozen=True, slots=True)
class DivisorOutcome:
    """What the seat-by-seat divisor stage decided."""

    seats: dict[str, int]
    lines: tuple[DivisorLine, ...]
    order: tuple[SeatAward, ...]
    capped: tuple[Cap, ...]


class _Entry:
    """A contestant's next average on the heap; `<` means "comes first"."""

    __slots__ = ("candidate", "den", "num")

    def __init__(self, candidate: Candidate, num: int, den: int) -> None:
        self.candidate, self.num, self.den = candidate, num, den

    def compare(self, other: _Entry) -> int:
        """+1 if self's average is higher, 0 if equal, -1 if lower. den == 0 is infinite."""
        return compare_averages(self.num, self.den, other.num, other.den)

    def __lt__(self, other: _Entry) -> bool:
        c = self.compare(other)
        return c > 0 or (c == 0 and self.candidate.index < other.candidate.index)

    @property
    def average(self) -> Fraction | None:
        return None if self.den == 0 else Fraction(self.num, self.den)


def assign_by_divisor(
    candidates: Sequence[Candidate], seats: int, method: Method, breaker: TieBreaker
) -> DivisorOutcome:
    """Share `seats` among `candidates` (all admitted, all with votes) seat by seat: the reference procedure."""
    divisor = DIVISORS[method]
    result = {c.name: 0 for c in candidates}
    heap = [_Entry(c, *divisor(c.votes, 0)) for c in candidates if c.cap != 0]
    heapq.heapify(heap)
    order: list[SeatAward] = []
    capped = [Cap(c.name, 0, None) for c in candidates if c.cap == 0]
    while len(order) < seats and breaker.undecided is None:
        if not heap:
            left = seats - len(order)
            raise unfillable(left)
        level = [heapq.heappop(heap)]
        while heap and heap[0].compare(level[0]) == 0:
            level.append(heapq.heappop(heap))
        left = seats - len(order)
        winners: Sequence[Candidate] = [e.candidate for e in level]
        if len(level) > left:
            picked = breaker.pick(winners, left, value=level[0].average, stage="average")
            winners = picked or ()
        for c in winners:
            result[c.name] += 1
            order.append(SeatAward(len(order) + 1, c.name, level[0].average))
            if c.cap is not None and result[c.name] >= c.cap:
                capped.append(Cap(c.name, c.cap, None))
            else:
                heapq.heappush(heap, _Entry(c, *divisor(c.votes, result[c.name])))
    lines = tuple(
        DivisorLine(c.name, c.votes, result[c.name], averages_of(divisor, c.votes, result[c.name])) for c in candidates
    )
    return DivisorOutcome(result, lines, tuple(order), tuple(capped))
