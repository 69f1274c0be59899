"""`--help` in the command line's language: the commands' docstrings, every option's and argument's help, and
typer's own words around them (the usage line, the "Arguments", "Options" and "Commands" boxes, `[default: …]`,
`[required]`, `[env var: …]`).

The English texts stay where they are written (docstrings and `help=`) and are the msgids, each with the prefix
`help|` (`help|Seats to fill.`), in the catalogues of `saylau/locale`. Nothing is translated until a help is
shown: `speak` only gives every command of the click tree a context whose `get_help` translates, at that
moment, the command being shown (its help, its parameters' help, its subcommands' first lines) and lends
typer's help layout the language's words while it prints. A command that runs reads no help text, so `saylau
results --lang kk FOLDER` pays nothing for it, and English (`saylau.cli.usage.run`) never comes here.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from typer._click import Command, Context, HelpFormatter

__all__ = ["TYPER_WORDS", "help_texts", "said_help", "say_placeholders", "speak"]

TYPER_WORDS = {
    "ARGUMENTS_PANEL_TITLE": "help|Arguments",
    "OPTIONS_PANEL_TITLE": "help|Options",
    "COMMANDS_PANEL_TITLE": "help|Commands",
    "DEFAULT_STRING": "help|[default: {}]",
    "ENVVAR_STRING": "help|[env var: {}]",
    "REQUIRED_LONG_STRING": "help|[required]",
    "DEPRECATED_STRING": "help|(deprecated) ",
}
"""The words of typer's help layout (`typer.rich_utils`' module constants) -> their msgids."""

OPTIONS_METAVAR = "[OPTIONS]"
SUBCOMMAND_METAVAR = "COMMAND [ARGS]..."
"""click's placeholders in a usage line, said as `help|[OPTIONS]` and `help|COMMAND [ARGS]...`."""


def said_help(text: str, translate: Callable[[str], str]) -> str:
    """A help text (a docstring as typer shows it, or a `help=`) in the language of `translate`; the English
    text where the catalogue has none."""
    return translate("help|" + inspect.cleandoc(text))


def help_texts(command: Command, ctx: Context) -> Iterator[tuple[Any, str]]:
    """The objects of one help page that carry a help text (the command, its parameters with `--help` among
    them, a group's subcommands), each with its text."""
    if command.help:
        yield command, command.help
    for param in command.get_params(ctx):
        text = getattr(param, "help", None)
        if text and not getattr(param, "hidden", False):
            yield param, text
    for sub in getattr(command, "commands", {}).values():
        if sub.help:
            yield sub, sub.help


def say_placeholders(command: Command, translate: Callable[[str], str]) -> None:
    """The usage line's `[OPTIONS]` and `COMMAND [ARGS]...` of `command` in the language of `translate`."""
    if command.options_metavar == OPTIONS_METAVAR:
        command.options_metavar = translate("help|" + OPTIONS_METAVAR)
    if getattr(command, "subcommand_metavar", None) == SUBCOMMAND_METAVAR:
        command.subcommand_metavar = translate("help|" + SUBCOMMAND_METAVAR)  # type: ignore[attr-defined]


def speak(command: Command, lang: str) -> None:
    """Have every command of the tree under `command` show its help in `lang` (translated when shown)."""
    spoken = type(f"Spoken_{lang}", (_Spoken,), {"lang": lang})
    command.context_class = spoken
    for sub in getattr(command, "commands", {}).values():
        speak(sub, lang)


class _Spoken(Context):
    """A click context that says its command's help, and the usage line, in `lang`."""

    lang = "en"

    def make_formatter(self) -> HelpFormatter:
        from saylau.reports.i18n import translator

        formatter = _Formatter(width=self.terminal_width, max_width=self.max_content_width)
        formatter.prefix = translator(self.lang)("usage|Usage:") + " "
        return formatter

    def get_help(self) -> str:
        from saylau.reports.i18n import translator

        translate = translator(self.lang)
        command = self.command
        for owner, text in list(help_texts(command, self)):
            owner.help = said_help(text, translate)
        say_placeholders(command, translate)
        with _typer_words(translate):
            return super().get_help()


class _Formatter(HelpFormatter):
    """click's formatter with the usage line's `Usage:` in the reader's language."""

    prefix = "Usage: "

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, self.prefix if prefix is None else prefix)


@contextmanager
def _typer_words(translate: Callable[[str], str]) -> Iterator[None]:
    """typer's help layout with its words in the reader's language while one help prints (they are module
    constants of `typer.rich_utils`, read as it prints), then as they were."""
    from typer import rich_utils

    before = {name: getattr(rich_utils, name) for name in TYPER_WORDS}
    try:
        for name, msgid in TYPER_WORDS.items():
            setattr(rich_utils, name, translate(msgid))
        yield
    finally:
        for name, value in before.items():
            setattr(rich_utils, name, value)
