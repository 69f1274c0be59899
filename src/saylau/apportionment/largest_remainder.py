"""Quota methods: integer seats by the quota, the seats left by largest remainder.

Kazakhstan (2023), list tier: quota = sum of the passing parties' votes / seats (unrounded); each party gets
the integer part of votes / quota; the seats left go one each to the largest remainders; a tie of remainders
goes to the list registered earlier (spec "Party-list seats"). The same procedure serves the Droop,
Hagenbach-Bischoff and Imperiali quotas; with the last two the integer seats can exceed the seats to fill,
and the excess is taken back from the smallest remainders (Wikipedia, "Imperiali quota";
"Hagenbach-Bischoff quota").

Every decision is taken on integers: the quota is kept as a pair qn/qd (V/S for Hare, V/(S+1) and V/(S+2),
a whole number for Droop), so a contestant's integer seats and remainder are `divmod(votes x qd, qn)`, and
all remainders of a round share the denominator qd, so they compare as integers. Fractions are made only
when the trace is read (`Steps`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from saylau.apportionment.contestants import Entrants, unfillable
from saylau.apportionment.methods import QUOTA_DIVIDER, Method
from saylau.apportionment.ties import TieBreaker
from saylau.apportionment.trace import Cap, QuotaLine, SeatAward, Steps


@dataclass(slots=True)
class _Round:
    """One round of the quota method over `active`, in integers: quota qn/qd, remainders over qd."""

    active: list[int]
    qn: int
    qd: int
    integer: dict[int, int]
    remainder: dict[int, int]
    result: dict[int, int]
    order: list[int]
    withdrawn: list[int]


def share_by_quota(
    entrants: Entrants, admitted: list[int], seats: int, method: Method, breaker: TieBreaker
) -> tuple[dict[int, int], Callable[[], Steps]]:
    """Seats by registration index for the `admitted` contestants, and how to build the trace.

    A contestant whose entitlement exceeds its cap keeps the cap, and the other seats are shared again by
    the same method among the others, as if it had not stood (new quota), until nobody is over a cap.
    Ties are recorded for the final round only; an earlier round's draw still advances the seeded stream.
    """
    caps = entrants.caps
    fixed: dict[int, int] = {}
    capped: list[Cap] = []
    active = admitted
    while True:
        left = seats - sum(fixed.values())
        if not active:
            raise unfillable(left)
        decided_before = len(breaker.decisions)
        breaker.undecided = None
        last = _one_round(entrants, active, left, method, breaker)
        over = [i for i in active if (cap := caps[i]) is not None and last.result[i] > cap]
        if not over:
            break
        del breaker.decisions[decided_before:]
        for i in over:
            cap = caps[i]
            assert cap is not None
            fixed[i] = cap
            capped.append(Cap(entrants.names[i], cap, last.result[i]))
        active = [i for i in active if i not in over]
    return {**fixed, **last.result}, lambda: _steps(entrants, last, fixed, tuple(capped))


def _one_round(entrants: Entrants, active: list[int], seats: int, method: Method, breaker: TieBreaker) -> _Round:
    votes = entrants.votes
    if seats == 0:
        zero = dict.fromkeys(active, 0)
        return _Round(active, 0, 0, zero, {i: votes[i] for i in active}, dict(zero), [], [])
    total = sum(votes[i] for i in active)
    if method is Method.DROOP:
        qn, qd = total // (seats + 1) + 1, 1
    else:
        qn, qd = total, seats + QUOTA_DIVIDER[method]
    integer: dict[int, int] = {}
    remainder: dict[int, int] = {}
    given = 0
    for i in active:
        whole, rest = divmod(votes[i] * qd, qn)
        integer[i] = whole
        remainder[i] = rest
        given += whole
    result = dict(integer)
    order: list[int] = []
    withdrawn: list[int] = []
    left = seats - given
    if left > 0:
        # More seats left than lists happens only with a Droop quota on a tiny electorate: go round again.
        rounds, left = divmod(left, len(active))
        if rounds:
            for i in active:
                result[i] += rounds
        ranked = sorted(active, key=lambda i: (-remainder[i], i))
        for i in _top(entrants, ranked, left, remainder, qd, breaker, largest=True):
            result[i] += 1
            order.append(i)
    excess = -left
    while excess > 0:
        holders = [i for i in active if result[i] > 0]
        take = min(excess, len(holders))
        ranked = sorted(holders, key=lambda i: (remainder[i], -i))
        for i in _top(entrants, ranked, take, remainder, qd, breaker, largest=False):
            result[i] -= 1
            withdrawn.append(i)
        excess -= take
    return _Round(active, qn, qd, integer, remainder, result, order, withdrawn)


def _top(
    entrants: Entrants,
    ranked: list[int],
    k: int,
    remainder: dict[int, int],
    qd: int,
    breaker: TieBreaker,
    *,
    largest: bool,
) -> list[int]:
    """The first `k` of `ranked` (by remainder), with a tie at the boundary settled by the tie rule.

    `largest=True`: the k largest remainders win a seat. `largest=False`: the k smallest remainders give one
    back, so in a tie the rule picks who *keeps* the seat and the others give it back. Under DECIDE every
    tied contestant is left without the contested seat and the seats at stake are reported as undecided.
    """
    if k == 0:
        return []
    stage = "remainder" if largest else "excess"  # a seat won by remainder, or one given back
    edge = remainder[ranked[k - 1]]
    if k == len(ranked) or remainder[ranked[k]] != edge:  # nobody left out is tied with the last one in
        return ranked[:k]
    clear = [i for i in ranked if remainder[i] != edge and (remainder[i] > edge) == largest]
    tied = [i for i in ranked if remainder[i] == edge]
    group = [entrants.candidate(i) for i in tied]
    need = k - len(clear)
    value = Fraction(edge, qd)
    if largest:
        winners = breaker.pick(group, need, value=value, stage=stage)
        return clear + [c.index for c in winners or ()]
    keepers = breaker.pick(group, len(tied) - need, value=value, stage=stage)
    kept = {c.index for c in keepers or ()}
    return clear + [i for i in tied if keepers is None or i not in kept]


def _steps(entrants: Entrants, last: _Round, fixed: dict[int, int], capped: tuple[Cap, ...]) -> Steps:
    """The trace in fractions, from the integers of the final round (and the caps fixed before it)."""
    names, votes = entrants.names, entrants.votes
    quota = Fraction(last.qn, last.qd) if last.qd else None
    qd = last.qd
    if quota is None:
        lines = {i: QuotaLine(names[i], votes[i], Fraction(0), 0, Fraction(votes[i]), 0) for i in last.active}
    else:
        lines = {
            i: QuotaLine(
                names[i],
                votes[i],
                Fraction(votes[i] * qd, last.qn),
                last.integer[i],
                Fraction(last.remainder[i], qd),
                last.result[i],
            )
            for i in last.active
        }
    # A capped contestant did not take part in the final round: its line shows the cap as its seats.
    for i, n in fixed.items():
        lines[i] = QuotaLine(names[i], votes[i], votes[i] / quota if quota else Fraction(0), n, Fraction(0), n)
    return Steps(
        quota,
        tuple(lines[i] for i in sorted(lines)),
        tuple(SeatAward(k, names[i], Fraction(last.remainder[i], qd)) for k, i in enumerate(last.order, 1)),
        tuple(SeatAward(k, names[i], Fraction(last.remainder[i], qd)) for k, i in enumerate(last.withdrawn, 1)),
        capped,
    )
