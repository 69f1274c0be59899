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

from collections.abc import Callable, Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType

from babel.messages.pofile import read_po

from saylau.errors import InputError, Problem

DOMAIN = "saylau"
LANGUAGES = ("en", "kk", "ru")
"""The languages with a catalogue; the first is the source language."""


def _normalise(lang: str) -> str:
    """ "ru", "ru_RU", "ru-RU.UTF-8", "KK" -> the catalogue's code; unknown codes are an input error."""
    code = lang.strip().replace("-", "_").split(".")[0].split("_")[0].lower()
    if code not in LANGUAGES:
        raise InputError(
            [Problem(f"unknown language {lang!r} (one of: {', '.join(LANGUAGES)})", field="lang", code="lang")]
        )
    return code


@cache
def messages(lang: str) -> Mapping[str, str]:
    """The catalogue of `lang` as msgid -> translation, translated entries only (read once, then cached)."""
    code = _normalise(lang)
    path = resources.files("saylau").joinpath("locale", code, "LC_MESSAGES", f"{DOMAIN}.po")
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=code, domain=DOMAIN)
    table = {m.id: m.string for m in catalog if m.id and isinstance(m.id, str) and isinstance(m.string, str)}
    return MappingProxyType({k: v for k, v in table.items() if v})


def translator(lang: str) -> Callable[[str], str]:
    """A `_`-style function for one language: the label's translation, or the label itself if there is none.

    Raises InputError for a language saylau has no catalogue for, so a typo in `--lang` is not silently
    rendered in English.
    """
    table = messages(_normalise(lang))

    def translate(label: str) -> str:
        return table.get(label, label)

    return translate
