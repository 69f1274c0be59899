"""The contests the statistical checks look at: per station, who took part and how the leader did.

A contest is one ballot read as a two-way race between its leader and everybody else, the way Klimek et al.
(PNAS 109, 2012) and Kobak, Shpilkin and Pshenichnikov (Ann. Appl. Stat. 10, 2016) read an election:

- `list`: the party-list ballot; the leader is the party with the most list votes in the count.
- `district`: the district ballots pooled; at each station the leader is the candidate with the most votes in
  that station's district (so each station is measured against its own race).

Turnout is ballots found in the boxes over registered voters; the leader's share is the leader's votes over
the ballots found (invalid and "against all" ballots included in the denominator, as Kobak et al. do).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from saylau.tabulation import Protocol, StationHistory


class ContestKind(StrEnum):
    """Which ballot a contest reads."""

    LIST = "list"
    DISTRICT = "district"


@dataclass(frozen=True, slots=True)
class StationVote:
    """One station's figures in one contest (exact counts; the ratios are taken by each statistic)."""

    station: int
    district: int
    registered: int
    found: int
    """Ballots found in the boxes: the voters who took part."""
    leader: int
    """Votes for the contest's leader (the district's leader on the district ballot)."""
    counts: tuple[int, ...]
    """Every option's votes, "against all" last: the counts whose last digits the digit test reads."""
    previous_turnout: float | None = None
    previous_share: float | None = None
    """The station's turnout and the leader's (party's) list share at the previous election, when known."""


@dataclass(frozen=True, slots=True)
class Contest:
    """One ballot's stations, read against its leader (`leaders`: district number -> leader on the district
    ballot; on the list ballot every district maps to the one leading party)."""

    kind: ContestKind
    leaders: Mapping[int, str]
    stations: tuple[StationVote, ...]

    @property
    def leader(self) -> str:
        """The list ballot's leading party; on the district ballot "" (each district has its own)."""
        names = set(self.leaders.values())
        return next(iter(names)) if self.kind is ContestKind.LIST and len(names) == 1 else ""


def _leader(totals: Mapping[str, int]) -> str:
    """The option with the most votes; a tie goes to the first in name order (a statistic decides no seat)."""
    return min(totals, key=lambda option: (-totals[option], option))


def contests(
    protocols: Iterable[Protocol],
    history: Mapping[int, StationHistory] | None = None,
    parties_of: Mapping[int, Mapping[str, str | None]] | None = None,
) -> tuple[Contest, ...]:
    """The list and district contests of the accepted protocols (a contest with no station is left out).

    `history` adds each station's previous turnout and its leader's previous list share; on the district
    ballot that is the list share of the leading candidate's party (`parties_of`: district -> candidate ->
    party), and unknown for a self-nominated leader.
    """
    by_ballot: dict[str, list[Protocol]] = defaultdict(list)
    for p in protocols:
        by_ballot[p.ballot].append(p)
    found: list[Contest] = []
    list_protocols = by_ballot.get("list", [])
    if list_protocols:
        totals: dict[str, int] = defaultdict(int)
        for p in list_protocols:
            for option, votes in p.votes.items():
                totals[option] += votes
        if totals:
            leader = _leader(totals)
            leaders = {p.district: leader for p in list_protocols}
            found.append(Contest(ContestKind.LIST, leaders, _stations(list_protocols, leaders, history, None)))
    district_protocols = by_ballot.get("district", [])
    if district_protocols:
        per_district: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for p in district_protocols:
            for option, votes in p.votes.items():
                per_district[p.district][option] += votes
        leaders = {d: _leader(t) for d, t in per_district.items() if t}
        party = {d: (parties_of or {}).get(d, {}).get(leader) for d, leader in leaders.items()}
        kept = [p for p in district_protocols if p.district in leaders]
        if kept:
            found.append(Contest(ContestKind.DISTRICT, leaders, _stations(kept, leaders, history, party)))
    return tuple(found)


def _stations(
    protocols: list[Protocol],
    leaders: Mapping[int, str],
    history: Mapping[int, StationHistory] | None,
    party: Mapping[int, str | None] | None,
) -> tuple[StationVote, ...]:
    out = []
    for p in sorted(protocols, key=lambda p: p.station):
        leader = leaders[p.district]
        previous_turnout = previous_share = None
        past = (history or {}).get(p.station)
        if past is not None and past.registered > 0:
            previous_turnout = past.found / past.registered
            backer = leader if party is None else party.get(p.district)
            if backer is not None and past.found > 0:
                previous_share = past.votes.get(backer, 0) / past.found
        counts = (*(p.votes[o] for o in sorted(p.votes)), p.against_all)
        out.append(
            StationVote(
                p.station,
                p.district,
                p.registered,
                p.found,
                p.votes.get(leader, 0),
                counts,
                previous_turnout,
                previous_share,
            )
        )
    return tuple(out)
