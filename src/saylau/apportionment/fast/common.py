"""`allocate`'s usual case in one pass of integer arithmetic: the speed path of `allocation.procedure`.

The usual case -- a quota method, no caps, a threshold in percent or votes, no tie at the last seat, enough
lists past the threshold -- is the Kazakhstan list tier's. `common_case` decides it or returns None, and then
`allocation.procedure` decides; wherever both apply they decide the same seats, record the same trace and the
same ties (`tests/properties/test_fast_paths.py`). The code is written for CPython 3.11's interpreter: plain
loops rather than comprehensions (a comprehension is a function call), no builtin where a comparison does
(`min` costs as much as a loop over six lists), the result's slots filled without its constructor, and the
trace recorded as one tuple that `_Replayed` reads back through the procedure's own functions when asked.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import MappingProxyType

from saylau.apportionment.contestants import Ballots, Contestant, Entrants
from saylau.apportionment.largest_remainder import share_by_quota
from saylau.apportionment.methods import QUOTA_DIVIDER, Method
from saylau.apportionment.threshold import Threshold, ThresholdReport, apply_threshold
from saylau.apportionment.ties import TieBreaker, TieRule, fresh_seed
from saylau.apportionment.trace import Allocation, Recorded, Replay, Steps
from saylau.limits import MAX_SEATS

_HARE, _DROOP, _HAGENBACH_BISCHOFF, _IMPERIALI_QUOTA = (
    Method.HARE,
    Method.DROOP,
    Method.HAGENBACH_BISCHOFF,
    Method.IMPERIALI_QUOTA,
)
_LOT = TieRule.LOT
_new = object.__new__


def common_case(
    contestants: Sequence[Contestant],
    seats: int,
    method: Method,
    threshold: Threshold | None,
    min_admitted: int,
    ballots: Ballots,
    tie: TieRule,
    seed: int | None,
) -> Allocation | None:
    """The allocation of the usual case, exactly as `allocation.procedure` decides it; None for anything else
    (anything to say about the input included: the procedure says it)."""
    if method is _HARE:  # quota V/qd over the admitted votes V (Droop: a whole quota, qd = 1)
        qd = seats
    elif method is _HAGENBACH_BISCHOFF:
        qd = seats + 1
    elif method is _IMPERIALI_QUOTA:
        qd = seats + 2
    elif method is _DROOP:
        qd = 1
    else:
        return None
    against_all, invalid = ballots
    votes = []
    for c in contestants:
        votes.append(c.plain_votes)
    total = sum(votes)
    try:
        if total < 0 or not 0 < seats <= MAX_SEATS or (against_all | invalid | min_admitted) >> 63:
            return None
    except TypeError:  # not integers
        return None
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
    if not n or n < min_admitted:  # nobody, or some admitted by the minimum
        return None
    qn = admitted_votes = sum(chosen)
    if qd == 1:
        qn = qn // (seats + 1) + 1
    rests = []
    for v in chosen:
        rests.append(v * qd % qn)
    left = seats - (admitted_votes * qd - sum(rests)) // qn  # the seats the integer parts leave
    if not 0 <= left < n:  # seats to take back, or a second round
        return None
    shift = 0  # the seats are floor((votes x qd + shift) / qn): shift = qn - the last winning remainder
    if left:
        rests.sort()
        last = rests[-left]
        if rests[-left - 1] == last:  # a tie of remainders at the last seat: the rule decides
            return None
        shift = qn - last
    seats_of = {}
    for c in contestants:
        v = c.plain_votes
        seats_of[c.name] = (v * qd + shift) // qn if v >= cut else 0
    if len(seats_of) < len(votes):  # a name twice
        return None
    if tie is _LOT and seed is None:
        seed = fresh_seed()
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


def plain_quota(
    votes: list[int], caps: list[int | None], admitted: list[int], seats: int, method: Method
) -> dict[int, int] | None:
    """The seats of a quota method when nothing needs the tie rule, a cap or a second round; else None.

    The procedure's own shortcut, for a call the common case could not take for another reason (a name the
    trace must check, a list admitted by the minimum): integer seats by `divmod`, then one seat to each of
    the largest remainders, the last of which is strictly larger than the first one left out.
    """
    if caps.count(None) < len(caps):
        return None
    chosen = [votes[i] for i in admitted]
    total = sum(chosen)
    if method is Method.DROOP:
        qn, qd = total // (seats + 1) + 1, 1
    else:
        qn, qd = total, seats + QUOTA_DIVIDER[method]
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


def quota_trace(
    entrants: Entrants, admitted: list[int], seats: int, method: Method, tie: TieRule, seed: int | None
) -> Steps:
    """The trace of an allocation decided without the sharing stage, by the sharing stage when it is read."""
    return share_by_quota(entrants, admitted, seats, method, TieBreaker(tie, seed))[1]()


class _Replayed(Replay):
    """The trace of an allocation the common case decided, from what it recorded: (this, the seats, votes,
    cut, seats, method, tie, seed, threshold, ballots, min_admitted); everyone with `cut` votes or more took
    part."""

    def report(self, recorded: Recorded) -> ThresholdReport:
        _, seats_of, votes, _, _, _, _, _, threshold, (against_all, invalid), min_admitted = recorded
        return apply_threshold(
            list(seats_of), votes, threshold, against_all=against_all, invalid=invalid, min_admitted=min_admitted
        )

    def steps(self, recorded: Recorded) -> Steps:
        _, seats_of, votes, cut, seats, method, tie, seed, *_ = recorded
        admitted = [i for i, v in enumerate(votes) if v >= cut]
        entrants = Entrants(list(seats_of), votes, [None] * len(votes))
        return quota_trace(entrants, admitted, seats, method, tie, seed)


_REPLAYED = _Replayed()
