"""Observers' copies against the accepted protocols: where they differ, by how much, and what it changes.

Observers photograph or copy the protocol posted at each station (Kazakhstan, Constitutional Law "On
Elections", art. 20-1 and 44: observers may be present at the count and receive a copy of the protocol).
This compares each copy with the protocol the count accepted, line by line, exactly (integers):

- every station and ballot where the copy differs, with each differing line and its difference;
- the accepted protocols with no copy (where the observers were not, or brought nothing back);
- the copies with no accepted protocol (a station whose protocol was rejected, or not yet in);
- the totals of each ballot if the observers' figures were used wherever there is a copy.

A difference is a fact about two documents, not a finding about who is right: the copy may be the wrong one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from saylau.tabulation import FIGURES, BallotKind, Protocol

VOTE = "vote:"


@dataclass(frozen=True, slots=True)
class ObserverCopy:
    """One observer's copy of one station's protocol, with the photo it was copied from (if any)."""

    protocol: Protocol
    observer: str | None = None
    photo: str | None = None
    sha256: str | None = None
    """The SHA-256 of the photo (hex), checked against the file when the folder holds it."""


@dataclass(frozen=True, slots=True)
class LineDifference:
    """One line of the protocol where the copy and the accepted protocol disagree."""

    line: str
    """A line of the form (one of FIGURES) or `vote:<option>`."""
    official: int
    observed: int

    @property
    def difference(self) -> int:
        """The observers' figure minus the accepted one."""
        return self.observed - self.official


@dataclass(frozen=True, slots=True)
class StationDifference:
    """A station and ballot whose copy differs from the accepted protocol."""

    station: int
    district: int
    ballot: BallotKind
    lines: tuple[LineDifference, ...]
    copy: ObserverCopy

    @property
    def largest(self) -> int:
        """The largest difference on any line, in absolute value (the ranking of the table)."""
        return max(abs(d.difference) for d in self.lines)


@dataclass(frozen=True, slots=True)
class OptionTotal:
    """One line of a ballot's totals: as counted, and with the observers' figures where they have a copy."""

    line: str
    official: int
    observed: int

    @property
    def difference(self) -> int:
        return self.observed - self.official


@dataclass(frozen=True, slots=True)
class BallotTotals:
    """The totals of one ballot (the list ballot, or one district's ballot) both ways, and who leads."""

    ballot: BallotKind
    district: int | None
    lines: tuple[OptionTotal, ...]
    official_leader: str | None
    observed_leader: str | None

    @property
    def leader_changes(self) -> bool:
        return self.official_leader != self.observed_leader


@dataclass(frozen=True, slots=True)
class ObserverCheck:
    """The whole comparison."""

    differences: tuple[StationDifference, ...]
    """Largest difference first, then by station and ballot."""
    matching: int
    """Copies that agree with the accepted protocol on every line."""
    without_copy: tuple[tuple[int, BallotKind], ...]
    """(station, ballot) of accepted protocols no observer copied."""
    without_protocol: tuple[tuple[int, BallotKind], ...]
    """(station, ballot) of copies with no accepted protocol to compare with."""
    totals: tuple[BallotTotals, ...]
    """The list ballot first, then each district in order."""

    @property
    def copies(self) -> int:
        return self.matching + len(self.differences)


def _lines(p: Protocol) -> dict[str, int]:
    lines = {name: p.figure(name) for name in FIGURES}
    lines.update({f"{VOTE}{option}": votes for option, votes in p.votes.items()})
    return lines


def line_differences(official: Protocol, copy: Protocol) -> tuple[LineDifference, ...]:
    """The lines where two protocols of one station and ballot differ, in the order of the form (an option
    missing on one side reads 0 there)."""
    a, b = _lines(official), _lines(copy)
    order = [*FIGURES, *sorted(k for k in a.keys() | b.keys() if k.startswith(VOTE))]
    return tuple(LineDifference(k, a.get(k, 0), b.get(k, 0)) for k in order if a.get(k, 0) != b.get(k, 0))


def compare(accepted: Iterable[Protocol], copies: Sequence[ObserverCopy]) -> ObserverCheck:
    """Compare the observers' copies with the accepted protocols (one copy per station and ballot: the
    reader refuses a second)."""
    official = {p.key: p for p in accepted}
    by_key = {c.protocol.key: c for c in copies}
    differences = []
    matching = 0
    for key in sorted(by_key.keys() & official.keys()):
        lines = line_differences(official[key], by_key[key].protocol)
        if lines:
            p = official[key]
            differences.append(StationDifference(p.station, p.district, p.ballot, lines, by_key[key]))
        else:
            matching += 1
    differences.sort(key=lambda d: (-d.largest, d.station, d.ballot))
    used = {k: (by_key[k].protocol if k in by_key else p) for k, p in official.items()}
    return ObserverCheck(
        differences=tuple(differences),
        matching=matching,
        without_copy=tuple(sorted(official.keys() - by_key.keys())),
        without_protocol=tuple(sorted(by_key.keys() - official.keys())),
        totals=_totals(official.values(), used.values()),
    )


def _sum(protocols: Iterable[Protocol]) -> dict[tuple[BallotKind, int | None], dict[str, int]]:
    sums: dict[tuple[BallotKind, int | None], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for p in protocols:
        area = sums[(p.ballot, None if p.ballot == "list" else p.district)]
        for option, votes in p.votes.items():
            area[f"{VOTE}{option}"] += votes
        for name in ("against_all", "invalid", "found"):
            area[name] += p.figure(name)
    return sums


def _leader(lines: Mapping[str, int]) -> str | None:
    votes = {k[len(VOTE) :]: v for k, v in lines.items() if k.startswith(VOTE)}
    if not votes:
        return None
    best = max(votes.values())
    leaders = sorted(o for o, v in votes.items() if v == best)
    return leaders[0] if len(leaders) == 1 else None  # a tie: no single leader


def _totals(official: Iterable[Protocol], observed: Iterable[Protocol]) -> tuple[BallotTotals, ...]:
    a, b = _sum(official), _sum(observed)
    out = []
    for area in sorted(a.keys() | b.keys(), key=lambda k: (k[0] != "list", k[1] or 0)):
        x, y = a.get(area, {}), b.get(area, {})
        names = [*sorted(k for k in x.keys() | y.keys() if k.startswith(VOTE)), "against_all", "invalid", "found"]
        lines = tuple(OptionTotal(n, x.get(n, 0), y.get(n, 0)) for n in names)
        out.append(BallotTotals(area[0], area[1], lines, _leader(x), _leader(y)))
    return tuple(out)
