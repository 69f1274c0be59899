"""The counted stations as arrays, and draws of plausible completions of the count (both ballots).

Why separate from the rules: drawing is statistics (floats, `model.py`), the seats are law (exact integers,
`council.py`); what passes between them is whole vote counts, one row per draw.

Each ballot is split the same way: turnout of the uncounted stations (ballots found per registered voter),
then each option's share of the ballots found (parties, or each district's candidates, plus "against all"
and invalid). Covariates known for every station: the size of its register (a station's size says much
about where it is: city centre or suburb), and when the folder has them its figures at the previous election
(turnout, and each party's share). District candidates share one model: what a candidate's party weighs (its
strength in the list count so far) is learnt from the counted districts, so a district with nothing counted
still gets a sensible, wide prior.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from saylau.analysis.projection.model import (
    Float32Array,
    FloatArray,
    IntArray,
    Prediction,
    RateFit,
    fit_rate,
    group_sums,
    predict,
)
from saylau.domain import Election
from saylau.errors import SaylauError
from saylau.tabulation import Protocol, Station, StationHistory

BoolArray = npt.NDArray[np.bool_]
VoteArray = npt.NDArray[Any]
"""Whole numbers of votes, exact in whatever dtype holds them (int64, or float below 2**24)."""


class NothingCounted(SaylauError):
    """A ballot has no counted station yet: there is nothing to project from."""

    code = "nothing-counted"


@dataclass(frozen=True, slots=True)
class BallotCount:
    """One ballot at every station: counted or not, and if counted its votes, "against all" and invalid."""

    counted: BoolArray
    votes: FloatArray
    """(S, K): the options in order, then "against all", then invalid; 0 where not counted."""

    @property
    def found(self) -> FloatArray:
        out: FloatArray = self.votes.sum(axis=1)
        return out


@dataclass(frozen=True, slots=True)
class CountArrays:
    """The station register and what has been counted, as arrays (S stations, D districts)."""

    registered: FloatArray
    district: IntArray
    """Index 0..D-1 into `districts`."""
    districts: tuple[int, ...]
    parties: tuple[str, ...]
    candidates: tuple[tuple[str, str | None, int], ...]
    """(name, party, district index) of every district candidate, district by district in ballot order."""
    list_ballot: BallotCount | None
    district_ballot: BallotCount | None
    """Columns: every candidate of `candidates` (0 outside the station's district), "against all", invalid."""
    history: FloatArray | None
    """(S, 1 + P): previous turnout, then each party's previous share; None without previous figures."""

    @property
    def size(self) -> FloatArray:
        """(S, 2) the register's size, standardised, as a log and as a plain count: the covariates every
        station has (two shapes, so that neither a curve nor a line is taken for granted when extrapolating)."""
        columns = []
        for values in (np.log(np.maximum(self.registered, 1.0)), self.registered):
            spread = float(values.std())
            columns.append((values - values.mean()) / spread if spread > 0 else np.zeros_like(values))
        out: FloatArray = np.column_stack(columns)
        return out


def count_arrays(
    election: Election,
    stations: Sequence[Station],
    counted: Iterable[Protocol],
    history: Mapping[int, StationHistory] | None = None,
) -> CountArrays:
    """Arrays of the register and of the accepted protocols (those of stations not in the register are ignored)."""
    index = {s.number: i for i, s in enumerate(stations)}
    # The election's districts first (the council's order), then any district only the register names.
    known = sorted(d.number for d in election.districts)
    districts = tuple(known + sorted({s.district for s in stations} - set(known)))
    where = {d: i for i, d in enumerate(districts)}
    parties = tuple(p.short_name for p in election.parties_in_registration_order)
    candidates = tuple(
        (c.name, c.party, where[d.number])
        for d in sorted(election.districts, key=lambda d: d.number)
        for c in d.candidates
    )
    n = len(stations)
    lists: dict[int, Protocol] = {}
    races: dict[int, Protocol] = {}
    for p in counted:  # the last protocol of a station and ballot counts, as before
        i = index.get(p.station)
        if i is not None:
            (lists if p.ballot == "list" else races)[i] = p
    list_votes, list_seen = _ballot_rows(n, lists, [parties], lambda _: 0)
    by_district = [tuple(c.name for c in d.candidates) for d in sorted(election.districts, key=lambda d: d.number)]
    offsets = np.cumsum([0, *(len(names) for names in by_district)]).tolist()
    station_district = [where[s.district] for s in stations]
    district_votes, district_seen = _ballot_rows(
        n, races, by_district, lambda i: station_district[i], width=len(candidates), offsets=offsets
    )
    has_list = election.system.list_tier is not None and bool(parties)
    has_district = election.system.district_tier is not None and bool(candidates)
    return CountArrays(
        registered=np.array([s.registered for s in stations], dtype=np.float64),
        district=np.array(station_district, dtype=np.int64),
        districts=districts,
        parties=parties,
        candidates=candidates,
        list_ballot=BallotCount(list_seen, list_votes) if has_list else None,
        district_ballot=BallotCount(district_seen, district_votes) if has_district else None,
        history=_history(stations, parties, history) if history else None,
    )


def _ballot_rows(
    n: int,
    protocols: Mapping[int, Protocol],
    options: Sequence[tuple[str, ...]],
    group: Callable[[int], int],
    *,
    width: int | None = None,
    offsets: Sequence[int] = (0,),
) -> tuple[FloatArray, BoolArray]:
    """(S, width + 2) votes of one ballot by station (`options[group(i)]` at `offsets[group(i)]`, then "against
    all" and invalid; 0 where not counted) and which stations are counted. The cells are gathered as flat
    Python lists and written with one scatter (a numpy write per cell costs more than the whole list)."""
    columns = len(options[0]) if width is None else width
    out = np.zeros((n, columns + 2))
    seen = np.zeros(n, np.bool_)
    if not protocols:
        return out, seen
    rows = sorted(protocols)
    places = [
        list(range(offsets[k], offsets[k] + len(options[k]))) if k < len(options) else []
        for k in range(max(len(options), 1))
    ]
    at: list[int] = []
    where: list[int] = []
    values: list[int] = []
    lines = []
    for i in rows:
        p = protocols[i]
        k = group(i)
        names = options[k] if k < len(options) else ()
        votes = p.votes
        at += [i] * len(names)
        where += places[k] if k < len(places) else []
        values += [votes.get(name, 0) for name in names]
        lines.append((p.against_all, p.invalid))
    out[np.array(at, np.int64), np.array(where, np.int64)] = values
    counted = np.array(rows, np.int64)
    out[counted, columns:] = np.array(lines, dtype=np.float64)
    seen[counted] = True
    return out, seen


def _history(stations: Sequence[Station], parties: Sequence[str], history: Mapping[int, StationHistory]) -> FloatArray:
    """(S, 1 + P) previous turnout and shares; a station without history takes the city's average."""
    rows = [history.get(s.number) for s in stations]
    known = [h is not None and h.found > 0 for h in rows]
    zeros = [0] * len(parties)
    lines = [
        [h.registered, h.found, *map(h.votes.get, parties, zeros)] if h is not None and ok else [1, 1, *zeros]
        for h, ok in zip(rows, known, strict=True)
    ]
    figures = np.array(lines, dtype=np.float64).reshape(len(stations), 2 + len(parties))
    out = np.full((len(stations), 1 + len(parties)), np.nan)
    seen = np.array(known, dtype=np.bool_)
    registered, found = figures[:, 0], figures[:, 1]
    out[seen, 0] = np.divide(
        found[seen], registered[seen], out=np.full(int(seen.sum()), np.nan), where=registered[seen] > 0
    )
    out[seen, 1:] = figures[seen, 2:] / found[seen, None]
    means = np.nanmean(np.where(np.isnan(out).all(axis=0), 0.0, out), axis=0) if len(stations) else 0.0
    filled: FloatArray = np.where(np.isnan(out), means, out)
    return filled


class Completions:
    """Draws of the final count: counted votes plus a draw of every uncounted station's votes.

    `list_draws(n)` gives (n, P + 2) city totals of the list ballot; `district_draws(n)` gives (n, J + 2 D)
    per-district totals (every candidate, then each district's "against all" and invalid). Whole numbers.
    """

    def __init__(self, arrays: CountArrays, rng: np.random.Generator) -> None:
        self.arrays = arrays
        self.rng = rng
        self._list = _ListModel(arrays) if arrays.list_ballot is not None else None
        self._district = _DistrictModel(arrays) if arrays.district_ballot is not None else None

    def list_draws(self, n: int) -> IntArray | None:
        return None if self._list is None else self._list.draw(self.rng, n)

    def district_draws(self, n: int) -> tuple[VoteArray, VoteArray, VoteArray] | None:
        """(candidates (n, J), against all (n, D), invalid (n, D)) per district, or None without districts."""
        return None if self._district is None else self._district.draw(self.rng, n)


def _covariates(arrays: CountArrays, extra: FloatArray | None) -> FloatArray:
    columns = [np.ones_like(arrays.registered)[:, None], arrays.size]
    if extra is not None:
        columns.append(extra[:, None])
    return np.column_stack(columns)


def _turnout(arrays: CountArrays, ballot: BallotCount) -> tuple[Prediction, FloatArray]:
    """The uncounted found per district, and each uncounted station's expected found (0 for counted ones)."""
    x = _covariates(arrays, arrays.history[:, 0] if arrays.history is not None else None)
    c = ballot.counted & (arrays.registered > 0)
    if not c.any():
        raise NothingCounted("no station has reported yet: nothing to project from")
    fit = _fit(ballot.found[c] / arrays.registered[c], arrays.registered[c], x[c], arrays.district[c], arrays)
    u = ~ballot.counted
    g = arrays.district
    expected = np.zeros_like(arrays.registered)
    expected[u] = np.maximum(arrays.registered[u] * (x[u] @ fit.beta + fit.effect_mean[g[u]]), 0.0)
    return predict(fit, arrays.registered[u], x[u], g[u], len(arrays.districts)), expected


def _fit(rate: FloatArray, weight: FloatArray, x: FloatArray, group: IntArray, arrays: CountArrays) -> RateFit:
    return _fit_groups(rate, weight, x, group, len(arrays.districts))


SIZE_PRIOR_SD = 0.1
"""How far one standard deviation of log register size may plausibly move a rate (turnout or a share)."""

PREVIOUS_PRIOR_SD = 1.0
"""How far a rate may plausibly follow the same rate at the previous election (1: one for one)."""


def _fit_groups(rate: FloatArray, weight: FloatArray, x: FloatArray, group: IntArray, groups: int) -> RateFit:
    """`fit_rate` with the covariates' priors: none on the intercept, then size, then the previous rate."""
    prior = np.array([np.inf, SIZE_PRIOR_SD, SIZE_PRIOR_SD, PREVIOUS_PRIOR_SD][: x.shape[1]])
    return fit_rate(rate, weight, x, group, groups, prior)


def _draws(prediction: Prediction, rng: np.random.Generator, n: int) -> Float32Array:
    out = np.empty((n, prediction.mean.shape[0]), np.float32)
    prediction.draw(rng, out)
    return out


class _ListModel:
    """The list ballot: one turnout model and one share model per party, "against all" and invalid."""

    def __init__(self, arrays: CountArrays) -> None:
        ballot = arrays.list_ballot
        assert ballot is not None
        self.counted_total = np.rint(ballot.votes[ballot.counted].sum(axis=0)).astype(np.int64)
        turnout, expected = _turnout(arrays, ballot)
        # Seats on the list ballot depend on city totals only, so each line's districts are drawn as one sum
        # (a sum of normals is normal: the same model, a twentieth of the random numbers).
        self.turnout = turnout.total()
        c = ballot.counted & (ballot.found > 0)
        u = ~ballot.counted
        g = arrays.district
        found = ballot.found[c]
        self.shares: list[Prediction] = []
        for k in range(ballot.votes.shape[1]):
            party = k < len(arrays.parties)
            extra = arrays.history[:, 1 + k] if arrays.history is not None and party else None
            x = _covariates(arrays, extra)
            fit = _fit(ballot.votes[c, k] / found, found, x[c], g[c], arrays)
            self.shares.append(predict(fit, expected[u], x[u], g[u], len(arrays.districts)).total())

    def draw(self, rng: np.random.Generator, n: int) -> IntArray:
        total = np.clip(_draws(self.turnout, rng, n), 0.0, None)
        shares = np.stack([np.clip(_draws(p, rng, n), 0.0, None) for p in self.shares])
        sums = shares.sum(axis=0)
        scale = np.divide(total, sums, out=np.zeros_like(sums), where=sums > 0)
        uncounted = np.stack([(share * scale).sum(axis=1, dtype=np.float64) for share in shares], axis=1)
        out: IntArray = np.rint(uncounted).astype(np.int64) + self.counted_total
        return out


class _DistrictModel:
    """The district ballot: turnout as for the list ballot; every candidate's share in one model.

    A candidate's share depends on the station's size (a pair of slopes per party: size pulls a party's
    candidates as it pulls its list), on its party's strength in the list count so far, and on its party's
    previous share at the station when known; the candidate's own effect is shrunk towards that by how much
    candidates differ. How much party strength matters is learnt from the counted districts, so a district
    with nothing counted leans on its candidates' parties only as far as the data say parties matter.
    """

    def __init__(self, arrays: CountArrays) -> None:
        ballot = arrays.district_ballot
        assert ballot is not None
        self.arrays = arrays
        j = len(arrays.candidates)
        d = len(arrays.districts)
        self.turnout, expected = _turnout(arrays, ballot)
        self.counted_votes = ballot.votes[ballot.counted].sum(axis=0)[:j]
        seen = ballot.counted
        self.counted_lines = group_sums(ballot.votes[seen][:, j:], arrays.district[seen], d).T
        self.candidate_district = np.array([c[2] for c in arrays.candidates], dtype=np.int64)
        self.groups: list[tuple[IntArray, Prediction]] = []
        self.groups.append(self._candidates(ballot, expected))
        self.owner_index = np.concatenate([self.candidate_district, np.arange(d), np.arange(d)])
        self.owner = np.zeros((j + 2 * d, d), np.float32)
        self.owner[np.arange(j + 2 * d), self.owner_index] = 1.0
        self.counted = np.rint(
            np.concatenate([self.counted_votes, self.counted_lines[0], self.counted_lines[1]])
        ).astype(np.int64)
        self.exact_in_single = float(arrays.registered.sum()) < 2**23
        self.lines: list[Prediction] = []
        c = ballot.counted & (ballot.found > 0)
        u = ~ballot.counted
        g = arrays.district
        x = _covariates(arrays, None)
        for k in (j, j + 1):
            fit = _fit(ballot.votes[c, k] / ballot.found[c], ballot.found[c], x[c], g[c], arrays)
            self.lines.append(predict(fit, expected[u], x[u], g[u], d))
        self.lines[1] = self.lines[1].expected()  # invalid ballots elect no one: their expected number will do

    def _pairs(self, rows: IntArray, cands: IntArray) -> FloatArray:
        """Covariates of (station, candidate) pairs: the station's size, its party's strength in the list count
        so far, and its party's previous share at the station (0 for a self-nominated candidate)."""
        arrays = self.arrays
        size = arrays.size[rows]
        group = np.where(self.party_index[cands] >= 0, self.party_index[cands], len(arrays.parties))
        # Size moves each party's candidates its own way (the same pull as on its list): one pair of size
        # slopes per party (and one for the self-nominated).
        by_party = np.zeros((rows.shape[0], 2 * (len(arrays.parties) + 1)))
        by_party[np.arange(rows.shape[0]), 2 * group] = size[:, 0]
        by_party[np.arange(rows.shape[0]), 2 * group + 1] = size[:, 1]
        columns = [np.ones((rows.shape[0], 1)), by_party, self.strength[cands][:, None]]
        if arrays.history is not None:
            index = self.party_index[cands]
            previous = np.where(index >= 0, arrays.history[rows, 1 + np.maximum(index, 0)], 0.0)
            columns.append(previous[:, None])
        out: FloatArray = np.hstack(columns)
        return out

    def _candidates(self, ballot: BallotCount, expected: FloatArray) -> tuple[IntArray, Prediction]:
        arrays = self.arrays
        j = len(arrays.candidates)
        self.party_index = np.array(
            [arrays.parties.index(c[1]) if c[1] in arrays.parties else -1 for c in arrays.candidates], np.int64
        )
        strength = np.zeros(len(arrays.parties) + 1)
        if arrays.list_ballot is not None and arrays.list_ballot.counted.any():
            counted = arrays.list_ballot.votes[arrays.list_ballot.counted].sum(axis=0)
            strength[:-1] = counted[: len(arrays.parties)] / max(float(counted.sum()), 1.0)
        self.strength = strength[self.party_index]
        members = np.arange(j, dtype=np.int64)
        rows, cands = self._rows(members, ballot.counted & (ballot.found > 0))
        if rows.shape[0] < 1:
            raise NothingCounted("no district protocol has reported yet: nothing to project from")
        x = self._pairs(rows, cands)
        slopes = 2 * (len(arrays.parties) + 1)
        prior = np.array(
            [np.inf] + [SIZE_PRIOR_SD] * slopes + [PREVIOUS_PRIOR_SD] * (x.shape[1] - 1 - slopes), dtype=np.float64
        )
        fit = fit_rate(ballot.votes[rows, cands] / ballot.found[rows], ballot.found[rows], x, cands, j, prior)
        rows, cands = self._rows(members, ~ballot.counted)
        return members, predict(fit, expected[rows], self._pairs(rows, cands), cands, j)

    def _rows(self, members: IntArray, stations: BoolArray) -> tuple[IntArray, IntArray]:
        """(station, candidate) pairs: each of the `stations` with each member standing in its district."""
        pairs = [(np.flatnonzero(stations & (self.arrays.district == self.candidate_district[m])), m) for m in members]
        rows = np.concatenate([p[0] for p in pairs]) if pairs else np.zeros(0, np.int64)
        cands = np.concatenate([np.full(p[0].shape[0], p[1]) for p in pairs]) if pairs else np.zeros(0, np.int64)
        return rows.astype(np.int64), cands.astype(np.int64)

    def draw(self, rng: np.random.Generator, n: int) -> tuple[VoteArray, VoteArray, VoteArray]:
        j, d = len(self.arrays.candidates), len(self.arrays.districts)
        total = np.clip(_draws(self.turnout, rng, n), 0.0, None)
        shares = np.empty((n, j + 2 * d), np.float32)
        for members, prediction in self.groups:
            shares[:, members] = _draws(prediction, rng, n)
        shares[:, j : j + d] = _draws(self.lines[0], rng, n)
        shares[:, j + d :] = _draws(self.lines[1], rng, n)
        np.clip(shares, 0.0, None, out=shares)
        sums = shares @ self.owner
        scale = np.divide(total, sums, out=np.zeros_like(sums), where=sums > 0)
        shares *= scale[:, self.owner_index]
        # Whole numbers stay exact in single precision below 2**24: then the races are decided on float32
        # arrays (no int64 copy of every draw); a larger electorate takes double precision.
        votes = np.rint(shares, out=shares) if self.exact_in_single else np.rint(shares.astype(np.float64))
        votes += self.counted.astype(votes.dtype)
        return votes[:, :j], votes[:, j : j + d], votes[:, j + d :]
