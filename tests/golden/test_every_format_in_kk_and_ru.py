"""Every format in Kazakh and Russian: no catalogue miss, and no English word left outside names (issue 9, item 2).

Two checks that cannot agree by accident:
- the msgids are extracted from the source (every `w("...")`, `_("...")`, `N_("...")` call in reports/ and cli/,
  every `_("...")` in the templates, every method's label) and must all be translated in kk and ru;
- every format is rendered in kk and ru (complete, partial and hand-built results, and real elections with
  several constituencies, compensation, overhang, coverage and threshold alternatives) while the translator
  records each label it had to print in English: there must be none; and once the names the folder gives
  (parties, candidates, people, notes) are taken out, no Latin-letter word may be left in the text.
"""

from __future__ import annotations

import ast
import re
import shutil
from collections.abc import Callable
from html import unescape
from pathlib import Path

import pytest

from saylau.apportionment import Method
from saylau.io import load_election
from saylau.reports.allocation import explain_allocation
from saylau.reports.hemicycle import description, render_hemicycle
from saylau.reports.html import render_html
from saylau.reports.i18n import messages, recording_misses, words
from saylau.reports.markdown import render_markdown
from saylau.reports.pdf import protocol_data
from saylau.reports.text import render_text
from saylau.result import Result, declare
from tests.conftest import EXAMPLES
from tests.real.test_real_elections import HERE as REAL
from tests.unit.test_hemicycle import make_result

SRC = Path(__file__).resolve().parents[2] / "src" / "saylau"


def source_msgids() -> set[str]:
    """Every msgid the source passes to a translator, found by reading the code (not by running it)."""
    ids: set[str] = set()
    for path in [*(SRC / "reports").glob("*.py"), *(SRC / "cli").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"w", "_", "N_"}:
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    ids.add(first.value)
    for template in (SRC / "reports" / "templates").glob("*.j2"):
        ids |= set(re.findall(r"""_\(\s*["']([^"']+)["']\s*\)""", template.read_text(encoding="utf-8")))
    return ids | {m.label for m in Method}


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_msgid_in_the_source_is_translated(lang: str) -> None:
    ids = source_msgids()
    assert len(ids) > 150  # the extraction found the report's phrases, not nothing
    missing = sorted(ids - set(messages(lang)))
    assert missing == [], f"{lang}: untranslated {missing}"


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Result]:
    root = tmp_path_factory.mktemp("kkru")
    for name in ("almaty-2023", "almaty-2021"):
        shutil.copytree(EXAMPLES / name, root / name)
    complete = declare(load_election(root / "almaty-2023"))
    for path in sorted((root / "almaty-2023" / "protocols").glob("*.csv"))[:7]:
        path.unlink()
    tiers = {name: declare(load_election(REAL / folder)) for name, folder in TIERS.items()}
    return {
        "complete": complete,
        "partial": declare(load_election(root / "almaty-2023")),
        "hand": make_result(),
        **tiers,
    }


TIERS = {
    "constituencies": "scotland-2021",
    "apportioned": "spain-2023",
    "overhang": "nz-2023",
    "coverage": "germany-2025",
}
"""Real elections whose steps and constituency tables every format must say in kk and ru (issue 16)."""


def _names(result: Result) -> list[str]:
    """Everything the folder names: these may stay as written (Latin or not)."""
    e = result.election
    names = [e.name, e.body.name, *e.notes, *(e.names.values()), *(e.body.names.values())]
    for p in e.parties:
        names += [p.short_name, p.full_name, p.leader or "", p.leader_since or "", p.list_leader or ""]
        names += [*p.names.values(), *p.full_names.values()]
    names += [c for party_list in e.lists.values() for c in party_list.candidates]
    names += [c.name for d in e.districts for c in d.candidates] + [d.name for d in e.districts]
    names += [e.secretary_before or "", e.secretary_after or ""] + [c.name for c in e.constituencies]
    previous = result.comparison.previous if result.comparison else e.previous
    if previous:
        names += [previous.name, *(previous.names.values())]
    if e.commission:
        names += [e.commission.name, *(e.commission.names.values())]
    return sorted((n for n in names if n), key=len, reverse=True)


def _strings(data: object) -> list[str]:
    """Every string value in the PDF's data (what Typst prints), keys left out."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for value in data.values() for s in _strings(value)]
    if isinstance(data, list | tuple):
        return [s for value in data for s in _strings(value)]
    return []


def _visible(html: str) -> str:
    """What a reader of a page sees or hears: text and the alternative texts, without tags or styles."""
    html = re.sub(r"<style.*?</style>", " ", html, flags=re.S)
    alts = " ".join(re.findall(r'aria-label="([^"]*)"', html))
    return unescape(re.sub(r"<[^>]+>", " ", html) + " " + alts)


RENDERERS: dict[str, Callable[[Result, str], str]] = {
    "text": lambda r, lang: render_text(r, lang, width=200),
    "markdown": render_markdown,
    "html": lambda r, lang: _visible(render_html(r, lang)),
    "svg": lambda r, lang: _visible(render_hemicycle(r, lang=lang)) + " " + description(r, "list", words(lang)),
    "pdf": lambda r, lang: " ".join(_strings({k: v for k, v in protocol_data(r, lang=lang).items() if k != "lang"})),
    "annex": lambda r, lang: (
        "\n".join(explain_allocation(r.composition.list_allocation, words(lang)))
        if r.composition.list_allocation
        else ""
    ),
}
# Latin-script tokens that are not English: units, symbols, ratios, Roman numerals of no language.
ALLOWED = {"sqrt", "s", "saylau"}


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("which", ["complete", "partial", "hand", *TIERS])
@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_no_catalogue_miss_and_no_english_left(results: dict[str, Result], lang: str, which: str, fmt: str) -> None:
    result = results[which]
    with recording_misses() as misses:
        text = RENDERERS[fmt](result, lang)
    assert misses == set(), f"{fmt} in {lang} printed untranslated labels: {sorted(misses)}"
    for name in _names(result):  # a long name may wrap in a terminal table: any run of spaces matches one
        words_of_name = r"\s+".join(re.escape(part) for part in name.split())
        text = re.sub(rf"(?<!\w){words_of_name}(?!\w)", " ", text)
    left = {word for word in re.findall(r"[A-Za-z]{2,}", text) if word not in ALLOWED}
    assert left == set(), f"{fmt} in {lang}: English left outside names: {sorted(left)}"
