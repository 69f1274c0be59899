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


MIN_DOF = 3.0
"""Fewest degrees of freedom a draw's tails get (t with 3: heavy, finite variance)."""


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
    covariates: FloatArray,
    group: IntArray,
    groups: int,
    prior_sd: FloatArray | None = None,
) -> RateFit:
    """Fit `rate ~ covariates + district effect` on the counted stations (weights > 0): the definition, each sum
    over the rows as written (`sums.py` takes the same sums from the stations' moments, without the rows).

    `covariates`: the matrix X (n, m). `prior_sd` (m,) is a normal prior N(0, sd^2) on each coefficient (inf:
    none, as for the intercept): how far a covariate can plausibly move a rate. Without it, stations counted
    over a narrow range of sizes (the smallest first) would let a slope extrapolate without bound; with it,
    the data decide where they can.
    """
    x = covariates
    n, m = x.shape
    gram_inv = np.linalg.pinv(x.T @ (x * weight[:, None]))
    data_beta = gram_inv @ ((x * weight[:, None]).T @ rate)
    resid = rate - x @ data_beta
    w_g: FloatArray = np.bincount(group, weight, groups).astype(np.float64)
    seen = w_g > 0
    mean_g = np.divide(np.bincount(group, weight * resid, groups), w_g, out=np.zeros(groups), where=seen)
    within = float(np.sum(weight * (resid - mean_g[group]) ** 2))
    sigma2 = station_variance(within, float(np.sum(weight * resid**2)), n, m, int(seen.sum()))
    tau2 = district_variance(mean_g, w_g, sigma2)
    a = group_sums(x * weight[:, None], group, groups)
    beta, beta_cov = with_prior(data_beta, sigma2 * gram_inv + tau2 * (gram_inv @ a.T @ a @ gram_inv), prior_sd)
    if prior_sd is not None:
        resid = rate - x @ beta
        mean_g = np.divide(np.bincount(group, weight * resid, groups), w_g, out=np.zeros(groups), where=seen)
    return shrunk((beta, beta_cov), mean_g, w_g, a, (sigma2, tau2), n)


def station_variance(within: float, squares: float, n: int, m: int, observed: int) -> float:
    """sigma2, the stations' spread: within districts where it can be measured (`within`: the weighted squares
    of the residuals around their district's mean, over n rows in `observed` districts), otherwise around the
    city fit (`squares`: the weighted squares of the residuals, district effects included)."""
    pooled = squares / max(n - m, 1)
    return max(within / (n - observed) if n - observed >= 2 else pooled, 1e-12)


def district_variance(mean_g: FloatArray, w_g: FloatArray, sigma2: float) -> float:
    """tau2, the districts' spread: the DerSimonian-Laird moment estimate from each district's mean residual
    (`mean_g`) and weight (`w_g`, 0: no counted station)."""
    seen = w_g > 0
    observed = int(seen.sum())
    if observed < 2:
        return 0.0
    c = w_g[seen] / sigma2
    q = float(np.sum(c * mean_g[seen] ** 2))
    scale = float(c.sum() - (c**2).sum() / c.sum())
    return max(0.0, (q - (observed - 1)) / scale) if scale > 0 else 0.0


def with_prior(
    data_beta: FloatArray, data_cov: FloatArray, prior_sd: FloatArray | None
) -> tuple[FloatArray, FloatArray]:
    """(beta, its covariance): the data's estimate combined with the prior as precisions (a direction the data
    leave open keeps the prior's spread); the data's own without a prior."""
    if prior_sd is None:
        return data_beta, data_cov
    precision = np.linalg.pinv(data_cov)
    beta_cov: FloatArray = np.linalg.pinv(precision + np.diag(1.0 / np.asarray(prior_sd, dtype=np.float64) ** 2))
    beta: FloatArray = beta_cov @ (precision @ data_beta)
    return beta, beta_cov


def shrunk(
    estimate: tuple[FloatArray, FloatArray],
    mean_g: FloatArray,
    w_g: FloatArray,
    a: FloatArray,
    variances: tuple[float, float],
    n: int,
) -> RateFit:
    """The fit with its district effects shrunk towards the city by empirical Bayes: `estimate` (beta, its
    covariance), `mean_g` each district's mean residual, `w_g` its weight, `a` (D, m) its sums of w x,
    `variances` (sigma2, tau2), over the n counted rows."""
    (beta, beta_cov), (sigma2, tau2) = estimate, variances
    groups = w_g.shape[0]
    seen = w_g > 0
    noise_g = np.divide(sigma2, w_g, out=np.full(groups, np.inf), where=seen)
    share = np.zeros(groups)
    if tau2 > 0 and bool(seen.any()):
        share = tau2 / (tau2 + noise_g)
    effect_mean = mean_g * share
    effect_var = np.where(seen, tau2 * (1 - share), tau2)
    # A district effect is its counted stations' mean residual (shrunk by `share`): it moves against beta, so
    # an uncounted station's error in beta is (x - share x the counted mean x) . delta_beta, not x . delta_beta.
    # This is what makes extrapolation (small stations counted, large ones not) honestly uncertain.
    counted_mean = np.divide(a, w_g[:, None], out=np.zeros_like(a), where=seen[:, None])
    dof = max(float(n - beta.shape[0]), MIN_DOF)
    return RateFit(beta, beta_cov, effect_mean, effect_var, share[:, None] * counted_mean, sigma2, tau2, dof)


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


def predict(fit: RateFit, weight: FloatArray, covariates: FloatArray, group: IntArray, groups: int) -> Prediction:
    """The uncounted stations' total of weight x rate per district (`weight`, `covariates` of those stations)."""
    w_d: FloatArray = np.bincount(group, weight, groups).astype(np.float64)
    return predicted(fit, group_sums(covariates * weight[:, None], group, groups), w_d)


def predicted(fit: RateFit, sums: FloatArray, w_d: FloatArray) -> Prediction:
    """`predict` from the uncounted stations' sums per district: `sums` (D, m) of weight x covariates, `w_d`
    (D,) of weight."""
    loading = sums - w_d[:, None] * fit.anchor[:, : sums.shape[1]]
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
