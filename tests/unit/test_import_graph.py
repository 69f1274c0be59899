"""No import circles in saylau, including imports inside functions, and every module imports in any order.

Why (issue 25): a function-level import that breaks a circle hides it; the shared piece belongs lower down.
The graph is read from the source with `ast` (every `import`, at any depth, `TYPE_CHECKING` blocks too), so
a circle cannot hide behind a deferred import; the second test imports every module in fresh interpreters in
several orders, so no module depends on another having been imported first.
"""

from __future__ import annotations

import ast
import random
import subprocess
import sys
from pathlib import Path

import saylau

SRC = Path(saylau.__file__).resolve().parent.parent

PENDING: set[frozenset[str]] = set()
"""Circles allowed for now: none (the last ones, in composition, went with h25a's half of issue 25)."""


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    found = {}
    for path in sorted((SRC / "saylau").rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The saylau modules `name` imports anywhere in its source (a name from a package: the package,
    or its submodule when the name is one)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        for target in targets:
            while target not in known and "." in target:
                target = target.rpartition(".")[0]
            if target in known and target != name:
                found.add(target)
    return found


def circles(graph: dict[str, set[str]]) -> set[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: set[frozenset[str]] = set()
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.add(frozenset(component))
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(name, path, known) for name, path in known.items()}


def test_the_finder_sees_a_circle_hidden_in_a_function() -> None:
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == {frozenset("abc")}
    assert circles({"a": {"b"}, "b": set()}) == set()


def test_the_graph_holds_function_level_imports() -> None:
    """io.count imports the column reader inside a function (numpy only when a count is large)."""
    assert "saylau.io.columnar" in graph()["saylau.io.count"]


def test_the_graph_holds_imports_in_functions_and_under_type_checking(tmp_path: Path) -> None:
    """The two ways to hide a circle: an import inside a function, and one under `if TYPE_CHECKING`."""
    source = tmp_path / "lots.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from saylau.composition.council import Composition\n"
        "def f():\n    from saylau.composition import tiers\n"
    )
    known = dict.fromkeys(("saylau.composition", "saylau.composition.council", "saylau.composition.tiers"), source)
    assert imports("saylau.composition.lots", source, known) == {
        "saylau.composition.council",
        "saylau.composition.tiers",
    }


def test_every_layer_is_in_the_graph() -> None:
    """The graph reads every package of the core and of the adapters (a wrong root would find no circle)."""
    names = graph()
    layers = ("apportionment", "composition", "rules", "analysis", "domain", "tabulation", "io", "service", "store")
    assert all(any(m.startswith(f"saylau.{layer}.") for m in names) for layer in layers)


def test_no_import_circle() -> None:
    found = circles(graph())
    assert found - PENDING == set(), sorted(sorted(c) for c in found - PENDING)


def test_every_module_imports_in_any_order() -> None:
    scripts = {"saylau.__main__", "saylau.store.migrations.env"}  # run by `python -m` and by Alembic, not imported
    names = [n for n in modules() if n not in scripts]
    orders = [sorted(names), sorted(names, reverse=True)]
    for seed in range(3):
        shuffled = list(names)
        random.Random(seed).shuffle(shuffled)
        orders.append(shuffled)
    for order in orders:
        code = f"import importlib\nfor name in {order!r}:\n    importlib.import_module(name)\n"
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr[-2000:]
