"""A polling station's page (`templates/station.html.j2` in `templates/_layout.html.j2`), written out in Python.

A version renders the pages of every station whose protocols changed since the last, in kk, ru and en: beside
a saturated night of 10,146 stations about 9,000 stations a version, most of a watching publisher's own work.
Jinja took about 0.1 ms a page (a context made for each, the layout's blocks, a call per value); these few joins
take a tenth of that. The template stays the page's definition: `tests/publish/test_station_page.py` renders
both, for every station of a night (counted or not, with scans, corrections, a preview, a day's contest), and
finds the same bytes; a change to the page is made to the template and here alike.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from markupsafe import escape

from saylau.reports.i18n import Words

_SPECIAL = re.compile("[&<>\"']").search
"""A character markupsafe escapes."""


def _e(value: object) -> str:
    """A value as the template writes `{{ value }}`: HTML-escaped as markupsafe escapes it (a `Markup` as it is)."""
    if type(value) is str and _SPECIAL(value) is None:
        return value
    if type(value) is int:
        return str(value)
    return str(escape(value))


def render(context: Mapping[str, Any]) -> str:
    """The page the template renders from `context` (what `Edition._station` gives it)."""
    w, lang, view, station = context["_"], context["lang"], context["view"], context["station"]
    home, election = _e(context["home"]), _e(view.election_name)
    number, district = _e(station.number), _e(station.district)
    out = [
        f'<!DOCTYPE html>\n<html lang="{_e(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<link rel="stylesheet" href="{_e(context["css"])}">\n\n'
        f"<title>{_e(w('Polling station'))} {number}: {election}</title>\n</head>\n<body>\n"
        f'<header class="top">\n<p class="brand"><a href="{home}">{_e(view.body_name)}</a></p>\n'
        f'<nav class="langs" aria-label="{_e(w("Language"))}">'
    ]
    switch = context["switch"]
    for code, name in context["languages"].items():
        current = ' aria-current="true"' if code == lang else ""
        code_ = _e(code)
        out.append(f'<a href="{_e(switch[code])}" hreflang="{code_}" lang="{code_}"{current}>{_e(name)}</a>')
    out.append("</nav>\n</header>\n")
    if context["contests"]:
        out.append(f'<nav class="contests" aria-label="{_e(w("Contests of the day"))}"><ul>')
        for c in context["contests"]:
            current = ' aria-current="page"' if c["current"] else ""
            out.append(f'<li><a href="{_e(c["href"])}" data-contest="{_e(c["id"])}"{current}>{_e(c["name"])}</a></li>')
        out.append("</ul></nav>")
    out.append("\n")
    if context["preview"]:
        banner = w("Preview: not published. Only staff see this until the results are released.")
        out.append(f'<p class="preview-banner" role="alert" data-preview>{_e(banner)}</p>')
    out.append("\n")
    _main(out, context, w, home, election, number, district)
    out.append(f'\n<footer><p><a href="{home}">{election}</a></p></footer>\n</body>\n</html>')
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
