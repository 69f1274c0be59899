"""A polling station's page (`templates/station.html.j2` in `templates/_layout.html.j2`), written out in Python.

A version renders the pages of every station whose protocols changed since the last, in kk, ru and en: beside
a saturated night of 10,146 stations about 9,000 stations a version, most of a watching publisher's own work.
Jinja took about 0.1 ms a page (a context made for each, the layout's blocks, a call per value); these few joins
take a tenth of that. The template stays the page's definition: `tests/publish/test_station_page.py` renders
both, for every station of a night (counted or not, with scans, corrections, a preview, a day's contest), and
finds the same bytes; a change to the page is made to the template and here alike (the layout's, in `layout`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from saylau.publish.layout import e as _e
from saylau.publish.layout import foot, head
from saylau.reports.i18n import Words


def render(context: Mapping[str, Any]) -> str:
    """The page the template renders from `context` (what `Edition._station` gives it)."""
    w, view, station = context["_"], context["view"], context["station"]
    home, election = _e(context["home"]), _e(view.election_name)
    number, district = _e(station.number), _e(station.district)
    out: list[str] = []
    head(out, context, f"{_e(w('Polling station'))} {number}: {election}")
    _main(out, context, w, home, election, number, district)
    foot(out, f'<p><a href="{home}">{election}</a></p>')
    return "".join(out)


def _main(
    out: list[str], context: Mapping[str, Any], w: Words, home: str, election: str, number: str, district: str
) -> None:
    """The page's `main` block."""
    label = _e(w("District"))
    out.append(
        f'\n<p class="crumbs"><a href="{home}">{election}</a> › {label} {district}</p>\n'
        f"<h1>{_e(w('Polling station'))} {number}</h1>\n"
        f"<p>{label} {district} · {_e(w('Registered voters'))}: "
        f"<span data-registered>{_e(context['registered'])}</span></p>\n"
    )
    protocols = context["protocols"]
    if not protocols:
        out.append(f'<p class="not-counted" data-not-counted>{_e(w("No accepted protocol of this station yet."))}</p>')
    out.append("\n")
    paper = _e(w("The paper protocol"))
    for index, p in enumerate(protocols, 1):
        ballot = _e(p["ballot"])
        out.append(
            f'\n<section class="protocol" aria-labelledby="h-{index}"><h2 id="h-{index}">{ballot}</h2>\n'
            f'<div class="scroll" tabindex="0" role="region" aria-labelledby="h-{index}">\n'
            f'<table class="protocol-lines"><caption>{_e(w("Accepted protocol"))}</caption>\n<tbody>'
        )
        out += [f'<tr><th scope="row">{_e(name)}</th><td class="n">{_e(value)}</td></tr>' for name, value in p["lines"]]
        out.append(f'</tbody>\n</table>\n<table class="protocol-votes"><caption>{_e(w("Votes"))}</caption>\n<tbody>')
        out += [
            f'<tr><th scope="row">{_e(name)}</th><td class="n" data-votes>{_e(value)}</td></tr>'
            for name, value in p["votes"]
        ]
        out.append("</tbody>\n</table></div>\n")
        if p["scans"]:
            out.append('<div class="scans" data-scans>')
            for s in p["scans"]:
                link = _e(s["href"])
                if s["image"]:
                    shown = f'<a href="{link}"><img src="{link}" alt="{paper}: {ballot}" loading="lazy"></a>'
                else:
                    shown = f'<a href="{link}" download>{paper} (PDF)</a>'
                caption = f"<figcaption>{paper} · SHA-256 <code>{_e(s['sha256'])}</code></figcaption>"
                out.append(f'<figure class="scan">{shown}{caption}</figure>')
            out.append("</div>")
        out.append("\n</section>\n")
    out.append("\n")
    corrections = context["corrections"]
    if corrections:
        heading = _e(w("Corrections"))
        out.append(f'<section class="corrections" aria-labelledby="h-corr"><h2 id="h-corr">{heading}</h2><ul>')
        said = _e(w("Version"))
        out += [
            f'<li data-version="{_e(version)}"><strong>{said} {_e(version)}.</strong> {_e(text)}</li>'
            for version, text in corrections
        ]
        out.append("</ul></section>")
    out.append(
        f'\n<section aria-labelledby="h-data"><h2 id="h-data">{_e(w("Open data"))}</h2>\n'
        f'<ul class="downloads"><li><a href="{_e(context["json_href"])}" download>JSON</a></li>'
        f'<li><a href="{_e(context["csv_href"])}" download>CSV</a></li></ul>\n</section>\n'
    )
