"""The single transferable vote on hand-made ballots: every figure below is worked by hand in the docstring."""

from __future__ import annotations

from fractions import Fraction

from saylau.apportionment import Drawing
from saylau.composition.stv import RankedBallot, StageKind, count_stv
from saylau.reports.stv import explain_count
from saylau.rules import STVRules, SurplusTransfer

WIGM = STVRules()
LAST = STVRules(surplus=SurplusTransfer.LAST_PARCEL)


def ballots(*rows: tuple[int, str]) -> list[RankedBallot]:
    return [RankedBallot(tuple(r), n) for n, r in rows]


def test_a_surplus_passes_on_and_elects() -> None:
    """100 valid, 2 seats: quota floor(100 / 3) + 1 = 34. A 60 is elected; A's surplus 26 passes on from its 60
    papers (A>B) at 26/60 each: B 25 + 26 = 51, elected."""
    count = count_stv("ABC", ballots((60, "AB"), (25, "B"), (15, "CB")), 2, WIGM)
    assert (count.quota, count.elected) == (34, ("A", "B"))
    second = count.stages[1]
    assert (second.kind, second.candidate, second.transfer_value) == (StageKind.SURPLUS, "A", Fraction(26, 60))
    assert dict(second.transfers) == {"A": -26, "B": 26}
    assert dict(second.totals) == {"A": 34, "B": 51, "C": 15}


def test_the_lowest_is_excluded_and_its_papers_pass_on() -> None:
    """1 seat, quota 51: nobody at count 1; C (25) is excluded, its papers go to B: 35 + 25 = 60."""
    count = count_stv("ABC", ballots((40, "A"), (35, "B"), (25, "CB")), 1, WIGM)
    assert count.elected == ("B",)
    assert [(s.kind, s.candidate) for s in count.stages] == [(StageKind.FIRST, None), (StageKind.EXCLUSION, "C")]
    assert count.stages[1].totals["B"] == 60


def test_a_tie_for_exclusion_looks_back_to_the_earliest_count_with_unequal_votes() -> None:
    """A 40, B 28, C 27, D 1 (D>C): D is excluded (count 2), C 28 ties B 28; at count 1 C had fewer, so C goes."""
    count = count_stv("ABCD", ballots((40, "A"), (28, "B"), (27, "C"), (1, "DC")), 1, WIGM)
    third = count.stages[2]
    assert (third.kind, third.candidate, set(third.tied)) == (StageKind.EXCLUSION, "C", {"B", "C"})
    assert count.elected == ("A",)


SAME = ballots((40, "A"), (30, "B"), (15, "CA"), (15, "DB"))
"""C and D tie at 15 at the first count, with nothing earlier to look back to."""


def test_a_tie_the_count_cannot_break_waits_for_the_commission() -> None:
    count = count_stv("ABCD", SAME, 1, WIGM)
    assert (count.elected, count.undecided) == ((), ("C", "D"))
    assert len(count.stages) == 1


def test_the_commissions_drawing_says_who_stays() -> None:
    """The drawing keeps D (winners: those who stay, 1 of the 2): C is excluded, A 40 + 15 = 55."""
    count = count_stv("ABCD", SAME, 1, WIGM, drawn=[Drawing(frozenset("CD"), 1, ("D",))])
    assert count.stages[1].candidate == "C" and count.elected == ("A",)


def test_a_seeded_lot_breaks_the_tie_and_is_recorded() -> None:
    first = count_stv("ABCD", SAME, 1, WIGM, seed=7)
    again = count_stv("ABCD", SAME, 1, WIGM, seed=7)
    assert first.stages[1].candidate in ("C", "D") and first.stages[1].lot_seed == 7
    assert [s.candidate for s in first.stages] == [s.candidate for s in again.stages]


MIXED = ballots((30, "AC"), (28, "B"), (5, "EAD"), (20, "C"), (17, "D"))
"""2 seats, 100 valid, quota 34. Count 1: nobody; E (5) is excluded, A 30 + 5 = 35 elected (count 2). A's surplus
is 1."""


def test_weighted_inclusive_gregory_passes_on_every_paper() -> None:
    """All of A's 35 papers at 1/35: the 30 A>C give C 30/35 = 6/7, the 5 E>A>D give D 1/7."""
    third = count_stv("ABCDE", MIXED, 2, WIGM).stages[2]
    assert (third.kind, third.transfer_value) == (StageKind.SURPLUS, Fraction(1, 35))
    assert dict(third.transfers) == {"A": -1, "C": Fraction(6, 7), "D": Fraction(1, 7)}


def test_the_irish_last_parcel_passes_on_only_the_papers_that_elected() -> None:
    """Only the last parcel (the 5 E>A>D papers, worth 5 > 1) passes on, at 1/5 each: D + 1, C nothing."""
    third = count_stv("ABCDE", MIXED, 2, LAST).stages[2]
    assert (third.kind, third.transfer_value) == (StageKind.SURPLUS, Fraction(1, 5))
    assert dict(third.transfers) == {"A": -1, "D": 1}


def test_values_truncated_as_the_law_says_and_the_rest_recorded_as_lost() -> None:
    """Five decimals: 1/35 = 0.028571428... is kept as 0.02857; each A>C paper carries 0.02857, 30 of them
    0.8571, the 5 E>A>D 0.14285: 0.99995 of the surplus moves, 0.00005 is lost to the truncation."""
    third = count_stv("ABCDE", MIXED, 2, STVRules(decimals=5)).stages[2]
    assert third.transfer_value == Fraction(2857, 100000)
    assert third.transfers["C"] == Fraction(85710, 100000) and third.transfers["D"] == Fraction(14285, 100000)
    assert third.lost == Fraction(5, 100000)


def test_the_last_candidates_are_elected_when_as_many_remain_as_seats() -> None:
    """2 seats, 100 valid, quota 34: C 35 is elected at count 1; its surplus of 1 finds no next preference
    (non-transferable, count 2); B 32 is excluded (count 3), which leaves A alone for the last seat (count 4),
    elected with 33 votes, under the quota."""
    count = count_stv("ABC", ballots((33, "A"), (32, "B"), (35, "C")), 2, WIGM)
    assert count.elected == ("C", "A")
    assert [s.kind for s in count.stages] == [
        StageKind.FIRST,
        StageKind.SURPLUS,
        StageKind.EXCLUSION,
        StageKind.REMAINING,
    ]
    assert count.stages[1].non_transferable == 1


"""Ireland's deferment of surpluses (Electoral Act 1992 s.121): 1000 valid, 3 seats, quota floor(1000 / 4) + 1 =
251, a quarter of it 62.75. A 260 (A>B), B 240 (B>C), C 230 (C>B), D 150 (D>C), E 120 (E>D>C)."""

IRELAND = STVRules(surplus=SurplusTransfer.LAST_PARCEL, defer_surplus=True)


def _irish(e: int = 120, d: int = 150) -> list[RankedBallot]:
    return ballots((260, "AB"), (240, "BC"), (230 + 270 - e - d, "CB"), (d, "DC"), (e, "EDC"))


def test_a_surplus_that_can_change_nothing_waits_and_the_lowest_is_excluded() -> None:
    """A is elected at count 1 with a surplus of 9. It cannot elect B (240 + 9 < 251), cannot lift E (120) to
    D (150: a gap of 30), and E is past a quarter of the quota already: it waits, E is excluded at count 2 (its
    120 papers to D: 270, elected). Then A's 9 and D's 19 together could elect (B 240 + 28 >= 251): D's, the
    larger, passes on from its last parcel (E's 120 papers, next C) at 19/120: C 249; then A's: B 249. B and C
    tie at 249 for the last seat; at count 1 C had fewer (230): C is excluded, B elected."""
    count = count_stv("ABCDE", _irish(), 3, IRELAND)
    assert [(s.kind, s.candidate, s.deferred) for s in count.stages] == [
        (StageKind.FIRST, None, ()),
        (StageKind.EXCLUSION, "E", ("A",)),
        (StageKind.SURPLUS, "D", ()),
        (StageKind.SURPLUS, "A", ()),
        (StageKind.EXCLUSION, "C", ()),
    ]
    assert count.stages[1].totals["A"] == 260  # the surplus not transferred stays with A
    assert (count.stages[2].totals["C"], count.stages[3].totals["B"]) == (249, 249)
    assert count.elected == ("A", "D", "B")
    assert "Surplus of A not transferred" in "\n".join(explain_count(count))


def test_without_deferment_the_surplus_passes_on_first() -> None:
    """Scottish order (no deferment): A's surplus of 9 goes to B at count 2 (249), then E is excluded."""
    count = count_stv("ABCDE", _irish(), 3, LAST)
    assert [(s.kind, s.candidate) for s in count.stages][:3] == [
        (StageKind.FIRST, None),
        (StageKind.SURPLUS, "A"),
        (StageKind.EXCLUSION, "E"),
    ]


def test_a_surplus_that_could_save_the_lowest_is_transferred() -> None:
    """E 120, D 125: A's 9 could lift E past D (a gap of 5), so it is transferred at count 2."""
    count = count_stv("ABCDE", _irish(e=120, d=125), 3, IRELAND)
    assert (count.stages[1].kind, count.stages[1].candidate) == (StageKind.SURPLUS, "A")


def test_a_surplus_that_could_bring_the_lowest_past_a_quarter_of_the_quota_is_transferred() -> None:
    """E 60, D 210: the gap is 150, but E 60 + 9 = 69 would pass a quarter of the quota (62.75), which decides
    the recoupment of E's expenses (s.48(1)(e)): A's surplus is transferred at count 2."""
    count = count_stv("ABCDE", _irish(e=60, d=210), 3, IRELAND)
    assert (count.stages[1].kind, count.stages[1].candidate) == (StageKind.SURPLUS, "A")
