"""`saylau report FOLDER --format ...`: the declared result in one of the publishing formats.

A day folder (docs/election-day.md): `--contest C` reports one contest in any format, exactly as its folder
alone; without it, JSON and NIST export every contest of the day as one document, text and Markdown give each
contest in turn, and the one-contest formats (wikitext, CSV, HTML, PDF, SVG, PNG) ask for `--contest`."""

from __future__ import annotations

import gc
import json
import shutil
import sys
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TextIO

import typer

from saylau.cli.app import AllowPrevious, app, exits_on_error, lang_option
from saylau.cli.day import declared_day, said_in
from saylau.cli.errors import NEEDS_FILE, NO_DAY
from saylau.cli.load import declared
from saylau.errors import InputError, WordedProblem, worded
from saylau.io.count import StationsCount, count_folder
from saylau.io.day import NAME_A_CONTEST, contest_stations, is_day, load_day
from saylau.reports.csv_report import render_csv
from saylau.reports.day import contest_heading, day_summary
from saylau.reports.hemicycle import render_hemicycle, render_hemicycle_png
from saylau.reports.html import render_html
from saylau.reports.i18n import translator
from saylau.reports.markdown import render_markdown
from saylau.reports.nist import StationCount
from saylau.reports.pdf import render_pdf
from saylau.reports.summary import summary
from saylau.reports.text import DEFAULT_WIDTH, render_text
from saylau.reports.wikitext import render_wikitext
from saylau.result import Result
from saylau.tabulation import Station


class Format(StrEnum):
    """The formats `saylau report` writes."""

    TEXT = "text"
    MARKDOWN = "markdown"
    WIKITEXT = "wikitext"
    CSV = "csv"
    JSON = "json"
    HTML = "html"
    NIST = "nist"
    PDF = "pdf"
    SVG = "svg"
    PNG = "png"


class WikiTemplate(StrEnum):
    """The infobox `--format wikitext` writes."""

    ELECTION = "election"
    LEGISLATIVE = "legislative"


IMAGES = ("svg", "png", "jpg", "jpeg")
"""A party's image in the folder: `images/<short name>.<one of these>` (wikitext `imageN`)."""


class ChartTier(StrEnum):
    """Which seats the hemicycle shows."""

    ALL = "all"
    LIST = "list"
    DISTRICT = "district"


RENDERERS: dict[Format, Callable[[Result], str]] = {
    Format.TEXT: render_text,
    Format.MARKDOWN: render_markdown,
    Format.WIKITEXT: render_wikitext,
    Format.CSV: render_csv,
    Format.JSON: lambda result: json.dumps(summary(result), ensure_ascii=False, indent=2) + "\n",
    Format.HTML: render_html,
}


TRANSLATED: dict[Format, Callable[[Result, str], str]] = {
    Format.TEXT: render_text,
    Format.MARKDOWN: render_markdown,
    Format.HTML: render_html,
}
"""Renderers whose labels follow `--lang`; the others are data formats with fixed English keys."""


@app.command()
@exits_on_error
def report(
    folder: Annotated[
        Path,
        typer.Argument(help="The election folder or election-day folder (docs/election-folder.md, election-day.md)."),
    ],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.TEXT,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")] = None,
    lang: Annotated[
        str,
        lang_option("Words, numbers and names in en, kk or ru (text, markdown, html, pdf, svg, png)."),
    ] = "en",
    tier: Annotated[
        ChartTier, typer.Option("--tier", help="svg/png: the whole council, the list tier or the district tier.")
    ] = ChartTier.ALL,
    template: Annotated[
        WikiTemplate,
        typer.Option(
            "--template", help="wikitext: {{Infobox election}} (default) or {{Infobox legislative election}}."
        ),
    ] = WikiTemplate.ELECTION,
    next_year: Annotated[
        int | None, typer.Option("--next-year", help="wikitext: the year of the next election (next_year).")
    ] = None,
    width: Annotated[
        int | None,
        typer.Option(
            "--width",
            min=40,
            help="text: the columns every table must fit (default: the terminal's, or 100 into a file or pipe).",
        ),
    ] = None,
    raw: Annotated[
        bool, typer.Option("--raw", help="csv: write cells as they are (no ' before a leading = + - @).")
    ] = False,
    allow_previous: AllowPrevious = None,
    contest: Annotated[
        str | None,
        typer.Option("--contest", help="A day folder: report this contest (json, nist and text cover every one)."),
    ] = None,
) -> None:
    """Declare an election and render the result as text, Markdown, wikitext, CSV, JSON, HTML, NIST or PDF."""
    translator(lang)  # an unknown language is refused before any work
    day = is_day(folder)
    if fmt in (Format.PDF, Format.PNG) and output is None:  # bytes, not text: never to a terminal
        raise InputError([worded(NEEDS_FILE, field="-o", format=fmt.value)])
    if day and contest is None and fmt is Format.NIST:
        _day_nist(folder, lang, allow_previous, output)
        return
    if day and contest is None:
        text = _day_report(folder, fmt, lang, allow_previous)
        _write(text, output)
        return
    register: list[Station] | None = None  # a day's contest: the day's register; else the folder's stations.csv
    stations_count: StationCount | None = None  # NIST: the stations' count, read with the election's
    if day:
        declared_contest = declared_day(folder, contest, lang, allow_previous)
        result = declared_contest.results[str(contest)]
        chosen = declared_contest.contests[0][0]
        register = contest_stations(declared_contest.day, chosen)
        folder = folder / chosen.folder
    elif contest is not None:
        raise InputError([worded(NO_DAY, str(folder), field="--contest")])
    else:
        kept: list[StationsCount] | None = [] if fmt is Format.NIST else None  # NIST: each station's figures
        result = declared(folder, allow_previous, kept=kept, lang=lang)
        if kept:
            stations_count = StationCount(kept[0][0], kept[0][1].accepted)
    if fmt in (Format.PDF, Format.PNG):
        assert output is not None
        output.write_bytes(
            render_pdf(result, lang=lang) if fmt is Format.PDF else render_hemicycle_png(result, tier.value, lang=lang)
        )
        return
    if fmt is Format.SVG:
        text = render_hemicycle(result, tier.value, lang)
    elif fmt is Format.CSV:
        text = render_csv(result, raw=raw)
    elif fmt is Format.NIST:  # a stream: a national count's report is larger than it is wise to hold
        from saylau.reports.nist_columns import write_nist  # numpy: loaded by the command that writes it only

        count = stations_count if stations_count is not None else _station_count(folder, result, register)
        _streamed(lambda out: write_nist(out, result, count=count), output)
        return
    elif fmt is Format.WIKITEXT:
        text = render_wikitext(result, template.value, _images(folder, result), next_year)
    elif fmt is Format.TEXT:
        text = render_text(result, lang, width or _terminal_width(output))
    else:
        text = TRANSLATED[fmt](result, lang) if fmt in TRANSLATED else RENDERERS[fmt](result)
    _write(text, output)


def _streamed(write: Callable[[TextIO], None], output: Path | None) -> None:
    """A NIST report written as a stream to `output` (None: stdout).

    The register and the count live as long as the command: frozen, the collections the writing triggers
    need not walk a million stations again and again."""
    gc.freeze()
    if output is None:
        write(sys.stdout)
    else:
        with output.open("w", encoding="utf-8") as out:
            write(out)


def _write(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


def _images(folder: Path, result: Result) -> dict[str, str]:
    """Each party's image file in the folder's `images/`, by short name (none: no image)."""
    found = {}
    for party in result.election.parties:
        for ext in IMAGES:
            if (folder / "images" / f"{party.short_name}.{ext}").is_file():
                found[party.short_name] = f"{party.short_name}.{ext}"
                break
    return found


def _terminal_width(output: Path | None) -> int:
    """The terminal's width when the text goes to one, else the text report's default."""
    if output is None and sys.stdout.isatty():
        return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
    return DEFAULT_WIDTH


def _station_count(folder: Path, result: Result, stations: Sequence[Station] | None = None) -> StationCount | None:
    """The folder's stations and accepted protocols, so the NIST export has a unit per polling station."""
    counted = count_folder(folder, result.election, stations)
    return None if counted is None else StationCount(counted[0], counted[1].accepted)


DAY_FORMATS = (Format.JSON, Format.NIST, Format.TEXT, Format.MARKDOWN)
"""The formats that carry every contest of a day at once; the others report one contest (`--contest`)."""


def _day_report(folder: Path, fmt: Format, lang: str, allow_previous: Path | None) -> str:
    """Every contest of a day folder in one document: JSON and NIST as one export, text and Markdown in turn."""
    if fmt not in DAY_FORMATS:
        try:
            day = load_day(folder, count_protocols=False, allow_previous=allow_previous)
        except InputError as error:
            raise said_in(error, lang) from None
        known = ", ".join(c.id for c in day.contests)
        values = (("format", str(fmt)), ("known", known))
        message = NAME_A_CONTEST.format(**dict(values))
        raise said_in(
            InputError([WordedProblem(message, str(folder), None, "--contest", "day", NAME_A_CONTEST, values)]), lang
        )
    declared = declared_day(folder, None, lang, allow_previous)
    if fmt is Format.JSON:
        return json.dumps(day_summary(declared), ensure_ascii=False, indent=2) + "\n"
    parts = []
    for contest, result in declared.contests:
        heading = contest_heading(declared, contest.id, lang)
        body = TRANSLATED[fmt](result, lang)
        parts.append(f"# {heading}\n\n{body}" if fmt is Format.MARKDOWN else f"== {heading} ==\n\n{body}")
    return "\n".join(parts)


def _day_nist(folder: Path, lang: str, allow_previous: Path | None, output: Path | None) -> None:
    """Every contest of a day folder as one NIST report, written as a stream; each contest's protocols read
    once, with the day's declaration (`kept`)."""
    from saylau.reports.nist_day import write_nist_day  # numpy: loaded by the command that writes it only

    kept: dict[str, StationsCount] = {}
    declared = declared_day(folder, None, lang, allow_previous, kept=kept)
    counts = {cid: StationCount(stations, count.accepted) for cid, (stations, count) in kept.items()}
    _streamed(lambda out: write_nist_day(out, declared.day, declared.contests, counts), output)
