"""Compensation as composable units (issue 25): every mode the rules can name has exactly one unit, chosen by the
configuration alone, and each overhang unit does its one job on a hand-made case whose arithmetic is below."""

from __future__ import annotations

from saylau.apportionment import Method
from saylau.composition import compose
from saylau.composition.compensation import COMBINATIONS, OVERHANG
from saylau.domain import Body, Election, Party, Results, Tally
from saylau.rules import Combination, DistrictTier, ElectoralSystem, ListTier, Overhang


def test_every_combination_and_every_overhang_rule_has_its_unit() -> None:
    assert set(COMBINATIONS) == set(Combination)
    assert set(OVERHANG) == set(Overhang)
    assert len({id(unit) for unit in COMBINATIONS.values()}) == len(Combination)


def _mmp(overhang: Overhang) -> Election:
    """A body of 10 (2 list seats, 8 districts), D'Hondt, no threshold: A 600 and B 400 list votes; A won all 8
    districts.

    The averages in order: 600 (A), 400 (B), 300 (A), 200 (A), 200 (B), 150 (A), 133.3 (B), 120 (A), 100 (A),
    100 (B), 85.7 (A), 80 (B), 75 (A), 66.7 (B), ... A's share of 10 is 6 and B's 4 (the 9th and 10th averages
    are A's and B's 100). A keeps its 8 districts, 2 over its share. Grown: the body is 8 + 4 = 12. Absorbed:
    B shares what A leaves, 10 - 8 = 2. Levelled: the smallest body whose share gives A 8 is 13 (A's 8th
    average, 75, is the 13th), where B has 5.
    """
    tier = ListTier(seats=2, method=Method.DHONDT, threshold_percent=None, min_admitted=0, cap_at_list_length=False)
    system = ElectoralSystem(
        list_tier=tier, district_tier=DistrictTier(), combination=Combination.COMPENSATORY, overhang=overhang
    )
    return Election(
        name="overhang by hand",
        body=Body("Council", 10),
        system=system,
        parties=(Party("A", "A", 1), Party("B", "B", 2)),
        lists={},
        districts=(),
        results=Results(list_tally=Tally({"A": 600, "B": 400}, took_part=1000), district_seats={"": {"A": 8}}),
    )


def test_overhang_grown_keeps_the_districts_and_grows_the_body() -> None:
    c = compose(_mmp(Overhang.GROW))
    assert (c.seats_total, {p.party: p.seats for p in c.parties}) == (12, {"A": 8, "B": 4})


def test_overhang_absorbed_keeps_the_body_and_the_others_share_the_rest() -> None:
    c = compose(_mmp(Overhang.ABSORB))
    assert (c.seats_total, {p.party: p.seats for p in c.parties}) == (10, {"A": 8, "B": 2})


def test_overhang_levelled_grows_the_body_until_every_share_covers_its_districts() -> None:
    c = compose(_mmp(Overhang.LEVEL))
    assert (c.seats_total, {p.party: p.seats for p in c.parties}) == (13, {"A": 8, "B": 5})
