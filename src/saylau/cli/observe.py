"""`saylau observe FOLDER`: the observers' copies of the protocols against the accepted ones (docs/forensics.md)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from saylau.analysis.forensics.observers import compare
from saylau.cli.app import app, exits_on_error
from saylau.errors import InputError, Problem
from saylau.io import load_election
from saylau.io.count import StationsCount
from saylau.io.observers import FILE, FOLDER, read_observer_copies
from saylau.reports.i18n import translator
from saylau.reports.observers import observers_json, observers_sheet
from saylau.reports.sheet import (
    render_sheet_csv,
    render_sheet_html,
    render_sheet_markdown,
    render_sheet_pdf,
    render_sheet_text,
    render_sheet_wikitext,
)


class Format(StrEnum):
    """What `saylau observe` writes."""

    TEXT = "text"
    MARKDOWN = "markdown"
    WIKITEXT = "wikitext"
    CSV = "csv"
    JSON = "json"
    HTML = "html"
    PDF = "pdf"


@app.command("observe")
@exits_on_error
def observe_command(
    folder: Annotated[Path, typer.Argument(help="The election folder, with protocols/ and observers.csv.")],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.TEXT,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Words and numbers in en, kk or ru.")] = "en",
    raw: Annotated[bool, typer.Option("--raw", help="csv: write cells as they are (no ' before = + - @).")] = False,
) -> None:
    """Where observers' copies differ from the accepted protocols, which have no copy, and the totals with them."""
    translator(lang)
    if fmt is Format.PDF and output is None:
        raise typer.BadParameter("--format pdf writes a binary file: give it one with -o PATH", param_hint="-o")
    copies = read_observer_copies(folder)
    if copies is None:
        raise InputError([Problem(f"file is missing: no {FILE} and no {FOLDER}/*.csv", FILE)])
    kept: list[StationsCount] = []  # the stations' count, read once with the election's
    load_election(folder, kept=kept)
    counted = kept[0] if kept else None
    if counted is None:
        raise InputError([Problem("folder is missing: the copies are compared with the protocols", "protocols")])
    check = compare(counted[1].accepted, copies)
    if fmt is Format.PDF:
        assert output is not None
        output.write_bytes(render_sheet_pdf(observers_sheet(check, lang)))
        return
    if fmt is Format.JSON:
        text = json.dumps(observers_json(check), ensure_ascii=False, indent=2) + "\n"
    elif fmt is Format.CSV:
        text = render_sheet_csv(observers_sheet(check, lang), raw=raw)
    else:
        render = {
            Format.TEXT: render_sheet_text,
            Format.MARKDOWN: render_sheet_markdown,
            Format.WIKITEXT: render_sheet_wikitext,
            Format.HTML: render_sheet_html,
        }[fmt]
        text = render(observers_sheet(check, lang))
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
