"""`saylau results FOLDER`: the council an election folder elects, as tables or JSON; for a day folder, every
contest's (or the one `--contest` names).

The typer command: its help and its errors. The work is `saylau.cli.quick.results_and_show`, which `main`
also runs directly, without typer, for the usual command lines.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from saylau.cli.app import AllowPrevious, app, exits_on_error, lang_option
from saylau.cli.quick import results_and_show


@app.command()
@exits_on_error
def results(
    folder: Annotated[
        Path,
        typer.Argument(help="The election folder or election-day folder (docs/election-folder.md, election-day.md)."),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of tables.")] = False,
    lang: Annotated[str, lang_option("Table labels in en, kk or ru.")] = "en",
    allow_previous: AllowPrevious = None,
    contest: Annotated[
        str | None, typer.Option("--contest", help="A day folder: declare this contest only (its id in day.toml).")
    ] = None,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="A published total the complete count does not give is an error (exit 2)."),
    ] = False,
) -> None:
    """Load, validate and declare an election (or every contest of an election day): council, deputies, majority."""
    results_and_show(folder, as_json, lang, allow_previous, contest=contest, strict=strict)
