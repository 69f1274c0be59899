"""`allocate`: the whole procedure for one constituency, in the order the law sets it out.

1. check the input; 2. apply the threshold (and admit up to `min_admitted`); 3. share the seats among the
admitted contestants by the method, capping each at its number of candidates; 4. break ties by the rule;
5. return the seats with the trace. Kazakhstan (2023) list tier: 5% of party votes + "against all", Hare
quota and largest remainders, tie to the earlier registered list, at least two lists admitted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from operator import attrgetter
from types import MappingProxyType
from typing import NamedTuple

from saylau.apportionment.highest_averages import share_by_divisor
from saylau.apportionment.largest_remainder import DIVIDER, Entrants, share_by_quota
from saylau.apportionment.methods import QUOTAS, Method
from saylau.apportionment.threshold import Threshold, ThresholdReport, admit, apply_threshold, report
from saylau.apportionment.ties import Drawing, TieBreaker, TieDecision, TieRule
from saylau.apportionment.trace import Allocation, Recorded, Replay, Steps
from saylau.errors import InputError, Problem
from saylau.limits import MAX_SEATS

_MAX_VOTES = 2**63 - 1
"""The largest count `allocate` takes: int64's, as `allocate_batch` does."""
_NOT_PLAIN = -(2**128)
"""`Contestant.plain_votes` of a contestant the common path cannot take: far below any sum of counts (a list
holds fewer than 2^64 contestants of fewer than 2^63 votes each), so one such contestant makes the sum of
`plain_votes` negative, and one comparison of that sum finds it."""


@dataclass(frozen=True, slots=True)
class Contestant:
    """A party list (or any contestant) with its votes; a sequence of them is in registration order."""

    name: str
    votes: int
    max_seats: int | None = None
    """At most this many seats (the number of candidates on the list); None: no cap."""
    plain_votes: int = field(init=False, repr=False, compare=False)
    """`votes` when the common path of `allocate` can take this contestant as it is (a named, uncapped
    contestant with a count from 0 to int64's largest), else `_NOT_PLAIN`; worked out once, when it is made."""

    def __post_init__(self) -> None:
        plain = self.max_seats is None and 0 <= self.votes <= _MAX_VOTES and bool(self.name.strip())
        object.__setattr__(self, "plain_votes", self.votes if plain else _NOT_PLAIN)


class Ballots(NamedTuple):
    """Ballots that are not votes for a contestant but may count in the threshold's base.

    A named tuple: immutable like the frozen dataclass it was, and made in a fraction of the time.
    """

    against_all: int = 0
    invalid: int = 0


_NAME, _VOTES, _CAP = attrgetter("name"), attrgetter("votes"), attrgetter("max_seats")
_HARE, _DROOP, _HAGENBACH_BISCHOFF, _IMPERIALI_QUOTA = (
    Method.HARE,
    Method.DROOP,
    Method.HAGENBACH_BISCHOFF,
    Method.IMPERIALI_QUOTA,
)
_LOT = TieRule.LOT
_new = object.__new__
_NO_BALLOTS = Ballots()


def allocate(
    contestants: Sequence[Contestant],
    seats: int,
    method: Method = Method.HARE,
    *,
    threshold: Threshold | None = None,
    min_admitted: int = 0,
    ballots: Ballots = _NO_BALLOTS,
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

    The common case -- a quota method, no caps, a threshold in percent or votes, no tie at the last seat,
    enough lists past the threshold -- is decided here in one pass of integer arithmetic; anything else
    goes to the full procedure (`_allocate`), which decides the same seats wherever both apply. The code is
    written for CPython 3.11's interpreter: plain loops rather than comprehensions (a comprehension is a
    function call), no builtin where a comparison does (`min` costs as much as a loop over six lists), and
    the trace recorded as one tuple (see `_Replayed`).
    """
    if method.__class__ is not Method:
        method = Method(method)
    if tie.__class__ is not TieRule:
        tie = TieRule(tie)
    against_all, invalid = ballots
    if method is _HARE:  # quota V/qd over the admitted votes V (Droop: a whole quota, qd = 1)
        qd = seats
    elif method is _HAGENBACH_BISCHOFF:
        qd = seats + 1
    elif method is _IMPERIALI_QUOTA:
        qd = seats + 2
    elif method is _DROOP:
        qd = 1
    else:
        return _allocate(contestants, seats, method, threshold, min_admitted, against_all, invalid, tie, seed, drawn)
    votes = []
    for c in contestants:
        votes.append(c.plain_votes)
    total = sum(votes)
    try:  # anything to say about the input goes to the full procedure, which says it
        unusual = total < 0 or not 0 < seats <= MAX_SEATS or (against_all | invalid | min_admitted) >> 63
    except TypeError:  # not integers
        unusual = True
    if unusual:
        return _allocate(contestants, seats, method, threshold, min_admitted, against_all, invalid, tie, seed, drawn)
    if threshold is None:
        cut = 1
    else:  # votes x s >= p x base, on integers: the fewest votes that take part
        p, s, least, with_against_all, with_invalid = threshold.terms
        cut = -(-p * (total + against_all * with_against_all + invalid * with_invalid) // s)
        if cut < least:
            cut = least
    chosen = []
    for v in votes:
        if v >= cut:
            chosen.append(v)
    n = len(chosen)
    if not n or n < min_admitted:  # nobody, or some admitted by the minimum: the full procedure
        return _allocate(contestants, seats, method, threshold, min_admitted, against_all, invalid, tie, seed, drawn)
    qn = admitted_votes = sum(chosen)
    if qd == 1:
        qn = qn // (seats + 1) + 1
    rests = []
    for v in chosen:
        rests.append(v * qd % qn)
    left = seats - (admitted_votes * qd - sum(rests)) // qn  # the seats the integer parts leave
    if not 0 <= left < n:  # seats to take back, or a second round: the full procedure
        return _allocate(contestants, seats, method, threshold, min_admitted, against_all, invalid, tie, seed, drawn)
    shift = 0  # the seats are floor((votes x qd + shift) / qn): shift = qn - the last winning remainder
    if left:
        rests.sort()
        last = rests[-left]
        if rests[-left - 1] == last:  # a tie of remainders at the last seat: the rule decides
            return _allocate(
                contestants, seats, method, threshold, min_admitted, against_all, invalid, tie, seed, drawn
            )
        shift = qn - last
    seats_of = {}
    for c in contestants:
        v = c.plain_votes
        seats_of[c.name] = (v * qd + shift) // qn if v >= cut else 0
    if len(seats_of) < len(votes):  # a name twice
        return _allocate(contestants, seats, method, threshold, min_admitted, against_all, invalid, tie, seed, drawn)
    if tie is _LOT and seed is None:
        seed = _fresh_seed()
    result = _new(Allocation)  # its slots filled here: a third less time than calling Allocation(...)
    result.seats, result.seats_total, result.method = MappingProxyType(seats_of), seats, method
    result._report = result._steps = (
        _REPLAYED,
        seats_of,
        votes,
        cut,
        seats,
        method,
        tie,
        seed,
        threshold,
        ballots,
        min_admitted,
    )
    result.ties, result.undecided, result.seed, result.tie_rule = (), None, seed, tie
    return result


class _Replayed(Replay):
    """The trace of an allocation the common path decided, from what it recorded: (this, the seats, votes,
    cut, seats, method, tie, seed, threshold, ballots, min_admitted); everyone with `cut` votes or more took
    part."""

    def report(self, recorded: Recorded) -> ThresholdReport:
        _, seats_of, votes, _, _, _, _, _, threshold, (against_all, invalid), min_admitted = recorded
        return apply_threshold(
            list(seats_of), votes, threshold, against_all=against_all, invalid=invalid, min_admitted=min_admitted
        )

    def steps(self, recorded: Recorded) -> Steps:
        _, seats_of, votes, cut, seats, method, tie, seed, *_ = recorded
        return _replayed(list(seats_of), votes, cut, seats, method, tie, seed)


_REPLAYED = _Replayed()


def _allocate(
    contestants: Sequence[Contestant],
    seats: int,
    method: Method,
    threshold: Threshold | None,
    min_admitted: int,
    against_all: int,
    invalid: int,
    tie: TieRule,
    seed: int | None,
    drawn: Sequence[Drawing],
) -> Allocation:
    """The full procedure: every check, caps, ties, second rounds and divisor methods."""
    names = list(map(_NAME, contestants))
    votes = list(map(_VOTES, contestants))
    caps = list(map(_CAP, contestants))
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
        _check(contestants, seats, min_admitted, against_all, invalid)  # says what is wrong, all of it at once
    passed, by_minimum, base = admit(votes, threshold, against_all, invalid, min_admitted)
    admitted = [i for i, v in enumerate(votes) if v > 0 and (passed[i] or by_minimum[i])]
    if not admitted:
        raise InputError([Problem("no contestant with votes passes the threshold: nobody to give seats to")])
    if tie is TieRule.LOT and seed is None:
        seed = _fresh_seed()
    is_quota = method in QUOTAS
    given = _plain_quota(votes, caps, admitted, seats, method) if is_quota else None
    ties: tuple[TieDecision, ...] = ()
    undecided = None
    if given is not None:  # no tie, no cap, no excess: the full procedure would decide the same, so it
        steps: Steps | Callable[[], Steps] = partial(_shared, names, votes, caps, admitted, seats, method, tie, seed)
    else:  # runs if the trace is read
        entrants = Entrants(names, votes, caps)
        breaker = TieBreaker(tie, seed, drawn if tie is TieRule.DECIDE else ())
        share = share_by_quota if is_quota else share_by_divisor
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
    names: list[str], votes: list[int], cut: int, seats: int, method: Method, tie: TieRule, seed: int | None
) -> Steps:
    """The trace of an allocation the common path decided (everyone with `cut` votes or more took part)."""
    admitted = [i for i, v in enumerate(votes) if v >= cut]
    return _shared(names, votes, [None] * len(votes), admitted, seats, method, tie, seed)


def _shared(
    names: list[str],
    votes: list[int],
    caps: list[int | None],
    admitted: list[int],
    seats: int,
    method: Method,
    tie: TieRule,
    seed: int | None,
) -> Steps:
    """The trace of an allocation decided without the full procedure, by the full procedure when it is read."""
    entrants = Entrants(names, votes, caps)
    return share_by_quota(entrants, admitted, seats, method, TieBreaker(tie, seed))[1]()


def _check(contestants: Sequence[Contestant], seats: int, min_admitted: int, against_all: int, invalid: int) -> None:
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
    for label, n in (("against_all", against_all), ("invalid", invalid)):
        if not 0 <= n <= _MAX_VOTES:
            problems.append(Problem(f"{label} must be from 0 to {_MAX_VOTES:,}", field=label))
    if problems:
        raise InputError(problems)


def _fresh_seed() -> int:
    """A seed for a lottery nobody seeded (imported here: `secrets` is not needed by any other draw)."""
    import secrets

    return secrets.randbits(32)
