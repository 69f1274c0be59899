"""From counted ballots to the council: district winners, list seats, named deputies, the majority."""

from saylau.composition.council import compose
from saylau.composition.deputies import Deputy, SeatKind
from saylau.composition.districts import Decision, DistrictOutcome, DistrictStatus, Standing, decide_district
from saylau.composition.result import Composition, PartySeats

__all__ = [
    "Composition",
    "Decision",
    "Deputy",
    "DistrictOutcome",
    "DistrictStatus",
    "PartySeats",
    "SeatKind",
    "Standing",
    "compose",
    "decide_district",
]
