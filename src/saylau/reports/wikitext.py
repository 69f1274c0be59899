"""The result as Wikipedia wikitext: an `{{Infobox legislative election}}` and a results wikitable.

The infobox carries the fields the English Wikipedia articles on Kazakh mäslihat elections use (see the
2023 Almaty City Mäslihat article): per party its leader, "last election" as "29 seats, 68.11%", seats,
seat change, list votes, list percentage and swing, "New" for a party that did not stand; then the
secretary before and after. Changes are written signed (-16.17pp) rather than with {{increase}} templates,
so the text reads the same outside Wikipedia.
"""

from __future__ import annotations

import re

from saylau.reports.csv_report import PartyRow, party_rows
from saylau.reports.numbers import percent, rounded, signed
from saylau.result import Result


def render_wikitext(result: Result) -> str:
    """The infobox followed by the results table."""
    return _infobox(result) + "\n" + _table(result)


def _infobox(result: Result) -> str:
    election, composition, comparison = result.election, result.composition, result.comparison
    fields: list[tuple[str, str]] = [
        ("election_name", election.name),
        ("type", "parliamentary"),
        ("ongoing", "no"),
    ]
    if comparison:
        fields += [("previous_election", comparison.previous.name)]
        if year := _year(comparison.previous.name):
            fields.append(("previous_year", year))
    fields += [
        ("seats_for_election", f"All {composition.seats_total} seats in the [[{election.body.name}]]"),
        ("majority_seats", str(composition.majority)),
    ]
    turnout = election.results.turnout
    if turnout is not None:
        change = comparison.turnout_change_pp if comparison else None
        fields.append(("turnout", percent(turnout * 100) + (f" ({signed(change)}pp)" if change is not None else "")))
    if election.date:
        fields.append(("election_date", f"{election.date.day} {election.date:%B %Y}"))
    for i, row in enumerate(party_rows(result), start=1):
        fields += _party_fields(i, row, comparison is not None)
    if election.secretary_before or election.secretary_after:
        fields += [
            ("title", "Secretary"),
            ("before_election", election.secretary_before or ""),
            ("before_party", _party_name(result, election.secretary_before_party)),
            ("after_election", election.secretary_after or ""),
            ("after_party", _party_name(result, election.secretary_after_party)),
        ]
    lines = ["{{Infobox legislative election"]
    lines += [f"| {name} = {value}" for name, value in fields]
    lines.append("}}")
    return "\n".join(lines) + "\n"


def _party_fields(i: int, row: PartyRow, compared: bool) -> list[tuple[str, str]]:
    fields = [(f"party{i}", f"[[{row.full_name}]]")]
    if row.leader:
        fields.append((f"leader{i}", row.leader))
    if row.leader_since:
        fields.append((f"leader_since{i}", row.leader_since))
    if compared:
        last = "New" if row.new else f"{row.previous_seats} seats, {percent(row.previous_percent)}"
        fields.append((f"last_election{i}", last))
    fields.append((f"seats{i}", str(row.seats)))
    if compared:
        fields.append((f"seat_change{i}", signed(row.seat_change)))
    fields += [(f"popular_vote{i}", f"{row.list_votes:,}"), (f"percentage{i}", f"{percent(row.list_percent)} (PR)")]
    if compared:
        fields.append((f"swing{i}", "New" if row.swing_pp is None else f"{signed(row.swing_pp)}pp"))
    return fields


def _table(result: Result) -> str:
    composition = result.composition
    compared = result.comparison is not None
    header = ["Party", "List votes", "%", "List seats", "District seats", "Total seats"]
    if compared:
        header.append("+/–")
    lines = ['{| class="wikitable" style="text-align:right"', "! " + " !! ".join(header)]
    for row in party_rows(result):
        cells = [
            f'style="text-align:left" | [[{row.full_name}]]',
            f"{row.list_votes:,}",
            "—" if row.list_percent is None else str(rounded(row.list_percent)),
            str(row.list_seats),
            str(row.district_seats),
            str(row.seats),
        ]
        if compared:
            cells.append(signed(row.seat_change))
        lines += ["|-", "| " + " || ".join(cells)]
    extra = [("Independents", composition.independents), ("Vacant", len(composition.vacancies))]
    for label, seats in extra:
        if seats:
            cells = [f'style="text-align:left" | {label}', "", "", "", str(seats), str(seats)]
            lines += ["|-", "| " + " || ".join(cells + ([""] if compared else []))]
    total = sum(p.list_votes for p in composition.parties)
    cells = ['style="text-align:left" | Total', f"{total:,}", "", "", "", str(composition.seats_total)]
    lines += ["|-", "! " + " !! ".join(cells + ([""] if compared else []))]
    lines.append("|}")
    return "\n".join(lines) + "\n"


def _party_name(result: Result, short_name: str | None) -> str:
    if short_name is None:
        return ""
    party = result.election.party(short_name)
    return f"[[{party.full_name if party else short_name}]]"


def _year(name: str) -> str | None:
    match = re.match(r"\d{4}", name)
    return match.group(0) if match else None
