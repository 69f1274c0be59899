"""A titled document of notes and tables, and its renderings: text, Markdown, wikitext, CSV and HTML.

Why: the observers' check and the statistical checks are tables with a few sentences around them; each
builds its rows once (a `Sheet`) and every format reads the same rows, so the formats cannot disagree.
Every cell is data: escaped for the place it is written (`saylau.reports.safe`, `wikitext.escape`, Jinja2).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from saylau.reports.safe import csv_cell, markdown, terminal
from saylau.reports.wikitext import escape as wiki

_ENV = Environment(
    loader=PackageLoader("saylau.reports", "templates"),
    autoescape=select_autoescape(["html", "j2"], default=True),
    keep_trailing_newline=True,
)


@dataclass(frozen=True, slots=True)
class Table:
    """One table: a caption, header cells, rows of cells; `numeric[i]` aligns column i to the right."""

    key: str
    """A stable name for the table (the CSV's `table` column, the HTML id)."""
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...] = ()
    note: str = ""
    """A sentence under the table (what it can and cannot show)."""
    empty: str = ""
    """Said instead of the table when it has no row."""


@dataclass(frozen=True, slots=True)
class Sheet:
    """A document: a title, a label that must not be missed (e.g. "statistics, not findings"), notes,
    tables, and figures (SVG markup built by a renderer with its own escaping) for HTML."""

    lang: str
    title: str
    label: str
    notes: tuple[str, ...]
    tables: tuple[Table, ...]
    figures: tuple[tuple[str, str], ...] = field(default=())
    """(caption, SVG) pairs shown in HTML only."""


def _width(cells: Sequence[str]) -> int:
    return max((len(c) for c in cells), default=0)


def render_sheet_text(sheet: Sheet) -> str:
    """Plain text for a terminal: aligned columns, control characters escaped."""
    out = [terminal(sheet.title), "=" * len(sheet.title), "", terminal(sheet.label), ""]
    out += [terminal(n) for n in sheet.notes]
    for table in sheet.tables:
        out += ["", terminal(table.caption), "-" * len(table.caption)]
        if not table.rows:
            out.append(terminal(table.empty))
        else:
            columns = list(zip(table.headers, *table.rows, strict=True))
            widths = [_width([terminal(c) for c in col]) for col in columns]
            for row in (table.headers, *table.rows):
                cells = []
                for i, cell in enumerate(row):
                    text = terminal(cell)
                    right = i < len(table.numeric) and table.numeric[i]
                    cells.append(text.rjust(widths[i]) if right else text.ljust(widths[i]))
                out.append("  ".join(cells).rstrip())
        if table.note:
            out += ["", terminal(table.note)]
    return "\n".join(out) + "\n"


def _md_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(markdown(c).replace("\n", " ") for c in cells) + " |"


def render_sheet_markdown(sheet: Sheet) -> str:
    """GitHub-flavoured Markdown; every cell escaped (`safe.markdown`)."""
    out = [f"# {markdown(sheet.title)}", "", f"**{markdown(sheet.label)}**", ""]
    out += [markdown(n) + "\n" for n in sheet.notes]
    for table in sheet.tables:
        out += [f"## {markdown(table.caption)}", ""]
        if not table.rows:
            out += [markdown(table.empty), ""]
        else:
            align = [
                "---:" if i < len(table.numeric) and table.numeric[i] else "---" for i in range(len(table.headers))
            ]
            out += [_md_row(table.headers), "| " + " | ".join(align) + " |"]
            out += [_md_row(r) for r in table.rows]
            out.append("")
        if table.note:
            out += [f"*{markdown(table.note)}*", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def render_sheet_wikitext(sheet: Sheet) -> str:
    """MediaWiki markup: `wikitable`s, every cell escaped (`wikitext.escape`)."""
    out = [f"== {wiki(sheet.title)} ==", "", f"'''{wiki(sheet.label)}'''", ""]
    out += [wiki(n) + "\n" for n in sheet.notes]
    for table in sheet.tables:
        out += [f"=== {wiki(table.caption)} ===", ""]
        if not table.rows:
            out += [wiki(table.empty), ""]
        else:
            out.append('{| class="wikitable sortable"')
            out.append("! " + " !! ".join(wiki(h) for h in table.headers))
            for row in table.rows:
                out += ["|-", "| " + " || ".join(wiki(c) for c in row)]
            out += ["|}", ""]
        if table.note:
            out += [f"''{wiki(table.note)}''", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def render_sheet_csv(sheet: Sheet, *, raw: bool = False) -> str:
    """One CSV of every table: a `table` column, then each table's own header row before its rows.

    A text cell a spreadsheet would run as a formula gets a leading apostrophe unless `raw`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for table in sheet.tables:
        writer.writerow(["table", *table.headers])
        for row in table.rows:
            writer.writerow([table.key, *(c if raw else csv_cell(c) for c in row)])
    return buffer.getvalue()


def render_sheet_html(sheet: Sheet) -> str:
    """One self-contained page (inline CSS, no script); the figures are SVG built with their own escaping."""
    return _ENV.get_template("sheet.html.j2").render(
        sheet=sheet,
        figures=[(caption, Markup(svg)) for caption, svg in sheet.figures],  # each SVG escapes its own text
    )


def render_sheet_pdf(sheet: Sheet) -> bytes:
    """The document as PDF (Typst, `templates/sheet.typ`); the same sheet, the same bytes (fixed date)."""
    import json
    from datetime import UTC, datetime
    from importlib.resources import files

    import typst

    template = files("saylau.reports").joinpath("templates", "sheet.typ").read_bytes()
    data = {
        "lang": sheet.lang,
        "title": sheet.title,
        "label": sheet.label,
        "notes": list(sheet.notes),
        "figures": [list(f) for f in sheet.figures],
        "tables": [
            {
                "caption": t.caption,
                "headers": list(t.headers),
                "rows": [list(r) for r in t.rows],
                "numeric": [i < len(t.numeric) and t.numeric[i] for i in range(len(t.headers))],
                "note": t.note,
                "empty": t.empty,
            }
            for t in sheet.tables
        ],
    }
    pdf = typst.compile(
        template,
        format="pdf",
        sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
        timestamp=datetime(2000, 1, 1, tzinfo=UTC),
    )
    if not isinstance(pdf, bytes):
        raise TypeError("typst returned pages, not one PDF")
    return pdf
