"""`project`: the likely council while the count is partial, with honest uncertainty.

Draw many plausible completions of the count (`completion.py`), run the full rules on each (`council.py`),
and summarise: each party's chance of passing the threshold, the median and 90% interval of its list,
district and total seats, each party's (or nobody's) chance of a majority, and each district's chance for
each candidate. Deterministic for a seed. With every station counted every draw is the count itself, so
the projection is the declared result with certainty.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from saylau.analysis.projection import council
from saylau.analysis.projection.completion import BoolArray, Completions, CountArrays, count_arrays
from saylau.analysis.projection.model import IntArray
from saylau.domain import Election
from saylau.tabulation import Protocol, Station, StationHistory
from saylau.tabulation.fast import AcceptedRows

CHUNK = 25_000
"""Draws handled at once: bounds memory (a few tens of MB) whatever the number of draws."""

LOW, HIGH = 0.05, 0.95
"""The 90% interval: the 5th and 95th percentiles of the draws."""


@dataclass(frozen=True, slots=True)
class SeatRange:
    """Median and 90% interval of a seat count over the draws."""

    median: int
    low: int
    high: int

    def __contains__(self, seats: object) -> bool:
        return isinstance(seats, int) and self.low <= seats <= self.high


@dataclass(frozen=True, slots=True)
class PartyProjection:
    """One party: chance of passing the threshold, seat ranges, chance of a majority on its own."""

    party: str
    passes_threshold: float
    list_seats: SeatRange
    district_seats: SeatRange
    seats: SeatRange
    majority: float


@dataclass(frozen=True, slots=True)
class CandidateChance:
    """A district candidate's chance of winning the seat."""

    name: str
    party: str | None
    wins: float


@dataclass(frozen=True, slots=True)
class DistrictProjection:
    """One district: how far its count is, and each candidate's chance (plus the chance of no winner)."""

    number: int
    stations_counted: int
    stations_expected: int
    candidates: tuple[CandidateChance, ...]
    vacant: float


@dataclass(frozen=True, slots=True)
class Projection:
    """The projected council. Probabilities are shares of the draws; seats are whole numbers."""

    draws: int
    seed: int
    seats_total: int
    majority: int
    stations_counted: int
    stations_expected: int
    registered_counted: int
    registered_expected: int
    uses_previous: bool
    parties: tuple[PartyProjection, ...]
    no_majority: float
    districts: tuple[DistrictProjection, ...]

    @property
    def complete(self) -> bool:
        """Every station has reported both ballots: the projection is the count."""
        return self.stations_counted >= self.stations_expected

    @property
    def likely_majority(self) -> str | None:
        """The most likely majority holder (None: most likely no one), ties to the first party."""
        best = max(self.parties, key=lambda p: p.majority, default=None)
        return best.party if best is not None and best.majority > self.no_majority else None


def project(
    election: Election,
    stations: Sequence[Station],
    counted: Iterable[Protocol] | AcceptedRows,
    *,
    history: Mapping[int, StationHistory] | None = None,
    draws: int = 10_000,
    seed: int = 0,
) -> Projection:
    """Project the council from the accepted protocols so far (`Tabulation.accepted`: the column reader's
    tables, or protocol objects).

    `history` (station number -> its previous-election figures) sharpens the estimate where stations
    report in a biased order. Raises NothingCounted when a ballot has no counted station, RuleError for
    systems the vectorised rules do not cover.
    """
    council.check_supported(election)
    return project_arrays(election, count_arrays(election, stations, counted, history), draws=draws, seed=seed)


def project_arrays(election: Election, arrays: CountArrays, *, draws: int = 10_000, seed: int = 0) -> Projection:
    """`project` from the register and count as arrays (`count_arrays`): a caller that has them need not keep
    the protocols while the model runs."""
    council.check_supported(election)
    if draws < 1:
        raise ValueError("draws must be at least 1")
    rng = np.random.default_rng(seed)
    completions = Completions(arrays, rng)
    parts = [_councils(election, completions, min(CHUNK, draws - start), seed) for start in range(0, draws, CHUNK)]
    admitted = np.concatenate([p.admitted for p in parts])
    list_seats = np.concatenate([p.list_seats for p in parts])
    district_seats = np.concatenate([p.district_seats for p in parts])
    winners = np.concatenate([p.winners for p in parts])
    seats = list_seats + district_seats
    holds = seats >= election.body.majority
    parties = tuple(
        PartyProjection(
            name,
            float(admitted[:, i].mean()),
            _range(list_seats[:, i]),
            _range(district_seats[:, i]),
            _range(seats[:, i]),
            float(holds[:, i].mean()),
        )
        for i, name in enumerate(arrays.parties)
    )
    both = _both_counted(arrays)
    return Projection(
        draws=draws,
        seed=seed,
        seats_total=election.body.seats,
        majority=election.body.majority,
        stations_counted=int(both.sum()),
        stations_expected=int(arrays.registered.shape[0]),
        registered_counted=int(arrays.registered[both].sum()),
        registered_expected=int(arrays.registered.sum()),
        uses_previous=arrays.history is not None,
        parties=parties,
        no_majority=float((~holds.any(axis=1)).mean()),
        districts=_districts(election, arrays.district, both, arrays.candidates, winners),
    )


def _councils(election: Election, completions: Completions, n: int, seed: int) -> council.Councils:
    return council.councils(election, completions.list_draws(n), completions.district_draws(n), seed)


def _both_counted(arrays: CountArrays) -> BoolArray:
    """Stations whose every ballot is counted."""
    both = np.ones(arrays.registered.shape[0], np.bool_)
    for ballot in (arrays.list_ballot, arrays.district_ballot):
        if ballot is not None:
            both &= ballot.counted
    return both


def _range(values: IntArray) -> SeatRange:
    low, median, high = np.quantile(values, [LOW, 0.5, HIGH], method="inverted_cdf")
    return SeatRange(int(median), int(low), int(high))


def _districts(
    election: Election,
    station_district: IntArray,
    counted: BoolArray,
    candidates: Sequence[tuple[str, str | None, int]],
    winners: IntArray,
) -> tuple[DistrictProjection, ...]:
    out = []
    for k, district in enumerate(sorted(election.districts, key=lambda d: d.number)):
        mine = station_district == k
        wins = np.bincount(winners[:, k] + 1, minlength=len(candidates) + 1) / winners.shape[0]
        chances = tuple(
            CandidateChance(name, party, float(wins[j + 1])) for j, (name, party, d) in enumerate(candidates) if d == k
        )
        out.append(
            DistrictProjection(
                district.number,
                int((mine & counted).sum()),
                int(mine.sum()),
                chances,
                float(wins[0]),
            )
        )
    return tuple(out)
