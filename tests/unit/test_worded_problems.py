"""Every problem the readers say through `saylau.errors.worded` is a catalogue msgid translated in kk and ru,
so the clerk reads it in the state languages (issue 25: no sentence is built where it cannot be translated)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import saylau
from saylau.io.protocols import read_protocols
from saylau.reports.i18n import messages
from saylau.reports.problems import problem_line

SRC = Path(saylau.__file__).resolve().parent


def worded_templates() -> set[str]:
    """The first argument of every `worded(...)` call in the package: a string, or a constant's name (in any
    module: a reader's msgid may be imported from the module that names it)."""
    trees = [ast.parse(path.read_text(encoding="utf-8")) for path in sorted(SRC.rglob("*.py"))]
    strings: dict[str, set[str]] = {}  # a constant's name -> the string(s) bound to it
    for tree in trees:
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
            ):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        strings.setdefault(target.id, set()).add(node.value.value)
    found: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "worded":
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.add(first.value)
                else:  # a module's constant, perhaps imported: a local variable would hide the sentence
                    assert isinstance(first, ast.Name) and first.id.isupper(), ast.unparse(node)
                    found |= strings[first.id]
    return found


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_worded_problem_is_translated(lang: str) -> None:
    templates = worded_templates()
    assert len(templates) >= 15  # the extraction found the readers' sentences, not nothing
    assert sorted(templates - set(messages(lang))) == []


def test_a_readers_problem_is_said_in_russian_with_its_place(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    (problem,) = read_protocols([missing]).problems
    assert str(problem) == f"{missing}: is neither a file nor a folder"
    assert problem_line(problem, "ru") == f"{missing}: не файл и не папка"
