"""Every counted phrase in Russian and Kazakh with 1, 2, 5, 21, 22 and 42 (gettext plural forms, issue 24).

Russian puts a noun after a number in one of three forms (1 место, 2 места, 5 мест; 21 место, 22 места,
42 места) and, after «из», in the genitive (из 21 места, из 42 мест); Kazakh keeps the noun singular after
any number (42 орын, never *42 орындар). The rule below is written from the grammar, not read from the
catalogue, and the expected phrases are written out by hand.
"""

from __future__ import annotations

import ast
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from saylau.reports import counted
from saylau.reports.i18n import words

NUMBERS = (1, 2, 5, 21, 22, 42)
PLACEHOLDERS = (
    "total", "part", "name", "parts", "tier", "where", "tied", "names", "stage", "value", "rule", "seed", "verdict",
    "decided", "method", "constituency", "party", "quota", "share", "extra", "legal", "cover", "average", "percent",
    "low", "stations", "covered", "station", "ballot", "state", "contest", "date", "kind", "limit", "counted",
    "groups", "need", "start", "end", "district", "commission", "folder", "path", "args", "list", "districts",
    "seats", "files", "place", "candidate", "threshold", "won", "overhang", "seat", "parent",
)  # fmt: skip
"""Every placeholder a counted phrase has besides {n}, filled with a marker."""
SRC = Path(__file__).resolve().parents[2] / "src" / "saylau"


def russian_form(n: int) -> int:
    """0: 1, 21, 31 ... (not 11); 1: 2-4, 22-24 ... (not 12-14); 2: everything else."""
    if n % 10 == 1 and n % 100 != 11:
        return 0
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return 1
    return 2


EXPECTED = {
    "ru": {
        "seats": ["1 место", "2 места", "5 мест", "21 место", "22 места", "42 места"],
        "votes": ["1 голос", "2 голоса", "5 голосов", "21 голос", "22 голоса", "42 голоса"],
        "ballots": ["1 бюллетень", "2 бюллетеня", "5 бюллетеней", "21 бюллетень", "22 бюллетеня", "42 бюллетеня"],
        "of_seats": ["1 из 1 места", "1 из 2 мест", "1 из 5 мест", "1 из 21 места", "1 из 22 мест", "1 из 42 мест"],
        "of_stations": [
            "1 из 1 участка",
            "1 из 2 участков",
            "1 из 5 участков",
            "1 из 21 участка",
            "1 из 22 участков",
            "1 из 42 участков",
        ],
    },
    "kk": {
        "seats": ["1 орын", "2 орын", "5 орын", "21 орын", "22 орын", "42 орын"],
        "votes": ["1 дауыс", "2 дауыс", "5 дауыс", "21 дауыс", "22 дауыс", "42 дауыс"],
        "ballots": ["1 бюллетень", "2 бюллетень", "5 бюллетень", "21 бюллетень", "22 бюллетень", "42 бюллетень"],
        "of_seats": ["1 орынның 1", "2 орынның 1", "5 орынның 1", "21 орынның 1", "22 орынның 1", "42 орынның 1"],
        "of_stations": [
            "1 учаскенің 1",
            "2 учаскенің 1",
            "5 учаскенің 1",
            "21 учаскенің 1",
            "22 учаскенің 1",
            "42 учаскенің 1",
        ],
    },
}


def _say(kind: str, lang: str, n: int) -> str:
    w = words(lang)
    if kind.startswith("of_"):
        return getattr(counted, kind)(w, 1, n)  # type: ignore[no-any-return]
    return getattr(counted, kind)(w, n)  # type: ignore[no-any-return]


@pytest.mark.parametrize("lang", ["ru", "kk"])
@pytest.mark.parametrize("kind", ["seats", "votes", "ballots", "of_seats", "of_stations"])
def test_the_nouns_the_reports_count(lang: str, kind: str) -> None:
    assert [_say(kind, lang, n) for n in NUMBERS] == EXPECTED[lang][kind]


def test_the_issue_s_examples_now_read_right() -> None:
    """The issue found "22 мест для большинства из 42", "21 мест" and "267 002 голосов"."""
    ru = words("ru")
    assert ru.n("{n} seat for a majority of {total}", "{n} seats for a majority of {total}", 22, total=42) == (
        "22 места для большинства из 42"
    )
    assert counted.seats(ru, 21) == "21 место"
    assert counted.votes(ru, 267002) == "267\xa0002 голоса"
    assert counted.votes(ru, 151531) == "151\xa0531 голос"


def _catalogue(lang: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    path = resources.files("saylau").joinpath("locale", lang, "LC_MESSAGES", "saylau.po")
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    return {m.id[0]: (m.id[1], tuple(m.string)) for m in catalog if isinstance(m.id, tuple)}


def source_plurals() -> set[tuple[str, str]]:
    """Every (singular, plural) the source counts with: `w.n("...", "...", n)` and its local helpers."""
    found: set[tuple[str, str]] = set()
    for path in [*(SRC / "reports").glob("*.py"), *(SRC / "cli").glob("*.py"), *(SRC / "web").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or len(node.args) < 2:
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            first, second = node.args[0], node.args[1]
            if name in {"n", "counted"} and isinstance(first, ast.Constant) and isinstance(second, ast.Constant):
                found.add((str(first.value), str(second.value)))
    return found


def test_every_counted_phrase_of_the_source_has_its_forms() -> None:
    plurals = source_plurals()
    assert len(plurals) >= 20  # the extraction found the counted phrases, not nothing
    en, kk, ru = _catalogue("en"), _catalogue("kk"), _catalogue("ru")
    assert set(en) == set(kk) == set(ru)
    for singular, plural in plurals:
        assert en.get(singular, ("", ()))[0] == plural, singular
        assert len(ru[singular][1]) == 3 and all(ru[singular][1]), singular
        assert len(kk[singular][1]) == 2 and all(kk[singular][1]), singular


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_counted_phrase_with_1_2_5_21_22_42(lang: str) -> None:
    """Each phrase says the number and takes the form the grammar wants: Russian by the rule above, Kazakh
    always the one form (the noun stays singular after a number)."""
    w = words(lang)
    catalogue = _catalogue(lang)
    for singular, (plural, _) in sorted(_catalogue("en").items()):  # every counted phrase, used or not
        forms = catalogue[singular][1]
        if lang == "kk":
            assert forms[0] == forms[1], singular
        for n in NUMBERS:
            figures = {key: f"<{key}>" for key in PLACEHOLDERS}
            said = w.n(singular, plural, n, **figures)
            index = russian_form(n) if lang == "ru" else 0
            assert said == forms[index].format(n=str(n), **figures), (singular, n)
            assert str(n) in said and "{" not in said
