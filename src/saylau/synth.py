"""Synthetic elections: a realistic, seeded election with polling-station protocols, and known errors in them.

Why: tabulation, the protocol checks and the CLI need test data at any size whose true totals are known
independently of the code under test. Every protocol here adds up exactly (found = votes + against all +
invalid; received = floor(registered x 1.01) = issued + cancelled; issued = found), so any finding on it comes
from an error injected on purpose, and that error is recorded as (station, ballot, code).

Pure given the seed (numpy's Generator); writing the folder is `saylau.io.writer`.

Errors are injected into the *list* ballot only, one per station, so that every district keeps an accepted
district protocol and the district races stay decidable; the stations with an error lose their list protocol
from the count, and `expected_list_tally` is the sum over the accepted (error-free) protocols only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from saylau.domain import Tally
from saylau.errors import Count, Phrase
from saylau.tabulation import BallotKind, Protocol, Station, StationHistory

UNREGISTERED = "Unregistered Party"
"""The option an injected P004 votes for: on no ballot of any synthetic election."""

ERROR_KINDS: tuple[str, ...] = ("P001", "P002", "P003", "P004", "P005", "P007", "P008")
"""The protocol errors `synthesize` can inject; P005 needs at least two districts."""


TOO_MANY_ERRORS = (
    "cannot inject {n} error into {stations} stations (one per station)",
    "cannot inject {n} errors into {stations} stations (one per station)",
)
DAY_TOO_SMALL = (
    "a day of Kazakhstan's shape needs at least {n} station",
    "a day of Kazakhstan's shape needs at least {n} stations",
)
"""The sizes synth refuses (counted msgids of the catalogues), said in the reader's language by `saylau synth`."""


@dataclass(frozen=True, slots=True)
class Injected:
    """One injected error: the station and ballot whose protocol breaks the check `code`."""

    station: int
    ballot: BallotKind
    code: str


@dataclass(frozen=True, slots=True)
class SyntheticElection:
    """A generated election: who stands, the station register, the protocols as entered, and the truth.

    `protocols` are what the stations report (with the injected errors, P007 copies included);
    `expected_list_tally` and `expected_district_tallies` are the sums of the accepted protocols, computed
    here without the tabulation code, so tests can compare the two.
    """

    seed: int
    parties: tuple[str, ...]
    list_seats: int
    candidates: dict[int, tuple[tuple[str, str], ...]]
    """district -> (candidate, party short name or "self-nominated") in ballot order."""
    stations: tuple[Station, ...]
    protocols: tuple[Protocol, ...]
    injected: tuple[Injected, ...]
    expected_list_tally: Tally
    expected_list_by_district: dict[int, Tally]
    expected_district_tallies: dict[int, Tally]
    previous: dict[int, StationHistory] = dataclasses.field(default_factory=dict)
    """Each station's list ballot at a previous election (only with `previous=True`)."""

    @property
    def districts(self) -> tuple[int, ...]:
        """District numbers, 1..D."""
        return tuple(sorted(self.candidates))

    @property
    def seats(self) -> int:
        """The whole body: list seats plus one per district."""
        return self.list_seats + len(self.candidates)


def synthesize(
    seed: int,
    districts: int,
    stations: int,
    parties: int,
    errors: int = 0,
    list_seats: int | None = None,
    heterogeneity: float = 0.0,
    previous: bool = False,
    candidates: int = 5,
) -> SyntheticElection:
    """A realistic election of `districts` districts, `stations` stations and `parties` parties, reproducible
    from `seed`, with `errors` protocol errors of the kinds in ERROR_KINDS injected on distinct stations.

    `heterogeneity` h > 0 makes places differ as real cities do: each district's party shares swing by
    exp(N(0, h)), each party's share and the turnout drift with the station's size (large urban stations vote
    differently from small ones), and district candidates' station shares vary too. `previous` adds each
    station's list ballot at an earlier election with the same geography (`SyntheticElection.previous`).
    Both draw from a second generator, so an election without them is the same as before they existed.
    Each district has 2 to `candidates` candidates (the default 5 draws what this generator always drew).

    Raises ValueError for sizes that cannot make an election (fewer stations than districts, fewer than two
    parties or two candidates a district, more errors than stations).
    """
    if districts < 1 or stations < districts or parties < 2:
        raise ValueError(Phrase("need at least 1 district, a station per district and 2 parties"))
    if candidates < 2:
        raise ValueError(Phrase("need at least 2 candidates in each district"))
    if not 0 <= errors <= stations:
        raise ValueError(Phrase(*TOO_MANY_ERRORS, n=Count(errors), stations=Count(stations)))
    seats = districts if list_seats is None else list_seats
    if seats < 1:
        raise ValueError(Phrase("need at least one list seat"))
    rng = np.random.default_rng(seed)
    names = tuple(f"Party {i + 1}" for i in range(parties))
    national = rng.dirichlet(np.full(parties, 1.5))
    lineup = {d: _candidates(rng, d, names, candidates) for d in range(1, districts + 1)}
    # Every district gets a station; the rest are spread at random, and numbered district by district.
    where = np.concatenate([np.arange(1, districts + 1), rng.integers(1, districts + 1, stations - districts)])
    where.sort()
    registered = rng.integers(500, 3001, stations)
    register = tuple(Station(1000 + i, int(d), int(r)) for i, (d, r) in enumerate(zip(where, registered, strict=True)))
    district_shares = {d: rng.dirichlet(np.full(len(c), 2.0)) for d, c in lineup.items()}
    places = _Places(np.random.default_rng([seed, 15]), heterogeneity, names, lineup) if heterogeneity else None
    clean: list[Protocol] = []
    for station in register:
        turnout = rng.uniform(0.20, 0.70)
        if places is not None:
            turnout = places.turnout(turnout, station)
        found = int(station.registered * turnout)
        mean = national if places is None else places.list_mean(national, station)
        station_shares = rng.dirichlet(mean * 50 + 0.1)
        clean.append(_protocol(rng, station, "list", found, names, station_shares))
        options = [name for name, _ in lineup[station.district]]
        shares = district_shares[station.district]
        if places is not None:
            shares = places.district_shares(shares, station)
        clean.append(_protocol(rng, station, "district", found, options, shares))
    protocols, injected = _inject(rng, clean, register, districts, errors)
    wrong = {i.station for i in injected}
    accepted = [p for p in clean if not (p.ballot == "list" and p.station in wrong)]
    list_by_district = _sums([p for p in accepted if p.ballot == "list"])
    return SyntheticElection(
        seed=seed,
        parties=names,
        list_seats=seats,
        candidates=lineup,
        stations=register,
        protocols=tuple(protocols),
        injected=tuple(injected),
        expected_list_tally=_total(list_by_district.values(), names),
        expected_list_by_district=list_by_district,
        expected_district_tallies=_sums([p for p in accepted if p.ballot == "district"]),
        previous=_previous(np.random.default_rng([seed, 16]), register, national, names, places) if previous else {},
    )


class _Places:
    """Where a station is: its district's swing and its size drive its shares and turnout (heterogeneity h)."""

    def __init__(
        self,
        rng: np.random.Generator,
        h: float,
        parties: Sequence[str],
        candidates: dict[int, tuple[tuple[str, str], ...]],
    ) -> None:
        self.rng = rng
        self.h = h
        self.swing = {d: rng.normal(0.0, h, len(parties)) for d in candidates}
        self.slope = rng.normal(0.0, h, len(parties))
        self.turnout_slope = rng.normal(0.0, h / 2)
        slope_of = dict(zip(parties, self.slope, strict=True))
        self.candidate_slope = {d: np.array([slope_of.get(p, 0.0) for _, p in c]) for d, c in candidates.items()}

    @staticmethod
    def size(station: Station) -> float:
        """The station's size on a scale where the register's range (500-3,000) is about -1.7..1.7."""
        return (station.registered - 1750) / 750

    def turnout(self, turnout: float, station: Station) -> float:
        """The station's turnout drifted with its size, folded back into [0.05, 0.95] at the bounds.

        Folded, not clipped: a clip put every station past the bound at exactly 95.0% turnout (48 of 2,000
        stations in one seed), a pile at a round percentage that the integer-percentage test rightly reads as
        written-in figures, so "clean" elections were not clean (docs/forensics.md)."""
        drifted = turnout * float(np.exp(self.turnout_slope * self.size(station)))
        folded = 1.9 - drifted if drifted > 0.95 else 0.1 - drifted if drifted < 0.05 else drifted
        return float(np.clip(folded, 0.05, 0.95))

    def list_mean(self, national: npt.NDArray[np.float64], station: Station) -> npt.NDArray[np.float64]:
        mean = national * np.exp(self.swing[station.district] + self.slope * self.size(station))
        out: npt.NDArray[np.float64] = mean / mean.sum()
        return out

    def district_shares(self, shares: npt.NDArray[np.float64], station: Station) -> npt.NDArray[np.float64]:
        mean = shares * np.exp(self.candidate_slope[station.district] * self.size(station))
        out: npt.NDArray[np.float64] = self.rng.dirichlet(mean / mean.sum() * 100 + 0.1)
        return out


def _previous(
    rng: np.random.Generator,
    register: Sequence[Station],
    national: npt.NDArray[np.float64],
    parties: Sequence[str],
    places: _Places | None,
) -> dict[int, StationHistory]:
    """An earlier election at the same stations: the same geography, a different city-wide mood."""
    mood = national * np.exp(rng.normal(0.0, 0.3, len(parties)))
    mood /= mood.sum()
    out = {}
    for station in register:
        turnout = rng.uniform(0.20, 0.70)
        mean = mood if places is None else places.list_mean(mood, station)
        found = int(station.registered * (turnout if places is None else places.turnout(turnout, station)))
        votes = rng.multinomial(int(found * 0.93), rng.dirichlet(mean * 50 + 0.1))
        out[station.number] = StationHistory(
            station.registered, found, dict(zip(parties, map(int, votes), strict=True))
        )
    return out


def _candidates(
    rng: np.random.Generator, district: int, parties: Sequence[str], most: int
) -> tuple[tuple[str, str], ...]:
    """2 to `most` candidates, each of a different party or self-nominated when parties run out."""
    count = int(rng.integers(2, most + 1))
    backing = list(rng.permutation(len(parties))[:count])
    return tuple(
        (f"Candidate {district}-{k + 1}", parties[int(backing[k])] if k < len(backing) else "self-nominated")
        for k in range(count)
    )


def _protocol(
    rng: np.random.Generator,
    station: Station,
    ballot: BallotKind,
    found: int,
    options: Sequence[str],
    shares: npt.NDArray[np.float64],
) -> Protocol:
    """A protocol that adds up exactly: 1-4% invalid, 2-8% against all, the rest split among `options`."""
    invalid = int(found * rng.uniform(0.01, 0.04))
    against_all = int(found * rng.uniform(0.02, 0.08))
    votes = rng.multinomial(found - invalid - against_all, shares / shares.sum())
    received = station.registered * 101 // 100
    return Protocol(
        station=station.number,
        district=station.district,
        ballot=ballot,
        registered=station.registered,
        received=received,
        issued=found,
        issued_absentee=int(rng.binomial(found, 0.01)),
        issued_outside=int(rng.binomial(found, 0.02)),
        cancelled=received - found,
        found=found,
        invalid=invalid,
        against_all=against_all,
        votes={o: int(v) for o, v in zip(options, votes, strict=True)},
    )


def _inject(
    rng: np.random.Generator, clean: list[Protocol], register: Sequence[Station], districts: int, errors: int
) -> tuple[list[Protocol], list[Injected]]:
    """The protocols as entered: `errors` list protocols of distinct stations broken, each in one known way."""
    kinds = [k for k in ERROR_KINDS if k != "P005" or districts >= 2]
    chosen = {register[int(i)].number for i in rng.choice(len(register), errors, replace=False)}
    protocols: list[Protocol] = []
    injected: list[Injected] = []
    for p in clean:
        if p.ballot != "list" or p.station not in chosen:
            protocols.append(p)
            continue
        code = kinds[len(injected) % len(kinds)]
        injected.append(Injected(p.station, "list", code))
        protocols += _broken(p, code, districts)
    return protocols, injected


def _broken(p: Protocol, code: str, districts: int) -> list[Protocol]:
    """`p` entered with exactly the mistake `code` names (P007: two copies with different figures)."""
    replace = dataclasses.replace
    if code == "P001":
        return [replace(p, found=p.found + 1)]
    if code == "P002":
        return [replace(p, issued=p.received + 1, cancelled=0)]
    if code == "P003":
        return [replace(p, cancelled=p.cancelled + 1)]
    if code == "P004":
        return [replace(p, votes={**p.votes, UNREGISTERED: 0})]
    if code == "P005":
        return [replace(p, district=p.district % districts + 1)]
    if code == "P007":
        return [p, replace(p, found=p.found + 1, against_all=p.against_all + 1)]
    if code == "P008":
        return [replace(p, issued_absentee=p.issued + 1)]
    raise ValueError(Phrase("cannot inject {code}", code=code))


def _sums(protocols: Sequence[Protocol]) -> dict[int, Tally]:
    """Per district, the plain sum of the protocols' lines (independent of saylau.tabulation)."""
    out: dict[int, Tally] = {}
    for p in protocols:
        t = out.get(p.district, Tally({}))
        votes = dict(t.votes)
        for option, count in p.votes.items():
            votes[option] = votes.get(option, 0) + count
        out[p.district] = Tally(
            votes,
            t.against_all + p.against_all,
            t.invalid + p.invalid,
            t.took_part + p.found,
            t.registered + p.registered,
        )
    return out


def _total(tallies: Iterable[Tally], parties: Sequence[str]) -> Tally:
    """The city total of per-district tallies, every party present."""
    items = list(tallies)
    return Tally(
        {name: sum(t.votes.get(name, 0) for t in items) for name in parties},
        sum(t.against_all for t in items),
        sum(t.invalid for t in items),
        sum(t.took_part for t in items),
        sum(t.registered for t in items),
    )


# -- an election day of Kazakhstan's 2023 shape ---------------------------------------------------------------

KAZAKHSTAN_2023_REGIONS: tuple[tuple[str, float, bool, int], ...] = (
    # (region, population in millions, a city of republican significance, regional mäslihat seats).
    # ILLUSTRATIVE sizes: populations rounded from memory of the 2023 estimates; the mäslihat seats are made up
    # in proportion (30-50, half list, half districts), except Almaty's 42 (the seed).
    ("Astana", 1.35, True, 32),
    ("Almaty", 2.2, True, 42),
    ("Shymkent", 1.2, True, 32),
    ("Abai", 0.61, False, 30),
    ("Akmola", 0.79, False, 30),
    ("Aktobe", 0.92, False, 32),
    ("Almaty Region", 1.5, False, 40),
    ("Atyrau", 0.69, False, 30),
    ("East Kazakhstan", 0.73, False, 30),
    ("Jambyl", 1.2, False, 36),
    ("Jetisu", 0.69, False, 30),
    ("Karaganda", 1.13, False, 36),
    ("Kostanay", 0.83, False, 32),
    ("Kyzylorda", 0.83, False, 32),
    ("Mangystau", 0.77, False, 30),
    ("North Kazakhstan", 0.54, False, 30),
    ("Pavlodar", 0.75, False, 30),
    ("Turkistan", 2.1, False, 50),
    ("Ulytau", 0.22, False, 30),
    ("West Kazakhstan", 0.69, False, 30),
)

KAZAKHSTAN_2023_PARTIES: tuple[tuple[str, float], ...] = (
    # The seven parties on the 2023 Mäjilis ballot and their national shares (the Central Election Commission's
    # final results of 27 March 2023), "against all" last: the mean the generated votes are drawn around.
    ("Amanat", 0.539),
    ("Auyl", 0.109),
    ("Respublica", 0.0859),
    ("Aq Jol", 0.0841),
    ("QHP", 0.068),
    ("NSDP", 0.052),
    ("Baytaq", 0.023),
)
MAJILIS_DISTRICTS = 29
MAJILIS_LIST_SEATS = 69


@dataclass(frozen=True, slots=True)
class DayStation:
    """A polling station of a generated day: its register once, its region, its district in each contest."""

    number: int
    registered: int
    region: str
    districts: dict[str, int]


@dataclass(frozen=True, slots=True)
class SyntheticContest:
    """One contest of a generated day: its body and rules, candidates, stations (with its districts), protocols."""

    id: str
    name: str
    preset: str
    list_seats: int
    parties: tuple[str, ...]
    candidates: dict[int, tuple[tuple[str, str], ...]]
    stations: tuple[Station, ...]
    protocols: tuple[Protocol, ...]
    region: str | None = None
    """The region whose stations count it (None: every station of the day)."""

    @property
    def seats(self) -> int:
        return self.list_seats + len(self.candidates)


@dataclass(frozen=True, slots=True)
class SyntheticDay:
    """A generated election day: the stations once, and the Mäjilis and every regional mäslihat counted there."""

    seed: int
    stations: tuple[DayStation, ...]
    contests: tuple[SyntheticContest, ...]
    regions: tuple[str, ...]


def region_id(region: str) -> str:
    """The contest and commission id of a region's mäslihat: `maslihat-almaty-region`."""
    return "maslihat-" + "-".join(region.lower().split())


def synthesize_day(seed: int, stations: int = 10_146) -> SyntheticDay:
    """An election day of Kazakhstan's 2023 shape: `stations` polling stations in 20 regions (3 cities with
    large stations, 17 regions with smaller ones), the Mäjilis (69 list seats, 29 districts apportioned to the
    regions by registered voters) at every station, and each region's mäslihat (half list, half districts) at
    the region's stations. Every voter at a station takes every ballot, so each station's ballots found are the
    same in every contest; shares are drawn around the 2023 national result with a swing per region.

    Pure given the seed; `saylau.io.day_writer.write_day` writes it as a day folder (docs/synth.md).
    """
    if stations < 2 * len(KAZAKHSTAN_2023_REGIONS) * 25:
        raise ValueError(Phrase(*DAY_TOO_SMALL, n=Count(2 * len(KAZAKHSTAN_2023_REGIONS) * 25)))
    rng = np.random.default_rng([seed, 2023])
    names = [r[0] for r in KAZAKHSTAN_2023_REGIONS]
    voters = np.array([r[1] * 0.62e6 for r in KAZAKHSTAN_2023_REGIONS])  # adults on the register
    size = np.array([2100.0 if r[2] else 1000.0 for r in KAZAKHSTAN_2023_REGIONS])
    counts = _apportion(voters / size, stations, minimum=max(r[3] // 2 for r in KAZAKHSTAN_2023_REGIONS))
    majilis_per_region = _apportion(voters, MAJILIS_DISTRICTS, minimum=1)
    parties = tuple(p for p, _ in KAZAKHSTAN_2023_PARTIES)
    national = np.array([s for _, s in KAZAKHSTAN_2023_PARTIES])
    registers: list[DayStation] = []
    majilis_register: list[Station] = []
    found: dict[int, int] = {}
    list_mean: dict[int, npt.NDArray[np.float64]] = {}
    maslihat_registers: dict[str, list[Station]] = {}
    number, first_district = 0, 1
    for k, (region, _, city, seats) in enumerate(KAZAKHSTAN_2023_REGIONS):
        n = int(counts[k])
        sizes = rng.lognormal(np.log(size[k]), 0.45, n).clip(50, 3000).astype(int)
        swing = national * np.exp(rng.normal(0.0, 0.3, len(parties)))
        turnout = rng.uniform(0.25, 0.35) if city else rng.uniform(0.5, 0.75)
        majilis_of = first_district + np.arange(n) * int(majilis_per_region[k]) // n
        first_district += int(majilis_per_region[k])
        maslihat_of = 1 + np.arange(n) * (seats // 2) // n
        contest = region_id(region)
        maslihat_registers[contest] = []
        for i in range(n):
            number += 1
            registered = int(sizes[i])
            districts = {"majilis": int(majilis_of[i]), contest: int(maslihat_of[i])}
            registers.append(DayStation(number, registered, region, districts))
            majilis_register.append(Station(number, int(majilis_of[i]), registered))
            maslihat_registers[contest].append(Station(number, int(maslihat_of[i]), registered))
            found[number] = int(registered * float(np.clip(rng.normal(turnout, 0.08), 0.05, 0.95)))
            list_mean[number] = swing / swing.sum()
    majilis = _contest(
        rng,
        "majilis",
        "Mäjilis (synthetic)",
        "kazakhstan-2023-majilis",
        MAJILIS_LIST_SEATS,
        parties,
        majilis_register,
        found,
        list_mean,
        candidates=(3, 9),
        region=None,
    )
    maslihats = [
        _contest(
            rng,
            region_id(region),
            f"{region} mäslihat (synthetic)",
            "kazakhstan-2023-maslihat",
            seats // 2,
            parties,
            maslihat_registers[region_id(region)],
            found,
            list_mean,
            candidates=(2, 6),
            region=region,
        )
        for region, _, _, seats in KAZAKHSTAN_2023_REGIONS
    ]
    return SyntheticDay(seed, tuple(registers), (majilis, *maslihats), tuple(names))


def _apportion(weights: npt.NDArray[np.float64], total: int, minimum: int) -> npt.NDArray[np.int64]:
    """`total` whole units shared in proportion to `weights` (largest remainders), each at least `minimum`."""
    share = weights / weights.sum() * (total - minimum * len(weights))
    whole = np.floor(share).astype(np.int64)
    rest = total - minimum * len(weights) - int(whole.sum())
    whole[np.argsort(-(share - whole), kind="stable")[:rest]] += 1
    out: npt.NDArray[np.int64] = whole + minimum
    return out


def _contest(
    rng: np.random.Generator,
    ident: str,
    name: str,
    preset: str,
    list_seats: int,
    parties: tuple[str, ...],
    register: list[Station],
    found: dict[int, int],
    list_mean: dict[int, npt.NDArray[np.float64]],
    *,
    candidates: tuple[int, int],
    region: str | None,
) -> SyntheticContest:
    """One contest's candidates and protocols (a list and a district protocol per station) on its register."""
    districts = sorted({s.district for s in register})
    lineup = {d: _lineup(rng, d, parties, *candidates) for d in districts}
    favourite = {d: rng.dirichlet(np.linspace(3.0, 1.0, len(lineup[d]))) for d in districts}
    protocols: list[Protocol] = []
    for station in register:
        voters = found[station.number]
        shares = rng.dirichlet(list_mean[station.number] * 200 + 0.1)
        protocols.append(_protocol(rng, station, "list", voters, parties, shares))
        options = [n for n, _ in lineup[station.district]]
        protocols.append(_protocol(rng, station, "district", voters, options, favourite[station.district]))
    return SyntheticContest(ident, name, preset, list_seats, parties, lineup, tuple(register), tuple(protocols), region)


def _lineup(
    rng: np.random.Generator, district: int, parties: Sequence[str], low: int, high: int
) -> tuple[tuple[str, str], ...]:
    """`low` to `high` candidates: the first few nominated by parties, the rest self-nominated."""
    count = int(rng.integers(low, high + 1))
    backing = list(rng.permutation(len(parties))[: int(rng.integers(1, min(count, len(parties)) + 1))])
    return tuple(
        (f"Candidate {district}-{k + 1}", parties[int(backing[k])] if k < len(backing) else "self-nominated")
        for k in range(count)
    )
