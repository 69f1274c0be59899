"""Reports in Kazakh and Russian use the glossary's terms (shared/spec/glossary.md); names stay as given."""

from __future__ import annotations

import pytest

from saylau.io import load_election
from saylau.reports.html import render_html
from saylau.reports.markdown import render_markdown
from saylau.result import Result, declare
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def almaty() -> Result:
    return declare(load_election(EXAMPLES / "almaty-2023"))


@pytest.mark.parametrize(
    ("lang", "turnout", "majority"),
    [("kk", "Сайлаушылардың қатысуы", "Көпшілік"), ("ru", "Явка", "Большинство"), ("en", "Turnout", "Majority")],
)
def test_markdown_labels_follow_the_glossary(almaty: Result, lang: str, turnout: str, majority: str) -> None:
    text = render_markdown(almaty, lang)
    assert f"**{turnout}:** 25.15%" in text
    assert f"**{majority}:** 22" in text
    assert "| Amanat | 151,531 | 51.94% |" in text


def test_html_is_labelled_in_russian(almaty: Result) -> None:
    page = render_html(almaty, "ru")
    assert '<html lang="ru">' in page
    assert "<th>Явка</th>" in page
    assert "Meyirjan Otynşiev" in page


def test_terminal_tables_in_russian_and_kazakh(almaty: Result) -> None:
    from saylau.reports.text import render_text

    assert "Явка" in render_text(almaty, "ru") and "Turnout" not in render_text(almaty, "ru")
    assert "Сайлаушылардың қатысуы" in render_text(almaty, "kk", width=160)
    assert "Turnout" in render_text(almaty)
