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
    ("lang", "turnout", "majority", "percent", "amanat"),
    [
        ("kk", "Сайлаушылардың қатысуы", "Көпшілік", "25,15%", "| AMANAT | 151\xa0531 | 51,94% |"),
        ("ru", "Явка", "Большинство", "25,15\xa0%", "| AMANAT | 151\xa0531 | 51,94\xa0% |"),
        ("en", "Turnout", "Majority", "25.15%", "| Amanat | 151,531 | 51.94% |"),
    ],
)
def test_markdown_labels_follow_the_glossary(
    almaty: Result, lang: str, turnout: str, majority: str, percent: str, amanat: str
) -> None:
    """Labels from the glossary; numbers as CLDR writes them (kk/ru: no-break space groups, decimal comma)."""
    text = render_markdown(almaty, lang)
    assert f"**{turnout}:** {percent}" in text
    assert f"**{majority}:** 22" in text
    assert amanat in text


def test_html_is_labelled_in_russian(almaty: Result) -> None:
    page = render_html(almaty, "ru")
    assert '<html lang="ru">' in page
    assert '<th scope="row">Явка</th>' in page
    assert "Meyirjan Otynşiev" in page


def test_terminal_tables_in_russian_and_kazakh(almaty: Result) -> None:
    from saylau.reports.text import render_text

    assert "Явка" in render_text(almaty, "ru") and "Turnout" not in render_text(almaty, "ru")
    assert "Сайлаушылардың қатысуы" in render_text(almaty, "kk", width=160)
    assert "Turnout" in render_text(almaty)


def test_illustrative_data_are_said_in_the_reader_s_language(almaty: Result) -> None:
    """The example's notes (English, the folder's words) say its district data are illustrative: the HTML and
    the PDF protocol say so in Russian and Kazakh too; a folder whose notes say nothing of it gets no warning."""
    import dataclasses

    from saylau.reports.pdf import protocol_data

    assert "приведена для примера и не является официальной" in render_html(almaty, "ru")
    facts = dict(map(tuple, protocol_data(almaty, lang="kk")["facts"]))
    assert facts["Дереккөздер"] == "Бұл сайлау қалтасындағы кейбір деректер ресми емес, үлгі ретінде берілген."
    plain = dataclasses.replace(almaty, election=dataclasses.replace(almaty.election, notes=("Official figures.",)))
    assert 'class="illustrative"' not in render_html(plain, "ru")
