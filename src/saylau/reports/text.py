"""The result as terminal tables (rich): status, headline figures, parties, districts, deputies, majority.

Reads the one view (`reports.view`) and says it in the reader's language; every cell is a `rich.text.Text`,
so a name is printed as written, never read as console markup; control characters show as escapes.

Every table fits the width it is given, in any language: headers wrap at their words, a figure never
breaks (not at the no-break spaces that group Russian and Kazakh digits either), and where even that does
not fit, the table is stacked: each row's name, then each of its figures under its column's label. No
column is ever dropped or cut.
"""

from __future__ import annotations

import io
import re
from typing import Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.containers import Lines
from rich.table import Table
from rich.text import Text

from saylau.reports import phrases
from saylau.reports.allocation import explain_allocation
from saylau.reports.i18n import Words, words
from saylau.reports.safe import SafeConsole, terminal
from saylau.reports.stv import explain_counts
from saylau.reports.tiers import constituency_rows, party_names, sentences
from saylau.reports.view import ResultView, build_view
from saylau.result import Result

DEFAULT_WIDTH = 100
"""The width of `report --format text` written to a file or a pipe (a terminal gives its own)."""

_FIGURE = re.compile(r"[-+−]?\d(?:[\d\xa0\u202f,.]*\d)?(?:[\xa0\u202f]?%)?")
_GLUE = {"\xa0": "\ue000", "\u202f": "\ue001"}
_UNGLUE = {v: k for k, v in _GLUE.items()}
_BOX = 3
"""Columns a table spends per column on its border and padding (plus one for the closing border); a compact
table (no outer border) spends them only between its columns."""


class Unbroken(Text):
    """Text that wraps at its words but never inside a figure: "1 201 869" and "51,94 %" stay whole.

    rich wraps at any whitespace, the no-break spaces of Russian and Kazakh numbers included; here those are
    swapped for stand-ins of the same width while the line is divided, then put back.
    """

    def wrap(self, console: Console, width: int, **kwargs: Any) -> Lines:
        """The lines of this text at `width`, no figure split across two."""
        glued = self.copy()
        glued.plain = _FIGURE.sub(lambda m: _swap(m.group(), _GLUE), self.plain)
        lines = Text.wrap(glued, console, width, **kwargs)
        for line in lines:
            line.plain = _swap(line.plain, _UNGLUE)
        return lines


def _swap(text: str, table: dict[str, str]) -> str:
    return "".join(table.get(c, c) for c in text)


def renderables(result: Result, lang: str = "en", width: int = DEFAULT_WIDTH) -> list[RenderableType]:
    """Every table of the terminal report, in reading order, in `lang` (en, kk, ru), each fitting `width`."""
    w = words(lang)
    view = build_view(result, w.lang)
    parts: list[RenderableType] = [_status(view, w)] if view.partial else []
    parts += [_infobox(view, w, width), _parties(view, w, width)]
    if view.districts:
        parts.append(_districts(view, w, width))
    parts += [_deputies(view, w, width), _text(phrases.majority(view, w))]
    if view.lots:
        parts.append(_text(w("Drawings of lots"), style="bold"))
        parts.append(_text("\n".join(phrases.lot(row, w) for row in view.lots)))
    name = party_names(view)
    by_constituency = constituency_rows(result.composition, w, name)
    if by_constituency:
        header, *rows = by_constituency
        parts.append(_table(w("Constituencies"), header, rows, set(range(1, len(header))), width, total=True))
    if result.composition.steps:
        parts.append(_text(w("Seat arithmetic across tiers, step by step"), style="bold"))
        parts.append(_text("\n".join(sentences(result.composition, w, name))))
    counted = explain_counts(result.composition, w)
    if counted:
        parts.append(_text(w("Single transferable vote, count by count"), style="bold"))
        parts.append(_text("\n".join(counted)))
    if view.allocation is not None:
        parts.append(_text(w("List seats, step by step"), style="bold"))
        parts.append(_text("\n".join(explain_allocation(view.allocation, w, lambda p: view.party_name(p) or p))))
    if view.partial:
        parts.append(_status(view, w))
    return parts


def render_text(result: Result, lang: str = "en", width: int = DEFAULT_WIDTH) -> str:
    """The terminal report as plain text (no colour codes), every table fitting `width` columns."""
    console = SafeConsole(record=True, width=width, color_system=None, file=io.StringIO())
    console.print(Group(*renderables(result, lang, width)))
    return console.export_text()


def _t(value: object) -> Text:
    return _text(str(value))


def _text(value: str, style: str = "") -> Text:
    """A value as terminal text: never markup (a `Text`), its control characters shown as escapes, its
    figures never broken across lines."""
    return Unbroken(terminal(value), style=style)


def _status(view: ResultView, w: Words) -> Text:
    return _text(phrases.status(view, w), style="bold reverse" if view.partial else "bold")


def _infobox(view: ResultView, w: Words, width: int) -> RenderableType:
    rows = [[label, value] for label, value in phrases.infobox(view, w)]
    return _table(view.election_name, ["", ""], rows, right=set(), width=width, show_header=False)


def _parties(view: ResultView, w: Words, width: int) -> RenderableType:
    header, rows = phrases.party_table(view, w)
    return _table(w("Parties"), header, [cells for _, cells in rows], set(range(1, len(header))), width, total=True)


def _districts(view: ResultView, w: Words, width: int) -> RenderableType:
    header = [w("No."), w("Winner"), w("Party"), w("Votes"), w("Margin"), w("Decision")]
    rows = [phrases.district_cells(d, w) for d in view.districts]
    return _table(w("Districts"), header, rows, right={0, 3, 4}, width=width)


def _deputies(view: ResultView, w: Words, width: int) -> RenderableType:
    rows = [[phrases.deputy_name(d, w), phrases.party_of(d.party_name, w), phrases.seat(d, w)] for d in view.deputies]
    return _table(w("Deputies"), [w("Deputy"), w("Party"), w("Seat")], rows, right=set(), width=width)


NAME_MIN = 12
"""A name column is never narrower than this (or its longest word, if shorter): names wrap at words."""


def _longest_word(text: str) -> int:
    return max((len(word) for word in _FIGURE.sub(lambda m: _swap(m.group(), _GLUE), text).split()), default=0)


def fitted_table(title: str, header: list[str], rows: list[list[str]], right: set[int], width: int) -> RenderableType:
    """A table of other reports (the projection's) that fits `width` as the result's tables do (`_table`)."""
    return _table(title, header, rows, right, width)


def _table(
    title: str,
    header: list[str],
    rows: list[list[str]],
    right: set[int],
    width: int,
    show_header: bool = True,
    total: bool = False,
) -> RenderableType:
    """The rows as a table that fits `width`: figures (the `right` columns) whole on one line, headers and
    names wrapped at their words; stacked rows (`_stacked`) where the columns cannot fit side by side.
    `total`: the last row is the table's total (bold)."""
    columns = range(len(header))
    cells = [[terminal(cell) for cell in row] for row in rows]
    heads = [terminal(h) for h in header] if show_header else ["" for _ in header]
    widest = [max((len(row[i]) for row in cells), default=0) for i in columns]
    natural = [max(widest[i], len(heads[i])) for i in columns]
    least = [
        max(
            _longest_word(heads[i]),
            widest[i] if i in right else min(NAME_MIN, max((_longest_word(r[i]) for r in cells), default=0)),
            1,
        )
        for i in columns
    ]
    compact = sum(least) > width - _BOX * len(header) - 1  # boxed does not fit: no outer border, no rules
    room = width - _BOX * (len(header) - 1) if compact else width - _BOX * len(header) - 1
    if sum(least) > room:
        return _stacked(title, heads, cells, total)
    sizes = list(least)
    spare = room - sum(sizes)
    for group in ([i for i in columns if i not in right], list(right)):  # words first, then figures' headers
        while spare > 0 and any(sizes[i] < natural[i] for i in group):
            for i in group:  # one character at a time to each column still short of its natural width
                if spare > 0 and sizes[i] < natural[i]:
                    sizes[i] += 1
                    spare -= 1
    table = Table(title=_text(title), title_style="bold", show_header=show_header)
    if compact:
        table = Table(
            title=_text(title),
            title_style="bold",
            show_header=show_header,
            box=box.SIMPLE_HEAD,
            show_edge=False,
            pad_edge=False,
        )
    for i in columns:
        head = _text(heads[i])
        head.no_wrap = False  # a header wraps at its words, also over a column of figures
        table.add_column(head, justify="right" if i in right else "left", width=sizes[i], overflow="fold")
    for row in cells:
        texts = [_text(cell) for cell in row]
        for i in right:
            texts[i].no_wrap = True  # a figure is never wrapped
        table.add_row(*texts)
    if total and table.rows:
        table.rows[-1].style = "bold"
    return table


def _stacked(title: str, header: list[str], rows: list[list[str]], total: bool) -> RenderableType:
    """A table too wide for its width, one row after another: the row's first cell, then each other cell that
    has a value under its column's label ("  Seats: 25"), a figure never broken."""
    parts: list[RenderableType] = [_text(title, style="bold")]
    for n, row in enumerate(rows):
        bold = total and n == len(rows) - 1
        parts.append(_text(row[0], style="bold"))
        for label, value in zip(header[1:], row[1:], strict=True):
            if value:
                parts.append(Unbroken("  " + (f"{label}: " if label else "") + value, style="bold" if bold else ""))
    return Group(*parts)
