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

import numpy as np
import numpy.typing as npt

from saylau.analysis.forensics.contests import Contest
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


@dataclass(frozen=True, slots=True)
class OutlierRanking:
    """Every station of a contest, the furthest out of line first."""

    stations: tuple[Outlier, ...]
    level: float
    uses_previous: bool

    @property
    def flagged(self) -> tuple[Outlier, ...]:
        return tuple(o for o in self.stations if o.flagged)


def outliers(contest: Contest, level: float = LEVEL) -> OutlierRanking | None:
    """The ranking of one contest's stations; None with fewer than MIN_STATIONS stations where somebody voted."""
    kept = [s for s in contest.stations if s.registered > 0 and s.found > 0]
    if len(kept) < MIN_STATIONS:
        return None
    n = len(kept)
    turnout = np.array([min(s.found / s.registered, 1.0) for s in kept])
    share = np.array([s.leader / s.found for s in kept])
    registered = np.array([s.registered for s in kept], dtype=np.float64)
    size = (registered - registered.mean()) / max(float(registered.std()), 1.0)
    columns = [np.ones(n), size]
    uses_previous = all(s.previous_turnout is not None and s.previous_share is not None for s in kept)
    if uses_previous:
        columns += [np.array([s.previous_turnout for s in kept]), np.array([s.previous_share for s in kept])]
    covariates = np.column_stack(columns).astype(np.float64)
    districts = sorted({s.district for s in kept})
    index = {d: i for i, d in enumerate(districts)}
    group = np.array([index[s.district] for s in kept], dtype=np.int64)
    expected_t, z_t = _residuals(turnout, covariates, group, len(districts))
    expected_v, z_v = _residuals(share, covariates, group, len(districts))
    score = z_t**2 + z_v**2
    cut = level / n
    ranked = []
    for i in np.argsort(-score, kind="stable"):
        p = math.exp(-float(score[i]) / 2)
        s = kept[int(i)]
        ranked.append(
            Outlier(
                s.station,
                s.district,
                float(turnout[i]),
                float(share[i]),
                float(expected_t[i]),
                float(expected_v[i]),
                float(z_t[i]),
                float(z_v[i]),
                p,
                p < cut,
            )
        )
    return OutlierRanking(tuple(ranked), level, uses_previous)


def _residuals(
    rate: FloatArray, covariates: FloatArray, group: npt.NDArray[np.int64], groups: int
) -> tuple[FloatArray, FloatArray]:
    """(expected rate, z-score) of every station: the fit with every station weighing the same."""
    fit = fit_rate(rate, np.ones_like(rate), covariates, group, groups)
    expected = covariates @ fit.beta + fit.effect_mean[group]
    residual = rate - expected
    spread = math.sqrt(max(float(np.mean(residual**2)), 1e-12))
    return expected, residual / spread
