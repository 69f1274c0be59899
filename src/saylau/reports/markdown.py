"""The result as Markdown (GitHub flavour): headline figures, parties, districts, deputies.

For a README, an issue or a pull request that records a count; every figure is the one the terminal
report shows, rounded half-up at the last moment.
"""

from __future__ import annotations

from collections.abc import Callable

from saylau.analysis.indices import council_indices
from saylau.reports.csv_report import district_cells, party_rows
from saylau.reports.i18n import translator
from saylau.reports.numbers import percent, rounded, signed
from saylau.reports.safe import markdown as md
from saylau.result import Result

Translate = Callable[[str], str]


def render_markdown(result: Result, lang: str = "en") -> str:
    """Headline list, party table, districts and deputies, separated by headings; labels in `lang`."""
    _ = translator(lang)
    parts = [_headline(result, _), _parties(result, _)]
    if result.composition.districts:
        parts.append(_districts(result, _))
    if result.composition.deputies:
        parts.append(_deputies(result, _))
    return "\n".join(parts)


def _headline(result: Result, _: Translate) -> str:
    election, composition, comparison = result.election, result.composition, result.comparison
    lines = [f"# {md(election.name)}", ""]
    if election.date:
        lines.append(f"- **{_('Date')}:** {election.date.isoformat()}")
    lines += [
        f"- **Body:** {md(election.body.name)}, {composition.seats_total} seats",
        f"- **{_('Majority')}:** {composition.majority} seats",
    ]
    turnout = election.results.turnout
    if turnout is not None:
        change = comparison.turnout_change_pp if comparison else None
        shown = percent(turnout * 100) + (f" ({signed(change)} pp)" if change is not None else "")
        lines.append(f"- **{_('Turnout')}:** {shown}")
    holder = composition.majority_holder
    lines.append(f"- **Majority held by:** {md(holder)}" if holder else "- **Majority held by:** no party")
    if comparison:
        lines.append(f"- **{_('Previous election')}:** {md(comparison.previous.name)}")
    if election.secretary_before or election.secretary_after:
        before = f"{election.secretary_before} ({election.secretary_before_party})"
        after = f"{election.secretary_after} ({election.secretary_after_party})"
        lines.append(f"- **{_('Secretary before')}:** {md(before)}")
        lines.append(f"- **{_('Secretary after')}:** {md(after)}")
    indices = council_indices(composition)
    if indices is not None:
        enp = indices.effective_parties_seats
        lines.append(
            f"- **{_('Gallagher index')}:** {indices.gallagher:.2f}; effective parties by seats: "
            + ("—" if enp is None else str(rounded(enp)))
        )
    return "\n".join(lines) + "\n"


def _parties(result: Result, _: Translate) -> str:
    composition = result.composition
    compared = result.comparison is not None
    header = [_("Party"), _("List votes"), "%", _("List seats"), _("District seats"), _("Seats")]
    if compared:
        header += ["+/-", _("Swing")]
    lines = ["## " + _("Parties"), "", _row(header), _row(["---"] + ["---:"] * (len(header) - 1))]
    for row in party_rows(result):
        cells = [
            md(row.party),
            f"{row.list_votes:,}",
            percent(row.list_percent),
            str(row.list_seats),
            str(row.district_seats),
            str(row.seats),
        ]
        if compared:
            cells += [signed(row.seat_change), signed(row.swing_pp)]
        lines.append(_row(cells))
    pad = [""] * (2 if compared else 0)
    if composition.districts:
        lines.append(_row([_("Independents"), "", "", "", *[str(composition.independents)] * 2, *pad]))
    if composition.vacancies:
        lines.append(_row([_("Vacant"), "", "", "", *[str(len(composition.vacancies))] * 2, *pad]))
    lines.append(_row([f"**{_('Total')}**", "", "", "", "", f"**{composition.seats_total}**", *pad]))
    return "\n".join(lines) + "\n"


def _districts(result: Result, _: Translate) -> str:
    lines = ["## " + _("Districts"), "", _row(["No.", _("Winner"), _("Party"), _("Votes"), _("Margin"), _("Decision")])]
    lines.append(_row(["---:", "---", "---", "---:", "---:", "---"]))
    for d in result.composition.districts:
        lines.append(_row([md(cell) for cell in district_cells(d)]))
    return "\n".join(lines) + "\n"


def _deputies(result: Result, _: Translate) -> str:
    lines = ["## " + _("Deputies"), "", _row([_("Deputy"), _("Party"), _("Seat")]), _row(["---", "---", "---"])]
    for deputy in result.composition.deputies:
        seat = f"district {deputy.district}" if deputy.district else f"list No. {deputy.list_position or '?'}"
        lines.append(_row([md(deputy.label), md(deputy.party or "self-nominated"), seat]))
    return "\n".join(lines) + "\n"


def _row(cells: list[str]) -> str:
    """One table line; data cells come escaped by `md` (HTML, `|`, links), labels are ours."""
    return "| " + " | ".join(cells) + " |"
