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
from typing import Protocol

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Float32Array = npt.NDArray[np.float32]


MIN_DOF = 3.0
"""Fewest degrees of freedom a draw's tails get (t with 3: heavy, finite variance)."""


class Design(Protocol):
    """The covariates X (n stations or pairs, m columns) of a fit, as the fit uses them: weighted sums only.

    `Covariates` holds X as a matrix (the definition); a design that knows its structure (the district
    candidates' pairs, `pairs.Pairs`) gives the same sums without making the matrix."""

    @property
    def shape(self) -> tuple[int, int]: ...

    def gram(self, weight: FloatArray) -> FloatArray:
        """(m, m) X' W X."""
        ...

    def cross(self, weight: FloatArray, values: FloatArray) -> FloatArray:
        """(m,) X' W v."""
        ...

    def group_sums(self, weight: FloatArray, group: IntArray, groups: int) -> FloatArray:
        """(groups, m) the sums of w_i x_i by group."""
        ...

    def times(self, beta: FloatArray) -> FloatArray:
        """(n,) X beta."""
        ...


@dataclass(frozen=True, slots=True)
class Covariates:
    """X as a matrix: each sum as written."""

    matrix: FloatArray

    @property
    def shape(self) -> tuple[int, int]:
        rows, columns = self.matrix.shape
        return int(rows), int(columns)

    def gram(self, weight: FloatArray) -> FloatArray:
        out: FloatArray = self.matrix.T @ (self.matrix * weight[:, None])
        return out

    def cross(self, weight: FloatArray, values: FloatArray) -> FloatArray:
        out: FloatArray = (self.matrix * weight[:, None]).T @ values
        return out

    def group_sums(self, weight: FloatArray, group: IntArray, groups: int) -> FloatArray:
        return group_sums(self.matrix * weight[:, None], group, groups)

    def times(self, beta: FloatArray) -> FloatArray:
        out: FloatArray = self.matrix @ beta
        return out


def _design(covariates: FloatArray | Design) -> Design:
    return Covariates(covariates) if isinstance(covariates, np.ndarray) else covariates


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
    anchor: FloatArray
    """(D, m): the share of each district's counted mean covariates its effect carries (see `predict`)."""
    sigma2: float
    """Variance of one station's rate times its weight."""
    tau2: float
    """Variance of the district effects."""
    dof: float = np.inf
    """Degrees of freedom of the variances: few counted stations, heavier tails (Student t draws)."""


def fit_rate(
    rate: FloatArray,
    weight: FloatArray,
    covariates: FloatArray | Design,
    group: IntArray,
    groups: int,
    prior_sd: FloatArray | None = None,
) -> RateFit:
    """Fit `rate ~ covariates + district effect` on the counted stations (weights > 0).

    `covariates`: the matrix X (n, m), or a `Design` that gives its weighted sums (the same fit, to rounding).
    `prior_sd` (m,) is a normal prior N(0, sd^2) on each coefficient (inf: none, as for the intercept): how far
    a covariate can plausibly move a rate. Without it, stations counted over a narrow range of sizes (the
    smallest first) would let a slope extrapolate without bound; with it, the data decide where they can.
    """
    x = _design(covariates)
    m = x.shape[1]
    gram_inv = np.linalg.pinv(x.gram(weight))
    data_beta = gram_inv @ x.cross(weight, rate)
    resid = rate - x.times(data_beta)
    w_g: FloatArray = np.bincount(group, weight, groups).astype(np.float64)
    seen = w_g > 0
    observed = int(seen.sum())
    sigma2, tau2 = _variances(resid, weight, group, groups, w_g, m)
    a = x.group_sums(weight, group, groups)
    data_cov = sigma2 * gram_inv + tau2 * (gram_inv @ a.T @ a @ gram_inv)
    beta, beta_cov = data_beta, data_cov
    if prior_sd is not None:
        # Combine the data's estimate with the prior as precisions (a direction the data leave open keeps the
        # prior's spread).
        precision = np.linalg.pinv(data_cov)
        beta_cov = np.linalg.pinv(precision + np.diag(1.0 / np.asarray(prior_sd, dtype=np.float64) ** 2))
        beta = beta_cov @ (precision @ data_beta)
        resid = rate - x.times(beta)
    mean_g = np.divide(np.bincount(group, weight * resid, groups), w_g, out=np.zeros(groups), where=seen)
    noise_g = np.divide(sigma2, w_g, out=np.full(groups, np.inf), where=seen)
    share = np.zeros(groups)
    if tau2 > 0 and observed:
        share = tau2 / (tau2 + noise_g)
    effect_mean = mean_g * share
    effect_var = np.where(seen, tau2 * (1 - share), tau2)
    # A district effect is its counted stations' mean residual (shrunk by `share`): it moves against beta, so
    # an uncounted station's error in beta is (x - share x the counted mean x) . delta_beta, not x . delta_beta.
    # This is what makes extrapolation (small stations counted, large ones not) honestly uncertain.
    counted_mean = np.divide(a, w_g[:, None], out=np.zeros_like(a), where=seen[:, None])
    dof = max(float(rate.shape[0] - m), MIN_DOF)
    return RateFit(beta, beta_cov, effect_mean, effect_var, share[:, None] * counted_mean, sigma2, tau2, dof)


def _variances(
    resid: FloatArray, weight: FloatArray, group: IntArray, groups: int, w_g: FloatArray, m: int
) -> tuple[float, float]:
    """(sigma2, tau2): the stations' spread within districts, and the districts' (DerSimonian-Laird)."""
    n = resid.shape[0]
    seen = w_g > 0
    observed = int(seen.sum())
    mean_g = np.divide(np.bincount(group, weight * resid, groups), w_g, out=np.zeros(groups), where=seen)
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
    return sigma2, tau2


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
    dof: float = np.inf
    """Each draw's deviations are scaled by sqrt(dof / chi2(dof)): Student t, since the variances are
    themselves estimated from the counted stations (few stations: wider tails)."""

    def total(self) -> Prediction:
        """The sum over districts, as a prediction of one total (normal: the spreads add in variance)."""
        return Prediction(
            self.mean.sum(keepdims=True),
            self.loading.sum(axis=0, keepdims=True),
            self.chol,
            np.sqrt((self.spread**2).sum(keepdims=True)),
            self.dof,
        )

    def expected(self) -> Prediction:
        """The same totals without their spread: for lines that decide no seat (invalid ballots)."""
        return Prediction(self.mean, np.zeros_like(self.loading), self.chol, np.zeros_like(self.spread), self.dof)

    def draw(self, rng: np.random.Generator, out: Float32Array) -> None:
        """Write draws of the uncounted totals into `out` (n, D), in single precision (speed: a draw is noise)."""
        n = out.shape[0]
        if bool(self.spread.any()):
            rng.standard_normal(out.shape, dtype=np.float32, out=out)
            out *= self.spread.astype(np.float32)
        else:
            out[:] = 0.0
        if self.chol.shape[0] and bool(self.loading.any()):
            shared = rng.standard_normal((n, self.chol.shape[0]), dtype=np.float32)
            out += shared @ (self.loading @ self.chol).T.astype(np.float32)
        if np.isfinite(self.dof) and (bool(self.spread.any()) or bool(self.loading.any())):
            out *= np.sqrt(self.dof / rng.chisquare(self.dof, (n, 1))).astype(np.float32)
        out += self.mean.astype(np.float32)


def predict(
    fit: RateFit, weight: FloatArray, covariates: FloatArray | Design, group: IntArray, groups: int
) -> Prediction:
    """The uncounted stations' total of weight x rate per district (`weight`, `covariates` of those stations)."""
    x = _design(covariates)
    loading = x.group_sums(weight, group, groups)
    w_d = np.bincount(group, weight, groups)
    loading -= w_d[:, None] * fit.anchor[:, : x.shape[1]]
    mean = loading @ fit.beta + w_d * fit.effect_mean
    spread = np.sqrt(w_d**2 * fit.effect_var + fit.sigma2 * w_d)
    return Prediction(mean, loading, _root(fit.beta_cov), spread, fit.dof)


def group_sums(values: FloatArray, group: IntArray, groups: int) -> FloatArray:
    """(groups, m) the sums of `values` (n, m) by group: one `bincount` per column (`np.add.at` is ten times
    slower on a station's worth of rows)."""
    if values.shape[1] == 0:
        return np.zeros((groups, 0))
    sums = np.stack([np.bincount(group, values[:, j], groups) for j in range(values.shape[1])], axis=1)
    out: FloatArray = sums.astype(np.float64, copy=False)  # no rows: bincount answers in integers
    return out


def _root(cov: FloatArray) -> FloatArray:
    """The symmetric square root L of a covariance that may be singular (L L' = cov; eigen-decomposition,
    clipped at 0).

    The symmetric root, not `vectors * sqrt(values)`: it is the one root that moves as little as the covariance
    does. Eigenvectors of equal eigenvalues (the coefficients of parties with no counted station keep the same
    prior spread) may come back in any rotation, so a rounding in the last digit of the fit would draw another
    projection from the same seed; with the symmetric root it draws the same one."""
    values, vectors = np.linalg.eigh((cov + cov.T) / 2)
    root: FloatArray = (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T
    return root
