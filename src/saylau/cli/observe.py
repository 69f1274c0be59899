"""`saylau observe FOLDER`: the observers' copies of the protocols against the accepted ones (docs/forensics.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from saylau.analysis.forensics.observers import compare
from saylau.cli.app import app, exits_on_error
from saylau.cli.sheets import SHEET_FORMATS, Lang, Output, Raw, format_option, needs_file, write_sheet
from saylau.errors import InputError, worded
from saylau.io import load_election
from saylau.io.count import StationsCount
from saylau.io.observers import FILE, FOLDER, read_observer_copies
from saylau.reports.i18n import translator
from saylau.reports.observers import observers_json, observers_sheet


@app.command("observe")
@exits_on_error
def observe_command(
    folder: Annotated[Path, typer.Argument(help="The election folder, with protocols/ and observers.csv.")],
    fmt: Annotated[str, format_option(SHEET_FORMATS)] = "text",
    output: Output = None,
    lang: Lang = "en",
    raw: Raw = False,
) -> None:
    """Where observers' copies differ from the accepted protocols, which have no copy, and the totals with them."""
    translator(lang)
    needs_file(fmt, output)
    copies = read_observer_copies(folder)
    if copies is None:
        raise InputError([worded("file is missing: no {file} and no {folder}/*.csv", FILE, file=FILE, folder=FOLDER)])
    kept: list[StationsCount] = []  # the stations' count, read once with the election's
    load_election(folder, kept=kept)
    counted = kept[0] if kept else None
    if counted is None:
        raise InputError([worded("folder is missing: the copies are compared with the protocols", "protocols")])
    check = compare(counted[1].accepted, copies)
    write_sheet(fmt, lambda: observers_sheet(check, lang), lambda: observers_json(check), output, raw=raw)
