"""Properties of every compensation mode, on random elections (hypothesis).

The expected shares come from the apportionment engine's public `allocate`, never from the code under test:
- parallel and additional-member: seats = list seats + district seats, every district seat kept;
- compensatory, overhang grown: the body grows by the overhang; a party never has fewer than its districts;
- compensatory, overhang absorbed: the body keeps its size; a party never has fewer than its districts;
- compensatory, leveling: every party has at least its districts and its proportional share of the body;
- coverage: the body keeps its size; every party has exactly its proportional share; no more district seats
  seated than won.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.apportionment import Contestant, Method, allocate
from saylau.composition import compose
from saylau.domain import Body, Election, Party, Results, Tally
from saylau.rules import Combination, DistrictTier, ElectoralSystem, ListTier, Overhang

METHODS = [Method.DHONDT, Method.SAINTE_LAGUE, Method.HARE]


@st.composite
def elections(draw: st.DrawFn) -> tuple[list[int], list[int], int, int]:
    """Votes and districts won per party, list seats and districts in all."""
    n = draw(st.integers(2, 6))
    votes = draw(st.lists(st.integers(1_000, 100_000), min_size=n, max_size=n))
    districts = draw(st.integers(1, 30))
    won = [0] * n
    for _ in range(districts):
        won[draw(st.integers(0, n - 1))] += 1
    list_seats = draw(st.integers(1, 30))
    return votes, won, list_seats, districts


def build(
    votes: list[int], won: list[int], list_seats: int, combination: Combination, method: Method, overhang: Overhang
) -> Election:
    names = [f"P{i}" for i in range(len(votes))]
    tier = ListTier(seats=list_seats, method=method, threshold_percent=None, min_admitted=0, cap_at_list_length=False)
    system = ElectoralSystem(list_tier=tier, district_tier=DistrictTier(), combination=combination, overhang=overhang)
    tally = Tally(dict(zip(names, votes, strict=True)), took_part=sum(votes))
    declared = {"": {n: w for n, w in zip(names, won, strict=True) if w}}
    return Election(
        name="random",
        body=Body("Council", list_seats + sum(won)),
        system=system,
        parties=tuple(Party(n, n, i + 1) for i, n in enumerate(names)),
        lists={},
        districts=(),
        results=Results(list_tally=tally, district_seats=declared),
    )


def share(votes: list[int], seats: int, method: Method) -> dict[str, int]:
    names = [f"P{i}" for i in range(len(votes))]
    return dict(allocate([Contestant(n, v) for n, v in zip(names, votes, strict=True)], seats, method).seats)


SETTINGS = settings(max_examples=60, deadline=None)


@SETTINGS
@given(elections(), st.sampled_from(METHODS))
def test_parallel_adds_list_seats_to_district_seats(
    case: tuple[list[int], list[int], int, int], method: Method
) -> None:
    votes, won, list_seats, _ = case
    c = compose(build(votes, won, list_seats, Combination.PARALLEL, method, Overhang.ABSORB))
    assert c.seats_filled == c.seats_total == list_seats + sum(won)
    for i, p in enumerate(c.parties):
        assert p.district_seats == won[i]
    assert sum(p.list_seats for p in c.parties) == list_seats


@SETTINGS
@given(elections(), st.sampled_from(METHODS))
def test_grown_overhang_keeps_every_district_and_grows_the_body(
    case: tuple[list[int], list[int], int, int], method: Method
) -> None:
    votes, won, list_seats, districts = case
    body = list_seats + districts
    c = compose(build(votes, won, list_seats, Combination.COMPENSATORY, method, Overhang.GROW))
    entitled = share(votes, body, method)
    overhang = sum(max(0, won[i] - entitled[f"P{i}"]) for i in range(len(votes)))
    assert c.seats_total == c.seats_filled == body + overhang
    for i, p in enumerate(c.parties):
        assert p.seats == max(entitled[p.party], won[i]) >= won[i]


@SETTINGS
@given(elections(), st.sampled_from(METHODS))
def test_absorbed_overhang_keeps_the_body_size(case: tuple[list[int], list[int], int, int], method: Method) -> None:
    votes, won, list_seats, districts = case
    c = compose(build(votes, won, list_seats, Combination.COMPENSATORY, method, Overhang.ABSORB))
    assert c.seats_total == c.seats_filled == list_seats + districts
    for i, p in enumerate(c.parties):
        assert p.seats >= won[i]


@SETTINGS
@given(elections(), st.sampled_from(METHODS))
def test_leveling_gives_every_party_its_share_and_its_districts(
    case: tuple[list[int], list[int], int, int], method: Method
) -> None:
    votes, won, list_seats, districts = case
    body = list_seats + districts
    c = compose(build(votes, won, list_seats, Combination.COMPENSATORY, method, Overhang.LEVEL))
    entitled = share(votes, body, method)
    assert c.seats_filled == c.seats_total >= body
    for i, p in enumerate(c.parties):
        assert p.seats >= won[i]
        assert p.seats >= entitled[p.party]
    # leveling is proportional in the grown body: each party has exactly its share of it
    assert {p.party: p.seats for p in c.parties} == share(votes, c.seats_total, method)


@SETTINGS
@given(elections(), st.sampled_from([Method.DHONDT, Method.SAINTE_LAGUE]))
def test_additional_member_keeps_districts_and_hands_out_every_list_seat(
    case: tuple[list[int], list[int], int, int], method: Method
) -> None:
    votes, won, list_seats, districts = case
    c = compose(build(votes, won, list_seats, Combination.ADDITIONAL_MEMBER, method, Overhang.ABSORB))
    assert c.seats_filled == c.seats_total == list_seats + districts
    for i, p in enumerate(c.parties):
        assert p.district_seats == won[i]


@SETTINGS
@given(elections(), st.sampled_from(METHODS))
def test_coverage_gives_exactly_the_share_and_seats_no_more_winners_than_covered(
    case: tuple[list[int], list[int], int, int], method: Method
) -> None:
    votes, won, list_seats, districts = case
    body = list_seats + districts
    c = compose(build(votes, won, list_seats, Combination.COVERAGE, method, Overhang.ABSORB))
    entitled = share(votes, body, method)
    assert c.seats_total == c.seats_filled == body
    for i, p in enumerate(c.parties):
        assert p.seats == entitled[p.party]
        assert p.district_seats == min(won[i], entitled[p.party])
        assert p.uncovered == won[i] - p.district_seats


def test_the_additional_member_divisor_counts_districts_won() -> None:
    """Scotland's rule by hand: A 100 votes with 2 districts (100/3 = 33.3) loses the seat to B 40/1."""
    c = compose(build([100, 40], [2, 0], 1, Combination.ADDITIONAL_MEMBER, Method.DHONDT, Overhang.ABSORB))
    assert {p.party: (p.list_seats, p.district_seats) for p in c.parties} == {"P0": (0, 2), "P1": (1, 0)}
    assert Fraction(40) in {s.other for s in c.steps}
