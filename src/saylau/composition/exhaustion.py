"""Lists that run out of names: how many names a list has left, and what its seats beyond them become.

A list's room in a constituency is the names on it (its own list there, else the party's national list) that
are neither withdrawn nor already elected (in a district, or as an individual candidate): Scotland Act 1998
s.8(5). What happens to the seats beyond is data (`ListTier.exhausted`):

- `recompute`: the list keeps what its names can take and is disregarded from then on; the other seats are
  shared again by the same method among the others (a quota recomputed without it): Scotland s.8(6);
- `pass-on`: the seats go to the next lists in the method's own order, the quota kept (under a divisor method
  the same as `recompute`); a tie for them goes to registration order;
- `vacant`: the seats stay vacant (Germany, Federal Elections Act s.6).

When every list taking part has run out, the seats left are vacant under every setting: the result declares
the seats filled and reports the vacancies, it never refuses the count.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from saylau.apportionment import DIVISORS, Allocation, Ballots, Contestant, QuotaLine, allocate
from saylau.apportionment.ties import Drawing
from saylau.domain import Election, Tally
from saylau.errors import Phrase, RuleError
from saylau.rules import Exhausted, ListTier

NO_LIST_PASSES = "no list with votes passes the threshold: nobody to give list seats to"

NATIONAL = ""


def room(election: Election, party: str, constituency: str, elected: Collection[str]) -> int | None:
    """Names the party's list has left for list seats in `constituency`; None where no list is recorded.

    An individual candidate (parties.csv `individual`) is a list of one: 1 until elected, then 0.
    """
    registered = election.party(party)
    if registered is not None and registered.individual:
        return 0 if registered.full_name in elected else 1
    party_list = election.list_of(party, constituency)
    if party_list is None:
        return None
    withdrawn = election.registration.withdrawn_from_list(party)
    return sum(1 for name in party_list.candidates if name not in withdrawn and name not in elected)


@dataclass(frozen=True, slots=True)
class Shortfall:
    """Seats a list won beyond its names (`seats`), and what became of them (`exhausted`)."""

    party: str
    constituency: str
    seats: int
    names: int
    exhausted: Exhausted


@dataclass(frozen=True, slots=True)
class Shared:
    """One constituency's list seats with exhaustion applied: the allocation (its seats final), the lists that
    ran out, and the seats left vacant."""

    allocation: Allocation
    shortfalls: tuple[Shortfall, ...]
    vacant: int


@dataclass(frozen=True, slots=True)
class ListContest:
    """One constituency's contest for list seats, as the tier shares them: the admitted lists (uncapped, in
    registration order), the seats, each list's room (`room`; None: unlimited), the ballots of the
    constituency ("against all" and invalid, for the base), the commission's recorded drawings, and every
    list in registration order (the seats mapping names them all)."""

    contestants: list[Contestant]
    seats: int
    rooms: Mapping[str, int | None]
    tally: Tally
    drawn: list[Drawing]
    order: list[str]
    constituency: str = NATIONAL

    def allocate(self, tier: ListTier, entrants: list[Contestant], seats: int) -> Allocation:
        """`seats` among `entrants` by the tier's method and tie rule (the drawings settle what they decide)."""
        return allocate(
            entrants,
            seats,
            tier.method,
            ballots=Ballots(self.tally.against_all, self.tally.invalid),
            tie=tier.tie,
            seed=tier.tie_seed,
            drawn=self.drawn,
        )

    def uncapped(self) -> list[Contestant]:
        return [Contestant(c.name, c.votes) for c in self.contestants]

    def fillable(self) -> int:
        """The seats the lists' names can fill: every seat, unless every list's room is recorded."""
        limited = [self.rooms.get(c.name) for c in self.contestants]
        if all(r is not None for r in limited):
            return min(self.seats, sum(r for r in limited if r is not None))
        return self.seats


def share_with_exhaustion(tier: ListTier, contest: ListContest) -> Shared:
    """Share the contest's seats among its lists by the tier's method, each list held to its room as
    `tier.exhausted` says: recomputed without it (Scotland s.8(6)), passed on, or left vacant."""
    if not contest.contestants:
        raise RuleError(Phrase(NO_LIST_PASSES))
    mode = tier.exhausted
    if mode is Exhausted.PASS_ON and tier.method in DIVISORS:
        mode = Exhausted.RECOMPUTE  # the next highest average is the same seat either way
    if contest.fillable() <= 0:
        return _every_list_exhausted(tier, contest, mode)
    if mode is Exhausted.RECOMPUTE:
        return _recomputed(tier, contest)
    allocation = contest.allocate(tier, contest.uncapped(), contest.seats)
    won = {name: allocation.seats.get(name, 0) for name in contest.order}
    shortfalls: list[Shortfall] = []
    vacant = _held_to_names(allocation, won, contest.rooms, mode, shortfalls, contest.constituency)
    return Shared(allocation.replaced(seats=won), tuple(shortfalls), vacant)


def _every_list_exhausted(tier: ListTier, contest: ListContest, mode: Exhausted) -> Shared:
    """No list has a name left: every seat is vacant (under every setting), each list's share a shortfall."""
    blank = contest.allocate(tier, contest.uncapped(), contest.seats)
    short = tuple(
        Shortfall(c.name, contest.constituency, n, 0, mode)
        for c in contest.contestants
        if (n := blank.seats.get(c.name, 0))
    )
    return Shared(blank.replaced(seats=dict.fromkeys(contest.order, 0)), short, contest.seats)


def _recomputed(tier: ListTier, contest: ListContest) -> Shared:
    """Scotland Act 1998 s.8(6): a list keeps what its names can take and is disregarded from then on; the
    seats its names cannot fill are shared again among the others (the allocation's caps)."""
    fillable = contest.fillable()
    capped = [Contestant(c.name, c.votes, contest.rooms.get(c.name)) for c in contest.contestants]
    allocation = contest.allocate(tier, capped, fillable)
    won = {name: allocation.seats.get(name, 0) for name in contest.order}
    uncapped = contest.allocate(tier, contest.uncapped(), contest.seats) if allocation.capped else None
    shortfalls = []
    for cap in allocation.capped:
        before = uncapped.seats.get(cap.name, 0) if uncapped is not None else cap.cap
        if before > cap.cap:
            shortfalls.append(Shortfall(cap.name, contest.constituency, before - cap.cap, cap.cap, Exhausted.RECOMPUTE))
    return Shared(allocation.replaced(seats=won), tuple(shortfalls), contest.seats - fillable)


def _held_to_names(
    allocation: Allocation,
    won: dict[str, int],
    rooms: Mapping[str, int | None],
    mode: Exhausted,
    shortfalls: list[Shortfall],
    constituency: str,
) -> int:
    """Each list held to its names in `won` (a shortfall recorded for each), the seats beyond passed on or left
    vacant as `mode` says; returns the seats still vacant."""
    over: dict[str, int] = {}
    for name, n in won.items():
        limit = rooms.get(name)
        if limit is not None and n > limit:
            over[name] = n - limit
            shortfalls.append(Shortfall(name, constituency, n - limit, limit, mode))
            won[name] = limit
    vacant = sum(over.values())
    if mode is Exhausted.PASS_ON and vacant:
        vacant = _pass_on(allocation, won, rooms, vacant, over)
    return vacant


def _pass_on(
    allocation: Allocation, won: dict[str, int], rooms: Mapping[str, int | None], left: int, over: Mapping[str, int]
) -> int:
    """Give `left` seats to the next lists by remainder, the quota kept: first those that took no remainder seat,
    largest remainder first (equal: registration order), then round again; returns the seats still vacant."""
    lines = [line for line in allocation.lines if isinstance(line, QuotaLine)]
    took = {award.name for award in allocation.order}
    ranked = sorted(
        (i for i, line in enumerate(lines) if line.name not in over),
        key=lambda i: (lines[i].name in took, -lines[i].remainder, i),
    )
    while left and ranked:
        progressed = False
        for i in ranked:
            name = lines[i].name
            limit = rooms.get(name)
            if left and (limit is None or won[name] < limit):
                won[name] += 1
                left -= 1
                progressed = True
        if not progressed:
            break
    return left


def excess(won: Mapping[str, int], rooms: Mapping[str, int | None]) -> dict[str, int]:
    """Seats each list holds beyond its names (only those over)."""
    out = {}
    for name, n in won.items():
        limit = rooms.get(name)
        if limit is not None and n > limit:
            out[name] = n - limit
    return out
