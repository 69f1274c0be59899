"""`saylau forensics FOLDER`: the statistical checks of a count (statistics, not findings; docs/forensics.md)."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Annotated

import typer

from saylau.analysis.forensics import Contest, ContestKind, contests, examine_contests
from saylau.cli.app import app, exits_on_error
from saylau.cli.sheets import SHEET_FORMATS, Lang, Output, Raw, format_option, needs_file, write, write_sheet
from saylau.errors import InputError, worded
from saylau.io import load_election
from saylau.io.columnar import read_past_columns
from saylau.io.count import StationsCount
from saylau.reports.forensics import (
    fingerprint_cells_csv,
    fingerprint_png,
    fingerprint_svg,
    forensics_json,
    forensics_sheet,
)
from saylau.reports.i18n import translator

FORMATS = (*SHEET_FORMATS, "svg", "png", "cells")
"""The tables' formats, then one contest's fingerprint (svg, png) and every fingerprint's data (cells)."""
WORKERS = 4
"""The most threads the statistics run on: each holds a statistic's arrays of every station, so memory grows
with them (at 1,000,000 stations the peak was 1,330 MiB on 2 threads, 1,568 MiB on 4 and 1,840 MiB on 12)."""


@app.command("forensics")
@exits_on_error
def forensics_command(
    folder: Annotated[Path, typer.Argument(help="The election folder, with stations.csv and protocols/.")],
    fmt: Annotated[str, format_option(FORMATS)] = "text",
    output: Output = None,
    lang: Lang = "en",
    contest: Annotated[
        ContestKind, typer.Option("--contest", help="svg/png: the fingerprint of the list or the district ballot.")
    ] = ContestKind.LIST,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the resampling: the same seed, the same figures.")] = 0,
    resamples: Annotated[
        int, typer.Option("--resamples", min=99, max=100_000, help="Redraws of the integer-percentage null.")
    ] = 1000,
    raw: Raw = False,
) -> None:
    """Fingerprint, integer percentages, last digits and out-of-line stations of the accepted protocols."""
    translator(lang)  # an unknown language is refused before any work
    needs_file(fmt, output)
    workers = min(os.cpu_count() or 1, WORKERS)  # a national count's contests and statistics side by side
    results = examine_contests(_contests(folder, workers), seed=seed, resamples=resamples, workers=workers)
    if fmt in ("svg", "png"):
        chosen = next((r for r in results if r.contest.kind is contest), None)
        if chosen is None:
            raise _none_accepted(contest)
        print_ = chosen.fingerprint
        write(fingerprint_png(print_, lang) if fmt == "png" else fingerprint_svg(print_, lang), output)
    elif fmt == "cells":
        write(fingerprint_cells_csv(results), output)
    else:
        figures = fmt in ("html", "pdf")
        sheet = lambda: forensics_sheet(results, lang, figures=figures)  # noqa: E731
        write_sheet(fmt, sheet, lambda: forensics_json(results), output, raw=raw)


def _contests(folder: Path, workers: int) -> tuple[Contest, ...]:
    """The contests of the folder's accepted protocols, with the stations' previous figures. The previous
    figures are read beside the count (the definition, read first, names the parties they belong to), and the
    count's rows are let go when this returns: a national count's take more memory than its contests."""
    parties = [p.short_name for p in load_election(folder, count_protocols=False).parties]
    with ThreadPoolExecutor(max_workers=1) as pool:
        past = pool.submit(read_past_columns, folder, parties)
        kept: list[StationsCount] = []  # the stations' count, read once with the election's
        election = load_election(folder, kept=kept)
        history, problems = past.result()
    if not kept:
        raise InputError([worded("folder is missing: the statistics need the stations' protocols", "protocols")])
    if problems:
        raise InputError(problems)
    _, count = kept[0]
    parties_of = {d.number: {c.name: c.party for c in d.candidates} for d in election.districts}
    return contests(count.accepted, history, parties_of, workers=workers)


def _none_accepted(contest: ContestKind) -> InputError:
    """An svg/png fingerprint asked for a ballot that no accepted protocol counts."""
    if contest is ContestKind.LIST:
        return InputError([worded("no accepted protocol of the party-list ballot", "protocols", field="contest")])
    return InputError([worded("no accepted protocol of the district ballot", "protocols", field="contest")])
