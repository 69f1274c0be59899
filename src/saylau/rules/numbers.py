"""Exact numbers in rule configuration: a percentage written in TOML becomes a Fraction, never a float."""

from __future__ import annotations

from fractions import Fraction
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer

from saylau.errors import Phrase, phrase_of
from saylau.limits import NumberError, parse_fraction


def _to_fraction(value: Any) -> Any:
    """Accept "5", 5, 5.0 written in TOML, "33.3" or "1/3": exact, as the seat arithmetic needs."""
    if isinstance(value, Fraction) or value is None:
        return value
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(Phrase("expected a number"))
    text = value.strip().removesuffix("%") if isinstance(value, str) else repr(value)
    try:  # bounded digits and exponent: "1e999999999" is refused, never computed
        return parse_fraction(text)
    except NumberError as error:
        raise ValueError(phrase_of(error)) from None


ExactNumber = Annotated[
    Fraction,
    BeforeValidator(_to_fraction),
    PlainSerializer(lambda f: str(f), return_type=str),
]
