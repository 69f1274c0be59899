"""Counted nouns said as each language says them (gettext's ngettext, `Words.n`), once for every report.

Russian has three forms after a number (1 место, 2 места, 5 мест; 21 место, 22 места, 42 места) and puts
the noun in the genitive after "из" (из 21 места, из 42 мест); Kazakh keeps the noun singular after any
number (42 орын). The forms live in the catalogues (`msgid_plural`, `msgstr[0..]`) and the catalogue's
`Plural-Forms` rule picks one; these helpers are the phrases the reports build their sentences from.
"""

from __future__ import annotations

from saylau.reports.i18n import Words


def seats(w: Words, n: int) -> str:
    """ "21 место", "22 места", "42 места"; "1 seat", "5 seats"."""
    return w.n("{n} seat", "{n} seats", n)


def votes(w: Words, n: int) -> str:
    """ "267 002 голоса", "151 531 голос"; "1 vote", "5 votes"."""
    return w.n("{n} vote", "{n} votes", n)


def ballots(w: Words, n: int) -> str:
    """ "302 270 бюллетеней"; "1 ballot"."""
    return w.n("{n} ballot", "{n} ballots", n)


def of_seats(w: Words, part: int, total: int) -> str:
    """ "25 из 42 мест", "12 из 21 места": `part` of `total` seats (the noun agrees with `total`)."""
    return w.n("{part} of {n} seat", "{part} of {n} seats", total, part=w.fmt.integer(part))


def of_stations(w: Words, part: int, total: int) -> str:
    """ "276 из 553 участков", "2 из 21 участка": `part` of `total` polling stations."""
    return w.n("{part} of {n} station", "{part} of {n} stations", total, part=w.fmt.integer(part))
