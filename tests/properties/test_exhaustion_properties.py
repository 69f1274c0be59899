"""Lists that run out of names, on random elections (hypothesis): in every compensation mode and under every
`exhausted` setting, no list holds more list seats than it has names left, filled and vacant seats add up to
the body, and the deputies named are the seats held (no "candidate not recorded" where the lists are)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.apportionment import Method
from saylau.composition import SeatKind, compose
from saylau.domain import Body, Election, Party, PartyList, Results, Tally
from saylau.rules import Combination, DistrictTier, ElectoralSystem, Exhausted, ListTier, Overhang


@st.composite
def elections(draw: st.DrawFn) -> tuple[list[int], list[int], list[int], int]:
    """Votes, districts won and list lengths per party, and the list seats."""
    n = draw(st.integers(2, 5))
    votes = draw(st.lists(st.integers(100, 10_000), min_size=n, max_size=n))
    won = [0] * n
    for _ in range(draw(st.integers(0, 12))):
        won[draw(st.integers(0, n - 1))] += 1
    lengths = draw(st.lists(st.integers(0, 8), min_size=n, max_size=n))
    return votes, won, lengths, draw(st.integers(1, 20))


def build(
    case: tuple[list[int], list[int], list[int], int], combination: Combination, mode: Exhausted, method: Method
) -> Election:
    votes, won, lengths, list_seats = case
    names = [f"P{i}" for i in range(len(votes))]
    tier = ListTier(seats=list_seats, method=method, threshold_percent=None, min_admitted=0, exhausted=mode)
    system = ElectoralSystem(
        list_tier=tier, district_tier=DistrictTier(), combination=combination, overhang=Overhang.GROW
    )
    lists = {
        n: PartyList(n, tuple(f"{n}-{k}" for k in range(1, length + 1)))
        for n, length in zip(names, lengths, strict=True)
    }
    return Election(
        name="random",
        body=Body("Council", list_seats + sum(won)),
        system=system,
        parties=tuple(Party(n, n, i + 1) for i, n in enumerate(names)),
        lists=lists,
        districts=(),
        results=Results(
            list_tally=Tally(dict(zip(names, votes, strict=True)), took_part=sum(votes)),
            district_seats={"": {n: w for n, w in zip(names, won, strict=True) if w}},
        ),
    )


@settings(max_examples=150, deadline=None)
@given(
    elections(),
    st.sampled_from([Combination.PARALLEL, Combination.ADDITIONAL_MEMBER, Combination.COMPENSATORY]),
    st.sampled_from(list(Exhausted)),
    st.sampled_from([Method.DHONDT, Method.HARE, Method.SAINTE_LAGUE]),
)
def test_no_list_holds_more_seats_than_names_and_the_seats_add_up(
    case: tuple[list[int], list[int], list[int], int], combination: Combination, mode: Exhausted, method: Method
) -> None:
    if combination is Combination.ADDITIONAL_MEMBER and method is Method.HARE:
        method = Method.DHONDT  # the additional-member mode is a divisor method
    _votes, won, lengths, list_seats = case
    composition = compose(build(case, combination, mode, method))
    for party, length in zip(composition.parties, lengths, strict=True):
        assert party.list_seats <= length
    assert (
        composition.seats_filled + composition.vacant_seats + composition.undecided_list_seats
        == composition.seats_total
    )
    assert composition.seats_total >= list_seats + sum(won)
    if combination is not Combination.COMPENSATORY:
        assert composition.seats_total == list_seats + sum(won)
        assert sum(p.list_seats for p in composition.parties) + composition.vacant_list_seats == list_seats
    named = [d for d in composition.deputies if d.kind is SeatKind.LIST]
    assert len(named) == sum(p.list_seats for p in composition.parties)
    assert all(d.name for d in named) and len({d.name for d in named}) == len(named)
    if mode is not Exhausted.VACANT and combination is not Combination.COMPENSATORY and sum(lengths) >= list_seats:
        assert composition.vacant_list_seats == 0  # enough names in all: nothing vacant, the seats go on
