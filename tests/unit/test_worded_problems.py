"""Every problem the readers say through `saylau.errors.worded` is a catalogue msgid translated in kk and ru,
so the clerk reads it in the state languages (issue 25: no sentence is built where it cannot be translated)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import saylau
from saylau.io.protocols import read_protocols
from saylau.reports.i18n import messages, plural_forms
from saylau.reports.problems import problem_line

SRC = Path(saylau.__file__).resolve().parent


def _trees() -> list[ast.Module]:
    return [ast.parse(path.read_text(encoding="utf-8")) for path in sorted(SRC.rglob("*.py"))]


def _constants(trees: list[ast.Module]) -> dict[str, set[str | tuple[str, str]]]:
    """A module constant's name -> the string(s), or (singular, plural) pairs, bound to it in any module."""
    strings: dict[str, set[str | tuple[str, str]]] = {}
    for tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Assign):
                continue
            value: str | tuple[str, str] | None = None
            if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                value = node.value.value
            elif isinstance(node.value, ast.Tuple) and len(node.value.elts) == 2:
                parts = [e.value for e in node.value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
                value = (parts[0], parts[1]) if len(parts) == 2 else None
            for target in node.targets:
                if isinstance(target, ast.Name) and value is not None:
                    strings.setdefault(target.id, set()).add(value)
    return strings


def worded_templates() -> set[str]:
    """The first argument of every `worded(...)` and `problems.say(...)` call in the package: a string, or a
    constant's name (in any module: a reader's msgid may be imported from the module that names it)."""
    trees = _trees()
    strings = _constants(trees)
    found: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            if (isinstance(node.func, ast.Name) and node.func.id == "worded") or (
                isinstance(node.func, ast.Attribute) and node.func.attr == "say" and node.args
            ):
                first = node.args[0]
                if isinstance(first, ast.Name) and first.id == "template":
                    continue  # a forwarder (`Problems.say`): its callers' msgids are collected instead
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.add(first.value)
                else:  # a module's constant, perhaps imported: a local variable would hide the sentence
                    assert isinstance(first, ast.Name) and first.id.isupper(), ast.unparse(node)
                    found |= {s for s in strings[first.id] if isinstance(s, str)}
    return found


def phrase_templates() -> tuple[set[str], set[str]]:
    """The msgids of every `Phrase(...)` the package builds from a string or a module constant: (plain ones,
    the singulars of counted ones). A Phrase of a variable (a table's msgid, a method's title) is not seen."""
    trees = _trees()
    strings = _constants(trees)
    plain: set[str] = set()
    counted: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Phrase"):
                continue
            first = node.args[0]
            two = len(node.args) > 1 and isinstance(node.args[1], ast.Constant) and node.args[1].value is not None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                (counted if two else plain).add(first.value)
            elif isinstance(first, ast.Starred) and isinstance(first.value, ast.Name):
                counted |= {s[0] for s in strings.get(first.value.id, set()) if isinstance(s, tuple)}
            elif isinstance(first, ast.Name) and first.id.isupper():
                (counted if two else plain).update(s for s in strings.get(first.id, set()) if isinstance(s, str))
    return plain, counted


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


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_phrase_the_core_raises_is_translated(lang: str) -> None:
    """A rule's refusal (`RuleError(Phrase(...))`), a tie, a batch's row: each msgid is in the catalogue, and each
    counted one has all the forms the language's plural rule picks from (Russian's three)."""
    plain, counted = phrase_templates()
    assert "this election has no list tier" in plain and len(plain) >= 15  # the extraction found the sentences
    assert "{n} seat cannot be filled: every admitted list has run out of candidates" in counted
    assert sorted(plain - set(messages(lang))) == []
    assert sorted(counted - set(plural_forms(lang).forms)) == []


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_words_for_pydantics_refusals_are_translated(lang: str) -> None:
    """election.toml's type errors are said from a table of msgids (`rules.presets._MESSAGES`)."""
    from saylau.rules.presets import _MESSAGES

    assert sorted(set(_MESSAGES.values()) - set(messages(lang))) == []
