"""The typer app every command module registers on, and the shared way errors leave the CLI."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from saylau.cli.usage import LANG_VARIABLE

if TYPE_CHECKING:
    from saylau.cli.errors import exits_on_error, located, stderr, warn

__all__ = ["AllowPrevious", "Lang", "app", "exits_on_error", "lang_option", "located", "speaks", "stderr", "warn"]

app = typer.Typer(
    name="saylau",
    help="Run an election under a mixed electoral system and publish the result.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

AllowPrevious = Annotated[
    Path | None,
    typer.Option(
        "--allow-previous",
        help="Folder inside which \\[previous] folder may lie (default: the election folder's parent).",
    ),
]


def lang_option(help: str = "Messages and numbers in en, kk or ru.") -> Any:
    """Every command's `--lang`: the language of its output and its errors; without it, `SAYLAU_LANG`, else
    English (`saylau.cli.usage`). An unknown language is refused by the command before any work."""
    return typer.Option("--lang", envvar=LANG_VARIABLE, help=f"{help} Default: ${LANG_VARIABLE}, else en.")


Lang = Annotated[str, lang_option()]
"""`--lang` for a command whose words are its messages."""


def _speak(lang: str | None) -> None:
    """`saylau --lang kk COMMAND ...`: the command's own `--lang` defaults to the one given before it, as it
    does to `SAYLAU_LANG` (the command line's language is chosen by `saylau.cli.usage.language`)."""
    if lang:
        os.environ[LANG_VARIABLE] = lang


LangFirst = Annotated[
    str | None,
    typer.Option(
        "--lang",
        callback=_speak,
        help=f"The language of this help and of every command: en, kk or ru. Default: ${LANG_VARIABLE}, else en.",
    ),
]
"""`--lang` of `saylau` itself and of each group of commands, before the command (`saylau users --lang kk add`)."""


def speaks(_lang: LangFirst = None) -> None:
    """The callback of a group of commands (`typer.Typer(callback=speaks)`): its `--lang`, so that `saylau users
    --help --lang kk` is the group's help in Kazakh."""


def __getattr__(name: str) -> Any:
    """`exits_on_error`, `located`, `stderr` and `warn` (`saylau.cli.errors`), imported when a command module
    asks for them: the list of commands (`saylau --help`, `saylau.cli.outline`) runs none, and does without
    saylau's errors and their console."""
    if name in ("exits_on_error", "located", "stderr", "warn"):
        from saylau.cli import errors

        return getattr(errors, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _print_version(asked: bool) -> None:
    if asked:
        from saylau import __version__

        typer.echo(f"saylau {__version__}")
        raise typer.Exit()


@app.callback()
def _commands(
    _version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print saylau's version and exit."),
    ] = False,
    _lang: LangFirst = None,
) -> None:
    """Keeps `saylau` a group of commands even when only the one being run is registered (see `saylau.cli`)."""
