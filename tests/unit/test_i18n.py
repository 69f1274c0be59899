"""Report labels in Kazakh and Russian: the glossary's terms, complete catalogues, refused unknown languages.

Expected terms are copied from shared/spec/glossary.md (English | Kazakh | Russian), not from the catalogues.
"""

from __future__ import annotations

from importlib import resources

import pytest
from babel.messages.pofile import read_po

from saylau.errors import InputError
from saylau.reports.i18n import LANGUAGES, messages, translator

# shared/spec/glossary.md, rows: turnout, majority, against all, threshold, electoral quota, drawing of lots,
# repeat election, secretary of the mäslihat, self-nominated, seat change, registered voters.
GLOSSARY = {
    "Turnout": ("Сайлаушылардың қатысуы", "Явка"),
    "Majority": ("Көпшілік", "Большинство"),
    "against all": ("барлығына қарсы", "против всех"),
    "Threshold": ("Өту шегі", "Проходной барьер"),
    "Electoral quota": ("Сайлау квотасы", "Избирательная квота"),
    "Drawing of lots": ("Жеребе тастау", "Жеребьёвка"),
    "Repeat election": ("Қайта сайлау", "Повторные выборы"),
    "Secretary": ("Мәслихат хатшысы", "Секретарь маслихата"),
    "Independent": ("Өзін-өзі ұсынған", "Самовыдвиженец"),
    "Seat change": ("Орындар санының өзгеруі", "Изменение числа мест"),
    "Registered voters": ("Тізімге енгізілген сайлаушылар саны", "Число избирателей, включённых в списки"),
    "Deputy": ("Депутат", "Депутат"),
}

# Labels the report renderers print; every one must have a kk and ru translation.
REPORT_LABELS = [
    "Seats",
    "Majority",
    "Turnout",
    "Party",
    "Votes",
    "List seats",
    "District seats",
    "Swing",
    "Deputies",
    "Districts",
    "Independents",
    "Previous election",
    "Secretary",
    "against all",
]


@pytest.mark.parametrize(("term", "expected"), GLOSSARY.items())
def test_glossary_terms(term: str, expected: tuple[str, str]) -> None:
    assert (translator("kk")(term), translator("ru")(term)) == expected


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_report_labels_are_translated(lang: str) -> None:
    translate = translator(lang)
    for label in REPORT_LABELS:
        assert translate(label) != label, f"{lang}: {label!r} untranslated"


def test_english_is_identity_and_unknown_labels_fall_back() -> None:
    assert translator("en")("List seats") == "List seats"
    assert translator("kk")("no such label") == "no such label"


def test_locale_variants() -> None:
    """A locale as an environment would spell it maps to the catalogue."""
    assert translator("ru_RU.UTF-8")("Turnout") == "Явка"
    assert translator("KK-kz")("Turnout") == "Сайлаушылардың қатысуы"


@pytest.mark.parametrize("lang", ["de", "", "kazakh"])
def test_unknown_language_is_an_input_error(lang: str) -> None:
    with pytest.raises(InputError, match="unknown language"):
        translator(lang)


def _msgids(lang: str) -> set[str]:
    path = resources.files("saylau").joinpath("locale", lang, "LC_MESSAGES", "saylau.po")
    with path.open("rb") as handle:
        return {m.id for m in read_po(handle) if m.id and isinstance(m.id, str)}


def test_catalogues_agree_and_are_complete() -> None:
    """Same msgids in every catalogue (en is the template); kk and ru translate all of them."""
    ids = _msgids("en")
    assert set(REPORT_LABELS) <= ids
    for lang in LANGUAGES:
        assert _msgids(lang) == ids, lang
    assert set(messages("kk")) == ids
    assert set(messages("ru")) == ids
    assert messages("en") == {}
