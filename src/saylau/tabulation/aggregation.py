"""Counting upward: accepted station protocols -> district totals -> city totals, and how far the count is.

A protocol with an error finding is left out (and reported) until it is corrected; it never stops the
others from counting. Identical duplicates count once. The totals are `Tally` objects, so a partial count
can be declared exactly like the published final one (`Results.list_tally`, `Results.district_tallies`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from saylau.domain import BallotAccounting, BallotProgress, CountStatus, Election, Results, Tally
from saylau.limits import MAX_COUNT
from saylau.tabulation.checks import CheckSettings, Finding, check, errors_by_protocol
from saylau.tabulation.protocol import BallotKind, Protocol, Station

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

Progress = BallotProgress
"""How much of one ballot is counted (the domain's `BallotProgress`)."""

Status = CountStatus
"""`partial` or `complete` for one ballot (the domain's `CountStatus`)."""

MAX_ROWS = 2**63 // MAX_COUNT // 2
VECTOR_ROWS = 2000
"""From this many protocols a ballot's sums are made with numpy; fewer are summed in Python integers, faster
than numpy's import (a city's count on the command line)."""

_LINES = ("against_all", "invalid", "found", "registered")


@dataclass(frozen=True, slots=True)
class Tabulation:
    """The count so far: totals per district for both ballots, the city-wide list ballot, and progress.

    `list_by_district` sums the list ballot over each district's stations (for maps and checks); the seats
    are allocated on `list_tally`, its sum over the city.
    """

    list_tally: Tally | None
    list_by_district: Mapping[int, Tally]
    district_tallies: Mapping[int, Tally]
    progress: Mapping[BallotKind, Progress]
    accepted: Sequence[Protocol]
    """The accepted protocols in order: a tuple when counted one by one, the column reader's rows as columns
    (`saylau.tabulation.fast.AcceptedRows`, objects made when first asked for) when counted through columns."""
    findings: tuple[Finding, ...]
    summed: Mapping[str, BallotAccounting] | None = None
    """The ballot accounting where the counter summed it already (the column reader); else None."""

    @property
    def accounting(self) -> dict[str, BallotAccounting]:
        """Per ballot: the ballot accounting (received, issued and its "of which" lines, cancelled, found)."""
        if self.summed is not None:
            return dict(self.summed)
        return {str(b): account(p for p in self.accepted if p.ballot == b) for b in self.progress}

    def results(self, published: Results | None = None) -> Results:
        """The count as `Results`, ready for `declare`, with how far it has got (see `counted_results`)."""
        progress = {str(b): p for b, p in self.progress.items()}
        return counted_results(published, self.list_tally, self.district_tallies, progress, self.accounting)


def counted_results(
    published: Results | None,
    list_tally: Tally | None,
    district_tallies: Mapping[int, Tally],
    progress: Mapping[str, BallotProgress],
    accounting: Mapping[str, BallotAccounting],
) -> Results:
    """The result of a count: the one place where counted tallies become `Results`, whichever path counted
    them (`tabulate` one protocol at a time, the column reader, the service's accepted entries).

    `published` is what the commission published (percentages, seats, turnout), kept beside the count for
    the comparison (None: nothing published). The ballot accounting (received, issued, cancelled, found)
    goes with the tallies on every path.
    """
    return replace(
        published if published is not None else Results(),
        list_tally=list_tally,
        district_tallies=dict(district_tallies),
        progress=dict(progress),
        accounting=dict(accounting),
    )


def tabulate(
    protocols: Iterable[Protocol],
    election: Election,
    stations: Sequence[Station],
    settings: CheckSettings = CheckSettings(),  # noqa: B008 - frozen, never mutated
) -> Tabulation:
    """Check every protocol, count the accepted ones, and say how complete the count is."""
    protocols = list(protocols)
    findings = check(protocols, election, stations, settings)
    rejected = errors_by_protocol(findings)
    accepted: dict[tuple[int, BallotKind], Protocol] = {}
    for p in protocols:
        if p.key not in rejected:
            accepted.setdefault(p.key, p)  # an identical duplicate counts once
    counted = tuple(accepted.values())
    ballots: list[BallotKind] = []
    if election.parties:
        ballots.append("list")
    if election.districts:
        ballots.append("district")
    by_ballot = {b: [p for p in counted if p.ballot == b] for b in ballots}
    list_by_district = _sum_by_district(by_ballot["list"]) if "list" in by_ballot else {}
    list_tally = _sum_tallies(list_by_district.values()) if by_ballot.get("list") else None
    if list_tally is not None:  # every registered party appears, with 0 where nobody voted for it yet
        list_tally = Tally(
            {party.short_name: list_tally.votes.get(party.short_name, 0) for party in election.parties},
            list_tally.against_all,
            list_tally.invalid,
            list_tally.took_part,
            list_tally.registered,
        )
    district_tallies = _sum_by_district(by_ballot.get("district", []))
    progress = {b: _progress(b, by_ballot[b], stations) for b in ballots}
    return Tabulation(list_tally, list_by_district, district_tallies, progress, counted, tuple(findings))


def account(protocols: Iterable[Protocol]) -> BallotAccounting:
    """The ballot accounting lines summed over protocols (exact Python ints)."""
    lines = ("received", "issued", "issued_absentee", "issued_outside", "cancelled", "found")
    sums = dict.fromkeys(lines, 0)
    for p in protocols:
        for line in lines:
            sums[line] += p.figure(line)
    return BallotAccounting(**sums)


def _sum_by_district(protocols: Sequence[Protocol]) -> dict[int, Tally]:
    """One Tally per district: the sums of its protocols, vectorised over options and lines.

    Exact: only accepted protocols reach here, and check P006 holds each of their counts to
    limits.MAX_COUNT (10**10), so a sum of fewer than MAX_ROWS of them stays below 2**63; past that many
    (never in a real election) the sums are made with Python integers instead, as they are for fewer than
    VECTOR_ROWS protocols.
    """
    if not VECTOR_ROWS <= len(protocols) <= MAX_ROWS or any(
        not 0 <= n <= MAX_COUNT for p in protocols for n in (*p.votes.values(), *(p.figure(x) for x in _LINES))
    ):
        return _exact_sum_by_district(protocols)
    import numpy as np

    districts = sorted({p.district for p in protocols})
    options = sorted({o for p in protocols for o in p.votes})
    row_of = {d: i for i, d in enumerate(districts)}
    column_of = {o: j for j, o in enumerate(options)}
    figures: npt.NDArray[np.int64] = np.zeros((len(protocols), len(options) + len(_LINES)), dtype=np.int64)
    for i, p in enumerate(protocols):
        for option, count in p.votes.items():
            figures[i, column_of[option]] = count
        figures[i, len(options) :] = [p.figure(line) for line in _LINES]
    sums: npt.NDArray[np.int64] = np.zeros((len(districts), figures.shape[1]), dtype=np.int64)
    np.add.at(sums, [row_of[p.district] for p in protocols], figures)
    present: dict[int, set[str]] = {d: set() for d in districts}  # one pass: linear in protocols and districts
    for p in protocols:
        present[p.district].update(p.votes)
    tallies: dict[int, Tally] = {}
    for d, row in zip(districts, sums.tolist(), strict=True):
        against_all, invalid, found, registered = row[len(options) :]
        votes = {o: int(row[column_of[o]]) for o in options if o in present[d]}
        tallies[d] = Tally(votes, int(against_all), int(invalid), int(found), int(registered))
    return tallies


def _exact_sum_by_district(protocols: Sequence[Protocol]) -> dict[int, Tally]:
    """The same sums with Python integers (a few protocols, or counts outside the bounds int64 is proved
    exact for); options in the same (sorted) order as the vectorised sums give them."""
    by_district: dict[int, list[Tally]] = {}
    for p in protocols:
        tally = Tally(dict(p.votes), p.against_all, p.invalid, p.found, p.registered)
        by_district.setdefault(p.district, []).append(tally)
    out: dict[int, Tally] = {}
    for d in sorted(by_district):
        summed = _sum_tallies(by_district[d])
        votes = {o: summed.votes[o] for o in sorted(summed.votes)}
        out[d] = Tally(votes, summed.against_all, summed.invalid, summed.took_part, summed.registered)
    return out


def _sum_tallies(tallies: Iterable[Tally]) -> Tally:
    votes: dict[str, int] = {}
    against_all = invalid = took_part = registered = 0
    for t in tallies:
        for option, count in t.votes.items():
            votes[option] = votes.get(option, 0) + count
        against_all += t.against_all
        invalid += t.invalid
        took_part += t.took_part
        registered += t.registered
    return Tally(votes, against_all, invalid, took_part, registered)


def _progress(ballot: BallotKind, counted: Sequence[Protocol], stations: Sequence[Station]) -> Progress:
    reported = {p.station for p in counted}
    return Progress(
        ballot,
        stations_reported=sum(1 for s in stations if s.number in reported),
        stations_expected=len(stations),
        registered_covered=sum(s.registered for s in stations if s.number in reported),
        registered_expected=sum(s.registered for s in stations),
    )
