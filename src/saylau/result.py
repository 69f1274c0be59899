"""The declared result of an election: what every renderer, export and page reads.

`declare` is the one use case of the core: validated election in, council and comparison out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from saylau.analysis import Comparison, compare
from saylau.composition import Composition, compose
from saylau.domain import BallotProgress, CountStatus, Election


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


def declare(election: Election) -> Result:
    """Tabulated ballots -> allocation -> council -> comparison."""
    composition = compose(election)
    return Result(election, composition, compare(election, composition))
