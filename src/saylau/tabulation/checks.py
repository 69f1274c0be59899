"""The control relations of a polling-station protocol, kept as a catalogue of checks with stable codes.

The relations (spec/kazakhstan-2023.md, "Protocols and their control relations", inferred from every
published result we checked): took part = option votes + "against all" + invalid; received = issued +
cancelled; received = floor(registered x 1.01) (the 1% reserve); the "of which" lines fit within the ballots
issued; took part <= registered voters.

An *error* keeps the protocol out of the count until the commission corrects it; a *warning* asks a
coordinator to look, and the protocol counts. Codes are stable: reports, the web service and people's
notes refer to them, so a code is never reused for another rule.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Literal

from saylau.domain import Election
from saylau.errors import Problem
from saylau.limits import MAX_COUNT
from saylau.tabulation.protocol import FIGURES, BallotKind, Protocol, Station

Severity = Literal["error", "warning"]


class Code(StrEnum):
    """The stable code of each check. A `StrEnum`, so `Code.P001 == "P001"` and it prints as its code.

    P00x are errors (the protocol is not counted until the commission corrects it), W00x warnings.
    """

    P001 = "P001"
    """Ballots found in the boxes = votes for every option + "against all" + invalid ballots."""
    P002 = "P002"
    """Ballots issued <= ballots received (the grave form of P003: reported instead of it)."""
    P003 = "P003"
    """Ballots received = ballots issued + ballots cancelled (unused)."""
    P004 = "P004"
    """Every option with a vote is on this ballot (the party list, or the district's candidates)."""
    P005 = "P005"
    """The station belongs to the district the protocol names (the station register)."""
    P006 = "P006"
    """Every line is a whole number from 0 to MAX_COUNT."""
    P007 = "P007"
    """A station's ballot is reported once, or every copy has the same figures."""
    P008 = "P008"
    """The "of which" lines (absentee certificate, outside the premises) fit within the ballots issued."""
    P009 = "P009"
    """The station is in the station register and the district in the election."""
    P010 = "P010"
    """Ballots found <= ballots received, and <= the ballots supplied for the register's voters and reserve."""
    W001 = "W001"
    """Ballots found <= registered voters (turnout at most 100%)."""
    W002 = "W002"
    """Turnout at most the configured share (`CheckSettings.high_turnout`)."""
    W003 = "W003"
    """Invalid ballots at most the configured share of those found (`CheckSettings.high_invalid`)."""
    W004 = "W004"
    """Ballots received = floor(registered x (1 + reserve)) (`CheckSettings.reserve`)."""
    W005 = "W005"
    """A protocol entered twice with the same figures (counted once)."""


@dataclass(frozen=True, slots=True)
class Check:
    """One rule of the catalogue: its code and how grave it is (its words are in `saylau.reports.checks`)."""

    code: Code
    severity: Severity


CHECKS: tuple[Check, ...] = tuple(Check(c, "error" if c.startswith("P") else "warning") for c in Code)
"""Every check saylau runs, by code. P00x are errors, W00x warnings."""

CATALOGUE: Mapping[str, Check] = {c.code: c for c in CHECKS}
"""The checks by code (a `Code` or its string)."""

Figure = int | str | Fraction
"""A figure of a finding: a count (int), a share (Fraction), or text (what the clerk wrote, a place)."""


@dataclass(frozen=True, slots=True)
class CheckSettings:
    """The thresholds a commission may change. Defaults are the Kazakhstan 2023 preset.

    `reserve` is the share of extra ballots a station receives on top of its registered voters (1%);
    None turns W004 off. `high_turnout` and `high_invalid` are shares of registered voters and of
    ballots found in the boxes above which a coordinator should look.
    """

    reserve: Fraction | None = Fraction(1, 100)
    high_turnout: Fraction = Fraction(95, 100)
    high_invalid: Fraction = Fraction(10, 100)


@dataclass(frozen=True, slots=True)
class Finding:
    """One check that a protocol breaks, as data: no words (`saylau.reports.checks` gives them in kk, ru, en).

    - `code`: which check (`Code`, a `StrEnum`: compares equal to "P001"); `severity` follows from it.
    - `station`, `ballot`: the protocol; `source`, `row`: where it was read (None when typed in).
    - `field`: the one line to point the clerk at first (None: the whole protocol, P007/W005);
      `fields`: every line of the failing relation, in the form's order, e.g. P001 involves
      ("found", "vote:A", "vote:B", "against_all", "invalid"); a vote line is "vote:<option>".
    - `figures`: both sides of the relation by name, e.g. W004 {"received": 1920, "expected": 1919,
      "registered": 1901, "reserve": Fraction(1, 100)}; which names a code carries is in `FIGURES_OF`.

    Example: `Finding(Code.P002, "error", 12, "list", "issued", ("issued", "received"),
    {"issued": 1514, "received": 1513})`.
    """

    code: Code
    severity: Severity
    station: int
    ballot: BallotKind
    field: str | None
    fields: tuple[str, ...] = ()
    figures: Mapping[str, Figure] = dataclasses.field(default_factory=dict, hash=False)
    source: str | None = None
    row: int | None = None

    @property
    def check(self) -> Check:
        """The catalogue entry of the code."""
        return CATALOGUE[self.code]


FIGURES_OF: Mapping[Code, tuple[str, ...]] = {
    Code.P001: ("found", "counted"),
    Code.P002: ("issued", "received"),
    Code.P003: ("received", "issued", "cancelled", "expected"),
    Code.P004: ("option", "district"),
    Code.P005: ("station", "district", "registered_district"),
    Code.P006: ("value", "limit"),
    Code.P007: ("others", "station", "copies"),
    Code.P008: ("issued_absentee", "issued_outside", "issued"),
    Code.P009: ("station", "district"),
    Code.P010: ("found", "received", "supplied"),
    Code.W001: ("found", "registered"),
    Code.W002: ("found", "registered", "share"),
    Code.W003: ("invalid", "found", "share"),
    Code.W004: ("received", "expected", "registered", "reserve"),
    Code.W005: ("first", "station"),
}
"""The figures each code may carry (P006 `value` is the clerk's text or the number out of range; P009 one
of station/district, the one not found; P010 `received` or `supplied` (the register's voters plus the
reserve), the one exceeded; P007 `others`/W005 `first` are the other copies' places, `file:row`, where every
copy was read from a file; otherwise P007 carries `station` and `copies` (how many other copies), W005
`station`: `saylau.reports.checks` words the place)."""


def check(
    protocols: Iterable[Protocol],
    election: Election | None = None,
    stations: Sequence[Station] | None = None,
    settings: CheckSettings = CheckSettings(),
) -> list[Finding]:
    """Every finding on every protocol, in input order. Without `election` the options are not checked;
    without `stations` neither the station register nor the station's district is."""
    protocols = list(protocols)
    register = {s.number: s for s in stations} if stations is not None else None
    ballots = ballots_of(election) if election is not None else None
    findings: list[Finding] = []
    for protocol in protocols:
        findings += findings_of(protocol, ballots, register, settings)
    findings += _duplicates(protocols)
    return findings


def findings_of(
    protocol: Protocol,
    ballots: Ballots | None,
    register: Mapping[int, Station] | None,
    settings: CheckSettings = CheckSettings(),
) -> list[Finding]:
    """The findings of one protocol on its own (every check but the duplicates), as `check` gives them;
    `ballots` is `ballots_of(election)`, built once for many protocols (None: options are not checked)."""
    return [
        _finding(protocol, code, fields, figures)
        for code, fields, figures in _relations(protocol, ballots, register, settings)
    ]


@dataclass(frozen=True, slots=True)
class LeftOut(Problem):
    """A protocol the count leaves out until the commission corrects it, and the error finding that left it
    out (as data: `saylau.reports.checks.left_out` says it in kk, ru, en; `message` holds the English)."""

    finding: Finding | None = None


def errors_by_protocol(findings: Iterable[Finding]) -> set[tuple[int, BallotKind]]:
    """The (station, ballot) keys that have at least one error, and so are not counted."""
    return {(f.station, f.ballot) for f in findings if f.severity == "error"}


def _finding(protocol: Protocol, code: Code, fields: tuple[str, ...], figures: dict[str, Figure]) -> Finding:
    return Finding(
        code,
        CATALOGUE[code].severity,
        protocol.station,
        protocol.ballot,
        fields[0] if fields else None,
        fields,
        figures,
        protocol.source,
        protocol.row,
    )


Ballots = tuple[frozenset[str], Mapping[int, frozenset[str]]]
"""The options of the list ballot, and of each district's ballot by district number."""


def ballots_of(election: Election) -> Ballots:
    """Every ballot's options, built once, so checking a protocol costs its own size, not the election's."""
    districts = {d.number: frozenset(c.name for c in d.candidates) for d in election.districts}
    return frozenset(p.short_name for p in election.parties), districts


_Broken = tuple[Code, tuple[str, ...], dict[str, Figure]]
"""(code, the lines involved with the one to point at first, the figures) of one broken relation."""

VOTE = "vote:"
"""The prefix of a vote line's name ("vote:<option>"), as the protocol files name their columns."""


def _relations(
    p: Protocol, ballots: Ballots | None, register: Mapping[int, Station] | None, settings: CheckSettings
) -> Iterator[_Broken]:
    """Each relation `p` breaks on its own."""
    yield from _whole_numbers(p)
    yield from _ballots_found(p)
    yield from _ballot_accounting(p)
    yield from _registration(p, ballots, register)
    yield from _turnout(p, register, settings)
    if p.found > 0 and _above(p.invalid, p.found, settings.high_invalid):
        yield Code.W003, ("invalid", "found"), {"invalid": p.invalid, "found": p.found, "share": settings.high_invalid}
    if settings.reserve is not None:
        expected = _with_reserve(p.registered, settings.reserve)
        if p.received != expected:
            figures: dict[str, Figure] = {"received": p.received, "expected": expected}
            yield (
                Code.W004,
                ("received", "registered"),
                figures
                | {
                    "registered": p.registered,
                    "reserve": settings.reserve,
                },
            )


def _whole_numbers(p: Protocol) -> Iterator[_Broken]:
    """P006: every line a whole number from 0 to MAX_COUNT (what the clerk wrote, or the number)."""
    for name, raw in p.malformed.items():
        yield Code.P006, (name,), {"value": raw, "limit": MAX_COUNT}
    for name in FIGURES:
        if not 0 <= p.figure(name) <= MAX_COUNT:
            yield Code.P006, (name,), {"value": p.figure(name), "limit": MAX_COUNT}
    for option, count in p.votes.items():
        if not 0 <= count <= MAX_COUNT:
            yield Code.P006, (VOTE + option,), {"value": count, "limit": MAX_COUNT}


def _ballots_found(p: Protocol) -> Iterator[_Broken]:
    """P001: ballots found in the boxes = votes for every option + "against all" + invalid ballots."""
    counted = sum(p.votes.values()) + p.against_all + p.invalid
    if p.found != counted:
        lines = ("found", *(VOTE + option for option in p.votes), "against_all", "invalid")
        yield Code.P001, lines, {"found": p.found, "counted": counted}


def _ballot_accounting(p: Protocol) -> Iterator[_Broken]:
    """P002/P003: received = issued + cancelled (issued over received is the grave form: the cause, not both);
    P008: the "of which" lines fit within the ballots issued."""
    if p.issued > p.received:
        yield Code.P002, ("issued", "received"), {"issued": p.issued, "received": p.received}
    elif p.received != p.issued + p.cancelled:
        figures: dict[str, Figure] = {"received": p.received, "issued": p.issued, "cancelled": p.cancelled}
        yield Code.P003, ("received", "issued", "cancelled"), figures | {"expected": p.issued + p.cancelled}
    if p.issued_absentee + p.issued_outside > p.issued:
        lines = ("issued", "issued_absentee", "issued_outside")
        yield Code.P008, lines, {name: p.figure(name) for name in ("issued_absentee", "issued_outside", "issued")}


def _turnout(p: Protocol, register: Mapping[int, Station] | None, settings: CheckSettings) -> Iterator[_Broken]:
    """Every ballot in a box was received first, and a station receives the ballots of its registered voters
    plus the reserve: more found than either cannot be true. That is the error P010, the grave form of W001
    (report it, not both); turnout over 100% within the ballots received only warns (W001), high turnout
    asks a coordinator to look (W002)."""
    supplied = _supplied(p, register, settings)
    if p.found > p.received:
        yield Code.P010, ("found", "received"), {"found": p.found, "received": p.received}
    elif supplied is not None and p.found > supplied:
        yield Code.P010, ("found",), {"found": p.found, "supplied": supplied}
    elif p.registered > 0 and p.found > p.registered:
        yield Code.W001, ("found", "registered"), {"found": p.found, "registered": p.registered}
    elif p.registered > 0 and _above(p.found, p.registered, settings.high_turnout):
        figures: dict[str, Figure] = {"found": p.found, "registered": p.registered}
        yield Code.W002, ("found", "registered"), figures | {"share": settings.high_turnout}


def _supplied(p: Protocol, register: Mapping[int, Station] | None, settings: CheckSettings) -> int | None:
    """The ballots the station is supplied by law: floor(registered in the register x (1 + reserve))."""
    station = register.get(p.station) if register is not None else None
    if station is None or settings.reserve is None:
        return None
    return _with_reserve(station.registered, settings.reserve)


def _above(part: int, whole: int, share: Fraction) -> bool:
    """part / whole > share, on integers (whole > 0): a check per protocol, no Fraction made."""
    return part * share.denominator > whole * share.numerator


def _with_reserve(registered: int, reserve: Fraction) -> int:
    """floor(registered x (1 + reserve)), on integers."""
    return registered * (reserve.denominator + reserve.numerator) // reserve.denominator


def _registration(p: Protocol, ballots: Ballots | None, register: Mapping[int, Station] | None) -> Iterator[_Broken]:
    """Checks against the station register and the election: district (P005), station (P009), options (P004)."""
    if register is not None:
        station = register.get(p.station)
        if station is None:
            yield Code.P009, ("station",), {"station": p.station}
        elif station.district != p.district:
            figures: dict[str, Figure] = {"station": p.station, "district": p.district}
            yield Code.P005, ("district",), figures | {"registered_district": station.district}
    if ballots is None:
        return
    if p.ballot == "list":
        options = ballots[0]
    else:
        found = ballots[1].get(p.district)
        if found is None:
            yield Code.P009, ("district",), {"district": p.district}
            return
        options = found
    for option in p.votes:
        if option not in options:
            yield Code.P004, (VOTE + option,), {"option": option, "district": p.district}


def _duplicates(protocols: Sequence[Protocol]) -> list[Finding]:
    """P007 on every copy of a protocol entered with different figures (its fields: the lines that differ);
    W005 on repeats of identical ones."""
    first: dict[tuple[int, BallotKind], Protocol] = {}
    conflicting: set[tuple[int, BallotKind]] = set()
    findings: list[Finding] = []
    for p in protocols:
        seen = first.setdefault(p.key, p)
        if seen is p:
            continue
        if seen == p:
            place = _place(seen)
            figures: dict[str, Figure] = {"first": place} if place else {"station": seen.station}
            findings.append(_finding(p, Code.W005, (), figures))
        else:
            conflicting.add(p.key)
    for p in protocols:
        if p.key in conflicting:
            copies = [o for o in protocols if o.key == p.key and o is not p]
            finding = _finding(p, Code.P007, (), _others(p, copies))
            findings.append(_with_fields(finding, _differing(p, copies)))
    return findings


def _others(p: Protocol, copies: Sequence[Protocol]) -> dict[str, Figure]:
    """P007's figures: the other copies' places (`file:row, ...`) where each was read from a file; else the
    station and how many other copies it has (typed in: no place to name)."""
    places = [place for o in copies if (place := _place(o))]
    if len(places) == len(copies):
        return {"others": ", ".join(places)}
    return {"station": p.station, "copies": len(copies)}


def _with_fields(finding: Finding, fields: tuple[str, ...]) -> Finding:
    """The finding with the lines involved (P007 points at no one line: `field` stays None)."""
    return Finding(
        finding.code,
        finding.severity,
        finding.station,
        finding.ballot,
        finding.field,
        fields,
        finding.figures,
        finding.source,
        finding.row,
    )


def _differing(p: Protocol, others: Sequence[Protocol]) -> tuple[str, ...]:
    """The lines on which `p` differs from any of `others`, in the form's order (district included)."""
    lines = [name for name in ("district", *FIGURES) if any(getattr(o, name) != getattr(p, name) for o in others)]
    options = dict.fromkeys([*p.votes, *(option for o in others for option in o.votes)])
    lines += [VOTE + x for x in options if any(o.votes.get(x) != p.votes.get(x) for o in others)]
    return tuple(lines)


def _place(p: Protocol) -> str:
    """Where a protocol was read, `file:row` (`file` alone without a row); empty when it was typed in."""
    return ":".join(str(x) for x in (p.source, p.row) if x is not None)
