"""Backtest of the projection: reveal a finished count in a biased order and score the projection at each step.

Why: a projection is only as honest as its intervals are right. On elections whose final result is known,
we reveal the stations in a given order (small stations first, as when city centres report last), and at
each share counted we ask: do the 90% intervals of each party's seats contain the final seats, and is the
majority holder called right? Beside it, the naive call newsrooms make: the counted shares scaled up
(the partial count declared as if it were final; a district with nothing counted has no winner).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from saylau.analysis.projection.project import project
from saylau.composition import compose
from saylau.domain import Election
from saylau.tabulation import Protocol, Station, StationHistory, tabulate


@dataclass(frozen=True, slots=True)
class Score:
    """One election at one share counted: how the projection and the naive call did."""

    fraction: float
    parties: int
    covered: int
    """Parties whose final seats lie in the projection's 90% interval."""
    majority_right: bool
    naive_exact: int
    """Parties whose final seats the naive call got exactly."""
    naive_majority_right: bool
    held: bool
    """The final council has a majority holder."""


@dataclass(frozen=True, slots=True)
class FinishedCount:
    """An election whose count is finished and known: its register, every protocol, and (when the folder has
    them) each station's figures at the previous election."""

    election: Election
    stations: Sequence[Station]
    protocols: Sequence[Protocol]
    history: Mapping[int, StationHistory] | None = None


def score(
    finished: FinishedCount,
    order: Sequence[int],
    fractions: Sequence[float],
    *,
    draws: int = 2_000,
    seed: int = 0,
) -> list[Score]:
    """Scores at each fraction of `order` (station numbers, in the order they report) revealed."""
    election, stations, protocols = finished.election, finished.stations, finished.protocols
    final = compose(replace(election, results=tabulate(protocols, election, stations).results()))
    truth = {p.party: p.seats for p in final.parties}
    holder = final.majority_holder
    scores = []
    for fraction in fractions:
        shown = set(order[: max(1, round(len(order) * fraction))])
        revealed = tabulate([p for p in protocols if p.station in shown], election, stations)
        naive = compose(replace(election, results=revealed.results()))
        projection = project(election, stations, revealed.accepted, history=finished.history, draws=draws, seed=seed)
        scores.append(
            Score(
                fraction,
                len(projection.parties),
                sum(1 for p in projection.parties if truth[p.party] in p.seats),
                projection.likely_majority == holder,
                sum(1 for p in naive.parties if p.seats == truth[p.party]),
                naive.majority_holder == holder,
                holder is not None,
            )
        )
    return scores
