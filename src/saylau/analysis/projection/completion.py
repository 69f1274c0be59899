"""Draws of plausible completions of the count (both ballots), from the counted stations' arrays (`counted.py`).

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

import itertools
from typing import Any

import numpy as np
import numpy.typing as npt

from saylau.analysis.projection.counted import BallotCount, BoolArray, CountArrays, count_arrays
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
from saylau.analysis.projection.pairs import Pairs
from saylau.errors import Phrase, SaylauError

__all__ = ["BallotCount", "BoolArray", "Completions", "CountArrays", "NothingCounted", "VoteArray", "count_arrays"]

VoteArray = npt.NDArray[Any]
"""Whole numbers of votes, exact in whatever dtype holds them (int64, or float below 2**24)."""


class NothingCounted(SaylauError):
    """A ballot has no counted station yet: there is nothing to project from."""

    code = "nothing-counted"


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


def _covariates(arrays: CountArrays, extra: FloatArray | None, rows: BoolArray) -> FloatArray:
    """The covariates of the `rows` stations: 1, the register's two sizes, and `extra` when given (written into
    one array: eleven models each take theirs from a million stations)."""
    n = int(np.count_nonzero(rows))
    every = slice(None) if n == rows.shape[0] else rows  # every station (a whole count): no masked copy
    x = np.empty((n, 3 if extra is None else 4))
    x[:, 0] = 1.0
    x[:, 1:3] = arrays.size[every]
    if extra is not None:
        x[:, 3] = extra[every]
    return x


def _turnout(arrays: CountArrays, ballot: BallotCount) -> tuple[Prediction, FloatArray]:
    """The uncounted found per district, and each uncounted station's expected found (0 for counted ones)."""
    previous = arrays.history[:, 0] if arrays.history is not None else None
    c = ballot.counted & (arrays.registered > 0)
    if not c.any():
        raise NothingCounted(Phrase("no station has reported yet: nothing to project from"))
    x = _covariates(arrays, previous, c)
    fit = _fit(ballot.found[c] / arrays.registered[c], arrays.registered[c], x, arrays.district[c], arrays)
    u = ~ballot.counted
    g = arrays.district
    x = _covariates(arrays, previous, u)
    expected = np.zeros_like(arrays.registered)
    expected[u] = np.maximum(arrays.registered[u] * (x @ fit.beta + fit.effect_mean[g[u]]), 0.0)
    return predict(fit, arrays.registered[u], x, g[u], len(arrays.districts)), expected


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
            fit = _fit(ballot.votes[c, k] / found, found, _covariates(arrays, extra, c), g[c], arrays)
            x = _covariates(arrays, extra, u)
            self.shares.append(predict(fit, expected[u], x, g[u], len(arrays.districts)).total())

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
        w = ballot.options
        self.turnout, expected = _turnout(arrays, ballot)
        self.candidate_district = np.array([c[2] for c in arrays.candidates], dtype=np.int64)
        seen = ballot.counted
        # A station's row holds its own district's candidates: each candidate's counted votes are its column's
        # sum over its district's stations.
        sums = group_sums(ballot.votes[seen], arrays.district[seen], d)
        self.counted_votes = sums[self.candidate_district, arrays.candidate_column]
        self.counted_lines = sums[:, w:].T
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
        counted, uncounted = _covariates(arrays, None, c), _covariates(arrays, None, u)
        for k in (w, w + 1):
            fit = _fit(ballot.votes[c, k] / ballot.found[c], ballot.found[c], counted, g[c], arrays)
            self.lines.append(predict(fit, expected[u], uncounted, g[u], d))
        self.lines[1] = self.lines[1].expected()  # invalid ballots elect no one: their expected number will do

    def _pairs(self, rows: IntArray, cands: IntArray) -> Pairs:
        """Covariates of (station, candidate) pairs: the station's size, its party's strength in the list count
        so far, and its party's previous share at the station (0 for a self-nominated candidate).

        Columns of X: 1, then a pair of size slopes per party (and one for the self-nominated): size moves each
        party's candidates its own way, the same pull as on its list; then strength, then the previous share.
        A pair's row holds five numbers of them (`Pairs`: the matrix of several million pairs is never made)."""
        arrays = self.arrays
        index = self.party_index
        group = np.where(index >= 0, index, len(arrays.parties))
        slopes = 2 * (len(arrays.parties) + 1)
        history = arrays.history is not None
        columns = [np.zeros_like(group), 1 + 2 * group, 2 + 2 * group, np.full_like(group, 1 + slopes)]
        # Written column by column into one array (each column contiguous): a few million pairs, no copies.
        values = np.empty((rows.shape[0], 4 + history), order="F")
        values[:, 0] = 1.0
        np.take(arrays.size[:, 0], rows, out=values[:, 1])
        np.take(arrays.size[:, 1], rows, out=values[:, 2])
        starts = np.searchsorted(cands, np.arange(index.shape[0] + 1)).tolist()  # the pairs come by candidate
        for m, (start, end) in enumerate(itertools.pairwise(starts)):
            values[start:end, 3] = self.strength[m]
            if arrays.history is not None:
                party = int(index[m])
                if party >= 0:
                    np.take(arrays.history[:, 1 + party], rows[start:end], out=values[start:end, 4])
                else:
                    values[start:end, 4] = 0.0
        if history:
            columns.append(np.full_like(group, 2 + slopes))
        return Pairs(values, cands, np.column_stack(columns), 2 + slopes + history)

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
            raise NothingCounted(Phrase("no district protocol has reported yet: nothing to project from"))
        x = self._pairs(rows, cands)
        slopes = 2 * (len(arrays.parties) + 1)
        prior = np.array(
            [np.inf] + [SIZE_PRIOR_SD] * slopes + [PREVIOUS_PRIOR_SD] * (x.shape[1] - 1 - slopes), dtype=np.float64
        )
        column = arrays.candidate_column[cands]
        fit = fit_rate(ballot.votes[rows, column] / ballot.found[rows], ballot.found[rows], x, cands, j, prior)
        rows, cands = self._rows(members, ~ballot.counted)
        return members, predict(fit, expected[rows], self._pairs(rows, cands), cands, j)

    def _rows(self, members: IntArray, stations: BoolArray) -> tuple[IntArray, IntArray]:
        """(station, candidate) pairs: each of the `stations` with each member standing in its district."""
        places: dict[int, IntArray] = {}  # each district's stations, found once for all its candidates
        for k in {int(self.candidate_district[m]) for m in members}:
            places[k] = np.flatnonzero(stations & (self.arrays.district == k))
        pairs = [(places[int(self.candidate_district[m])], m) for m in members]
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
