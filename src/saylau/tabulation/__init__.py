"""Polling-station protocols: their control relations (checks) and the count upward to district and city.

Pure core: no I/O. Readers live in `saylau.io.protocols`, the command in `saylau.cli.protocols`.
"""

from saylau.tabulation.aggregation import Progress, Status, Tabulation, counted_results, tabulate
from saylau.tabulation.checks import (
    CATALOGUE,
    CHECKS,
    Check,
    CheckSettings,
    Finding,
    LeftOut,
    Severity,
    check,
    errors_by_protocol,
)
from saylau.tabulation.protocol import BALLOT_KINDS, FIGURES, BallotKind, Protocol, Station, StationHistory

__all__ = [
    "BALLOT_KINDS",
    "CATALOGUE",
    "CHECKS",
    "FIGURES",
    "BallotKind",
    "Check",
    "CheckSettings",
    "Finding",
    "LeftOut",
    "Progress",
    "Protocol",
    "Severity",
    "Station",
    "StationHistory",
    "Status",
    "Tabulation",
    "check",
    "counted_results",
    "errors_by_protocol",
    "tabulate",
]
