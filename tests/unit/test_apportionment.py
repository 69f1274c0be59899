"""The allocation engine on published worked examples and on small cases whose arithmetic is shown.

Golden figures come from the cited sources, never from the code under test.
"""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from saylau.apportionment import (
    Allocation,
    Ballots,
    Contestant,
    DivisorLine,
    Method,
    QuotaLine,
    Threshold,
    ThresholdBase,
    TieRule,
    allocate,
)
from saylau.apportionment.explain import to_dict
from saylau.errors import InputError, RuleError
from saylau.reports.allocation import explain_allocation


def explain(a: Allocation) -> str:
    """The annex in English words (reports/allocation.py): the trace itself is data in the core."""
    return "\n".join(explain_allocation(a))


ALMATY_2023 = [
    Contestant("Amanat", 151_531),
    Contestant("QHP", 38_563),
    Contestant("Respublica", 38_369),
    Contestant("Baytaq", 23_266),
    Contestant("Aq Jol", 15_273),
    Contestant("Auyl", 8_264),
]


def seats_of(allocation: Allocation) -> list[int]:
    return list(allocation.seats.values())


def parties(*votes: int) -> list[Contestant]:
    return [Contestant(chr(ord("A") + i), v) for i, v in enumerate(votes)]


# --- Published worked examples ------------------------------------------------------------------------------


class TestAlmaty2023ListTier:
    """Almaty City Mäslihat 2023, 21 list seats (Almaty Territorial Electoral Commission via nur-news.net;
    /work/shared/spec/almaty-data.md; the seed document): 12/3/3/2/1/0."""

    def allocation(self) -> Allocation:
        return allocate(
            ALMATY_2023,
            21,
            Method.HARE,
            threshold=Threshold(Fraction(5), base=ThresholdBase.VALID),
            min_admitted=2,
            ballots=Ballots(against_all=16_490, invalid=10_514),
        )

    def test_seats(self) -> None:
        assert dict(self.allocation().seats) == {
            "Amanat": 12,
            "QHP": 3,
            "Respublica": 3,
            "Baytaq": 2,
            "Aq Jol": 1,
            "Auyl": 0,
        }

    def test_threshold_table_reproduces_published_percentages(self) -> None:
        """Published: 51.94, 13.22, 13.15, 7.97, 5.23, 2.83 % of 291,756 (parties + against all)."""
        report = self.allocation().threshold
        assert report.base_votes == 291_756
        shown = [round(float(line.share * 100), 2) for line in report.lines]
        assert shown == [51.94, 13.22, 13.15, 7.97, 5.23, 2.83]
        assert [line.passed for line in report.lines] == [True] * 5 + [False]

    def test_quota_and_remainders(self) -> None:
        """Quota 267,002 / 21; integer seats 11/3/3/1/1; remainders .918 .033 .018 .830 .201 (in quotas)."""
        a = self.allocation()
        assert a.quota == Fraction(267_002, 21)
        lines = [line for line in a.lines if isinstance(line, QuotaLine)]
        assert [line.integer_seats for line in lines] == [11, 3, 3, 1, 1]
        assert [round(float(line.remainder / a.quota), 3) for line in lines] == [0.918, 0.033, 0.018, 0.830, 0.201]
        assert [award.name for award in a.order] == ["Amanat", "Baytaq"]

    def test_explain_reads_like_a_protocol_annex(self) -> None:
        text = explain(self.allocation())
        for fragment in ("51.9376", "-2.1675", "267,002 votes / 21 seats", "Amanat", "largest remainder", "Auyl 0"):
            assert fragment in text

    def test_to_dict_is_json_with_exact_fractions(self) -> None:
        data = json.loads(json.dumps(to_dict(self.allocation())))
        assert data["seats"]["Auyl"] == 0
        assert data["quota"]["exact"] == "267002/21"
        assert data["quota"]["decimal"] == pytest.approx(12714.380952)


# Wikipedia, "D'Hondt method" and "Sainte-Laguë method" (same worked example): 8 seats,
# A 100,000, B 80,000, C 30,000, D 20,000.
WIKI_DIVISOR_EXAMPLE = (100_000, 80_000, 30_000, 20_000)


def test_dhondt_wikipedia_example() -> None:
    """Wikipedia, "D'Hondt method", worked example: A 4, B 3, C 1, D 0."""
    assert seats_of(allocate(parties(*WIKI_DIVISOR_EXAMPLE), 8, Method.DHONDT)) == [4, 3, 1, 0]


def test_sainte_lague_wikipedia_example() -> None:
    """Wikipedia, "Sainte-Laguë method", worked example: A 3, B 3, C 1, D 1."""
    assert seats_of(allocate(parties(*WIKI_DIVISOR_EXAMPLE), 8, Method.SAINTE_LAGUE)) == [3, 3, 1, 1]


def test_dhondt_order_of_seats_follows_the_published_table() -> None:
    """Wikipedia, "D'Hondt method": the 8 highest quotients are 100,000 80,000 50,000 40,000 33,333 30,000
    26,667 25,000 (A B A B A C B A)."""
    a = allocate(parties(*WIKI_DIVISOR_EXAMPLE), 8, Method.DHONDT)
    assert [s.name for s in a.order] == ["A", "B", "A", "B", "A", "C", "B", "A"]
    assert a.order[4].value == Fraction(100_000, 3)


# Wikipedia, "Largest remainders method", worked example: 100,000 votes, 10 seats,
# A 47,000, B 16,000, C 15,800, D 12,000, E 6,100, F 3,100.
WIKI_LR_EXAMPLE = (47_000, 16_000, 15_800, 12_000, 6_100, 3_100)


def test_hare_wikipedia_example() -> None:
    """Hare quota 10,000: integer 4/1/1/1/0/0, remainders A .70 E .61 B .60 win: A 5, B 2, C 1, D 1, E 1, F 0."""
    a = allocate(parties(*WIKI_LR_EXAMPLE), 10, Method.HARE)
    assert seats_of(a) == [5, 2, 1, 1, 1, 0]
    assert a.quota == 10_000
    assert [s.name for s in a.order] == ["A", "E", "B"]


def test_droop_wikipedia_example() -> None:
    """Droop quota floor(100,000/11)+1 = 9,091: A 5, B 2, C 2, D 1, E 0, F 0."""
    a = allocate(parties(*WIKI_LR_EXAMPLE), 10, Method.DROOP)
    assert a.quota == 9_091
    assert seats_of(a) == [5, 2, 2, 1, 0, 0]


def test_huntington_hill_first_seats_after_the_2010_census() -> None:
    """Wikipedia, "Huntington–Hill method" (2010 census): after one seat each, seats 51-54 go to California,
    Texas, California, New York. Apportionment populations 2010 (US Census Bureau): CA 37,341,989,
    TX 25,268,418, NY 19,421,055, FL 18,900,773; every other state is smaller than Florida."""
    states = [
        Contestant("CA", 37_341_989),
        Contestant("TX", 25_268_418),
        Contestant("NY", 19_421_055),
        Contestant("FL", 18_900_773),
    ]
    a = allocate(states, 8, Method.HUNTINGTON_HILL)
    assert [s.value for s in a.order[:4]] == [None] * 4  # the guaranteed first seats
    assert [s.name for s in a.order[4:]] == ["CA", "TX", "CA", "NY"]
    assert a.order[4].value == Fraction(37_341_989**2, 2)  # squared priority P²/(1·2)


# --- Other divisor methods, by hand -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        # Divisors 1.4, 3, 5: A 1000/1.4=714.3, 1000/3=333.3, 1000/5=200; B 400/1.4=285.7, 400/3=133.3;
        # C 100/1.4=71.4. Four seats: A 714.3, A 333.3, B 285.7, A 200 -> A 3, B 1, C 0.
        (Method.MODIFIED_SAINTE_LAGUE, [3, 1, 0]),
        # Danish divisors 1, 4, 7: A 1000, 250, 142.9; B 400, 100; C 100. Four seats: 1000, 400, 250, 142.9.
        (Method.DANISH, [3, 1, 0]),
        # Imperiali divisors 2, 3, 4: A 500, 333.3, 250, 200; B 200, 133.3; C 50. Four: 500, 333.3, 250,
        # then A 200 = B 200 tie, registration order -> A: A 4, B 0... see the tie record.
        (Method.IMPERIALI, [4, 0, 0]),
        # Adams: every list with votes first (A, B, C), then A 1000/1 = 1000 beats B 400/1: A 2, B 1, C 1.
        (Method.ADAMS, [2, 1, 1]),
        # Huntington-Hill: first seats A, B, C; then A² / 2 = 500,000 beats B² / 2 = 80,000: A 2, B 1, C 1.
        (Method.HUNTINGTON_HILL, [2, 1, 1]),
    ],
)
def test_divisor_methods_by_hand(method: Method, expected: list[int]) -> None:
    assert seats_of(allocate(parties(1000, 400, 100), 4, method)) == expected


def test_imperiali_divisor_tie_recorded() -> None:
    """Imperiali divisors: A's 4th average 1000/5 = 200 equals B's first 400/2 = 200, one seat left."""
    a = allocate(parties(1000, 400, 100), 4, Method.IMPERIALI)
    assert len(a.ties) == 1
    assert a.ties[0].names == ("A", "B") and a.ties[0].winners == ("A",) and a.ties[0].value == 200


def test_adams_more_lists_than_seats_is_a_tie_on_first_seats() -> None:
    """Adams, 2 seats, votes 50/30/30: first seats by votes: A, then B = C tie; registration order -> B."""
    a = allocate(parties(50, 30, 30), 2, Method.ADAMS)
    assert seats_of(a) == [1, 1, 0]
    assert a.ties[0].names == ("B", "C") and a.ties[0].value is None


def test_divisor_lines_show_averages() -> None:
    a = allocate(parties(*WIKI_DIVISOR_EXAMPLE), 8, Method.DHONDT)
    first = a.lines[0]
    assert isinstance(first, DivisorLine)
    assert first.averages == (100_000, 50_000, Fraction(100_000, 3), 25_000, 20_000)


# --- Quota methods, by hand ---------------------------------------------------------------------------------


def test_hagenbach_bischoff_over_allocation_taken_from_smallest_remainder() -> None:
    """HB quota 90/(2+1) = 30 with A 60, B 30: integer seats 2 + 1 = 3 > 2 seats. Both remainders are 0, a
    tie for giving one seat back: registration order keeps the earlier list's seat, so B gives back: 2/0."""
    a = allocate(parties(60, 30), 2, Method.HAGENBACH_BISCHOFF)
    assert a.quota == 30
    assert seats_of(a) == [2, 0]
    assert [s.name for s in a.withdrawn] == ["B"]
    assert a.ties[0].stage == "excess"


def test_imperiali_quota_over_allocation() -> None:
    """Imperiali quota 100/(3+2) = 20: A 41 -> 2 (rem 1), B 39 -> 1 (rem 19), C 20 -> 1 (rem 0): 4 > 3 seats.
    The smallest remainder (C, 0) gives its seat back: A 2, B 1, C 0."""
    a = allocate(parties(41, 39, 20), 3, Method.IMPERIALI_QUOTA)
    assert a.quota == 20
    assert seats_of(a) == [2, 1, 0]
    assert [s.name for s in a.withdrawn] == ["C"]
    assert "taken back" in explain(a)


def test_remainder_tie_goes_to_the_earlier_registered_list() -> None:
    """Hare, 3 seats, A 20, B 10, C 10 (quota 40/3): quotas 1.5, 0.75, 0.75 -> integer 1/0/0; remainders
    A 20-40/3 = 20/3, B = C = 10. B and C tie for the last two seats? No: two seats left, B and C both 10 >
    20/3, so both win: 1/1/1. With 2 seats (quota 20): A 1 (rem 0), B = C = 10 rem for 1 seat: B by
    registration order."""
    assert seats_of(allocate(parties(20, 10, 10), 3)) == [1, 1, 1]
    a = allocate(parties(20, 10, 10), 2)
    assert seats_of(a) == [1, 1, 0]
    assert a.ties[0].names == ("B", "C") and a.ties[0].winners == ("B",) and a.ties[0].value == 10


def test_more_votes_breaks_a_tie_of_remainders_by_votes() -> None:
    """Droop, 3 seats, registered C 3, B 5, A 8: V = 16, quota floor(16/4) + 1 = 5. C 0 (rem 3), B 1 (rem 0),
    A 1 (rem 3); one seat left, C and A tie at 3. Registration order -> C; more votes -> A."""
    contestants = [Contestant("C", 3), Contestant("B", 5), Contestant("A", 8)]
    by_order = allocate(contestants, 3, Method.DROOP)
    by_votes = allocate(contestants, 3, Method.DROOP, tie=TieRule.MORE_VOTES)
    assert dict(by_order.seats) == {"C": 1, "B": 1, "A": 1}
    assert dict(by_votes.seats) == {"C": 0, "B": 1, "A": 2}
    assert by_votes.ties[0].rule is TieRule.MORE_VOTES


def test_decide_leaves_the_tied_seat_undecided() -> None:
    """Same tie as above (A 20, B 10, C 10, 2 seats): B and C for one seat -> left to the commission."""
    a = allocate(parties(20, 10, 10), 2, tie=TieRule.DECIDE)
    assert seats_of(a) == [1, 0, 0]
    assert a.undecided is not None and a.undecided.names == ("B", "C") and a.undecided.seats == 1
    assert a.seats_decided == 1 < a.seats_total
    assert "left to the commission" in explain(a)


def test_lot_replays_with_the_same_seed() -> None:
    """A drawing of lots is recorded with its seed; the same seed gives the same winner, always."""
    contestants = parties(*([10] * 8))
    first = allocate(contestants, 3, tie=TieRule.LOT, seed=2023)
    assert first.seed == 2023 and first.ties[0].seed == 2023
    for _ in range(5):
        assert allocate(contestants, 3, tie=TieRule.LOT, seed=2023).seats == first.seats
    assert len({tuple(allocate(contestants, 3, tie=TieRule.LOT, seed=s).seats.values()) for s in range(20)}) > 1


def test_lot_without_seed_draws_and_records_one() -> None:
    a = allocate(parties(10, 10), 1, tie=TieRule.LOT)
    assert a.seed is not None
    assert allocate(parties(10, 10), 1, tie=TieRule.LOT, seed=a.seed).seats == a.seats


# --- Thresholds ---------------------------------------------------------------------------------------------


def test_a_list_exactly_at_five_percent_passes() -> None:
    """A 5 of 100 votes is exactly 5%: passes (margin 0); B 4.99...% of the same base does not."""
    a = allocate([Contestant("A", 5), Contestant("B", 95)], 10, threshold=Threshold(Fraction(5)))
    line = a.threshold.lines[0]
    assert line.passed and line.margin_pp == 0 and line.share == Fraction(1, 20)
    b = allocate(
        [Contestant("A", 499), Contestant("B", 9501)], 10, threshold=Threshold(Fraction(5)), ballots=Ballots(0)
    )
    assert not b.threshold.lines[0].passed and b.seats["A"] == 0


def test_against_all_counts_in_the_valid_base_but_not_in_the_quota() -> None:
    """A 6, B 94, against all 20: A's share 6/120 = 5% passes. Quota from A+B only: 100/10 = 10."""
    a = allocate(
        [Contestant("A", 6), Contestant("B", 94)], 10, threshold=Threshold(Fraction(5)), ballots=Ballots(20, 7)
    )
    assert a.threshold.base_votes == 120 and a.threshold.lines[0].passed
    assert a.quota == 10


@pytest.mark.parametrize(
    ("base", "expected_base", "passes"),
    [(ThresholdBase.PARTY, 100, True), (ThresholdBase.VALID, 120, True), (ThresholdBase.CAST, 127, False)],
)
def test_threshold_bases(base: ThresholdBase, expected_base: int, passes: bool) -> None:
    a = allocate(
        [Contestant("A", 6), Contestant("B", 94)],
        10,
        threshold=Threshold(Fraction(5), base=base),
        ballots=Ballots(20, 7),
    )
    assert a.threshold.base_votes == expected_base
    assert a.threshold.lines[0].passed is passes  # 6/100 and 6/120 reach 5%; 6/127 does not


def test_only_one_list_passes_so_the_next_is_admitted() -> None:
    """A 90%, B 4.5%, C 3%, D 2.5%, 5%, at least 2 admitted, 20 seats: B is admitted by the minimum.
    Quota 945/20 = 47.25: A 19.05 -> 19 (rem 2.25), B 0.95 -> 0 (rem 45): the last seat goes to B."""
    a = allocate(parties(900, 45, 30, 25), 20, threshold=Threshold(Fraction(5)), min_admitted=2)
    lines = a.threshold.lines
    assert [line.admitted_by_minimum for line in lines] == [False, True, False, False]
    assert a.quota == Fraction(945, 20)
    assert seats_of(a) == [19, 1, 0, 0]
    assert "admitted (minimum)" in explain(a)


def test_vote_threshold_and_percent_must_both_be_met() -> None:
    a = allocate(parties(60, 30, 10), 5, threshold=Threshold(Fraction(5), votes=20))
    assert [line.passed for line in a.threshold.lines] == [True, True, False]
    assert a.threshold.required_votes == 20


def test_below_threshold_gets_nothing_even_when_it_would_have_a_quota() -> None:
    a = allocate(parties(960, 40), 100, threshold=Threshold(Fraction(5)))
    assert seats_of(a) == [100, 0]


# --- Caps ---------------------------------------------------------------------------------------------------


def test_cap_under_hare_shares_the_rest_again() -> None:
    """A 70, B 20, C 10, 10 seats, A has 5 candidates. A's Hare entitlement is 7 > 5: A keeps 5; the other
    5 seats are shared by Hare among B and C (quota 30/5 = 6): B 3.33 -> 3, C 1.67 -> 1 + 1 remainder: 3/2."""
    contestants = [Contestant("A", 70, max_seats=5), Contestant("B", 20), Contestant("C", 10)]
    a = allocate(contestants, 10)
    assert seats_of(a) == [5, 3, 2]
    assert a.capped[0].name == "A" and a.capped[0].entitled == 7
    assert "Cap: A" in explain(a)


def test_cap_under_dhondt_skips_the_capped_list() -> None:
    """Wikipedia D'Hondt example with A limited to 2 candidates: A 2, and B, C, D share the other 6 by
    D'Hondt: averages B 80k, 40k, 26.7k, 20k; C 30k, 15k; D 20k. Top six: 80k, 40k, 30k, 26.7k, 20k, 20k
    (the two 20k both fit): B 4, C 1, D 1."""
    contestants = [Contestant("A", 100_000, max_seats=2), *parties(*WIKI_DIVISOR_EXAMPLE)[1:]]
    a = allocate(contestants, 8, Method.DHONDT)
    assert seats_of(a) == [2, 4, 1, 1]


def test_caps_too_tight_is_a_rule_error() -> None:
    with pytest.raises(RuleError):
        allocate([Contestant("A", 10, max_seats=1), Contestant("B", 10, max_seats=1)], 3)
    with pytest.raises(RuleError):
        allocate([Contestant("A", 10, max_seats=1), Contestant("B", 10, max_seats=1)], 3, Method.DHONDT)


# --- Input errors -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("contestants", "seats", "message"),
    [
        (parties(10, 5), 0, "seats must be from 1 to 10,000"),
        (parties(10, 5), -3, "seats must be from 1 to 10,000"),
        (parties(10, -5), 3, "negative votes"),
        ([Contestant("A", 1), Contestant("A", 2)], 3, "appears twice"),
        (parties(0, 0), 3, "no contestant has any votes"),
        ([], 3, "no contestants"),
    ],
)
def test_bad_input_is_an_input_error(contestants: list[Contestant], seats: int, message: str) -> None:
    with pytest.raises(InputError, match=message):
        allocate(contestants, seats)


def test_nobody_admitted_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no contestant with votes passes"):
        allocate(parties(4, 4), 3, threshold=Threshold(Fraction(5)), ballots=Ballots(against_all=100))


def test_threshold_out_of_range_is_an_input_error() -> None:
    with pytest.raises(InputError):
        Threshold(Fraction(101))
    with pytest.raises(InputError):
        Threshold(votes=-1)


def test_zero_vote_list_never_wins_a_seat() -> None:
    """Adams would give a first seat to every admitted list; a list with no votes is not a candidate for it."""
    assert seats_of(allocate(parties(10, 0), 3, Method.ADAMS)) == [3, 0]


def test_method_registry_covers_every_method() -> None:
    for method in Method:
        a = allocate(parties(*WIKI_LR_EXAMPLE), 10, method)
        assert a.seats_decided == 10, method
        assert a.method.label
