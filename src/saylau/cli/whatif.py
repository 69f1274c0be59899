"""`saylau whatif FOLDER --method M --threshold P% [--pure-pr | --mmp] [--compensation C] [--overhang O]`.

The declared council and the scenario's council side by side, with the indices, so a reader sees at once
what the rule (not the voters) decided.
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from saylau.analysis.whatif import ACTUAL, Mode, Scenario, ScenarioOutcome, what_if
from saylau.apportionment import Method
from saylau.cli.app import AllowPrevious, app, exits_on_error, lang_option, located
from saylau.cli.errors import NOT_A_PERCENTAGE, UNKNOWN_SEE_HELP, UNKNOWN_VALUE
from saylau.cli.load import election_of
from saylau.domain import localised
from saylau.errors import InputError, SaylauError, worded
from saylau.limits import NumberError, parse_fraction
from saylau.reports.i18n import N_, Words, words
from saylau.reports.safe import SafeConsole, terminal
from saylau.rules import Combination, Overhang


def _method(value: str | None) -> Method | None:
    if value is None:
        return None
    try:
        return Method(value.strip().lower())
    except ValueError:
        raise InputError([worded(UNKNOWN_SEE_HELP, field="method", option="method", value=repr(value))]) from None


def _percent(text: str | None) -> Fraction | None:
    """ "5%", "5" or "4.5" -> an exact percentage; anything else (or outside 0-100) is refused."""
    if text is None:
        return None
    try:
        value: Fraction | None = parse_fraction(text.strip().removesuffix("%"))
    except NumberError:
        value = None
    if value is None or not 0 <= value <= 100:
        raise InputError([worded(NOT_A_PERCENTAGE, field="threshold", value=repr(text[:40]))])
    return value


def _mode(pure_pr: bool, mmp: bool) -> Mode:
    if pure_pr and mmp:
        raise InputError([worded("choose one of --pure-pr and --mmp, not both", field="mode")])
    return Mode.PURE_PR if pure_pr else Mode.MMP if mmp else Mode.AS_IS


_MODES = {Mode.PURE_PR: N_("pure PR"), Mode.MMP: N_("MMP")}


def _choice(enum: type[Combination] | type[Overhang], value: str | None, field: str) -> Any:
    if value is None:
        return None
    try:
        return enum(value.strip().lower())
    except ValueError:
        known = ", ".join(m.value for m in enum)
        raise InputError([worded(UNKNOWN_VALUE, field=field, option=field, value=repr(value), known=known)]) from None


def _label(scenario: Scenario, w: Words) -> str:
    parts = [] if scenario.mode is Mode.AS_IS else [w(_MODES[scenario.mode])]
    if scenario.combination is not None:
        parts.append(scenario.combination.value)
    if scenario.overhang is not None:
        parts.append(w("overhang {rule}", rule=scenario.overhang.value))
    if scenario.method is not None:
        parts.append(w(scenario.method.label))
    if scenario.threshold_percent is not None:
        parts.append(w.fmt.percent(scenario.threshold_percent, 0 if scenario.threshold_percent.denominator == 1 else 2))
    return w("what-if: {rules}", rules=", ".join(parts) or w("same rules"))


def _number(value: Fraction | float | None, w: Words) -> str:
    return "—" if value is None else w.fmt.decimal(value, 2)


def table(outcomes: list[ScenarioOutcome], w: Words | None = None) -> Table:
    """Rows per party (most list votes first, then registration order), independents, indices; a column each."""
    w = w or words()
    election = outcomes[0].election
    out = Table(title=Text(terminal(localised(election.names, w.lang, election.name))))
    out.add_column(w("Party"))
    for outcome in outcomes:
        out.add_column(
            Text(terminal(outcome.scenario.label if outcome.scenario is not ACTUAL else w("actual"))), justify="right"
        )
    order = {p.short_name: p.registration_order for p in election.parties}
    for party in sorted(outcomes[0].composition.parties, key=lambda p: (-p.list_votes, order.get(p.party, 0))):
        registered = election.party(party.party)
        name = localised(registered.names, w.lang, party.party) if registered else party.party
        out.add_row(Text(terminal(name)), *(str(o.seats().get(party.party, 0)) for o in outcomes))
    out.add_row(w("Independents"), *(str(o.composition.independents) for o in outcomes))
    out.add_row(w("Seats filled"), *(str(o.composition.seats_filled) for o in outcomes))
    out.add_row(w("Body size"), *(str(o.composition.seats_total) for o in outcomes), end_section=True)
    out.add_row(
        w("Gallagher"),
        *(_number(o.indices.gallagher if o.indices else None, w) for o in outcomes),
    )
    out.add_row(
        w("Loosemore-Hanby"),
        *(_number(o.indices.loosemore_hanby if o.indices else None, w) for o in outcomes),
    )
    out.add_row(
        w("ENP (votes)"), *(_number(o.indices.effective_parties_votes if o.indices else None, w) for o in outcomes)
    )
    out.add_row(
        w("ENP (seats)"), *(_number(o.indices.effective_parties_seats if o.indices else None, w) for o in outcomes)
    )
    out.caption = w("The indices compare the whole council's seats with the list votes.")
    return out


@app.command("whatif")
@exits_on_error
def whatif_command(
    folder: Annotated[Path, typer.Argument(help="The election folder.")],
    method: Annotated[
        str | None, typer.Option(help="List-tier method, one of: " + ", ".join(m.value for m in Method) + ".")
    ] = None,
    threshold: Annotated[str | None, typer.Option(help="Threshold in percent, e.g. 7%; 0 for none.")] = None,
    pure_pr: Annotated[bool, typer.Option("--pure-pr", help="Every seat by list; districts ignored.")] = False,
    mmp: Annotated[bool, typer.Option("--mmp", help="List seats compensate for district seats.")] = False,
    compensation: Annotated[
        str | None,
        typer.Option(help="How the tiers combine, one of: " + ", ".join(c.value for c in Combination) + "."),
    ] = None,
    overhang: Annotated[
        str | None, typer.Option(help="Overhang in a compensatory system: " + ", ".join(o.value for o in Overhang))
    ] = None,
    allow_previous: AllowPrevious = None,
    lang: Annotated[str, lang_option("Labels and numbers in en, kk or ru.")] = "en",
) -> None:
    """Re-run the same votes under another method, threshold or system, beside the actual council."""
    w = words(lang)  # an unknown language is refused before any work
    scenario = Scenario(
        "",
        _method(method),
        _percent(threshold),
        _mode(pure_pr, mmp),
        _choice(Combination, compensation, "compensation"),
        _choice(Overhang, overhang, "overhang"),
    )
    scenario = dataclasses.replace(scenario, label=_label(scenario, w))
    election = election_of(folder, allow_previous, lang=lang)
    try:
        outcomes = what_if(election, [ACTUAL, scenario])
    except SaylauError as error:
        raise located(folder, error) from None
    SafeConsole().print(table(outcomes, w))
