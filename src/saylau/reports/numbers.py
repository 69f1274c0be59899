"""How exact figures are shown: rounded half-up only at the last moment, as commissions publish them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


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
