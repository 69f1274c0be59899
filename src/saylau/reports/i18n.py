"""Report labels in Kazakh, Russian and English: `translator(lang)` gives a gettext-style lookup.

The catalogues are ordinary gettext `.po` files under `saylau/locale/<lang>/LC_MESSAGES/saylau.po`, so a
translator can edit them with any PO editor; they are read with babel's `read_po` when first asked for,
so no compiled `.mo` file has to be kept in step and no external tool (msgfmt) is needed at run time. What
babel read is kept where Python keeps this module's bytecode (`__pycache__`, or under `PYTHONPYCACHEPREFIX`):
the next process reads it back in a millisecond where parsing a catalogue took 0.06 s, for as long as the
`.po` file and babel are the ones it was read from (`parsed`).

English is the source language: its catalogue carries every msgid with an empty msgstr (it doubles as the
template), and a label with no translation falls back to the English text, as gettext does.
The Kazakh and Russian terms come from shared/spec/glossary.md; a native speaker should review them before
an election uses them (src/saylau/locale/README.md).
"""

from __future__ import annotations

import gettext
import marshal
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from importlib.util import find_spec
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

from saylau.errors import InputError, worded
from saylau.reports.numbers import Formats

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

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
    return MappingProxyType(_catalogue(code).messages)


class Catalogue(NamedTuple):
    """What saylau reads of a catalogue: its translations, its counted phrases' forms, its plural rule (C)."""

    messages: dict[str, str]
    forms: dict[str, tuple[str, ...]]
    plural: str


@cache
def _catalogue(code: str) -> Catalogue:
    """The catalogue of a language (not English), read once per process: see `parsed`."""
    po = resources.files("saylau").joinpath("locale", code, "LC_MESSAGES", f"{DOMAIN}.po")
    here = os.path.dirname(os.path.abspath(__file__))  # kept where Python keeps this module's bytecode
    prefix = sys.pycache_prefix
    return parsed(po, code, os.path.join(prefix, here.lstrip(os.sep)) if prefix else os.path.join(here, "__pycache__"))


def parsed(po: Traversable, code: str, keep: str) -> Catalogue:
    """The catalogue `po` of language `code` as babel reads it, kept in the folder `keep` once read: read back
    from there (marshal) while the file is the one it was read from (its path, size, modification time and
    inode) and babel and Python are the same; read again by babel, and kept again, otherwise. A `po` that is
    no file of its own (inside a zip) or a `keep` that cannot be written is read by babel every time."""
    stamp = _stamp(po)
    kept = os.path.join(keep, f"saylau-{code}.catalogue")
    if stamp is not None:
        try:
            with open(kept, "rb") as handle:
                stored = marshal.load(handle)
            if isinstance(stored, tuple) and len(stored) == 4 and stored[0] == stamp:
                return Catalogue(*stored[1:])
        except (OSError, EOFError, ValueError, TypeError):
            pass
    catalogue = _read_po(po, code)
    if stamp is not None:
        partial = f"{kept}.{os.getpid()}"
        try:
            os.makedirs(keep, exist_ok=True)
            with open(partial, "wb") as handle:
                marshal.dump((stamp, *catalogue), handle)
            os.replace(partial, kept)
        except OSError:
            with suppress(OSError):
                os.remove(partial)
    return catalogue


def _stamp(po: Traversable) -> str | None:
    """What a kept catalogue was read from: the `.po` file, babel's package, Python."""
    if not isinstance(po, os.PathLike):
        return None
    babel = find_spec("babel")
    files = [os.fspath(po), *([babel.origin] if babel is not None and babel.origin else [])]
    try:
        stats = [os.stat(f) for f in files]
    except OSError:
        return None
    return repr([sys.version, *((f, s.st_size, s.st_mtime_ns, s.st_ino) for f, s in zip(files, stats, strict=True))])


def _read_po(po: Traversable, code: str) -> Catalogue:
    """The catalogue as babel's `read_po` reads it."""
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle, locale=code, domain=DOMAIN)
    table = {m.id: m.string for m in catalog if m.id and isinstance(m.id, str) and isinstance(m.string, str)}
    forms = {
        m.id[0]: tuple(m.string)
        for m in catalog
        if isinstance(m.id, tuple) and isinstance(m.string, tuple) and all(m.string)
    }
    return Catalogue({k: v for k, v in table.items() if v}, forms, catalog.plural_expr)


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
    catalogue = _catalogue(code)
    return PluralForms(gettext.c2py(catalogue.plural), MappingProxyType(catalogue.forms))


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
