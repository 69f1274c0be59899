"""Report labels in Kazakh, Russian and English: `translator(lang)` gives a gettext-style lookup.

The catalogues are ordinary gettext `.po` files under `saylau/locale/<lang>/LC_MESSAGES/saylau.po`, so a
translator can edit them with any PO editor; they are read with babel's `read_po` when first asked for,
so no compiled `.mo` file has to be kept in step and no external tool (msgfmt) is needed at run time.

English is the source language: its catalogue carries every msgid with an empty msgstr (it doubles as the
template), and a label with no translation falls back to the English text, as gettext does.
The Kazakh and Russian terms come from shared/spec/glossary.md; a native speaker should review them before
an election uses them (src/saylau/locale/README.md).
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from types import MappingProxyType

from saylau.errors import InputError, worded
from saylau.reports.numbers import Formats

DOMAIN = "saylau"
LANGUAGES = ("en", "kk", "ru")
"""The languages with a catalogue; the first is the source language."""


def _normalise(lang: str) -> str:
    """ "ru", "ru_RU", "ru-RU.UTF-8", "KK" -> the catalogue's code; unknown codes are an input error."""
    code = lang.strip().replace("-", "_").split(".")[0].split("_")[0].lower()
    if code not in LANGUAGES:
        unknown = worded(UNKNOWN_LANGUAGE, field="lang", code="lang", lang=repr(lang), known=", ".join(LANGUAGES))
        raise InputError([unknown])
    return code


UNKNOWN_LANGUAGE = "unknown language {lang} (one of: {known})"


def known(lang: str) -> bool:
    """Whether `lang` names a language with a catalogue ("ru", "ru_RU", "KK" do)."""
    try:
        _normalise(lang)
    except InputError:
        return False
    return True


@cache
def messages(lang: str) -> Mapping[str, str]:
    """The catalogue of `lang` as msgid -> translation, translated entries only (read once, then cached)."""
    code = _normalise(lang)
    if code == LANGUAGES[0]:  # the source language: its catalogue is the template, with no translation in it
        return MappingProxyType({})
    from babel.messages.pofile import read_po

    path = resources.files("saylau").joinpath("locale", code, "LC_MESSAGES", f"{DOMAIN}.po")
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=code, domain=DOMAIN)
    table = {m.id: m.string for m in catalog if m.id and isinstance(m.id, str) and isinstance(m.string, str)}
    return MappingProxyType({k: v for k, v in table.items() if v})


@dataclass(frozen=True, slots=True)
class PluralForms:
    """A language's plural rule (the catalogue's `Plural-Forms` header) and its counted phrases.

    `forms[singular]` holds the phrase's forms in the rule's order: Russian has three (21 место, 22 места,
    25 мест), Kazakh two that are alike (a noun after a numeral stays singular: 5 орын, 42 орын).
    """

    rule: Callable[[int], int]
    forms: Mapping[str, tuple[str, ...]]

    def choose(self, singular: str, plural: str, n: int) -> str | None:
        """The form of `singular` for `n`, or None where the catalogue has no translation of it."""
        found = self.forms.get(singular)
        if not found:
            return None
        index = self.rule(abs(n))
        return found[index] if index < len(found) and found[index] else None


_ENGLISH = PluralForms(lambda n: int(n != 1), MappingProxyType({}))


@cache
def plural_forms(lang: str) -> PluralForms:
    """The counted phrases of `lang`'s catalogue with its plural rule (ngettext's data), read once."""
    code = _normalise(lang)
    if code == LANGUAGES[0]:
        return _ENGLISH
    from babel.messages.pofile import read_po

    path = resources.files("saylau").joinpath("locale", code, "LC_MESSAGES", f"{DOMAIN}.po")
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=code, domain=DOMAIN)
    forms = {
        m.id[0]: tuple(m.string)
        for m in catalog
        if isinstance(m.id, tuple) and isinstance(m.string, tuple) and all(m.string)
    }
    return PluralForms(gettext.c2py(catalog.plural_expr), MappingProxyType(forms))


def N_(msgid: str) -> str:
    """Mark a msgid kept in a table (translated where it is printed), so the catalogue check extracts it."""
    return msgid


_MISSES: ContextVar[set[tuple[str, str]] | None] = ContextVar("saylau_i18n_misses", default=None)


@contextmanager
def recording_misses() -> Iterator[set[tuple[str, str]]]:
    """Collect (lang, msgid) for every label a kk/ru translator had to print in English (for tests)."""
    misses: set[tuple[str, str]] = set()
    token = _MISSES.set(misses)
    try:
        yield misses
    finally:
        _MISSES.reset(token)


def translator(lang: str) -> Callable[[str], str]:
    """A `_`-style function for one language: the label's translation, or the label itself if there is none.

    A msgid written `context|Label` keeps apart words the catalogue translates differently (the mäslihat's
    secretary vs. the commission's); without a translation it prints as `Label`. Raises InputError for a
    language saylau has no catalogue for, so a typo in `--lang` is not silently rendered in English.
    """
    code = _normalise(lang)
    table = messages(code)

    def translate(label: str) -> str:
        text = table.get(label)
        if text is None:
            misses = _MISSES.get()
            if misses is not None and code != LANGUAGES[0]:
                misses.add((code, label))
            return label.split("|", 1)[-1]
        return text

    return translate


@dataclass(frozen=True, slots=True)
class Words:
    """What a renderer needs to speak one language: the catalogue (`_`) and the locale's number formats."""

    lang: str
    _: Callable[[str], str] = field(repr=False)
    fmt: Formats = field(repr=False)

    def __call__(self, label: str, **figures: object) -> str:
        """The label translated, its `{placeholders}` filled with `figures`."""
        text = self._(label)
        return text.format(**figures) if figures else text

    def n(self, singular: str, plural: str, count: int, **figures: object) -> str:
        """A counted phrase (gettext's ngettext): the form the language uses for `count`, filled in.

        `{n}` is the count as the locale writes it (151 531) unless `figures` gives it (a figure with decimals
        is counted as 2, which picks the form Russian puts after a fraction: 2,5 места); other
        `{placeholders}` come from `figures`.
        Russian: "{n} место" / "{n} места" / "{n} мест" by the catalogue's plural rule; English: one or many.
        """
        text = plural_forms(self.lang).choose(singular, plural, count)
        if text is None:
            misses = _MISSES.get()
            if misses is not None and self.lang != LANGUAGES[0]:
                misses.add((self.lang, singular))
            text = singular if count == 1 else plural
        return text.format(**{"n": self.fmt.integer(count), **figures})


def words(lang: str = "en") -> Words:
    """The words and formats of `lang` (en, kk, ru; locale spellings like ru_RU.UTF-8 accepted)."""
    code = _normalise(lang)
    return Words(code, translator(code), Formats(code))


def normalise(lang: str) -> str:
    """The catalogue code of a language as a user or an environment spells it; InputError if unknown."""
    return _normalise(lang)
