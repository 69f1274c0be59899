"""The Kazakh preset's rules on small hand-made elections, arithmetic in each docstring."""

from __future__ import annotations

from saylau.composition import DistrictStatus, compose
from saylau.domain import Body, Candidate, District, Election, Party, Results, Tally
from saylau.rules import resolve_system


def election(
    votes: dict[str, int],
    seats: int,
    *,
    order: list[str] | None = None,
    against_all: int = 0,
    districts: tuple[District, ...] = (),
    district_tallies: dict[int, Tally] | None = None,
) -> Election:
    """A small election under the kazakhstan-2023-maslihat preset; `order` is the registration order."""
    order = order or list(votes)
    parties = tuple(Party(name, name, order.index(name) + 1) for name in votes)
    valid = sum(votes.values()) + against_all
    system = resolve_system(
        "kazakhstan-2023-maslihat", {}, list_seats=seats - len(districts), has_districts=bool(districts)
    )
    return Election(
        "test",
        Body("Council", seats),
        system,
        parties,
        {},
        districts,
        Results(Tally(votes, against_all, 0, valid, valid * 2), district_tallies or {}),
    )


def list_seats(e: Election) -> dict[str, int]:
    return {p.party: p.list_seats for p in compose(e).parties}


def test_tie_of_remainders_goes_to_the_list_registered_earlier() -> None:
    """3 seats, A 100, B 100: quota 200/3; each 1 seat, remainders 100 - 200/3 = 100/3 both.

    One seat left, tied: B registered first (order B, A) and takes it, though A comes first in the input.
    """
    result = compose(election({"A": 100, "B": 100}, 3, order=["B", "A"]))
    assert {p.party: p.list_seats for p in result.parties} == {"A": 1, "B": 2}
    assert result.list_allocation is not None
    assert len(result.list_allocation.ties) == 1


def test_a_party_exactly_at_five_percent_passes() -> None:
    """A 170, B 20, C 10 of 200 valid: C has exactly 5.00% and passes. Quota 200/20 = 10: 17, 2, 1."""
    assert list_seats(election({"A": 170, "B": 20, "C": 10}, 20)) == {"A": 17, "B": 2, "C": 1}


def test_a_party_just_under_five_percent_fails() -> None:
    """A 170, B 20, C 9 of 199: C has 4.52% and fails; A and B share 20 seats: quota 9.5, 17.89 -> 18, 2.1 -> 2."""
    assert list_seats(election({"A": 170, "B": 20, "C": 9}, 20)) == {"A": 18, "B": 2, "C": 0}


def test_against_all_counts_in_the_threshold_base() -> None:
    """A 170, B 20, C 10 with 10 "against all": base 210, C has 4.76% and fails."""
    assert list_seats(election({"A": 170, "B": 20, "C": 10}, 20, against_all=10))["C"] == 0


def test_only_one_party_over_the_threshold_admits_the_next_largest() -> None:
    """A 800, B 20, C 40 of 860: B has 2.33%, C 4.65%; only A passes, so C (next largest) is admitted.

    Quota (800 + 40) / 10 = 84: A 9.52 -> 9, C 0.476 -> 0; remainders A 0.524 > C 0.476: A takes the 10th.
    """
    result = compose(election({"A": 800, "B": 20, "C": 40}, 10))
    assert {p.party: p.list_seats for p in result.parties} == {"A": 10, "B": 0, "C": 0}
    assert result.list_allocation is not None
    admitted = {line.name for line in result.list_allocation.threshold.lines if line.admitted_by_minimum}
    assert admitted == {"C"}


def test_the_admitted_second_party_can_win_a_seat() -> None:
    """A 800, B 20, C 43 of 863: C has 4.98% and is admitted by the at-least-two rule.

    Quota 843/10 = 84.3: A 9.49 -> 9, C 0.51 -> 0; remainders C 0.51 > A 0.49: C takes the 10th seat.
    """
    assert list_seats(election({"A": 800, "B": 20, "C": 43}, 10)) == {"A": 9, "B": 0, "C": 1}


def test_against_all_leading_a_district_leaves_it_vacant() -> None:
    """X 30, Y 20, against all 40: no winner; the preset calls a repeat election and the seat is vacant."""
    district = District(1, (Candidate("X", "A"), Candidate("Y", None)))
    tally = Tally({"X": 30, "Y": 20}, 40, 0, 90, 200)
    result = compose(election({"A": 60, "B": 40}, 3, districts=(district,), district_tallies={1: tally}))
    outcome = result.districts[0]
    assert outcome.status is DistrictStatus.REPEAT_ELECTION and outcome.winner is None
    assert [v.number for v in result.vacancies] == [1]
    assert result.seats_filled == 2


def test_a_candidate_level_with_against_all_is_elected() -> None:
    """X 40, against all 40: "against all" does not lead, X wins by plurality."""
    district = District(1, (Candidate("X", "A"), Candidate("Y", None)))
    tally = Tally({"X": 40, "Y": 20}, 40, 0, 100, 200)
    result = compose(election({"A": 60, "B": 40}, 3, districts=(district,), district_tallies={1: tally}))
    assert result.districts[0].winner == Candidate("X", "A")


def test_tied_district_leaders_are_left_to_the_commission() -> None:
    """X 40, Y 40: the preset's tie rule is "decide": no winner, the tied names recorded."""
    district = District(1, (Candidate("X", "A"), Candidate("Y", None)))
    tally = Tally({"X": 40, "Y": 40}, 10, 0, 90, 200)
    outcome = compose(election({"A": 60, "B": 40}, 3, districts=(district,), district_tallies={1: tally})).districts[0]
    assert outcome.status is DistrictStatus.TIE_UNDECIDED
    assert outcome.tied == ("X", "Y")


def test_an_independent_winner_counts_as_independent() -> None:
    district = District(1, (Candidate("X", "A"), Candidate("Y", None)))
    tally = Tally({"X": 30, "Y": 50}, 10, 0, 90, 200)
    result = compose(election({"A": 60, "B": 40}, 3, districts=(district,), district_tallies={1: tally}))
    assert result.independents == 1
    assert result.party("A") is not None and result.party("A").district_seats == 0  # type: ignore[union-attr]
