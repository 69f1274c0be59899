"""What-if scenarios: the same votes under other rules.

Every expected seat count is worked out by hand in the test's docstring, never read from saylau's output.
"""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from saylau.analysis.whatif import ACTUAL, Mode, Scenario, apply_scenario, what_if
from saylau.apportionment import Method
from saylau.domain import Body, Candidate, District, Election, Party, PartyList, Results, Tally
from saylau.errors import RuleError
from saylau.io import load_election
from saylau.rules import Combination, DistrictTier, ElectoralSystem, ListTier
from tests.conftest import EXAMPLES


def small_election(*, district_tier: bool = True) -> Election:
    """8 seats: 4 by list (Hare, 5%), 4 districts. List votes A 560, B 290, C 150 (1000 valid).

    Districts 1 and 2 go to A, 3 to B, 4 to an independent.
    """
    parties = tuple(Party(n, f"Party {n}", i) for i, n in enumerate("ABC", 1))
    lists = {n: PartyList(n, tuple(f"{n}{k}" for k in range(1, 6))) for n in "ABC"}
    winners = ["A", "A", "B", None]
    districts = tuple(District(i, (Candidate(f"w{i}", w), Candidate(f"l{i}", "C"))) for i, w in enumerate(winners, 1))
    tallies = {i: Tally({f"w{i}": 100, f"l{i}": 50}) for i in range(1, 5)}
    system = ElectoralSystem(
        list_tier=ListTier(seats=4),
        district_tier=DistrictTier() if district_tier else None,
        combination=Combination.PARALLEL,
    )
    return Election(
        "test",
        Body("council", 8),
        system,
        parties,
        lists,
        districts if district_tier else (),
        Results(Tally({"A": 560, "B": 290, "C": 150}), tallies if district_tier else {}),
    )


def seats_and_independents(election: Election, scenario: Scenario) -> tuple[dict[str, int], int]:
    (outcome,) = what_if(election, [scenario])
    return outcome.seats(), outcome.composition.independents


def test_actual_parallel() -> None:
    """Hare over 4 list seats, quota 1000/4 = 250: A 2.24, B 1.16, C 0.60; floors 2+1+0 = 3, the 4th seat
    goes to the largest remainder, C (0.60 > 0.24 > 0.16): A 2, B 1, C 1. Plus districts A 2, B 1, ind. 1."""
    assert seats_and_independents(small_election(), ACTUAL) == ({"A": 4, "B": 2, "C": 1}, 1)


def test_dhondt_changes_only_the_list_tier() -> None:
    """D'Hondt averages: A 560, 280, 186.7, 140; B 290, 145; C 150. The four highest are 560 (A), 290 (B),
    280 (A), 186.7 (A): list A 3, B 1, C 0; with the unchanged districts A 5, B 2, C 0, independent 1."""
    scenario = Scenario("dhondt", method=Method.DHONDT)
    assert seats_and_independents(small_election(), scenario) == ({"A": 5, "B": 2, "C": 0}, 1)


def test_higher_threshold_excludes_a_list() -> None:
    """At 20% C (15%) is out; passing votes 850, quota 850/4 = 212.5: A 2.635, B 1.365; floors 2+1, the last
    seat to A (0.635 > 0.365): list A 3, B 1; plus districts A 5, B 2, C 0, independent 1."""
    scenario = Scenario("20%", threshold_percent=Fraction(20))
    assert seats_and_independents(small_election(), scenario) == ({"A": 5, "B": 2, "C": 0}, 1)


def test_zero_threshold_means_none() -> None:
    """0% removes the threshold: same as 5% here (every list is above 5%), A 4, B 2, C 1."""
    scenario = Scenario("0%", threshold_percent=Fraction(0))
    ruled = apply_scenario(small_election(), scenario)
    assert ruled.system.list_tier is not None and ruled.system.list_tier.threshold_percent is None
    assert seats_and_independents(small_election(), scenario) == ({"A": 4, "B": 2, "C": 1}, 1)


def test_pure_pr_ignores_districts() -> None:
    """All 8 seats by list, Hare quota 1000/8 = 125: A 4.48, B 2.32, C 1.20; floors 4+2+1 = 7, the 8th to A
    (0.48 > 0.32 > 0.20): A 5, B 2, C 1, no independent (the district results are ignored).

    Indices, shares in points: votes 56/29/15, seats 62.5/25/12.5; gaps -6.5, 4, 2.5.
    Loosemore-Hanby (6.5 + 4 + 2.5)/2 = 6.5; Gallagher sqrt((42.25 + 16 + 6.25)/2) = sqrt(32.25);
    ENP by votes 1/(0.3136 + 0.0841 + 0.0225) = 1/0.4202; by seats 1/((25 + 4 + 1)/64) = 64/30.
    """
    (outcome,) = what_if(small_election(), [Scenario("pr", mode=Mode.PURE_PR)])
    assert outcome.seats() == {"A": 5, "B": 2, "C": 1}
    assert outcome.composition.independents == 0
    assert outcome.composition.districts == ()
    assert outcome.indices is not None
    assert outcome.indices.loosemore_hanby == Fraction(13, 2)
    assert math.isclose(outcome.indices.gallagher, math.sqrt(32.25))
    assert outcome.indices.effective_parties_votes == 1 / Fraction(4202, 10000)
    assert outcome.indices.effective_parties_seats == Fraction(64, 30)


def test_mmp_compensates() -> None:
    """The independent's seat is taken off first: 7 shared by Hare, quota 1000/7: A 3.92, B 2.03, C 1.05;
    floors 3+2+1 = 6, the 7th to A (0.92): A 4, B 2, C 1. District seats A 2, B 1 count toward that, so
    list seats A 2, B 1, C 1 and the council is A 4, B 2, C 1, independent 1 (no overhang)."""
    (outcome,) = what_if(small_election(), [Scenario("mmp", mode=Mode.MMP)])
    assert outcome.seats() == {"A": 4, "B": 2, "C": 1}
    assert outcome.composition.independents == 1
    assert {p.party: p.list_seats for p in outcome.composition.parties} == {"A": 2, "B": 1, "C": 1}
    assert outcome.election.system.combination is Combination.COMPENSATORY


def test_scenarios_keep_order_and_votes() -> None:
    """Several scenarios at once come back in the order given, each from the same, untouched votes."""
    election = small_election()
    labels = ["actual", "pr", "mmp"]
    outcomes = what_if(election, [ACTUAL, Scenario("pr", mode=Mode.PURE_PR), Scenario("mmp", mode=Mode.MMP)])
    assert [o.scenario.label for o in outcomes] == labels
    assert all(o.election.results is election.results for o in outcomes)
    assert election.system.combination is Combination.PARALLEL


def test_mmp_without_districts_is_refused() -> None:
    """Compensation needs district seats to compensate for."""
    with pytest.raises(RuleError):
        what_if(small_election(district_tier=False), [Scenario("mmp", mode=Mode.MMP)])


def test_threshold_out_of_range_is_refused() -> None:
    with pytest.raises(RuleError):
        what_if(small_election(), [Scenario("bad", threshold_percent=Fraction(101))])


def test_almaty_pure_pr_hare_5() -> None:
    """Almaty 2023, all 42 seats by list, Hare, 5%. Auyl (2.83%) is out; the passing lists have
    151531 + 38563 + 38369 + 23266 + 15273 = 266002 votes, quota 266002/42 = 6333.38.

    votes x 42 / 266002:  Amanat 6364302/266002 = 23.926; QHP 1619646/266002 = 6.089;
    Respublica 1611498/266002 = 6.058; Baytaq 977172/266002 = 3.674; Aq Jol 641466/266002 = 2.412.
    Floors 23 + 6 + 6 + 3 + 2 = 40; the 2 remaining seats go to the largest remainders, Amanat (0.926) and
    Baytaq (0.674), ahead of Aq Jol (0.412): Amanat 24, QHP 6, Respublica 6, Baytaq 4, Aq Jol 2, Auyl 0.
    Amanat's registered list has 21 names, so the list-length cap is lifted for a pure-PR scenario.
    """
    election = load_election(EXAMPLES / "almaty-2023")
    (outcome,) = what_if(election, [Scenario("pr", Method.HARE, Fraction(5), Mode.PURE_PR)])
    assert outcome.seats() == {"Amanat": 24, "QHP": 6, "Respublica": 6, "Baytaq": 4, "Aq Jol": 2, "Auyl": 0}
    assert outcome.composition.independents == 0
    assert outcome.composition.seats_filled == 42
