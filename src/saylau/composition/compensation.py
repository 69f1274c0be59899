"""How the list tier meets the district tier: one unit per mode, chosen by the rules (docs/compensation.md).

Each combination is one function from the same case (`ListTierCase`: the election, its list tier, the list
votes and the districts won per constituency, who was admitted where) to the list tier's result, and
`COMBINATIONS` chooses it by `ElectoralSystem.combination`:

- `parallel`: each constituency's list seats by its own list votes, the district seats added (Kazakhstan,
  Lithuania, Hungary with fragment votes and preferential minority seats, Spain).
- `compensatory`: the body (or each constituency's seats) shared proportionally, list seats = the share
  minus the districts won (New Zealand, Electoral Act 1993 s.191); a party that won more districts than its
  share keeps them, and `OVERHANG` says what the others get: the body grown (New Zealand), the overhang
  absorbed by a fixed body, or the body levelled until every share covers its districts (Germany 2013-2021).
- `additional_member`: each constituency's fixed list seats by the regional figure, a divisor counting the
  districts won there (Scotland Act 1998 ss.6-8; `regional_figure`).
- `coverage`: the body shared proportionally, then among each party's constituencies; district winners are
  seated only as far as the party's seats there cover them, best share first (Germany, Federal Elections Act
  as amended 2023).

Every seat decision goes through `saylau.apportionment.allocate` (exact), or the regional figure.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType

from saylau.apportionment import Allocation, Ballots, Contestant, allocate
from saylau.apportionment.ties import TieBreaker
from saylau.composition.admission import AdmissionReport
from saylau.composition.districts import DistrictOutcome
from saylau.composition.exhaustion import NO_LIST_PASSES, ListContest, Shared, excess, room, share_with_exhaustion
from saylau.composition.lots import drawings
from saylau.composition.regional_figure import seeded_divisor
from saylau.composition.result import NATIONAL, ConstituencySeats, Step, StepKind, TierResult
from saylau.domain import Election, Tally, TieTier
from saylau.errors import Phrase, RuleError
from saylau.rules import Combination, Exhausted, ListTier, Overhang, Scope

LEVEL_LIMIT = 1_000_000
"""The largest body size levelling tries."""
NO_LEVEL = (
    "levelling found no body size up to {n} seat that covers every party's districts",
    "levelling found no body size up to {n} seats that covers every party's districts",
)


@dataclass(frozen=True, slots=True)
class ListTierCase:
    """What every mode reads: the list tier's facts once the districts are decided; `steps` collects the
    explained steps in the order they happen (those before the mode included)."""

    election: Election
    tier: ListTier
    tallies: Mapping[str, Tally]
    """The list ballot per constituency (`NATIONAL` alone when there are none)."""
    wins: Mapping[str, Mapping[str, int]]
    """District seats per constituency and party ("" for independents)."""
    seats_by_constituency: Mapping[str, int]
    admissions: Mapping[str, AdmissionReport]
    national: AdmissionReport
    fragments: Mapping[str, int]
    """Fragment votes per party (Hungary); empty otherwise."""
    outcomes: Sequence[DistrictOutcome]
    elected: frozenset[str]
    """Every name elected in a district (a list skips them)."""
    steps: list[Step]

    @property
    def national_tally(self) -> Tally:
        return self.election.results.list_tally or next(iter(self.tallies.values()))


def total_of(wins: Mapping[str, Mapping[str, int]]) -> dict[str, int]:
    """District seats per party over every constituency."""
    out: dict[str, int] = {}
    for seats in wins.values():
        for party, n in seats.items():
            out[party] = out.get(party, 0) + n
    return out


# --- Overhang: a party won more districts than its proportional share -----------------------------------


@dataclass(frozen=True, slots=True)
class Area:
    """Where a compensatory share is taken: the whole body, or one constituency's list + district seats."""

    case: ListTierCase
    admission: AdmissionReport
    tally: Tally
    seats: int
    districts: Mapping[str, int]
    constituency: str = NATIONAL

    def share(self, seats: int, excluded: frozenset[str] = frozenset()) -> Allocation:
        """`seats` shared proportionally among the admitted lists of this area (less `excluded`), by the tier's
        method, exactly, with the admission table; a tie left to the commission is settled by its recorded
        drawing of lots for this constituency, if any. No cap: a proportional share is the party's whatever
        its list holds (the names are clipped after)."""
        election, tier, votes = self.case.election, self.case.tier, self.tally.votes
        names = [p.short_name for p in election.parties_in_registration_order]
        admitted = set(self.admission.admitted) - excluded
        contestants = [Contestant(name, votes[name]) for name in names if name in admitted and votes.get(name, 0) > 0]
        if not contestants:
            raise RuleError(Phrase(NO_LIST_PASSES))
        allocation = allocate(
            contestants,
            seats,
            tier.method,
            ballots=Ballots(self.tally.against_all, self.tally.invalid),
            tie=tier.tie,
            seed=tier.tie_seed,
            drawn=drawings(election, TieTier.LIST, constituency=self.constituency),
        )
        every = {name: allocation.seats.get(name, 0) for name in names}
        return allocation.replaced(seats=every, threshold=self.admission.table)


def overhang_grown(area: Area, first: Allocation) -> tuple[dict[str, int], Allocation]:
    """The party keeps its districts and the body grows by the difference (New Zealand, Electoral Act 1993
    s.191: the overhang seats are added to the House)."""
    admitted = set(area.admission.admitted)  # the districts of the others are off the body already
    seats = {p: max(n, area.districts.get(p, 0)) if p in admitted else n for p, n in first.seats.items()}
    return seats, first


def overhang_absorbed(area: Area, first: Allocation) -> tuple[dict[str, int], Allocation]:
    """The overhang parties keep their districts; the others share what is left of the body's fixed size,
    again until none is over its share."""
    over: set[str] = set()
    while True:
        allocation = area.share(area.seats - sum(area.districts.get(p, 0) for p in over), frozenset(over))
        more = {
            p
            for p in area.admission.admitted
            if p not in over and area.districts.get(p, 0) > allocation.seats.get(p, 0)
        }
        if not more:
            break
        over |= more
    seats = {p: area.districts.get(p, 0) if p in over else n for p, n in allocation.seats.items()}
    return seats, allocation


def overhang_levelled(area: Area, first: Allocation) -> tuple[dict[str, int], Allocation]:
    """The smallest body whose proportional shares cover every party's districts and its first share
    (Germany 2013-2021: leveling seats).

    Found by doubling, then bisection (divisor methods are house-monotone, so the answer is the smallest;
    under a quota method the body returned still covers everyone). Keeping the first share as a floor makes
    leveling safe under quota methods too (the Alabama paradox).
    """
    need = {p: max(first.seats.get(p, 0), area.districts.get(p, 0)) for p in area.admission.admitted}

    def covers(size: int) -> Allocation | None:
        allocation = area.share(size)
        return allocation if all(allocation.seats.get(p, 0) >= n for p, n in need.items()) else None

    low, high = area.seats - 1, area.seats
    while (found := covers(high)) is None:
        low, high = high, 2 * high
        if high > LEVEL_LIMIT:
            raise RuleError(Phrase(*NO_LEVEL, n=LEVEL_LIMIT))
    while high - low > 1:
        middle = (low + high) // 2
        if (candidate := covers(middle)) is not None:
            high, found = middle, candidate
        else:
            low = middle
    return dict(found.seats), found


OVERHANG: Mapping[Overhang, Callable[[Area, Allocation], tuple[dict[str, int], Allocation]]] = MappingProxyType(
    {Overhang.GROW: overhang_grown, Overhang.ABSORB: overhang_absorbed, Overhang.LEVEL: overhang_levelled}
)


def entitlement(area: Area, overhang: Overhang) -> tuple[Allocation, dict[str, int], list[Step]]:
    """Each admitted party's proportional share of the area against its districts, the overhang settled by
    the rule: (the allocation shown, the seats per party, the steps)."""
    first = area.share(area.seats)
    share = dict(first.seats)
    steps = [
        Step(StepKind.ENTITLEMENT, party=p, value=Fraction(share.get(p, 0)), other=Fraction(area.districts.get(p, 0)))
        for p in area.admission.admitted
    ]
    seats, allocation = OVERHANG[overhang](area, first)
    admitted = set(area.admission.admitted)
    for p, n in area.districts.items():
        if p in seats and p in admitted and n > share.get(p, 0):
            steps.append(Step(StepKind.OVERHANG, party=p, value=Fraction(share.get(p, 0)), other=Fraction(n)))
    return allocation, seats, steps


# --- The combinations ------------------------------------------------------------------------------------


def parallel(case: ListTierCase) -> TierResult:
    """Each constituency's list seats among its admitted lists, by its own list votes (with fragment votes);
    preferential minority seats first; the district seats added."""
    single = len(case.tallies) == 1
    results = []
    allocation = None
    vacant = 0
    for name, tally in case.tallies.items():
        here, alloc, short = _parallel_here(case, name, tally, single)
        vacant += short
        allocation = alloc if single else None
        results.append(here)
    kept = _districts_kept(results, case.wins, allocation, case.national, case.steps)
    return dataclasses.replace(kept, vacant_list_seats=vacant)


def _parallel_here(
    case: ListTierCase, name: str, tally: Tally, single: bool
) -> tuple[ConstituencySeats, Allocation | None, int]:
    """One constituency of the parallel mode: its seats, its allocation (with preferential seats shown), and
    the list seats left vacant for want of names."""
    election, steps = case.election, case.steps
    votes = {p: v + case.fragments.get(p, 0) for p, v in tally.votes.items()}
    seats = case.seats_by_constituency.get(name, 0)
    preferred = _preferential(case, tally, votes, seats) if single else {}
    won = dict(preferred)
    alloc = None
    vacant = 0
    if seats - sum(preferred.values()) > 0:
        rest = seats - sum(preferred.values())
        alloc, short = _list_seats_here(case, votes, tally, rest, name, frozenset(preferred))
        vacant = short.vacant
        steps += [_individual(election, s) for s in _shortfall_steps(short, name)]
        for p, n in alloc.seats.items():
            won[p] = won.get(p, 0) + n
    shown = alloc
    if shown is not None and preferred:  # its result line shows every list seat, preferential ones too
        shown = shown.replaced(seats={p: won.get(p, 0) for p in [*shown.seats, *preferred]})
    here = ConstituencySeats(
        name, seats, dict(tally.votes), won, dict(case.wins.get(name, {})), alloc, case.admissions[name]
    )
    return here, shown, vacant


def compensatory(case: ListTierCase) -> TierResult:
    """MMP: shares of the whole body (or of each constituency), list seats = share - districts."""
    if case.election.system.compensation_scope is Scope.NATIONAL or len(case.tallies) == 1:
        return _compensatory_national(case)
    return _compensatory_by_constituency(case)


def _compensatory_national(case: ListTierCase) -> TierResult:
    """The whole body shared proportionally (independents' districts off it first)."""
    election, steps, national = case.election, case.steps, case.national
    district = total_of(case.wins)
    tally = case.national_tally
    others = sum(n for p, n in district.items() if p not in national.admitted)
    area = Area(case, national, tally, election.body.seats - others, district)
    allocation, seats, more = entitlement(area, election.system.overhang)
    steps += more
    house = sum(seats.values()) + others
    if house != election.body.seats:
        steps.append(Step(StepKind.HOUSE_SIZE, value=Fraction(house), other=Fraction(election.body.seats)))
    list_seats = {p: max(0, n - district.get(p, 0)) for p, n in seats.items()}
    vacant = _clip_to_names(case, NATIONAL, list_seats, case.elected)
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


def _compensatory_by_constituency(case: ListTierCase) -> TierResult:
    """Each constituency's list and district seats shared proportionally there."""
    election, steps = case.election, case.steps
    results = []
    list_seats: dict[str, int] = {}
    house = vacant = 0
    for name, tally in case.tallies.items():
        local = case.wins.get(name, {})
        admission = case.admissions[name]
        others = sum(n for p, n in local.items() if p not in admission.admitted)
        total = case.seats_by_constituency.get(name, 0) + sum(local.values()) - others
        alloc, seats, more = entitlement(Area(case, admission, tally, total, local, name), election.system.overhang)
        steps += [dataclasses.replace(s, constituency=name) for s in more]
        won = {p: max(0, n - local.get(p, 0)) for p, n in seats.items()}
        vacant += _clip_to_names(case, name, won, case.elected)
        house += sum(seats.values()) + others
        results.append(
            ConstituencySeats(name, sum(won.values()), dict(tally.votes), won, dict(local), alloc, admission)
        )
        for p, n in won.items():
            list_seats[p] = list_seats.get(p, 0) + n
    if house != election.body.seats:
        steps.append(Step(StepKind.HOUSE_SIZE, value=Fraction(house), other=Fraction(election.body.seats)))
    district = total_of(case.wins)
    return TierResult(
        list_seats, district, house, tuple(results), None, case.national, steps=tuple(steps), vacant_list_seats=vacant
    )


def additional_member(case: ListTierCase) -> TierResult:
    """Scotland: each constituency's list seats by the regional figure; district seats always kept. A list used
    up is disregarded from then on (s.8(6)), or its seats beyond its names stay vacant (`exhausted`)."""
    results = []
    vacant = 0
    for name, tally in case.tallies.items():
        here, short = _additional_member_here(case, name, tally)
        if short:
            case.steps.append(Step(StepKind.LIST_SEATS_VACANT, name, None, Fraction(short)))
            vacant += short
        results.append(here)
    kept = _districts_kept(results, case.wins, None, case.national, case.steps)
    return dataclasses.replace(kept, vacant_list_seats=vacant)


def _additional_member_here(case: ListTierCase, name: str, tally: Tally) -> tuple[ConstituencySeats, int]:
    """One region's list seats by the regional figure, and the seats left vacant there."""
    election, tier = case.election, case.tier
    local = case.wins.get(name, {})
    admission = case.admissions[name]
    admitted = set(admission.admitted)
    order = [p.short_name for p in election.parties_in_registration_order]
    votes = {p: tally.votes.get(p, 0) for p in order if p in admitted}
    rooms: dict[str, int | None] = {}
    if tier.cap_at_list_length and (len(case.tallies) == 1 or election.constituency_lists.get(name)):
        rooms = {p: room(election, p, name, case.elected) for p in votes}
    seats_here = case.seats_by_constituency.get(name, 0)
    capped = tier.exhausted is not Exhausted.VACANT
    breaker = TieBreaker(tier.tie, tier.tie_seed, drawings(election, TieTier.LIST, constituency=name))
    won, more, alloc = seeded_divisor(
        votes, local, seats_here, tier.method, breaker, caps=rooms if capped else None, table=admission.table
    )
    case.steps.extend(_individual(election, dataclasses.replace(s, constituency=name)) for s in more)
    if capped:
        short = seats_here - sum(won.values()) - (alloc.undecided.seats if alloc.undecided else 0)
    else:
        short = _vacant_beyond_names(case, name, won, rooms)
        alloc = alloc.replaced(seats=dict(won))
    return ConstituencySeats(name, seats_here, dict(tally.votes), won, dict(local), alloc, admission), short


def coverage(case: ListTierCase) -> TierResult:
    """Germany 2025: shares of the body nationally, then per constituency; winners seated best share first.

    Independents' district seats are taken off the body first (Federal Elections Act s.4). A party's
    district winners in a constituency take its seats there in descending order of their share of the
    district's votes; those left over are not seated. Each Land list's seats beyond the names it has left
    stay vacant.
    """
    tally = case.national_tally
    district = total_of(case.wins)
    independents = district.get("", 0)
    total = case.election.body.seats - independents
    allocation = Area(case, case.national, tally, total, district).share(total)
    share = {p: n for p, n in allocation.seats.items() if n}
    per_c = _shares_by_constituency(case, share)
    not_seated: set[int] = set()
    uncovered: dict[str, int] = {}
    seated: dict[str, int] = {}
    results = []
    list_seats: dict[str, int] = {}
    for name in case.tallies:
        here, lost = _covered_here(case, name, per_c.get(name, {}), seated, uncovered)
        not_seated |= lost
        results.append(here)
        for p, n in here.list_seats.items():
            list_seats[p] = list_seats.get(p, 0) + n
    if independents:  # the independents' line comes last
        seated[""] = independents
    house = sum(list_seats.values()) + sum(seated.values())
    shared = TierResult(
        list_seats,
        seated,
        house,
        tuple(results),
        allocation,
        case.national,
        frozenset(not_seated),
        uncovered,
        dict(share),
        tuple(case.steps),
    )
    names = frozenset(w.name for o in case.outcomes if o.number not in shared.not_seated for w in o.elected)
    return _coverage_names(case, shared, names)


def _shares_by_constituency(case: ListTierCase, share: Mapping[str, int]) -> dict[str, dict[str, int]]:
    """Each party's national share among its constituencies, by the same method (one constituency: all)."""
    if len(case.tallies) == 1:
        return {next(iter(case.tallies)): dict(share)}
    per_c: dict[str, dict[str, int]] = {}
    for party, n in share.items():
        contestants = [Contestant(c, t.votes.get(party, 0)) for c, t in case.tallies.items()]
        for c, k in allocate(contestants, n, case.tier.method).seats.items():
            per_c.setdefault(c, {})[party] = k
    return per_c


def _covered_here(
    case: ListTierCase, name: str, cover: Mapping[str, int], seated: dict[str, int], uncovered: dict[str, int]
) -> tuple[ConstituencySeats, set[int]]:
    """One constituency under coverage: the list seats, the winners seated (added to `seated`, those not
    covered to `uncovered`), and the districts whose winner is not seated."""
    local = case.wins.get(name, {})
    not_seated: set[int] = set()
    for party, n in local.items():
        if not party:
            continue
        keep = min(n, cover.get(party, 0))
        seated[party] = seated.get(party, 0) + keep
        if n > keep:
            uncovered[party] = uncovered.get(party, 0) + n - keep
            case.steps.append(
                Step(StepKind.NOT_COVERED, name, party, Fraction(n - keep), Fraction(cover.get(party, 0)))
            )
            not_seated |= _worst_winners(case, name, party, n - keep)
    won = {party: n - min(local.get(party, 0), n) for party, n in cover.items()}
    districts = {p: min(k, cover.get(p, 0)) if p else k for p, k in local.items()}
    here = ConstituencySeats(
        name, sum(won.values()), dict(case.tallies[name].votes), won, districts, None, case.national
    )
    return here, not_seated


def _coverage_names(case: ListTierCase, shared: TierResult, seated: frozenset[str]) -> TierResult:
    """Coverage: each Land list's seats beyond the names it has left (seated winners passed over) stay vacant."""
    steps = list(shared.steps)
    results = []
    list_seats: dict[str, int] = {}
    vacant = 0
    clipping = dataclasses.replace(case, steps=steps)
    for c in shared.constituencies:
        won = dict(c.list_seats)
        vacant += _clip_to_names(clipping, c.name, won, seated)
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


COMBINATIONS: Mapping[Combination, Callable[[ListTierCase], TierResult]] = MappingProxyType(
    {
        Combination.PARALLEL: parallel,
        Combination.COMPENSATORY: compensatory,
        Combination.ADDITIONAL_MEMBER: additional_member,
        Combination.COVERAGE: coverage,
    }
)
"""The unit for each `Combination`: the rules configuration chooses it, no branch elsewhere."""


# --- Pieces the modes share ------------------------------------------------------------------------------


def _list_seats_here(
    case: ListTierCase, votes: Mapping[str, int], tally: Tally, seats: int, constituency: str, excluded: frozenset[str]
) -> tuple[Allocation, Shared]:
    """A constituency's list seats among its admitted lists, each held to the names it has left (when its list
    is recorded there) as the tier's `exhausted` says; the admission table shown with it."""
    election, tier, admission = case.election, case.tier, case.admissions[constituency]
    named = len(case.tallies) == 1 or bool(election.constituency_lists.get(constituency))
    names = [p.short_name for p in election.parties_in_registration_order]
    admitted = set(admission.admitted) - excluded
    contestants = [Contestant(n, votes[n]) for n in names if n in admitted and votes.get(n, 0) > 0]
    rooms: dict[str, int | None] = {}
    if tier.cap_at_list_length and named:
        rooms = {c.name: room(election, c.name, constituency, case.elected) for c in contestants}
    drawn = drawings(election, TieTier.LIST, constituency=constituency)
    shared = share_with_exhaustion(tier, ListContest(contestants, seats, rooms, tally, drawn, names, constituency))
    return shared.allocation.replaced(threshold=admission.table), shared


def _vacant_beyond_names(
    case: ListTierCase, constituency: str, won: dict[str, int], rooms: Mapping[str, int | None]
) -> int:
    """Seats a list won beyond the names it has left stay vacant (taken from `won`, a step each): how many."""
    vacant = 0
    for p, over in excess(won, rooms).items():
        case.steps.append(
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
    return vacant


def _clip_to_names(case: ListTierCase, constituency: str, won: dict[str, int], elected: frozenset[str]) -> int:
    """Compensation modes: list seats beyond the names a list has left stay vacant (whatever `exhausted` says:
    the share is the party's, no other list takes it); returns how many. Only where the list is recorded."""
    election = case.election
    if not case.tier.cap_at_list_length:
        return 0
    if constituency != NATIONAL and not election.constituency_lists.get(constituency):
        return 0
    rooms = {p: room(election, p, constituency, elected) for p in won}
    vacant = _vacant_beyond_names(case, constituency, won, rooms)
    if vacant:
        case.steps.append(Step(StepKind.LIST_SEATS_VACANT, constituency, None, Fraction(vacant)))
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
    district = total_of(wins)
    house = sum(list_seats.values()) + sum(district.values())
    return TierResult(list_seats, district, house, tuple(results), allocation, national, steps=tuple(steps))


def _preferential(case: ListTierCase, tally: Tally, votes: Mapping[str, int], seats: int) -> dict[str, int]:
    """Minority lists reaching `preferential_quota` x (all list votes + fragment votes) / list seats: one seat
    (Hungary, Act CCIII of 2011)."""
    if case.tier.preferential_quota is None:
        return {}
    quota = case.tier.preferential_quota * (tally.option_votes + sum(case.fragments.values())) / seats
    won = {}
    for party in case.election.parties_in_registration_order:
        v = votes.get(party.short_name, 0)
        if party.minority and v >= quota:
            won[party.short_name] = 1
            case.steps.append(Step(StepKind.PREFERENTIAL_SEAT, party=party.short_name, value=Fraction(v), other=quota))
    return won


def _worst_winners(case: ListTierCase, constituency: str, party: str, count: int) -> set[int]:
    """The `count` district winners of `party` in `constituency` with the lowest share of their district."""
    where = {d.number: d.constituency for d in case.election.districts}
    mine = [
        o
        for o in case.outcomes
        if o.winner is not None and o.winner.party == party and where.get(o.number, NATIONAL) == constituency
    ]

    def share(o: DistrictOutcome) -> Fraction:
        total = sum(s.votes for s in o.standings) + o.against_all
        return Fraction(o.standings[0].votes, total) if total else Fraction(0)

    mine.sort(key=lambda o: (share(o), -o.number))
    return {o.number for o in mine[:count]}
