"""The declared result of an election: what every renderer, export and page reads.

`declare` is the one use case of the core: validated election in, council and comparison out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from saylau.analysis import Comparison, compare
from saylau.composition import Composition, compose
from saylau.composition.lots import Refusal, Tie, misfits, ties
from saylau.domain import BallotProgress, CountStatus, Election, LotDecision
from saylau.tabulation import Protocol, Station, Tabulation, tabulate


@dataclass(frozen=True, slots=True)
class Result:
    """An election with its council and its comparison with the previous election."""

    election: Election
    composition: Composition
    comparison: Comparison | None

    @property
    def status(self) -> CountStatus:
        """How final this result is: `partial` while protocols are missing, `complete`, or `certified`."""
        return self.election.results.status

    @property
    def progress(self) -> Mapping[str, BallotProgress]:
        """Per ballot (`list`, `district`): stations and registered voters counted; empty for published totals."""
        return self.election.results.progress

    @property
    def ties(self) -> tuple[Tie, ...]:
        """Ties the rules leave to the commission: settled by a recorded drawing of lots, or still open."""
        return ties(self.election, self.composition)

    @property
    def lots_required(self) -> tuple[Tie, ...]:
        """The ties still waiting for a drawing of lots (the declaration stops there for those seats)."""
        return tuple(t for t in self.ties if t.decision is None)

    @property
    def misfits(self) -> tuple[Refusal, ...]:
        """Recorded drawings of lots that settle no tie of this count: each must be refused, never ignored."""
        return misfits(self.election, self.ties)


def declare(election: Election) -> Result:
    """Tabulated ballots -> allocation -> council -> comparison."""
    composition = compose(election)
    return Result(election, composition, compare(election, composition))


def declare_count(
    election: Election,
    stations: Sequence[Station],
    protocols: Sequence[Protocol],
    decisions: Sequence[LotDecision] | None = None,
) -> tuple[Tabulation, Result]:
    """Count accepted station protocols and declare the council while the count runs (the service):
    `tabulate`, the one assembly of a count's results (`counted_results`, keeping what the election
    published), then `declare`. `decisions`: the recorded drawings of lots (default: the election's own).

    A list ballot with protocols in but no vote for any party yet decides no list seat here, as before its
    first protocol (a running count shows the districts meanwhile); `saylau results` refuses such a folder,
    whose count is meant to be the final one."""
    tabulation = tabulate(protocols, election, stations)
    return tabulation, declare_tabulation(election, tabulation, decisions)


def declare_tabulation(
    election: Election, tabulation: Tabulation, decisions: Sequence[LotDecision] | None = None
) -> Result:
    """Declare the council of a count already tabulated (`declare_count`'s, or the service's running tallies,
    `saylau.service.tallies`, which equal it): the one assembly of its results, then `declare`."""
    results = tabulation.results(election.results)
    if results.list_tally is not None and results.list_tally.option_votes == 0:
        results = replace(results, list_tally=None)
    found = election.decisions if decisions is None else tuple(decisions)
    return declare(replace(election, results=results, decisions=found))
