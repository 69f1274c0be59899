"""Election-night projection: the likely council from a partial count (see docs/projection.md)."""

from saylau.analysis.projection.completion import NothingCounted
from saylau.analysis.projection.project import (
    CandidateChance,
    DistrictProjection,
    PartyProjection,
    Projection,
    SeatRange,
    project,
    project_arrays,
)
from saylau.tabulation import StationHistory

__all__ = [
    "CandidateChance",
    "DistrictProjection",
    "NothingCounted",
    "PartyProjection",
    "Projection",
    "SeatRange",
    "StationHistory",
    "project",
    "project_arrays",
]
