"""docs/glossary.md and the catalogues agree, and no catalogue entry is marked for review without a reason.

Every row of the glossary whose English cell is a msgid of the catalogues must be translated as the glossary
says (case aside: a table header is capitalised); every kk and ru entry says where its words come from (the
shared glossary, the project glossary, or a phrase built from them, or its own reason).
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from saylau.reports.i18n import messages

DOC = Path(__file__).resolve().parents[2] / "docs" / "glossary.md"
BARE = {
    "review: report phrase (issue 9), not in the glossary",
    "not in the glossary: built from its words; review",
    "review: not in the glossary (PDF protocol label)",
    "review: public results page (issue 10), not in the glossary",
}
"""The notes the catalogues carried before issue 24: "review" with no reason of its own."""


def _rows() -> list[list[str]]:
    rows = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("| ") and not line.startswith("|---"):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


@pytest.mark.parametrize(("lang", "column"), [("kk", 1), ("ru", 2)])
def test_the_catalogue_says_what_the_glossary_settles(lang: str, column: int) -> None:
    table = {k.lower(): v for k, v in messages(lang).items()}
    checked = 0
    for row in _rows():
        english = re.sub(r"\s*\(.*\)$", "", row[0])  # "New (a party that did not stand)" -> "New"
        found = table.get(english.lower())
        if found is None or len(row) < 3:
            continue
        expected = re.sub(r"\s*\(.*\)$", "", row[column])  # "пайыздық тармақ (п.т.)": the abbreviation aside
        assert found.lower() == expected.lower(), (lang, english, found, row[column])
        checked += 1
    assert checked >= 25


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_no_entry_is_marked_for_review_without_a_reason(lang: str) -> None:
    path = resources.files("saylau").joinpath("locale", lang, "LC_MESSAGES", "saylau.po")
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    for message in catalog:
        if not message.id:
            continue
        notes = " ".join(message.auto_comments)
        assert notes, message.id
        assert not any(note in BARE for note in message.auto_comments), (message.id, notes)
