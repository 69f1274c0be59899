"""The projection as JSON, terminal tables, and an HTML panel with a chart of the seat intervals.

Every output says it is a projection (never the count): the JSON has `"kind": "projection"`, the tables'
titles and the panel's heading say "Projection", and no counted figure is printed beside projected ones.
"""

from __future__ import annotations

from fractions import Fraction
from html import escape
from typing import Any

from rich.console import RenderableType
from rich.text import Text

from saylau.analysis.projection import Projection, SeatRange
from saylau.domain import CountStatus
from saylau.reports import counted
from saylau.reports.i18n import N_, Words, words

LABEL = "Projection"


def projection_json(projection: Projection) -> dict[str, Any]:
    """The schema of `saylau project --json` (docs/projection.md)."""
    return {
        "kind": "projection",
        "draws": projection.draws,
        "seed": projection.seed,
        "complete": projection.complete,
        "count_status": (CountStatus.COMPLETE if projection.complete else CountStatus.PARTIAL).value,
        "uses_previous": projection.uses_previous,
        "stations_counted": projection.stations_counted,
        "stations_expected": projection.stations_expected,
        "registered_counted": projection.registered_counted,
        "registered_expected": projection.registered_expected,
        "seats_total": projection.seats_total,
        "majority": projection.majority,
        "majority_probability": {
            **{p.party: round(p.majority, 4) for p in projection.parties},
            "none": round(projection.no_majority, 4),
        },
        "likely_majority": projection.likely_majority,
        "parties": [
            {
                "name": p.party,
                "passes_threshold": round(p.passes_threshold, 4),
                "list_seats": _range(p.list_seats),
                "district_seats": _range(p.district_seats),
                "seats": _range(p.seats),
                "majority": round(p.majority, 4),
            }
            for p in projection.parties
        ],
        "districts": [
            {
                "number": d.number,
                "stations_counted": d.stations_counted,
                "stations_expected": d.stations_expected,
                "candidates": [{"name": c.name, "party": c.party, "wins": round(c.wins, 4)} for c in d.candidates],
                "no_winner": round(d.vacant, 4),
            }
            for d in projection.districts
        ],
    }


def _range(seats: SeatRange) -> dict[str, int]:
    return {"median": seats.median, "low": seats.low, "high": seats.high}


def _interval(seats: SeatRange) -> str:
    return str(seats.median) if seats.low == seats.high else f"{seats.median} ({seats.low}–{seats.high})"


def _chance(p: float) -> str:
    """A probability as people read it: never "100%" or "0%" unless every draw agrees."""
    if p >= 1.0:
        return "100%"
    if p <= 0.0:
        return "0%"
    return ">99%" if p > 0.99 else "<1%" if p < 0.01 else f"{p:.0%}"


def projection_tables(projection: Projection, w: Words | None = None, width: int = 100) -> list[RenderableType]:
    """The terminal report in the language of `w` (English when none is given), every table fitting `width`:
    what is counted, parties with seat intervals, majority, districts."""
    from saylau.reports.text import fitted_table

    w = w or words("en")
    share = Fraction(projection.registered_counted * 100, max(projection.registered_expected, 1))
    counted_now = w.n(
        "{stations} counted ({covered} of registered voters); {n} draw, seed {seed}",
        "{stations} counted ({covered} of registered voters); {n} draws, seed {seed}",
        projection.draws,
        stations=counted.of_stations(w, projection.stations_counted, projection.stations_expected),
        covered=w.fmt.percent(share, 0),
        seed=projection.seed,
    ) + ("; " + w("covariate: previous election") if projection.uses_previous else "")
    parts: list[RenderableType] = [Text(w("Projection, not the count"), style="bold"), Text(counted_now)]
    columns = (N_("Party"), N_("Passes threshold"), N_("List seats"), N_("District seats"), N_("Seats"), N_("Majority"))
    rows = [
        [
            p.party,
            _chance_in(w, p.passes_threshold),
            _interval(p.list_seats),
            _interval(p.district_seats),
            _interval(p.seats),
            _chance_in(w, p.majority),
        ]
        for p in projection.parties
    ]
    rows.append([w("no majority"), "", "", "", "", _chance_in(w, projection.no_majority)])
    parts.append(
        fitted_table(
            w("Projection: seats, median (90% interval)"), [w(c) for c in columns], rows, {1, 2, 3, 4, 5}, width
        )
    )
    parts.append(Text(w("Majority: {seats}", seats=counted.of_seats(w, projection.majority, projection.seats_total))))
    district_rows = []
    for d in projection.districts:
        ranked = sorted(d.candidates, key=lambda c: -c.wins)
        lead = ranked[0] if ranked else None
        others = [f"{c.name} {_chance_in(w, c.wins)}" for c in ranked[1:] if c.wins > 0]
        if d.vacant > 0:
            others.append(w("no winner {chance}", chance=_chance_in(w, d.vacant)))
        district_rows.append(
            [
                str(d.number),
                f"{d.stations_counted}/{d.stations_expected}",
                "" if lead is None else f"{lead.name} ({lead.party or w('self-nominated')}) {_chance_in(w, lead.wins)}",
                "; ".join(others),
            ]
        )
    header = [w(N_("District")), w(N_("Counted")), w(N_("Leading")), w(N_("Others"))]
    districts = fitted_table(w("Projection: districts, chance of winning"), header, district_rows, {0, 1}, width)
    parts.append(districts)
    return parts


def _chance_in(w: Words, p: float) -> str:
    """`_chance` in the reader's language: 57%, 57 %, >99 %."""
    if p >= 1.0 or p <= 0.0:
        return w.fmt.percent(Fraction(100 if p >= 1.0 else 0), 0)
    if p > 0.99:
        return ">" + w.fmt.percent(Fraction(99), 0)
    if p < 0.01:
        return "<" + w.fmt.percent(Fraction(1), 0)
    return w.fmt.percent(Fraction(round(p * 100)), 0)


def projection_panel(
    projection: Projection,
    colours: dict[str, str] | None = None,
    w: Words | None = None,
    names: dict[str, str] | None = None,
) -> str:
    """An HTML fragment for the public results page: the seat intervals as an inline SVG chart, in the
    language of `w` (English when none is given), parties under `names` (their localised short names).

    Self-contained (no script, no external resource), headed and captioned as a projection so that a
    page never shows it as counted figures.
    """
    w = w or words("en")
    colours = colours or {}
    names = names or {}
    top = max([projection.seats_total // 2 + 1, *(p.seats.high for p in projection.parties)])
    row, left, width = 26, 140, 420
    height = row * len(projection.parties) + 58

    def x(seats: int) -> float:
        return left + width * seats / max(top, 1)

    bars = []
    for i, p in enumerate(projection.parties):
        y = 20 + i * row
        colour = escape(colours.get(p.party, "#555555"))
        name = escape(names.get(p.party, p.party))
        interval = w.n(
            "{name}: {low}–{n} seat (90% interval)",
            "{name}: {low}–{n} seats (90% interval)",
            p.seats.high,
            name=name,
            low=p.seats.low,
        )
        median = w.n("{name}: median {n} seat", "{name}: median {n} seats", p.seats.median, name=name)
        bars.append(
            f'<text x="{left - 8}" y="{y + 14}" text-anchor="end">{name}</text>'
            f'<rect x="{x(p.seats.low):.1f}" y="{y + 4}" width="{max(x(p.seats.high) - x(p.seats.low), 2):.1f}" '
            f'height="14" fill="{colour}" fill-opacity="0.35"><title>{interval}</title></rect>'
            f'<rect x="{x(p.seats.median) - 1.5:.1f}" y="{y + 1}" width="3" height="20" fill="{colour}">'
            f"<title>{median}</title></rect>"
            f'<text x="{x(p.seats.high) + 6:.1f}" y="{y + 15}">{escape(_interval(p.seats))}</text>'
        )
    step = 5 if top <= 60 else 10 ** len(str(top // 6))
    axis = "".join(
        f'<line x1="{x(t):.1f}" y1="{height - 30}" x2="{x(t):.1f}" y2="{height - 26}" stroke="#000"/>'
        f'<text x="{x(t):.1f}" y="{height - 16}" text-anchor="middle" fill="#555">{t}</text>'
        for t in range(0, top + 1, step)
    )
    majority = x(projection.majority)
    label = escape(w("Projection: seats per party, median and 90% interval"))
    chart = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {left + width + 90} {height}" role="img" '
        f'aria-label="{label}" font-family="sans-serif" font-size="12">'
        + "".join(bars)
        + f'<line x1="{left}" y1="{height - 30}" x2="{left + width}" y2="{height - 30}" stroke="#000"/>'
        + axis
        + f'<line x1="{majority:.1f}" y1="12" x2="{majority:.1f}" y2="{height - 30}" stroke="#000" '
        f'stroke-dasharray="4 3"/><text x="{majority:.1f}" y="{height - 2}" text-anchor="middle">'
        f"{escape(w('majority: {seats}', seats=projection.majority))}</text></svg>"
    )
    stations = counted.of_stations(w, projection.stations_counted, projection.stations_expected)
    likely = next((p for p in projection.parties if p.party == projection.likely_majority), None)
    call = (
        w(
            "{party} holds a majority in {chance} of the draws",
            party=escape(names.get(likely.party, likely.party)),
            chance=_chance_in(w, likely.majority),
        )
        if likely is not None
        else w("no party holds a majority in {chance} of the draws", chance=_chance_in(w, projection.no_majority))
    )
    estimate = w.n(
        "Counted: {stations}. Estimated from the stations counted so far; {n} simulated completion of the count.",
        "Counted: {stations}. Estimated from the stations counted so far; {n} simulated completions of the count.",
        projection.draws,
        stations=stations,
    )
    note = w("Bars: 90% interval of each party’s seats; tick: median. The counted result is shown separately.")
    return (
        f'<section class="projection" aria-label="{escape(w("Projection"))}">'
        f"<h2>{escape(w('Projection (not the count)'))}</h2>"
        f"<p>{escape(estimate)} {call}.</p>{chart}"
        f"<p><small>{escape(note)}</small></p></section>"
    )
