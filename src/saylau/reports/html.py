"""The result as one self-contained HTML page: infobox, hemicycle, parties, districts, deputies, allocation.

Inline CSS and SVG only (no CDN, no script), so the file can be mailed, archived or opened offline.
The template ships as package data (`templates/report.html.j2`); every value is escaped by Jinja2
except the hemicycle, which `hemicycle.render_hemicycle` builds with its own escaping.
"""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from saylau.reports.csv_report import party_rows
from saylau.reports.hemicycle import render_hemicycle
from saylau.reports.i18n import translator
from saylau.reports.numbers import percent, signed
from saylau.result import Result

_ENV = Environment(
    loader=PackageLoader("saylau.reports", "templates"),
    autoescape=select_autoescape(["html", "j2"], default=True),
    keep_trailing_newline=True,
)


def render_html(result: Result, lang: str = "en") -> str:
    """The whole page as a string, its labels in `lang` (en, kk, ru); names stay as the folder gives them."""
    election, composition = result.election, result.composition
    compared = result.comparison is not None
    return _ENV.get_template("report.html.j2").render(
        _=translator(lang),
        lang=lang,
        election=election,
        infobox=_infobox(result),
        hemicycle=Markup(render_hemicycle(result)),  # escaped by render_hemicycle
        compared=compared,
        parties=[
            {
                "name": row.party,
                "colour": row.colour,
                "votes": f"{row.list_votes:,}",
                "percent": percent(row.list_percent),
                "list_seats": row.list_seats,
                "district_seats": row.district_seats,
                "seats": row.seats,
                "seat_change": signed(row.seat_change),
                "swing": signed(row.swing_pp),
            }
            for row in party_rows(result)
        ],
        others=[
            (label, n)
            for label, n in (("Independents", composition.independents), ("Vacant", len(composition.vacancies)))
            if n
        ],
        seats_total=composition.seats_total,
        districts=[
            {
                "number": d.number,
                "winner": d.winner.name if d.winner else "—",
                "party": (d.winner.party or "self-nominated") if d.winner else "",
                "votes": f"{d.standings[0].votes:,}" if d.standings else "",
                "margin": f"{d.margin:,}" if d.margin is not None else "",
                "reason": d.reason,
            }
            for d in composition.districts
        ],
        deputies=[
            {
                "name": dep.label,
                "party": dep.party or "self-nominated",
                "seat": f"district {dep.district}" if dep.district else f"list No. {dep.list_position or '?'}",
            }
            for dep in composition.deputies
        ],
        explanation=composition.list_allocation.explain() if composition.list_allocation else None,
    )


def _infobox(result: Result) -> list[tuple[str, str]]:
    election, composition, comparison = result.election, result.composition, result.comparison
    rows = [("Body", election.body.name)]
    if election.date:
        rows.append(("Date", election.date.isoformat()))
    rows += [("Seats", str(composition.seats_total)), ("Majority", str(composition.majority))]
    turnout = election.results.turnout
    if turnout is not None:
        change = comparison.turnout_change_pp if comparison else None
        rows.append(("Turnout", percent(turnout * 100) + (f" ({signed(change)} pp)" if change is not None else "")))
    if comparison:
        rows.append(("Previous election", comparison.previous.name))
    if election.secretary_before or election.secretary_after:
        rows.append(("Secretary before", f"{election.secretary_before} ({election.secretary_before_party})"))
        rows.append(("Secretary after", f"{election.secretary_after} ({election.secretary_after_party})"))
    return rows
