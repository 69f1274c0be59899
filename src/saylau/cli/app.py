"""The typer app every command module registers on, and the shared way errors leave the CLI."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console

from saylau.errors import SaylauError

app = typer.Typer(
    name="saylau",
    help="Run an election under a mixed electoral system and publish the result.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

stderr = Console(stderr=True, highlight=False)

P = ParamSpec("P")
R = TypeVar("R")


def exits_on_error(func: Callable[P, R]) -> Callable[P, R]:
    """Turn a SaylauError into one line per problem on stderr and exit status 2, never a traceback."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except SaylauError as error:
            for line in str(error).splitlines() or [error.code]:
                stderr.print(f"error: {line}", markup=False, soft_wrap=True)
            sys.exit(2)

    return wrapper


@app.callback()
def _commands() -> None:
    """Keeps `saylau` a group of commands even when only the one being run is registered (see `saylau.cli`)."""
