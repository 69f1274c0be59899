"""The result as terminal tables (rich): status, headline figures, parties, districts, deputies, majority.

Reads the one view (`reports.view`) and says it in the reader's language; every cell is a `rich.text.Text`,
so a name is printed as written, never read as console markup; control characters show as escapes.
"""

from __future__ import annotations

import io

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from saylau.reports import phrases
from saylau.reports.allocation import explain_allocation
from saylau.reports.i18n import Words, words
from saylau.reports.safe import SafeConsole, terminal
from saylau.reports.stv import explain_counts
from saylau.reports.tiers import constituency_table, party_names, sentences
from saylau.reports.view import ResultView, build_view
from saylau.result import Result


def renderables(result: Result, lang: str = "en") -> list[RenderableType]:
    """Every table of the terminal report, in reading order, in `lang` (en, kk, ru)."""
    w = words(lang)
    view = build_view(result, w.lang)
    parts: list[RenderableType] = [_status(view, w)] if view.partial else []
    parts += [_infobox(view, w), _parties(view, w)]
    if view.districts:
        parts.append(_districts(view, w))
    parts += [_deputies(view, w), _text(phrases.majority(view, w))]
    if view.lots:
        parts.append(_text(w("Drawings of lots"), style="bold"))
        parts.append(_text("\n".join(phrases.lot(row, w) for row in view.lots)))
    name = party_names(view)
    by_constituency = constituency_table(result.composition, w, name)
    if by_constituency is not None:
        parts.append(by_constituency)
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


def render_text(result: Result, lang: str = "en", width: int = 110) -> str:
    """The terminal report as plain text (no colour codes)."""
    console = SafeConsole(record=True, width=width, color_system=None, file=io.StringIO())
    console.print(Group(*renderables(result, lang)))
    return console.export_text()


def _t(value: object) -> Text:
    return _text(str(value))


def _text(value: str, style: str = "") -> Text:
    """A value as terminal text: never markup (a `Text`), and its control characters shown as escapes."""
    return Text(terminal(value), style=style)


def _status(view: ResultView, w: Words) -> Text:
    return _text(phrases.status(view, w), style="bold reverse" if view.partial else "bold")


def _infobox(view: ResultView, w: Words) -> Table:
    table = Table(title=_text(view.election_name), show_header=False, title_style="bold")
    table.add_column(style="bold")
    table.add_column()
    for label, value in phrases.infobox(view, w):
        table.add_row(_t(label), _t(value))
    return table


def _parties(view: ResultView, w: Words) -> Table:
    header, rows = phrases.party_table(view, w)
    table = _table(w("Parties"), header, [cells for _, cells in rows], right=set(range(1, len(header))))
    table.rows[-1].style = "bold"
    return table


def _table(title: str, header: list[str], rows: list[list[str]], right: set[int]) -> Table:
    """A table whose figures never shrink below their width; long headers and names wrap instead."""
    table = Table(title=title, title_style="bold")
    for i, name in enumerate(header):
        widest = max((len(row[i]) for row in rows), default=0)
        table.add_column(name, justify="right" if i in right else "left", min_width=min(widest, 24))
    for row in rows:
        table.add_row(*map(_t, row))
    return table


def _districts(view: ResultView, w: Words) -> Table:
    header = [w("No."), w("Winner"), w("Party"), w("Votes"), w("Margin"), w("Decision")]
    return _table(w("Districts"), header, [phrases.district_cells(d, w) for d in view.districts], right={0, 3, 4})


def _deputies(view: ResultView, w: Words) -> Table:
    rows = [[phrases.deputy_name(d, w), phrases.party_of(d.party_name, w), phrases.seat(d, w)] for d in view.deputies]
    return _table(w("Deputies"), [w("Deputy"), w("Party"), w("Seat")], rows, right=set())
