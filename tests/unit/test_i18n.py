"""Report labels in Kazakh and Russian: the glossary's terms, complete catalogues, refused unknown languages.

Expected terms are copied from shared/spec/glossary.md (English | Kazakh | Russian), not from the catalogues.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from importlib import resources

import pytest
from babel.messages.pofile import read_po
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.errors import InputError
from saylau.reports.i18n import LANGUAGES, messages, translator
from saylau.reports.numbers import Formats, rounded

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


def test_the_english_catalogue_translates_nothing_so_it_is_never_read() -> None:
    """`messages("en")` answers without reading the file (start-up of `saylau allocate`): that holds only while
    the English catalogue is the bare template, every msgstr empty."""
    path = resources.files("saylau").joinpath("locale", "en", "LC_MESSAGES", "saylau.po")
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="en", domain="saylau")
    assert [m.id for m in catalog if m.id and any(m.string if isinstance(m.string, tuple) else [m.string])] == []
    assert dict(messages("en")) == {}


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=-(10**15), max_value=10**15),
    st.fractions(min_value=-(10**9), max_value=10**9, max_denominator=10**7),
    st.integers(min_value=0, max_value=6),
    st.dates(),
)
def test_english_figures_written_without_babel_are_babels(count: int, value: Fraction, places: int, day: date) -> None:
    """English counts, decimals, percentages and dates are written without babel (no CLDR data to load); they
    are the bytes babel writes for them."""
    from babel import Locale
    from babel.dates import format_date
    from babel.numbers import format_decimal, format_percent

    en = Formats("en")
    assert en.integer(count) == format_decimal(count, locale="en")
    shown = rounded(value, places)
    digits = "#,##0." + "0" * places if places else "#,##0"
    assert en.decimal(value, places) == format_decimal(shown, format=digits, locale="en")
    pattern = Locale.parse("en").percent_formats[None].pattern.replace("#,##0", digits)
    assert en.percent(value, places) == format_percent(shown / 100, format=pattern, locale="en")
    assert en.date(day) == format_date(day, format="long", locale="en")


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_kazakh_and_russian_counts_are_babels(count: int) -> None:
    """Kazakh and Russian counts are written from babel's thousands separator once per language (a published
    version writes about a hundred counts per station); they are the bytes babel writes for them."""
    from babel.numbers import format_decimal

    for lang in ("kk", "ru"):
        assert Formats(lang).integer(count) == format_decimal(count, locale=lang)
    assert Formats("ru").integer(1234567) == "1\u00a0234\u00a0567"


DISTINCT = [
    ("note: {line}", "warning: {line}"),  # kk: ескертпе (a note), ескерту (a warning)
    ("Margin", "Difference"),  # a winner's lead; the observers' copies against the protocols
    ("recorded", "state|registered"),  # an entry written down; a candidate's registration
    ("Drawing of lots", "Drawings of lots"),  # the glossary's term; the report's section of them
]


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize(("one", "other"), DISTINCT)
def test_msgids_that_mean_different_things_are_said_differently(lang: str, one: str, other: str) -> None:
    said = translator(lang)
    assert said(one) != said(other)


def _definitions(text: str) -> list[tuple[int, str, bool]]:
    """Each message of a `.po` text as (line, msgid with its plural, whether a msgstr follows it), read line by
    line as GNU msgfmt reads it (babel forgives a missing msgstr and a second definition; msgfmt does not)."""
    found: list[tuple[int, str, bool]] = []
    part = ""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("msgid "):
            found.append((number, line, False))
            part = "id"
        elif line.startswith("msgid_plural ") or (line.startswith('"') and part == "id"):
            start, key, _ = found[-1]
            found[-1] = (start, key + "\n" + line, False)
        elif line.startswith("msgstr") and found:
            start, key, _ = found[-1]
            found[-1] = (start, key, True)
            part = "str"
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_catalogue_defines_each_message_once_with_its_translation(lang: str) -> None:
    """What `msgfmt -c` checks, so that gettext's own tools (and a translator's PO editor) take the file."""
    po = resources.files("saylau").joinpath("locale", lang, "LC_MESSAGES", "saylau.po").read_text("utf-8")
    definitions = _definitions(po)
    assert len(definitions) > 500
    missing = [(line, key) for line, key, translated in definitions if not translated]
    assert missing == []
    first: dict[str, int] = {}
    twice = [
        (first.setdefault(key, line), line, key) for line, key, _ in definitions if first.setdefault(key, line) != line
    ]
    assert twice == []


def test_the_catalogue_check_catches_a_missing_translation_and_a_second_definition() -> None:
    broken = 'msgid "a"\n#. note\nmsgid "b"\nmsgstr ""\n\nmsgid "b"\nmsgstr "c"\n'
    assert [(line, translated) for line, _, translated in _definitions(broken)] == [(1, False), (3, True), (6, True)]
