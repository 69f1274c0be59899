"""How errors and warnings leave the command line, without typer: one line each on stderr, exit status 2.

Kept apart from `saylau.cli.app` so that a command run without typer (see `saylau.cli.quick`) reports its
errors exactly as the typer commands do.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from functools import wraps
from pathlib import Path
from typing import ParamSpec, TypeVar

from saylau.errors import InputError, Problem, SaylauError, one_line, phrase_of
from saylau.reports.safe import SafeConsole

stderr = SafeConsole(stderr=True, soft_wrap=True)

# Refusals several commands share, as catalogue msgids (`saylau.errors.worded`): said in the command's --lang.
UNKNOWN_VALUE = "unknown {option} {value} (one of: {known})"
UNKNOWN_SEE_HELP = "unknown {option} {value} (see --help)"
NOT_A_PERCENTAGE = "threshold {value} is not a percentage from 0 to 100 (like 5% or 4.5)"
NO_DAY = "--contest names a contest of an election day: this folder has no day.toml"
NEEDS_FILE = "--format {format} writes a binary file: give it one with -o PATH"
NOT_JSON = "is not a readable JSON file: {error}"
ADMIN_CREATED = "administrator: admin, password {password} (shown once; set SAYLAU_ADMIN_PASSWORD to choose it)"

P = ParamSpec("P")
R = TypeVar("R")


def exits_on_error(func: Callable[P, R]) -> Callable[P, R]:
    """Turn a SaylauError into one line per problem on stderr and exit status 2, never a traceback.

    A file that cannot be written (`-o` to a missing folder, or to a folder) is such an error too.
    """

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        lang = kwargs.get("lang")
        lang = lang if isinstance(lang, str) else "en"  # the command's --lang, where it has one
        try:
            return func(*args, **kwargs)
        except SaylauError as error:
            for each in spoken(lang):
                for line in lines(error, each):
                    stderr.print(said("error: {line}", each, line=line), soft_wrap=True)
            sys.exit(2)
        except OSError as error:  # writing an output file: say which, and why, in one line
            where = one_line(str(error.filename)) if error.filename is not None else "output"
            reason = error.strerror or type(error).__name__
            for each in spoken(lang):
                line = said("{path}: cannot be written ({reason})", each, path=where, reason=reason)
                stderr.print(said("error: {line}", each, line=line))
            sys.exit(2)

    return wrapper


def spoken(lang: str) -> tuple[str, ...]:
    """The languages to say an error in: `lang`, or every language saylau speaks where `lang` is none of them
    (an unknown `--lang` cannot tell which the reader reads)."""
    from saylau.reports.i18n import LANGUAGES, known

    return (lang,) if known(lang) else LANGUAGES


def said(msgid: str, lang: str, **figures: str) -> str:
    """`msgid` in `lang` with its `figures`; in English where `lang` is not a language saylau speaks."""
    from saylau.reports.i18n import translator  # the catalogues only when there is something to say

    try:
        text = translator(lang)(msgid)
    except InputError:
        text = msgid
    return text.format(**figures)


def lines(error: SaylauError, lang: str = "en") -> list[str]:
    """One line per problem of `error` in `lang` where the problem carries its msgid, or the Phrase a rule's
    refusal was raised with (a name's line break or U+2028 escaped, never a line of its own)."""
    from saylau.reports.problems import error_lines  # the catalogues only when there is something to say

    return error_lines(error, lang)


def warn(problems: list[Problem], lang: str = "en") -> None:
    """One `warning:` line per problem on stderr, in `lang` where the problem carries its words (a msgid, or a
    protocol's finding); the exit status stays 0 (see docs/election-folder.md)."""
    from saylau.reports.problems import problem_line  # the catalogues only when there is something to say

    for problem in problems:
        stderr.print(said("warning: {line}", lang, line=problem_line(problem, lang)), soft_wrap=True)


def warn_left_out(notices: list[Problem], folder: Path, lang: str = "en") -> None:
    """A `warning:` line per protocol left out of the count, then one saying how many findings left protocols
    out (a counted phrase in `lang`: the count is partial)."""
    if not notices:
        return
    from saylau.reports.checks import partial

    warn(notices, lang)
    warn([Problem(partial(len(notices), lang), str(folder))])


def located(folder: Path, error: SaylauError) -> SaylauError:
    """The error with the folder named on problems that name no file (a rule that cannot be applied to it)."""
    if not isinstance(error, InputError):  # the rule's Phrase kept, to be said in the command's language
        return InputError([Problem(phrase_of(error), str(folder))])
    return InputError([p if p.path else replace(p, path=str(folder)) for p in error.problems])
