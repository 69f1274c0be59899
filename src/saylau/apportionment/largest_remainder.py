"""Quota methods: integer seats by the quota, the seats left by largest remainder.

Kazakhstan (2023), list tier: quota = sum of the passing parties' votes / seats (unrounded); each party gets
the integer part of votes / quota; the seats left go one each to the largest remainders; a tie of remainders
goes to the list registered earlier (spec "Party-list seats"). The same procedure serves the Droop,
Hagenbach-Bischoff and Imperiali quotas; with the last two the integer seats can exceed the seats to fill,
and the excess is taken back from the smallest remainders (Wikipedia, "Imperiali quota";
"Hagenbach-Bischoff quota").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from saylau.apportionment.methods import QUOTAS, Method
from saylau.apportionment.ties import Candidate, TieBreaker
from saylau.apportionment.trace import Cap, QuotaLine, SeatAward
from saylau.errors import RuleError


@dataclass(frozen=True, slots=True)
class QuotaOutcome:
    """What the quota stage decided (the final round, after any caps)."""

    seats: dict[str, int]
    quota: Fraction | None
    lines: tuple[QuotaLine, ...]
    order: tuple[SeatAward, ...]
    withdrawn: tuple[SeatAward, ...]
    capped: tuple[Cap, ...]


def assign_by_quota(candidates: Sequence[Candidate], seats: int, method: Method, breaker: TieBreaker) -> QuotaOutcome:
    """Share `seats` among `candidates` (all admitted, all with votes) by the quota `method`.

    A contestant whose entitlement exceeds its cap keeps the cap, and the other seats are shared again by
    the same method among the others, as if it had not stood (new quota), until nobody is over a cap.
    Ties are recorded for the final round only; an earlier round's draw still advances the seeded stream.
    """
    fixed: dict[str, int] = {}
    capped: list[Cap] = []
    active = list(candidates)
    while True:
        left = seats - sum(fixed.values())
        if not active:
            raise RuleError(f"{left} seat(s) cannot be filled: every admitted list has run out of candidates")
        decided_before = len(breaker.decisions)
        breaker.undecided = None
        outcome = _one_round(active, left, method, breaker)
        over = [c for c in active if c.cap is not None and outcome.seats[c.name] > c.cap]
        if not over:
            break
        del breaker.decisions[decided_before:]
        for c in over:
            assert c.cap is not None
            fixed[c.name] = c.cap
            capped.append(Cap(c.name, c.cap, outcome.seats[c.name]))
        active = [c for c in active if c not in over]
    by_name = {c.name: c for c in candidates}
    # A capped contestant did not take part in the final round: its line shows the cap as its seats.
    quota = outcome.quota
    lines = tuple(
        QuotaLine(name, by_name[name].votes, by_name[name].votes / quota if quota else Fraction(0), n, Fraction(0), n)
        for name, n in fixed.items()
    )
    return QuotaOutcome(
        {**fixed, **outcome.seats},
        outcome.quota,
        tuple(sorted(outcome.lines + lines, key=lambda line: by_name[line.name].index)),
        outcome.order,
        outcome.withdrawn,
        tuple(capped),
    )


def _one_round(active: Sequence[Candidate], seats: int, method: Method, breaker: TieBreaker) -> QuotaOutcome:
    if seats == 0:
        zero = tuple(QuotaLine(c.name, c.votes, Fraction(0), 0, Fraction(c.votes), 0) for c in active)
        return QuotaOutcome({c.name: 0 for c in active}, None, zero, (), (), ())
    quota = QUOTAS[method](sum(c.votes for c in active), seats)
    integer = {c.name: int(c.votes // quota) for c in active}
    remainder = {c.name: c.votes - integer[c.name] * quota for c in active}
    result = dict(integer)
    order: list[SeatAward] = []
    withdrawn: list[SeatAward] = []
    left = seats - sum(integer.values())
    if left > 0:
        # More seats left than lists happens only with a Droop quota on a tiny electorate: go round again.
        rounds, left = divmod(left, len(active))
        for c in active:
            result[c.name] += rounds
        ranked = sorted(active, key=lambda c: (-remainder[c.name], c.index))
        for c in _top(ranked, left, remainder, breaker, stage="remainder", largest=True):
            result[c.name] += 1
            order.append(SeatAward(len(order) + 1, c.name, remainder[c.name]))
    excess = -left
    while excess > 0:
        holders = [c for c in active if result[c.name] > 0]
        take = min(excess, len(holders))
        ranked = sorted(holders, key=lambda c: (remainder[c.name], -c.index))
        for c in _top(ranked, take, remainder, breaker, stage="excess", largest=False):
            result[c.name] -= 1
            withdrawn.append(SeatAward(len(withdrawn) + 1, c.name, remainder[c.name]))
        excess -= take
    lines = tuple(
        QuotaLine(c.name, c.votes, c.votes / quota, integer[c.name], remainder[c.name], result[c.name]) for c in active
    )
    return QuotaOutcome(result, quota, lines, tuple(order), tuple(withdrawn), ())


def _top(
    ranked: Sequence[Candidate],
    k: int,
    remainder: dict[str, Fraction],
    breaker: TieBreaker,
    *,
    stage: str,
    largest: bool,
) -> list[Candidate]:
    """The first `k` of `ranked` (by remainder), with a tie at the boundary settled by the tie rule.

    `largest=True`: the k largest remainders win a seat. `largest=False`: the k smallest remainders give one
    back, so in a tie the rule picks who *keeps* the seat and the others give it back. Under DECIDE every
    tied contestant is left without the contested seat and the seats at stake are reported as undecided.
    """
    if k == 0:
        return []
    edge = remainder[ranked[k - 1].name]
    clear = [c for c in ranked if remainder[c.name] != edge and (remainder[c.name] > edge) == largest]
    tied = [c for c in ranked if remainder[c.name] == edge]
    need = k - len(clear)
    if len(tied) == need:
        return clear + tied
    if largest:
        winners = breaker.pick(tied, need, value=edge, stage=stage)
        return clear + list(winners or ())
    keepers = breaker.pick(tied, len(tied) - need, value=edge, stage=stage)
    return clear + [c for c in tied if keepers is None or c not in keepers]
