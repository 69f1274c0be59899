"""The language a command speaks, and typer's own refusals in it: no such option, a missing argument, an invalid
value, an extra argument.

Every command takes `--lang` (en, kk, ru); without it, the `SAYLAU_LANG` environment variable; else English.
A usage error is found before the command runs, so its language is read from the command line the same way
(`language`), as is the language of `--help` (`saylau.cli.helptext`). typer 0.29 builds these messages as
English f-strings (its vendored click no longer goes through gettext), but each error carries what it is about
as data (the option's name, the parameter, the value, the validation error), so `said_usage` says it again from
the catalogues (`usage|` msgids in `saylau/locale`).
English keeps typer's own output, byte for byte.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typer import Typer

LANG_VARIABLE = "SAYLAU_LANG"
"""The environment variable that chooses the language of every command without `--lang`."""


def language(args: Sequence[str], environ: dict[str, str] | os._Environ[str] = os.environ) -> str:
    """The language the command line asks for: the last `--lang X` or `--lang=X`, else `SAYLAU_LANG`, else
    English; a language saylau has no catalogue for is left to the command to refuse (English meanwhile)."""
    chosen = environ.get(LANG_VARIABLE, "") or "en"
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            chosen = args[i + 1]
        elif arg.startswith("--lang="):
            chosen = arg.removeprefix("--lang=")
    if chosen == "en":  # English needs no catalogue (nor the 5 ms of importing the module that reads them)
        return chosen
    from saylau.reports.i18n import known, normalise

    return normalise(chosen) if known(chosen) else "en"


def run(app: Typer, args: list[str]) -> None:
    """Run the typer `app` on `args`; a usage error is said in the command line's language (exit status 2)."""
    lang = language(args)
    if lang == "en":
        app(args=args)
        return
    from typer import Abort
    from typer._click.exceptions import ClickException
    from typer.main import get_command

    from saylau.cli.helptext import speak

    command = get_command(app)  # what `app(...)` runs, with every command's help said in `lang` (helptext)
    speak(command, lang)
    try:
        code = command(args=args, standalone_mode=False)
    except ClickException as error:
        if type(error).__name__ != "NoArgsIsHelpError":  # typer printed the help already
            said_usage(error, lang)
        sys.exit(error.exit_code)
    except Abort:
        from saylau.reports.i18n import translator

        print(translator(lang)("usage|Aborted."), file=sys.stderr)
        sys.exit(1)
    if isinstance(code, int) and code:
        sys.exit(code)


def said_usage(error: Any, lang: str) -> None:
    """typer's layout for a usage error (the usage line, where to find help, the message in a panel), in `lang`."""
    from rich.console import Console
    from rich.markup import escape
    from rich.panel import Panel

    from saylau.reports.i18n import translator

    translate = translator(lang)
    console = Console(stderr=True)
    ctx = getattr(error, "ctx", None)
    if ctx is not None:
        from saylau.cli.helptext import say_placeholders

        say_placeholders(ctx.command, translate)
        usage = ctx.get_usage()  # a context of `helptext.speak` already says its `Usage:` in `lang`
        if usage.startswith("Usage: "):
            usage = f"{translate('usage|Usage:')} {usage.removeprefix('Usage: ')}"
        console.print(escape(usage), highlight=False)
        if ctx.command.get_help_option(ctx) is not None:
            hint = translate("usage|Try '{command} {option}' for help.")
            console.print(escape(hint.format(command=ctx.command_path, option=ctx.help_option_names[0])), style="dim")
    panel = Panel(escape(message(error, lang)), border_style="red", title=translate("usage|Error"), title_align="left")
    console.print(panel)


def message(error: Any, lang: str) -> str:
    """What a typer usage error says, in `lang` from the catalogues; its English text where it is none of those
    saylau knows."""
    from typer._click.exceptions import BadOptionUsage, BadParameter, MissingParameter, NoSuchOption

    from saylau.reports.i18n import words

    w = words(lang)
    if isinstance(error, NoSuchOption):
        said = w("usage|No such option: {name}", name=error.option_name)
        if error.possibilities:
            said += " " + w("usage|(Possible options: {options})", options=", ".join(sorted(error.possibilities)))
        return said
    if isinstance(error, MissingParameter):
        name = _hint(error)
        kind = error.param_type or (error.param.param_type_name if error.param is not None else "parameter")
        template = {"argument": "usage|Missing argument {name}.", "option": "usage|Missing option {name}."}
        return w(template.get(kind, "usage|Missing parameter {name}."), name=name)
    if isinstance(error, BadParameter):
        return w("usage|Invalid value for {hint}: {message}", hint=_hint(error), message=_invalid(error, lang))
    if isinstance(error, BadOptionUsage) and error.message.endswith("requires an argument."):
        return w("usage|Option {name} requires an argument.", name=repr(error.option_name))
    if isinstance(error, BadOptionUsage) and error.message.endswith("does not take a value."):
        return w("usage|Option {name} does not take a value.", name=repr(error.option_name))
    text = str(error.message)
    extra = _EXTRA.fullmatch(text)
    if extra is not None:
        count = len(extra[1].split())
        singular, plural = (
            "usage|Got {n} unexpected extra argument ({args})",
            "usage|Got {n} unexpected extra arguments ({args})",
        )
        return w.n(singular, plural, count, args=extra[1])
    command = _NO_COMMAND.fullmatch(text)
    if command is not None:
        said = w("usage|No such command {name}.", name=command[1])
        return said + (" " + w("usage|Did you mean {names}?", names=command[2]) if command[2] else "")
    if text == "Missing command.":
        return w("usage|Missing command.")
    return str(error.format_message())


def _hint(error: Any) -> str:
    """The parameter a refusal names, as typer writes it ('--seats', 'folder')."""
    if error.param_hint is not None:
        hints = [error.param_hint] if isinstance(error.param_hint, str) else list(error.param_hint)
        return " / ".join(repr(h) for h in hints)
    return str(error.param.get_error_hint()) if error.param is not None else ""


_INVALID = {
    "int_parsing": "usage|{value} is not a whole number.",
    "int_from_float": "usage|{value} is not a whole number.",
    "float_parsing": "usage|{value} is not a number.",
    "bool_parsing": "usage|{value} is not true or false.",
    "greater_than_equal": "usage|{value} is below the least allowed, {limit}.",
    "greater_than": "usage|{value} is not above {limit}.",
    "less_than_equal": "usage|{value} is above the most allowed, {limit}.",
    "less_than": "usage|{value} is not below {limit}.",
}
"""The words for the validation errors a command line meets, by pydantic's error type."""

_EXTRA = re.compile(r"Got unexpected extra argument\(s\) \((.*)\)", re.DOTALL)
"""typer's refusal of arguments no parameter takes."""
_NO_COMMAND = re.compile(r"No such command (.+?)\.(?: Did you mean (.+)\?)?", re.DOTALL)
"""typer's refusal of a command it does not have, with the commands it would suggest."""
_NOT_ONE_OF = re.compile(r"(.*) is not one of (.*)\.", re.DOTALL)
"""typer's refusal of a value outside an Enum's choices."""


def _invalid(error: Any, lang: str) -> str:
    """Why a value was refused: a pydantic validation error said from the catalogue, a command's own refusal
    (a Phrase it raised) said in `lang`, else the text typer has."""
    from pydantic import ValidationError

    from saylau.reports.i18n import words
    from saylau.reports.problems import said

    cause = error.__cause__
    if not isinstance(cause, ValidationError) or not cause.errors():
        return str(error.message)
    found = cause.errors()[0]
    context = found.get("ctx") or {}
    if found["type"] == "value_error" and "error" in context:  # a choice typer refused, or a callback's words
        text = str(context["error"])
        choice = _NOT_ONE_OF.fullmatch(text)
        if choice is not None:
            return words(lang)("usage|{value} is not one of {choices}.", value=choice[1], choices=choice[2])
        return said(text, lang)  # a callback's own msgid, where the catalogue has it
    template = _INVALID.get(found["type"])
    if template is None:
        return str(error.message)
    w = words(lang)
    limit = next((context[k] for k in ("ge", "gt", "le", "lt") if k in context), None)
    shown = w.fmt.integer(limit) if isinstance(limit, int) else str(limit) if limit is not None else ""
    return w(template, value=repr(found.get("input")), limit=shown)
