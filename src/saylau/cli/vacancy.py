"""`saylau vacancy FOLDER --deputy NAME --date D`: who takes a seat that falls vacant, recorded in the folder."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from saylau.cli.app import app, exits_on_error, lang_option
from saylau.composition import compose
from saylau.errors import InputError, worded
from saylau.io import load_election
from saylau.io.vacancies import FILE, append_vacancy, read_vacancies
from saylau.registration.vacancy import VacancyRefusal, fill_vacancy, term
from saylau.reports.i18n import words
from saylau.reports.vacancy import outcome_lines, refusal_problem, term_lines


@app.command()
@exits_on_error
def vacancy(
    folder: Annotated[Path, typer.Argument(help="The election folder (see docs/election-folder.md).")],
    deputy: Annotated[
        str | None, typer.Option("--deputy", help="The deputy whose seat falls vacant (none: show the council now).")
    ] = None,
    day: Annotated[str | None, typer.Option("--date", help="The day the seat falls vacant (YYYY-MM-DD).")] = None,
    successor: Annotated[
        str | None, typer.Option("--successor", help="The candidate the party designates (list seats).")
    ] = None,
    source: Annotated[str, typer.Option("--source", help="The decision to cite in vacancies.csv.")] = "",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the decision without recording it.")] = False,
    lang: Annotated[str, lang_option("The decision in en, kk or ru.")] = "en",
) -> None:
    """Show who takes the seat and why, and record it in vacancies.csv; without --deputy, the council now."""
    w = words(lang)  # an unknown language is refused before any work
    election = load_election(folder)
    declared = compose(election).deputies
    history = read_vacancies(folder, election, declared)
    now = term(election, declared, history)
    if deputy is None:
        for line in term_lines(now, history, w):
            typer.echo(line)
        return
    when = _day(day)
    last = history[-1].day if history else None
    outcome = fill_vacancy(election, now, deputy, when, last, successor)
    if isinstance(outcome, VacancyRefusal):
        raise InputError([refusal_problem(outcome)])
    for line in outcome_lines(outcome, w):
        typer.echo(line)
    if not dry_run:
        row = append_vacancy(folder, outcome.record, source)
        typer.echo(w("Recorded in {file} (row {row}).", file=FILE, row=row))


def _day(day: str | None) -> date:
    if day is None:
        raise InputError([worded("--date is needed with --deputy", field="date")])
    try:
        return date.fromisoformat(day)
    except ValueError:
        raise InputError([worded("{value} is not a date (YYYY-MM-DD)", field="date", value=repr(day))]) from None
