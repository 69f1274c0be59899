"""Constituencies and the explained steps of compensation, thresholds and coverage, as words and JSON.

The core (`saylau.composition.tiers`) returns typed steps; this module is where they become sentences
(English; the catalogues can take them over) and JSON objects. Nothing is printed for an election that
uses none of these rules, so a plain one-constituency result reads exactly as before.
"""

from __future__ import annotations

from typing import Any

from rich.table import Table

from saylau.composition import Composition
from saylau.composition.tiers import NATIONAL, Step, StepKind
from saylau.reports.numbers import as_float


def _where(step: Step) -> str:
    return f" in {step.constituency}" if step.constituency != NATIONAL else ""


def _n(value: Any) -> str:
    return f"{int(value):,}" if value is not None and value == int(value) else f"{float(value):,.2f}"


def sentence(step: Step) -> str:
    """One step in words."""
    party, where = step.party or "", _where(step)
    if step.kind is StepKind.APPORTIONED:
        return f"{step.constituency}: {_n(step.value)} list seats apportioned"
    if step.kind is StepKind.ADMITTED:
        rule = {
            "districts": "by the districts it won (threshold alternative)",
            "exempt": "as exempt from the threshold",
            "minimum": "to reach the minimum number of lists",
        }.get(step.detail, step.detail)
        return f"{party} takes part in the list seats {rule}"
    if step.kind is StepKind.FRAGMENT_VOTES:
        return f"{party}: {_n(step.value)} fragment votes from the districts added to its list votes"
    if step.kind is StepKind.PREFERENTIAL_SEAT:
        return f"{party}: {_n(step.value)} votes reach the preferential quota of {_n(step.other)}: one seat"
    if step.kind is StepKind.ENTITLEMENT:
        return f"{party}{where}: proportional share {_n(step.value)} seats, {_n(step.other)} won in districts"
    if step.kind is StepKind.OVERHANG:
        extra = int((step.other or 0) - step.value)
        return f"{party}{where}: won {_n(step.other)} districts against a share of {_n(step.value)}: overhang {extra}"
    if step.kind is StepKind.HOUSE_SIZE:
        return f"The body has {_n(step.value)} seats instead of {_n(step.other)}"
    if step.kind is StepKind.NOT_COVERED:
        return (
            f"{party}{where}: {_n(step.value)} district winner(s) not seated, "
            f"its second votes cover {_n(step.other)} seats"
        )
    average = "an unbounded average" if step.other is None else f"average {_n(step.other)}"
    return f"{party}{where}: list seat at {average}, holding {_n(step.value)} seats (districts counted)"


def constituency_rows(composition: Composition) -> list[list[str]]:
    """Header, one row per constituency (seats per party, list + district) and the total; [] for one."""
    named = [c for c in composition.constituencies if c.name != NATIONAL]
    if not named:
        return []
    parties = [p.party for p in composition.parties if p.seats]
    rows = [["Constituency", *parties, "Seats"]]
    for c in named:
        cells = [c.list_seats.get(p, 0) + c.district_seats.get(p, 0) for p in parties]
        rows.append([c.name, *(str(n) for n in cells), str(sum(cells))])
    totals = [p.seats for p in composition.parties if p.seats]
    rows.append(["Total", *(str(n) for n in totals), str(sum(totals))])
    return rows


def constituency_table(composition: Composition) -> Table | None:
    """The constituency rows as a terminal table, or None for a one-constituency result."""
    rows = constituency_rows(composition)
    if not rows:
        return None
    table = Table(title="Constituencies", title_style="bold")
    for i, name in enumerate(rows[0]):
        table.add_column(name, justify="left" if i == 0 else "right")
    for row in rows[1:-1]:
        table.add_row(*row)
    table.add_row(*rows[-1], style="bold")
    return table


def tiers_json(composition: Composition) -> dict[str, Any]:
    """`constituencies`, `steps` and `admission` for the JSON result, only those that apply."""
    out: dict[str, Any] = {}
    named = [c for c in composition.constituencies if c.name != NATIONAL]
    if named:
        out["constituencies"] = [
            {
                "name": c.name,
                "list_seats_total": c.list_seats_total,
                "parties": [
                    {
                        "name": p,
                        "list_votes": c.list_votes.get(p, 0),
                        "list_seats": c.list_seats.get(p, 0),
                        "district_seats": c.district_seats.get(p, 0),
                    }
                    for p in sorted(set(c.list_seats) | set(c.district_seats) | set(c.list_votes))
                    if p
                ],
            }
            for c in named
        ]
    if composition.steps:
        out["steps"] = [
            {
                "kind": s.kind.value,
                "constituency": s.constituency or None,
                "party": s.party,
                "value": as_float(s.value),
                "other": as_float(s.other) if s.other is not None else None,
                "detail": s.detail or None,
                "text": sentence(s),
            }
            for s in composition.steps
        ]
    if composition.admission is not None:
        out["admission"] = [
            {"party": a.party, "by": a.by.value, "required_percent": as_float(a.required_percent)}
            for a in composition.admission.admissions
        ]
    if any(p.uncovered for p in composition.parties):
        out["not_covered"] = {p.party: p.uncovered for p in composition.parties if p.uncovered}
    return out
