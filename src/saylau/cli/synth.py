"""`saylau synth OUT_FOLDER --seed S ...`: write a realistic synthetic election folder, optionally with errors.

Why: demos, load tests and checks of `saylau protocols check` need elections whose true totals and whose
protocol errors are known; the folder is ordinary, so every other command works on it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from saylau.cli.app import Lang, app, exits_on_error
from saylau.errors import Count, InputError, Problem, phrase_of, worded
from saylau.io.writer import write_election
from saylau.limits import MAX_CANDIDATES, MAX_PARTIES, MAX_SEATS
from saylau.reports.i18n import Words, words
from saylau.synth import synthesize

NEGATIVE_HETEROGENEITY = "must not be negative, got {value}"
MAX_STATIONS = 1_000_000
"""Most stations synth writes (a national election has about 100,000)."""
MAX_DISTRICT_CANDIDATES = MAX_CANDIDATES // MAX_SEATS
"""Most candidates synth puts in a district (100), so even the most districts stay within a folder's limit."""


@app.command()
@exits_on_error
def synth(
    folder: Annotated[Path, typer.Argument(help="Folder to write the election into (created if missing).")],
    seed: Annotated[int, typer.Option("--seed", help="Seed of the generator: the same seed, the same election.")] = 0,
    districts: Annotated[int, typer.Option("--districts", help="Single-member districts.")] = 5,
    stations: Annotated[
        int | None,
        typer.Option("--stations", help="Polling stations (at least one per district; default 50, with --day 10,146)."),
    ] = None,
    parties: Annotated[int, typer.Option("--parties", help="Registered parties (at least 2).")] = 5,
    candidates: Annotated[
        int, typer.Option("--candidates", help="Most candidates in a district (each has 2 to this many).")
    ] = 5,
    errors: Annotated[int, typer.Option("--errors", help="Protocol errors to inject; listed in synth-errors.csv.")] = 0,
    list_seats: Annotated[
        int | None, typer.Option("--list-seats", help="Seats shared by list (default: as many as districts).")
    ] = None,
    heterogeneity: Annotated[
        float,
        typer.Option("--heterogeneity", help="How much districts and station sizes differ in their vote (0: not)."),
    ] = 0.0,
    previous: Annotated[
        bool, typer.Option("--previous", help="Add each station's previous-election figures to stations.csv.")
    ] = False,
    day: Annotated[
        bool,
        typer.Option(
            "--day",
            help="Write an election day of Kazakhstan's 2023 shape (the Mäjilis and every regional mäslihat; "
            "--stations defaults to 10,146): docs/synth.md.",
        ),
    ] = False,
    lang: Lang = "en",
) -> None:
    """Generate a seeded election (parties, districts, stations, protocols, totals) as an election folder."""
    w = words(lang)  # an unknown language is refused before any work
    if day:
        _synth_day(folder, seed, 10_146 if stations is None else stations, w)
        return
    stations = 50 if stations is None else stations
    _check_sizes(folder, districts, stations, parties, list_seats, candidates)
    if heterogeneity < 0:
        raise InputError([worded(NEGATIVE_HETEROGENEITY, field="--heterogeneity", value=heterogeneity)])
    try:
        election = synthesize(
            seed,
            districts,
            stations,
            parties,
            errors=errors,
            list_seats=list_seats,
            heterogeneity=heterogeneity,
            previous=previous,
            candidates=candidates,
        )
    except ValueError as error:
        raise InputError([Problem(phrase_of(error))]) from None
    write_election(folder, election)
    made = ", ".join(
        (
            w.n("{n} station", "{n} stations", len(election.stations)),
            w.n("{n} protocol", "{n} protocols", len(election.protocols)),
            w.n("{n} injected error", "{n} injected errors", len(election.injected)),
        )
    )
    typer.echo(w("wrote {path}: {what}", path=folder, what=made))


def _synth_day(folder: Path, seed: int, stations: int, w: Words) -> None:
    """`--day`: a day folder of Kazakhstan's 2023 shape."""
    from saylau.io.day_writer import write_day
    from saylau.synth import synthesize_day

    _check_sizes(folder, 1, stations, 2, None)
    try:
        generated = synthesize_day(seed, stations)
    except ValueError as error:
        raise InputError([Problem(phrase_of(error), field="stations")]) from None
    write_day(folder, generated)
    made = w(
        "an election day of {stations}, {contests}, {protocols}",
        stations=w.n("{n} station", "{n} stations", len(generated.stations)),
        contests=w.n("{n} contest", "{n} contests", len(generated.contests)),
        protocols=w.n("{n} protocol", "{n} protocols", sum(len(c.protocols) for c in generated.contests)),
    )
    typer.echo(w("wrote {path}: {what}", path=folder, what=made))


def _check_sizes(
    folder: Path, districts: int, stations: int, parties: int, list_seats: int | None, candidates: int = 2
) -> None:
    """Refuse, before any work, an output that is a file or sizes that would not fit in memory."""
    problems: list[Problem] = []
    if folder.exists() and not folder.is_dir():
        problems.append(worded("exists and is not a folder: give synth a new or an existing folder", str(folder)))
    for name, value, limit in (
        ("districts", districts, MAX_SEATS),
        ("stations", stations, MAX_STATIONS),
        ("parties", parties, MAX_PARTIES),
        ("list-seats", list_seats or 0, MAX_SEATS),
        ("candidates", candidates, MAX_DISTRICT_CANDIDATES),
    ):
        if value > limit:
            problems.append(
                worded("{value} is above the limit of {limit}", field=name, value=value, limit=Count(limit))
            )
    if problems:
        raise InputError(problems)
