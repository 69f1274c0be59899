"""Stations far out of line with their district and with their own previous result.

The projection's rate model (`saylau.analysis.projection.model.fit_rate`, docs/projection.md) is fitted to
every station of a contest, twice: to turnout and to the leader's share, each explained by the station's
size, its previous turnout and previous leader's share (where stations.csv gives them for every station),
and its district's effect. A station's residual is what the model does not explain; divided by the spread
of the residuals within districts it is a z-score, and

    D2 = z_turnout^2 + z_share^2,   p = exp(-D2 / 2)      (chi-square with 2 degrees of freedom)

ranks the stations. A station is *flagged* when p < level / stations (Bonferroni), so that a clean count
flags any station at all with probability at most `level` (when the residuals are no heavier-tailed than
normal; measured in docs/forensics.md).

What it can show: the few stations that voted unlike their neighbours and unlike themselves last time,
the first to check against an observer's copy. What it cannot: why; a new housing estate, a barracks or a
hospital is an outlier without any fraud, and stuffing spread evenly over a district moves the district's
effect, not its stations' residuals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from saylau.analysis.forensics.contests import Contest, groups
from saylau.analysis.projection.model import fit_rate

FloatArray = npt.NDArray[np.float64]

LEVEL = 0.05
"""The chance that a clean count flags any station (family-wise, by Bonferroni)."""
MIN_STATIONS = 20


@dataclass(frozen=True, slots=True)
class Outlier:
    """One station's distance from what the model expects of it."""

    station: int
    district: int
    turnout: float
    share: float
    expected_turnout: float
    expected_share: float
    z_turnout: float
    z_share: float
    p_value: float
    flagged: bool

    @property
    def score(self) -> float:
        """D2: the squared distance that ranks the stations."""
        return self.z_turnout**2 + self.z_share**2


@dataclass(frozen=True, slots=True, eq=False)
class OutlierRanking:
    """Every station of a contest, the furthest out of line first, kept as columns (a national count ranks a
    million stations; `shown` and `flagged` make objects only of those a report shows)."""

    level: float
    uses_previous: bool
    columns: tuple[npt.NDArray[Any], ...]
    """Outlier's fields but the last, each a column in ranked order."""
    flags: npt.NDArray[np.bool_]

    def __len__(self) -> int:
        return int(self.flags.shape[0])

    def _made(self, rows: npt.NDArray[np.int64]) -> tuple[Outlier, ...]:
        fields = zip(*(c[rows].tolist() for c in self.columns), self.flags[rows].tolist(), strict=True)
        return tuple(Outlier(*row) for row in fields)

    @property
    def stations(self) -> tuple[Outlier, ...]:
        """Every station, ranked."""
        return self._made(np.arange(len(self), dtype=np.int64))

    @property
    def flagged(self) -> tuple[Outlier, ...]:
        return self._made(np.flatnonzero(self.flags))

    def shown(self, first: int) -> tuple[tuple[int, Outlier], ...]:
        """(rank from 0, station) of the first `first` stations and of every flagged one after them."""
        rows = np.flatnonzero((np.arange(len(self)) < first) | self.flags)
        return tuple(zip(rows.tolist(), self._made(rows), strict=True))


def outliers(contest: Contest, level: float = LEVEL) -> OutlierRanking | None:
    """The ranking of one contest's stations; None with fewer than MIN_STATIONS stations where somebody voted."""
    c = contest.columns
    placed = (c.registered > 0) & (c.found > 0)
    n = int(placed.sum())
    if n < MIN_STATIONS:
        return None
    found = c.found[placed].astype(np.float64)
    registered = c.registered[placed].astype(np.float64)
    turnout = np.minimum(found / registered, 1.0)
    share = c.leader[placed] / found
    covariates, uses_previous = explaining(registered, c.previous_turnout[placed], c.previous_share[placed])
    districts, group = groups(c.district[placed])
    expected_t, z_t = _residuals(turnout, covariates, group.astype(np.int64), len(districts))
    expected_v, z_v = _residuals(share, covariates, group.astype(np.int64), len(districts))
    score = z_t**2 + z_v**2
    order = np.argsort(-score, kind="stable")
    p_value = np.exp(-score[order] / 2)
    columns = (
        c.station[placed][order],
        c.district[placed][order],
        turnout[order],
        share[order],
        expected_t[order],
        expected_v[order],
        z_t[order],
        z_v[order],
        p_value,
    )
    return OutlierRanking(level, uses_previous, columns, p_value < level / n)


def explaining(
    registered: FloatArray, previous_turnout: FloatArray, previous_share: FloatArray
) -> tuple[FloatArray, bool]:
    """The covariates of the rate model for these stations (an intercept, the register's size, and the previous
    turnout and leader's share when every station has them), and whether the previous figures are among them."""
    size = (registered - registered.mean()) / max(float(registered.std()), 1.0)
    columns = [np.ones_like(registered), size]
    uses_previous = not (np.isnan(previous_turnout).any() or np.isnan(previous_share).any())
    if uses_previous:
        columns += [previous_turnout, previous_share]
    return np.column_stack(columns).astype(np.float64), uses_previous


def _residuals(
    rate: FloatArray, covariates: FloatArray, group: npt.NDArray[np.int64], groups: int
) -> tuple[FloatArray, FloatArray]:
    """(expected rate, z-score) of every station: the fit with every station weighing the same."""
    fit = fit_rate(rate, np.ones_like(rate), covariates, group, groups)
    expected = covariates @ fit.beta + fit.effect_mean[group]
    residual = rate - expected
    spread = math.sqrt(max(float(np.mean(residual**2)), 1e-12))
    return expected, residual / spread
