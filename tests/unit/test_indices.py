"""Disproportionality and fragmentation indices against published worked examples.

Expected figures come from the sources cited in each test, reproduced by hand; never from saylau.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from saylau.analysis.indices import (
    effective_number,
    gallagher,
    gallagher_squared,
    loosemore_hanby,
    shares,
)


def pct(value: str) -> Fraction:
    """A percentage as printed ("41.10") as an exact proportion."""
    return Fraction(value) / 100


# Wikipedia, "Gallagher index": New Zealand 2005, party vote % and seat %.
NZ_2005 = {
    "Labour": ("41.10", "41.32"),
    "National": ("39.10", "39.67"),
    "NZ First": ("5.72", "5.79"),
    "Greens": ("5.30", "4.96"),
    "Maori": ("2.12", "3.30"),
    "United Future": ("2.67", "2.48"),
    "ACT": ("1.51", "1.65"),
    "Progressives": ("1.16", "0.82"),
    "Destiny": ("0.62", "0"),
    "Legalise Cannabis": ("0.25", "0"),
    "Christian Heritage": ("0.12", "0"),
    "Alliance": ("0.07", "0"),
    "Family Rights": ("0.05", "0"),
    "Democrats": ("0.05", "0"),
    "Libertarianz": ("0.04", "0"),
    "Direct Democracy": ("0.03", "0"),
    "99MP": ("0.03", "0"),
    "OneNZ": ("0.02", "0"),
    "Republicans": ("0.02", "0"),
}


class TestGallagher:
    def test_new_zealand_2005_rows(self) -> None:
        """The article's rows, summed by hand: 2.5329; halved 1.26645; root 1.1254 (the article prints 1.11
        from a mis-added total of 2.4711; see `gallagher`'s docstring)."""
        votes = {p: pct(v) for p, (v, _) in NZ_2005.items()}
        seats = {p: pct(s) for p, (_, s) in NZ_2005.items()}
        assert gallagher_squared(votes, seats) == Fraction("1.26645")
        assert gallagher(votes, seats) == pytest.approx(1.1254, abs=1e-4)

    def test_four_party_calculator_example(self) -> None:
        """calculator.academy: gaps -6, 3, -1, 4; squares 36 + 9 + 1 + 16 = 62; sqrt(31) = 5.568."""
        votes = {"A": pct("42"), "B": pct("31"), "C": pct("17"), "D": pct("10")}
        seats = {"A": pct("48"), "B": pct("28"), "C": pct("18"), "D": pct("6")}
        assert gallagher_squared(votes, seats) == 31
        assert gallagher(votes, seats) == pytest.approx(5.5678, abs=1e-4)

    def test_perfectly_proportional_is_zero(self) -> None:
        share = {"A": Fraction(1, 2), "B": Fraction(1, 2)}
        assert gallagher(share, share) == 0

    def test_party_missing_from_seats_counts_as_no_seat(self) -> None:
        """A party with 20% of votes and no seat: gaps 20 and -20; 1/2 (400 + 400) = 400 -> 20."""
        votes = {"A": pct("80"), "B": pct("20")}
        seats = {"A": Fraction(1)}
        assert gallagher(votes, seats) == 20


class TestLoosemoreHanby:
    def test_four_party_example_is_7(self) -> None:
        """|gaps| 6 + 3 + 1 + 4 = 14, halved = 7."""
        votes = {"A": pct("42"), "B": pct("31"), "C": pct("17"), "D": pct("10")}
        seats = {"A": pct("48"), "B": pct("28"), "C": pct("18"), "D": pct("6")}
        assert loosemore_hanby(votes, seats) == 7

    def test_new_zealand_2005(self) -> None:
        """|gaps| .22+.57+.07+.34+1.18+.19+.14+.34+.62+.25+.12+.07+.05+.05+.04+.03+.03+.02+.02 = 4.35; / 2."""
        votes = {p: pct(v) for p, (v, _) in NZ_2005.items()}
        seats = {p: pct(s) for p, (_, s) in NZ_2005.items()}
        assert loosemore_hanby(votes, seats) == Fraction("2.175")


class TestEffectiveNumber:
    def test_equal_parties(self) -> None:
        assert effective_number({"A": Fraction(1, 2), "B": Fraction(1, 2)}) == 2
        assert effective_number(shares({"A": 1, "B": 1, "C": 1})) == 3

    def test_two_strong_one_weak(self) -> None:
        """Wikipedia, "Effective number of parties": 0.45, 0.45, 0.10 -> 1 / 0.415 = 2.41."""
        n = effective_number({"A": pct("45"), "B": pct("45"), "C": pct("10")})
        assert n == Fraction(200, 83)
        assert round(float(n or 0), 2) == 2.41

    def test_four_party_example_by_votes_and_seats(self) -> None:
        """Votes .42²+.31²+.17²+.10² = .3114 -> 3.21; seats .48²+.28²+.18²+.06² = .3448 -> 2.90."""
        votes = {"A": pct("42"), "B": pct("31"), "C": pct("17"), "D": pct("10")}
        seats = {"A": pct("48"), "B": pct("28"), "C": pct("18"), "D": pct("6")}
        assert effective_number(votes) == Fraction(10000, 3114)
        assert effective_number(seats) == Fraction(10000, 3448)

    def test_no_shares(self) -> None:
        assert effective_number({}) is None
        assert shares({"A": 0}) == {}


class TestShares:
    def test_exact_against_a_base(self) -> None:
        """Shares of valid ballots, "against all" in the base but not a party: 1/4 and 1/2 of 8."""
        assert shares({"A": 2, "B": 4}, base=8) == {"A": Fraction(1, 4), "B": Fraction(1, 2)}


def test_list_tier_indices_compare_list_votes_with_list_seats() -> None:
    """Two parties, votes 60/40 (of valid ballots), list seats 3/2 of 5: shares .6/.4 against .6/.4.

    A perfectly proportional list tier: Gallagher 0, Loosemore-Hanby 0, effective parties 1/(.36+.16) = 25/13.
    District seats (A 2, B 0) do not enter the list-tier indices, but do the council's.
    """
    from saylau.analysis.indices import council_indices, list_tier_indices
    from saylau.composition import Composition, PartySeats

    composition = Composition(
        7,
        4,
        (PartySeats("A", 60, Fraction(3, 5), 3, 2), PartySeats("B", 40, Fraction(2, 5), 2, 0)),
        0,
        (),
        None,
        (),
    )
    tier = list_tier_indices(composition)
    assert tier is not None
    assert tier.gallagher == 0 and tier.loosemore_hanby == 0
    assert tier.effective_parties_seats == Fraction(25, 13)
    council = council_indices(composition)
    assert council is not None and council.loosemore_hanby > 0


# University of Western Australia, Australian Politics and Elections Database, Queensland Legislative
# Assembly election of 24 March 2012 (elections.uwa.edu.au, elecdetail 1745): first-preference votes and
# seats won per listed party. Wikipedia's "Gallagher index" article publishes this election's index: 31.16.
QUEENSLAND_2012 = {
    "Liberal National Party": (1_214_311, 78),
    "Australian Labor Party": (652_042, 7),
    "Katter's Australian Party": (282_064, 2),
    "Greens": (184_140, 0),
    "Independents": (72_731, 2),
    "Family First": (33_263, 0),
    "One Nation": (2_525, 0),
    "North Queensland Party": (1_835, 0),
    "Socialist Alliance": (1_122, 0),
    "Queensland Party": (933, 0),
    "Democratic Labor Party": (628, 0),
}


def test_gallagher_on_a_published_value() -> None:
    """Queensland 2012 from the published table (votes 2,445,594, seats 89): 31.16, as published."""
    votes = shares({p: v for p, (v, _) in QUEENSLAND_2012.items()})
    seats = shares({p: s for p, (_, s) in QUEENSLAND_2012.items()})
    assert sum(v for v, _ in QUEENSLAND_2012.values()) == 2_445_594
    assert round(gallagher(votes, seats), 2) == 31.16


def test_a_party_named_like_an_entry_stays_a_party() -> None:
    """A party called "against all" or "independents" is a party: its votes and seats are not merged with
    the seatless "against all" entry or the independents' seats. Votes 60/40 + 25 against all, seats 3/2 +
    1 independent: gaps (in points) 48-50, 32-33.3, 20-0 and 0-16.7 -> sqrt(1/2 (4 + 1.78 + 400 + 277.8))."""
    from saylau.analysis.indices import council_indices
    from saylau.composition import Composition, PartySeats

    composition = Composition(
        6,
        4,
        (
            PartySeats("against all", 60, Fraction(60, 125), 3, 0),
            PartySeats("independents", 40, Fraction(40, 125), 2, 0),
        ),
        1,
        (),
        None,
        (),
    )
    council = council_indices(composition, against_all=25)
    assert council is not None
    expected = (Fraction(48 - 50) ** 2 + (Fraction(32) - Fraction(100, 3)) ** 2 + 20**2 + Fraction(50, 3) ** 2) / 2
    assert council.gallagher == pytest.approx(float(expected) ** 0.5)
