"""Drawings of lots recorded by the commission: hand-made tied elections, arithmetic in each docstring."""

from __future__ import annotations

from dataclasses import replace

from saylau.apportionment import Contestant, Drawing, TieRule, allocate
from saylau.composition import Decision, DistrictStatus
from saylau.composition.lots import Misfit
from saylau.domain import (
    Body,
    Candidate,
    Constituency,
    District,
    Election,
    LotDecision,
    Party,
    Results,
    Tally,
    TieTier,
)
from saylau.result import declare
from saylau.rules import resolve_system

LIST = {"A": 100, "B": 100, "C": 50}
"""4 list seats, Hare: quota 250/4 = 62.5. A 100/62.5 = 1 rest 37.5, B the same, C 0 rest 50. Three seats by
the integer parts and C's remainder; the fourth is tied between A and B (37.5 each): left to the commission."""


def election(decisions: tuple[LotDecision, ...] = (), *, district: dict[str, int] | None = None) -> Election:
    """4 list seats (votes `LIST`, tie = "decide") and one district whose candidates X (A) and Y (B) got
    `district` votes (a 40:40 tie unless given)."""
    system = resolve_system(
        "kazakhstan-2023-maslihat", {"list_tier": {"tie": "decide"}}, list_seats=4, has_districts=True
    )
    parties = tuple(Party(name, name, i) for i, name in enumerate(LIST, 1))
    one = District(1, (Candidate("X", "A"), Candidate("Y", "B"), Candidate("Z", None)))
    votes = district or {"X": 40, "Y": 40, "Z": 5}
    valid = sum(LIST.values())
    results = Results(Tally(LIST, 0, 0, valid, 1000), {1: Tally(votes, 5, 0, sum(votes.values()) + 5, 1000)})
    return Election("tied", Body("Council", 5), system, parties, {}, (one,), results, decisions=decisions)


def list_seats(e: Election) -> dict[str, int]:
    return {p.party: p.list_seats for p in declare(e).composition.parties}


LIST_DRAWN = LotDecision(TieTier.LIST, ("B", "A"), 1, ("B",), drawn_on="2023-03-21", recorded_by="secretary")
DISTRICT_DRAWN = LotDecision(TieTier.DISTRICT, ("X", "Y"), 1, ("Y",), district=1)


def test_without_a_drawing_the_tied_seats_wait_for_the_commission() -> None:
    """A 1, B 1, C 1 decided; one seat among A and B left; X and Y tied in district 1: two drawings required."""
    result = declare(election())
    assert list_seats(result.election) == {"A": 1, "B": 1, "C": 1}
    required = result.lots_required
    assert [(t.tier, t.tied, t.seats, t.votes) for t in required] == [
        (TieTier.LIST, ("A", "B"), 1, (100, 100)),
        (TieTier.DISTRICT, ("X", "Y"), 1, (40, 40)),
    ]
    assert result.composition.districts[0].status is DistrictStatus.TIE_UNDECIDED
    assert result.misfits == ()


def test_a_recorded_list_drawing_gives_the_seat_and_says_so() -> None:
    """The lot gave the fourth seat to B: A 1, B 2, C 1; the trace records the tie as drawn by the commission."""
    result = declare(election((LIST_DRAWN,)))
    assert list_seats(result.election) == {"A": 1, "B": 2, "C": 1}
    allocation = result.composition.list_allocation
    assert allocation is not None and allocation.undecided is None
    (tie,) = allocation.ties
    assert (tie.names, tie.winners, tie.rule, tie.drawn) == (("A", "B"), ("B",), TieRule.DECIDE, True)
    (settled,) = [t for t in result.ties if t.tier is TieTier.LIST]
    assert (settled.decision, settled.winners) == (0, ("B",))
    assert result.misfits == ()


def test_a_recorded_district_drawing_elects_the_winner_drawn() -> None:
    """X 40, Y 40, Z 5: the lot gave the seat to Y (party B)."""
    result = declare(election((DISTRICT_DRAWN,)))
    outcome = result.composition.districts[0]
    assert (outcome.status, outcome.decision, outcome.winner) == (
        DistrictStatus.ELECTED,
        Decision.DRAWN,
        Candidate("Y", "B"),
    )
    assert outcome.tied == ("X", "Y")
    assert result.composition.party("B") is not None and result.composition.party("B").district_seats == 1  # type: ignore[union-attr]
    assert [t.tier for t in result.lots_required] == [TieTier.LIST]


def test_both_drawings_complete_the_council() -> None:
    result = declare(election((DISTRICT_DRAWN, LIST_DRAWN)))
    assert result.lots_required == () and result.misfits == ()
    assert result.composition.seats_filled == 5


def test_a_winner_not_in_the_tie_is_refused_and_decides_nothing() -> None:
    """C is not tied (it won its seat by remainder 50): the record settles nothing, the seat stays open."""
    wrong = LotDecision(TieTier.LIST, ("A", "B"), 1, ("C",))
    result = declare(election((wrong,)))
    assert list_seats(result.election) == {"A": 1, "B": 1, "C": 1}
    (refusal,) = result.misfits
    assert (refusal.index, refusal.misfit, refusal.field) == (0, Misfit.NOT_TIED, "winners")


def test_the_wrong_number_of_winners_is_refused() -> None:
    both = LotDecision(TieTier.DISTRICT, ("X", "Y"), 1, ("X", "Y"), district=1)
    (refusal,) = declare(election((both,))).misfits
    assert (refusal.misfit, refusal.field) == (Misfit.WINNERS, "winners")


def test_other_tied_names_or_seats_are_refused() -> None:
    other = LotDecision(TieTier.DISTRICT, ("X", "Z"), 1, ("X",), district=1)
    seats = LotDecision(TieTier.LIST, ("A", "B"), 2, ("A", "B"))
    refusals = declare(election((other, seats))).misfits
    assert [(r.index, r.misfit, r.field) for r in refusals] == [
        (0, Misfit.OTHER_TIE, "tied"),
        (1, Misfit.SEATS, "seats"),
    ]
    assert refusals[0].tie is not None and refusals[0].tie.tied == ("X", "Y")


def test_a_drawing_for_a_tie_that_does_not_occur_is_refused() -> None:
    """X 41, Y 40: X wins outright; a recorded drawing for district 1 settles nothing."""
    result = declare(election((DISTRICT_DRAWN,), district={"X": 41, "Y": 40, "Z": 5}))
    assert result.composition.districts[0].winner == Candidate("X", "A")
    (refusal,) = result.misfits
    assert (refusal.misfit, refusal.field, refusal.tie) == (Misfit.NO_TIE, "district", None)


def test_a_second_drawing_for_a_settled_tie_is_refused() -> None:
    again = LotDecision(TieTier.DISTRICT, ("Y", "X"), 1, ("X",), district=1)
    result = declare(election((DISTRICT_DRAWN, again)))
    assert result.composition.districts[0].winner == Candidate("Y", "B"), "the first record settles it"
    (refusal,) = result.misfits
    assert (refusal.index, refusal.misfit) == (1, Misfit.TWICE)


def test_a_drawing_settles_a_divisor_tie_and_only_under_decide() -> None:
    """D'Hondt, 3 seats, P 60, Q 30, R 30: averages P 60, 30, 20; Q 30; R 30. Seat 1 P (60); then P, Q and
    R all at 30 for 2 seats: a tie of averages. The lot gave them to Q and R."""
    lists = [Contestant("P", 60), Contestant("Q", 30), Contestant("R", 30)]
    drawn = (Drawing(frozenset({"P", "Q", "R"}), 2, ("Q", "R")),)
    result = allocate(lists, 3, "dhondt", tie=TieRule.DECIDE, drawn=drawn)  # type: ignore[arg-type]
    assert dict(result.seats) == {"P": 1, "Q": 1, "R": 1}
    assert result.undecided is None and result.ties[0].drawn
    ordered = allocate(lists, 3, "dhondt", tie=TieRule.REGISTRATION_ORDER, drawn=drawn)  # type: ignore[arg-type]
    assert dict(ordered.seats) == {"P": 2, "Q": 1, "R": 0}, "another tie rule ignores drawings"


def test_a_multi_member_district_tie_for_its_last_seat() -> None:
    """Two seats: K 50 sure; L 30, M 30 tied for the last seat; the lot gave it to M."""
    district = District(1, (Candidate("K", "A"), Candidate("L", "B"), Candidate("M", "C")), seats=2)
    system = resolve_system("kazakhstan-2023-maslihat", {}, list_seats=1, has_districts=True)
    results = Results(None, {1: Tally({"K": 50, "L": 30, "M": 30}, 0, 0, 110, 200)})
    parties = tuple(Party(name, name, i) for i, name in enumerate("ABC", 1))
    base = Election(
        "mm", Body("Council", 2), system.model_copy(update={"list_tier": None}), parties, {}, (district,), results
    )
    open_ = declare(base)
    assert [(t.tied, t.seats) for t in open_.lots_required] == [(("L", "M"), 1)]
    drawn = LotDecision(TieTier.DISTRICT, ("L", "M"), 1, ("M",), district=1)
    outcome = declare(replace(base, decisions=(drawn,))).composition.districts[0]
    assert [c.name for c in outcome.elected] == ["K", "M"]
    assert outcome.decision is Decision.DRAWN


def test_a_tie_in_one_list_constituency_is_settled_there_only() -> None:
    """North 1 seat: A 100, B 100, quota 200, both remainder 100: tied. South 3 seats: A 300, B 100, quota 400/3;
    A 2 seats (remainder 100/3), B 0 (remainder 100) takes the third: no tie. The North record settles North."""
    system = resolve_system(
        "kazakhstan-2023-maslihat", {"list_tier": {"tie": "decide"}}, list_seats=4, has_districts=False
    )
    tallies = {
        "North": Tally({"A": 100, "B": 100}, 0, 0, 200, 400),
        "South": Tally({"A": 300, "B": 100}, 0, 0, 400, 800),
    }
    results = Results(Tally({"A": 400, "B": 200}, 0, 0, 600, 1200), constituency_tallies=tallies)
    parties = (Party("A", "A", 1), Party("B", "B", 2))
    places = (Constituency("North", 1), Constituency("South", 3))
    base = Election("regions", Body("Council", 4), system, parties, {}, (), results, constituencies=places)
    open_ = declare(base)
    assert [(t.constituency, t.tied, t.seats) for t in open_.lots_required] == [("North", ("A", "B"), 1)]
    south = LotDecision(TieTier.LIST, ("A", "B"), 1, ("B",), constituency="South")
    north = LotDecision(TieTier.LIST, ("A", "B"), 1, ("B",), constituency="North")
    settled = declare(replace(base, decisions=(south, north)))
    assert {p.party: p.list_seats for p in settled.composition.parties} == {"A": 2, "B": 2}
    assert settled.lots_required == ()
    assert [(r.index, r.misfit) for r in settled.misfits] == [(0, Misfit.NO_TIE)], "no tie in the South"
