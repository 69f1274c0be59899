"""Ties of preference votes on random open lists (hypothesis): whatever the tie rule, a list's seats go to every
candidate with more votes than the last seat's and to as many of those with exactly its votes as seats are
left; the tie rule only chooses among the latter, and a seeded lot is replayed by its seed."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.composition.preferences import TieBreak, TieSettled, preferred_order
from saylau.rules import CandidateTie, OpenList, PreferenceBase, PreferenceRest

POLAND = OpenList(base=PreferenceBase.VOTES, votes=0, rest=PreferenceRest.PREFERENCE)


@st.composite
def lists(draw: st.DrawFn) -> tuple[tuple[str, ...], dict[str, int], dict[int, dict[str, int]], int]:
    names = tuple(f"c{i}" for i in range(draw(st.integers(2, 8))))
    stations = {s: {n: draw(st.integers(0, 4)) for n in names} for s in range(1, draw(st.integers(1, 4)) + 1)}
    votes = {n: sum(c[n] for c in stations.values()) for n in names}
    return names, votes, stations, draw(st.integers(1, len(names) - 1))


@settings(max_examples=300, deadline=None)
@given(lists(), st.sampled_from(list(CandidateTie)), st.integers(0, 5))
def test_the_tie_rule_only_chooses_among_those_equal_at_the_last_seat(
    case: tuple[tuple[str, ...], dict[str, int], dict[int, dict[str, int]], int], rule: CandidateTie, seed: int
) -> None:
    names, votes, stations, seats = case
    ties = TieBreak(seats, rule, stations, (), seed)
    found = preferred_order(POLAND, names, votes, quota=Fraction(1), list_votes=sum(votes.values()), ties=ties)
    assert sorted(found.order) == sorted(names)
    elected = found.order[:seats]
    last = sorted(votes.values(), reverse=True)[seats - 1]
    assert {n for n in names if votes[n] > last} <= set(elected)
    assert all(votes[n] >= last for n in elected)
    if found.tie is not None and found.tie.settled is not TieSettled.UNDECIDED:
        assert set(found.tie.winners) <= set(elected)
    again = preferred_order(POLAND, names, votes, quota=Fraction(1), list_votes=sum(votes.values()), ties=ties)
    assert again == found
