"""`saylau ballots FOLDER -o OUT.pdf [--district N]`: the ballot papers as the commission prints them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from saylau.cli.app import app, exits_on_error, lang_option
from saylau.errors import InputError, Problem
from saylau.io import load_election


@app.command()
@exits_on_error
def ballots(
    folder: Annotated[Path, typer.Argument(help="The election folder (see docs/election-folder.md).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The PDF to write.")],
    district: Annotated[int | None, typer.Option("--district", help="Only this district's ballot.")] = None,
    lang: Annotated[str, lang_option("The command's messages in en, kk or ru (the ballots are in kk and ru).")] = "en",
) -> None:
    """The list ballot and each district's ballot, Kazakh and Russian side by side, one page each."""
    from saylau.reports.ballots import render_ballots
    from saylau.reports.i18n import words

    w = words(lang)  # an unknown language is refused before any work
    election = load_election(folder, count_protocols=False)
    if district is not None and all(d.number != district for d in election.districts):
        raise InputError([Problem(w("no district {number} in districts.csv", number=district), field="district")])
    output.write_bytes(render_ballots(election, district))
    typer.echo(w("wrote {path}", path=output))
