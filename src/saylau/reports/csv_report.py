"""The result as CSV: one row per party, then the ballot and seat lines, so the columns add up.

A data format: English column names and machine numbers (`151531`, `51.94`), whatever the report language.
Rows come from the one view (`reports.view`) in its order; the `kind` column says what each row is
(`party`, `against_all`, `share_base`, `invalid`, `cast`, `registered`, `independents`, `vacant`,
`not_reported`, `undecided`, `total`), and every row carries the count's `status` and stations reported /
expected (list ballot), so a partial count can never be read as final.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from saylau.reports.numbers import as_float
from saylau.reports.safe import csv_cell
from saylau.reports.view import PartyRow, ResultView, build_view, party_rows
from saylau.result import Result

__all__ = ["COLUMNS", "PartyRow", "party_rows", "render_csv"]

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
    "kind",
    "status",
    "stations_reported",
    "stations_expected",
)

_LABELS = {
    "against_all": "against all",
    "blank": "blank ballots",
    "share_base": "total (100%)",
    "invalid": "invalid ballots",
    "cast": "ballots cast",
    "registered": "registered voters",
    "independents": "independents",
    "vacant": "vacant",
    "not_reported": "not yet reported",
    "undecided": "list seats awaiting a decision",
}


def render_csv(result: Result, *, raw: bool = False) -> str:
    """Header, party rows, ballot lines and seat lines; percentages rounded half-up to 2 decimals.

    Text cells that a spreadsheet would run as a formula get a leading ' (see `safe.csv_cell`); `raw` keeps
    them as they are, for programs that read the file as data.
    """
    view = build_view(result)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    cell: Callable[[str], object] = str if raw else csv_cell
    status = _status(view)
    for row in view.parties:
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
                "party",
                *status,
            ]
        )
    for line in view.ballot_lines:
        label = _LABELS[line.kind.value]
        writer.writerow([label, label, line.count, _blank(as_float(line.percent)), *[""] * 8, line.kind.value, *status])
    for seats in view.seat_lines:
        label = _LABELS[seats.kind.value]
        writer.writerow([label, label, "", "", "", "", seats.seats, *[""] * 5, seats.kind.value, *status])
    writer.writerow(["total", "total", "", "", "", "", view.seats_total, *[""] * 5, "total", *status])
    return out.getvalue()


def _status(view: ResultView) -> list[object]:
    stations = view.stations
    return [
        view.status.value,
        _blank(stations and stations.stations_reported),
        _blank(stations and stations.stations_expected),
    ]


def _blank(value: object) -> object:
    return "" if value is None else value
