"""The result as terminal tables (rich): infobox figures, parties, districts, deputies, majority."""

from __future__ import annotations

import io
from collections.abc import Callable

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from saylau.analysis import MajorityChange
from saylau.reports.csv_report import district_cells
from saylau.reports.i18n import translator
from saylau.reports.numbers import percent, signed
from saylau.reports.safe import SafeConsole, terminal
from saylau.reports.tiers import constituency_table, sentence
from saylau.result import Result

Translate = Callable[[str], str]


def renderables(result: Result, lang: str = "en") -> list[RenderableType]:
    """Every table of the terminal report, in reading order, labelled in `lang` (en, kk, ru)."""
    _ = translator(lang)
    parts: list[RenderableType] = [_infobox(result, _), _parties(result, _)]
    if result.composition.districts:
        parts.append(_districts(result, _))
    parts += [_deputies(result, _), _majority(result)]
    by_constituency = constituency_table(result.composition)
    if by_constituency is not None:
        parts.append(by_constituency)
    if result.composition.steps:
        parts.append(Text("Seat arithmetic across tiers, step by step", style="bold"))
        parts.append(Text(terminal("\n".join(sentence(step) for step in result.composition.steps))))
    allocation = result.composition.list_allocation
    if allocation is not None:
        parts.append(Text("List seats, step by step", style="bold"))
        parts.append(Text(terminal(allocation.explain())))
    return parts


def render_text(result: Result, lang: str = "en", width: int = 110) -> str:
    """The terminal report as plain text (no colour codes)."""
    console = SafeConsole(record=True, width=width, color_system=None, file=io.StringIO())
    console.print(Group(*renderables(result, lang)))
    return console.export_text()


def _infobox(result: Result, _: Translate) -> Table:
    election, composition, comparison = result.election, result.composition, result.comparison
    table = Table(title=election.name, show_header=False, title_style="bold")
    table.add_column(style="bold")
    table.add_column()
    table.add_row(_("Body"), election.body.name)
    if election.date:
        table.add_row(_("Date"), election.date.isoformat())
    table.add_row(_("Seats"), str(composition.seats_total))
    table.add_row(_("Majority"), str(composition.majority))
    turnout = election.results.turnout
    change = comparison.turnout_change_pp if comparison else None
    shown = percent(None if turnout is None else turnout * 100)
    table.add_row(_("Turnout"), shown + (f" ({signed(change)} pp)" if change is not None else ""))
    if comparison:
        table.add_row(_("Previous election"), comparison.previous.name)
        largest = comparison.majority_change(composition.seats_total, composition.majority)
        if largest is not None:
            table.add_row(
                "Largest party", majority_sentence(largest, comparison.previous.seats, composition.seats_total)
            )
    if election.secretary_before or election.secretary_after:
        table.add_row(_("Secretary before"), f"{election.secretary_before} ({election.secretary_before_party})")
        table.add_row(_("Secretary after"), f"{election.secretary_after} ({election.secretary_after_party})")
    return table


def _parties(result: Result, _: Translate) -> Table:
    composition, comparison = result.composition, result.comparison
    changes = {c.party: c for c in comparison.parties} if comparison else {}
    table = Table(title=_("Parties"), title_style="bold")
    for name in (_("Party"), _("List votes"), "%", _("List seats"), _("District seats"), _("Seats"), "+/-", _("Swing")):
        table.add_column(name, justify="left" if name == _("Party") else "right", no_wrap=name == _("Party"))
    for line in sorted(composition.parties, key=lambda p: (-p.seats, -p.list_votes)):
        change = changes.get(line.party)
        table.add_row(
            line.party,
            f"{line.list_votes:,}",
            percent(None if line.list_share is None else line.list_share * 100),
            str(line.list_seats),
            str(line.district_seats),
            str(line.seats),
            signed(change.seat_change) if change else "",
            signed(change.swing_pp) if change else "",
        )
    if composition.districts:
        table.add_row(_("Independents"), "", "", "", str(composition.independents), str(composition.independents))
    if composition.vacancies:
        table.add_row(_("Vacant"), "", "", "", str(len(composition.vacancies)), str(len(composition.vacancies)))
    table.add_row(_("Total"), "", "", "", "", str(composition.seats_total), style="bold")
    return table


def _districts(result: Result, _: Translate) -> Table:
    table = Table(title=_("Districts"), title_style="bold")
    for name in ("No.", _("Winner"), _("Party"), _("Votes"), _("Margin"), _("Decision")):
        table.add_column(
            name, justify="right" if name in ("No.", _("Votes"), _("Margin")) else "left", no_wrap=name == "No."
        )
    for d in result.composition.districts:
        table.add_row(*district_cells(d))
    return table


def _deputies(result: Result, _: Translate) -> Table:
    table = Table(title=_("Deputies"), title_style="bold")
    for name in (_("Deputy"), _("Party"), _("Seat")):
        table.add_column(name)
    for deputy in result.composition.deputies:
        seat = f"district {deputy.district}" if deputy.district else f"list No. {deputy.list_position or '?'}"
        table.add_row(deputy.label, deputy.party or "self-nominated", seat)
    return table


def _majority(result: Result) -> Text:
    composition = result.composition
    holder = composition.majority_holder
    if holder is None:
        return Text(terminal(f"No party holds a majority ({composition.majority} of {composition.seats_total} seats)."))
    seats = composition.party(holder)
    held = seats.seats if seats else 0
    return Text(
        terminal(f"Majority ({composition.majority} of {composition.seats_total}): held by {holder} with {held}.")
    )


def majority_sentence(change: MajorityChange, seats_before: int, seats_now: int) -> str:
    """ "Amanat: 29 of 39 (majority) -> 25 of 42 (majority kept)" and the like."""

    def held(flag: bool | None) -> str:
        return "" if flag is None else (" (majority)" if flag else " (no majority)")

    if change.same_party and change.held_before and change.held_now:
        verdict = "majority kept"
    elif change.held_now and not change.held_before:
        verdict = "majority won"
    elif change.held_before and not change.held_now:
        verdict = "majority lost"
    else:
        verdict = "largest party" if change.same_party else "new largest party"
    before = f"{change.party_before} {change.seats_before} of {seats_before}{held(change.held_before)}"
    return f"{before} -> {change.party_now} {change.seats_now} of {seats_now}{held(change.held_now)}: {verdict}"
