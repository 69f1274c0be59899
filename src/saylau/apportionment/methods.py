"""The apportionment methods saylau knows, selected by `Method` and looked up in two registries.

Kazakhstan's list tier uses the Hare quota with largest remainders (Constitutional Law "On Elections",
as amended 2022-2023; see docs/apportionment.md); the other methods are there so a commission, an analyst or
a what-if can apply another country's rule to the same votes.

Every seat decision here is exact: a quota is a `Fraction`, and a divisor method's "average" is kept as an
integer pair (numerator, denominator) that is compared by cross-multiplication, never as a float. The
Huntington-Hill divisor sqrt(s(s+1)) is irrational, so its averages are compared squared: v²/(s(s+1)).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType


class Method(StrEnum):
    """How seats are shared among the admitted contestants."""

    HARE = "hare"
    DROOP = "droop"
    HAGENBACH_BISCHOFF = "hagenbach-bischoff"
    IMPERIALI_QUOTA = "imperiali-quota"
    DHONDT = "dhondt"
    SAINTE_LAGUE = "sainte-lague"
    MODIFIED_SAINTE_LAGUE = "modified-sainte-lague"
    DANISH = "danish"
    IMPERIALI = "imperiali"
    ADAMS = "adams"
    HUNTINGTON_HILL = "huntington-hill"

    @property
    def is_quota(self) -> bool:
        """True for largest-remainder methods, False for divisor (highest-averages) methods."""
        return self in QUOTAS

    @property
    def label(self) -> str:
        """The name a protocol would print."""
        return TITLES[self]


# --- Quotas: votes per seat, computed from the admitted contestants' votes only ----------------------------


def hare_quota(votes: int, seats: int) -> Fraction:
    """V/S, unrounded: the largest quota, so remainder seats matter most; neutral between big and small lists.

    This is the quota of Kazakhstan's list tier: "the sum of the passing parties' votes divided by the number
    of seats" (Constitutional Law "On Elections", art. on the distribution of deputy mandates).
    """
    return Fraction(votes, seats)


def droop_quota(votes: int, seats: int) -> Fraction:
    """floor(V/(S+1)) + 1: the smallest whole quota only S lists can reach; integer seats never exceed S."""
    return Fraction(votes // (seats + 1) + 1)


def hagenbach_bischoff_quota(votes: int, seats: int) -> Fraction:
    """V/(S+1) exactly: slightly favours large lists; quotas can hand out S+1 seats when every share is exact."""
    return Fraction(votes, seats + 1)


def imperiali_quota(votes: int, seats: int) -> Fraction:
    """V/(S+2): favours large lists; the integer seats can exceed S by up to two, which are then taken back.

    Source: Wikipedia, "Imperiali quota" (the quota may award more seats than there are, and the allocation
    must then be corrected; saylau takes the excess from the smallest remainders).
    """
    return Fraction(votes, seats + 2)


# --- Divisors: priority of a contestant with v votes and s seats, as an integer pair (num, den) ------------
# A denominator of 0 means "infinite priority" (a first seat under Adams or Huntington-Hill); two infinite
# priorities are ordered by their numerators, which grow with the votes.


def dhondt(v: int, s: int) -> tuple[int, int]:
    """v/(s+1), divisors 1, 2, 3, ...: favours large lists; every list gets at least its lower quota."""
    return v, s + 1


def sainte_lague(v: int, s: int) -> tuple[int, int]:
    """v/(2s+1), divisors 1, 3, 5, ...: rounds to the nearest quota; the most neutral between large and small."""
    return v, 2 * s + 1


def modified_sainte_lague(v: int, s: int) -> tuple[int, int]:
    """v/1.4 for the first seat, then v/(2s+1): a higher first step keeps very small lists out (Scandinavia)."""
    return (5 * v, 7) if s == 0 else (v, 2 * s + 1)


def danish(v: int, s: int) -> tuple[int, int]:
    """v/(3s+1), divisors 1, 4, 7, ...: favours small lists more than Sainte-Laguë (Danish supplementary seats)."""
    return v, 3 * s + 1


def imperiali(v: int, s: int) -> tuple[int, int]:
    """v/(s+2), divisors 2, 3, 4, ...: favours large lists more than D'Hondt (Italian municipalities)."""
    return v, s + 2


def adams(v: int, s: int) -> tuple[int, int]:
    """v/s, divisors 0, 1, 2, ...: every list with votes gets a seat first; favours small lists."""
    return v, s


def huntington_hill(v: int, s: int) -> tuple[int, int]:
    """v/sqrt(s(s+1)), compared squared as v²/(s(s+1)); first seat infinite (US House apportionment)."""
    return v * v, s * (s + 1)


def compare_averages(n1: int, d1: int, n2: int, d2: int) -> int:
    """+1, 0, -1 as the average n1/d1 is above, equal to, below n2/d2, on integers (cross-multiplied).

    A denominator 0 is an infinite average (a first seat under Adams or Huntington-Hill); two infinite
    averages are ordered by their numerators, which grow with the votes.
    """
    if d1 == 0 or d2 == 0:
        if d1 != d2:
            return 1 if d1 == 0 else -1
        left, right = n1, n2
    else:
        left, right = n1 * d2, n2 * d1
    return (left > right) - (left < right)


Quota = Callable[[int, int], Fraction]
Divisor = Callable[[int, int], tuple[int, int]]


def averages_of(divisor: Divisor, votes: int, seats: int) -> tuple[Fraction | None, ...]:
    """A contestant's averages for seat 1 .. seats + 1, exact (None: infinite), as a protocol shows them."""
    pairs = (divisor(votes, s) for s in range(seats + 1))
    return tuple(None if den == 0 else Fraction(num, den) for num, den in pairs)


QUOTAS: Mapping[Method, Quota] = MappingProxyType(
    {
        Method.HARE: hare_quota,
        Method.DROOP: droop_quota,
        Method.HAGENBACH_BISCHOFF: hagenbach_bischoff_quota,
        Method.IMPERIALI_QUOTA: imperiali_quota,
    }
)

DIVISORS: Mapping[Method, Divisor] = MappingProxyType(
    {
        Method.DHONDT: dhondt,
        Method.SAINTE_LAGUE: sainte_lague,
        Method.MODIFIED_SAINTE_LAGUE: modified_sainte_lague,
        Method.DANISH: danish,
        Method.IMPERIALI: imperiali,
        Method.ADAMS: adams,
        Method.HUNTINGTON_HILL: huntington_hill,
    }
)

TITLES: Mapping[Method, str] = MappingProxyType(
    {
        Method.HARE: "Hare quota, largest remainders",
        Method.DROOP: "Droop quota, largest remainders",
        Method.HAGENBACH_BISCHOFF: "Hagenbach-Bischoff quota, largest remainders",
        Method.IMPERIALI_QUOTA: "Imperiali quota, largest remainders",
        Method.DHONDT: "D'Hondt (divisors 1, 2, 3, ...)",
        Method.SAINTE_LAGUE: "Sainte-Laguë (divisors 1, 3, 5, ...)",
        Method.MODIFIED_SAINTE_LAGUE: "modified Sainte-Laguë (divisors 1.4, 3, 5, ...)",
        Method.DANISH: "Danish (divisors 1, 4, 7, ...)",
        Method.IMPERIALI: "Imperiali (divisors 2, 3, 4, ...)",
        Method.ADAMS: "Adams (divisors 0, 1, 2, ...)",
        Method.HUNTINGTON_HILL: "Huntington-Hill (divisors sqrt(s(s+1)))",
    }
)

#: Quota methods whose quota is V/k: the k for each (used by the batch path's integer arithmetic).
QUOTA_DIVIDER: Mapping[Method, int] = MappingProxyType(
    {Method.HARE: 0, Method.HAGENBACH_BISCHOFF: 1, Method.IMPERIALI_QUOTA: 2}
)
