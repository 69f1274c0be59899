"""`allocate`: the whole procedure for one constituency, in the order the law sets it out.

1. check the input; 2. apply the threshold (and admit up to `min_admitted`); 3. share the seats among the
admitted contestants by the method, capping each at its number of candidates; 4. break ties by the rule;
5. return the seats with the trace. Kazakhstan (2023) list tier (Constitutional Law "On Elections", the
article on the distribution of deputy mandates; docs/apportionment.md): 5% of party votes + "against all",
Hare quota and largest remainders, a tie to the earlier registered list, at least two lists admitted.

`procedure` is that text, step by step. `allocate` first lets `fast.common.common_case` decide the usual
case (a quota method, no caps, no tie at the last seat) in one pass of integer arithmetic; a property test
holds the two equal wherever the fast path decides.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from operator import attrgetter
from types import MappingProxyType

from saylau.apportionment.contestants import MAX_VOTES, Ballots, Contestant, Entrants
from saylau.apportionment.fast.common import common_case, plain_quota, quota_trace
from saylau.apportionment.highest_averages import share_by_divisor
from saylau.apportionment.largest_remainder import share_by_quota
from saylau.apportionment.methods import QUOTAS, Method
from saylau.apportionment.threshold import Threshold, admit, report
from saylau.apportionment.ties import Drawing, TieBreaker, TieRule, fresh_seed
from saylau.apportionment.trace import Allocation, Steps, TieRecord
from saylau.errors import Count, InputError, Problem, worded
from saylau.limits import MAX_SEATS

__all__ = ["Ballots", "Contestant", "allocate", "procedure"]

_NAME, _VOTES, _CAP = attrgetter("name"), attrgetter("votes"), attrgetter("max_seats")
_NO_BALLOTS = Ballots()

# The refusals of a bad call, as catalogue msgids (said in kk and ru by `saylau.reports.problems`).
SEATS_OUT_OF_RANGE = "seats must be from 1 to {most}, got {seats}"
NEGATIVE_VOTES = "{name} has negative votes ({votes})"
NEGATIVE_CAP = "{name} has a negative seat cap ({cap})"
NEGATIVE_MIN = "min_admitted must not be negative, got {got}"


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
    """
    if method.__class__ is not Method:
        method = Method(method)
    if tie.__class__ is not TieRule:
        tie = TieRule(tie)
    return common_case(contestants, seats, method, threshold, min_admitted, ballots, tie, seed) or procedure(
        contestants,
        seats,
        method,
        threshold=threshold,
        min_admitted=min_admitted,
        ballots=ballots,
        tie=tie,
        seed=seed,
        drawn=drawn,
    )


def procedure(
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
    """The procedure, as the law sets it out: every check, the threshold, caps, ties, second rounds."""
    method, tie = Method(method), TieRule(tie)
    names, votes, caps = _valid_input(contestants, seats, min_admitted, ballots)
    # The threshold (and the minimum number of lists admitted).
    against_all, invalid = ballots
    passed, by_minimum, base = admit(votes, threshold, against_all, invalid, min_admitted)
    admitted = [i for i, v in enumerate(votes) if v > 0 and (passed[i] or by_minimum[i])]
    if not admitted:
        raise InputError([worded("no contestant with votes passes the threshold: nobody to give seats to")])
    if tie is TieRule.LOT and seed is None:
        seed = fresh_seed()
    # The seats, by the method, within the caps; ties by the rule.
    entrants = Entrants(names, votes, caps)
    breaker = TieBreaker(tie, seed, drawn if tie is TieRule.DECIDE else ())  # a drawing settles what is decided
    given, steps = _share(entrants, admitted, seats, method, breaker)
    all_seats = dict.fromkeys(names, 0)
    all_seats.update(zip(map(names.__getitem__, given), given.values(), strict=True))
    return Allocation(
        MappingProxyType(all_seats),
        seats,
        method,
        lambda: report(names, votes, threshold, base, passed, by_minimum, min_admitted),
        steps,
        TieRecord(tuple(breaker.decisions), breaker.undecided, seed, tie),
    )


def _share(
    entrants: Entrants, admitted: list[int], seats: int, method: Method, breaker: TieBreaker
) -> tuple[dict[int, int], Steps | Callable[[], Steps]]:
    """The seats by registration index and the trace (built when read); `breaker` keeps the ties it broke.

    Quota methods: largest remainders (`largest_remainder.share_by_quota`), with its shortcut when no tie,
    cap or second round can arise. Divisor methods: the highest averages (`highest_averages`).
    """
    if method not in QUOTAS:
        return share_by_divisor(entrants, admitted, seats, method, breaker)
    votes, caps = list(entrants.votes), list(entrants.caps)
    plain = plain_quota(votes, caps, admitted, seats, method)
    if plain is not None:  # the same seats the sharing stage gives, which then runs only if the trace is read
        return plain, partial(quota_trace, entrants, admitted, seats, method, breaker.rule, breaker.seed)
    return share_by_quota(entrants, admitted, seats, method, breaker)


def _valid_input(
    contestants: Sequence[Contestant], seats: int, min_admitted: int, ballots: Ballots
) -> tuple[list[str], list[int], list[int | None]]:
    """The names, votes and caps in registration order, once the input is known to be one the law can share;
    else every problem at once, so a clerk can fix them in one go."""
    names = list(map(_NAME, contestants))
    votes = list(map(_VOTES, contestants))
    caps = list(map(_CAP, contestants))
    against_all, invalid = ballots
    if (
        not 0 < seats <= MAX_SEATS
        or not votes
        or min(votes) < 0
        or max(votes) > MAX_VOTES
        or not any(votes)
        or min_admitted < 0
        or not 0 <= against_all <= MAX_VOTES
        or not 0 <= invalid <= MAX_VOTES
        or len(set(names)) < len(names)
        or "" in map(str.strip, names)
        or (caps.count(None) < len(caps) and min(cap for cap in caps if cap is not None) < 0)
    ):
        problems = _problems(contestants, seats, min_admitted, against_all, invalid)
        if problems:
            raise InputError(problems)
    return names, votes, caps


def _problems(
    contestants: Sequence[Contestant], seats: int, min_admitted: int, against_all: int, invalid: int
) -> list[Problem]:
    """Every problem with the input."""
    problems: list[Problem] = []
    if not 0 < seats <= MAX_SEATS:  # a billion seats would fill the memory with the trace
        problems.append(worded(SEATS_OUT_OF_RANGE, field="seats", most=Count(MAX_SEATS), seats=Count(seats)))
    if not contestants:
        problems.append(worded("no contestants", field="contestants"))
    seen: set[str] = set()
    for c in contestants:
        if not c.name.strip():
            problems.append(worded("a contestant has an empty name", field="name"))
        if c.name in seen:
            problems.append(worded("{name} appears twice", field="name", name=repr(c.name)))
        seen.add(c.name)
        if c.votes < 0:
            problems.append(worded(NEGATIVE_VOTES, field="votes", name=repr(c.name), votes=c.votes))
        if c.votes > MAX_VOTES:  # beyond int64: no real count, and every product below stays printable
            problems.append(worded("{name} has more votes than int64 holds", field="votes", name=repr(c.name)))
        if c.max_seats is not None and c.max_seats < 0:
            problems.append(worded(NEGATIVE_CAP, field="max_seats", name=repr(c.name), cap=c.max_seats))
    if contestants and all(c.votes <= 0 for c in contestants):
        problems.append(worded("no contestant has any votes", field="votes"))
    if min_admitted < 0:
        problems.append(worded(NEGATIVE_MIN, field="min_admitted", got=min_admitted))
    for label, n in (("against_all", against_all), ("invalid", invalid)):
        if not 0 <= n <= MAX_VOTES:
            problems.append(worded("{label} must be from 0 to {most}", field=label, label=label, most=Count(MAX_VOTES)))
    return problems
