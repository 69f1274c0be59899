"""Divisor (highest-averages) methods: each seat in turn goes to the highest average votes / divisor(seats).

Averages are exact integer pairs compared by cross-multiplication (see `methods`). Contestants tied on the
same average are handled as one level: if the level has no more contestants than seats left, all of them
get a seat; otherwise the tie rule picks who does. A contestant that holds as many seats as its cap
(candidates) stops competing and the others go on, which is the same as sharing the rest among them.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from saylau.apportionment.methods import DIVISORS, Divisor, Method
from saylau.apportionment.ties import Candidate, TieBreaker
from saylau.apportionment.trace import Cap, DivisorLine, SeatAward
from saylau.errors import RuleError


@dataclass(frozen=True, slots=True)
class DivisorOutcome:
    """What the divisor stage decided."""

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
        if self.den == 0 or other.den == 0:
            if self.den != other.den:
                return 1 if self.den == 0 else -1
            left, right = self.num, other.num  # two first seats of infinite priority: more votes first
        else:
            left, right = self.num * other.den, other.num * self.den
        return (left > right) - (left < right)

    def __lt__(self, other: _Entry) -> bool:
        c = self.compare(other)
        return c > 0 or (c == 0 and self.candidate.index < other.candidate.index)

    @property
    def average(self) -> Fraction | None:
        return None if self.den == 0 else Fraction(self.num, self.den)


def assign_by_divisor(
    candidates: Sequence[Candidate], seats: int, method: Method, breaker: TieBreaker
) -> DivisorOutcome:
    """Share `seats` among `candidates` (all admitted, all with votes) seat by seat."""
    divisor = DIVISORS[method]
    result = {c.name: 0 for c in candidates}
    heap = [_Entry(c, *divisor(c.votes, 0)) for c in candidates if c.cap != 0]
    heapq.heapify(heap)
    order: list[SeatAward] = []
    capped = [Cap(c.name, 0, None) for c in candidates if c.cap == 0]
    while len(order) < seats and breaker.undecided is None:
        if not heap:
            left = seats - len(order)
            raise RuleError(f"{left} seat(s) cannot be filled: every admitted list has run out of candidates")
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
        DivisorLine(c.name, c.votes, result[c.name], _averages(divisor, c, result[c.name])) for c in candidates
    )
    return DivisorOutcome(result, lines, tuple(order), tuple(capped))


def _averages(divisor: Divisor, c: Candidate, seats: int) -> tuple[Fraction | None, ...]:
    pairs = (divisor(c.votes, s) for s in range(seats + 1))
    return tuple(None if den == 0 else Fraction(num, den) for num, den in pairs)
