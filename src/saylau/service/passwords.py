"""The password policy: long enough, not one of the passwords attackers try first, nothing invisible.

NIST SP 800-63B (5.1.1.2) asks for at least 8 characters, a check against passwords known to be used or
breached, and no composition rules; that is what this is. The messages are catalogue msgids (kk, ru, en).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from saylau.limits import invisible

MIN_PASSWORD = 8
"""Fewest characters of a password, spaces not counted."""
_TRAILING = re.compile(r"[\d\W_]+$")


@dataclass(frozen=True, slots=True)
class Weak:
    """Why a password is refused: a msgid of the catalogues and its values."""

    message: str
    values: dict[str, object] = field(default_factory=dict)


@cache
def common() -> frozenset[str]:
    """The common passwords (`common-passwords.txt`), lower case."""
    text = resources.files("saylau.service").joinpath("common-passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def password_problem(password: str, name: str = "") -> Weak | None:
    """Why `password` may not be used (for the user `name`), or None when it may."""
    hidden = invisible(password)
    if hidden is not None:
        return Weak("a password may not hold control or invisible characters ({char})", {"char": hidden[1]})
    if len(password.replace(" ", "")) < MIN_PASSWORD:
        return Weak("a password has at least {count} characters other than spaces", {"count": MIN_PASSWORD})
    lowered = password.lower()
    if len(set(lowered)) < 3:
        return Weak("a password may not repeat one or two characters")
    base = _TRAILING.sub("", lowered) or lowered
    if lowered in common() or base in common() or lowered.strip() in common():
        return Weak("this password is one that attackers try first: choose another")
    if name and (lowered == name.lower() or base == name.lower()):
        return Weak("a password may not be the user's name")
    return None
