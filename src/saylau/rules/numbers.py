"""Exact numbers in rule configuration: a percentage written in TOML becomes a Fraction, never a float."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer


def _to_fraction(value: Any) -> Any:
    """Accept "5", 5, 5.0 written in TOML, "33.3" or "1/3": exact, as the seat arithmetic needs."""
    if isinstance(value, Fraction) or value is None:
        return value
    if isinstance(value, bool):
        raise ValueError("expected a number")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(Decimal(repr(value)))
    if isinstance(value, str):
        try:
            return Fraction(Decimal(value.strip().rstrip("%"))) if "/" not in value else Fraction(value)
        except (InvalidOperation, ValueError, ZeroDivisionError):
            raise ValueError(f"not a number: {value!r}") from None
    raise ValueError("expected a number")


ExactNumber = Annotated[
    Fraction,
    BeforeValidator(_to_fraction),
    PlainSerializer(lambda f: str(f), return_type=str),
]
