"""The fraud model of Klimek, Yegorov, Hanel and Thurner (PNAS 109, 2012): what share of stations would
have to be stuffed for a clean election to leave this fingerprint.

The model. A clean station i with N_i registered voters has turnout a_i ~ N(mu_a, sd_a) and leader's share
v_i ~ N(mu_v, sd_v), independent, both cut to [0, 1]. With probability f_i the station is *incrementally*
stuffed: a fraction x_i = |N(0, theta)| of its abstainers' ballots is added for the leader and a fraction
x_i^alpha of the other options' votes is moved to the leader; with probability f_e it is stuffed to the
*extreme*: x_i = 1 - |N(0, 0.075)|, nearly every abstainer "votes" for the leader. f_i, f_e, theta and
alpha are the values whose simulated turnout x share histogram (20 x 20 cells of 5 points, several
simulated replicates averaged) is nearest the observed one.

Departures from the paper, each because a clean election would otherwise look stuffed:
- the clean cloud is not two independent normals. Turnout and the leader's share are correlated across a
  real city (and across `saylau synth --heterogeneity` elections), and turnout is often far from normal; a
  normal model then "explains" the misfit with fraud (measured: estimates of 10-30% on clean synthetic
  elections). Here the cloud is the stations inside a robust 90% ellipse (a bivariate normal fitted to the
  stations inside its own ellipse, `robust_cloud`), resampled, plus the fitted normal's tail outside it.
  Stuffed stations far up and to the right fall outside the ellipse and are not resampled as clean; mildly
  stuffed ones inside it are, so the estimate is conservative (see docs/forensics.md for how much). This,
  not the fit, is why mild stuffing is under-read: fitted against the clean stations' own cloud (known in a
  benchmark, never in a real count) the same fit reads 20% mildly stuffed stations as 25-30%, since the
  incremental term |N(0, theta)| puts much of its mass near no stuffing at all.
- the fit is a coarse grid followed by a finer one around its best point, with the same random draws for
  every candidate value (common random numbers), so the distance changes smoothly with f_i and f_e.

What it can show: whether the count looks like a clean cloud plus a stuffed minority, and how large a
minority. What it cannot: which stations, or why; a real city whose stations differ in ways that are not
normal (districts that vote as blocs, institutions voting at 100%) can look "stuffed" with no fraud at all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from saylau.analysis.forensics.contests import Contest

FloatArray = npt.NDArray[np.float64]

GRID = 20
"""Cells per axis of the histogram the model is fitted to (5 percentage points each)."""
REPLICATES = 4
"""Simulated elections averaged for each candidate value of the parameters."""
EXTREME_SD = 0.075
"""Spread of 1 - x at an extremely stuffed station (the paper's value)."""
FLAG = 0.08
"""An estimated stuffed share (f_i + f_e) at or above this is reported as "fraud-like"; its false-alarm rate
on clean elections and its power are measured in docs/forensics.md."""
MIN_STATIONS = 50
"""Fewer stations than this give no estimate (the histogram would be noise)."""

_COARSE_FI = (0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6)
_COARSE_FE = (0.0, 0.01, 0.03, 0.06)
_THETAS = (0.1, 0.2, 0.3, 0.45)
_ALPHAS = (1.0, 2.0, math.inf)


@dataclass(frozen=True, slots=True)
class KlimekFit:
    """The fitted model: the shares of stuffed stations and the clean cloud they were measured against."""

    incremental: float
    """f_i: the estimated share of incrementally stuffed stations."""
    extreme: float
    """f_e: the estimated share of extremely stuffed stations."""
    theta: float
    alpha: float
    """How much of the other options' votes moves with the stuffing (inf: none, pure stuffing)."""
    turnout_mean: float
    turnout_sd: float
    share_mean: float
    share_sd: float
    distance: float
    """Distance between the fitted model's histogram and the observed one (lower is closer)."""
    distance_clean: float
    """The same distance for the clean model (f_i = f_e = 0): how much the fraud terms explain."""
    stations: int

    @property
    def stuffed(self) -> float:
        """f_i + f_e: the estimated share of stations with stuffing of either kind."""
        return self.incremental + self.extreme

    @property
    def fraud_like(self) -> bool:
        """The estimate at or above FLAG (see docs/forensics.md for how often a clean count reaches it)."""
        return self.stuffed >= FLAG


def _cells(turnout: FloatArray, share: FloatArray) -> npt.NDArray[np.int64]:
    t = np.minimum((turnout * GRID).astype(np.int64), GRID - 1)
    v = np.minimum((share * GRID).astype(np.int64), GRID - 1)
    return np.bincount(t * GRID + v, minlength=GRID * GRID)


@dataclass(frozen=True, slots=True)
class _Cloud:
    """The clean stations' (turnout, share): inside the TRIM ellipse, the stations found there (resampled,
    blurred by a quarter of a histogram cell); outside it, the fitted normal's tail (a share 1 - TRIM)."""

    mean: FloatArray
    cov: FloatArray
    inside: FloatArray

    def draw(self, rng: np.random.Generator, shape: tuple[int, int]) -> tuple[FloatArray, FloatArray]:
        picked = self.inside[rng.integers(0, self.inside.shape[0], shape)]
        picked = picked + rng.normal(0.0, 0.25 / GRID, (*shape, 2))
        # chi-square with 2 degrees of freedom is exponential with mean 2: beyond q, r^2 = q + Exp(2)
        q = -2.0 * math.log(1.0 - TRIM)
        radius = np.sqrt(q + rng.exponential(2.0, shape))
        angle = rng.uniform(0.0, 2 * math.pi, shape)
        circle = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=-1)
        values, vectors = np.linalg.eigh(self.cov)
        root = vectors * np.sqrt(np.clip(values, 0.0, None))
        tail = self.mean + circle @ root.T
        points = np.where((rng.random(shape) < TRIM)[..., None], picked, tail)
        return np.clip(points[..., 0], 0.0, 1.0), np.clip(points[..., 1], 0.0, 1.0)


class _Simulator:
    """Clean elections drawn once (common random numbers); `distance` stuffs them with given parameters."""

    def __init__(self, registered: FloatArray, observed: FloatArray, cloud: _Cloud, seed: int):
        rng = np.random.default_rng(seed)
        n = registered.shape[0]
        shape = (REPLICATES, n)
        self.registered = np.broadcast_to(registered, shape)
        a, v = cloud.draw(rng, shape)
        voters = np.round(self.registered * a)
        self.leader = np.round(voters * v)
        self.others = voters - self.leader
        self.abstained = self.registered - voters
        self.u = rng.random(shape)
        self.x = np.abs(rng.standard_normal(shape))
        self.y = np.clip(1.0 - EXTREME_SD * np.abs(rng.standard_normal(shape)), 0.0, 1.0)
        self.observed = observed
        self.offsets = (np.arange(REPLICATES) * GRID * GRID)[:, None]

    def distance(self, fi: float, fe: float, theta: float, alpha: float) -> float:
        x = np.where(self.u < fi, np.clip(theta * self.x, 0.0, 0.999), np.where(self.u < fi + fe, self.y, 0.0))
        moved = np.round((x**alpha if math.isfinite(alpha) else np.zeros_like(x)) * self.others)
        leader = self.leader + np.floor(x * self.abstained) + moved
        voters = leader + self.others - moved
        safe = np.maximum(voters, 1.0)
        t = np.minimum((voters / np.maximum(self.registered, 1.0) * GRID).astype(np.int64), GRID - 1)
        v = np.minimum((leader / safe * GRID).astype(np.int64), GRID - 1)
        index = (t * GRID + v + self.offsets).ravel()
        simulated = np.bincount(index, minlength=REPLICATES * GRID * GRID).reshape(REPLICATES, -1).mean(axis=0)
        return float(np.sum((simulated - self.observed) ** 2 / (simulated + self.observed + 1.0)))


TRIM = 0.9
"""The clean cloud is measured on the stations inside its own 90% ellipse (see `robust_cloud`)."""


def robust_cloud(
    turnout: FloatArray, share: FloatArray, rounds: int = 10
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_]]:
    """Mean and covariance of the clean cloud: a normal fitted to the stations inside its own TRIM ellipse.

    Repeated: fit, keep the stations whose squared Mahalanobis distance is under the chi-square (2 degrees of
    freedom) TRIM quantile, refit; the covariance is then scaled by TRIM / P(chi-square_4 <= q), the
    consistency factor of a normal trimmed at that ellipse. Stuffed stations lie far up and to the right and
    fall outside the ellipse, so they hardly move it.
    """
    points = np.column_stack([turnout, share])
    q = -2.0 * math.log(1.0 - TRIM)
    factor = TRIM / (1.0 - math.exp(-q / 2) * (1.0 + q / 2))
    mean, cov = points.mean(axis=0), np.cov(points, rowvar=False) + np.eye(2) * 1e-4
    inside = np.ones(points.shape[0], dtype=np.bool_)
    for _ in range(rounds):
        centred = points - mean
        within = np.einsum("ij,jk,ik->i", centred, np.linalg.pinv(cov), centred) <= q
        if within.sum() < 3:
            break
        inside = within
        # at least one percentage point of spread either way
        mean, cov = points[inside].mean(axis=0), np.cov(points[inside], rowvar=False) * factor + np.eye(2) * 1e-4
    return mean, cov, inside


def klimek_fit(contest: Contest, seed: int = 0) -> KlimekFit | None:
    """The model fitted to one contest, or None with fewer than MIN_STATIONS stations where somebody voted."""
    kept = [s for s in contest.stations if s.registered > 0 and s.found > 0]
    if len(kept) < MIN_STATIONS:
        return None
    registered = np.array([s.registered for s in kept], dtype=np.float64)
    turnout = np.minimum(np.array([s.found for s in kept], dtype=np.float64) / registered, 1.0)
    share = np.array([s.leader for s in kept], dtype=np.float64) / np.array([s.found for s in kept], dtype=np.float64)
    mean, cov, inside = robust_cloud(turnout, share)
    clean = (float(mean[0]), float(np.sqrt(cov[0, 0])), float(mean[1]), float(np.sqrt(cov[1, 1])))
    cloud = _Cloud(mean, cov, np.column_stack([turnout, share])[inside])
    simulator = _Simulator(registered, _cells(turnout, share).astype(np.float64), cloud, seed)
    best = min(
        (simulator.distance(fi, fe, theta, alpha), fi, fe, theta, alpha)
        for fi in _COARSE_FI
        for fe in _COARSE_FE
        for theta in _THETAS
        for alpha in _ALPHAS
    )
    _, fi0, fe0, theta, alpha = best
    fine_fi = [round(fi0 + k * 0.005, 4) for k in range(-10, 11) if fi0 + k * 0.005 >= 0]
    fine_fe = [round(fe0 + k * 0.0025, 4) for k in range(-4, 5) if fe0 + k * 0.0025 >= 0]
    distance, fi, fe, _, _ = min(
        (simulator.distance(fi, fe, theta, alpha), fi, fe, theta, alpha) for fi in fine_fi for fe in fine_fe
    )
    return KlimekFit(
        incremental=fi,
        extreme=fe,
        theta=theta,
        alpha=alpha,
        turnout_mean=clean[0],
        turnout_sd=clean[1],
        share_mean=clean[2],
        share_sd=clean[3],
        distance=distance,
        distance_clean=simulator.distance(0.0, 0.0, theta, alpha),
        stations=len(kept),
    )
