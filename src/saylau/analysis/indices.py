"""How proportional a council is, and how fragmented: the indices political scientists quote.

A report shows them beside the seats so a reader can tell a lopsided allocation (a 7% threshold, a plurality
district tier) from a proportional one, and compare Almaty 2023 with 2021 on one scale.

- Gallagher least-squares index (Gallagher 1991): sqrt(1/2 * sum (v_i - s_i)^2), in percentage points.
- Loosemore-Hanby index (Loosemore and Hanby 1971): 1/2 * sum |v_i - s_i|, in percentage points: the share
  of seats that went to parties beyond their vote share.
- Effective number of parties (Laakso and Taagepera 1979): 1 / sum p_i^2, by votes or by seats.

Shares are proportions (1/2, not 50) as `Fraction`s; everything is exact except the Gallagher index, whose
square root is taken only at the end (`gallagher_squared` keeps the exact radicand).
A party missing from one mapping counts as 0 there (a party with votes and no seat, an independent with a
seat and no list votes).

The convention (`council_indices`, `list_tier_indices`): the standard one of the literature (Gallagher 1991;
Taagepera and Shugart 1989), vote shares over the votes of the entries compared, so vote shares and seat
shares each sum to 1: by default the parties' list votes, the Kazakh percentages' "against all" left out of
the base. With `against_all=` the "against all" votes enter as one more entry that holds no seat (shares
then over party votes plus "against all", the Kazakh percentage base), which shows the seats the votes
against everyone could not buy. Almaty 2023's list tier: 2.77 by the standard convention, 6.00 with
"against all" as a seatless entry.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from saylau.composition import Composition

K = TypeVar("K", bound=Hashable)

INDEPENDENTS = ("independents",)
"""The entry under which self-nominated district winners enter the seat shares (with no list votes)."""

AGAINST_ALL = ("against all",)
"""The entry of "against all" votes (with no seat), when the caller asks for it. Parties enter as
`("party", short_name)`, so no party name can collide with either."""


def shares(counts: Mapping[K, int], base: int | None = None) -> dict[K, Fraction]:
    """Each count as an exact proportion of `base` (default: the sum of the counts); empty when base is 0."""
    total = sum(counts.values()) if base is None else base
    if total == 0:
        return {}
    return {name: Fraction(n, total) for name, n in counts.items()}


def _gaps(votes: Mapping[K, Fraction], seats: Mapping[K, Fraction]) -> Iterable[Fraction]:
    """Vote share minus seat share per party, in percentage points, over the union of both mappings."""
    for name in dict.fromkeys([*votes, *seats]):
        yield (votes.get(name, Fraction(0)) - seats.get(name, Fraction(0))) * 100


def gallagher_squared(votes: Mapping[K, Fraction], seats: Mapping[K, Fraction]) -> Fraction:
    """The Gallagher index squared, exact: 1/2 * sum (v_i - s_i)^2 with shares in percentage points."""
    return sum((gap * gap for gap in _gaps(votes, seats)), Fraction(0)) / 2


def gallagher(votes: Mapping[K, Fraction], seats: Mapping[K, Fraction]) -> float:
    """Least-squares index (percentage points): large gaps weigh more than many small ones.

    Worked example (calculator.academy, Gallagher index calculator, shares in %: A 42/48, B 31/28, C 17/18,
    D 10/6): squared gaps 36 + 9 + 1 + 16 = 62; halved 31; root 5.57.

    Wikipedia's "Gallagher index" tabulates New Zealand 2005 (party vote % against seat %); its squared gaps
    0.0484 + 0.3249 + 0.0049 + 0.1156 + 1.3924 + 0.0361 + 0.0196 + 0.1156 + 0.3844 + 0.0625 + 0.0144
    + 0.0049 + 0.0025 + 0.0025 + 0.0016 + 0.0009 + 0.0009 + 0.0004 + 0.0004 add up to 2.5329 (halved
    1.26645, root 1.13), not the 2.4711 and 1.11 the article prints: its total is a slip, the rows are right.
    """
    return math.sqrt(gallagher_squared(votes, seats))


def loosemore_hanby(votes: Mapping[K, Fraction], seats: Mapping[K, Fraction]) -> Fraction:
    """Half the sum of absolute gaps (percentage points): the share of seats held beyond vote shares.

    Worked example (the four-party example of the Gallagher calculator at calculator.academy, shares in %:
    A 42/48, B 31/28, C 17/18, D 10/6): |gaps| 6 + 3 + 1 + 4 = 14, halved = 7.
    """
    return sum((abs(gap) for gap in _gaps(votes, seats)), Fraction(0)) / 2


def effective_number(party_shares: Mapping[K, Fraction]) -> Fraction | None:
    """Laakso-Taagepera effective number of parties, 1 / sum p_i^2; None when there are no shares.

    Two equal parties give 2; shares 0.45, 0.45, 0.10 give 1 / (0.2025 + 0.2025 + 0.01) = 1 / 0.415 = 200/83
    = 2.41 (the "two strong parties and one weaker" row of Wikipedia's "Effective number of parties").
    """
    concentration = sum((p * p for p in party_shares.values()), Fraction(0))
    return None if concentration == 0 else 1 / concentration


@dataclass(frozen=True, slots=True)
class Indices:
    """The council's indices: list votes against whole-council seats."""

    gallagher: float
    loosemore_hanby: Fraction
    effective_parties_votes: Fraction | None
    effective_parties_seats: Fraction | None


def council_indices(composition: Composition, against_all: int | None = None) -> Indices | None:
    """Indices of a council: list vote shares against shares of all seats filled; None without a list tier.

    Under a parallel system the district seats widen the gap between list votes and seats, which is exactly
    what the index should show; independents hold seats with no list votes and count as one group.
    Vacant seats are left out of the seat base (they belong to no one yet). `against_all`: see the module.
    """
    votes = _vote_shares(composition, against_all)
    if votes is None:
        return None
    seat_counts: dict[tuple[str, ...], int] = {("party", p.party): p.seats for p in composition.parties}
    if composition.independents:
        seat_counts[INDEPENDENTS] = composition.independents
    return _indices(votes, shares(seat_counts))


def list_tier_indices(composition: Composition, against_all: int | None = None) -> Indices | None:
    """Indices of the list tier alone: list vote shares against shares of the list seats.

    This is the proportionality the list formula itself delivers (threshold and rounding), without the
    district seats; None without a list tier or before any list seat is decided.
    """
    votes = _vote_shares(composition, against_all)
    list_seats: dict[tuple[str, ...], int] = {("party", p.party): p.list_seats for p in composition.parties}
    if votes is None or not sum(list_seats.values()):
        return None
    return _indices(votes, shares(list_seats))


def _vote_shares(composition: Composition, against_all: int | None) -> dict[tuple[str, ...], Fraction] | None:
    """List vote shares over the votes of the entries compared (parties, and "against all" when given)."""
    if all(p.list_share is None for p in composition.parties):
        return None
    counts: dict[tuple[str, ...], int] = {("party", p.party): p.list_votes for p in composition.parties}
    if against_all is not None:
        counts[AGAINST_ALL] = against_all
    return shares(counts)


def _indices(votes: Mapping[tuple[str, ...], Fraction], seats: Mapping[tuple[str, ...], Fraction]) -> Indices:
    return Indices(
        gallagher(votes, seats), loosemore_hanby(votes, seats), effective_number(votes), effective_number(seats)
    )
