"""The list tier beyond one constituency: constituencies, every common kind of compensation, and the steps.

`share_list_seats` takes the districts' outcome (who won where) and the list votes, and returns each party's
list seats and seated district seats, per constituency and in total, with every step as a typed fact
(`Step`) that reports put into words. The modes (`Combination`, docs/compensation.md):

- parallel: each constituency's list seats by its own votes (Kazakhstan, Lithuania, Hungary, Spain);
  optionally with fragment votes added (Hungary) and preferential seats for minority lists (Hungary).
- compensatory: the body (or each constituency's seats) shared proportionally, list seats = share minus
  districts; overhang grown (New Zealand), absorbed, or levelled.
- additional-member: a fixed number of list seats per constituency by a divisor method whose divisor counts
  the districts a party won there (Scotland's modified D'Hondt).
- coverage: the body shared proportionally, then among each party's constituencies; district winners are
  seated only as far as the party's seats there cover them, best share first (Germany from 2025).

Every seat decision goes through `saylau.apportionment.allocate` (exact), except the seeded divisor of the
additional-member mode, which compares averages as integer cross-products with the engine's own divisors.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from fractions import Fraction

from saylau.apportionment import (
    DIVISORS,
    Allocation,
    Ballots,
    Contestant,
    DivisorLine,
    Drawing,
    Method,
    SeatAward,
    ThresholdReport,
    TieRule,
    allocate,
)
from saylau.apportionment.ties import Candidate as TieCandidate
from saylau.apportionment.ties import TieBreaker
from saylau.apportionment.trace import Steps
from saylau.composition.admission import AdmissionReport, AdmittedBy, admit, combine
from saylau.composition.districts import DistrictOutcome, DistrictStatus
from saylau.composition.exhaustion import Shared, excess, room, share_with_exhaustion
from saylau.composition.lots import drawings
from saylau.composition.result import NATIONAL, ConstituencySeats, Step, StepKind, TierResult
from saylau.domain import Election, Tally, TieTier
from saylau.errors import RuleError
from saylau.rules import ApportionBy, Combination, Exhausted, FragmentVotes, ListTier, Overhang, Scope


def district_wins(election: Election, outcomes: Sequence[DistrictOutcome]) -> dict[str, dict[str, int]]:
    """District seats per constituency and party ("" for independents), from the outcomes or as declared."""
    if election.results.district_seats:
        return {c: dict(p) for c, p in election.results.district_seats.items()}
    where = {d.number: d.constituency for d in election.districts}
    wins: dict[str, dict[str, int]] = {}
    for o in outcomes:  # those elected above a tie still open in a multi-member district count too
        for winner in o.elected:
            seats = wins.setdefault(where.get(o.number, NATIONAL), {})
            seats[winner.party or ""] = seats.get(winner.party or "", 0) + 1
    return wins


def _total(wins: Mapping[str, Mapping[str, int]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for seats in wins.values():
        for party, n in seats.items():
            out[party] = out.get(party, 0) + n
    return out


def constituency_tallies(election: Election) -> dict[str, Tally]:
    """The list ballot per constituency, in the order of constituencies.csv (reports list them so); the one
    national tally when there are no constituencies."""
    results = election.results
    if results.constituency_tallies:
        order = [c.name for c in election.constituencies if c.name in results.constituency_tallies]
        listed = set(order)
        rest = [name for name in results.constituency_tallies if name not in listed]
        return {name: results.constituency_tallies[name] for name in [*order, *rest]}
    return {NATIONAL: results.list_tally} if results.list_tally is not None else {}


def apportion_constituencies(election: Election, tier: ListTier) -> tuple[dict[str, int], list[Step]]:
    """Each constituency's list seats: fixed in constituencies.csv, or shared by population/registered voters.

    Constituencies with fixed seats keep them; the others get `apportion_minimum` each, and the rest of the
    tier's seats are shared by `apportion_method` on their population (or registered voters).
    """
    if not election.constituencies:
        return {NATIONAL: tier.seats}, []
    fixed = {c.name: c.seats for c in election.constituencies if c.seats is not None}
    if tier.apportion_by is ApportionBy.FIXED:
        return {c.name: c.seats or 0 for c in election.constituencies}, []
    rest = [c for c in election.constituencies if c.name not in fixed]
    minimum = tier.apportion_minimum
    free = tier.seats - sum(v for v in fixed.values() if v is not None) - minimum * len(rest)
    seats: dict[str, int] = {name: n for name, n in fixed.items() if n is not None}
    seats.update({c.name: minimum for c in rest})
    if free > 0 and rest:
        size = [(c.population if tier.apportion_by is ApportionBy.POPULATION else c.registered) or 0 for c in rest]
        shared = allocate([Contestant(c.name, n) for c, n in zip(rest, size, strict=True)], free, tier.apportion_method)
        for name, n in shared.seats.items():
            seats[name] += n
    steps = [Step(StepKind.APPORTIONED, name, None, Fraction(n)) for name, n in seats.items()]
    return {c.name: seats[c.name] for c in election.constituencies}, steps


def fragment_votes(election: Election, outcomes: Sequence[DistrictOutcome]) -> dict[str, int]:
    """Votes added to each party's list votes from the districts (Hungary), declared or computed.

    Losing candidates' votes go to their party; with surplus, so do the winner's votes beyond the
    runner-up's plus one. Independents' votes go nowhere.
    """
    mode = election.system.fragment_votes
    if mode is FragmentVotes.NONE:
        return {}
    if election.results.fragment_votes:
        return dict(election.results.fragment_votes)
    out: dict[str, int] = {}
    for o in outcomes:
        if o.status is not DistrictStatus.ELECTED or o.winner is None:
            continue
        for i, line in enumerate(o.standings):
            party = line.candidate.party
            if party is None:
                continue
            if line.candidate.name != o.winner.name:
                out[party] = out.get(party, 0) + line.votes
            elif mode is FragmentVotes.LOSERS_AND_SURPLUS and i == 0:
                runner_up = o.standings[1].votes if len(o.standings) > 1 else 0
                out[party] = out.get(party, 0) + max(0, line.votes - runner_up - 1)
    return out


def allocate_admitted(
    tier: ListTier,
    election: Election,
    admission: AdmissionReport,
    votes: Mapping[str, int],
    tally: Tally,
    seats: int,
    *,
    capped: bool,
    excluded: frozenset[str] = frozenset(),
    constituency: str = NATIONAL,
) -> Allocation:
    """Share `seats` among the admitted lists by the tier's method, exactly, with the admission table; a tie
    left to the commission is settled by its recorded drawing of lots for `constituency`, if any."""
    names = [p.short_name for p in election.parties_in_registration_order]
    admitted = set(admission.admitted) - excluded
    contestants = []
    for name in names:
        if name not in admitted or votes.get(name, 0) <= 0:
            continue
        party_list = election.lists.get(name)
        cap = len(party_list.candidates) if capped and tier.cap_at_list_length and party_list else None
        contestants.append(Contestant(name, votes[name], cap))
    if not contestants:
        raise RuleError("no list with votes passes the threshold: nobody to give list seats to")
    allocation = allocate(
        contestants,
        seats,
        tier.method,
        ballots=Ballots(tally.against_all, tally.invalid),
        tie=tier.tie,
        seed=tier.tie_seed,
        drawn=drawings(election, TieTier.LIST, constituency=constituency),
    )
    every = {name: allocation.seats.get(name, 0) for name in names}
    return allocation.replaced(seats=every, threshold=admission.table)


def seeded_divisor(
    votes: Mapping[str, int],
    initial: Mapping[str, int],
    seats: int,
    method: Method,
    *,
    tie: TieRule = TieRule.REGISTRATION_ORDER,
    seed: int | None = None,
    drawn: Sequence[Drawing] = (),
    caps: Mapping[str, int | None] | None = None,
    table: ThresholdReport | None = None,
) -> tuple[dict[str, int], list[Step], Allocation]:
    """Hand out `seats` one by one to the highest average votes / divisor(seats already held, districts counted).

    Scotland (Scotland Act 1998, s.7): the regional figure is list votes / (constituency seats won + list
    seats won + 1). Averages are compared as integer cross-products. Contestants tied at the highest average
    for fewer seats than they are go to the tier's tie rule (`tie`: registration order, more votes, a seeded
    lot, or the commission's recorded drawing in `drawn`; without one the seats stay undecided). A contestant
    whose list is used up (`caps`: the names it has left) is disregarded for the remaining seats (Scotland Act
    s.8(6)); seats nobody can take stay unfilled (the caller says what the law does with them).
    """
    if method not in DIVISORS:
        raise RuleError(f"the additional-member mode needs a divisor method, not {method.value}")
    divisor = DIVISORS[method]
    won = dict.fromkeys(votes, 0)
    order = list(votes)
    index = {name: i for i, name in enumerate(order)}
    breaker = TieBreaker(tie, seed, drawn)
    steps: list[Step] = []
    awards: list[SeatAward] = []
    left = seats

    def figure(name: str) -> tuple[int, int]:
        return divisor(votes[name], initial.get(name, 0) + won[name])

    def award(name: str) -> None:
        num, den = figure(name)
        value = Fraction(num, den) if den else None
        steps.append(
            Step(
                StepKind.SEEDED_DIVISOR,
                party=name,
                value=Fraction(initial.get(name, 0) + won[name]),
                other=value,
            )
        )
        awards.append(SeatAward(len(awards) + 1, name, value))
        won[name] += 1

    passed: dict[str, int] = {}
    while left > 0:
        live = [n for n in order if votes[n] > 0 and (caps is None or caps.get(n) is None or won[n] < (caps[n] or 0))]
        if not live:
            break
        best = live[0]
        for name in live[1:]:
            if _above(*figure(name), *figure(best)) > 0:
                best = name
        top = figure(best)
        used_up = [n for n in order if votes[n] > 0 and n not in live and _above(*figure(n), *top) > 0]
        if used_up:  # the seat a used-up list would have taken goes on to the next (s.8(6))
            first = used_up[0]
            for name in used_up[1:]:
                if _above(*figure(name), *figure(first)) > 0:
                    first = name
            passed[first] = passed.get(first, 0) + 1
        tied = [n for n in live if _above(*figure(n), *top) == 0]
        if len(tied) <= left:
            for name in tied:
                award(name)
            left -= len(tied)
            continue
        value = Fraction(top[0], top[1]) if top[1] else None
        picked = breaker.pick([TieCandidate(n, votes[n], index[n]) for n in tied], left, value=value, stage="average")
        if picked is None:
            break
        for c in picked:
            award(c.name)
        left = 0
    lines = tuple(
        DivisorLine(
            name,
            votes[name],
            won[name],
            tuple(
                Fraction(n, d) if d else None
                for n, d in (divisor(votes[name], initial.get(name, 0) + k) for k in range(won[name] + 1))
            ),
        )
        for name in order
        if votes[name] > 0
    )
    for name, n in passed.items():
        limit = caps.get(name) if caps else None
        steps.append(
            Step(
                StepKind.LIST_EXHAUSTED,
                party=name,
                value=Fraction(n),
                other=Fraction(limit or 0),
                detail=Exhausted.RECOMPUTE.value,
            )
        )
    allocation = Allocation(
        dict(won),
        seats,
        method,
        table if table is not None else ThresholdReport(None, sum(votes.values()), Fraction(0), (), 0),
        Steps(None, lines, tuple(awards)),
        tuple(breaker.decisions),
        breaker.undecided,
        seed if tie is TieRule.LOT else None,
        tie,
    )
    return won, steps, allocation


def _above(n1: int, d1: int, n2: int, d2: int) -> int:
    """+1, 0, -1 as n1/d1 is above, equal to, below n2/d2; a denominator 0 is infinite, ordered by numerator."""
    if d1 == 0 or d2 == 0:
        if d1 != d2:
            return 1 if d1 == 0 else -1
        return (n1 > n2) - (n1 < n2)
    return (n1 * d2 > n2 * d1) - (n1 * d2 < n2 * d1)


def _entitle(
    tier: ListTier,
    election: Election,
    admission: AdmissionReport,
    votes: Mapping[str, int],
    tally: Tally,
    total: int,
    districts: Mapping[str, int],
    overhang: Overhang,
    constituency: str = NATIONAL,
) -> tuple[Allocation, dict[str, int], int, list[Step]]:
    """Compensatory seats in one area: (allocation, seats per party, seats in all, steps)."""
    allocation = allocate_admitted(
        tier, election, admission, votes, tally, total, capped=False, constituency=constituency
    )
    share = dict(allocation.seats)
    steps = [
        Step(StepKind.ENTITLEMENT, party=p, value=Fraction(share.get(p, 0)), other=Fraction(districts.get(p, 0)))
        for p in admission.admitted
    ]
    admitted = set(admission.admitted)  # the districts of the others are off the body already
    if overhang is Overhang.GROW:
        seats = {p: max(n, districts.get(p, 0)) if p in admitted else n for p, n in share.items()}
    elif overhang is Overhang.LEVEL:
        seats, allocation = _level(tier, election, admission, votes, tally, total, districts, share, constituency)
    else:
        seats, allocation = _absorb(tier, election, admission, votes, tally, total, districts, constituency)
    for p, n in districts.items():
        if p in seats and p in admitted and n > share.get(p, 0):
            steps.append(Step(StepKind.OVERHANG, party=p, value=Fraction(share.get(p, 0)), other=Fraction(n)))
    return allocation, seats, sum(seats.values()), steps


def _absorb(
    tier: ListTier,
    election: Election,
    admission: AdmissionReport,
    votes: Mapping[str, int],
    tally: Tally,
    total: int,
    districts: Mapping[str, int],
    constituency: str,
) -> tuple[dict[str, int], Allocation]:
    """Overhang parties keep their districts; the others share what is left, until none is over its share."""
    over: set[str] = set()
    while True:
        rest = total - sum(districts.get(p, 0) for p in over)
        allocation = allocate_admitted(
            tier,
            election,
            admission,
            votes,
            tally,
            rest,
            capped=False,
            excluded=frozenset(over),
            constituency=constituency,
        )
        more = {p for p in admission.admitted if p not in over and districts.get(p, 0) > allocation.seats.get(p, 0)}
        if not more:
            break
        over |= more
    seats = {p: districts.get(p, 0) if p in over else n for p, n in allocation.seats.items()}
    return seats, allocation


def _level(
    tier: ListTier,
    election: Election,
    admission: AdmissionReport,
    votes: Mapping[str, int],
    tally: Tally,
    total: int,
    districts: Mapping[str, int],
    share: Mapping[str, int],
    constituency: str,
) -> tuple[dict[str, int], Allocation]:
    """The smallest body whose proportional shares cover every party's districts and its first share.

    Found by doubling, then bisection (divisor methods are house-monotone, so the answer is the smallest;
    under a quota method the body returned still covers everyone). Keeping the first share as a floor
    makes leveling safe under quota methods too (the Alabama paradox).
    """
    need = {p: max(share.get(p, 0), districts.get(p, 0)) for p in admission.admitted}

    def covers(size: int) -> Allocation | None:
        allocation = allocate_admitted(
            tier, election, admission, votes, tally, size, capped=False, constituency=constituency
        )
        return allocation if all(allocation.seats.get(p, 0) >= n for p, n in need.items()) else None

    low, high = total - 1, total
    while (found := covers(high)) is None:
        low, high = high, 2 * high
        if high > 1_000_000:
            raise RuleError("leveling found no body size up to 1,000,000 seats that covers every party's districts")
    while high - low > 1:
        middle = (low + high) // 2
        if (candidate := covers(middle)) is not None:
            high, found = middle, candidate
        else:
            low = middle
    return dict(found.seats), found


def share_list_seats(election: Election, outcomes: Sequence[DistrictOutcome], tier: ListTier) -> TierResult:
    """Every list seat and every seated district seat, by the election's combination, with the steps."""
    system = election.system
    wins = district_wins(election, outcomes)
    national_wins = _total(wins)
    tallies = constituency_tallies(election)
    list_seats_by_c, steps = apportion_constituencies(election, tier)
    fragments = fragment_votes(election, outcomes)
    steps += [Step(StepKind.FRAGMENT_VOTES, party=p, value=Fraction(n)) for p, n in fragments.items() if n]
    parties = election.parties_in_registration_order
    national_tally = election.results.list_tally or next(iter(tallies.values()))
    national = admit(tier, parties, national_tally, national_wins)
    admissions = {}
    for name, tally in tallies.items():
        if name == NATIONAL or tier.threshold_scope is Scope.NATIONAL:
            local = admit(tier, parties, tally, wins.get(name, {}))
            admissions[name] = local if name == NATIONAL else combine(national, local, both=False)
        elif tier.threshold_scope is Scope.CONSTITUENCY:
            admissions[name] = admit(tier, parties, tally, wins.get(name, {}))
        else:
            admissions[name] = combine(national, admit(tier, parties, tally, wins.get(name, {})), both=True)
    steps += [
        Step(StepKind.ADMITTED, party=a.party, detail=a.by.value)
        for a in national.admissions
        if a.admitted and a.by is not AdmittedBy.THRESHOLD
    ]
    elected = frozenset(w.name for o in outcomes for w in o.elected)
    if system.combination is Combination.PARALLEL:
        shared = _parallel(
            election, tier, tallies, wins, list_seats_by_c, admissions, national, fragments, steps, elected
        )
    elif system.combination is Combination.ADDITIONAL_MEMBER:
        shared = _additional_member(
            election, tier, tallies, wins, list_seats_by_c, admissions, national, steps, elected
        )
    elif system.combination is Combination.COVERAGE:
        shared = _coverage(election, tier, tallies, wins, outcomes, national, steps)
        seated = frozenset(w.name for o in outcomes if o.number not in shared.not_seated for w in o.elected)
        shared = _coverage_names(election, tier, shared, seated)
    else:
        shared = _compensatory(election, tier, tallies, wins, list_seats_by_c, admissions, national, steps, elected)
    return _outside_the_allocation(election, shared)


def _outside_the_allocation(election: Election, shared: TierResult) -> TierResult:
    """Seats decided outside the allocation: districts not held (vacant, the body keeps its legal size) and
    districts filled after it by a by-election (added to the party's district seats and to the body)."""
    results = election.results
    if not results.later_seats and not results.districts_not_held:
        return shared
    steps = list(shared.steps)
    steps += [Step(StepKind.NOT_HELD, c, None, Fraction(n)) for c, n in results.districts_not_held.items() if n]
    district = dict(shared.district_seats)
    constituencies = {c.name: c for c in shared.constituencies}
    added = 0
    for where, parties in results.later_seats.items():
        for party, n in parties.items():
            if not n:
                continue
            district[party] = district.get(party, 0) + n
            added += n
            steps.append(Step(StepKind.FILLED_LATER, where, party or None, Fraction(n)))
            c = constituencies.get(where)
            if c is not None:
                seats = dict(c.district_seats)
                seats[party] = seats.get(party, 0) + n
                constituencies[where] = dataclasses.replace(c, district_seats=seats)
    return dataclasses.replace(
        shared,
        district_seats=district,
        house=shared.house + added,
        constituencies=tuple(constituencies.values()),
        steps=tuple(steps),
    )


def _votes_with(tally: Tally, fragments: Mapping[str, int]) -> dict[str, int]:
    return {p: v + fragments.get(p, 0) for p, v in tally.votes.items()}


def _parallel(
    election: Election,
    tier: ListTier,
    tallies: Mapping[str, Tally],
    wins: Mapping[str, Mapping[str, int]],
    seats_by_c: Mapping[str, int],
    admissions: Mapping[str, AdmissionReport],
    national: AdmissionReport,
    fragments: Mapping[str, int],
    steps: list[Step],
    elected: frozenset[str] = frozenset(),
) -> TierResult:
    """Each constituency's list seats among its admitted lists; preferential minority seats first."""
    single = len(tallies) == 1
    results = []
    allocation = None
    vacant = 0
    for name, tally in tallies.items():
        votes = _votes_with(tally, fragments)
        seats = seats_by_c.get(name, 0)
        preferred = _preferential(election, tier, tally, votes, seats, fragments, steps) if single else {}
        won = dict(preferred)
        alloc = None
        if seats - sum(preferred.values()) > 0:
            alloc, short = _list_seats_here(
                tier,
                election,
                admissions[name],
                votes,
                tally,
                seats - sum(preferred.values()),
                name,
                elected,
                excluded=frozenset(preferred),
                named=single or bool(election.constituency_lists.get(name)),
            )
            vacant += short.vacant
            steps += [_individual(election, s) for s in _shortfall_steps(short, name)]
            for p, n in alloc.seats.items():
                won[p] = won.get(p, 0) + n
        allocation = alloc if single else None
        if allocation is not None and preferred:  # its result line shows every list seat, preferential ones too
            allocation = allocation.replaced(seats={p: won.get(p, 0) for p in [*allocation.seats, *preferred]})
        results.append(
            ConstituencySeats(name, seats, dict(tally.votes), won, dict(wins.get(name, {})), alloc, admissions[name])
        )
    kept = _districts_kept(results, wins, allocation, national, steps)
    return dataclasses.replace(kept, vacant_list_seats=vacant)


def _list_seats_here(
    tier: ListTier,
    election: Election,
    admission: AdmissionReport,
    votes: Mapping[str, int],
    tally: Tally,
    seats: int,
    constituency: str,
    elected: frozenset[str],
    *,
    excluded: frozenset[str] = frozenset(),
    named: bool,
) -> tuple[Allocation, Shared]:
    """A constituency's list seats among its admitted lists, each held to the names it has left (when its list
    is recorded there: `named`) as the tier's `exhausted` says; the admission table shown with it."""
    names = [p.short_name for p in election.parties_in_registration_order]
    admitted = set(admission.admitted) - excluded
    contestants = [Contestant(n, votes[n]) for n in names if n in admitted and votes.get(n, 0) > 0]
    rooms: dict[str, int | None] = {}
    if tier.cap_at_list_length and named:
        rooms = {c.name: room(election, c.name, constituency, elected) for c in contestants}
    shared = share_with_exhaustion(
        tier,
        contestants,
        seats,
        rooms,
        tally=tally,
        drawn=drawings(election, TieTier.LIST, constituency=constituency),
        order=names,
        constituency=constituency,
    )
    return shared.allocation.replaced(threshold=admission.table), shared


def _clip_to_names(
    election: Election,
    tier: ListTier,
    constituency: str,
    won: dict[str, int],
    elected: frozenset[str],
    steps: list[Step],
) -> int:
    """Compensation modes: list seats beyond the names a list has left stay vacant (whatever `exhausted` says:
    the share is the party's, no other list takes it); returns how many. Only where the list is recorded."""
    if not tier.cap_at_list_length:
        return 0
    if constituency != NATIONAL and not election.constituency_lists.get(constituency):
        return 0
    rooms = {p: room(election, p, constituency, elected) for p in won}
    vacant = 0
    for p, over in excess(won, rooms).items():
        steps.append(
            Step(
                StepKind.LIST_EXHAUSTED,
                constituency,
                p,
                Fraction(over),
                Fraction(won[p] - over),
                Exhausted.VACANT.value,
            )
        )
        won[p] -= over
        vacant += over
    if vacant:
        steps.append(Step(StepKind.LIST_SEATS_VACANT, constituency, None, Fraction(vacant)))
    return vacant


def _individual(election: Election, step: Step) -> Step:
    """A used-up "list" of an individual candidate says so: elected once (Scotland Act 1998 s.8(3))."""
    party = election.party(step.party or "")
    if step.kind is StepKind.LIST_EXHAUSTED and party is not None and party.individual:
        return dataclasses.replace(step, detail="individual")
    return step


def _shortfall_steps(shared: Shared, constituency: str) -> list[Step]:
    """The lists that ran out and the seats left vacant, as steps."""
    steps = [
        Step(
            StepKind.LIST_EXHAUSTED,
            s.constituency,
            s.party,
            Fraction(s.seats),
            Fraction(s.names),
            s.exhausted.value,
        )
        for s in shared.shortfalls
    ]
    if shared.vacant:
        steps.append(Step(StepKind.LIST_SEATS_VACANT, constituency, None, Fraction(shared.vacant)))
    return steps


def _districts_kept(
    results: list[ConstituencySeats],
    wins: Mapping[str, Mapping[str, int]],
    allocation: Allocation | None,
    national: AdmissionReport,
    steps: list[Step],
) -> TierResult:
    """Every district seat kept, list seats added: the body is their sum (parallel, additional member)."""
    list_seats: dict[str, int] = {}
    for constituency in results:
        for p, n in constituency.list_seats.items():
            list_seats[p] = list_seats.get(p, 0) + n
    district = _total(wins)
    house = sum(list_seats.values()) + sum(district.values())
    return TierResult(list_seats, district, house, tuple(results), allocation, national, steps=tuple(steps))


def _preferential(
    election: Election,
    tier: ListTier,
    tally: Tally,
    votes: Mapping[str, int],
    seats: int,
    fragments: Mapping[str, int],
    steps: list[Step],
) -> dict[str, int]:
    """Minority lists reaching `preferential_quota` x (all list votes + fragment votes) / list seats: one seat."""
    if tier.preferential_quota is None:
        return {}
    quota = tier.preferential_quota * (tally.option_votes + sum(fragments.values())) / seats
    won = {}
    for party in election.parties_in_registration_order:
        v = votes.get(party.short_name, 0)
        if party.minority and v >= quota:
            won[party.short_name] = 1
            steps.append(Step(StepKind.PREFERENTIAL_SEAT, party=party.short_name, value=Fraction(v), other=quota))
    return won


def _compensatory(
    election: Election,
    tier: ListTier,
    tallies: Mapping[str, Tally],
    wins: Mapping[str, Mapping[str, int]],
    seats_by_c: Mapping[str, int],
    admissions: Mapping[str, AdmissionReport],
    national: AdmissionReport,
    steps: list[Step],
    elected: frozenset[str] = frozenset(),
) -> TierResult:
    """MMP: shares of the whole body (or of each constituency), list seats = share - districts."""
    system = election.system
    district = _total(wins)
    vacant = 0
    if system.compensation_scope is Scope.NATIONAL or len(tallies) == 1:
        tally = election.results.list_tally or next(iter(tallies.values()))
        others = sum(n for p, n in district.items() if p not in national.admitted)
        total = election.body.seats - others
        allocation, seats, _, more = _entitle(
            tier, election, national, tally.votes, tally, total, district, system.overhang
        )
        steps += more
        house = sum(seats.values()) + others
        if house != election.body.seats:
            steps.append(Step(StepKind.HOUSE_SIZE, value=Fraction(house), other=Fraction(election.body.seats)))
        list_seats = {p: max(0, n - district.get(p, 0)) for p, n in seats.items()}
        vacant += _clip_to_names(election, tier, NATIONAL, list_seats, elected, steps)
        single = (
            ConstituencySeats(
                NATIONAL, sum(list_seats.values()), dict(tally.votes), list_seats, district, allocation, national
            ),
        )
        return TierResult(
            list_seats,
            district,
            house,
            single,
            allocation,
            national,
            entitlement=dict(allocation.seats),
            steps=tuple(steps),
            vacant_list_seats=vacant,
        )
    results = []
    list_seats = {}
    house = 0
    for name, tally in tallies.items():
        local = wins.get(name, {})
        admitted = admissions[name].admitted
        others = sum(n for p, n in local.items() if p not in admitted)
        total = seats_by_c.get(name, 0) + sum(local.values()) - others
        alloc, seats, _, more = _entitle(
            tier, election, admissions[name], tally.votes, tally, total, local, system.overhang, name
        )
        steps += [dataclasses.replace(s, constituency=name) for s in more]
        won = {p: max(0, n - local.get(p, 0)) for p, n in seats.items()}
        vacant += _clip_to_names(election, tier, name, won, elected, steps)
        house += sum(seats.values()) + others
        results.append(
            ConstituencySeats(name, sum(won.values()), dict(tally.votes), won, dict(local), alloc, admissions[name])
        )
        for p, n in won.items():
            list_seats[p] = list_seats.get(p, 0) + n
    if house != election.body.seats:
        steps.append(Step(StepKind.HOUSE_SIZE, value=Fraction(house), other=Fraction(election.body.seats)))
    return TierResult(
        list_seats, district, house, tuple(results), None, national, steps=tuple(steps), vacant_list_seats=vacant
    )


def _additional_member(
    election: Election,
    tier: ListTier,
    tallies: Mapping[str, Tally],
    wins: Mapping[str, Mapping[str, int]],
    seats_by_c: Mapping[str, int],
    admissions: Mapping[str, AdmissionReport],
    national: AdmissionReport,
    steps: list[Step],
    elected: frozenset[str] = frozenset(),
) -> TierResult:
    """Scotland: each constituency's list seats by the seeded divisor; district seats always kept. A list used
    up is disregarded from then on (s.8(6)), or its seats beyond its names stay vacant (`exhausted`)."""
    results = []
    order = [p.short_name for p in election.parties_in_registration_order]
    vacant = 0
    for name, tally in tallies.items():
        local = wins.get(name, {})
        admitted = set(admissions[name].admitted)
        votes = {p: tally.votes.get(p, 0) for p in order if p in admitted}
        rooms: dict[str, int | None] = {}
        if tier.cap_at_list_length and (len(tallies) == 1 or election.constituency_lists.get(name)):
            rooms = {p: room(election, p, name, elected) for p in votes}
        seats_here = seats_by_c.get(name, 0)
        capped = tier.exhausted is not Exhausted.VACANT
        won, more, alloc = seeded_divisor(
            votes,
            local,
            seats_here,
            tier.method,
            tie=tier.tie,
            seed=tier.tie_seed,
            drawn=drawings(election, TieTier.LIST, constituency=name),
            caps=rooms if capped else None,
            table=admissions[name].table,
        )
        steps += [_individual(election, dataclasses.replace(s, constituency=name)) for s in more]
        if capped:
            short = seats_here - sum(won.values()) - (alloc.undecided.seats if alloc.undecided else 0)
        else:
            short = 0
            for p, over in excess(won, rooms).items():
                steps.append(
                    Step(
                        StepKind.LIST_EXHAUSTED,
                        name,
                        p,
                        Fraction(over),
                        Fraction(won[p] - over),
                        Exhausted.VACANT.value,
                    )
                )
                won[p] -= over
                short += over
            alloc = alloc.replaced(seats=dict(won))
        if short:
            steps.append(Step(StepKind.LIST_SEATS_VACANT, name, None, Fraction(short)))
            vacant += short
        results.append(
            ConstituencySeats(
                name, seats_by_c.get(name, 0), dict(tally.votes), won, dict(local), alloc, admissions[name]
            )
        )
    kept = _districts_kept(results, wins, None, national, steps)
    return dataclasses.replace(kept, vacant_list_seats=vacant)


def _coverage(
    election: Election,
    tier: ListTier,
    tallies: Mapping[str, Tally],
    wins: Mapping[str, Mapping[str, int]],
    outcomes: Sequence[DistrictOutcome],
    national: AdmissionReport,
    steps: list[Step],
) -> TierResult:
    """Germany 2025: shares of the body nationally, then per constituency; winners seated best share first.

    Independents' district seats are taken off the body first (Federal Elections Act s.4). A party's
    district winners in a constituency take its seats there in descending order of their share of the
    district's votes; those left over are not seated.
    """
    tally = election.results.list_tally or next(iter(tallies.values()))
    district = _total(wins)
    independents = district.get("", 0)
    total = election.body.seats - independents
    allocation = allocate_admitted(tier, election, national, tally.votes, tally, total, capped=False)
    share = {p: n for p, n in allocation.seats.items() if n}
    per_c: dict[str, dict[str, int]] = {}
    if len(tallies) > 1:
        for party, n in share.items():
            lower = allocate([Contestant(c, t.votes.get(party, 0)) for c, t in tallies.items()], n, tier.method)
            for c, k in lower.seats.items():
                per_c.setdefault(c, {})[party] = k
    else:
        per_c[next(iter(tallies))] = dict(share)
    not_seated: set[int] = set()
    uncovered: dict[str, int] = {}
    seated: dict[str, int] = {}
    results = []
    list_seats: dict[str, int] = {}
    for name in tallies:
        local = wins.get(name, {})
        won: dict[str, int] = {}
        for party, n in local.items():
            if not party:
                continue
            cover = per_c.get(name, {}).get(party, 0)
            keep = min(n, cover)
            seated[party] = seated.get(party, 0) + keep
            if n > keep:
                uncovered[party] = uncovered.get(party, 0) + n - keep
                steps.append(Step(StepKind.NOT_COVERED, name, party, Fraction(n - keep), Fraction(cover)))
                not_seated |= _worst_winners(election, outcomes, name, party, n - keep)
        for party, n in per_c.get(name, {}).items():
            won[party] = n - min(local.get(party, 0), n)
            list_seats[party] = list_seats.get(party, 0) + won[party]
        results.append(
            ConstituencySeats(
                name,
                sum(won.values()),
                dict(tallies[name].votes),
                won,
                {p: min(k, per_c.get(name, {}).get(p, 0)) if p else k for p, k in local.items()},
                None,
                national,
            )
        )
    seated[""] = independents
    if not independents:
        seated.pop("")
    house = sum(list_seats.values()) + sum(seated.values())
    return TierResult(
        list_seats,
        seated,
        house,
        tuple(results),
        allocation,
        national,
        frozenset(not_seated),
        uncovered,
        dict(share),
        tuple(steps),
    )


def _coverage_names(election: Election, tier: ListTier, shared: TierResult, seated: frozenset[str]) -> TierResult:
    """Coverage: each Land list's seats beyond the names it has left (seated winners passed over) stay vacant."""
    steps = list(shared.steps)
    results = []
    list_seats: dict[str, int] = {}
    vacant = 0
    for c in shared.constituencies:
        won = dict(c.list_seats)
        vacant += _clip_to_names(election, tier, c.name, won, seated, steps)
        results.append(dataclasses.replace(c, list_seats=won, list_seats_total=sum(won.values())))
        for p, n in won.items():
            list_seats[p] = list_seats.get(p, 0) + n
    if not vacant:
        return shared
    return dataclasses.replace(
        shared,
        list_seats=list_seats,
        constituencies=tuple(results),
        steps=tuple(steps),
        vacant_list_seats=vacant,
    )


def _worst_winners(
    election: Election, outcomes: Sequence[DistrictOutcome], constituency: str, party: str, count: int
) -> set[int]:
    """The `count` district winners of `party` in `constituency` with the lowest share of their district."""
    where = {d.number: d.constituency for d in election.districts}
    mine = [
        o
        for o in outcomes
        if o.winner is not None and o.winner.party == party and where.get(o.number, NATIONAL) == constituency
    ]

    def share(o: DistrictOutcome) -> Fraction:
        total = sum(s.votes for s in o.standings) + o.against_all
        return Fraction(o.standings[0].votes, total) if total else Fraction(0)

    mine.sort(key=lambda o: (share(o), -o.number))
    return {o.number for o in mine[:count]}
