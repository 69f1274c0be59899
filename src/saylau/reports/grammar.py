"""Cases the grammar needs where a name is used inside a sentence: the commission in the protocol's title.

A commission's name is registered in the nominative ("Алматинская городская территориальная избирательная
комиссия", "Алматы қалалық аумақтық сайлау комиссиясы"); a protocol *of* the commission puts it in the
genitive. Russian: the feminine adjectives before «комиссия» take -ой/-ей and «комиссия» becomes «комиссии»
(what follows, «города Алматы», is already genitive). Kazakh: the last word takes the genitive ending by vowel
harmony and its last sound (-ның/-нің after a vowel or м н ң, -дың/-дің after other voiced consonants, -тың/-тің
after the voiceless). A name that does not have the pattern (no «комиссия») is returned as None, and the caller
keeps the nominative in a form that needs no case ("ПРОТОКОЛ. Комиссия: ...").
"""

from __future__ import annotations

import re

_BACK = set("аоұыуяёэю")
_FRONT = set("әөүіеиє")
_VOICED = set("жзлрйбвгд")
_NASAL_OR_VOWEL = set("мнң") | _BACK | _FRONT
_RU_ADJECTIVE = re.compile(r"^(.+?)(ая|яя)$")


def genitive(name: str, lang: str) -> str | None:
    """`name` (a commission's, in the nominative) in the genitive of `lang` (ru, kk); None where unknown."""
    if lang == "ru":
        return _russian(name)
    if lang == "kk":
        return _kazakh(name)
    return None


def _russian(name: str) -> str | None:
    words = name.split(" ")
    index = next((i for i, word in enumerate(words) if word.lower() == "комиссия"), None)
    if index is None:
        return None
    out = []
    for word in words[:index]:
        found = _RU_ADJECTIVE.match(word)
        if found is None:
            return None  # not a feminine adjective: a pattern these rules do not know
        out.append(found.group(1) + ("ой" if found.group(2) == "ая" else "ей"))
    out.append(words[index][:-1] + "и")  # комиссия -> комиссии (keeps the capital letter)
    return " ".join(out + words[index + 1 :])


def _kazakh(name: str) -> str | None:
    if not name or not name[-1].isalpha():
        return None
    last = name[-1].lower()
    vowels = [c for c in name.lower() if c in _BACK or c in _FRONT]
    if not vowels:
        return None
    front = vowels[-1] in _FRONT
    if last in _NASAL_OR_VOWEL:
        ending = "нің" if front else "ның"
    elif last in _VOICED:
        ending = "дің" if front else "дың"
    else:
        ending = "тің" if front else "тың"
    return name + ending
