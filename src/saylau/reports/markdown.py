"""The result as Markdown (GitHub flavour): status, headline figures, parties, districts, deputies.

For a README, an issue or a pull request that records a count; reads the one view (`reports.view`), so every
figure and the order of the rows are those of the terminal report, in the reader's language and formats.
"""

from __future__ import annotations

from saylau.analysis.indices import council_indices
from saylau.reports import phrases
from saylau.reports.i18n import Words, words
from saylau.reports.safe import markdown as md
from saylau.reports.stv import explain_counts
from saylau.reports.tiers import constituency_rows, party_names, sentences
from saylau.reports.view import ResultView, build_view
from saylau.result import Result


def render_markdown(result: Result, lang: str = "en") -> str:
    """Headline list, party table, districts and deputies, separated by headings, in `lang`."""
    w = words(lang)
    view = build_view(result, w.lang)
    parts = [_headline(result, view, w), _parties(view, w)]
    if view.districts:
        parts.append(_districts(view, w))
    if view.deputies:
        parts.append(_deputies(view, w))
    if view.lots:
        parts.append(f"## {w('Drawings of lots')}\n")
        parts += [f"- {_cell(phrases.lot(row, w))}" for row in view.lots] + [""]
    parts += _tiers(result, view, w)
    if view.partial:
        parts.append(f"> **{phrases.status(view, w)}**\n")
    return "\n".join(parts)


def _tiers(result: Result, view: ResultView, w: Words) -> list[str]:
    """Each constituency and the explained steps, where the election has them (docs/compensation.md)."""
    parts = []
    name = party_names(view)
    rows = constituency_rows(result.composition, w, name)
    if rows:
        header = [_row(rows[0]), _row(["---"] + ["---:"] * (len(rows[0]) - 1))]
        parts.append("\n".join(["## " + w("Constituencies"), "", *header, *(_row(r) for r in rows[1:])]) + "\n")
    if result.composition.steps:
        steps = "\n".join(f"- {_cell(s)}" for s in sentences(result.composition, w, name))
        parts.append(f"## {w('Seat arithmetic across tiers, step by step')}\n\n{steps}\n")
    counted = explain_counts(result.composition, w)
    if counted:
        lines = "\n".join(f"    {_cell(line)}" for line in counted)
        parts.append(f"## {w('Single transferable vote, count by count')}\n\n{lines}\n")
    return parts


def _headline(result: Result, view: ResultView, w: Words) -> str:
    lines = [f"# {_cell(view.election_name)}", ""]
    if view.partial:
        lines += [f"> **{phrases.status(view, w)}**", ""]
    lines.append(f"- **{w('Status')}:** {phrases.status(view, w)}")
    for ballot, progress in phrases.progress_lines(view, w):
        lines.append(f"- **{ballot}:** {progress}")
    if view.date:
        lines.append(f"- **{w('Date')}:** {w.fmt.date(view.date)}")
    lines += [
        f"- **{w('Body')}:** {_cell(view.body_name)}, " + w("{seats} seats", seats=view.seats_total),
        f"- **{w('Majority')}:** {view.majority.majority}",
    ]
    if view.turnout is not None:
        lines.append(f"- **{w('Turnout')}:** {phrases.turnout(view, w)}")
    lines.append(f"- {_cell(phrases.majority(view, w))}")
    if view.previous_name:
        lines.append(f"- **{w('Previous election')}:** {_cell(view.previous_name)}")
    change = phrases.majority_change(view, w)
    if change:
        lines.append(f"- **{w('Largest party')}:** {_cell(change)}")
    for label, person in ((w("Secretary before"), view.secretary_before), (w("Secretary after"), view.secretary_after)):
        if person:
            lines.append(f"- **{label}:** {_cell(person[0])}" + (f" ({_cell(person[1])})" if person[1] else ""))
    indices = council_indices(result.composition)
    if indices is not None:
        enp = indices.effective_parties_seats
        lines.append(
            f"- **{w('Gallagher index')}:** {w.fmt.decimal(indices.gallagher, 2)}; "
            + w("effective number of parties by seats: {n}", n="—" if enp is None else w.fmt.decimal(enp, 2))
        )
    return "\n".join(lines) + "\n"


def _parties(view: ResultView, w: Words) -> str:
    header, rows = phrases.party_table(view, w)
    lines = ["## " + w("Parties"), "", _row(header), _row(["---"] + ["---:"] * (len(header) - 1))]
    for kind, cells in rows:
        shown = [_cell(c) for c in cells]  # escaped first, so the emphasis added here stays emphasis
        if kind == "line":
            shown[0] = f"*{shown[0]}*"
        elif kind == "total":
            shown[0], shown[5] = f"**{shown[0]}**", f"**{shown[5]}**"
        lines.append("| " + " | ".join(shown) + " |")
    return "\n".join(lines) + "\n"


def _districts(view: ResultView, w: Words) -> str:
    header = [w("No."), w("Winner"), w("Party"), w("Votes"), w("Margin"), w("Decision")]
    lines = ["## " + w("Districts"), "", _row(header), _row(["---:", "---", "---", "---:", "---:", "---"])]
    lines += [_row(phrases.district_cells(d, w)) for d in view.districts]
    return "\n".join(lines) + "\n"


def _deputies(view: ResultView, w: Words) -> str:
    lines = ["## " + w("Deputies"), "", _row([w("Deputy"), w("Party"), w("Seat")]), _row(["---", "---", "---"])]
    for d in view.deputies:
        lines.append(_row([phrases.deputy_name(d, w), phrases.party_of(d.party_name, w), phrases.seat(d, w)]))
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """A value as Markdown text: HTML escaped (`safe.markdown`), a pipe cannot end a cell, a newline cannot
    break the table."""
    return md(text).replace("\n", " ")


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"
