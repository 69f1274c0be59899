"""Seat allocation: thresholds, quota and divisor methods, ties, caps and an explained trace. Pure and exact.

No I/O and no framework: `int` and `Fraction` for every seat decision (the batch path uses int64
cross-multiplication with an overflow guard). `allocate` serves one constituency with its full trace;
`allocate_batch` serves a million simulated elections at once with the same results.

The law is read in `allocation.procedure` (the steps in order), `threshold`, `methods` (each quota and
divisor), `largest_remainder`, `highest_averages` and `ties`; the speed paths live apart in `fast/`, held
equal to them by property tests.
"""

from typing import TYPE_CHECKING, Any

from saylau.apportionment.allocation import allocate
from saylau.apportionment.contestants import Ballots, Contestant
from saylau.apportionment.methods import DIVISORS, QUOTAS, Method
from saylau.apportionment.threshold import Threshold, ThresholdBase, ThresholdLine, ThresholdReport
from saylau.apportionment.ties import Drawing, TieDecision, TieRule, Undecided
from saylau.apportionment.trace import Allocation, Cap, DivisorLine, QuotaLine, SeatAward

if TYPE_CHECKING:
    from saylau.apportionment.fast.batch import allocate_batch

__all__ = [
    "DIVISORS",
    "QUOTAS",
    "Allocation",
    "Ballots",
    "Cap",
    "Contestant",
    "DivisorLine",
    "Drawing",
    "Method",
    "QuotaLine",
    "SeatAward",
    "Threshold",
    "ThresholdBase",
    "ThresholdLine",
    "ThresholdReport",
    "TieDecision",
    "TieRule",
    "Undecided",
    "allocate",
    "allocate_batch",
]


def __getattr__(name: str) -> Any:
    """`allocate_batch` is imported on first use, so that numba loads only for those who need it."""
    if name == "allocate_batch":
        from saylau.apportionment.fast.batch import allocate_batch

        return allocate_batch
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
