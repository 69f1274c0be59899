"""A list seat whose candidate the folder does not record is named by a catalogue msgid, not an English
sentence built in the core (issue 25, item 2): `Deputy.label` is a `Phrase` with its party, and every caller
(the reports, the vacancy minutes, the NIST export, the certify page) says it in the reader's language.

The expected words are written out by hand from the glossary: партиялық тізім / партийный список, орын / место.
"""

from __future__ import annotations

import copy
import json
import pickle
from datetime import date

import pytest

from saylau.composition import Deputy, SeatKind
from saylau.errors import Phrase
from saylau.io import load_election
from saylau.registration.vacancy import Filling, Term, VacancyOutcome
from saylau.reports.i18n import messages, recording_misses, words
from saylau.reports.nist import render_nist
from saylau.reports.phrases import deputy_label
from saylau.reports.text import render_text
from saylau.reports.vacancy import outcome_lines, term_lines
from saylau.result import Result, declare
from tests.real.test_real_elections import HERE as REAL

UNNAMED = Deputy(None, "ОТАН", SeatKind.LIST)
NAMED = Deputy("Айгүл Сейітова", "ОТАН", SeatKind.LIST, list_position=1)
SAID = {
    "en": "ОТАН list seat (candidate not recorded)",
    "kk": "ОТАН партиялық тізімі бойынша орын (кандидат көрсетілмеген)",
    "ru": "место по партийному списку ОТАН (кандидат не указан)",
}


def test_the_label_is_a_phrase_that_reads_as_its_english_sentence() -> None:
    label = UNNAMED.label
    assert isinstance(label, Phrase)
    assert label == SAID["en"]
    assert label.template == "{party} list seat (candidate not recorded)" and label.values == {"party": "ОТАН"}
    for kept in (copy.deepcopy(label), pickle.loads(pickle.dumps(label))):  # a result copied keeps the msgid
        assert isinstance(kept, Phrase) and kept.values == {"party": "ОТАН"}
    assert NAMED.label == "Айгүл Сейітова" and not isinstance(NAMED.label, Phrase)


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
def test_the_label_is_said_in_the_readers_language(lang: str) -> None:
    w = words(lang)
    assert deputy_label(UNNAMED, w) == SAID[lang]
    assert deputy_label(NAMED, w) == "Айгүл Сейітова"  # a name is the folder's, never translated
    party = {"en": "Nur Otan", "kk": "Нұр Отан", "ru": "Нур Отан"}[lang]
    assert deputy_label(UNNAMED, w, party) == SAID[lang].replace("ОТАН", party)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_vacancy_minutes_say_the_label_in_kk_and_ru(lang: str) -> None:
    w = words(lang)
    now = Term(sitting=(NAMED,), left=frozenset(), open_seats=(UNNAMED,))
    with recording_misses() as misses:
        lines = term_lines(now, (), w)
        leaving = outcome_lines(VacancyOutcome(UNNAMED, date(2024, 5, 2), Filling.LIST_EXHAUSTED, None), w)
    assert misses == set()
    assert SAID[lang] in lines[-1] and SAID[lang] in leaving[0]
    assert "list seat" not in "\n".join(lines + leaving)


@pytest.fixture(scope="module")
def drenthe() -> Result:
    """Drenthe 2023: the lists of 18 of its 43 members were not available offline, so their seats are unnamed."""
    return declare(load_election(REAL / "drenthe-2023"))


def test_a_report_names_an_unrecorded_seat_in_kk_and_ru(drenthe: Result) -> None:
    unnamed = [d for d in drenthe.composition.deputies if d.name is None]
    assert len(unnamed) == 18 and all(isinstance(d.label, Phrase) for d in unnamed)
    english = render_text(drenthe, lang="en", width=160)
    kazakh = render_text(drenthe, lang="kk", width=160)
    russian = render_text(drenthe, lang="ru", width=160)
    assert "list seat (candidate not recorded)" in english
    assert "партиялық тізімі бойынша орын (кандидат көрсетілмеген)" in kazakh
    assert "место по партийному списку" in russian and "(кандидат не указан)" in russian
    assert "candidate not recorded" not in kazakh + russian


def test_the_nist_export_gives_an_unrecorded_seat_in_kk_and_ru_beside_the_english(drenthe: Result) -> None:
    report = json.loads(render_nist(drenthe))
    names = [
        {s["Language"]: s["Content"] for s in c["BallotName"]["Text"]}
        for c in report["Election"][0]["Candidate"]
        if "candidate not recorded" in json.dumps(c["BallotName"], ensure_ascii=False)
    ]
    assert len(names) == 18
    party = names[0]["en"].split(" list seat")[0]
    assert names[0] == {
        "en": f"{party} list seat (candidate not recorded)",
        "kk": f"{party} партиялық тізімі бойынша орын (кандидат көрсетілмеген)",
        "ru": f"место по партийному списку {party} (кандидат не указан)",
    }


def test_a_results_bundle_is_one_term_in_russian_and_in_kazakh() -> None:
    """«Пакет итогов», as the glossary's «итоги выборов» and the law's «протокол об итогах голосования»: the
    Russian catalogue said «пакет результатов» in the service's refusals and «пакет итогов» on its pages; the
    Kazakh said «нәтижелер жинағы» on the pages, «топтама» or «пакет» in the refusals."""
    russian, kazakh = messages("ru"), messages("kk")
    bundles = [msgid for msgid in russian if "bundle" in msgid.lower() and "bundled" not in msgid.lower()]
    assert len(bundles) >= 20
    for msgid in bundles:
        assert "пакет" in russian[msgid].lower(), msgid
        assert "жина" in kazakh[msgid].lower() and "топтама" not in kazakh[msgid], msgid
    named = [msgid for msgid in bundles if "results bundle" in msgid.lower()]
    assert len(named) >= 10 and all("итогов" in russian[msgid] for msgid in named)
    assert [text for text in russian.values() if "результатов" in text and "пакет" in text.lower()] == []
