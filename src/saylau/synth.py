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
from saylau.tabulation import BallotKind, Protocol, Station, StationHistory

UNREGISTERED = "Unregistered Party"
"""The option an injected P004 votes for: on no ballot of any synthetic election."""

ERROR_KINDS: tuple[str, ...] = ("P001", "P002", "P003", "P004", "P005", "P007", "P008")
"""The protocol errors `synthesize` can inject; P005 needs at least two districts."""


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
) -> SyntheticElection:
    """A realistic election of `districts` districts, `stations` stations and `parties` parties, reproducible
    from `seed`, with `errors` protocol errors of the kinds in ERROR_KINDS injected on distinct stations.

    `heterogeneity` h > 0 makes places differ as real cities do: each district's party shares swing by
    exp(N(0, h)), each party's share and the turnout drift with the station's size (large urban stations vote
    differently from small ones), and district candidates' station shares vary too. `previous` adds each
    station's list ballot at an earlier election with the same geography (`SyntheticElection.previous`).
    Both draw from a second generator, so an election without them is the same as before they existed.

    Raises ValueError for sizes that cannot make an election (fewer stations than districts, fewer than two
    parties, more errors than stations).
    """
    if districts < 1 or stations < districts or parties < 2:
        raise ValueError("need at least 1 district, a station per district and 2 parties")
    if not 0 <= errors <= stations:
        raise ValueError(f"cannot inject {errors} errors into {stations} stations (one per station)")
    seats = districts if list_seats is None else list_seats
    if seats < 1:
        raise ValueError("need at least one list seat")
    rng = np.random.default_rng(seed)
    names = tuple(f"Party {i + 1}" for i in range(parties))
    national = rng.dirichlet(np.full(parties, 1.5))
    candidates = {d: _candidates(rng, d, names) for d in range(1, districts + 1)}
    # Every district gets a station; the rest are spread at random, and numbered district by district.
    where = np.concatenate([np.arange(1, districts + 1), rng.integers(1, districts + 1, stations - districts)])
    where.sort()
    registered = rng.integers(500, 3001, stations)
    register = tuple(Station(1000 + i, int(d), int(r)) for i, (d, r) in enumerate(zip(where, registered, strict=True)))
    district_shares = {d: rng.dirichlet(np.full(len(c), 2.0)) for d, c in candidates.items()}
    places = _Places(np.random.default_rng([seed, 15]), heterogeneity, names, candidates) if heterogeneity else None
    clean: list[Protocol] = []
    for station in register:
        turnout = rng.uniform(0.20, 0.70)
        if places is not None:
            turnout = places.turnout(turnout, station)
        found = int(station.registered * turnout)
        mean = national if places is None else places.list_mean(national, station)
        station_shares = rng.dirichlet(mean * 50 + 0.1)
        clean.append(_protocol(rng, station, "list", found, names, station_shares))
        options = [name for name, _ in candidates[station.district]]
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
        candidates=candidates,
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
        return float(np.clip(turnout * np.exp(self.turnout_slope * self.size(station)), 0.05, 0.95))

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


def _candidates(rng: np.random.Generator, district: int, parties: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """2 to 5 candidates, each of a different party or self-nominated when parties run out."""
    count = int(rng.integers(2, 6))
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
    raise ValueError(f"cannot inject {code}")


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
