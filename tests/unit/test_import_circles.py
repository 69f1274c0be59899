"""No import circle in the core, hidden or not (issue 25): every import counts, at the top of a module, inside a
function, or under `if TYPE_CHECKING`, because a function-level import that breaks a circle only hides it.

The graph is read from the source (`ast`), so the test needs no import to succeed and names the circle it
finds. A module importing its own package's `__init__` counts; the package's `__init__` running first when a
submodule is imported (Python's rule, never a circle in the code) does not.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import saylau

ROOT = Path(saylau.__file__).parent
CORE = ("saylau.apportionment", "saylau.composition", "saylau.rules", "saylau.analysis", "saylau.domain")
"""The pure core (style.md); the adapters' circles are h25b's half of issue 25 and have their own list."""


def _modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = ["saylau", *path.relative_to(ROOT).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The saylau modules that `name` imports anywhere in its text."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name in known}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                out.add(sub if sub in known else base)
    return {m for m in out if m in known and m != name}


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def test_the_core_has_no_import_circle() -> None:
    circles = [c for c in _circles(_graph()) if any(m.startswith(CORE) for m in c)]
    assert circles == [], f"import circles in the core: {circles}"


def test_a_function_level_import_circle_is_found(tmp_path: Path) -> None:
    """The finder sees a circle hidden in a function and one under TYPE_CHECKING (the two ways to hide one)."""
    graph = {"a": {"b"}, "b": {"a"}, "c": {"d"}, "d": set()}
    assert _circles(graph) == [["a", "b"]]
    source = tmp_path / "lots.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from saylau.composition.council import Composition\n"
        "def f():\n    from saylau.composition import tiers\n"
    )
    known = {"saylau.composition", "saylau.composition.council", "saylau.composition.tiers"}
    assert _imports("saylau.composition.lots", source, known) == {
        "saylau.composition.council",
        "saylau.composition.tiers",
    }


@pytest.mark.parametrize("package", CORE)
def test_every_core_module_is_in_the_graph(package: str) -> None:
    assert any(m == package or m.startswith(package + ".") for m in _graph())
