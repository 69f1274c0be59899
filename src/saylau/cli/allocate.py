"""`saylau allocate NAME=VOTES ... --seats N`: share seats among lists and explain each step."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Annotated, TypeVar

import typer
from rich.table import Table
from rich.text import Text

from saylau.apportionment import Ballots, Contestant, Method, Threshold, ThresholdBase, TieRule, allocate
from saylau.apportionment.explain import to_dict
from saylau.cli.app import app, exits_on_error
from saylau.errors import InputError, Problem
from saylau.limits import MAX_PARTIES, NumberError, parse_fraction, parse_whole
from saylau.reports.allocation import explain_allocation
from saylau.reports.i18n import words
from saylau.reports.safe import SafeConsole, terminal

E = TypeVar("E", Method, ThresholdBase, TieRule)


def _choice(kind: type[E], value: str, option: str) -> E:
    try:
        return kind(value.lower())
    except ValueError:
        known = "/".join(m.value for m in kind) if len(kind) < 5 else "see --help"
        raise InputError([Problem(f"unknown {option} {value!r} ({known})", field=option)]) from None


def _contestants(pairs: list[str]) -> list[Contestant]:
    if len(pairs) > MAX_PARTIES:
        raise InputError([Problem(f"at most {MAX_PARTIES:,} lists", field="contestant")])
    problems, out = [], []
    for pair in pairs:
        name, sep, votes = pair.rpartition("=")
        try:
            if not sep or not name.strip():
                raise NumberError(pair)
            out.append(Contestant(name.strip(), parse_whole(votes)))
        except NumberError:
            shown = pair if len(pair) <= 60 else pair[:60] + "…"
            problems.append(Problem(f"{shown!r} is not NAME=VOTES (votes a whole number)", field="contestant"))
    if problems:
        raise InputError(problems)
    return out


def _percent(text: str | None) -> Fraction | None:
    if text is None:
        return None
    try:
        value = parse_fraction(text.strip().removesuffix("%"))
    except NumberError:
        value = None
    if value is None or not 0 <= value <= 100:
        raise InputError([Problem(f"threshold {text[:40]!r} is not a percentage like 5% or 4.5", field="threshold")])
    return value


@app.command("allocate")
@exits_on_error
def allocate_command(
    contestants: Annotated[list[str], typer.Argument(help="NAME=VOTES for each list, in registration order.")],
    seats: Annotated[int, typer.Option("--seats", help="Seats to fill.")],
    method: Annotated[str, typer.Option(help="One of: " + ", ".join(m.value for m in Method) + ".")] = "hare",
    threshold: Annotated[str | None, typer.Option(help="Threshold in percent, e.g. 5%.")] = None,
    threshold_base: Annotated[str, typer.Option(help="valid, party or cast.")] = "valid",
    against_all: Annotated[int, typer.Option(help="Ballots marked 'against all'.")] = 0,
    invalid: Annotated[int, typer.Option(help="Invalid ballots (count only in the 'cast' base).")] = 0,
    min_admitted: Annotated[int, typer.Option(help="Admit lists in vote order until this many take part.")] = 0,
    tie: Annotated[
        str, typer.Option(help="One of: " + ", ".join(t.value for t in TieRule) + ".")
    ] = "registration-order",
    seed: Annotated[int | None, typer.Option(help="Seed of the drawing of lots (tie rule 'lot').")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object: seats and the trace.")] = False,
    lang: Annotated[str, typer.Option("--lang", help="The explanation in en, kk or ru.")] = "en",
) -> None:
    """Share seats among lists by a quota or divisor method, with the threshold and the full trace."""
    w = words(lang)  # an unknown language is refused before any work
    percent = _percent(threshold)
    base = _choice(ThresholdBase, threshold_base, "threshold-base")
    result = allocate(
        _contestants(contestants),
        seats,
        _choice(Method, method, "method"),
        threshold=None if percent is None else Threshold(percent, None, base),
        min_admitted=min_admitted,
        ballots=Ballots(against_all, invalid),
        tie=_choice(TieRule, tie, "tie"),
        seed=seed,
    )
    if as_json:
        typer.echo(json.dumps(to_dict(result), ensure_ascii=False, indent=2))
        return
    title = w(
        "{decided} of {total} seats, {method}",
        decided=result.seats_decided,
        total=result.seats_total,
        method=w(result.method.label),
    )
    table = Table(title=Text(title))
    table.add_column(w("List"))
    table.add_column(w("Votes"), justify="right")
    table.add_column(w("Seats"), justify="right")
    for line in result.threshold.lines:
        table.add_row(Text(terminal(line.name)), w.fmt.integer(line.votes), str(result.seats[line.name]))
    console = SafeConsole()
    console.print(table)
    console.print("\n".join(explain_allocation(result, w)), markup=False, highlight=False)
