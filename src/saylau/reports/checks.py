"""The words of the protocol checks in Kazakh, Russian and English: the clerk's, the coordinator's, the public's.

The core (`saylau.tabulation.checks`) gives a `Finding` as data: its `Code`, the lines it involves and its
figures. Here each code gets its sentences from the catalogues (`saylau/locale/<lang>/LC_MESSAGES`), filled
with the finding's figures; the English msgids are the sentences saylau has always printed, so the English
output reads as before. Counted phrases go through `Words.n` (Russian 1 / 2-4 / 5+ forms).

    clerk(code, lang)        what to tell the clerk who typed the protocol (no figures: the form shows them)
    title(code, lang)        the coordinator's short name of the relation ("found in boxes != ...")
    detail(finding, lang)    the relation's two sides in figures ("found 366, but ... = 365")
    describe(finding, lang)  `title: detail`, one line for the coordinator and the `protocols check` table
    for_clerk(finding, lang) the clerk's sentence with the figures
    public(code, lang)       why a protocol is left out of the count, for the public page
    left_out(finding, lang)  the warning for a protocol a folder's count leaves out (`left out of the count: ...`)
    partial(count, lang)     the line after them: how many findings left protocols out (a counted phrase)
"""

from __future__ import annotations

from collections.abc import Mapping

from saylau.reports.i18n import N_, Words, words
from saylau.tabulation.checks import Code, Figure, Finding

_CLERK: Mapping[Code, str] = {
    Code.P001: N_(
        "Ballots found in the boxes must equal the votes for all options plus 'against all' plus invalid ballots."
    ),
    Code.P002: N_("You cannot issue more ballots than you received."),
    Code.P003: N_("Ballots received must equal ballots issued plus ballots cancelled (unused)."),
    Code.P004: N_("This option is not on this ballot."),
    Code.P005: N_("This station belongs to another district: check the district number."),
    Code.P006: N_("Every line must be a whole number, zero or more."),
    Code.P007: N_("This station's protocol was entered twice with different figures: keep the signed one."),
    Code.P008: N_("Ballots issued by absentee certificate and outside the premises are part of the ballots issued."),
    Code.P009: N_("This station or district is not registered for this election."),
    Code.P010: N_("More ballots were found in the boxes than the station received: that cannot be true."),
    Code.W001: N_("More voters took part than are registered: please confirm."),
    Code.W002: N_("Turnout is unusually high: please confirm."),
    Code.W003: N_("Unusually many invalid ballots: please confirm."),
    Code.W004: N_("Ballots received differ from the registered voters plus the reserve."),
    Code.W005: N_("This protocol was entered twice with the same figures; it is counted once."),
}
"""What the clerk is told, by code (the entry form and the service's blocking errors)."""

_TITLE: Mapping[Code, str] = {
    Code.P001: N_("found in boxes != votes + against all + invalid"),
    Code.P002: N_("ballots issued > ballots received"),
    Code.P003: N_("received != issued + cancelled"),
    Code.P004: N_("option not on this ballot"),
    Code.P005: N_("station registered to another district"),
    Code.P006: N_("negative or non-integer number"),
    Code.P007: N_("station reported twice with different figures"),
    Code.P008: N_("'of which' lines exceed ballots issued"),
    Code.P009: N_("unknown station or district"),
    Code.P010: N_("found in boxes > ballots received"),
    Code.W001: N_("turnout above 100%"),
    Code.W002: N_("turnout above the configured share"),
    Code.W003: N_("invalid ballots above the configured share"),
    Code.W004: N_("ballots received differ from the registered voters plus the reserve"),
    Code.W005: N_("identical duplicate protocol"),
}
"""The coordinator's short name of each relation, by code."""

_DETAIL: Mapping[Code, str] = {
    Code.P001: N_("found {found}, but votes + against all + invalid = {counted}"),
    Code.P002: N_("issued {issued} > received {received}"),
    Code.P003: N_("received {received}, issued + cancelled = {expected}"),
    Code.P005: N_("station {station} is registered to district {registered_district}"),
    Code.P008: N_("absentee {issued_absentee} + outside {issued_outside} > issued {issued}"),
    Code.W001: N_("found {found} > registered {registered}"),
    Code.W002: N_("turnout {found}/{registered} above {share}"),
    Code.W003: N_("invalid {invalid}/{found} above {share}"),
    Code.W004: N_("received {received}, expected {expected} for {registered} registered"),
}
"""The figures of each relation with one form; P004, P006, P007, P009, P010 and W005 have several (`_variant`)."""

_PUBLIC: Mapping[bool, str] = {
    True: N_("left out of the count until the commission corrects the protocol"),
    False: N_("counted; a coordinator was asked to look"),
}


def clerk(code: Code | str, lang: str = "en") -> str:
    """What to tell the clerk who typed a protocol breaking `code` (the form shows the figures)."""
    return words(lang)(_CLERK[Code(code)])


def title(code: Code | str, lang: str = "en") -> str:
    """The coordinator's short name of the relation `code` checks."""
    return words(lang)(_TITLE[Code(code)])


def public(code: Code | str, lang: str = "en") -> str:
    """What a protocol breaking `code` means for the count, for the public."""
    return words(lang)(_PUBLIC[Code(code).startswith("P")])


def detail(finding: Finding, lang: str = "en") -> str:
    """The finding's figures on both sides of its relation, in `lang`."""
    said = words(lang)
    template = _DETAIL.get(finding.code)
    if template is None:
        return _variant(finding, said)
    return said(template, **_shown(finding.figures))


def describe(finding: Finding, lang: str = "en") -> str:
    """One line for the coordinator: the relation and its figures (what `protocols check` prints)."""
    return f"{title(finding.code, lang)}: {detail(finding, lang)}"


def left_out(finding: Finding, lang: str = "en") -> str:
    """A protocol left out of a folder's count: its code, relation and figures (a `warning:` line's text)."""
    return words(lang)(
        N_("left out of the count: {code} {relation}"), code=finding.code, relation=describe(finding, lang)
    )


def partial(count: int, lang: str = "en") -> str:
    """The line after the warnings: how many error findings left protocols out, so the count is partial."""
    return words(lang).n(
        "{n} protocol finding left protocols out: the count is partial",
        "{n} protocol findings left protocols out: the count is partial",
        count,
    )


def for_clerk(finding: Finding, lang: str = "en") -> str:
    """The clerk's sentence with the finding's figures after it."""
    return f"{clerk(finding.code, lang)} ({detail(finding, lang)})"


def _shown(figures: Mapping[str, Figure]) -> dict[str, str]:
    """Figures as a protocol writes them: counts in plain digits, shares as fractions (19/20), text as is."""
    return {name: str(value) for name, value in figures.items()}


def _variant(finding: Finding, said: Words) -> str:
    """The relations whose figures take several forms: which side was exceeded, what was not found."""
    f = finding.figures
    if finding.code in (Code.P007, Code.W005):
        return _duplicate(finding, said)
    if finding.code == Code.P004:
        option, district = repr(f["option"]), f["district"]
        if finding.ballot == "list":
            template = N_("{option} is not on the list ballot of district {district}")
            return said(template, option=option, district=district)
        template = N_("{option} is not on the district ballot of district {district}")
        return said(template, option=option, district=district)
    if finding.code == Code.P006:
        value, limit = f["value"], said.fmt.integer(int(f["limit"]))
        if isinstance(value, str):
            return said(N_("{value} is not a whole number from 0 to {limit}"), value=repr(value), limit=limit)
        if int(value) < 0:
            return said(N_("{value} is negative"), value=str(value))
        return said(N_("{value} is above the limit of {limit}"), value=str(value)[:40], limit=limit)
    if finding.code == Code.P009:
        if "station" in f:
            return said(N_("station {station} is not in the station register"), station=str(f["station"]))
        return said(N_("district {district} is not in this election"), district=str(f["district"]))
    if "received" in f:  # P010: more found than received
        return said(N_("found {found} > received {received}"), **_shown(f))
    supplied = int(f["supplied"])
    return said.n(
        "found {value} > {n} ballot for the register's voters and the reserve",
        "found {value} > {n} ballots for the register's voters and the reserve",
        supplied,
        n=str(supplied),
        value=str(f["found"]),
    )


def _duplicate(finding: Finding, said: Words) -> str:
    """P007/W005: the other copies by their places (`file:row`), or, typed in with no place, by their station."""
    f = finding.figures
    if finding.code == Code.W005:
        if "first" in f:
            return said(N_("same figures as {first}"), first=str(f["first"]))
        return said(N_("same figures as another protocol of station {station}"), station=str(f["station"]))
    if "others" in f:
        return said(N_("differs from {others}"), others=str(f["others"]))
    return said.n(
        "differs from {n} other protocol of station {station}",
        "differs from {n} other protocols of station {station}",
        int(f["copies"]),
        station=str(f["station"]),
    )
