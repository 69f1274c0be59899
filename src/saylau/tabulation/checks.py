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

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from saylau.domain import Election
from saylau.limits import MAX_COUNT
from saylau.tabulation.protocol import FIGURES, BallotKind, Protocol, Station

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Check:
    """One rule of the catalogue: its code, how grave it is, and what to tell the clerk and the coordinator."""

    code: str
    severity: Severity
    message_for_clerk: str
    message_for_coordinator: str


CHECKS: tuple[Check, ...] = (
    Check(
        "P001",
        "error",
        "Ballots found in the boxes must equal the votes for all options plus 'against all' plus invalid ballots.",
        "found in boxes != votes + against all + invalid",
    ),
    Check("P002", "error", "You cannot issue more ballots than you received.", "ballots issued > ballots received"),
    Check(
        "P003",
        "error",
        "Ballots received must equal ballots issued plus ballots cancelled (unused).",
        "received != issued + cancelled",
    ),
    Check("P004", "error", "This option is not on this ballot.", "option not on this ballot"),
    Check(
        "P005",
        "error",
        "This station belongs to another district: check the district number.",
        "station registered to another district",
    ),
    Check("P006", "error", "Every line must be a whole number, zero or more.", "negative or non-integer number"),
    Check(
        "P007",
        "error",
        "This station's protocol was entered twice with different figures: keep the signed one.",
        "station reported twice with different figures",
    ),
    Check(
        "P008",
        "error",
        "Ballots issued by absentee certificate and outside the premises are part of the ballots issued.",
        "'of which' lines exceed ballots issued",
    ),
    Check(
        "P009",
        "error",
        "This station or district is not registered for this election.",
        "unknown station or district",
    ),
    Check(
        "P010",
        "error",
        "More ballots were found in the boxes than the station received: that cannot be true.",
        "found in boxes > ballots received",
    ),
    Check("W001", "warning", "More voters took part than are registered: please confirm.", "turnout above 100%"),
    Check("W002", "warning", "Turnout is unusually high: please confirm.", "turnout above the configured share"),
    Check(
        "W003",
        "warning",
        "Unusually many invalid ballots: please confirm.",
        "invalid ballots above the configured share",
    ),
    Check(
        "W004",
        "warning",
        "Ballots received differ from the registered voters plus the reserve.",
        "received != floor(registered x (1 + reserve))",
    ),
    Check(
        "W005",
        "warning",
        "This protocol was entered twice with the same figures; it is counted once.",
        "identical duplicate protocol",
    ),
)
"""Every check saylau runs, by code. P00x are errors, W00x warnings."""

CATALOGUE: Mapping[str, Check] = {c.code: c for c in CHECKS}


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
    """One check that a protocol breaks: which, where (station, ballot, line), and a message with its figures."""

    code: str
    severity: Severity
    station: int
    ballot: BallotKind
    field: str | None
    message: str
    source: str | None = None
    row: int | None = None

    @property
    def check(self) -> Check:
        """The catalogue entry, for its clerk's and coordinator's wording."""
        return CATALOGUE[self.code]


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
        for code, field, detail in _relations(protocol, ballots, register, settings):
            findings.append(_finding(protocol, code, field, detail))
    findings += _duplicates(protocols)
    return findings


def findings_of(
    protocol: Protocol,
    ballots: Ballots | None,
    register: Mapping[int, Station] | None,
    settings: CheckSettings = CheckSettings(),
) -> list[Finding]:
    """The findings of one protocol on its own (every check but the duplicates), as `check` words them;
    `ballots` is `ballots_of(election)`, built once for many protocols (None: options are not checked)."""
    return [
        _finding(protocol, code, field, detail)
        for code, field, detail in _relations(protocol, ballots, register, settings)
    ]


def errors_by_protocol(findings: Iterable[Finding]) -> set[tuple[int, BallotKind]]:
    """The (station, ballot) keys that have at least one error, and so are not counted."""
    return {(f.station, f.ballot) for f in findings if f.severity == "error"}


def _finding(protocol: Protocol, code: str, field: str | None, detail: str) -> Finding:
    entry = CATALOGUE[code]
    return Finding(
        code,
        entry.severity,
        protocol.station,
        protocol.ballot,
        field,
        f"{entry.message_for_coordinator}: {detail}",
        protocol.source,
        protocol.row,
    )


Ballots = tuple[frozenset[str], Mapping[int, frozenset[str]]]
"""The options of the list ballot, and of each district's ballot by district number."""


def ballots_of(election: Election) -> Ballots:
    """Every ballot's options, built once, so checking a protocol costs its own size, not the election's."""
    districts = {d.number: frozenset(c.name for c in d.candidates) for d in election.districts}
    return frozenset(p.short_name for p in election.parties), districts


def _relations(
    p: Protocol, ballots: Ballots | None, register: Mapping[int, Station] | None, settings: CheckSettings
) -> Iterator[tuple[str, str | None, str]]:
    """(code, line, detail) for each relation `p` breaks on its own."""
    for name, raw in p.malformed.items():
        yield "P006", name, f"{raw!r} is not a whole number from 0 to {MAX_COUNT:,}"
    for name in FIGURES:
        if not 0 <= p.figure(name) <= MAX_COUNT:
            yield "P006", name, _out_of_range(p.figure(name))
    for option, count in p.votes.items():
        if not 0 <= count <= MAX_COUNT:
            yield "P006", f"vote:{option}", _out_of_range(count)
    counted = sum(p.votes.values()) + p.against_all + p.invalid
    if p.found != counted:
        yield "P001", "found", f"found {p.found}, but votes + against all + invalid = {counted}"
    # P002 is the grave form of P003: report the cause, not both.
    if p.issued > p.received:
        yield "P002", "issued", f"issued {p.issued} > received {p.received}"
    elif p.received != p.issued + p.cancelled:
        yield "P003", "received", f"received {p.received}, issued + cancelled = {p.issued + p.cancelled}"
    if p.issued_absentee + p.issued_outside > p.issued:
        yield (
            "P008",
            "issued",
            f"absentee {p.issued_absentee} + outside {p.issued_outside} > issued {p.issued}",
        )
    yield from _registration(p, ballots, register)
    # Every ballot in a box was received first, and a station receives the ballots of its registered voters
    # plus the reserve: more found than either cannot be true. That is the error P010, the grave form of
    # W001 (report it, not both); turnout over 100% within the ballots received only warns.
    supplied = _supplied(p, register, settings)
    if p.found > p.received:
        yield "P010", "found", f"found {p.found} > received {p.received}"
    elif supplied is not None and p.found > supplied:
        yield "P010", "found", f"found {p.found} > {supplied} ballots for the register's voters and the reserve"
    elif p.registered > 0 and p.found > p.registered:
        yield "W001", "found", f"found {p.found} > registered {p.registered}"
    elif p.registered > 0 and _above(p.found, p.registered, settings.high_turnout):
        yield "W002", "found", f"turnout {p.found}/{p.registered} above {settings.high_turnout}"
    if p.found > 0 and _above(p.invalid, p.found, settings.high_invalid):
        yield "W003", "invalid", f"invalid {p.invalid}/{p.found} above {settings.high_invalid}"
    if settings.reserve is not None:
        expected = _with_reserve(p.registered, settings.reserve)
        if p.received != expected:
            yield "W004", "received", f"received {p.received}, expected {expected} for {p.registered} registered"


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


def _out_of_range(count: int) -> str:
    return f"{count} is negative" if count < 0 else f"{str(count)[:40]} is above the limit of {MAX_COUNT:,}"


def _registration(
    p: Protocol, ballots: Ballots | None, register: Mapping[int, Station] | None
) -> Iterator[tuple[str, str | None, str]]:
    """Checks against the station register and the election: district, station and options."""
    if register is not None:
        station = register.get(p.station)
        if station is None:
            yield "P009", "station", f"station {p.station} is not in the station register"
        elif station.district != p.district:
            yield "P005", "district", f"station {p.station} is registered to district {station.district}"
    if ballots is None:
        return
    if p.ballot == "list":
        options = ballots[0]
    else:
        found = ballots[1].get(p.district)
        if found is None:
            yield "P009", "district", f"district {p.district} is not in this election"
            return
        options = found
    for option in p.votes:
        if option not in options:
            yield "P004", f"vote:{option}", f"{option!r} is not on the {p.ballot} ballot of district {p.district}"


def _duplicates(protocols: Sequence[Protocol]) -> list[Finding]:
    """P007 on every copy of a protocol entered with different figures; W005 on repeats of identical ones."""
    first: dict[tuple[int, BallotKind], Protocol] = {}
    conflicting: set[tuple[int, BallotKind]] = set()
    findings: list[Finding] = []
    for p in protocols:
        seen = first.setdefault(p.key, p)
        if seen is p:
            continue
        if seen == p:
            findings.append(_finding(p, "W005", None, f"same figures as {_where(seen)}"))
        else:
            conflicting.add(p.key)
    for p in protocols:
        if p.key in conflicting:
            others = ", ".join(_where(o) for o in protocols if o.key == p.key and o is not p)
            findings.append(_finding(p, "P007", None, f"differs from {others}"))
    return findings


def _where(p: Protocol) -> str:
    return ":".join(str(x) for x in (p.source, p.row) if x is not None) or f"station {p.station}"
