"""`saylau results FOLDER`: the council an election folder elects, as tables or JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from saylau.cli.app import app, exits_on_error
from saylau.cli.registration import warn_if_registration_fails
from saylau.io import load_election
from saylau.reports.i18n import translator
from saylau.reports.summary import summary
from saylau.reports.text import renderables
from saylau.result import declare


@app.command()
@exits_on_error
def results(
    folder: Annotated[Path, typer.Argument(help="The election folder (see docs/election-folder.md).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of tables.")] = False,
    lang: Annotated[str, typer.Option("--lang", help="Table labels in en, kk or ru.")] = "en",
) -> None:
    """Load, validate and declare an election: council, deputies, majority, comparison."""
    translator(lang)  # an unknown language is refused before any work
    election = load_election(folder)
    warn_if_registration_fails(election, folder)
    result = declare(election)
    if as_json:
        typer.echo(json.dumps(summary(result), ensure_ascii=False, indent=2))
        return
    console = Console()
    for part in renderables(result, lang):
        console.print(part, soft_wrap=isinstance(part, Text))  # the annex's tables keep their lines
