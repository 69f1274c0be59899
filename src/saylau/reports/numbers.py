"""How exact figures are shown: rounded half-up only at the last moment, as commissions publish them."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

# babel is imported where a figure needs it: English counts, decimals and percentages are written without it
# (the same bytes, see tests/unit/test_i18n.py), so `saylau allocate` in English never loads its CLDR data.


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def rounded(value: Fraction, places: int = 2) -> Decimal:
    """An exact fraction rounded half-up to `places` decimals (51.937... -> 51.94)."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def as_float(value: Fraction | None, places: int = 2) -> float | None:
    """A rounded figure for JSON, where consumers expect numbers; None stays None."""
    return None if value is None else float(rounded(value, places))


def percent(value: Fraction | None, places: int = 2) -> str:
    """A percentage for tables: 51.94%, or an em dash when unknown."""
    return "—" if value is None else f"{rounded(value, places)}%"


def signed(value: Fraction | int | None, places: int = 2, new: str = "New") -> str:
    """A change with its sign (+5.91, -16.17, +0, -4), or `new` where there is no previous figure."""
    if value is None:
        return new
    if isinstance(value, int):
        return f"{value:+d}"
    shown = rounded(value, places)
    return f"+{shown}" if shown >= 0 else f"{shown}"


@functools.cache
def _group_symbol(lang: str) -> str | None:
    """The separator of `lang`'s thousands where babel writes a count as Python's `{:,}` does with it for the
    comma (kk, ru: a no-break space), asked of babel once per language; None where it does not (every count is
    then babel's own). Formatting each count through babel took a fifth of a published version's time."""
    from babel.numbers import format_decimal, get_group_symbol

    symbol = get_group_symbol(locale=lang)
    probes = (0, 7, -7, 999, 1000, -1000, 12345, 1234567, 10**12 + 1)
    return symbol if all(format_decimal(n, locale=lang) == f"{n:,}".replace(",", symbol) for n in probes) else None


@dataclass(frozen=True, slots=True)
class Formats:
    """Numbers, percentages and dates as a reader of `lang` writes them (Babel's CLDR data).

    English `151,531` and `51.94%`; Russian `151 531` and `51,94 %`; Kazakh `151 531` and `51,94%`. Exact
    figures are rounded half-up first (`rounded`), so every language shows the same digits.
    """

    lang: str = "en"

    def integer(self, value: int | None) -> str:
        """A count with the locale's grouping; an em dash when unknown."""
        if value is None:
            return "—"
        if self.lang == "en":
            return f"{value:,}"
        symbol = _group_symbol(self.lang)
        if symbol is not None:  # babel's bytes without babel's per-call work (a published version writes 10^5)
            return f"{value:,}".replace(",", symbol)
        from babel.numbers import format_decimal

        return format_decimal(value, locale=self.lang)

    def decimal(self, value: Fraction | Decimal | int | float, places: int = 2) -> str:
        """A decimal with exactly `places` digits after the locale's decimal sign."""
        shown = rounded(Fraction(value), places) if not isinstance(value, Decimal) else value
        if self.lang == "en" and shown >= 0 and shown.as_tuple().exponent == -places:
            return f"{shown:,}"
        from babel.numbers import format_decimal

        return format_decimal(shown, format="#,##0." + "0" * places if places else "#,##0", locale=self.lang)

    def percent(self, value: Fraction | None, places: int = 2) -> str:
        """A percentage (the value is already in percent): 51.94%, 51,94 %; an em dash when unknown."""
        if value is None:
            return "—"
        shown = rounded(value, places)
        if self.lang == "en" and shown >= 0:
            return f"{shown:,}%"
        from babel import Locale
        from babel.numbers import format_percent

        pattern = Locale.parse(self.lang).percent_formats[None].pattern
        digits = "#,##0." + "0" * places if places else "#,##0"
        return format_percent(shown / 100, format=pattern.replace("#,##0", digits), locale=self.lang)

    def signed(self, value: Fraction | int, places: int = 2) -> str:
        """A change with its sign: +5, −4, +5.91 (locale decimal sign)."""
        if isinstance(value, int):
            return f"{value:+d}"
        shown = rounded(value, places)
        body = self.decimal(abs(shown), places)
        return ("+" if shown >= 0 else "-") + body

    def date(self, value: date | None) -> str:
        """A date in the locale's long form: 19 March 2023, 19 марта 2023 г., 2023 ж. 19 наурыз."""
        if value is None:
            return "—"
        if self.lang == "en":  # CLDR's English long date, "MMMM d, y"
            return f"{_MONTHS[value.month - 1]} {value.day}, {value.year}"
        from babel.dates import format_date

        return format_date(value, format="long", locale=self.lang)
