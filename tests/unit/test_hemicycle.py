"""The hemicycle SVG: one circle per seat, coloured and counted per holder, in a stable order."""

from __future__ import annotations

import re
from datetime import date
from fractions import Fraction

import pytest

from saylau.analysis import Comparison, PartyChange
from saylau.composition import Composition, PartySeats
from saylau.composition.districts import Decision, DistrictOutcome, DistrictStatus
from saylau.domain import Body, Election, Party, PreviousElection, PreviousParty, Results
from saylau.reports import hemicycle
from saylau.reports.hemicycle import blocks, render_hemicycle, seat_positions
from saylau.result import Result
from saylau.rules import ElectoralSystem


def make_result(independents: int = 1, open_districts: int = 1) -> Result:
    """A small council built by hand: 11 seats, A 6, B 3, 0 for C, one independent, one open district."""
    parties = (
        Party("A", "Party A", 1, colour="#1565c0", leader="Ann", leader_since="1 May 2020"),
        Party("B", "Party B", 2, colour="#c62828", leader="Bob"),
        Party("C", "Party C & Co", 3, colour="#2e7d32"),
    )
    election = Election(
        "2024 Test City election",
        Body("Test City Council", 11),
        ElectoralSystem(),
        parties,
        {},
        (),
        Results(),
        date=date(2024, 3, 1),
        secretary_before="Old Sec",
        secretary_before_party="A",
        secretary_after="New Sec",
        secretary_after_party="A",
    )
    lines = (
        PartySeats("A", 500, Fraction(1, 2), 3, 3),
        PartySeats("B", 300, Fraction(3, 10), 2, 1),
        PartySeats("C", 150, Fraction(3, 20), 0, 0),
    )
    open_seats = tuple(
        DistrictOutcome(90 + i, DistrictStatus.REPEAT_ELECTION, None, (), 0, Decision.AGAINST_ALL_LED)
        for i in range(open_districts)
    )
    composition = Composition(11, 6, lines, independents, open_seats, None, ())
    previous = PreviousElection(
        "2019 Test City election", 9, Fraction(30), (PreviousParty("A", Fraction(60), 7), PreviousParty("B", None, 2))
    )
    comparison = Comparison(
        previous,
        (
            PartyChange("A", 6, Fraction(50), 7, Fraction(60)),
            PartyChange("B", 3, Fraction(30), 2, None),
            PartyChange("C", 0, Fraction(15), None, None),
        ),
        Fraction(25),
    )
    return Result(election, composition, comparison)


def seats_of(svg: str) -> list[str]:
    return re.findall(r'<circle class="seat" data-party="([^"]*)"', svg)


class TestRenderHemicycle:
    def test_one_circle_per_seat(self) -> None:
        assert len(seats_of(render_hemicycle(make_result()))) == 11

    def test_counts_per_holder_in_stable_order(self) -> None:
        """Registration order, then independents, then open seats; C has no seat and no circle."""
        svg = render_hemicycle(make_result())
        assert seats_of(svg) == ["A"] * 6 + ["B"] * 3 + ["independent"] + ["vacant"]

    def test_colours_and_vacancy_outline(self) -> None:
        svg = render_hemicycle(make_result())
        assert svg.count('fill="#1565c0"') == 6 + 1  # six seats and the legend swatch
        assert re.search(r'data-party="vacant"[^>]*fill="#ffffff" stroke="#333333"', svg)

    def test_legend_and_majority(self) -> None:
        svg = render_hemicycle(make_result())
        assert (
            ">A: 6<" in svg
            and ">B: 3<" in svg
            and ">Independents: 1<" in svg
            and ">Vacant (repeat election or tie): 1<" in svg
        )
        assert 'class="majority"' in svg
        assert "6 seats for a majority of 11" in svg

    def test_names_are_escaped(self) -> None:
        result = make_result()
        assert [b.holder for b in blocks(result)] == ["A", "B", "independent", "vacant"]
        assert "<svg" in render_hemicycle(result) and "&" not in render_hemicycle(result).replace("&amp;", "")

    def test_full_council_has_no_vacancy(self) -> None:
        svg = render_hemicycle(make_result(independents=2, open_districts=0))
        assert seats_of(svg).count("vacant") == 0
        assert seats_of(svg).count("independent") == 2


class TestSeatPositions:
    @pytest.mark.parametrize("seats", [1, 2, 5, 21, 39, 42, 150])
    def test_as_many_positions_as_seats_all_distinct(self, seats: int) -> None:
        positions = seat_positions(seats)
        assert len(positions) == seats
        assert len({(round(x, 3), round(y, 3)) for x, y in positions}) == seats

    def test_runs_left_to_right(self) -> None:
        """The first seat is at the left end of the arcs (on the baseline), the last at the right end."""
        positions = seat_positions(42)
        assert positions[0][0] < 200 < positions[-1][0]  # the centre line is x = 200
        baseline = hemicycle._CENTRE_Y
        assert positions[0][1] == pytest.approx(baseline) and positions[-1][1] == pytest.approx(baseline)
        xs = [x for x, _ in positions]
        assert xs.index(min(xs)) < len(xs) // 4 and xs.index(max(xs)) > 3 * len(xs) // 4
