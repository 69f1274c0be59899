"""Loading and declaring an election-day folder for a command (`saylau results DAY`, `saylau report DAY`).

Problems of the day folder are said in the reader's language (`--lang`); a contest's own problems carry its
folder's name; a protocol left out of a contest's count is one `warning:` line, as for a single folder.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from saylau.cli.errors import warn, warn_left_out
from saylau.cli.load import declare_election, warn_if_registration_fails
from saylau.domain import ElectionDay
from saylau.errors import InputError, Problem, SaylauError
from saylau.io.day import UNKNOWN_CONTEST, load_day
from saylau.reports.problems import problem_line
from saylau.result import Result
from saylau.result_day import DayResult

if TYPE_CHECKING:
    from saylau.io.count import StationsCount


def said_in(error: SaylauError, lang: str) -> SaylauError:
    """The error with every problem that carries its msgid said in `lang` (the others as they are)."""
    if not isinstance(error, InputError):
        return error
    return InputError([Problem(problem_line(p, lang)) for p in error.problems])


def load(
    folder: Path,
    lang: str = "en",
    allow_previous: Path | None = None,
    contest: str | None = None,
    *,
    strict: bool = False,
    kept: dict[str, StationsCount] | None = None,
) -> ElectionDay:
    """The day folder's `ElectionDay`; its problems in `lang`; protocols left out of a count as warnings, and
    each published total a complete count does not give (`strict`: an error, exit status 2), as for a folder.

    With `contest`, only that contest's protocols are counted (the others are loaded as definitions)."""
    notices: list[Problem] = []
    differences: list[Problem] = []
    try:
        day = load_day(
            folder,
            allow_previous=allow_previous,
            notices=notices,
            counted=None if contest is None else {contest},
            differences=differences,
            kept=kept,
        )
    except InputError as error:
        raise said_in(error, lang) from None
    if differences and strict:
        raise InputError(differences)
    warn(differences, lang)
    warn_left_out(notices, folder, lang)
    return day


def declared_day(
    folder: Path,
    contest: str | None = None,
    lang: str = "en",
    allow_previous: Path | None = None,
    *,
    strict: bool = False,
    kept: dict[str, StationsCount] | None = None,
) -> DayResult:
    """Every contest of the day declared (or the one `contest` names), each with its folder named on an error
    (`kept`: each counted contest's stations and accepted protocols, by contest id, read with the day's)."""
    day = load(folder, lang, allow_previous, contest, strict=strict, kept=kept)
    known = [c.id for c in day.contests]
    if contest is not None and contest not in known:
        from saylau.errors import WordedProblem

        values = (("contest", contest[:60]), ("known", ", ".join(known)))
        message = UNKNOWN_CONTEST.format(**dict(values))
        error = InputError([WordedProblem(message, None, None, "--contest", "day", UNKNOWN_CONTEST, values)])
        raise said_in(error, lang)
    results: dict[str, Result] = {}
    for item in day.contests:
        if contest is None or item.id == contest:
            path = folder / item.folder
            warn_if_registration_fails(item.election, path, lang)
            results[item.id] = declare_election(path, item.election)
    return DayResult(day, results)


def day_results_and_show(
    folder: Path,
    contest: str | None = None,
    as_json: bool = False,
    lang: str = "en",
    allow_previous: Path | None = None,
    *,
    strict: bool = False,
) -> None:
    """`saylau results DAY`: each contest of the day declared, as tables under its name, or as one JSON object."""
    from saylau.reports.day import contest_heading, day_summary
    from saylau.reports.safe import SafeConsole
    from saylau.reports.summary import summary
    from saylau.reports.text import renderables

    declared = declared_day(folder, contest, lang, allow_previous, strict=strict)
    if as_json:
        data = summary(declared.results[contest]) if contest is not None else day_summary(declared)
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        sys.stdout.flush()
        return
    console = SafeConsole()
    for item, result in declared.contests:
        if contest is None:
            console.rule(contest_heading(declared, item.id, lang))
        for part in renderables(result, lang, console.width):
            console.print(part)
