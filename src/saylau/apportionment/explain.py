"""An allocation's trace as a JSON-ready dict: data only; the words of the annex live in `reports.allocation`.

The dict carries every fraction both exactly ("p/q") and rounded half-up, so nothing is lost for a checker.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from saylau.apportionment.threshold import ThresholdReport
from saylau.apportionment.ties import TieDecision
from saylau.apportionment.trace import Allocation, DivisorLine, QuotaLine


def decimal(value: Fraction | int, places: int = 4) -> Decimal:
    """An exact value rounded half-up to `places` decimals."""
    exact = Decimal(Fraction(value).numerator) / Decimal(Fraction(value).denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def exact(value: Fraction | None, places: int = 6) -> dict[str, Any] | None:
    """A fraction for JSON: {"exact": "p/q", "decimal": 12.345678}; None (infinite or absent) stays None."""
    if value is None:
        return None
    return {"exact": f"{value.numerator}/{value.denominator}", "decimal": float(decimal(value, places))}


def to_dict(a: Allocation) -> dict[str, Any]:
    """A JSON-ready dict of the allocation and its trace."""
    return {
        "seats": dict(a.seats),
        "seats_total": a.seats_total,
        "seats_decided": a.seats_decided,
        "method": a.method.value,
        "threshold": _threshold(a.threshold),
        "quota": exact(a.quota),
        "lines": [_line(line) for line in a.lines],
        "order": [{"seat": s.seat, "name": s.name, "value": exact(s.value)} for s in a.order],
        "withdrawn": [{"seat": s.seat, "name": s.name, "value": exact(s.value)} for s in a.withdrawn],
        "capped": [{"name": c.name, "cap": c.cap, "entitled": c.entitled} for c in a.capped],
        "ties": [_tie(tie) for tie in a.ties],
        "undecided": None if a.undecided is None else {"names": list(a.undecided.names), "seats": a.undecided.seats},
        "tie_rule": a.tie_rule.value,
        "seed": a.seed,
    }


def _threshold(t: ThresholdReport) -> dict[str, Any]:
    rule = None
    if t.threshold is not None:
        rule = {"percent": exact(t.threshold.percent), "votes": t.threshold.votes, "base": t.threshold.base.value}
    return {
        "rule": rule,
        "min_admitted": t.min_admitted,
        "base_votes": t.base_votes,
        "required_votes": exact(t.required_votes),
        "lines": [
            {
                "name": line.name,
                "votes": line.votes,
                "share": exact(line.share),
                "passed": line.passed,
                "margin_pp": exact(line.margin_pp),
                "admitted_by_minimum": line.admitted_by_minimum,
            }
            for line in t.lines
        ],
    }


def _line(line: QuotaLine | DivisorLine) -> dict[str, Any]:
    if isinstance(line, QuotaLine):
        return {
            "name": line.name,
            "votes": line.votes,
            "quotas": exact(line.quotas),
            "integer_seats": line.integer_seats,
            "remainder": exact(line.remainder),
            "seats": line.seats,
        }
    return {"name": line.name, "votes": line.votes, "seats": line.seats, "averages": [exact(v) for v in line.averages]}


def _tie(tie: TieDecision) -> dict[str, Any]:
    return {
        "names": list(tie.names),
        "seats": tie.seats,
        "rule": tie.rule.value,
        "winners": list(tie.winners),
        "value": exact(tie.value),
        "stage": tie.stage,
        "seed": tie.seed,
        **({"drawn": True} if tie.drawn else {}),  # only then: older outputs stay byte for byte
    }
