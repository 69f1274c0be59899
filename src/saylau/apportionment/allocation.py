"""`allocate`: the whole procedure for one constituency, in the order the law sets it out.

1. check the input; 2. apply the threshold (and admit up to `min_admitted`); 3. share the seats among the
admitted contestants by the method, capping each at its number of candidates; 4. break ties by the rule;
5. return the seats with the trace. Kazakhstan (2023) list tier: 5% of party votes + "against all", Hare
quota and largest remainders, tie to the earlier registered list, at least two lists admitted.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from types import MappingProxyType

from saylau.apportionment.highest_averages import assign_by_divisor
from saylau.apportionment.largest_remainder import assign_by_quota
from saylau.apportionment.methods import Method
from saylau.apportionment.threshold import Threshold, apply_threshold
from saylau.apportionment.ties import Candidate, TieBreaker, TieRule
from saylau.apportionment.trace import Allocation, DivisorLine, QuotaLine
from saylau.errors import InputError, Problem
from saylau.limits import MAX_SEATS


@dataclass(frozen=True, slots=True)
class Contestant:
    """A party list (or any contestant) with its votes; a sequence of them is in registration order."""

    name: str
    votes: int
    max_seats: int | None = None
    """At most this many seats (the number of candidates on the list); None: no cap."""


@dataclass(frozen=True, slots=True)
class Ballots:
    """Ballots that are not votes for a contestant but may count in the threshold's base."""

    against_all: int = 0
    invalid: int = 0


def allocate(
    contestants: Sequence[Contestant],
    seats: int,
    method: Method = Method.HARE,
    *,
    threshold: Threshold | None = None,
    min_admitted: int = 0,
    ballots: Ballots = Ballots(),  # frozen, so one shared default is safe
    tie: TieRule = TieRule.REGISTRATION_ORDER,
    seed: int | None = None,
) -> Allocation:
    """Share `seats` among `contestants` by `method`, exactly, and say how.

    A contestant with no votes never wins a seat, even when admitted. Under `TieRule.LOT` without a seed, a
    seed is drawn from `secrets` and recorded in the result, so the draw can be replayed. Under
    `TieRule.DECIDE` a tie leaves its seats out of `seats` and describes them in `undecided`.
    Raises `InputError` for input that cannot be allocated, `RuleError` when caps leave seats unfillable.
    """
    method = Method(method)
    tie = TieRule(tie)
    _check(contestants, seats, min_admitted, ballots)
    names = [c.name for c in contestants]
    votes = [c.votes for c in contestants]
    report = apply_threshold(
        names, votes, threshold, against_all=ballots.against_all, invalid=ballots.invalid, min_admitted=min_admitted
    )
    admitted = [
        Candidate(c.name, c.votes, i, c.max_seats)
        for i, (c, line) in enumerate(zip(contestants, report.lines, strict=True))
        if line.admitted and c.votes > 0
    ]
    if not admitted:
        raise InputError([Problem("no contestant with votes passes the threshold: nobody to give seats to")])
    if tie is TieRule.LOT and seed is None:
        seed = secrets.randbits(32)
    breaker = TieBreaker(tie, seed)
    all_seats = dict.fromkeys(names, 0)
    lines: tuple[QuotaLine | DivisorLine, ...]
    if method.is_quota:
        q = assign_by_quota(admitted, seats, method, breaker)
        all_seats.update(q.seats)
        quota, lines, order, withdrawn, capped = q.quota, q.lines, q.order, q.withdrawn, q.capped
    else:
        d = assign_by_divisor(admitted, seats, method, breaker)
        all_seats.update(d.seats)
        quota, lines, order, withdrawn, capped = None, d.lines, d.order, (), d.capped
    return Allocation(
        seats=MappingProxyType(all_seats),
        seats_total=seats,
        method=method,
        threshold=report,
        quota=quota,
        lines=lines,
        order=order,
        ties=tuple(breaker.decisions),
        undecided=breaker.undecided,
        seed=seed,
        tie_rule=tie,
        withdrawn=withdrawn,
        capped=capped,
    )


_MAX_VOTES = 2**63 - 1
"""The largest count `allocate` takes: int64's, as `allocate_batch` does."""


def _check(contestants: Sequence[Contestant], seats: int, min_admitted: int, ballots: Ballots) -> None:
    """Every problem with the input at once, so a clerk can fix them in one go."""
    problems: list[Problem] = []
    if not 0 < seats <= MAX_SEATS:  # a billion seats would fill the memory with the trace
        problems.append(Problem(f"seats must be from 1 to {MAX_SEATS:,}, got {seats}", field="seats"))
    if not contestants:
        problems.append(Problem("no contestants", field="contestants"))
    seen: set[str] = set()
    for c in contestants:
        if not c.name.strip():
            problems.append(Problem("a contestant has an empty name", field="name"))
        if c.name in seen:
            problems.append(Problem(f"{c.name!r} appears twice", field="name"))
        seen.add(c.name)
        if c.votes < 0:
            problems.append(Problem(f"{c.name!r} has negative votes ({c.votes})", field="votes"))
        if c.votes > _MAX_VOTES:  # beyond int64: no real count, and every product below stays printable
            problems.append(Problem(f"{c.name!r} has more votes than int64 holds", field="votes"))
        if c.max_seats is not None and c.max_seats < 0:
            problems.append(Problem(f"{c.name!r} has a negative seat cap ({c.max_seats})", field="max_seats"))
    if contestants and all(c.votes <= 0 for c in contestants):
        problems.append(Problem("no contestant has any votes", field="votes"))
    if min_admitted < 0:
        problems.append(Problem(f"min_admitted must not be negative, got {min_admitted}", field="min_admitted"))
    for label, n in (("against_all", ballots.against_all), ("invalid", ballots.invalid)):
        if not 0 <= n <= _MAX_VOTES:
            problems.append(Problem(f"{label} must be from 0 to {_MAX_VOTES:,}", field=label))
    if problems:
        raise InputError(problems)
