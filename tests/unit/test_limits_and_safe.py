"""The bounded number reader (saylau.limits) and the output escapes (saylau.reports.safe), on their own."""

from __future__ import annotations

from fractions import Fraction

import pytest

from saylau.limits import MAX_COUNT, NumberError, parse_fraction, parse_whole
from saylau.reports.safe import SafeConsole, csv_cell, markdown, terminal


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("25.15", Fraction(2515, 100)),
        ("-1.5", Fraction(-3, 2)),
        ("1/3", Fraction(1, 3)),
        (" 2 / 3 ", Fraction(2, 3)),
        ("2.5e-1", Fraction(1, 4)),
        ("1E3", Fraction(1000)),
        (".5", Fraction(1, 2)),
        ("5.", Fraction(5)),
        ("0.1", Fraction(1, 10)),  # exact, not the float 0.1000000000000000055...
    ],
)
def test_numbers_are_read_exactly(text: str, value: Fraction) -> None:
    assert parse_fraction(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "1e999999999",
        "1e-999999999",
        "1e31",
        "1" * 31,
        "0." + "1" * 31,
        "1/0",
        "",
        ".",
        "e5",
        "１２",
        "٣",
        "inf",
        "nan",
        "0x10",
    ],
)
def test_unbounded_or_foreign_numbers_are_refused(text: str) -> None:
    with pytest.raises(NumberError):
        parse_fraction(text)


def test_whole_numbers_take_separators_and_stop_at_the_limit() -> None:
    assert parse_whole("1,201,869") == 1_201_869
    assert parse_whole("1 000") == 1000
    assert parse_whole("-5") == -5
    assert parse_whole(str(MAX_COUNT)) == MAX_COUNT
    assert parse_whole("007") == 7
    assert parse_whole("99", maximum=99) == 99
    with pytest.raises(NumberError, match="above the limit of 99"):
        parse_whole("100", maximum=99)
    with pytest.raises(NumberError, match="above the limit"):
        parse_whole("0" * 17 + "99", maximum=98)  # longer than the quick path takes: the careful one decides
    for text in (str(MAX_COUNT + 1), "9" * 5000, "١٢٣", "１２３", "12.0", "1e3", "", "+"):
        with pytest.raises(NumberError):
            parse_whole(text)


def test_terminal_shows_control_characters_as_escapes() -> None:
    assert terminal("A\x1b[31mB\x07\u202eC\x9b") == "A\\x1b[31mB\\x07\\u202eC\\x9b"
    assert terminal("Аким Турсунов [bold]") == "Аким Турсунов [bold]"


def test_the_safe_console_prints_markup_as_text() -> None:
    console = SafeConsole(width=80, color_system=None)
    with console.capture() as captured:
        console.print("[/] [bold red]X[/bold red] :smile: \x1b[2J")
    assert captured.get().strip() == "[/] [bold red]X[/bold red] :smile: \\x1b[2J"


@pytest.mark.parametrize("cell", ["=1+2", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("u","t")'])
def test_formula_cells_get_an_apostrophe(cell: str) -> None:
    assert csv_cell(cell) == "'" + cell


def test_plain_cells_and_numbers_stay_as_they_are() -> None:
    assert csv_cell("Amanat") == "Amanat"
    assert csv_cell(-3) == -3
    assert csv_cell("a=b") == "a=b"


def test_markdown_escapes_html_and_table_syntax() -> None:
    assert markdown("<script>x</script> | [a](b) *c* & `d` _e_ ~~f~~ $g$") == (
        "&lt;script&gt;x&lt;/script&gt; \\| \\[a\\](b) \\*c\\* &amp; \\`d\\` \\_e\\_ \\~\\~f\\~\\~ \\$g\\$"
    )
