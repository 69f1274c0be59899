"""The typer app every command module registers on, and the shared way errors leave the CLI."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer

from saylau.errors import InputError, Problem, SaylauError
from saylau.reports.safe import SafeConsole

app = typer.Typer(
    name="saylau",
    help="Run an election under a mixed electoral system and publish the result.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

stderr = SafeConsole(stderr=True, soft_wrap=True)

P = ParamSpec("P")
R = TypeVar("R")

AllowPrevious = Annotated[
    Path | None,
    typer.Option(
        "--allow-previous",
        help="Folder inside which [previous] folder may lie (default: the election folder's parent).",
    ),
]


def exits_on_error(func: Callable[P, R]) -> Callable[P, R]:
    """Turn a SaylauError into one line per problem on stderr and exit status 2, never a traceback.

    A file that cannot be written (`-o` to a missing folder, or to a folder) is such an error too.
    """

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except SaylauError as error:
            for line in str(error).splitlines() or [error.code]:
                stderr.print(f"error: {line}", soft_wrap=True)
            sys.exit(2)
        except OSError as error:  # writing an output file: say which, and why, in one line
            where = error.filename if error.filename is not None else "output"
            stderr.print(f"error: {where}: cannot be written ({error.strerror or type(error).__name__})")
            sys.exit(2)

    return wrapper


@app.callback()
def _commands() -> None:
    """Keeps `saylau` a group of commands even when only the one being run is registered (see `saylau.cli`)."""


def warn(problems: list[Problem]) -> None:
    """One `warning:` line per problem on stderr; the exit status stays 0 (see docs/election-folder.md)."""
    for problem in problems:
        stderr.print(f"warning: {problem}", soft_wrap=True)


def located(folder: Path, error: SaylauError) -> SaylauError:
    """The error with the folder named on problems that name no file (a rule that cannot be applied to it)."""
    if not isinstance(error, InputError):
        return InputError([Problem(str(error), str(folder))])
    return InputError(
        [p if p.path else Problem(p.message, str(folder), p.row, p.field, p.code) for p in error.problems]
    )
