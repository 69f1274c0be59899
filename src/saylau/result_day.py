"""The declared result of an election day: each contest declared on its own, in the day's order.

`declare_day` is `declare` (saylau.result) for every contest of an `ElectionDay`, or for the ones named: a
contest's result never depends on another's, so declaring one contest of a day gives exactly what its
folder gives on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from saylau.domain import CountStatus, ElectionDay
from saylau.domain.day import Contest
from saylau.result import Result, declare


@dataclass(frozen=True, slots=True)
class DayResult:
    """An election day and the declared result of its contests (all of them, or those asked for)."""

    day: ElectionDay
    results: Mapping[str, Result]
    """Contest id -> its declared result, in the day's order."""

    @property
    def contests(self) -> tuple[tuple[Contest, Result], ...]:
        """(contest, result) pairs in the day's order, for the contests declared."""
        return tuple((c, self.results[c.id]) for c in self.day.contests if c.id in self.results)

    @property
    def status(self) -> CountStatus:
        """The least final of its contests: partial if any is, certified only when all are, else complete."""
        statuses = {r.status for r in self.results.values()}
        if CountStatus.PARTIAL in statuses:
            return CountStatus.PARTIAL
        if statuses == {CountStatus.CERTIFIED}:
            return CountStatus.CERTIFIED
        return CountStatus.COMPLETE


def declare_day(day: ElectionDay, contests: Iterable[str] | None = None) -> DayResult:
    """Declare every contest of the day (or the ones named, in the day's order)."""
    wanted = None if contests is None else set(contests)
    return DayResult(day, {c.id: declare(c.election) for c in day.contests if wanted is None or c.id in wanted})
