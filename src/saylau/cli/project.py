"""`saylau project FOLDER`: the likely council while the count is partial, with its uncertainty."""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from saylau.analysis.projection import project
from saylau.cli.app import app, exits_on_error
from saylau.errors import InputError, Problem
from saylau.io import load_election
from saylau.io.count import StationsCount
from saylau.io.protocols import read_station_history
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
    lang: Annotated[str, typer.Option("--lang", help="Tables and words in en, kk or ru.")] = "en",
) -> None:
    """Project the council from the protocols counted so far: seat intervals, majority, district chances."""
    w = words(lang)  # an unknown language is refused before any work
    kept: list[StationsCount] = []  # the stations' count, read once with the election's
    election = load_election(folder, kept=kept)
    counted_so_far = kept[0] if kept else None
    if counted_so_far is None:
        raise InputError([Problem("folder is missing: a projection needs the stations' protocols", "protocols")])
    stations, count = counted_so_far
    # The election and its count (a protocol object per station and ballot) live as long as the command: the
    # collections the history and the projection's arrays trigger need not walk them again and again.
    gc.freeze()
    history, problems = read_station_history(folder, [p.short_name for p in election.parties])
    if problems:
        raise InputError(problems)
    accepted = list(count.accepted)
    if counted is not None:
        order = sorted(stations, key=lambda s: (s.registered, s.number))
        shown = {s.number for s in order[: round(len(order) * counted / 100)]}
        accepted = [p for p in accepted if p.station in shown]
    projection = project(election, stations, accepted, history=history, draws=draws, seed=seed)
    if as_json:
        typer.echo(json.dumps(projection_json(projection), ensure_ascii=False, indent=2))
        return
    console = Console()
    for part in projection_tables(projection, w, console.width):
        console.print(part)
