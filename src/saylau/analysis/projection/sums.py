"""The projection's fits from the stations' sums: the speed path of `model.fit_rate` and `model.predict`.

Why: every rate model of the projection is a weighted least-squares fit over rows that are stations (or, for
the district candidates, station and candidate pairs: three and a half million at a million stations), and
each row's covariates are a few of the station's own numbers (1, its two sizes, its previous turnout and
shares) placed in the model's columns. So every sum the fit takes over its rows (X'WX, X'Wy, y'Wy, the sums
of WX and Wy by group) is a small linear image of a few sums over each district's stations: the moments
Z'WZ and Z'WV of the station matrix Z (a row per station) and the lines V (votes, the ballots found). Those
are taken once per ballot and weight, with one matrix product per district, and every model reads its sums
from them; the residuals come from the same sums (sum w r^2 = y'Wy - 2 beta'X'Wy + beta'X'WX beta), so no
row is ever made.

The rows themselves stay the definition: `Rows` makes them and runs `model.fit_rate` and `model.predict`
on them, `Moments` gives the same fits and predictions from the sums (to rounding), and
tests/properties/test_projection_sums.py holds the two equal on generated stations and labels, and whole
projections of generated folders equal with either.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from saylau.analysis.projection.model import (
    FloatArray,
    IntArray,
    Prediction,
    RateFit,
    district_variance,
    fit_rate,
    predict,
    predicted,
    shrunk,
    station_variance,
    with_prior,
)

BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Labels:
    """The rows of one rate model, as labels of districts: label l has a row for each chosen station of its
    district, whose covariates are `loads[l] @ z` (z the station's row of Z) in the columns `columns[l]` of X;
    the label is the row's group (a district, or a district candidate).

    The columns of one label are distinct (no two numbers are added into one cell)."""

    district: IntArray
    """(L,) each label's district (0..D-1)."""
    loads: FloatArray
    """(L, k, q): a label's k covariates as combinations of the station's q numbers."""
    columns: IntArray
    """(L, k) the columns of X they stand in."""
    width: int
    """m, the columns of X."""

    @classmethod
    def by_district(cls, districts: int, chosen: list[int], q: int) -> Labels:
        """A label per district, whose covariates are the `chosen` numbers of the station, in that order."""
        loads = np.zeros((districts, len(chosen), q))
        loads[:, np.arange(len(chosen)), chosen] = 1.0
        columns = np.broadcast_to(np.arange(len(chosen), dtype=np.int64), (districts, len(chosen)))
        return cls(np.arange(districts, dtype=np.int64), loads, np.ascontiguousarray(columns), len(chosen))

    def rows(self, z: FloatArray, district: IntArray, chosen: BoolArray) -> tuple[FloatArray, IntArray, IntArray]:
        """(X, each row's label, each row's station): the definition's rows, label by label, each label's chosen
        stations of its district in station order."""
        stations = [np.flatnonzero(chosen & (district == d)) for d in self.district.tolist()]
        station = np.concatenate([np.zeros(0, np.int64), *stations]).astype(np.int64)
        label = np.repeat(np.arange(self.district.shape[0], dtype=np.int64), [s.shape[0] for s in stations])
        x = np.zeros((station.shape[0], self.width))
        numbers = np.einsum("nkq,nq->nk", self.loads[label], z[station])
        np.add.at(x, (np.arange(station.shape[0])[:, None], self.columns[label]), numbers)
        return x, label, station

    def times(self, beta: FloatArray) -> FloatArray:
        """(L, q): each label's coefficients of the station's numbers (x . beta = z . times[l])."""
        out: FloatArray = np.einsum("lkq,lk->lq", self.loads, beta[self.columns])
        return out

    def place(self, by_label: FloatArray) -> FloatArray:
        """(L, m): each label's k numbers `by_label` (L, k) in its columns."""
        out = np.zeros((self.district.shape[0], self.width))
        np.add.at(out, (np.arange(self.district.shape[0])[:, None], self.columns), by_label)
        return out


class Sample(Protocol):
    """The counted stations of one ballot, for fits of rate = values[:, k] / weight (`Rows.sample`)."""

    def fit(self, labels: Labels, column: IntArray, prior_sd: FloatArray | None) -> RateFit:
        """The fit over the labels' rows, label l's rate read from column `column[l]` of the values."""
        ...


class Rest(Protocol):
    """The uncounted stations of one ballot, with each one's weight (`Rows.rest`)."""

    def predict(self, fit: RateFit, labels: Labels) -> Prediction:
        """Each label's total of weight x rate over its uncounted stations."""
        ...


class Rows:
    """The definition: the rows made, `model.fit_rate` and `model.predict` run on them."""

    def __init__(self, z: FloatArray, district: IntArray, districts: int) -> None:
        self.z, self.district, self.districts = z, district, districts

    def sample(self, weight: FloatArray, values: FloatArray, chosen: BoolArray) -> _RowsSample:
        """The counted stations, for fits of rate = values[:, k] / weight over the `chosen` ones (weight > 0)."""
        return _RowsSample(self, weight, values, chosen)

    def rest(self, weight: FloatArray, chosen: BoolArray) -> _RowsRest:
        """The uncounted (`chosen`) stations, for predictions of each label's total of weight x rate."""
        return _RowsRest(self, weight, chosen)


@dataclass(frozen=True, slots=True)
class _RowsSample:
    stations: Rows
    weight: FloatArray
    values: FloatArray
    chosen: BoolArray

    def fit(self, labels: Labels, column: IntArray, prior_sd: FloatArray | None) -> RateFit:
        """`model.fit_rate` over the labels' rows, rate = values[:, column[l]] / weight."""
        x, label, station = labels.rows(self.stations.z, self.stations.district, self.chosen)
        rate = self.values[station, column[label]] / self.weight[station]
        return fit_rate(rate, self.weight[station], x, label, labels.district.shape[0], prior_sd)


@dataclass(frozen=True, slots=True)
class _RowsRest:
    stations: Rows
    weight: FloatArray
    chosen: BoolArray

    def predict(self, fit: RateFit, labels: Labels) -> Prediction:
        """`model.predict` over the labels' rows."""
        x, label, station = labels.rows(self.stations.z, self.stations.district, self.chosen)
        return predict(fit, self.weight[station], x, label, labels.district.shape[0])


class Moments:
    """The speed path: every fit and prediction from per-district sums over the stations (see the module).

    `z` (S, q): each station's numbers, the first of them 1 (so a sum of w z holds the sum of w)."""

    def __init__(self, z: FloatArray, district: IntArray, districts: int) -> None:
        if z.shape[0] and not bool((z[:, 0] == 1.0).all()):
            raise ValueError("the stations' first number must be 1")
        self.order = None if bool((district[1:] >= district[:-1]).all()) else np.argsort(district, kind="stable")
        self.z = z if self.order is None else z[self.order]
        ordered = district if self.order is None else district[self.order]
        self.starts = np.searchsorted(ordered, np.arange(districts + 1)).tolist()
        self.districts = districts

    def _blocks(self, *columns: npt.NDArray[Any]) -> Iterator[tuple[FloatArray, ...]]:
        """(z, *columns) of each district's stations (views: the stations come district by district)."""
        ordered = [c if self.order is None else c[self.order] for c in columns]
        for a, b in itertools.pairwise(self.starts):
            yield self.z[a:b], *(c[a:b] for c in ordered)

    def sample(self, weight: FloatArray, values: FloatArray, chosen: BoolArray) -> _Sample:
        """The counted stations' sums, for `Rows.sample`'s fits."""
        q, k = self.z.shape[1], values.shape[1]
        moments, cross = np.zeros((self.districts, q, q)), np.zeros((self.districts, q, k))
        square, rows = np.zeros((self.districts, k)), np.zeros(self.districts, np.int64)
        # District by district: a district's copies are small enough to be reused, a million stations' are not.
        for d, (z, weight_d, values_d, chosen_d) in enumerate(self._blocks(weight, values, chosen)):
            w_d = np.where(chosen_d, weight_d, 0.0)
            v_d = np.where(chosen_d[:, None], values_d, 0.0)
            inverse_d = np.divide(1.0, w_d, out=np.zeros_like(w_d), where=w_d > 0)
            moments[d] = z.T @ (z * w_d[:, None])
            cross[d] = z.T @ v_d
            square[d] = inverse_d @ (v_d * v_d)
            rows[d] = np.count_nonzero(chosen_d)
        return _Sample(moments, cross, square, rows)

    def rest(self, weight: FloatArray, chosen: BoolArray) -> _Rest:
        """The sums of w z over each district's `chosen` (uncounted) stations, for `Rows.rest`'s predictions."""
        firsts = np.zeros((self.districts, self.z.shape[1]))
        for d, (z, weight_d, chosen_d) in enumerate(self._blocks(weight, chosen)):
            firsts[d] = np.where(chosen_d, weight_d, 0.0) @ z
        return _Rest(firsts)


@dataclass(frozen=True, slots=True)
class _Rest:
    firsts: FloatArray
    """(D, q) the sums of w z over each district's uncounted stations."""

    def predict(self, fit: RateFit, labels: Labels) -> Prediction:
        """`model.predict` over the labels' rows, from the sums."""
        mine = self.firsts[labels.district]
        return predicted(fit, labels.place(np.einsum("lkq,lq->lk", labels.loads, mine)), mine[:, 0])


@dataclass(frozen=True, slots=True)
class _Sample:
    """The counted stations' sums per district: Z'WZ (D, q, q), Z'V (D, q, K), the sums of V^2 / w (D, K) and
    the number of stations (D,)."""

    moments: FloatArray
    cross: FloatArray
    square: FloatArray
    rows: IntArray

    def fit(self, labels: Labels, column: IntArray, prior_sd: FloatArray | None) -> RateFit:
        """`model.fit_rate` over the labels' rows, rate = V[:, column[l]] / w, from the sums."""
        t, mine = labels.loads, self.moments[labels.district]
        m = labels.width
        gram = np.zeros((m, m))
        np.add.at(gram, (labels.columns[:, :, None], labels.columns[:, None, :]), t @ mine @ t.transpose(0, 2, 1))
        crossed = self.cross[labels.district, :, column]  # (L, q): each label's sums of v z
        cross = labels.place(np.einsum("lkq,lq->lk", t, crossed)).sum(axis=0)
        a = labels.place(np.einsum("lkq,lq->lk", t, mine[:, :, 0]))  # each label's sums of w x
        w_g, response = mine[:, 0, 0], crossed[:, 0]
        squares = float(self.square[labels.district, column].sum())
        n = int(self.rows[labels.district].sum())
        seen = w_g > 0
        gram_inv = np.linalg.pinv(gram)
        data_beta = gram_inv @ cross
        mean_g, within, squared = _residuals(data_beta, gram, cross, squares, a, w_g, response)
        sigma2 = station_variance(within, squared, n, m, int(seen.sum()))
        tau2 = district_variance(mean_g, w_g, sigma2)
        beta, beta_cov = with_prior(data_beta, sigma2 * gram_inv + tau2 * (gram_inv @ a.T @ a @ gram_inv), prior_sd)
        if prior_sd is not None:
            mean_g = _residuals(beta, gram, cross, squares, a, w_g, response)[0]
        return shrunk((beta, beta_cov), mean_g, w_g, a, (sigma2, tau2), n)


def _residuals(
    beta: FloatArray,
    gram: FloatArray,
    cross: FloatArray,
    squares: float,
    a: FloatArray,
    w_g: FloatArray,
    response: FloatArray,
) -> tuple[FloatArray, float, float]:
    """(each group's mean residual, the weighted squares of the residuals around their group's mean, and in
    all) for coefficients `beta`, from the sums: sum w r = sum w y - (sum w x) beta, sum w r^2 = y'Wy -
    2 beta'X'Wy + beta'X'WX beta, and around the means sum w r^2 - sum_g (sum_g w r)^2 / w_g."""
    seen = w_g > 0
    by_group = response - a @ beta
    mean_g = np.divide(by_group, w_g, out=np.zeros_like(w_g), where=seen)
    squared = max(squares - 2.0 * float(beta @ cross) + float(beta @ gram @ beta), 0.0)
    within = max(squared - float(np.sum(by_group[seen] * mean_g[seen])), 0.0)
    return mean_g, within, squared
