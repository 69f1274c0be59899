"""The result as CSV: one row per party, then the ballot and seat lines, so the columns add up.

A data format: English column names and machine numbers (`151531`, `51.94`), whatever the report language.
Rows come from the one view (`reports.view`) in its order; the `kind` column says what each row is
(`party`, `against_all`, `share_base`, `invalid`, `cast`, `registered`, `turnout` (its percentage, and its
change in points in `swing_pp`), `independents`, `vacant`,
`not_reported`, `undecided`, `total`), and every row carries the count's `status` and stations reported /
expected (list ballot), so a partial count can never be read as final.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from fractions import Fraction

from saylau.reports.numbers import rounded
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
                _pct(row.list_percent),
                row.list_seats,
                row.district_seats,
                row.seats,
                _blank(row.previous_seats),
                _pct(row.previous_percent),
                _blank(row.seat_change),
                _pct(row.swing_pp),
                "" if row.new is None else str(row.new).lower(),
                "party",
                *status,
            ]
        )
    for line in view.ballot_lines:
        label = _LABELS[line.kind.value]
        writer.writerow([label, label, line.count, _pct(line.percent), *[""] * 8, line.kind.value, *status])
    if view.turnout is not None:  # turnout in the percent column, its change since the last election as the swing
        change = "" if view.turnout_change_pp is None or view.partial else _pct(view.turnout_change_pp)
        writer.writerow(["turnout", "turnout", "", _pct(view.turnout), *[""] * 6, change, "", "turnout", *status])
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


def _pct(value: Fraction | None) -> str:
    """A percentage or percentage-point figure as the tables print it: two decimals, rounded half-up (51.94,
    100.00, -16.17); blank when unknown."""
    return "" if value is None else str(rounded(value))


def _blank(value: object) -> object:
    return "" if value is None else value
