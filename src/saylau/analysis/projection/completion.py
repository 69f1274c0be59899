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

from typing import Any

import numpy as np
import numpy.typing as npt

from saylau.analysis.projection.counted import BallotCount, BoolArray, CountArrays, count_arrays
from saylau.analysis.projection.model import Float32Array, FloatArray, IntArray, Prediction, group_sums
from saylau.analysis.projection.sums import Labels, Moments, Rest, Rows, Sample
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
        stations = _Stations(arrays)
        self._list = _ListModel(stations) if arrays.list_ballot is not None else None
        self._district = _DistrictModel(stations) if arrays.district_ballot is not None else None

    def list_draws(self, n: int) -> IntArray | None:
        return None if self._list is None else self._list.draw(self.rng, n)

    def district_draws(self, n: int) -> tuple[VoteArray, VoteArray, VoteArray] | None:
        """(candidates (n, J), against all (n, D), invalid (n, D)) per district, or None without districts."""
        return None if self._district is None else self._district.draw(self.rng, n)


SIZE_PRIOR_SD = 0.1
"""How far one standard deviation of log register size may plausibly move a rate (turnout or a share)."""

PREVIOUS_PRIOR_SD = 1.0
"""How far a rate may plausibly follow the same rate at the previous election (1: one for one)."""

TURNOUT_BEFORE = 3
"""Where the previous turnout stands among a station's numbers (`_Stations.z`); each party's previous share
follows it, in the order of the parties."""


class _Stations:
    """The stations' numbers every model reads (Z: 1, the register's two sizes, and with previous figures the
    previous turnout and each party's previous share), and the sums the models are fitted from."""

    def __init__(self, arrays: CountArrays) -> None:
        self.arrays = arrays
        past = arrays.history.shape[1] if arrays.history is not None else 0
        # Written into one array: eleven models take their covariates from a million stations.
        z = np.empty((arrays.registered.shape[0], 3 + past))
        z[:, 0] = 1.0
        z[:, 1:3] = arrays.size
        if arrays.history is not None:
            z[:, 3:] = arrays.history
        self.z = z
        self.sums: Moments | Rows = Moments(z, arrays.district, len(arrays.districts))

    def labels(self, previous: int | None) -> Labels:
        """A label per district, with the covariates 1, the two sizes and the `previous` number when given."""
        chosen = [0, 1, 2] if previous is None or self.arrays.history is None else [0, 1, 2, previous]
        return Labels.by_district(len(self.arrays.districts), chosen, self.z.shape[1])

    def by_district(self, k: int) -> IntArray:
        """Every district's rows read column k."""
        return np.full(len(self.arrays.districts), k, np.int64)


def _prior(labels: Labels) -> FloatArray:
    """The covariates' priors: none on the intercept, then size, then the previous rate."""
    return np.array([np.inf, SIZE_PRIOR_SD, SIZE_PRIOR_SD, PREVIOUS_PRIOR_SD][: labels.width])


def _turnout(stations: _Stations, ballot: BallotCount) -> tuple[Prediction, FloatArray]:
    """The uncounted found per district, and each uncounted station's expected found (0 for counted ones)."""
    arrays = stations.arrays
    c = ballot.counted & (arrays.registered > 0)
    if not c.any():
        raise NothingCounted(Phrase("no station has reported yet: nothing to project from"))
    labels = stations.labels(TURNOUT_BEFORE)
    sample = stations.sums.sample(arrays.registered, ballot.found[:, None], c)
    fit = sample.fit(labels, stations.by_district(0), _prior(labels))
    u = ~ballot.counted
    expected = np.zeros_like(arrays.registered)
    if u.any():
        g = arrays.district[u]
        rate = np.einsum("sq,sq->s", stations.z[u], labels.times(fit.beta)[g]) + fit.effect_mean[g]
        expected[u] = np.maximum(arrays.registered[u] * rate, 0.0)
    return stations.sums.rest(arrays.registered, u).predict(fit, labels), expected


def _draws(prediction: Prediction, rng: np.random.Generator, n: int) -> Float32Array:
    out = np.empty((n, prediction.mean.shape[0]), np.float32)
    prediction.draw(rng, out)
    return out


class _ListModel:
    """The list ballot: one turnout model and one share model per party, "against all" and invalid."""

    def __init__(self, stations: _Stations) -> None:
        arrays = stations.arrays
        ballot = arrays.list_ballot
        assert ballot is not None
        self.counted_total = np.rint(ballot.votes.sum(axis=0)).astype(np.int64)  # 0 where not counted
        turnout, expected = _turnout(stations, ballot)
        # Seats on the list ballot depend on city totals only, so each line's districts are drawn as one sum
        # (a sum of normals is normal: the same model, a twentieth of the random numbers).
        self.turnout = turnout.total()
        sample = stations.sums.sample(ballot.found, ballot.votes, ballot.counted & (ballot.found > 0))
        rest = stations.sums.rest(expected, ~ballot.counted)
        self.shares: list[Prediction] = []
        for k in range(ballot.votes.shape[1]):
            labels = stations.labels(TURNOUT_BEFORE + 1 + k if k < len(arrays.parties) else None)
            fit = sample.fit(labels, stations.by_district(k), _prior(labels))
            self.shares.append(rest.predict(fit, labels).total())

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

    def __init__(self, stations: _Stations) -> None:
        arrays = stations.arrays
        ballot = arrays.district_ballot
        assert ballot is not None
        self.arrays = arrays
        j = len(arrays.candidates)
        d = len(arrays.districts)
        w = ballot.options
        self.turnout, expected = _turnout(stations, ballot)
        self.candidate_district = np.array([c[2] for c in arrays.candidates], dtype=np.int64)
        # A station's row holds its own district's candidates: each candidate's counted votes are its column's
        # sum over its district's stations (0 where not counted).
        sums = group_sums(ballot.votes, arrays.district, d)
        self.counted_votes = sums[self.candidate_district, arrays.candidate_column]
        self.counted_lines = sums[:, w:].T
        c = ballot.counted & (ballot.found > 0)
        sample = stations.sums.sample(ballot.found, ballot.votes, c)
        rest = stations.sums.rest(expected, ~ballot.counted)
        self.groups: list[tuple[IntArray, Prediction]] = []
        self.groups.append(self._candidates(stations, sample, rest, c))
        self.owner_index = np.concatenate([self.candidate_district, np.arange(d), np.arange(d)])
        self.owner = np.zeros((j + 2 * d, d), np.float32)
        self.owner[np.arange(j + 2 * d), self.owner_index] = 1.0
        self.counted = np.rint(
            np.concatenate([self.counted_votes, self.counted_lines[0], self.counted_lines[1]])
        ).astype(np.int64)
        self.exact_in_single = float(arrays.registered.sum()) < 2**23
        self.lines: list[Prediction] = []
        labels = stations.labels(None)
        for k in (w, w + 1):
            fit = sample.fit(labels, stations.by_district(k), _prior(labels))
            self.lines.append(rest.predict(fit, labels))
        self.lines[1] = self.lines[1].expected()  # invalid ballots elect no one: their expected number will do

    def _labels(self, stations: _Stations) -> Labels:
        """The candidates' covariates: the station's size, its party's strength in the list count so far, and
        its party's previous share at the station (0 for a self-nominated candidate).

        Columns of X: 1, then a pair of size slopes per party (and one for the self-nominated): size moves each
        party's candidates its own way, the same pull as on its list; then strength, then the previous share.
        A (station, candidate) row holds five numbers of them: a label per candidate says which and where."""
        arrays = stations.arrays
        parties = len(arrays.parties)
        index = np.array([arrays.parties.index(c[1]) if c[1] in arrays.parties else -1 for c in arrays.candidates])
        strength = np.zeros(parties + 1)
        if arrays.list_ballot is not None and arrays.list_ballot.counted.any():
            counted = arrays.list_ballot.votes.sum(axis=0)  # 0 where not counted
            strength[:-1] = counted[:parties] / max(float(counted.sum()), 1.0)
        group = np.where(index >= 0, index, parties).astype(np.int64)
        slopes = 2 * (parties + 1)
        history = arrays.history is not None
        loads = np.zeros((index.shape[0], 4 + history, stations.z.shape[1]))
        loads[:, [0, 1, 2], [0, 1, 2]] = 1.0
        loads[:, 3, 0] = strength[index]
        if history:
            party = np.flatnonzero(index >= 0)
            loads[party, 4, TURNOUT_BEFORE + 1 + index[party]] = 1.0
        columns = [np.zeros_like(group), 1 + 2 * group, 2 + 2 * group, np.full_like(group, 1 + slopes)]
        columns += [np.full_like(group, 2 + slopes)] if history else []
        return Labels(self.candidate_district, loads, np.column_stack(columns), 2 + slopes + history)

    def _candidates(
        self, stations: _Stations, sample: Sample, rest: Rest, counted: BoolArray
    ) -> tuple[IntArray, Prediction]:
        arrays = stations.arrays
        if not np.isin(arrays.district[counted], self.candidate_district).any():
            raise NothingCounted(Phrase("no district protocol has reported yet: nothing to project from"))
        labels = self._labels(stations)
        slopes = 2 * (len(arrays.parties) + 1)
        prior = np.array(
            [np.inf] + [SIZE_PRIOR_SD] * slopes + [PREVIOUS_PRIOR_SD] * (labels.width - 1 - slopes), dtype=np.float64
        )
        fit = sample.fit(labels, arrays.candidate_column, prior)
        return np.arange(len(arrays.candidates), dtype=np.int64), rest.predict(fit, labels)

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
