"""The result as CSV, one row per party, and the party rows every tabular report shares.

`party_rows` joins a party's council line with its comparison line once, so the CSV, Markdown, wikitext and
HTML tables cannot disagree on a figure; numbers stay exact until `numbers` rounds them for display.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from saylau.composition import DistrictOutcome
from saylau.reports.numbers import as_float
from saylau.reports.safe import csv_cell
from saylau.result import Result

COLUMNS = (
    "party",
    "full_name",
    "list_votes",
    "list_percent",
    "list_seats",
    "district_seats",
    "seats",
    "previous_seats",
    "previous_percent",
    "seat_change",
    "swing_pp",
    "new",
)


@dataclass(frozen=True, slots=True)
class PartyRow:
    """One party's figures for a results table; None means unknown, or "New" for previous figures."""

    party: str
    full_name: str
    leader: str | None
    leader_since: str | None
    colour: str
    list_votes: int
    list_percent: Fraction | None
    list_seats: int
    district_seats: int
    seats: int
    previous_seats: int | None
    previous_percent: Fraction | None
    seat_change: int | None
    swing_pp: Fraction | None
    new: bool | None
    """None when there is no previous election to compare with."""


def party_rows(result: Result) -> list[PartyRow]:
    """Parties by list votes, most first (the order of the commission's table and of the infobox)."""
    election, composition, comparison = result.election, result.composition, result.comparison
    changes = {c.party: c for c in comparison.parties} if comparison else {}
    rows = []
    for line in composition.parties:
        party = election.party(line.party)
        change = changes.get(line.party)
        rows.append(
            PartyRow(
                line.party,
                party.full_name if party else line.party,
                party.leader if party else None,
                party.leader_since if party else None,
                party.colour if party else "#888888",
                line.list_votes,
                None if line.list_share is None else line.list_share * 100,
                line.list_seats,
                line.district_seats,
                line.seats,
                change.previous_seats if change else None,
                change.previous_percent if change else None,
                change.seat_change if change else None,
                change.swing_pp if change else None,
                change.is_new if change else None,
            )
        )
    order = {p.party: i for i, p in enumerate(composition.parties)}
    return sorted(rows, key=lambda r: (-r.list_votes, -r.seats, order[r.party]))


def render_csv(result: Result, *, raw: bool = False) -> str:
    """One header line and one line per party; percentages rounded half-up to 2 decimals, blanks for unknown.

    Text cells that a spreadsheet would run as a formula get a leading ' (see `safe.csv_cell`); `raw` keeps
    them as they are, for programs that read the file as data.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    cell: Callable[[str], object] = str if raw else csv_cell
    for row in party_rows(result):
        writer.writerow(
            [
                cell(row.party),
                cell(row.full_name),
                row.list_votes,
                _blank(as_float(row.list_percent)),
                row.list_seats,
                row.district_seats,
                row.seats,
                _blank(row.previous_seats),
                _blank(as_float(row.previous_percent)),
                _blank(row.seat_change),
                _blank(as_float(row.swing_pp)),
                "" if row.new is None else str(row.new).lower(),
            ]
        )
    return out.getvalue()


def _blank(value: object) -> object:
    return "" if value is None else value


def district_cells(outcome: DistrictOutcome) -> list[str]:
    """One district's line as the tables print it: number, winner, party, votes, margin, decision."""
    return [
        str(outcome.number),
        outcome.winner.name if outcome.winner else "—",
        (outcome.winner.party or "self-nominated") if outcome.winner else "",
        f"{outcome.standings[0].votes:,}" if outcome.standings else "",
        f"{outcome.margin:,}" if outcome.margin is not None else "",
        outcome.reason,
    ]
