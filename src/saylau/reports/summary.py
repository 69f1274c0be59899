"""The result as one JSON-ready dictionary: the schema `saylau results --json` prints (docs/json.md)."""

from __future__ import annotations

from typing import Any

from saylau.apportionment.explain import to_dict
from saylau.domain import CountStatus
from saylau.reports.numbers import as_float
from saylau.reports.tiers import tiers_json
from saylau.reports.view import build_view
from saylau.result import Result


def summary(result: Result) -> dict[str, Any]:
    """Council, parties, districts, deputies and comparison, with percentages rounded to 2 decimals.

    Parties, ballot lines, districts and deputies come from the one view (`reports.view`), in its order.
    """
    election, composition, comparison = result.election, result.composition, result.comparison
    view = build_view(result)
    turnout = election.results.turnout
    parties = [
        {
            "name": row.party,
            "full_name": row.full_name,
            "list_votes": row.list_votes,
            "list_percent": as_float(row.list_percent),
            "list_seats": row.list_seats,
            "district_seats": row.district_seats,
            "seats": row.seats,
            "seat_change": row.seat_change,
            "swing_pp": as_float(row.swing_pp),
            "previous_seats": row.previous_seats,
            "new": row.new,
        }
        for row in view.parties
    ]
    return {
        "election": election.name,
        "body": election.body.name,
        "date": election.date.isoformat() if election.date else None,
        "status": result.status.value,
        "progress": {
            ballot: {
                "stations_reported": p.stations_reported,
                "stations_expected": p.stations_expected,
                "registered_covered": p.registered_covered,
                "registered_expected": p.registered_expected,
            }
            for ballot, p in result.progress.items()
        },
        "seats_total": composition.seats_total,
        "seats_filled": composition.seats_filled,
        "majority": composition.majority,
        "majority_holder": None if view.partial else composition.majority_holder,
        "leading_party": view.majority.party,
        "turnout_percent": as_float(None if turnout is None else turnout * 100),
        "published_turnout_percent": as_float(election.results.published_turnout),
        "turnout_change_pp": as_float(comparison.turnout_change_pp) if comparison else None,
        "independents": composition.independents,
        "vacancies": [d.number for d in composition.vacancies],
        "not_reported": [d.number for d in composition.unreported],
        "undecided_list_seats": composition.undecided_list_seats,
        "majority_state": view.majority.state.value,
        "parties": parties,
        "ballot_lines": [
            {"kind": line.kind.value, "count": line.count, "percent": as_float(line.percent)}
            for line in view.ballot_lines
        ],
        "districts": [
            {
                "number": d.number,
                "status": d.status.value,
                "decision": d.decision.value,
                "winner": d.winner,
                "party": d.party,
                "votes": d.votes,
                "margin": d.margin,
                "tied": list(d.tied),
                "lot_seed": d.lot_seed,
                "candidates": [{"name": c.name, "party": c.party, "votes": c.votes} for c in d.candidates],
            }
            for d in view.districts
        ],
        "deputies": [
            {
                "name": dep.name,
                "party": dep.party,
                "kind": dep.kind.value,
                "district": dep.district,
                "list_position": dep.list_position,
                # only where they apply, so a one-constituency closed-list result reads as before
                **({"constituency": dep.constituency} if dep.constituency else {}),
                **({"preference_votes": dep.preference_votes} if dep.preference_votes is not None else {}),
            }
            for dep in view.deputies
        ],
        "lots": _lots(result),
        "list_allocation": to_dict(composition.list_allocation) if composition.list_allocation else None,
        "previous_election": comparison.previous.name if comparison else None,
        "majority_change": _majority_change(result),
        **tiers_json(composition),
    }


def _lots(result: Result) -> list[dict[str, Any]]:
    """Ties left to the commission: the drawing of lots that settled each (`decided`), or `required`."""
    out = []
    for tie in result.ties:
        record = None if tie.decision is None else result.election.decisions[tie.decision]
        out.append(
            {
                "tier": tie.tier.value,
                "constituency": tie.constituency or None,
                "district": tie.district,
                "tied": list(tie.tied),
                "votes": list(tie.votes),
                "seats": tie.seats,
                "status": "required" if record is None else "decided",
                "winners": list(tie.winners),
                "drawn_on": record.drawn_on or None if record else None,
                "recorded_by": record.recorded_by or None if record else None,
                "note": record.note or None if record else None,
            }
        )
    return out


def _majority_change(result: Result) -> dict[str, Any] | None:
    comparison, composition = result.comparison, result.composition
    change = comparison.majority_change(composition.seats_total, composition.majority) if comparison else None
    if change is None or result.status is CountStatus.PARTIAL:
        return None
    return {
        "party_before": change.party_before,
        "seats_before": change.seats_before,
        "majority_before": change.held_before,
        "party_now": change.party_now,
        "seats_now": change.seats_now,
        "majority_now": change.held_now,
    }
