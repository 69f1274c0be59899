"""The steps of lists that run out and seats left vacant are counted sentences in en, kk and ru (issue 25):
no "seat(s)" or "name(s)", and no "label: N" in Kazakh and Russian, but the form each language puts after the
number (1 место, 2 места, 5 мест, 21 место; остался 1 кандидат, осталось 5 кандидатов; Kazakh keeps the noun
singular after a number, 21 орын). Every expected sentence is written out by hand.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from saylau.composition.result import Step, StepKind
from saylau.reports.i18n import plural_forms, recording_misses, words
from saylau.reports.tiers import EXHAUSTED, sentence


def _step(kind: StepKind, seats: int, names: int | None = None, detail: str = "", where: str = "") -> Step:
    place = {"constituency": where} if where else {}
    other = Fraction(names) if names is not None else None
    return Step(kind, party="A" if kind is not StepKind.NOT_HELD else None, value=Fraction(seats), other=other,
                detail=detail, **place)  # fmt: skip


def _said(step: Step, lang: str) -> str:
    with recording_misses() as misses:
        text = sentence(step, words(lang))
    assert misses == set()
    return text


RU_VACANT = {
    1: "A: в списке остался 1 кандидат; 1 место сверх них остаётся вакантным",
    2: "A: в списке осталось 2 кандидата; 2 места сверх них остаются вакантными",
    5: "A: в списке осталось 5 кандидатов; 5 мест сверх них остаются вакантными",
    11: "A: в списке осталось 11 кандидатов; 11 мест сверх них остаются вакантными",
    21: "A: в списке остался 21 кандидат; 21 место сверх них остаётся вакантным",
    22: "A: в списке осталось 22 кандидата; 22 места сверх них остаются вакантными",
}


@pytest.mark.parametrize("n", sorted(RU_VACANT))
def test_a_list_run_out_counts_its_names_and_its_seats_in_each_language(n: int) -> None:
    step = _step(StepKind.LIST_EXHAUSTED, n, names=n, detail="vacant")
    assert _said(step, "ru") == RU_VACANT[n]
    assert _said(step, "kk") == f"A: тізімде {n} кандидат қалды; одан тыс {n} орын бос қалады"
    one = n == 1
    assert _said(step, "en") == (
        f"A: its list has {n} name{'' if one else 's'} left; "
        f"{n} seat{'' if one else 's'} beyond them {'stays' if one else 'stay'} vacant"
    )


def test_the_names_and_the_seats_of_a_list_run_out_are_counted_apart() -> None:
    step = _step(StepKind.LIST_EXHAUSTED, 5, names=1, detail="recompute")
    assert (
        _said(step, "ru")
        == "A: в списке остался 1 кандидат; 5 мест сверх них распределены заново между другими списками"
    )
    assert _said(step, "en") == "A: its list has 1 name left; 5 seats beyond them shared again among the other lists"
    step = _step(StepKind.LIST_EXHAUSTED, 1, names=0, detail="pass-on")
    assert _said(step, "ru") == "A: в списке осталось 0 кандидатов; 1 место сверх них передано следующим спискам"
    assert _said(step, "kk") == "A: тізімде 0 кандидат қалды; одан тыс 1 орын келесі тізімдерге берілді"
    step = _step(StepKind.LIST_EXHAUSTED, 2, names=1, detail="individual")
    assert _said(step, "ru") == "A: независимый кандидат избирается один раз; ещё 2 места переданы другим"
    assert _said(step, "en") == "A: an individual candidate is elected once; 2 seats more go to the others"


@pytest.mark.parametrize(
    ("n", "ru", "kk"),
    [
        (1, "{where}: 1 окружное место не замещено и остаётся вакантным", "1"),
        (3, "{where}: 3 окружных места не замещены и остаются вакантными", "3"),
        (5, "{where}: 5 окружных мест не замещены и остаются вакантными", "5"),
        (21, "{where}: 21 окружное место не замещено и остаётся вакантным", "21"),
        (1000, "{where}: 1\xa0000 окружных мест не замещены и остаются вакантными", "1\xa0000"),
    ],
)
def test_district_seats_not_held(n: int, ru: str, kk: str) -> None:
    step = _step(StepKind.NOT_HELD, n, where="Almaty")
    assert _said(step, "ru") == ru.format(where="Almaty")
    assert _said(step, "kk") == f"Almaty: бір мандатты округтер бойынша {kk} орын толтырылмады, бос"
    english = f"{n:,} district seat{'' if n == 1 else 's'} not filled, vacant"
    assert _said(step, "en") == f"Almaty: {english}"


@pytest.mark.parametrize(
    ("n", "ru"),
    [
        (1, "1 место по партийным спискам вакантно, списки исчерпаны"),
        (2, "2 места по партийным спискам вакантны, списки исчерпаны"),
        (5, "5 мест по партийным спискам вакантны, списки исчерпаны"),
        (21, "21 место по партийным спискам вакантно, списки исчерпаны"),
        (42, "42 места по партийным спискам вакантны, списки исчерпаны"),
    ],
)
def test_list_seats_vacant_in_the_whole_election_and_in_a_constituency(n: int, ru: str) -> None:
    assert _said(_step(StepKind.LIST_SEATS_VACANT, n), "ru") == ru
    assert _said(_step(StepKind.LIST_SEATS_VACANT, n, where="North"), "ru") == f"North: {ru}"
    kk = f"Партиялық тізімдер бойынша {n} орын бос, тізімдер таусылды"
    assert _said(_step(StepKind.LIST_SEATS_VACANT, n), "kk") == kk
    assert _said(_step(StepKind.LIST_SEATS_VACANT, n, where="North"), "kk") == f"North: {kk[0].lower()}{kk[1:]}"
    plural = "seat" if n == 1 else "seats"
    assert _said(_step(StepKind.LIST_SEATS_VACANT, n), "en") == f"{n} list {plural} vacant, the lists used up"


@pytest.mark.parametrize(
    ("n", "ru"),
    [
        (1, "A: 1 окружное место замещено на дополнительных выборах после распределения мест по партийным спискам"),
        (4, "A: 4 окружных места замещены на дополнительных выборах после распределения мест по партийным спискам"),
        (12, "A: 12 окружных мест замещены на дополнительных выборах после распределения мест по партийным спискам"),
    ],
)
def test_district_seats_filled_later(n: int, ru: str) -> None:
    step = _step(StepKind.FILLED_LATER, n)
    assert _said(step, "ru") == ru
    assert _said(step, "en").startswith(f"A: {n} district seat{'' if n == 1 else 's'} filled by a by-election")


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_way_a_list_runs_out_has_every_form_in_the_catalogue(lang: str) -> None:
    forms = plural_forms(lang).forms
    for singular, _ in EXHAUSTED.values():
        assert len(forms[singular]) == (3 if lang == "ru" else 2), singular
    assert len(forms["{n} name left"]) == (3 if lang == "ru" else 2)


def test_a_share_the_districts_won_the_overhang_and_preference_votes_are_counted() -> None:
    entitled = Step(StepKind.ENTITLEMENT, party="A", value=Fraction(21), other=Fraction(5))
    assert _said(entitled, "ru") == "A: пропорциональная доля — 21 место, в округах получено 5 мест"
    assert _said(entitled, "kk") == "A: пропорционалды үлес — 21 орын, округтерде 5 орын жеңіп алды"
    assert _said(entitled, "en") == "A: proportional share 21 seats, 5 won in districts"
    fraction = Step(StepKind.ENTITLEMENT, party="A", value=Fraction(5, 2), other=Fraction(22))
    assert _said(fraction, "ru") == "A: пропорциональная доля — 2,50 места, в округах получено 22 места"
    overhang = Step(StepKind.OVERHANG, party="A", value=Fraction(3), other=Fraction(5))
    assert _said(overhang, "ru") == "A: выиграно 5 округов при доле 3: 2 избыточных места"
    assert _said(overhang, "kk") == "A: 3 үлеске қарамастан 5 округте жеңді: 2 артық орын"
    assert _said(overhang, "en") == "A: won 5 districts against a share of 3: overhang of 2 seats"
    one = Step(StepKind.OVERHANG, party="A", value=Fraction(20), other=Fraction(21))
    assert _said(one, "ru") == "A: выигран 21 округ при доле 20: 1 избыточное место"
    voted = Step(StepKind.PREFERENCE, party="A", value=Fraction(21), other=Fraction(20), detail="Aida")
    assert _said(voted, "ru") == "Aida (A) избран(а), получив 21 преференциальный голос при пороге 20"
    assert _said(voted, "kk") == "Aida (A) 21 преференциялық дауыспен сайланды, шегі 20"
    assert _said(voted, "en") == "Aida (A) elected by 21 preference votes, the threshold 20"
