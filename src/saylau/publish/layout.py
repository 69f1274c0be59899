"""The published pages' layout (`templates/_layout.html.j2`) written out in Python, for the pages a version writes
most of: a polling station's (`station_page`) and a district's (`district_page`).

The template stays the layout's definition: `tests/publish/test_station_page.py` and
`tests/publish/test_district_page.py` render those pages both ways and find the same bytes; a change to the layout
is made to the template and here alike.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from markupsafe import escape

_SPECIAL = re.compile("[&<>\"']").search
"""A character markupsafe escapes."""


def e(value: object) -> str:
    """A value as the template writes `{{ value }}`: HTML-escaped as markupsafe escapes it (a `Markup` as it is)."""
    if type(value) is str and _SPECIAL(value) is None:
        return value
    if type(value) is int:
        return str(value)
    return str(escape(value))


def head(out: list[str], context: Mapping[str, Any], title: str) -> None:
    """The layout up to its `main` block (no `script` block, no `body_attrs`); `title` is escaped already."""
    w, lang, view = context["_"], context["lang"], context["view"]
    out.append(
        f'<!DOCTYPE html>\n<html lang="{e(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<link rel="stylesheet" href="{e(context["css"])}">\n\n'
        f"<title>{title}</title>\n</head>\n<body>\n"
        f'<header class="top">\n<p class="brand"><a href="{e(context["home"])}">{e(view.body_name)}</a></p>\n'
        f'<nav class="langs" aria-label="{e(w("Language"))}">'
    )
    switch = context["switch"]
    for code, name in context["languages"].items():
        current = ' aria-current="true"' if code == lang else ""
        code_ = e(code)
        out.append(f'<a href="{e(switch[code])}" hreflang="{code_}" lang="{code_}"{current}>{e(name)}</a>')
    out.append("</nav>\n</header>\n")
    if context["contests"]:
        out.append(f'<nav class="contests" aria-label="{e(w("Contests of the day"))}"><ul>')
        for c in context["contests"]:
            current = ' aria-current="page"' if c["current"] else ""
            out.append(f'<li><a href="{e(c["href"])}" data-contest="{e(c["id"])}"{current}>{e(c["name"])}</a></li>')
        out.append("</ul></nav>")
    out.append("\n")
    if context["preview"]:
        banner = w("Preview: not published. Only staff see this until the results are released.")
        out.append(f'<p class="preview-banner" role="alert" data-preview>{e(banner)}</p>')
    out.append("\n")


def foot(out: list[str], footer: str) -> None:
    """The layout after its `main` block; `footer` (the `footer` block) is escaped already."""
    out.append(f"\n<footer>{footer}</footer>\n</body>\n</html>")
