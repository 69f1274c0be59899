"""Open lists: who takes a list's seats, by the candidates' preference votes.

A candidate with at least the threshold is elected first, most preference votes first; the list's other seats
go to the others in list order (the Netherlands, Kieswet P 15-17: 25% of the electoral quota) or by their
preference votes (Poland, Electoral Code art. 232: no threshold, the most votes win). The threshold is data
(`OpenList`): a share of the electoral quota (the constituency's valid list votes / its list seats), a share
of the list's own votes, or a number of votes. Exact: a candidate reaches it iff votes >= threshold, compared
as fractions.

Equal preference votes matter only where they decide who takes the list's last seats ranked by votes; there
the rule is `OpenList.tie` (`CandidateTie`): the earlier place on the list; more polling districts in which
the one had more votes than the other (Poland, art. 232 s.2), then lot; or lot (Kieswet P 15(2)). A lot is
the commission's recorded drawing (`Drawing`: its winners take the seats), else a replayable seeded draw, else
the tie waits for the drawing (`CandidateTieOutcome.winners` empty). Elsewhere equal votes keep list order.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from saylau.apportionment import Drawing
from saylau.rules import CandidateTie, OpenList, PreferenceBase, PreferenceRest

StationVotes = Mapping[int, Mapping[str, int]]
"""A list's preference votes per polling station: station -> candidate -> votes (for art. 232 s.2)."""


class TieSettled(StrEnum):
    """How a tie of preference votes for a list's last seats was settled."""

    LIST_ORDER = "list-order"
    STATIONS = "stations"
    """By the polling districts in which each had more votes than the others tied (Poland, art. 232 s.2)."""
    DRAWN = "drawn"
    """By the commission's recorded drawing of lots."""
    LOT = "lot"
    """By a seeded drawing of lots (its seed recorded)."""
    UNDECIDED = "undecided"
    """A drawing of lots is required and not recorded: the seats at stake wait for it."""


@dataclass(frozen=True, slots=True)
class CandidateTieOutcome:
    """Candidates of one list tied on preference votes for `seats` of its last seats, and how it was settled."""

    tied: tuple[str, ...]
    """In list order."""
    seats: int
    votes: int
    settled: TieSettled
    winners: tuple[str, ...]
    """Who took the seats at stake (empty while a drawing of lots is awaited)."""
    stations: tuple[int, ...] = ()
    """Art. 232 s.2: for each of `tied`, the polling districts in which it had more votes than every other."""
    seed: int | None = None


@dataclass(frozen=True, slots=True)
class Preferred:
    """The order in which a list's candidates take its seats, and who reached the threshold."""

    order: tuple[str, ...]
    """Every name still on the list, in the order they take seats."""
    over: tuple[str, ...]
    """Those over the preference threshold, most votes first."""
    threshold: Fraction
    tie: CandidateTieOutcome | None = None
    """A tie of preference votes that decided who takes the last seats ranked by votes, if there was one."""


@dataclass(frozen=True, slots=True)
class TieBreak:
    """Where equal preference votes decide a seat (the list's `seats`) and what settles them: the rule, each
    station's votes, the recorded drawings, a seed."""

    seats: int
    rule: CandidateTie = CandidateTie.LIST_ORDER
    stations: StationVotes | None = None
    drawn: Sequence[Drawing] = ()
    seed: int | None = None


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
    ties: TieBreak | None = None,
) -> Preferred:
    """The list's names (those in `skip` left out: elected elsewhere, withdrawn) in the order they take seats.

    `ties`: the list's seats, where a tie of votes across the last of them decides who is elected, and the
    rule (None: no tie is settled, equal votes keep list order)."""
    names = [n for n in candidates if n not in skip]
    place = {n: i for i, n in enumerate(names)}
    need = threshold(rule, quota, list_votes)

    def most(n: str) -> tuple[int, int]:
        return (-votes.get(n, 0), place[n])

    over = sorted((n for n in names if votes.get(n, 0) > 0 and votes.get(n, 0) >= need), key=most)
    chosen = set(over)
    rest = [n for n in names if n not in chosen]
    by_votes = list(over)
    if rule.rest is PreferenceRest.PREFERENCE:
        rest.sort(key=most)
        by_votes += rest
    tie = None
    if ties is not None:
        by_votes, tie = _settle_boundary(by_votes, votes, ties)
        if rule.rest is PreferenceRest.PREFERENCE:
            over = [n for n in by_votes if n in chosen]
            rest = [n for n in by_votes if n not in chosen]
        else:
            over = by_votes
    return Preferred((*over, *rest), tuple(n for n in over if n in chosen), need, tie)


def _settle_boundary(
    ranked: list[str], votes: Mapping[str, int], ties: TieBreak
) -> tuple[list[str], CandidateTieOutcome | None]:
    """`ranked` (most votes first, list order within equal votes) with the group of equal votes that straddles
    the `seats`-th place put in the order the tie rule gives, and that tie."""
    seats = ties.seats
    if seats <= 0 or seats >= len(ranked):
        return ranked, None
    at = votes.get(ranked[seats - 1], 0)
    if votes.get(ranked[seats], 0) != at:
        return ranked, None
    group = [n for n in ranked if votes.get(n, 0) == at]
    start = ranked.index(group[0])
    first, outcome = _break(group, seats - start, at, ties)
    rest = [n for n in group if n not in first]
    return [*ranked[:start], *first, *rest, *ranked[start + len(group) :]], outcome


def _break(group: list[str], stake: int, votes: int, ties: TieBreak) -> tuple[list[str], CandidateTieOutcome]:
    """Who of `group` (list order, equal votes) goes first for `stake` seats, and the tie as settled. Under
    art. 232 s.2 those with more polling districts won go first; a drawing decides only among those still
    equal there (the outcome then names them and the seats left to them)."""
    if ties.rule is CandidateTie.LIST_ORDER:
        return group[:stake], CandidateTieOutcome(
            tuple(group), stake, votes, TieSettled.LIST_ORDER, tuple(group[:stake])
        )
    sure: list[str] = []
    drawn, wins = list(group), tuple[int, ...]()
    if ties.rule is CandidateTie.MORE_STATIONS:
        won = {n: _stations_won(n, group, ties.stations or {}) for n in group}
        for level in sorted(set(won.values()), reverse=True):  # whole levels within the seats go first
            here = [n for n in group if won[n] == level]
            if len(sure) + len(here) > stake:
                drawn = here
                break
            sure += here
        if len(sure) == stake:
            wins = tuple(won[n] for n in group) if ties.stations is not None else ()
            return sure, CandidateTieOutcome(tuple(group), stake, votes, TieSettled.STATIONS, tuple(sure), wins)
        wins = tuple(won[n] for n in drawn) if ties.stations is not None else ()
    left = stake - len(sure)
    for drawing in ties.drawn:
        if drawing.settles(drawn, left):
            winners = tuple(n for n in drawn if n in drawing.winners)
            return [*sure, *winners], CandidateTieOutcome(tuple(drawn), left, votes, TieSettled.DRAWN, winners, wins)
    if ties.seed is not None:
        chosen = set(random.Random(ties.seed).sample(drawn, left))
        winners = tuple(n for n in drawn if n in chosen)
        outcome = CandidateTieOutcome(tuple(drawn), left, votes, TieSettled.LOT, winners, wins, ties.seed)
        return [*sure, *winners], outcome
    return sure, CandidateTieOutcome(tuple(drawn), left, votes, TieSettled.UNDECIDED, (), wins)


def _stations_won(name: str, group: Sequence[str], stations: StationVotes) -> int:
    """The polling districts in which `name` had more votes than every other candidate of `group`."""
    others = [n for n in group if n != name]
    return sum(1 for counted in stations.values() if all(counted.get(name, 0) > counted.get(o, 0) for o in others))
