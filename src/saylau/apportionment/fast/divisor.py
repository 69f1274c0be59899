"""A divisor method's seats found at once: the speed path of `highest_averages.share_by_divisor`.

Handing out S seats one by one is the same as giving them to the S highest averages of all contestants
(each contestant's averages fall as it wins seats), so `at_once` finds those directly: a floating-point guess
of every contestant's seats, corrected a seat at a time towards S, then proved on integers -- every winning
average is at least every losing one (cross-multiplied). Only the level at the last winning average can hold
a tie, and it is settled by the rule exactly as the seat-by-seat procedure would. If the proof fails (two
different averages that round to the same float), it returns None and the seat-by-seat definition
(`highest_averages.assign_by_divisor`) decides instead. The order in which the seats fell is rebuilt from the
final seats when the trace is read. A property test holds it equal to the definition: seats, trace and ties.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from fractions import Fraction

from saylau.apportionment.contestants import Entrants
from saylau.apportionment.methods import DIVISORS, Divisor, Method, averages_of, compare_averages
from saylau.apportionment.ties import TieBreaker
from saylau.apportionment.trace import Cap, DivisorLine, SeatAward, Steps

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


def at_once(
    entrants: Entrants, competing: list[int], admitted: list[int], seats: int, method: Method, breaker: TieBreaker
) -> tuple[dict[int, int], Callable[[], Steps]] | None:
    """The seats by registration index and how to build the trace, or None when the floats cannot settle them
    (then the seat-by-seat definition decides). `competing`: the admitted contestants with a cap above 0."""
    divisor = DIVISORS[method]
    votes, caps = entrants.votes, entrants.caps
    held = _guess(entrants, competing, seats, method, divisor)
    if held is None:
        return None
    # The proof: the lowest winning average (lam) against the highest losing one (mu), exactly.
    lam: tuple[int, int] | None = None
    mu: tuple[int, int] | None = None
    for i in competing:
        s, v = held[i], votes[i]
        if s > 0:
            won = divisor(v, s - 1)
            if lam is None or compare_averages(*won, *lam) < 0:
                lam = won
        cap = caps[i]
        if cap is None or s < cap:
            nxt = divisor(v, s)
            if mu is None or compare_averages(*nxt, *mu) > 0:
                mu = nxt
    assert lam is not None  # seats >= 1 and held sums to seats
    level: list[int] = []
    winners: list[int] = []
    if mu is not None:
        verdict = compare_averages(*lam, *mu)
        if verdict < 0:  # two averages the floats could not tell apart: decide seat by seat
            return None
        if verdict == 0:  # a tie at the last winning average: the rule decides among the whole level
            for i in competing:
                s = held[i]
                if s > 0 and compare_averages(*divisor(votes[i], s - 1), *lam) == 0:
                    held[i] = s - 1
                    level.append(i)
                elif compare_averages(*divisor(votes[i], s), *lam) == 0 and (caps[i] is None or s < (caps[i] or 0)):
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
    lines = tuple(
        DivisorLine(names[i], votes[i], result[i], averages_of(divisor, votes[i], result[i])) for i in admitted
    )
    return Steps(None, lines, order, (), tuple(capped))
