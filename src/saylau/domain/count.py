"""How far the count has got: the status of a result and the progress of each ballot.

On election night a result is declared again and again from a partial count; every reader must be able to
tell a partial count from a complete or certified one (Kazakhstan: the territorial commission establishes
the result only once every precinct commission's protocol is in; Constitutional Law "On Elections", art. 43).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class CountStatus(StrEnum):
    """`partial` while protocols are missing, `complete` when every expected one is in, then `certified`."""

    PARTIAL = "partial"
    COMPLETE = "complete"
    CERTIFIED = "certified"


@dataclass(frozen=True, slots=True)
class BallotProgress:
    """How much of one ballot is counted: stations and registered voters covered by accepted protocols."""

    ballot: str
    stations_reported: int
    stations_expected: int
    registered_covered: int
    registered_expected: int

    @property
    def status(self) -> CountStatus:
        """`complete` once every registered station has an accepted protocol for this ballot."""
        complete = self.stations_reported >= self.stations_expected
        return CountStatus.COMPLETE if complete else CountStatus.PARTIAL


@dataclass(frozen=True, slots=True)
class BallotAccounting:
    """Where one ballot's papers went, summed over the accepted station protocols (lines of the form).

    received = issued + cancelled (+ papers lost, which the checks flag); issued includes the absentee and
    outside-the-station ballots ("of which" lines); found is the ballots found in the boxes (took part).
    """

    received: int
    issued: int
    issued_absentee: int
    issued_outside: int
    cancelled: int
    found: int


def count_status(progress: Mapping[str, BallotProgress], *, certified: bool = False) -> CountStatus:
    """The status of a whole count: partial while any ballot is; a count without progress is complete.

    A folder of published totals (no station protocols) carries no progress: it is the final count.
    """
    if certified:
        return CountStatus.CERTIFIED
    if any(p.status is CountStatus.PARTIAL for p in progress.values()):
        return CountStatus.PARTIAL
    return CountStatus.COMPLETE
