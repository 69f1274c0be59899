"""The council: list seats and district seats per party, independents, vacancies, the majority.

Parallel (Kazakhstan 2023): the list tier's seats are shared among lists on list votes alone and added to
the district seats, by one allocation (`apportionment.allocate`). Several constituencies, compensation (MMP,
additional member, coverage), threshold alternatives, fragment votes and the rest that `one_allocation` names
go through `saylau.composition.tiers`. `one_allocation` is the one gate: the projection reads it too, so
what it runs on all draws at once is exactly what `compose` runs as one allocation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from fractions import Fraction

from saylau.apportionment import Allocation, Ballots, Contestant, Threshold, ThresholdBase, allocate
from saylau.composition.admission import base_of
from saylau.composition.deputies import Deputy, constituency_deputies, district_deputies, list_deputies
from saylau.composition.districts import DistrictOutcome, decide_district
from saylau.composition.lots import district_drawing, drawings
from saylau.composition.preferences import TieBreak, TieSettled, preferred_order
from saylau.composition.result import Composition, PartySeats, Step, StepKind, TierResult
from saylau.composition.tiers import share_list_seats
from saylau.domain import Election, Tally, TieTier
from saylau.errors import Phrase, RuleError
from saylau.rules import Combination, Exhausted, FragmentVotes, ListTier, OpenList

NO_LIST_TIER = "this election has no list tier"


def compose(election: Election) -> Composition:
    """Decide every district and the list tier, and put the council together."""
    system = election.system
    outcomes: tuple[DistrictOutcome, ...] = ()
    if system.district_tier is not None:
        outcomes = tuple(
            decide_district(
                d,
                election.results.district_tallies.get(d.number),
                system.district_tier,
                election.results.runoff_tallies.get(d.number),
                district_drawing(election, d.number),
                election.results.rankings.get(d.number, ()),
            )
            for d in sorted(election.districts, key=lambda d: d.number)
        )
    if system.list_tier is not None and election.results.list_tally is not None and not one_allocation(election):
        return _compose_tiers(
            election, system.list_tier, outcomes, share_list_seats(election, outcomes, system.list_tier)
        )
    district_seats = _count_district_seats(outcomes)
    independents = sum(1 for o in outcomes for w in o.elected if w.party is None)
    allocation = None
    list_seats: dict[str, int] = {}
    tally = election.results.list_tally
    if system.list_tier is not None and tally is not None:
        try:
            allocation = _allocate(election, system.list_tier, tally, system.list_tier.seats)
        except RuleError:  # every list used up: the tiers declare the seats filled and the vacancies
            return _compose_tiers(
                election, system.list_tier, outcomes, share_list_seats(election, outcomes, system.list_tier)
            )
        list_seats = dict(allocation.seats)
    elected = {w.name for o in outcomes for w in o.elected}
    deputies = district_deputies(outcomes) + list_deputies(election, list_seats, elected)
    parties = tuple(
        PartySeats(
            p.short_name,
            tally.votes.get(p.short_name, 0) if tally else 0,
            _share(election, tally, p.short_name),
            list_seats.get(p.short_name, 0),
            district_seats.get(p.short_name, 0),
        )
        for p in election.parties_in_registration_order
    )
    return Composition(
        election.body.seats,
        election.body.majority,
        parties,
        independents,
        outcomes,
        allocation,
        tuple(deputies),
        not_held=sum(election.results.districts_not_held.values()),
    )


def _count_district_seats(outcomes: tuple[DistrictOutcome, ...]) -> dict[str, int]:
    """District seats per party: every candidate elected, also those above a tie still open in the district."""
    seats: dict[str, int] = {}
    for o in outcomes:
        for winner in o.elected:
            if winner.party is not None:
                seats[winner.party] = seats.get(winner.party, 0) + 1
    return seats


def one_allocation(election: Election) -> bool:
    """True when the list tier is one allocation of one constituency, in parallel with the districts: no
    constituencies, compensation, fragment votes, seats decided outside the count, joint or aggregate lists,
    threshold alternatives or exemptions, preferential seats, blank votes, lists used up other than by
    recomputing, open lists or individual candidates. Anything else goes through `composition.tiers`."""
    system, tier = election.system, election.system.list_tier
    if tier is None:
        return True
    return not bool(
        election.constituencies
        or system.combination is not Combination.PARALLEL
        or system.fragment_votes is not FragmentVotes.NONE
        or election.results.district_seats
        or election.results.districts_not_held
        or election.results.later_seats
        or any(d.by_election for d in election.districts)
        or any(p.aggregate or p.members > 1 for p in election.parties)
        or tier.threshold_districts is not None
        or tier.threshold_exempt
        or tier.preferential_quota is not None
        or (election.results.list_tally is not None and election.results.list_tally.blank)
        or tier.exhausted is not Exhausted.RECOMPUTE
        or election.constituency_lists
        or tier.open_list is not None
        or any(p.individual or not p.list_ballot for p in election.parties)
    )


def _compose_tiers(
    election: Election, tier: ListTier, outcomes: tuple[DistrictOutcome, ...], shared: TierResult
) -> Composition:
    """The council from the list tier's result under constituencies or a compensation mode."""
    tally = election.results.list_tally
    assert tally is not None
    base = base_of(tier, tally)
    seated = [o for o in outcomes if o.number not in shared.not_seated]
    independents = shared.district_seats.get("", 0)
    elected = {w.name for o in seated for w in o.elected}  # a winner not seated (coverage) may be on a list
    order, more = _open_lists(election, tier, shared, elected)
    listed = constituency_deputies(election, [(c.name, c.list_seats) for c in shared.constituencies], elected, order)
    if tier.open_list is not None:
        listed, shared = _open_list_deputies(election, listed, shared, more)
    deputies = district_deputies(seated) + listed
    parties = tuple(
        PartySeats(
            p.short_name,
            tally.votes.get(p.short_name, 0),
            Fraction(tally.votes.get(p.short_name, 0), base) if base else None,
            shared.list_seats.get(p.short_name, 0),
            shared.district_seats.get(p.short_name, 0),
            shared.uncovered.get(p.short_name, 0),
        )
        for p in election.parties_in_registration_order
    )
    body = election.body
    # The body keeps its legal size when seats stay open (districts not held or vacant, ties left to the
    # commission, lists used up); it grows only where the law grows it (overhang, leveling).
    house = max(shared.house, body.seats)
    return Composition(
        house,
        int(house * body.majority_fraction) + 1,
        parties,
        independents,
        outcomes,
        shared.allocation,
        tuple(deputies),
        shared.constituencies,
        shared.steps,
        shared.admission,
        sum(election.results.districts_not_held.values()),
        shared.vacant_list_seats,
    )


def _open_list_deputies(
    election: Election, listed: list[Deputy], shared: TierResult, more: list[Step]
) -> tuple[list[Deputy], TierResult]:
    """Open lists: each deputy's preference votes; a seat a drawing of lots between tied candidates has still
    to name is left unnamed; the steps of those elected over the threshold and of each tie join the others."""
    votes = election.preferences
    listed = [
        replace(d, preference_votes=votes.get(d.constituency, {}).get(d.party or "", {}).get(d.name, 0))
        if d.name
        else d
        for d in listed
    ]
    waiting = {
        (s.constituency, s.party, name)
        for s in more
        if s.tie is not None and s.tie.settled is TieSettled.UNDECIDED
        for name in s.tie.tied
    }
    listed = [
        replace(d, name=None, list_position=None) if (d.constituency, d.party, d.name) in waiting else d for d in listed
    ]
    chosen = {(d.constituency, d.party, d.name) for d in listed}
    steps = (*shared.steps, *(s for s in more if s.tie is not None or (s.constituency, s.party, s.detail) in chosen))
    return listed, replace(shared, steps=steps)


def _open_lists(
    election: Election, tier: ListTier, shared: TierResult, elected: set[str]
) -> tuple[dict[tuple[str, str], tuple[str, ...]], list[Step]]:
    """Open lists: each list's names in the order its preference votes give (and the steps of those elected
    over the threshold); empty for closed lists."""
    rule = tier.open_list
    if rule is None:
        return {}, []
    order: dict[tuple[str, str], tuple[str, ...]] = {}
    steps: list[Step] = []
    for c in shared.constituencies:
        seats = sum(c.list_seats.values())
        quota = Fraction(sum(c.list_votes.values()), c.list_seats_total) if c.list_seats_total else Fraction(0)
        for party, won in c.list_seats.items():
            party_list = election.list_of(party, c.name)
            if not won or party_list is None or not seats:
                continue
            votes = election.preferences.get(c.name, {}).get(party, {})
            withdrawn = election.registration.withdrawn_from_list(party)
            found = preferred_order(
                rule,
                party_list.candidates,
                votes,
                quota=quota,
                list_votes=c.list_votes.get(party, 0),
                skip=elected | withdrawn,
                ties=_tie_break(election, rule, c.name, party, won),
            )
            order[(c.name, party)] = found.order
            steps += [
                Step(StepKind.PREFERENCE, c.name, party, Fraction(votes.get(n, 0)), found.threshold, n)
                for n in found.over[:won]
            ]
            if found.tie is not None:
                tie = found.tie
                steps.append(
                    Step(StepKind.PREFERENCE_TIE, c.name, party, Fraction(tie.votes), Fraction(tie.seats), tie=tie)
                )
    return order, steps


def _tie_break(election: Election, rule: OpenList, constituency: str, party: str, seats: int) -> TieBreak:
    """What settles equal preference votes on a list that won `seats` there (OpenList.tie)."""
    return TieBreak(
        seats,
        rule.tie,
        election.preference_stations.get(constituency, {}).get(party),
        drawings(election, TieTier.CANDIDATE, constituency=constituency),
        rule.tie_seed,
    )


def _share(election: Election, tally: Tally | None, party: str) -> Fraction | None:
    if tally is None:
        return None
    tier = election.system.list_tier
    base = (tier.threshold_base if tier else ThresholdBase.VALID).of(
        tally.option_votes, tally.against_all, tally.invalid
    )
    return Fraction(tally.votes.get(party, 0), base) if base else None


def list_allocation(election: Election, tally: Tally) -> Allocation:
    """The list tier's one allocation on `tally`, exactly as `compose` runs it when `one_allocation` holds: the
    lists in registration order with their caps (withdrawn candidates and lists), the threshold, the ballots,
    the tie rule and the commission's recorded drawings. The projection decides each drawn count by it."""
    tier = election.system.list_tier
    if tier is None:
        raise RuleError(Phrase(NO_LIST_TIER))
    return _allocate(election, tier, tally, tier.seats)


def list_contestants(election: Election, tally: Tally) -> list[Contestant]:
    """The lists of `list_allocation`, in registration order, each with its cap (None: uncapped): what the
    projection hands the batch allocation, so that its caps are the council's."""
    tier = election.system.list_tier
    if tier is None:
        return []
    return _contestants(election, tier, tally, {}, set())


def list_threshold(tier: ListTier) -> Threshold | None:
    """The tier's threshold as the allocation takes it (None: no threshold)."""
    if tier.threshold_percent is None and tier.threshold_votes is None:
        return None
    return Threshold(tier.threshold_percent, tier.threshold_votes, tier.threshold_base)


def _contestants(
    election: Election, tier: ListTier, tally: Tally, bonus: Mapping[str, int], excluded: set[str]
) -> list[Contestant]:
    """The lists in registration order; each takes at most its list's length (plus `bonus`), if capped.

    An `excluded` party (MMP overhang) or a withdrawn list takes part in the threshold but gets no seat
    from this allocation; withdrawn candidates do not count towards the cap.
    """
    contestants = []
    for p in election.parties_in_registration_order:
        party_list = election.lists.get(p.short_name)
        cap = None
        if tier.cap_at_list_length and party_list is not None:
            withdrawn = election.registration.withdrawn_from_list(p.short_name)
            cap = sum(1 for c in party_list.candidates if c not in withdrawn) + bonus.get(p.short_name, 0)
        if p.short_name in excluded or election.registration.list_withdrawn(p.short_name):
            cap = 0
        contestants.append(Contestant(p.short_name, tally.votes.get(p.short_name, 0), cap))
    return contestants


def _allocate(
    election: Election,
    tier: ListTier,
    tally: Tally,
    seats: int,
    bonus: Mapping[str, int] | None = None,
    excluded: set[str] | None = None,
) -> Allocation:
    return allocate(
        _contestants(election, tier, tally, bonus or {}, excluded or set()),
        seats,
        tier.method,
        threshold=list_threshold(tier),
        min_admitted=tier.min_admitted,
        ballots=Ballots(tally.against_all, tally.invalid),
        tie=tier.tie,
        seed=tier.tie_seed,
        drawn=drawings(election, TieTier.LIST),
    )
