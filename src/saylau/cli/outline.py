"""`saylau --help` without importing the commands: their names and help read from the command modules' source.

Why: `saylau --help` listed the commands by importing every command module, and with them numpy, the readers,
the projection and the report renderers (about a second), to print a table of names and docstrings. Here the
modules are read as text (`ast`), in the order Python would import them, and each command is registered on the
typer app as an outline: its name and help, no parameters. typer then prints the same help it prints with
every module imported (`tests/integration/test_cli_startup.py` holds the two equal), so typer stays the one
definition of how the help looks, and each module's docstrings stay the one definition of what it says.
What was read is kept until a command module changes (`outlines`): typer lays out the list again for each
terminal and language (`saylau.cli.pages` keeps each page it printed), and reading the modules took 0.03 s.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

import typer

from saylau.cli import pages


@dataclass(frozen=True, slots=True)
class Outline:
    """A command (or a group of commands) as `saylau --help` lists it."""

    name: str
    help: str | None
    group: bool = False


def outlines(modules: list[str]) -> list[Outline]:
    """Every command the `modules` register on the app, in the order importing them registers it: read from
    their source the first time, then kept beside the help pages (`saylau.cli.pages`) and read back while
    every one of the `modules` is the file it was read from (path, size, modification time, inode)."""
    stamp = _stamp(modules)
    kept = os.path.join(pages.folder(), "saylau-help", "outline.marshal")
    stored = pages.stored(kept)
    if stamp is not None and isinstance(stored, tuple) and len(stored) == 2 and stored[0] == stamp:
        return [Outline(*each) for each in stored[1]]
    found: list[Outline] = []
    seen: set[str] = set()
    for module in modules:
        found += _registered(module, modules, seen)
    if stamp is not None:
        pages.store(kept, (stamp, [(o.name, o.help, o.group) for o in found]))
    return found


def _stamp(modules: list[str]) -> str | None:
    """What the outline of `modules` is read from: each module's file (None where one is no file)."""
    files: list[str] = []
    for module in modules:
        spec = find_spec(module)
        if spec is None or spec.origin is None:
            return None
        try:
            stat = os.stat(spec.origin)
        except OSError:
            return None
        files.append(f"{module} {spec.origin} {stat.st_size} {stat.st_mtime_ns} {stat.st_ino}")
    return "\n".join(files)


def register(app: typer.Typer, modules: list[str]) -> None:
    """Register the outline of every command of `modules` on `app` (enough to print its help, not to run)."""
    for outline in outlines(modules):
        if outline.group:
            app.add_typer(typer.Typer(help=outline.help), name=outline.name)
        else:
            app.command(outline.name, help=outline.help)(_outline)


def _outline() -> None:
    """Stands for a command in `saylau --help`; never run (any other command line imports the real one)."""


def _registered(module: str, modules: list[str], seen: set[str]) -> Iterator[Outline]:
    """The commands `module` registers, after those of the other command `modules` it imports first (each
    once: a module that is not a command module registers nothing, and is not read)."""
    if module in seen:
        return
    seen.add(module)
    spec = find_spec(module)
    if spec is None or spec.origin is None:
        return
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    groups: dict[str, str | None] = {}  # a sub-app's variable -> its help
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module in modules:
            yield from _registered(node.module, modules, seen)
        elif isinstance(node, ast.Assign) and _is_call(node.value, "typer", "Typer"):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    groups[target.id] = _keyword(node.value, "help")
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield from _commands(node)
        elif isinstance(node, ast.Expr) and _is_call(node.value, "app", "add_typer"):
            call = node.value
            assert isinstance(call, ast.Call)
            name = _keyword(call, "name")
            variable = call.args[0].id if call.args and isinstance(call.args[0], ast.Name) else None
            if name is not None:
                yield Outline(name, groups.get(variable or ""), group=True)


def _commands(function: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[Outline]:
    """The command a function's `@app.command(...)` registers: named as typer names it, helped by its docstring."""
    for decorator in function.decorator_list:
        if _is_call(decorator, "app", "command"):
            assert isinstance(decorator, ast.Call)
            first = decorator.args[0] if decorator.args else None
            named = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
            name = named or _keyword(decorator, "name") or function.name.replace("_", "-")
            yield Outline(name, _keyword(decorator, "help") or ast.get_docstring(function))


def _is_call(node: ast.expr, owner: str, method: str) -> bool:
    """Whether `node` is a call of `owner.method(...)`."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == method
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == owner
    )


def _keyword(call: ast.expr, name: str) -> str | None:
    """A string keyword argument of a call, where it is written as one string."""
    if not isinstance(call, ast.Call):
        return None
    for keyword in call.keywords:
        if keyword.arg == name and isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str):
            return keyword.value.value
    return None
