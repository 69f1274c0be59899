"""An allocation's trace as plain text (the protocol's annex) and as a JSON-ready dict.

Figures are exact until shown: shown decimals are rounded half-up, as commissions publish them; the dict
carries every fraction both exactly ("p/q") and rounded, so nothing is lost for a checker.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from saylau.apportionment.threshold import ThresholdBase
from saylau.apportionment.trace import Allocation, DivisorLine, QuotaLine

_BASES = {
    ThresholdBase.VALID: "party votes + against all",
    ThresholdBase.PARTY: "party votes",
    ThresholdBase.CAST: "party votes + against all + invalid",
}


def decimal(value: Fraction | int, places: int = 4) -> Decimal:
    """An exact value rounded half-up to `places` decimals."""
    exact = Decimal(Fraction(value).numerator) / Decimal(Fraction(value).denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def exact(value: Fraction | None, places: int = 6) -> dict[str, Any] | None:
    """A fraction for JSON: {"exact": "p/q", "decimal": 12.345678}; None (infinite or absent) stays None."""
    if value is None:
        return None
    return {"exact": f"{value.numerator}/{value.denominator}", "decimal": float(decimal(value, places))}


def _table(header: list[str], rows: list[list[str]], indent: str = "  ") -> list[str]:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    out = []
    for row in [header, *rows]:
        cells = [c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        out.append(indent + "  ".join(cells).rstrip())
    return out


def _avg(value: Fraction | None) -> str:
    return "inf" if value is None else str(decimal(value, 4))


def explain(a: Allocation) -> str:
    """The whole trace as plain text: threshold table, quota or averages, remainder seats, caps, ties."""
    out = [f"Seats to fill: {a.seats_total}. Method: {a.method.label}."]
    t = a.threshold
    base = _BASES[t.threshold.base if t.threshold else ThresholdBase.VALID]
    if t.threshold is None:
        out.append(f"No threshold. Share base: {base} = {t.base_votes}.")
    else:
        rule = []
        if t.threshold.percent is not None:
            rule.append(f"{decimal(t.threshold.percent, 2).normalize():f}% of {base} ({t.base_votes})")
        if t.threshold.votes is not None:
            rule.append(f"{t.threshold.votes} votes")
        out.append(
            f"Threshold: {' and '.join(rule)}; required {decimal(t.required_votes, 2)} votes (reaching it passes)."
        )
    rows = []
    for line in t.lines:
        status = "passed" if line.passed else ("admitted (minimum)" if line.admitted_by_minimum else "out")
        rows.append(
            [
                line.name,
                str(line.votes),
                f"{decimal(line.share * 100, 4)}",
                f"{'+' if line.margin_pp >= 0 else ''}{decimal(line.margin_pp, 4)}",
                status,
            ]
        )
    out += _table(["Contestant", "Votes", "Share %", "Margin pp", "Result"], rows)
    if t.min_admitted and any(line.admitted_by_minimum for line in t.lines):
        out.append(f"Fewer than {t.min_admitted} passed: the next largest admitted until {t.min_admitted} take part.")
    out.append("")
    quota_lines = [line for line in a.lines if isinstance(line, QuotaLine)]
    divisor_lines = [line for line in a.lines if isinstance(line, DivisorLine)]
    if a.method.is_quota:
        capped = {c.name for c in a.capped}
        shared_votes = sum(line.votes for line in quota_lines if line.name not in capped)
        shared_seats = a.seats_total - sum(line.seats for line in quota_lines if line.name in capped)
        if a.quota is not None:
            out.append(
                f"Quota from the admitted lists' votes: {shared_votes} votes, {shared_seats} seats -> "
                f"{a.quota} = {decimal(a.quota, 6)} votes per seat."
            )
        rows = [
            [
                line.name,
                str(line.votes),
                str(decimal(line.quotas, 6)),
                str(line.integer_seats),
                str(decimal(line.remainder, 4)),
                str(decimal(line.remainder / a.quota, 6)) if a.quota else "-",
                str(line.seats),
            ]
            for line in quota_lines
        ]
        header = ["Contestant", "Votes", "Votes/quota", "Integer", "Remainder", "Rem./quota", "Seats"]
        out += _table(header, rows)
        if a.order:
            out.append("Seats by largest remainder, in order:")
            out += [f"  {s.seat}. {s.name} (remainder {decimal(s.value or 0, 4)} votes)" for s in a.order]
        if a.withdrawn:
            out.append("The quotas gave more seats than exist; taken back from the smallest remainders:")
            out += [f"  {s.seat}. {s.name} (remainder {decimal(s.value or 0, 4)} votes)" for s in a.withdrawn]
    else:
        squared = " (squared: votes² / (s(s+1)))" if a.method.value == "huntington-hill" else ""
        out.append(f"Averages{squared}; 'inf' is a first seat of infinite priority:")
        rows = [
            [
                line.name,
                str(line.votes),
                str(line.seats),
                _avg(line.averages[-2]) if line.seats else "-",
                _avg(line.averages[-1]),
            ]
            for line in divisor_lines
        ]
        out += _table(["Contestant", "Votes", "Seats", "Last winning average", "Next average"], rows)
        out.append("Seats in the order they fell:")
        out += [f"  {s.seat}. {s.name} ({_avg(s.value)})" for s in a.order]
    for cap in a.capped:
        entitled = f" (entitled to {cap.entitled})" if cap.entitled is not None else ""
        out.append(f"Cap: {cap.name} holds at most {cap.cap} seat(s){entitled}; further seats go to the others.")
    for tie in a.ties:
        what = {"remainder": "remainders", "average": "averages", "excess": "remainders, giving back a seat"}
        value = "" if tie.value is None else f" at {decimal(tie.value, 4)}"
        out.append(
            f"Tie of {what.get(tie.stage, tie.stage)}{value}: {', '.join(tie.names)} for {tie.seats} seat(s); "
            f"rule {tie.rule.value}"
            + (f" (seed {tie.seed})" if tie.seed is not None else "")
            + (f": {', '.join(tie.winners)}." if tie.winners else ": left to the commission.")
        )
    if a.undecided is not None:
        out.append(f"Undecided: {a.undecided.seats} seat(s) among {', '.join(a.undecided.names)} await a decision.")
    out.append("")
    out.append("Result: " + ", ".join(f"{name} {n}" for name, n in a.seats.items()) + ".")
    return "\n".join(out)


def to_dict(a: Allocation) -> dict[str, Any]:
    """A JSON-ready dict of the allocation and its trace."""
    t = a.threshold
    threshold = None
    if t.threshold is not None:
        threshold = {
            "percent": exact(t.threshold.percent),
            "votes": t.threshold.votes,
            "base": t.threshold.base.value,
        }
    lines: list[dict[str, Any]] = []
    for line in a.lines:
        if isinstance(line, QuotaLine):
            lines.append(
                {
                    "name": line.name,
                    "votes": line.votes,
                    "quotas": exact(line.quotas),
                    "integer_seats": line.integer_seats,
                    "remainder": exact(line.remainder),
                    "seats": line.seats,
                }
            )
        else:
            lines.append(
                {
                    "name": line.name,
                    "votes": line.votes,
                    "seats": line.seats,
                    "averages": [exact(v) for v in line.averages],
                }
            )
    return {
        "seats": dict(a.seats),
        "seats_total": a.seats_total,
        "seats_decided": a.seats_decided,
        "method": a.method.value,
        "threshold": {
            "rule": threshold,
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
        },
        "quota": exact(a.quota),
        "lines": lines,
        "order": [{"seat": s.seat, "name": s.name, "value": exact(s.value)} for s in a.order],
        "withdrawn": [{"seat": s.seat, "name": s.name, "value": exact(s.value)} for s in a.withdrawn],
        "capped": [{"name": c.name, "cap": c.cap, "entitled": c.entitled} for c in a.capped],
        "ties": [
            {
                "names": list(tie.names),
                "seats": tie.seats,
                "rule": tie.rule.value,
                "winners": list(tie.winners),
                "value": exact(tie.value),
                "stage": tie.stage,
                "seed": tie.seed,
            }
            for tie in a.ties
        ],
        "undecided": None if a.undecided is None else {"names": list(a.undecided.names), "seats": a.undecided.seats},
        "tie_rule": a.tie_rule.value,
        "seed": a.seed,
    }
