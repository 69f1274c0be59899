"""How errors and warnings leave the command line, without typer: one line each on stderr, exit status 2.

Kept apart from `saylau.cli.app` so that a command run without typer (see `saylau.cli.quick`) reports its
errors exactly as the typer commands do.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import ParamSpec, TypeVar

from saylau.errors import InputError, Problem, SaylauError, one_line
from saylau.reports.safe import SafeConsole

stderr = SafeConsole(stderr=True, soft_wrap=True)

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
            for line in lines(error):
                stderr.print(said("error: {line}", lang, line=line), soft_wrap=True)
            sys.exit(2)
        except OSError as error:  # writing an output file: say which, and why, in one line
            where = one_line(str(error.filename)) if error.filename is not None else "output"
            reason = error.strerror or type(error).__name__
            line = said("{path}: cannot be written ({reason})", lang, path=where, reason=reason)
            stderr.print(said("error: {line}", lang, line=line))
            sys.exit(2)

    return wrapper


def said(msgid: str, lang: str, **figures: str) -> str:
    """`msgid` in `lang` with its `figures`; in English where `lang` is not a language saylau speaks (the line
    that says so is itself the error being printed)."""
    from saylau.reports.i18n import translator  # the catalogues only when there is something to say

    try:
        text = translator(lang)(msgid)
    except InputError:
        text = msgid
    return text.format(**figures)


def lines(error: SaylauError) -> list[str]:
    """One line per problem of `error` (a name's line break or U+2028 escaped, never a line of its own)."""
    if isinstance(error, InputError) and error.problems:
        return [str(problem) for problem in error.problems]
    return [one_line(line) for line in str(error).split("\n") if line] or [error.code]


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
    if not isinstance(error, InputError):
        return InputError([Problem(str(error), str(folder))])
    return InputError(
        [p if p.path else Problem(p.message, str(folder), p.row, p.field, p.code) for p in error.problems]
    )
