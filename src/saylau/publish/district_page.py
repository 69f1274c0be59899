"""A district's page (`templates/district.html.j2` in `templates/_layout.html.j2`: `layout`), written out in Python.

Beside a saturated night every version changes nearly every district (a station of it was counted since the last),
and a district's page lists each of its stations: at 2,000 stations its pages in kk, ru and en were the most of
a version's own rendering (Jinja: a call and an escape per cell; 0.43 ms a page of 26 stations, these joins
0.04 ms). The template stays the page's definition: `tests/publish/test_district_page.py` renders every district
page of a corrected night, a preview and a day's contests both ways, and hostile text, and finds the same bytes; a
change to the page is made to the template and here alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from saylau.publish.layout import e as _e
from saylau.publish.layout import foot, head


def render(context: Mapping[str, Any]) -> str:
    """The page the template renders from `context` (what `Edition._district` gives it)."""
    w, view, number = context["_"], context["view"], _e(context["number"])
    home, election = _e(context["home"]), _e(view.election_name)
    out: list[str] = []
    head(out, context, f"{_e(w('District'))} {number}: {election}")
    name = context["name"]
    heading = _e(name) if name else f"{_e(w('District'))} {number}"
    out.append(
        f'\n<p class="crumbs"><a href="{home}">{election}</a></p>\n'
        f"<h1>{heading}</h1>\n<p>{_e(context['progress'])}</p>\n"
    )
    candidates = context["candidates"]
    if candidates:
        votes = _e(w("Votes"))
        winner = context["winner"]
        out.append(
            f'<div class="scroll" tabindex="0" role="region" aria-label="{votes}">\n'
            f'<table class="candidates"><caption>{votes}</caption>\n<tbody>'
        )
        out += [
            f'<tr><th scope="row">{_e(c.name)}{" ✓" if c.name == winner else ""}</th><td class="n">{_e(n)}</td></tr>'
            for c, n in candidates
        ]
        out.append("</tbody>\n</table></div>")
    station, registered = _e(w("Polling station")), _e(w("Registered voters"))
    took, protocols = _e(w("Took part")), _e(w("Protocols"))
    out.append(
        f'\n<section aria-labelledby="h-stations"><h2 id="h-stations">{_e(w("Polling stations"))}</h2>\n'
        '<div class="scroll" tabindex="0" role="region" aria-labelledby="h-stations">\n'
        f'<table class="stations" data-stack><thead><tr><th scope="col">{station}</th>'
        f'<th scope="col" class="n">{registered}</th><th scope="col" class="n">{took}</th>'
        f'<th scope="col" class="n">{protocols}</th></tr></thead>\n<tbody>'
    )
    out += [
        f'<tr><th scope="row"><a href="{_e(s["href"])}">{_e(s["number"])}</a></th>'
        f'<td class="n" data-label="{registered}">{_e(s["registered"])}</td>'
        f'<td class="n" data-label="{took}">{_e(s["found"]) if s["found"] is not None else "–"}</td>'
        f'<td class="n" data-label="{protocols}">{_e(s["ballots"])}</td></tr>'
        for s in context["stations"]
    ]
    bulk = _e(w("Protocols of this district's polling stations"))
    out.append(
        "</tbody>\n</table></div>\n"
        f'<p class="bulk">{bulk}: <a href="{_e(context["bulk_csv"])}" download>CSV</a> · '
        f'<a href="{_e(context["bulk_json"])}" download>JSON</a></p>\n</section>\n'
    )
    foot(out, f'<p><a href="{home}">{election}</a></p>')
    return "".join(out)
