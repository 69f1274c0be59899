"""The `saylau` command line: one module per command, registered on one typer app.

Only the module of the command being run is imported (a module named like its command, e.g.
`saylau.cli.results` for `saylau results`), so a command never pays for numpy, the readers or the report
renderers it does not use. `saylau --help` imports none of them: it reads their commands' names and help from
their source (`saylau.cli.outline`); a command whose module is named otherwise imports them all. `saylau
allocate` and `saylau results` with a usual command line do not even import typer (see `saylau.cli.quick`),
and neither does a help page asked for before: it is printed again as typer printed it (`saylau.cli.pages`).
"""

from __future__ import annotations

import gc
import importlib
import os
import sys

from saylau.cli import pages

# Each module registers its commands on `app` when imported.
_COMMANDS = [
    "saylau.cli.results",
    "saylau.cli.protocols",
    "saylau.cli.report",
    "saylau.cli.allocate",
    "saylau.cli.whatif",
    "saylau.cli.synth",
    "saylau.cli.registration",
    "saylau.cli.ballots",
    "saylau.cli.vacancy",
    "saylau.cli.service",
    "saylau.cli.backup",
    "saylau.cli.project",
    "saylau.cli.publish",
    "saylau.cli.example",
    "saylau.cli.forensics",
    "saylau.cli.observe",
]


def modules_for(args: list[str]) -> list[str]:
    """The command modules `args` needs: the one named like the command, or all of them when in doubt."""
    command = next((a for a in _unspoken(args) if not a.startswith("-")), None)
    module = f"saylau.cli.{command}"
    return [module] if module in _COMMANDS else list(_COMMANDS)


def main() -> None:
    """Entry point of the `saylau` script."""
    # numpy's OpenBLAS starts a thread per core when numpy is imported, and they spin while the command starts
    # (55 ms of wall time on a busy 2-core machine). saylau does no large matrix algebra: one thread, unless
    # the user says otherwise.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    try:
        _run(sys.argv[1:])
    finally:
        # The command is done. Python's last garbage collection at exit would walk every object the imports
        # made (40 ms of a 0.3 s command) to free what the operating system frees anyway.
        gc.freeze()


def _unspoken(args: list[str]) -> list[str]:
    """The command line without its `--lang X` and `--lang=X` (`saylau --lang kk --help` lists the commands)."""
    kept: list[str] = []
    skip = False
    for i, arg in enumerate(args):
        if skip:
            skip = False
        elif arg == "--lang" and i + 1 < len(args):
            skip = True
        elif not arg.startswith("--lang="):
            kept.append(arg)
    return kept


def _run(args: list[str]) -> None:
    if args == ["--version"]:  # answered before typer is imported (`saylau.cli.app` also documents it in --help)
        from saylau import __version__

        print(f"saylau {__version__}")
        return
    # The page printed before, else typer's, kept (`saylau.cli.pages`); with stdout or stderr closed there is
    # nothing to keep, and typer prints nowhere as it always did.
    if pages.asks_help(_unspoken(args)) and sys.stdout is not None and sys.stderr is not None:
        page = pages.kept(args)
        if page is not None:
            pages.replay(page)
        with pages.Keeping(args):
            _typer(args)
        return
    if args[:1] in (["allocate"], ["results"]):
        from saylau.cli.errors import exits_on_error
        from saylau.cli.quick import arguments

        quick = arguments(args)
        if quick is not None:
            run, keywords = quick
            keywords.setdefault("lang", os.environ.get("SAYLAU_LANG") or "en")  # as typer's `--lang` reads it
            # pydantic looks through every installed package for plugins when the first model is defined
            # (5-10 ms); these two commands use none, and say so in pydantic's own words.
            os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
            exits_on_error(run)(**keywords)
            return
    _typer(args)


def _typer(args: list[str]) -> None:
    from saylau.cli.app import app
    from saylau.cli.usage import run

    if _unspoken(args) in ([], ["--help"]):  # the list of commands, read from their modules' source (outline)
        from saylau.cli.outline import register

        register(app, _COMMANDS)
        run(app, args)
        return
    for module in modules_for(args):
        importlib.import_module(module)
    run(app, args)  # typer's own refusals (no such option, ...) in the command line's language too
