"""The bounds every input is held to, and the one bounded way numbers are read (see docs/limits.md).

Why: a number such as `1e999999999` or a 5,000-digit count makes exact arithmetic hang or overflow, and a
body of 10^7 seats makes gigabyte reports. Every limit here is far above any real election (the largest
legislature has about 3,000 seats; no polling station counts a billion ballots), so a real folder never
meets one, and a hostile one is refused with a clear line instead of hanging or giving a wrong council.
Numbers are read with ASCII digits only (Python's `int` would also take Arabic-Indic or fullwidth
digits), as exact fractions of bounded size.
"""

from __future__ import annotations

import re
import unicodedata
from fractions import Fraction

from saylau.errors import Count, Phrase

MAX_COUNT = 10**10
"""Largest count of ballots, votes or voters on any one line: more than the population of the world."""

MAX_SEATS = 10_000
"""Largest number of seats of a body or a tier."""

MAX_PARTIES = 1_000
"""Largest number of registered parties (contestants of one allocation)."""

MAX_CANDIDATES = 1_000_000
"""Largest number of candidates in the whole folder (lists and districts together)."""

MAX_CELL = 131_072
"""Largest CSV cell, in characters (Python's csv module refuses longer ones)."""

MAX_COLUMNS = 100_000
"""Most columns of a CSV table: a protocol file has one `vote:` column per option of its ballots, and no
ballot has a hundred thousand options (the register of a whole country's candidates would still fit)."""

MAX_FILE_BYTES = 2 * 1024**3
"""Largest file read from a folder (2 GiB)."""

MAX_TOML_BYTES = 1024**2
"""Largest election.toml (1 MiB)."""

MAX_NESTING = 32
"""Deepest nesting of tables and arrays in election.toml or of objects in a protocol JSON file."""

MAX_DIGITS = 30
"""Most digits a number may have on either side of its decimal point (or in its numerator/denominator)."""

MAX_EXPONENT = 30
"""Largest power of ten a number may be written with (1e30); beyond it, the number is refused."""

_DECIMAL = re.compile(
    r"(?P<sign>[+-]?)(?P<whole>[0-9]*)(?:\.(?P<fraction>[0-9]*))?(?:[eE](?P<exponent>[+-]?[0-9]+))?", re.ASCII
)
_RATIO = re.compile(r"(?P<sign>[+-]?)(?P<num>[0-9]+)\s*/\s*(?P<den>[0-9]+)", re.ASCII)
_WHOLE = re.compile(r"[+-]?[0-9]+", re.ASCII)
_PLAIN_DIGITS = 18  # int() of this many ASCII digits is exact and quick; longer cells take the careful path


TOO_MANY_DIGITS = "{value} has more than {digits} digits"


class NumberError(ValueError):
    """A text that is not a number saylau reads: the message says why, for the line of the report (a `Phrase`:
    its words in kk and ru too, `saylau.reports.problems`)."""


def parse_fraction(text: str) -> Fraction:
    """ "25.15", "-1.5", "1/3", "2.5e-1" -> an exact Fraction; anything unbounded or non-ASCII raises NumberError.

    The digits and the exponent are bounded, so the result has at most ~90 digits and nothing here can hang.
    """
    raw = text.strip()
    if ratio := _RATIO.fullmatch(raw):
        if len(ratio["num"]) > MAX_DIGITS or len(ratio["den"]) > MAX_DIGITS:
            raise NumberError(Phrase(TOO_MANY_DIGITS, value=_short(raw), digits=MAX_DIGITS))
        if int(ratio["den"]) == 0:
            raise NumberError(Phrase("{value} divides by zero", value=_short(raw)))
        value = Fraction(int(ratio["num"]), int(ratio["den"]))
        return -value if ratio["sign"] == "-" else value
    match = _DECIMAL.fullmatch(raw)
    whole, fraction = (match["whole"] or "", match["fraction"] or "") if match else ("", "")
    if match is None or not (whole or fraction):
        raise NumberError(Phrase("{value} is not a number", value=_short(raw)))
    if len(whole.lstrip("0")) > MAX_DIGITS or len(fraction) > MAX_DIGITS:
        raise NumberError(Phrase(TOO_MANY_DIGITS, value=_short(raw), digits=MAX_DIGITS))
    exponent_text = match["exponent"] or "0"
    if len(exponent_text.lstrip("+-").lstrip("0")) > 3 or abs(int(exponent_text)) > MAX_EXPONENT:
        raise NumberError(Phrase("{value} has an exponent beyond ±{most}", value=_short(raw), most=MAX_EXPONENT))
    value = Fraction(int(whole + fraction or "0"), 10 ** len(fraction)) * Fraction(10) ** int(exponent_text)
    return -value if match["sign"] == "-" else value


def parse_whole(text: str, *, maximum: int = MAX_COUNT) -> int:
    """A whole number written with ASCII digits (thousands separators `,` `_` and spaces allowed), <= maximum.

    Raises NumberError for anything else; a negative number is returned (the caller says whether it may be).
    """
    if text.isdigit() and text.isascii() and len(text) <= _PLAIN_DIGITS:  # the usual cell: digits only
        value = int(text)
        if value <= maximum:
            return value
    raw = text.strip().replace(",", "").replace("_", "").replace(" ", "")
    if not _WHOLE.fullmatch(raw):
        raise NumberError(Phrase("{value} is not a whole number", value=_short(text)))
    if len(raw.lstrip("+-").lstrip("0")) > len(str(maximum)) or abs(int(raw)) > maximum:
        raise NumberError(Phrase("{value} is above the limit of {limit}", value=_short(text), limit=Count(maximum)))
    return int(raw)


def _short(text: str, width: int = 40) -> str:
    """The text as a repr, cut to `width` characters so a 100,000-character cell gives a short message."""
    return repr(text if len(text) <= width else text[:width] + "…")


INVISIBLE = frozenset(("Cc", "Cf", "Zl", "Zp"))
"""Unicode categories a name may not contain: controls, format characters (zero-width spaces and joiners,
bidirectional overrides and isolates, the byte order mark, the soft hyphen) and line separators."""


def invisible(text: str) -> tuple[int, str] | None:
    """The first character of `text` that cannot be seen (position from 1, and its code point and name), or None.

    Why: `Q\u200bHP` prints like `QHP` but is another party, and `\u202e` turns the rest of a line around;
    a name must look like what it is, so such names are refused where they are defined.
    """
    if text.isascii() and text.isprintable():  # every printable ASCII character can be seen
        return None
    for position, char in enumerate(text, start=1):
        if unicodedata.category(char) in INVISIBLE:
            return position, f"U+{ord(char):04X} ({unicodedata.name(char, 'a control character')})"
    return None
