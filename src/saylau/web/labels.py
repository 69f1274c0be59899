"""The pages' words in Kazakh, Russian and English: the protocol's lines, the checks, the buttons.

Every word comes from the catalogues (`saylau/locale`), as the reports' do; a page names some by a key
(`saylau.reports.staff.KEYED`), the rest by their English msgid. Terms follow shared/spec/glossary.md; a
native speaker should review the Kazakh and Russian before an election uses them. A missing word falls back
to English.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from saylau.reports.checks import clerk
from saylau.reports.i18n import messages, translator
from saylau.reports.i18n import words as catalogue_words
from saylau.reports.staff import KEYED, PAGE
from saylau.tabulation.checks import Code

LANGUAGES = ("en", "kk", "ru")
CHECK_CODE = re.compile(r"^[A-Z]{1,2}[0-9]{3}$")
"""A check's code (P001, W004): shown beside its words; the API's other codes (`login-failed`) are for programs."""


class Said(dict[str, str]):
    """The words of one page's language: the keyed words, then the catalogues (`saylau/locale`) for any other
    msgid a template asks for (`w["Registration"]`, `w["role|operator"]`), in the context `page|` first where
    the catalogues have it there; `n` says a counted phrase."""

    def __init__(self, table: Mapping[str, str], lang: str) -> None:
        super().__init__(table)
        self.lang = lang

    def __missing__(self, key: str) -> str:
        own = PAGE + key  # the pages' own wording where the reports say the same English otherwise
        return translator(self.lang)(own if own in messages(self.lang) else key)

    def field(self, name: str) -> str:
        """A refusal's field as the page names it: a protocol line's words, an option's name, else the catalogue's
        `field|name` (`password`), else the name itself."""
        if name in self:
            return self[name]
        if name.startswith(("votes.", "vote:", "votes:")):
            return name.split(".", 1)[-1].split(":", 1)[-1]
        return translator(self.lang)(f"field|{name}")

    def n(self, singular: str, plural: str, count: int, **figures: object) -> str:
        """A counted phrase in the page's language (gettext's ngettext), `{n}` the count as the locale writes it."""
        return catalogue_words(self.lang).n(singular, plural, count, **figures)

    def integer(self, value: int | None) -> str:
        """A figure as the page's language groups it (151,531; 151 531), as the public pages print it."""
        return catalogue_words(self.lang).fmt.integer(value)


def words(lang: str) -> Said:
    """Every word in `lang` (English where a translation is missing), for the templates: the keyed words
    (`saylau.reports.staff.KEYED`) and the checks' by code; any other msgid when asked for."""
    translate = translator(lang)
    found = {key: translate(msgid) for key, msgid in KEYED.items()}
    return Said(found | {code.value: clerk(code, lang) for code in Code}, lang)


def language(requested: str | None) -> str:
    """The language to show: the one asked for if known, else English."""
    return requested if requested in LANGUAGES else "en"
