"""`saylau protocols check FOLDER_OR_FILE...`: every finding on polling-station protocols, and exit 2 on errors."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from saylau.cli.app import Lang, app, exits_on_error, speaks
from saylau.domain import Election
from saylau.errors import InputError, Problem, one_line
from saylau.io import load_election
from saylau.io.columnar import Count, count_protocols
from saylau.io.crosscheck import published_differences
from saylau.io.protocols import read_stations, unknown_options
from saylau.reports.checks import describe
from saylau.reports.i18n import Words, words
from saylau.reports.problems import problem_line
from saylau.reports.safe import SafeConsole, terminal

protocols = typer.Typer(
    name="protocols", help="Check and count polling-station protocols.", no_args_is_help=True, callback=speaks
)
app.add_typer(protocols, name="protocols")

Line = tuple[str, str, str, str, str, str, str]
"""One line of the table: file, row, station, ballot, field, code, message."""

TABLE_LINES = 500
"""Above this many findings, one plain line each (`file:row [field]: code station ballot: message`)."""


@protocols.command("check")
@exits_on_error
def check_command(
    paths: Annotated[
        list[Path], typer.Argument(help="Election folders (protocols/*.csv|json, stations.csv) or protocol files.")
    ],
    election_folder: Annotated[
        Path | None,
        typer.Option("--election", help="Election folder the files belong to (default: the folder above protocols/)."),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="A published total the complete count does not give is an error (exit 2)."),
    ] = False,
    lang: Lang = "en",
) -> None:
    """List every finding (file, row, field, code, message); exit 2 if any is an error.

    A folder checked whole that also carries published totals (`results/`) has them compared with the
    complete count: each difference is a warning naming both files (an error with `--strict`).
    """
    w = words(lang)  # an unknown language is refused before any work
    groups: dict[Path | None, list[Path]] = {}
    for path in paths:
        groups.setdefault(election_folder or _election_folder(path), []).append(path)
    lines: list[Line] = []
    errors = warnings = checked = 0
    for folder, members in groups.items():
        election, problems = _election(folder)
        stations = None
        if folder is not None and not any(m.is_dir() and (m / "stations.csv").is_file() for m in members):
            stations, register_problems = read_stations(folder)  # files named one by one: the folder's register
            problems += [Problem(p.message, str(folder / (p.path or "")), p.row, p.field) for p in register_problems]
        count = count_protocols(members, election, stations)
        problems += count.problems + (unknown_options(members, election) if election is not None else [])
        lines += [_problem_line(p, members, lang) for p in problems]
        errors += len(problems)
        checked += count.protocols
        differing = _published(folder, members, election, count) if not problems else []
        lines += [_problem_line(p, members, lang) for p in differing]
        errors += len(differing) if strict else 0
        warnings += 0 if strict else len(differing)
        for f in count.findings:
            shown = _shown(f.source, members)
            lines.append((shown, _text(f.row), str(f.station), f.ballot, f.field or "", f.code, describe(f, lang)))
            errors += f.severity == "error"
            warnings += f.severity == "warning"
    # Piped output keeps one finding per line, so it can be grepped; a terminal wraps to its width.
    console = SafeConsole(width=None if sys.stdout.isatty() else 1000)
    if len(lines) > TABLE_LINES:  # a table of a million findings would take longer to draw than to check
        sys.stdout.writelines(terminal(_plain(line, w)) + "\n" for line in lines)
    elif lines:
        table = Table(
            *(w(f"protocols|{head}") for head in ("file", "row", "station", "ballot", "field", "code", "message"))
        )
        for line in lines:
            table.add_row(*(one_line(cell) for cell in line))
        console.print(table)
    console.print(_summary(checked, errors, warnings, w))
    if errors:
        sys.exit(2)


def _published(folder: Path | None, members: list[Path], election: Election | None, count: Count) -> list[Problem]:
    """The published totals of a folder checked whole that its complete count does not give."""
    if folder is None or election is None or count.register is None or members != [folder]:
        return []
    counted = replace(
        election.results,
        list_tally=count.list_tally(election),
        district_tallies=dict(count.district_tallies),
        progress=count.progress,
        accounting=count.accounting,
    )
    return published_differences(folder, election.results, counted)


def _election_folder(path: Path) -> Path | None:
    """The election folder a path belongs to: itself, or the folder above its protocols/ folder."""
    for candidate in (path, path.parent.parent if path.parent.name == "protocols" else None):
        if candidate is not None and (candidate / "election.toml").is_file():
            return candidate
    return None


def _election(folder: Path | None) -> tuple[Election | None, list[Problem]]:
    """The election the protocols are checked against; its own problems are reported, not fatal here."""
    if folder is None:
        return None, []
    try:
        return load_election(folder, follow_previous=False, count_protocols=False), []
    except InputError as error:
        return None, [
            Problem(p.message, str(folder / p.path) if p.path else str(folder), p.row, p.field) for p in error.problems
        ]


def _shown(source: str | None, members: list[Path]) -> str:
    """Sources inside a folder are relative to it; show them from where the user pointed."""
    if source is None:
        return ""
    folders = [m for m in members if m.is_dir() and (m / source).is_file()]
    return str(folders[0] / source) if folders else source


def _summary(checked: int, errors: int, warnings: int, w: Words) -> str:
    """The last line: how many protocols were checked, with how many errors and warnings (each a counted phrase)."""
    return w(
        "{checked}: {errors}, {warnings}",
        checked=w.n("{n} protocol checked", "{n} protocols checked", checked),
        errors=w.n("{n} error", "{n} errors", errors),
        warnings=w.n("{n} warning", "{n} warnings", warnings),
    )


def _problem_line(problem: Problem, members: list[Path], lang: str) -> Line:
    code = (
        "input" if problem.code == "invalid" else problem.code
    )  # published-differs: a warning, not input  # encoding, duplicate-column, short-row, ...
    message = problem_line(replace(problem, path=None, row=None, field=None), lang)  # its words, in `lang`
    return (_shown(problem.path, members), _text(problem.row), "", "", problem.field or "", code, message)


def _plain(line: Line, w: Words) -> str:
    """A finding as one line in the form of every other problem saylau reports."""
    file, row, station, ballot, field, code, message = (one_line(cell) for cell in line)
    where = ":".join(x for x in (file, row) if x) + (f" [{field}]" if field else "")
    subject = " ".join(x for x in (code, w("station {number}", number=station) if station else "", ballot) if x)
    return f"{where}: {subject}: {message}"


def _text(value: int | None) -> str:
    return "" if value is None else str(value)
