"""Divisor (highest-averages) methods: each seat in turn goes to the highest average votes / divisor(seats).

Averages are exact integer pairs compared by cross-multiplication (see `methods`). Contestants tied on the
same average are handled as one level: if the level has no more contestants than seats left, all of them
get a seat; otherwise the tie rule picks who does. A contestant that holds as many seats as its cap
(candidates) stops competing and the others go on, which is the same as sharing the rest among them.

Handing out S seats one by one is the same as giving them to the S highest averages of all contestants
(each contestant's averages fall as it wins seats), so `share_by_divisor` finds those directly: a
floating-point guess of every contestant's seats, corrected a seat at a time towards S, then proved on
integers -- every winning average is at least every losing one (cross-multiplied). Only the level at the
last winning average can hold a tie, and it is settled by the rule exactly as the seat-by-seat procedure
would. If the proof fails (two different averages that round to the same float), the seat-by-seat
procedure (`assign_by_divisor`) decides instead. The order in which the seats fell is rebuilt from the
final seats when the trace is read.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from saylau.apportionment.largest_remainder import Entrants
from saylau.apportionment.methods import DIVISORS, Divisor, Method
from saylau.apportionment.ties import Candidate, TieBreaker
from saylau.apportionment.trace import Cap, DivisorLine, SeatAward, Steps
from saylau.errors import RuleError

# Linear divisors d(s) = a s + b for the first guess of the seats (Huntington-Hill: about s + 1/2).
_LINEAR = {
    Method.DHONDT: (1.0, 1.0),
    Method.SAINTE_LAGUE: (2.0, 1.0),
    Method.MODIFIED_SAINTE_LAGUE: (2.0, 1.0),
    Method.DANISH: (3.0, 1.0),
    Method.IMPERIALI: (1.0, 2.0),
    Method.ADAMS: (1.0, 0.0),
    Method.HUNTINGTON_HILL: (1.0, 0.5),
}


def _above(n1: int, d1: int, n2: int, d2: int) -> int:
    """+1, 0, -1 as n1/d1 is above, equal to, below n2/d2; a denominator 0 is infinite, ordered by numerator."""
    if d1 == 0 or d2 == 0:
        if d1 != d2:
            return 1 if d1 == 0 else -1
        left, right = n1, n2
    else:
        left, right = n1 * d2, n2 * d1
    return (left > right) - (left < right)


def share_by_divisor(
    entrants: Entrants, admitted: list[int], seats: int, method: Method, breaker: TieBreaker
) -> tuple[dict[int, int], Callable[[], Steps]]:
    """Seats by registration index for the `admitted` contestants (all with votes), and how to build the trace."""
    divisor = DIVISORS[method]
    votes, caps = entrants.votes, entrants.caps
    competing = [i for i in admitted if caps[i] != 0]
    limited = [c for i in competing if (c := caps[i]) is not None]
    if len(limited) == len(competing) and sum(limited) < seats:
        left = seats - sum(limited)
        raise RuleError(f"{left} seat(s) cannot be filled: every admitted list has run out of candidates")
    held = _guess(entrants, competing, seats, method, divisor)
    if held is None:
        return _stepwise(entrants, admitted, seats, method, breaker)
    # The proof: the lowest winning average (lam) against the highest losing one (mu), exactly.
    lam: tuple[int, int] | None = None
    mu: tuple[int, int] | None = None
    for i in competing:
        s, v = held[i], votes[i]
        if s > 0:
            won = divisor(v, s - 1)
            if lam is None or _above(*won, *lam) < 0:
                lam = won
        cap = caps[i]
        if cap is None or s < cap:
            nxt = divisor(v, s)
            if mu is None or _above(*nxt, *mu) > 0:
                mu = nxt
    assert lam is not None  # seats >= 1 and held sums to seats
    level: list[int] = []
    winners: list[int] = []
    if mu is not None:
        verdict = _above(*lam, *mu)
        if verdict < 0:  # two averages the floats could not tell apart: decide seat by seat
            return _stepwise(entrants, admitted, seats, method, breaker)
        if verdict == 0:  # a tie at the last winning average: the rule decides among the whole level
            for i in competing:
                s = held[i]
                if s > 0 and _above(*divisor(votes[i], s - 1), *lam) == 0:
                    held[i] = s - 1
                    level.append(i)
                elif _above(*divisor(votes[i], s), *lam) == 0 and (caps[i] is None or s < (caps[i] or 0)):
                    level.append(i)
            left = seats - sum(held[i] for i in competing)
            value = None if lam[1] == 0 else Fraction(*lam)
            picked = breaker.pick([entrants.candidate(i) for i in level], left, value=value, stage="average")
            winners = [c.index for c in picked or ()]
            for i in winners:
                held[i] += 1
    result = {i: held.get(i, 0) for i in admitted}
    return result, lambda: _steps(entrants, admitted, result, method, level, winners)


def _guess(
    entrants: Entrants, competing: list[int], seats: int, method: Method, divisor: Divisor
) -> dict[int, int] | None:
    """Seats summing to `seats` that give them to the highest averages as far as floats can tell.

    A first guess from a common divisor (linear in the seats, so every contestant's seats follow from its
    votes at once), then one seat at a time added to the highest next average or taken from the lowest last
    one until the total is right. None when there is nobody to compete.
    """
    if not competing:
        return None
    votes, caps = entrants.votes, entrants.caps
    a, b = _LINEAR[method]
    total = sum(votes[i] for i in competing)
    n = len(competing)
    per = (a * seats + n * (b - a / 2)) / total if total else 0.0  # ~ seats given per vote
    held: dict[int, int] = {}
    for i in competing:
        x = votes[i] * per  # this contestant's votes over the common divisor
        s = int((x - b) / a) + 1 if x > b else (1 if b == 0 else 0)
        cap = caps[i]
        held[i] = max(0, s if cap is None or s < cap else cap)
    given = sum(held.values())

    def average(i: int, s: int) -> float:
        num, den = divisor(votes[i], s)
        return float("inf") if den == 0 else num / den

    if given < seats:
        nexts = [(-average(i, held[i]), i) for i in competing if caps[i] is None or held[i] < (caps[i] or 0)]
        heapq.heapify(nexts)
        while given < seats:
            _, i = heapq.heappop(nexts)
            held[i] += 1
            given += 1
            if caps[i] is None or held[i] < (caps[i] or 0):
                heapq.heappush(nexts, (-average(i, held[i]), i))
    elif given > seats:
        lasts = [(average(i, held[i] - 1), -i) for i in competing if held[i] > 0]
        heapq.heapify(lasts)
        while given > seats:
            _, j = heapq.heappop(lasts)
            held[-j] -= 1
            given -= 1
            if held[-j] > 0:
                heapq.heappush(lasts, (average(-j, held[-j] - 1), j))
    return held


def _steps(
    entrants: Entrants,
    admitted: list[int],
    result: dict[int, int],
    method: Method,
    level: list[int],
    winners: list[int],
) -> Steps:
    """The lines, the order the seats fell in and the caps, rebuilt from the final seats.

    The seats fell in descending order of their averages (equal averages: registration order), except at a
    tied last level, where the winners came in the order the tie rule named them.
    """
    divisor = DIVISORS[method]
    names, votes, caps = entrants.names, entrants.votes, entrants.caps
    tied = {i: result[i] - 1 for i in winners}  # the seat each winner of a tie got at the last level
    awards = []
    for i in admitted:
        for s in range(result[i]):
            if tied.get(i) == s:
                continue
            num, den = divisor(votes[i], s)
            awards.append(((0, -num, i) if den == 0 else (1, -Fraction(num, den), i), i, num, den))
    awards.sort(key=lambda award: award[0])
    seq = [(i, num, den) for _, i, num, den in awards]
    seq += [(i, *divisor(votes[i], tied[i])) for i in winners]
    order = tuple(
        SeatAward(k, names[i], None if den == 0 else Fraction(num, den)) for k, (i, num, den) in enumerate(seq, 1)
    )
    capped = [Cap(names[i], 0, None) for i in admitted if caps[i] == 0]
    count: dict[int, int] = {}
    for i, _, _ in seq:
        count[i] = count.get(i, 0) + 1
        if caps[i] is not None and count[i] >= (caps[i] or 0):
            capped.append(Cap(names[i], caps[i] or 0, None))
    lines = tuple(DivisorLine(names[i], votes[i], result[i], _averages(divisor, votes[i], result[i])) for i in admitted)
    return Steps(None, lines, order, (), tuple(capped))


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
        return _above(self.num, self.den, other.num, other.den)

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
        DivisorLine(c.name, c.votes, result[c.name], _averages(divisor, c.votes, result[c.name])) for c in candidates
    )
    return DivisorOutcome(result, lines, tuple(order), tuple(capped))


def _averages(divisor: Divisor, votes: int, seats: int) -> tuple[Fraction | None, ...]:
    pairs = (divisor(votes, s) for s in range(seats + 1))
    return tuple(None if den == 0 else Fraction(num, den) for num, den in pairs)
