"""The result as one self-contained HTML page: status, infobox, hemicycle, parties, districts, deputies, annex.

Inline CSS and SVG only (no CDN, no script), so the file can be mailed, archived or opened offline. It reads
on a phone (viewport, tables that scroll inside their own box, a hemicycle that scales with the page) and
with assistive technology (table captions, header cells with `scope`, a text alternative for the chart,
party colours told apart by pattern and label, never by colour alone). A partial count is announced at the
top and the bottom of the page. The template ships as package data (`templates/report.html.j2`); every value
is escaped by Jinja2 except the hemicycle, which `hemicycle.render_hemicycle` builds with its own escaping.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from saylau.reports import counted, phrases
from saylau.reports.allocation import explain_allocation
from saylau.reports.hemicycle import PATTERNS, render_hemicycle
from saylau.reports.i18n import Words, words
from saylau.reports.tiers import constituency_details, constituency_rows, party_names, sentences
from saylau.reports.view import ResultView, build_view
from saylau.result import Result

_ENV = Environment(
    loader=PackageLoader("saylau.reports", "templates"),
    autoescape=select_autoescape(["html", "j2"], default=True),
    keep_trailing_newline=True,
)
OPEN_DETAILS = 8
"""Up to this many constituencies, each one's table is shown open; beyond, folded under its name."""


def render_html(result: Result, lang: str = "en") -> str:
    """The whole page as a string, in `lang` (en, kk, ru); names as the folder gives them in that language."""
    w = words(lang)
    view = build_view(result, w.lang)
    name = party_names(view)
    details = constituency_details(result.composition, w, name)
    return _ENV.get_template("report.html.j2").render(
        _=w,
        lang=w.lang,
        view=view,
        status=phrases.status(view, w),
        illustrative=phrases.illustrative(view, w),
        infobox=phrases.infobox(view, w),
        hemicycle=Markup(render_hemicycle(result, lang=w.lang)),  # escaped by render_hemicycle
        parties=_parties(view, w),
        lines=[
            (
                w(phrases.LINES[line.kind]),
                w.fmt.integer(line.count),
                "" if line.percent is None else w.fmt.percent(line.percent),
            )
            for line in view.ballot_lines
        ],
        seat_lines=[(w(phrases.SEAT_LINES[s.kind]), s.seats) for s in view.seat_lines],
        majority=phrases.majority(view, w),
        districts=[
            dict(
                zip(
                    ("number", "winner", "party", "votes", "margin", "reason"),
                    phrases.district_cells(d, w),
                    strict=True,
                )
            )
            for d in view.districts
        ],
        deputies=[
            {"name": phrases.deputy_name(d, w), "party": phrases.party_of(d.party_name, w), "seat": phrases.seat(d, w)}
            for d in view.deputies
        ],
        constituencies=constituency_rows(result.composition, w, name),
        constituency_details=[(d, counted.seats(w, d.seats)) for d in details],
        open_details=len(details) <= OPEN_DETAILS,
        steps=sentences(result.composition, w, name),
        lots=[phrases.lot(row, w) for row in view.lots],
        explanation="\n".join(explain_allocation(view.allocation, w, lambda p: view.party_name(p) or p))
        if view.allocation
        else None,
    )


def _parties(view: ResultView, w: Words) -> list[dict[str, Any]]:
    return [
        {
            "name": row.name,
            "full_name": row.full_name,
            "colour": row.colour,
            "pattern": PATTERNS[i % len(PATTERNS)],
            "votes": w.fmt.integer(row.list_votes),
            "percent": w.fmt.percent(row.list_percent),
            "list_seats": row.list_seats,
            "district_seats": row.district_seats,
            "seats": row.seats,
            "seat_change": phrases.signed_or_new(row.seat_change, w, row.new),
            "swing": phrases.signed_or_new(row.swing_pp, w, row.new),
        }
        for i, row in enumerate(view.parties)
    ]
