"""`saylau results FOLDER`: the council an election folder elects, as tables or JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from saylau.cli.app import AllowPrevious, app, exits_on_error
from saylau.cli.load import declare_election, election_of
from saylau.cli.registration import warn_if_registration_fails
from saylau.reports.i18n import translator
from saylau.reports.safe import SafeConsole
from saylau.reports.summary import summary
from saylau.reports.text import renderables


@app.command()
@exits_on_error
def results(
    folder: Annotated[Path, typer.Argument(help="The election folder (see docs/election-folder.md).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of tables.")] = False,
    lang: Annotated[str, typer.Option("--lang", help="Table labels in en, kk or ru.")] = "en",
    allow_previous: AllowPrevious = None,
) -> None:
    """Load, validate and declare an election: council, deputies, majority, comparison."""
    translator(lang)  # an unknown language is refused before any work
    election = election_of(folder, allow_previous)
    warn_if_registration_fails(election, folder)
    result = declare_election(folder, election)
    if as_json:
        typer.echo(json.dumps(summary(result), ensure_ascii=False, indent=2))
        return
    console = SafeConsole()
    for part in renderables(result, lang):
        console.print(part)
