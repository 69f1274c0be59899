"""The commission's name in the genitive, for the protocol's title (issue 24): forms written out by hand."""

from __future__ import annotations

import pytest

from saylau.reports.grammar import genitive


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "Алматинская городская территориальная избирательная комиссия",
            "Алматинской городской территориальной избирательной комиссии",
        ),
        ("Центральная избирательная комиссия", "Центральной избирательной комиссии"),
        ("Окружная избирательная комиссия № 3", "Окружной избирательной комиссии № 3"),
        (
            "Территориальная избирательная комиссия города Алматы",
            "Территориальной избирательной комиссии города Алматы",
        ),
        ("Избирком", None),  # no «комиссия»: the rules do not guess
    ],
)
def test_russian(name: str, expected: str | None) -> None:
    assert genitive(name, "ru") == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Алматы қалалық аумақтық сайлау комиссиясы", "Алматы қалалық аумақтық сайлау комиссиясының"),
        ("Орталық сайлау комиссиясы", "Орталық сайлау комиссиясының"),
        ("Аумақтық комиссия", "Аумақтық комиссияның"),
        ("Алматы мәслихаты", "Алматы мәслихатының"),
        ("Учаскелік комиссия № 5", None),  # ends in a number: the rules do not guess
    ],
)
def test_kazakh(name: str, expected: str | None) -> None:
    assert genitive(name, "kk") == expected


def test_english_has_no_case() -> None:
    assert genitive("Almaty City Territorial Electoral Commission", "en") is None
