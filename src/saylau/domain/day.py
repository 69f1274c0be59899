"""An election day: several contests counted the same night at the same polling stations, and the commissions.

On 19 March 2023 each of Kazakhstan's 10,146 polling stations counted the Mäjilis (list and district
ballots), the regional or city mäslihat (list and district ballots) and, outside the three big cities, a
district mäslihat (district ballot). The protocols went up a tree of commissions: precinct -> district
election commission (one per single-member district) -> territorial (city, region) -> the Central Election
Commission. This module says that as data; nothing here is Kazakhstan's, the presets are.

    ElectionDay          the day: its contests, its polling stations (once), its commissions
    ├── Contest          one election of the day: an `Election` (today's contest folder) + the stations counting it
    ├── PollingStation   one station: registered voters once, its region and area, its district in each contest
    └── ElectionCommission  one commission of the tree: level, parent, area (stations, districts), declarations

The day is the service's unit of work (issue 22): a station's clerk opens the station once and enters the
protocols of each contest it counts (`ElectionDay.contests_at`); a user belongs to one `ElectionCommission`
and may act on its area only (`ElectionCommission.covers`); a commission declares the contests named in
its `declares` (`ElectionDay.declarer`), and a district commission certifies its districts' results.

Plain frozen dataclasses and pure functions, no I/O: `saylau.io.day.load_day` builds them from a day folder
(docs/election-day.md); identifiers are the folder's (`Contest.id`, `ElectionCommission.id`, station
numbers), stable across loads, so a store can key rows by them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from saylau.domain.election import Election, Names


class CommissionLevel(StrEnum):
    """The four levels of election commissions, from the polling station up (Kazakhstan's names, general use).

    A commission's parent is always of a higher level (`rank`); levels may be skipped (a territorial
    commission may sit directly above precinct commissions where there are no district commissions).
    """

    PRECINCT = "precinct"
    """Counts the ballots of one polling station (участковая / учаскелік комиссия)."""
    DISTRICT = "district"
    """Establishes the result of single-member districts of one contest (окружная / округтік комиссия)."""
    TERRITORIAL = "territorial"
    """A city's or region's commission: declares its mäslihats (территориальная / аумақтық комиссия)."""
    CENTRAL = "central"
    """The Central Election Commission: declares national contests (the Mäjilis list tier)."""

    @property
    def rank(self) -> int:
        """0 for a precinct commission up to 3 for the central commission: a parent ranks above its children."""
        return _RANKS[self]


_RANKS = {
    CommissionLevel.PRECINCT: 0,
    CommissionLevel.DISTRICT: 1,
    CommissionLevel.TERRITORIAL: 2,
    CommissionLevel.CENTRAL: 3,
}


@dataclass(frozen=True, slots=True)
class PollingStation:
    """A polling station of the day, registered once for every contest it counts.

    `region` and `area` place it in the country's administrative map (a region or city of republican
    significance; an administrative district or town inside it): contests and territorial commissions are
    tied to stations through them. `districts` gives, for each contest it counts that has single-member
    districts, the number of the district it lies in (a station lies in a Mäjilis district, a city mäslihat
    district and a district mäslihat district at once).
    """

    number: int
    registered: int
    region: str = ""
    area: str = ""
    name: str = ""
    names: Names = field(default_factory=dict)
    districts: Mapping[str, int] = field(default_factory=dict)
    """Contest id -> the single-member district this station lies in, for the contests that have districts."""

    def district(self, contest: str) -> int | None:
        """The station's district in `contest`, or None (a list-only contest, or one it does not count)."""
        return self.districts.get(contest)


@dataclass(frozen=True, slots=True)
class Contest:
    """One contest of the day: one body elected on one day, e.g. the Mäjilis or the Almaty City Mäslihat.

    `election` is exactly what `saylau.io.load_election` makes of the contest's folder (today's election
    folder, unchanged), its tallies counted from the protocols of the stations in `stations`.
    """

    id: str
    """The contest's identifier in the day folder (`day.toml`'s `[[contests]] id`), e.g. `majilis`."""
    folder: str
    """Its election folder, relative to the day folder."""
    election: Election
    stations: frozenset[int]
    """The polling stations that count this contest's ballots."""

    @property
    def ballots(self) -> tuple[str, ...]:
        """The ballot kinds a station of this contest counts: `list`, `district`, or both (list first)."""
        system = self.election.system
        kinds = []
        if system.list_tier is not None:
            kinds.append("list")
        if system.district_tier is not None and self.election.districts:
            kinds.append("district")
        return tuple(kinds)


@dataclass(frozen=True, slots=True)
class DistrictRef:
    """One single-member district of one contest: the area of a district election commission."""

    contest: str
    district: int


@dataclass(frozen=True, slots=True)
class ElectionCommission:
    """One election commission of the day's tree, with its area and what it declares.

    The area is resolved to stations: `stations` holds every polling station whose protocols reach this
    commission (its own for a precinct commission; every station of its districts for a district commission;
    every station of its region for a territorial one). A commission's area lies inside its parent's.
    """

    id: str
    level: CommissionLevel
    name: str
    parent: str | None = None
    """The id of the commission above it; None for the root (the central commission)."""
    names: Names = field(default_factory=dict)
    region: str = ""
    """The region a territorial commission serves ("" for others, or for one defined by stations)."""
    stations: frozenset[int] = frozenset()
    districts: tuple[DistrictRef, ...] = ()
    """The single-member districts a district commission establishes the result of."""
    declares: tuple[str, ...] = ()
    """Ids of the contests whose result this commission declares (the central commission: the Mäjilis)."""

    def covers(self, station: int) -> bool:
        """Whether the station lies in this commission's area: its users may act on the station's protocols."""
        return station in self.stations

    def establishes(self, contest: str, district: int) -> bool:
        """Whether this commission establishes (certifies) the result of that district of that contest."""
        return DistrictRef(contest, district) in self.districts


@dataclass(frozen=True, slots=True)
class ElectionDay:
    """Every contest of one day, the polling stations that count them, and the commissions that declare them.

    Invariants the loader checks (a day that breaks one is refused): contest ids and commission ids unique;
    every contest's stations are stations of the day; a station's `districts` name districts of that
    contest; commissions form a tree (one root, parents of higher level, areas nested); every contest has
    exactly one declaring commission whose area holds all the contest's stations.
    """

    name: str
    contests: tuple[Contest, ...]
    stations: Mapping[int, PollingStation]
    commissions: Mapping[str, ElectionCommission]
    """By id, parents before their children (the root first)."""
    date: date | None = None
    country: str | None = None
    names: Names = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def contest(self, contest_id: str) -> Contest | None:
        """The contest of that id, if the day has it."""
        return next((c for c in self.contests if c.id == contest_id), None)

    def contests_at(self, station: int) -> tuple[Contest, ...]:
        """The contests a station counts, in the day's order: the protocols its clerk enters on the night."""
        return tuple(c for c in self.contests if station in c.stations)

    def commission(self, commission_id: str) -> ElectionCommission | None:
        """The commission of that id, if the day has it."""
        return self.commissions.get(commission_id)

    @property
    def root(self) -> ElectionCommission | None:
        """The commission at the top of the tree (the central commission); None for a day with none."""
        return next((c for c in self.commissions.values() if c.parent is None), None)

    def children(self, commission_id: str) -> tuple[ElectionCommission, ...]:
        """The commissions directly below one commission, in the day's order."""
        return tuple(c for c in self.commissions.values() if c.parent == commission_id)

    def ancestors(self, commission_id: str) -> Iterator[ElectionCommission]:
        """The commissions above one commission, nearest first (its parent, ..., the root)."""
        found = self.commission(commission_id)
        seen = set()
        while found is not None and found.parent is not None and found.parent not in seen:
            seen.add(found.parent)
            found = self.commission(found.parent)
            if found is not None:
                yield found

    def declarer(self, contest_id: str) -> ElectionCommission | None:
        """The commission that declares the contest's result (the one whose `declares` names it)."""
        return next((c for c in self.commissions.values() if contest_id in c.declares), None)

    def precinct(self, station: int) -> ElectionCommission | None:
        """The precinct commission of a polling station, if the tree has one."""
        return next(
            (c for c in self.commissions.values() if c.level is CommissionLevel.PRECINCT and station in c.stations),
            None,
        )

    def district_commission(self, contest: str, district: int) -> ElectionCommission | None:
        """The district commission that establishes one district's result, if the tree has one."""
        return next((c for c in self.commissions.values() if c.establishes(contest, district)), None)

    @property
    def registered(self) -> int:
        """Voters registered at the day's stations, each counted once whatever the number of contests."""
        return sum(s.registered for s in self.stations.values())
