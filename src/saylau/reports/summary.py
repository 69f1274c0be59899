"""The result as one JSON-ready dictionary: the schema `saylau results --json` prints (docs/json.md)."""

from __future__ import annotations

from typing import Any

from saylau.reports.numbers import as_float
from saylau.reports.tiers import tiers_json
from saylau.result import Result


def summary(result: Result) -> dict[str, Any]:
    """Council, parties, districts, deputies and comparison, with percentages rounded to 2 decimals."""
    election, composition, comparison = result.election, result.composition, result.comparison
    changes = {c.party: c for c in comparison.parties} if comparison else {}
    turnout = election.results.turnout
    parties = []
    for line in composition.parties:
        change = changes.get(line.party)
        parties.append(
            {
                "name": line.party,
                "full_name": (p := election.party(line.party)) and p.full_name,
                "list_votes": line.list_votes,
                "list_percent": as_float(None if line.list_share is None else line.list_share * 100),
                "list_seats": line.list_seats,
                "district_seats": line.district_seats,
                "seats": line.seats,
                "seat_change": change.seat_change if change else None,
                "swing_pp": as_float(change.swing_pp) if change else None,
                "previous_seats": change.previous_seats if change else None,
                "new": change.is_new if change else None,
            }
        )
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
        "majority_holder": composition.majority_holder,
        "turnout_percent": as_float(None if turnout is None else turnout * 100),
        "turnout_change_pp": as_float(comparison.turnout_change_pp) if comparison else None,
        "independents": composition.independents,
        "vacancies": [d.number for d in composition.vacancies],
        "undecided_list_seats": composition.undecided_list_seats,
        "parties": parties,
        "districts": [
            {
                "number": d.number,
                "status": d.status.value,
                "winner": d.winner.name if d.winner else None,
                "party": d.winner.party if d.winner else None,
                "votes": d.standings[0].votes if d.winner and d.standings else None,
                "margin": d.margin,
                "reason": d.reason,
            }
            for d in composition.districts
        ],
        "deputies": [
            {
                "name": dep.name,
                "party": dep.party,
                "kind": dep.kind.value,
                "district": dep.district,
                "list_position": dep.list_position,
            }
            for dep in composition.deputies
        ],
        "list_allocation": composition.list_allocation.to_dict() if composition.list_allocation else None,
        "previous_election": comparison.previous.name if comparison else None,
        "majority_change": _majority_change(result),
        **tiers_json(composition),
    }


def _majority_change(result: Result) -> dict[str, Any] | None:
    comparison, composition = result.comparison, result.composition
    change = comparison.majority_change(composition.seats_total, composition.majority) if comparison else None
    if change is None:
        return None
    return {
        "party_before": change.party_before,
        "seats_before": change.seats_before,
        "majority_before": change.held_before,
        "party_now": change.party_now,
        "seats_now": change.seats_now,
        "majority_now": change.held_now,
    }
