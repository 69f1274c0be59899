"""`allocate`: the whole procedure for one constituency, in the order the law sets it out.

1. check the input; 2. apply the threshold (and admit up to `min_admitted`); 3. share the seats among the
admitted contestants by the method, capping each at its number of candidates; 4. break ties by the rule;
5. return the seats with the trace. Kazakhstan (2023) list tier: 5% of party votes + "against all", Hare
quota and largest remainders, tie to the earlier registered list, at least two lists admitted.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from types import MappingProxyType

from saylau.apportionment.highest_averages import share_by_divisor
from saylau.apportionment.largest_remainder import DIVIDER, Entrants, share_by_quota
from saylau.apportionment.methods import Method
from saylau.apportionment.threshold import Threshold, admit, report
from saylau.apportionment.ties import Drawing, TieBreaker, TieDecision, TieRule
from saylau.apportionment.trace import Allocation, Steps
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


_NAME, _VOTES, _CAP = attrgetter("name"), attrgetter("votes"), attrgetter("max_seats")


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
    drawn: Sequence[Drawing] = (),
) -> Allocation:
    """Share `seats` among `contestants` by `method`, exactly, and say how.

        A contestant with no votes never wins a seat, even when admitted. Under `TieRule.LOT` without a seed, a
        seed is drawn from `secrets` and recorded in the result, so the draw can be replayed. Under
        `TieRule.DECIDE` a tie leaves its seats out of `seats` and describes them in `undecided`, unless `drawn`
    holds the commission's drawing of lots for exactly that tie (then it decides, and the trace says so).
        Raises `InputError` for input that cannot be allocated, `RuleError` when caps leave seats unfillable.
    """
    if type(method) is not Method:
        method = Method(method)
    if type(tie) is not TieRule:
        tie = TieRule(tie)
    names = list(map(_NAME, contestants))
    votes = list(map(_VOTES, contestants))
    caps = list(map(_CAP, contestants))
    against_all, invalid = ballots.against_all, ballots.invalid
    if (
        not 0 < seats <= MAX_SEATS
        or not votes
        or min(votes) < 0
        or max(votes) > _MAX_VOTES
        or not any(votes)
        or min_admitted < 0
        or not 0 <= against_all <= _MAX_VOTES
        or not 0 <= invalid <= _MAX_VOTES
        or len(set(names)) < len(names)
        or "" in map(str.strip, names)
        or (caps.count(None) < len(caps) and min(cap for cap in caps if cap is not None) < 0)
    ):
        _check(contestants, seats, min_admitted, ballots)  # says what is wrong, all of it at once
    passed, by_minimum, base = admit(votes, threshold, against_all, invalid, min_admitted)
    admitted = [i for i, v in enumerate(votes) if v > 0 and (passed[i] or by_minimum[i])]
    if not admitted:
        raise InputError([Problem("no contestant with votes passes the threshold: nobody to give seats to")])
    if tie is TieRule.LOT and seed is None:
        seed = secrets.randbits(32)
    given = _plain_quota(votes, caps, admitted, seats, method) if method.is_quota else None
    ties: tuple[TieDecision, ...] = ()
    undecided = None
    if given is not None:  # no tie, no cap, no excess: the full procedure would decide the same, so it
        steps = _replayed(names, votes, caps, admitted, seats, method, tie, seed)  # runs if the trace is read
    else:
        entrants = Entrants(names, votes, caps)
        breaker = TieBreaker(tie, seed, drawn if tie is TieRule.DECIDE else ())
        share = share_by_quota if method.is_quota else share_by_divisor
        given, steps = share(entrants, admitted, seats, method, breaker)
        ties, undecided = tuple(breaker.decisions), breaker.undecided
    all_seats = dict.fromkeys(names, 0)
    all_seats.update(zip(map(names.__getitem__, given), given.values(), strict=True))
    return Allocation(
        MappingProxyType(all_seats),
        seats,
        method,
        lambda: report(names, votes, threshold, base, passed, by_minimum, min_admitted),
        steps,
        ties,
        undecided,
        seed,
        tie,
    )


def _plain_quota(
    votes: list[int], caps: list[int | None], admitted: list[int], seats: int, method: Method
) -> dict[int, int] | None:
    """The seats of a quota method when nothing needs the tie rule, a cap or a second round; else None.

    That is the usual case (the Kazakhstan list tier): integer seats by `divmod`, then one seat to each of
    the largest remainders, the last of which is strictly larger than the first one left out.
    """
    if caps.count(None) < len(caps):
        return None
    chosen = [votes[i] for i in admitted]
    total = sum(chosen)
    if method is Method.DROOP:
        qn, qd = total // (seats + 1) + 1, 1
    else:
        qn, qd = total, seats + DIVIDER[method]
    split = [divmod(v * qd, qn) for v in chosen]
    left = seats - sum([whole for whole, _ in split])
    if left < 0 or left >= len(admitted):
        return None
    given = dict(zip(admitted, [whole for whole, _ in split], strict=True))
    if left:
        ranked = sorted([(-rest, i) for i, (_, rest) in zip(admitted, split, strict=True)])
        if ranked[left][0] == ranked[left - 1][0]:
            return None  # a tie of remainders at the last seat: the rule decides, on the full path
        for _, i in ranked[:left]:
            given[i] += 1
    return given


def _replayed(
    names: list[str],
    votes: list[int],
    caps: list[int | None],
    admitted: list[int],
    seats: int,
    method: Method,
    tie: TieRule,
    seed: int | None,
) -> Callable[[], Steps]:
    """The trace of an allocation `_plain_quota` decided, by the full procedure when it is read."""

    def steps() -> Steps:
        entrants = Entrants(names, votes, caps)
        return share_by_quota(entrants, admitted, seats, method, TieBreaker(tie, seed))[1]()

    return steps


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
