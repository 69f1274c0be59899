"""`saylau forensics FOLDER`: the statistical checks of a count (statistics, not findings; docs/forensics.md)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from saylau.analysis.forensics import ContestKind, examine
from saylau.cli.app import app, exits_on_error
from saylau.errors import InputError, Problem
from saylau.io import load_election
from saylau.io.count import StationsCount
from saylau.io.protocols import read_station_history
from saylau.reports.forensics import (
    fingerprint_cells_csv,
    fingerprint_png,
    fingerprint_svg,
    forensics_json,
    forensics_sheet,
)
from saylau.reports.i18n import translator
from saylau.reports.sheet import (
    render_sheet_csv,
    render_sheet_html,
    render_sheet_markdown,
    render_sheet_pdf,
    render_sheet_text,
    render_sheet_wikitext,
)


class Format(StrEnum):
    """What `saylau forensics` writes: the tables, or one contest's fingerprint (svg, png) and its cells."""

    TEXT = "text"
    MARKDOWN = "markdown"
    WIKITEXT = "wikitext"
    CSV = "csv"
    JSON = "json"
    HTML = "html"
    PDF = "pdf"
    SVG = "svg"
    PNG = "png"
    CELLS = "cells"


@app.command("forensics")
@exits_on_error
def forensics_command(
    folder: Annotated[Path, typer.Argument(help="The election folder, with stations.csv and protocols/.")],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.TEXT,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Words and numbers in en, kk or ru.")] = "en",
    contest: Annotated[
        ContestKind, typer.Option("--contest", help="svg/png: the fingerprint of the list or the district ballot.")
    ] = ContestKind.LIST,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the resampling: the same seed, the same figures.")] = 0,
    resamples: Annotated[
        int, typer.Option("--resamples", min=99, max=100_000, help="Redraws of the integer-percentage null.")
    ] = 1000,
    raw: Annotated[bool, typer.Option("--raw", help="csv: write cells as they are (no ' before = + - @).")] = False,
) -> None:
    """Fingerprint, integer percentages, last digits and out-of-line stations of the accepted protocols."""
    translator(lang)  # an unknown language is refused before any work
    if fmt in (Format.PNG, Format.PDF) and output is None:
        raise typer.BadParameter(f"--format {fmt} writes a binary file: give it one with -o PATH", param_hint="-o")
    kept: list[StationsCount] = []  # the stations' count, read once with the election's
    election = load_election(folder, kept=kept)
    counted = kept[0] if kept else None
    if counted is None:
        raise InputError([Problem("folder is missing: the statistics need the stations' protocols", "protocols")])
    _, count = counted
    history, problems = read_station_history(folder, [p.short_name for p in election.parties])
    if problems:
        raise InputError(problems)
    parties_of = {d.number: {c.name: c.party for c in d.candidates} for d in election.districts}
    results = examine(count.accepted, history, parties_of, seed=seed, resamples=resamples)
    if fmt in (Format.SVG, Format.PNG):
        chosen = next((r for r in results if r.contest.kind is contest), None)
        if chosen is None:
            raise InputError([Problem(f"no accepted protocol of the {contest} ballot", "protocols", field="contest")])
        if fmt is Format.PNG:
            assert output is not None
            output.write_bytes(fingerprint_png(chosen.fingerprint, lang))
            return
        text = fingerprint_svg(chosen.fingerprint, lang)
    elif fmt is Format.JSON:
        text = json.dumps(forensics_json(results), ensure_ascii=False, indent=2) + "\n"
    elif fmt is Format.CELLS:
        text = fingerprint_cells_csv(results)
    else:
        sheet = forensics_sheet(results, lang, figures=fmt in (Format.HTML, Format.PDF))
        if fmt is Format.PDF:
            assert output is not None
            output.write_bytes(render_sheet_pdf(sheet))
            return
        if fmt is Format.CSV:
            text = render_sheet_csv(sheet, raw=raw)
        else:
            render = {
                Format.TEXT: render_sheet_text,
                Format.MARKDOWN: render_sheet_markdown,
                Format.WIKITEXT: render_sheet_wikitext,
                Format.HTML: render_sheet_html,
            }[fmt]
            text = render(sheet)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
