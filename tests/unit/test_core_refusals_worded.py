"""The core's refusals are data said by the adapters in kk, ru and en (issue 25, "Checks as data": the words come
from the catalogues): the batch's input checks, a threshold out of range, seats the caps leave unfillable, a
failing row of a batch. Each is said here through `error_lines`, the one function the CLI's `error:` lines and
the service's 422 answers use, with its figures in place; the counted one in each of Russian's three forms."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from saylau.apportionment import Contestant, Method, Threshold, allocate
from saylau.apportionment.fast.batch import allocate_batch
from saylau.apportionment.ties import TieRule
from saylau.errors import InputError, RuleError, SaylauError
from saylau.reports.problems import error_lines


def refusal(call: object) -> SaylauError:
    assert callable(call)
    with pytest.raises(SaylauError) as caught:
        call()
    return caught.value


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            [
                "[seats]: seats must be from 1 to 10,000, got 0",
                "[min_admitted]: min_admitted must not be negative, got -3",
                "[seed]: a batch with tie rule 'lot' needs a seed, so that it can be replayed",
            ],
        ),
        (
            "ru",
            [
                "[seats]: число мест должно быть от 1 до 10\u00a0000, указано 0",
                "[min_admitted]: значение min_admitted не может быть отрицательным, указано -3",
                "[seed]: для пакета с правилом равенства голосов 'lot' (жеребьёвка) нужен seed, чтобы расчёт можно "
                "было повторить",
            ],
        ),
        (
            "kk",
            [
                "[seats]: орын саны [1; 10\u00a0000] аралығында болуы керек, берілгені: 0",
                "[min_admitted]: min_admitted теріс болмауы керек, берілгені: -3",
                "[seed]: тең дауыс ережесі 'lot' (жеребе тастау) болған топтамаға seed керек: есептеу "
                "қайталанатындай болуы үшін",
            ],
        ),
    ],
)
def test_the_batch_terms_are_said_in_the_readers_language(lang: str, expected: list[str]) -> None:
    """Every problem at once, `allocate`'s own words for the checks they share; the most seats grouped as the
    reader writes a number (a no-break space in Kazakh and Russian)."""
    error = refusal(lambda: allocate_batch([[10, 5]], 0, min_admitted=-3, tie=TieRule.LOT))
    assert isinstance(error, InputError)
    assert error_lines(error, lang) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "[against_all]: against_all must hold one non-negative count per election (2 in all)"),
        (
            "ru",
            "[against_all]: against_all должен содержать по одному неотрицательному числу на каждые выборы (всего 2)",
        ),
        ("kk", "[against_all]: against_all әр сайлауға бір теріс емес саннан тұруы керек (барлығы 2)"),
    ],
)
def test_a_batch_column_of_the_wrong_length(lang: str, expected: str) -> None:
    error = refusal(lambda: allocate_batch([[10, 5], [3, 4]], 2, against_all=[1, 2, 3]))
    assert error_lines(error, lang) == [expected]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "[votes]: votes must be whole numbers, not float64"),
        ("ru", "[votes]: votes должен содержать целые числа, а не float64"),
        ("kk", "[votes]: votes float64 емес, бүтін сандар болуы керек"),
    ],
)
def test_batch_votes_that_are_not_whole_numbers(lang: str, expected: str) -> None:
    error = refusal(lambda: allocate_batch(np.array([[1.5, 2.0]]), 1))
    assert error_lines(error, lang) == [expected]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "[threshold]: threshold 150% is not between 0 and 100"),
        ("ru", "[threshold]: проходной барьер 150% не в пределах от 0 до 100"),
        ("kk", "[threshold]: 150% өту шегі 0 мен 100 аралығында емес"),
    ],
)
def test_a_threshold_out_of_range(lang: str, expected: str) -> None:
    error = refusal(lambda: Threshold(percent=Fraction(150)))
    assert error_lines(error, lang) == [expected]


@pytest.mark.parametrize(
    ("left", "ru", "kk"),
    [
        (1, "1 место не может быть замещено", "1 орынды толтыру мүмкін емес"),
        (2, "2 места не могут быть замещены", "2 орынды толтыру мүмкін емес"),
        (5, "5 мест не могут быть замещены", "5 орынды толтыру мүмкін емес"),
    ],
)
def test_seats_the_caps_leave_unfillable_are_counted(left: int, ru: str, kk: str) -> None:
    """Two lists capped at 1 seat each share 2 + `left` seats: `left` seats have nobody left to take them."""
    capped = [Contestant("A", 600, max_seats=1), Contestant("B", 400, max_seats=1)]
    for method in (Method.DHONDT, Method.HARE):  # the divisor and the quota procedure refuse alike
        error = refusal(lambda m=method: allocate(capped, 2 + left, m))
        assert isinstance(error, RuleError)
        (said_ru,) = error_lines(error, "ru")
        assert said_ru == f"{ru}: во всех допущенных к распределению списках не осталось кандидатов"
        (said_kk,) = error_lines(error, "kk")
        assert said_kk == f"{kk}: бөлуге жіберілген барлық тізімдерде кандидат қалмады"
        seats = "seat cannot" if left == 1 else "seats cannot"
        assert error_lines(error, "en") == [f"{left} {seats} be filled: every admitted list has run out of candidates"]


def test_a_refusal_keeps_its_words_when_copied_or_pickled() -> None:
    """A problem handed between processes, or copied, is still said in kk and ru (its Phrase kept whole)."""
    import copy
    import pickle

    capped = [Contestant("A", 600, max_seats=1), Contestant("B", 400, max_seats=1)]
    error = refusal(lambda: allocate(capped, 4, Method.DHONDT))
    for again in (pickle.loads(pickle.dumps(error)), copy.deepcopy(error)):
        assert error_lines(again, "ru") == error_lines(error, "ru")
        assert error_lines(again, "ru")[0].startswith("2 места не могут быть замещены")
