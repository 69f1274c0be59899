"""The statistical model of an election-night projection: rates per station, pooled over the city.

Why: stations report in a biased order (small or central stations first), and districts differ, so the
counted stations are neither a random sample of the city nor of their district. We model every protocol
line as a *rate* per station (turnout = found / registered; a share = votes / found) that depends on
covariates known for every station (the size of its register, its figures at the previous election) plus a
district effect, and draw the uncounted stations' totals from that model:

    rate_i = x_i . beta + u_district(i) + e_i,     u ~ N(0, tau2),    e_i ~ N(0, sigma2 / w_i)

fitted by weighted least squares (weight w_i: registered voters for turnout, ballots found for a share).
`tau2` (how much districts differ) is the DerSimonian-Laird moment estimate, district effects are shrunk
towards the city by empirical Bayes, and a district with no counted station takes a fresh draw of `u`.
The total of the uncounted stations of district d is then normal with

    mean   a_d . beta + W_d m_d                          a_d = sum of w_i x_i over its uncounted stations
    spread a_d . delta_beta  (shared by all districts: the city-level swing the counted stations leave open)
           + N(0, W_d^2 v_d + sigma2 W_d)                (the district effect, and the stations' own noise)

so the uncertainty grows with what is missing (W_d) and with how much the counted stations differ (sigma2,
tau2, the spread of beta). Pure numpy; see docs/projection.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Float32Array = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class RateFit:
    """A fitted rate model: coefficients with their covariance, district effects, and the station noise."""

    beta: FloatArray
    """(m,) coefficients of the covariates (the first is the intercept)."""
    beta_cov: FloatArray
    """(m, m) covariance of `beta` under the random-effects model."""
    effect_mean: FloatArray
    """(D,) posterior mean of each district's effect (0 where no station of the district is counted)."""
    effect_var: FloatArray
    """(D,) posterior variance of each district's effect (tau2 where no station is counted)."""
    sigma2: float
    """Variance of one station's rate times its weight."""
    tau2: float
    """Variance of the district effects."""


def fit_rate(rate: FloatArray, weight: FloatArray, covariates: FloatArray, group: IntArray, groups: int) -> RateFit:
    """Fit `rate ~ covariates + district effect` on the counted stations (weights > 0)."""
    n, m = covariates.shape
    wx = covariates * weight[:, None]
    gram_inv = np.linalg.pinv(covariates.T @ wx)
    beta = gram_inv @ (wx.T @ rate)
    resid = rate - covariates @ beta
    w_g = np.bincount(group, weight, groups)
    seen = w_g > 0
    mean_g = np.divide(np.bincount(group, weight * resid, groups), w_g, out=np.zeros(groups), where=seen)
    observed = int(seen.sum())
    within = float(np.sum(weight * (resid - mean_g[group]) ** 2))
    # Within districts where it can be measured; otherwise around the city fit (district effects included).
    pooled = float(np.sum(weight * resid**2)) / max(n - m, 1)
    sigma2 = max(within / (n - observed) if n - observed >= 2 else pooled, 1e-12)
    tau2 = 0.0
    if observed >= 2:
        c = w_g[seen] / sigma2
        q = float(np.sum(c * mean_g[seen] ** 2))
        scale = float(c.sum() - (c**2).sum() / c.sum())
        tau2 = max(0.0, (q - (observed - 1)) / scale) if scale > 0 else 0.0
    noise_g = np.divide(sigma2, w_g, out=np.full(groups, np.inf), where=seen)
    if tau2 > 0:
        share = tau2 / (tau2 + noise_g)
        effect_mean = mean_g * share
        effect_var = np.where(seen, tau2 * (1 - share), tau2)
    else:
        effect_mean = np.zeros(groups)
        effect_var = np.zeros(groups)
    a = np.zeros((groups, m))
    np.add.at(a, group, wx)
    beta_cov = sigma2 * gram_inv + tau2 * (gram_inv @ a.T @ a @ gram_inv)
    return RateFit(beta, beta_cov, effect_mean, effect_var, sigma2, tau2)


@dataclass(frozen=True, slots=True)
class Prediction:
    """The uncounted total of one rate per district: mean, loading on the shared beta, independent spread."""

    mean: FloatArray
    """(D,) expected uncounted total."""
    loading: FloatArray
    """(D, m): the total moves by loading @ delta_beta when beta moves by delta_beta."""
    chol: FloatArray
    """(m, m) a square root of the covariance of beta (delta_beta = chol @ z)."""
    spread: FloatArray
    """(D,) standard deviation of what is independent between districts."""

    def draw(self, rng: np.random.Generator, out: Float32Array) -> None:
        """Write draws of the uncounted totals into `out` (n, D), in single precision (speed: a draw is noise)."""
        n = out.shape[0]
        rng.standard_normal(out.shape, dtype=np.float32, out=out)
        out *= self.spread.astype(np.float32)
        out += self.mean.astype(np.float32)
        if self.chol.shape[0] and bool(self.loading.any()):
            shared = rng.standard_normal((n, self.chol.shape[0]), dtype=np.float32)
            out += shared @ (self.loading @ self.chol).T.astype(np.float32)


def predict(fit: RateFit, weight: FloatArray, covariates: FloatArray, group: IntArray, groups: int) -> Prediction:
    """The uncounted stations' total of weight x rate per district (`weight`, `covariates` of those stations)."""
    loading = np.zeros((groups, covariates.shape[1]))
    np.add.at(loading, group, covariates * weight[:, None])
    w_d = np.bincount(group, weight, groups)
    mean = loading @ fit.beta + w_d * fit.effect_mean
    spread = np.sqrt(w_d**2 * fit.effect_var + fit.sigma2 * w_d)
    return Prediction(mean, loading, _root(fit.beta_cov), spread)


def _root(cov: FloatArray) -> FloatArray:
    """A matrix L with L L' = cov, for a covariance that may be singular (eigen-decomposition, clipped)."""
    values, vectors = np.linalg.eigh((cov + cov.T) / 2)
    root: FloatArray = vectors * np.sqrt(np.clip(values, 0, None))
    return root
