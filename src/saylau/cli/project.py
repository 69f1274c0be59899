"""`saylau project FOLDER`: the likely council while the count is partial, with its uncertainty."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.console import Console

from saylau.analysis.projection import project_arrays
from saylau.analysis.projection.council import check_supported, prepare
from saylau.analysis.projection.counted import CountArrays, count_arrays, register_columns
from saylau.cli.app import app, exits_on_error, lang_option
from saylau.domain import Election
from saylau.errors import InputError, worded
from saylau.io import load_election
from saylau.io.count import StationsCount
from saylau.io.history import read_history_columns
from saylau.reports.i18n import words
from saylau.reports.projection import projection_json, projection_tables


@app.command("project")
@exits_on_error
def project_command(
    folder: Annotated[Path, typer.Argument(help="The election folder, with stations.csv and protocols/.")],
    draws: Annotated[int, typer.Option("--draws", min=1, help="Simulated completions of the count.")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="Seed: the same seed, the same projection.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object (docs/projection.md).")] = False,
    counted: Annotated[
        float | None,
        typer.Option(
            "--counted",
            min=0.0,
            max=100.0,
            help="Rehearsal: use only the protocols of this percentage of stations, smallest register first.",
        ),
    ] = None,
    lang: Annotated[str, lang_option("Tables and words in en, kk or ru.")] = "en",
) -> None:
    """Project the council from the protocols counted so far: seat intervals, majority, district chances."""
    w = words(lang)  # an unknown language is refused before any work
    election, arrays = _counted(folder, counted)
    projection = project_arrays(election, arrays, draws=draws, seed=seed)
    if as_json:
        typer.echo(json.dumps(projection_json(projection), ensure_ascii=False, indent=2))
        return
    console = Console()
    for part in projection_tables(projection, w, console.width):
        console.print(part)


def _counted(folder: Path, counted: float | None) -> tuple[Election, CountArrays]:
    """The election and its count so far as arrays, read once; the protocols are let go before the model runs.

    Beside the count (whose reader leaves part of the machine idle while it checks), two threads do what the
    projection needs next: the previous figures of stations.csv, and loading the batch allocation.
    `counted`: the rehearsal's percentage of stations, smallest register first (the others as not reported).
    """
    with ThreadPoolExecutor(2) as beside:
        ready = beside.submit(prepare)
        parties = [p.short_name for p in load_election(folder, count_protocols=False, follow_previous=False).parties]
        previous = beside.submit(read_history_columns, folder, parties)
        kept: list[StationsCount] = []  # the stations' count, read once with the election's
        election = load_election(folder, kept=kept)
        if not kept:
            raise InputError([worded("folder is missing: a projection needs the stations' protocols", "protocols")])
        stations, count = kept.pop()
        check_supported(election)  # before any work on the count
        history, problems = previous.result()
        if problems:
            raise InputError(problems)
        ready.result()
    arrays = count_arrays(election, stations, count.accepted, history)
    if counted is not None:
        numbers, _, registered = register_columns(stations)
        order = np.lexsort((numbers, registered))  # smallest register first, then by number
        shown = np.zeros(len(stations), np.bool_)
        shown[order[: round(len(order) * counted / 100)]] = True
        arrays = arrays.only(shown)
    return election, arrays
