"""Open lists: who takes a list's seats, by the candidates' preference votes.

A candidate with at least the threshold is elected first, most preference votes first; the list's other seats
go to the others in list order (the Netherlands, Kieswet P 15-17: 25% of the electoral quota) or by their
preference votes (Poland: no threshold, the most votes win). The threshold is data (`OpenList`): a share of
the electoral quota (the constituency's valid list votes / its list seats), a share of the list's own votes,
or a number of votes. Exact: a candidate reaches it iff votes >= threshold, compared as fractions. Equal
preference votes go to the earlier place on the list.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from fractions import Fraction

from saylau.rules import OpenList, PreferenceBase, PreferenceRest


@dataclass(frozen=True, slots=True)
class Preferred:
    """The order in which a list's candidates take its seats, and who reached the threshold."""

    order: tuple[str, ...]
    """Every name still on the list, in the order they take seats."""
    over: tuple[str, ...]
    """Those over the preference threshold, most votes first."""
    threshold: Fraction


def threshold(rule: OpenList, quota: Fraction, list_votes: int) -> Fraction:
    """The preference votes a candidate needs, exactly."""
    if rule.base is PreferenceBase.QUOTA:
        return rule.share * quota
    if rule.base is PreferenceBase.LIST:
        return rule.share * list_votes
    return Fraction(rule.votes)


def preferred_order(
    rule: OpenList,
    candidates: tuple[str, ...],
    votes: Mapping[str, int],
    *,
    quota: Fraction,
    list_votes: int,
    skip: Collection[str] = (),
) -> Preferred:
    """The list's names (those in `skip` left out: elected elsewhere, withdrawn) in the order they take seats."""
    names = [n for n in candidates if n not in skip]
    place = {n: i for i, n in enumerate(names)}
    need = threshold(rule, quota, list_votes)

    def most(n: str) -> tuple[int, int]:
        return (-votes.get(n, 0), place[n])

    over = sorted((n for n in names if votes.get(n, 0) > 0 and votes.get(n, 0) >= need), key=most)
    chosen = set(over)
    rest = [n for n in names if n not in chosen]
    if rule.rest is PreferenceRest.PREFERENCE:
        rest.sort(key=most)
    return Preferred((*over, *rest), tuple(over), need)
