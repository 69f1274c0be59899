"""The list tier beyond one allocation: constituencies, thresholds as data, compensation, and the steps.

`share_list_seats` takes the districts' outcome (who won where) and the list votes, and returns each party's
list seats and seated district seats, per constituency and in total, with every step as a typed fact
(`Step`) that reports put into words. In the order of the law: the districts won per constituency, each
constituency's list seats (`apportion_constituencies`), fragment votes (Hungary), who is admitted where
(`composition.admission`), then the one unit the rules choose for how the tiers combine
(`composition.compensation.COMBINATIONS`: parallel, compensatory with overhang grown, absorbed or levelled,
additional member, coverage), then the seats decided outside the allocation (districts not held, filled
later). docs/compensation.md explains each mode with its law.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from fractions import Fraction

from saylau.apportionment import Contestant, allocate
from saylau.composition.admission import AdmissionReport, AdmittedBy, admit, combine
from saylau.composition.compensation import COMBINATIONS, ListTierCase, total_of
from saylau.composition.districts import DistrictOutcome, DistrictStatus
from saylau.composition.result import NATIONAL, Step, StepKind, TierResult
from saylau.domain import Election, Tally
from saylau.rules import ApportionBy, FragmentVotes, ListTier, Scope


def share_list_seats(election: Election, outcomes: Sequence[DistrictOutcome], tier: ListTier) -> TierResult:
    """Every list seat and every seated district seat, by the election's combination, with the steps."""
    wins = district_wins(election, outcomes)
    tallies = constituency_tallies(election)
    list_seats_by_c, steps = apportion_constituencies(election, tier)
    fragments = fragment_votes(election, outcomes)
    steps += [Step(StepKind.FRAGMENT_VOTES, party=p, value=Fraction(n)) for p, n in fragments.items() if n]
    national, admissions = _admissions(election, tier, tallies, wins)
    steps += [
        Step(StepKind.ADMITTED, party=a.party, detail=a.by.value)
        for a in national.admissions
        if a.admitted and a.by is not AdmittedBy.THRESHOLD
    ]
    elected = frozenset(w.name for o in outcomes for w in o.elected)
    case = ListTierCase(
        election, tier, tallies, wins, list_seats_by_c, admissions, national, fragments, outcomes, elected, steps
    )
    return _outside_the_allocation(election, COMBINATIONS[election.system.combination](case), outcomes)


def _admissions(
    election: Election, tier: ListTier, tallies: Mapping[str, Tally], wins: Mapping[str, Mapping[str, int]]
) -> tuple[AdmissionReport, dict[str, AdmissionReport]]:
    """Who takes part nationally, and in each constituency by the threshold's scope (national, there, both)."""
    parties = election.parties_in_registration_order
    national_tally = election.results.list_tally or next(iter(tallies.values()))
    national = admit(tier, parties, national_tally, total_of(wins))
    admissions = {}
    for name, tally in tallies.items():
        local = admit(tier, parties, tally, wins.get(name, {}))
        if name == NATIONAL or tier.threshold_scope is Scope.NATIONAL:
            admissions[name] = local if name == NATIONAL else combine(national, local, both=False)
        elif tier.threshold_scope is Scope.CONSTITUENCY:
            admissions[name] = local
        else:
            admissions[name] = combine(national, local, both=True)
    return national, admissions


def district_wins(election: Election, outcomes: Sequence[DistrictOutcome]) -> dict[str, dict[str, int]]:
    """District seats per constituency and party ("" for independents), from the outcomes or as declared."""
    if election.results.district_seats:
        return {c: dict(p) for c, p in election.results.district_seats.items()}
    where = {d.number: d.constituency for d in election.districts}
    later = {d.number for d in election.districts if d.by_election}
    wins: dict[str, dict[str, int]] = {}
    for o in outcomes:  # those elected above a tie still open in a multi-member district count too
        if o.number in later:  # filled after the allocation: `_outside_the_allocation` adds it
            continue
        for winner in o.elected:
            seats = wins.setdefault(where.get(o.number, NATIONAL), {})
            seats[winner.party or ""] = seats.get(winner.party or "", 0) + 1
    return wins


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


def later_seats(election: Election, outcomes: Sequence[DistrictOutcome]) -> dict[str, dict[str, int]]:
    """District seats per constituency and party ("" for independents) filled after the list allocation: as
    declared (results/district_seats.csv `by-election`) and won in the districts held later (districts.csv
    `by-election`)."""
    seats = {c: dict(p) for c, p in election.results.later_seats.items()}
    later = {d.number: d.constituency for d in election.districts if d.by_election}
    for o in outcomes:
        if o.number not in later:
            continue
        for winner in o.elected:
            here = seats.setdefault(later[o.number] or NATIONAL, {})
            here[winner.party or ""] = here.get(winner.party or "", 0) + 1
    return seats


def _outside_the_allocation(
    election: Election, shared: TierResult, outcomes: Sequence[DistrictOutcome] = ()
) -> TierResult:
    """Seats decided outside the allocation: districts not held (vacant, the body keeps its legal size) and
    districts filled after it by a by-election (added to the party's district seats and to the body)."""
    results = election.results
    filled_later = later_seats(election, outcomes)
    if not filled_later and not results.districts_not_held:
        return shared
    steps = list(shared.steps)
    steps += [Step(StepKind.NOT_HELD, c, None, Fraction(n)) for c, n in results.districts_not_held.items() if n]
    district = dict(shared.district_seats)
    constituencies = {c.name: c for c in shared.constituencies}
    added = 0
    for where, parties in filled_later.items():
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
