"""`saylau registration check FOLDER`: the folder's lists and candidates against the registration rules."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from saylau.cli.app import app, exits_on_error, lang_option, speaks, stderr
from saylau.io import load_election
from saylau.registration import check_registration
from saylau.reports.i18n import words
from saylau.reports.registration import refusal_lines, refusals_json, unchecked_lines

registration = typer.Typer(help="Registration of lists and district candidates.", no_args_is_help=True, callback=speaks)
app.add_typer(registration, name="registration")


@registration.command("check")
@exits_on_error
def check(
    folder: Annotated[Path, typer.Argument(help="The election folder (see docs/election-folder.md).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of lines.")] = False,
    lang: Annotated[str, lang_option("The refusals, notes and summary in en, kk or ru.")] = "en",
) -> None:
    """Check every list and district candidate against the registration rules; exit 2 on any refusal."""
    w = words(lang)  # an unknown language is refused before any work
    election = load_election(folder, count_protocols=False)
    result = check_registration(election)
    if as_json:
        typer.echo(json.dumps(refusals_json(result, election, w), ensure_ascii=False, indent=2))
        sys.exit(0 if result.passed else 2)
    for line in refusal_lines(result, election, w):
        typer.echo(line)
    for line in unchecked_lines(result, w):
        stderr.print(w("note: {line}", line=line), markup=False, soft_wrap=True)
    if not result.passed:
        stderr.print(w.n("{n} registration refusal", "{n} registration refusals", len(result.refusals)), markup=False)
        sys.exit(2)
    typer.echo(
        w.n(
            "registration checks pass: {n} candidate registered",
            "registration checks pass: {n} candidates registered",
            len(election.registration.nominees),
        )
    )
