"""Every problem the readers say through `saylau.errors.worded` is a catalogue msgid translated in kk and ru,
so the clerk reads it in the state languages (issue 25: no sentence is built where it cannot be translated)."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

import saylau
from saylau.io.protocols import read_protocols
from saylau.reports.i18n import messages, plural_forms
from saylau.reports.problems import problem_line

SRC = Path(saylau.__file__).resolve().parent


@cache
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
                found |= _msgids(first, strings, node)
    return found


def _msgids(first: ast.expr, strings: dict[str, set[str | tuple[str, str]]], call: ast.Call) -> set[str]:
    """The msgid(s) a call's first argument can be: a string, a module's constant (perhaps imported), or
    `A if condition else B` of those; a local variable or an f-string would hide the sentence."""
    if isinstance(first, ast.IfExp):
        return _msgids(first.body, strings, call) | _msgids(first.orelse, strings, call)
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        return {first.value}
    assert isinstance(first, ast.Name) and first.id.isupper(), ast.unparse(call)
    return {s for s in strings[first.id] if isinstance(s, str)}


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
            if isinstance(first, ast.Starred) and isinstance(first.value, ast.Name):
                counted |= {s[0] for s in strings.get(first.value.id, set()) if isinstance(s, tuple)}
            elif isinstance(first, ast.Constant | ast.IfExp) or (isinstance(first, ast.Name) and first.id.isupper()):
                (counted if two else plain).update(_msgids(first, strings, node))
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


SAYS = frozenset(
    {"worded", "Phrase", "Problem", "say", "add", "Verification", "InputError", "RuleError", "ValueError"}
    | {"ServiceError", "Invalid", "NotFound", "Conflict", "Forbidden", "Unauthenticated", "Refused"}
)
"""What carries a sentence to a reader: a problem, a refusal, a phrase, the audit chain's verdict, an error a
command turns into a problem (synth's and publishing's ValueError)."""
LEFT = {
    "publish/temporary.py": "RuntimeError/NoServer: tests and benchmarks starting nginx or moto, for developers",
    "apportionment/__init__.py": "AttributeError: Python's own wording for a missing module attribute",
    "store/group.py": "RuntimeError: an internal invariant of the group commit, never a reader's input",
}
"""Modules whose English sentences are left on purpose, and why (for developers, never a reader's)."""


def _english(node: ast.expr) -> bool:
    """An f-string with words in it: a sentence built in English where no catalogue can say it."""
    return isinstance(node, ast.JoinedStr) and any(
        isinstance(part, ast.Constant) and " " in str(part.value) for part in node.values
    )


def test_no_sentence_a_reader_sees_is_an_english_f_string() -> None:
    """Every problem, refusal and phrase outside the renderers is a msgid with its figures (issue 25): an
    f-string sentence given to one (`problems.add(f"...")`, `ValueError(f"...")`, `NotFound(f"...")`) fails."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        name = path.relative_to(SRC).as_posix()
        if name.startswith(("reports/", "cli/")) or name in LEFT:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            callee = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            given = [*node.args[:1], *(k.value for k in node.keywords if k.arg in ("message", "why", "reason"))]
            if callee in SAYS and any(_english(arg) for arg in given):
                found.append(f"{name}:{node.lineno}: {ast.unparse(node)[:100]}")
    assert found == []


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_service_refusal_is_translated(lang: str) -> None:
    """The msgid of every refusal the service raises (`Invalid("...")`, `NotFound("...")`, ...) is in the
    catalogue, so that `saylau.web.bounds.localized` says it in the caller's language."""
    refusals = {"ServiceError", "Invalid", "NotFound", "Conflict", "Forbidden", "Unauthenticated", "Refused"}
    found: set[str] = set()
    for tree in _trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in refusals and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.add(first.value)
    assert "no scan {scan}" in found and len(found) >= 100  # the extraction found the refusals, not nothing
    assert sorted(found - set(messages(lang)) - set(plural_forms(lang).forms)) == []


CORE = ("domain/", "rules/", "tabulation/", "apportionment/", "composition/", "analysis/", "registration/", "io/")
"""The core and the folder readers: what they say to a reader is a msgid with its figures, never a sentence."""
CORE_LEFT = {
    "apportionment/__init__.py": "AttributeError: Python's own wording for a missing module attribute",
    "io/writer.py": "saylau synth writes a synthetic folder: its TOML comments and made-up names are the folder's data",
    "io/day_writer.py": "saylau synth --day writes a synthetic day's folders: comments and made-up names are data",
}
"""Modules of the core and io whose English f-strings are left on purpose, and why."""
_WORDS = re.compile(r"[^\W\d_]{2,}\s+[^\W\d_]{2,}")
"""Two words with a space between them: a sentence (a key such as `list {name}` or `contests[{k}].id` is not)."""


_WORD_AND_FIGURE = re.compile(r"[^\W\d_]{2,}\s+\{\}|\{\}\s+[^\W\d_]{2,}")
"""A word beside a figure (`station {p.station}`): a phrase, where the module builds no key of a table (io's
readers key a ballot `list {name}` or `district {n}`; the rest of the core keys nothing so)."""
KEYED = ("io/",)
"""Where an f-string of a word and a figure may be a key: only the two-word rule applies there."""


def _sentence(node: ast.JoinedStr, keyed: bool = True) -> bool:
    text = "{}".join(str(part.value) if isinstance(part, ast.Constant) else "" for part in node.values)
    return bool(_WORDS.search(text)) or (not keyed and bool(_WORD_AND_FIGURE.search(text)))


def test_the_core_and_io_build_no_sentence_by_f_string() -> None:
    """Issue 25, item 2: the core and io return typed facts, or a msgid with its figures (`Phrase`, `worded`),
    so every adapter can say them in kk, ru or en; an English sentence built by an f-string anywhere in them
    (a property's label, a returned description, a value put in a finding) fails here, wherever it goes.
    `__repr__` is for developers and is not read."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        name = path.relative_to(SRC).as_posix()
        if not name.startswith(CORE) or name in CORE_LEFT:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        developers = {
            id(node)
            for function in ast.walk(tree)
            if isinstance(function, ast.FunctionDef) and function.name == "__repr__"
            for node in ast.walk(function)
        }
        found += [
            f"{name}:{node.lineno}: {ast.unparse(node)[:100]}"
            for node in ast.walk(tree)
            if isinstance(node, ast.JoinedStr)
            and id(node) not in developers
            and _sentence(node, name.startswith(KEYED))
        ]
    assert found == []


def test_the_f_string_check_sees_a_label_built_in_english() -> None:
    """The check above fails on what `Deputy.label` was before issue 25, and passes keys and paths."""
    label = ast.parse('f"{self.party} list seat (candidate not recorded)"', mode="eval").body
    keys = [ast.parse(source, mode="eval").body for source in ('f"list {name}"', 'f"contests[{k}].folder"')]
    assert isinstance(label, ast.JoinedStr) and _sentence(label)
    assert not any(_sentence(key) for key in keys if isinstance(key, ast.JoinedStr))


def test_the_f_string_check_sees_a_place_worded_in_english_outside_io() -> None:
    """...and on what a duplicate protocol's place was before (`tabulation.checks._where`'s `station {n}`),
    wherever the module keys no table; io's keys (`district {n}`) stay allowed."""
    place = ast.parse('p.source or f"station {p.station}"', mode="eval").body
    assert isinstance(place, ast.BoolOp) and isinstance(place.values[1], ast.JoinedStr)
    assert _sentence(place.values[1], keyed=False) and not _sentence(place.values[1], keyed=True)


def test_the_core_and_io_group_no_figure_in_english() -> None:
    """A figure in a sentence is an `errors.Count` (10,000 in English, 10 000 in Kazakh and Russian), never an
    f-string grouped with commas (`f"{limit:,}"`), which a Kazakh or Russian reader would get as 10,000."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        name = path.relative_to(SRC).as_posix()
        if not name.startswith(CORE) or name in CORE_LEFT:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
                spec = "".join(str(p.value) for p in node.format_spec.values if isinstance(p, ast.Constant))
                if "," in spec:
                    found.append(f"{name}:{node.lineno}: {ast.unparse(node)[:100]}")
    assert found == []


@pytest.mark.parametrize(("lang", "limit"), [("en", "1,048,576"), ("kk", "1\xa0048\xa0576"), ("ru", "1\xa0048\xa0576")])
def test_a_days_figure_is_grouped_as_its_reader_writes_it(tmp_path: Path, lang: str, limit: str) -> None:
    """day.toml over its limit: the limit is a Count inside the problem, grouped in the reader's language."""
    from saylau.errors import InputError
    from saylau.io.day import load_day

    (tmp_path / "day.toml").write_text("#" * (2**20 + 1), encoding="utf-8")
    with pytest.raises(InputError) as refused:
        load_day(tmp_path)
    lines = [problem_line(p, lang) for p in refused.value.problems]
    assert any(limit in line for line in lines), lines


ADAPTERS_LEFT = {
    "errors.py": "`Count` itself: the English grouping of a count, the one place it is written",
}
"""Modules outside `reports/` whose `{:,}` is left on purpose, and why (`reports/` writes each count through
`reports.numbers.Formats`, per language; its wikitext writes English Wikipedia's own figures)."""


def _comma_grouped(path: Path) -> list[int]:
    """The lines of `path` holding an f-string figure grouped with commas (`f"{limit:,}"`)."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FormattedValue) and isinstance(node.format_spec, ast.JoinedStr):
            spec = "".join(str(p.value) for p in node.format_spec.values if isinstance(p, ast.Constant))
            if "," in spec:
                lines.append(node.lineno)
    return lines


def test_no_adapter_groups_a_figure_in_english() -> None:
    """The web service, the CLI, publishing and the service say a count in a refusal as an `errors.Count` (or
    through `Formats(lang)`), so a Kazakh or Russian reader gets 2 147 483 647, never 2,147,483,647 (issue 25:
    `web/bounds.py`, `web/observers.py`, `publish/scans.py`, `cli/quick.py`, `service/protocols.py`)."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        name = path.relative_to(SRC).as_posix()
        if name.startswith("reports/") or name in ADAPTERS_LEFT:
            continue
        found += [f"{name}:{line}" for line in _comma_grouped(path)]
    assert found == []


def test_the_comma_check_sees_what_the_adapters_wrote_before(tmp_path: Path) -> None:
    """The check above fails on the five refusals as they were before (one line of each)."""
    before = tmp_path / "before.py"
    before.write_text(
        'a = {"limit": f"{maximum:,}"}\nb = dict(byte=f"{error.start + 1:,}")\nc = dict(most=f"{MAX_PARTIES:,}")\n',
        encoding="utf-8",
    )
    assert _comma_grouped(before) == [1, 2, 3]
