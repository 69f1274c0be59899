"""The fraud model of Klimek, Yegorov, Hanel and Thurner (PNAS 109, 2012): what share of stations would
have to be stuffed for a clean election to leave this fingerprint.

The model. A clean station i with N_i registered voters has turnout a_i ~ N(mu_a, sd_a) and leader's share
v_i ~ N(mu_v, sd_v), independent, both cut to [0, 1]. With probability f_i the station is *incrementally*
stuffed: a fraction x_i = |N(0, theta)| of its abstainers' ballots is added for the leader and a fraction
x_i^alpha of the other options' votes is moved to the leader; with probability f_e it is stuffed to the
*extreme*: x_i = 1 - |N(0, 0.075)|, nearly every abstainer "votes" for the leader. f_i, f_e, theta and
alpha are the values whose simulated turnout x share histogram (20 x 20 cells of 5 points, several
simulated replicates averaged) is nearest the observed one.

Departures from the paper (the first and the last because a clean election would otherwise look stuffed, the
second and third because a stuffed one would look clean):
- the clean cloud is not two independent normals. Turnout and the leader's share are correlated across a
  real city (and across `saylau synth --heterogeneity` elections), and turnout is often far from normal; a
  normal model then "explains" the misfit with fraud (measured: estimates of 10-30% on clean synthetic
  elections). Here the cloud is the stations inside a robust 90% ellipse (a bivariate normal fitted to the
  stations inside its own ellipse, `robust_cloud`), resampled, plus the fitted normal's tail outside it.
  Stuffed stations far up and to the right fall outside the ellipse and are not resampled as clean.
- each station's clean point is centred on what the station is expected to give (`expected_points`): the
  projection's rate model (docs/projection.md), turnout and the leader's share each explained by the
  station's size, its district's effect and, where every station has them, its own previous turnout and
  previous leader's share (the fallback, with no history, is size and district alone). The cloud is the
  cloud of the stations' departures from that, and the histogram the model is fitted to is of departures
  (20 x 20 cells of 5 points, from -40 to +60 points on each axis): districts that vote differently no longer
  widen the cloud, so a station stuffed by a tenth of its abstainers stands out of its own district's cloud
  where it stayed inside the city's (measured on seeds 0-49: 20% of mildly stuffed stations of 553 read
  12.4% on the city's cloud, 17.7% on the departures; heavy stuffing of 10% of 2,000 stations 13.8% and
  10.6%; docs/forensics.md).
- the clean cloud and the stuffing are fitted jointly (expectation-maximisation, JOINT_ROUNDS rounds): after
  each fit every station is weighed by its chance of being clean under it (the fitted model's clean stations
  in its histogram cell over all its stations there), and the expected points and the cloud are measured
  again with those weights. Without it, mildly stuffed stations (a fraction of their abstainers' ballots,
  staying inside the ellipse) were resampled as clean (docs/forensics.md).
- the reading: the estimate of a clean count is noisy and its noise depends on the number of stations, so
  the flag at which a count reads "like a stuffed minority" is calibrated per station count (FLAGS, `flag`).
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
from saylau.analysis.forensics.integer import sample
from saylau.analysis.forensics.outliers import explaining
from saylau.analysis.projection.model import fit_rate

FloatArray = npt.NDArray[np.float64]

GRID = 20
"""Cells per axis of the histogram the model is fitted to (5 percentage points each)."""
LOW = 0.4
"""The histogram's cells run from -LOW to 1 - LOW on each axis: a station's departure from its expected point
(turnout, leader's share), with more room up and to the right, where stuffing moves a station."""
REPLICATES = 8
"""Simulated elections averaged for each candidate value of the parameters (eight: with four, the development
seeds' elections of 553 stations read 5% and 10% of stuffed stations 0.3-1.3 points lower, the simulation's
own noise adding to the distance; docs/forensics.md)."""
EXTREME_SD = 0.075
"""Spread of 1 - x at an extremely stuffed station (the paper's value)."""
FLAGS = ((553, 0.04), (2000, 0.02), (10000, 0.01))
"""(stations, flag): the next whole percentage point above the 97th percentile of the estimate on clean
`saylau synth --heterogeneity 0.3` elections of that many stations (seeds 1000-1199; 1000-1039 at 10,000),
printed by `benchmarks/forensics.py --calibrate`: 3% of those clean elections reach it, which leaves room for
the calibration's own sampling error under the 5% aim, measured on other seeds (0 and up) in
docs/forensics.md. `flag` reads between the sizes. (On the departures' cloud, since round 4, the clean
estimates' 97th percentiles are 3.0%, 1.0% and 0%: on the city's cloud before they were 10.5%, 13.0%, 8.0%.)"""


def flag(stations: int) -> float:
    """The flag for a count of `stations`: FLAGS read linearly in log(stations), held at either end."""
    sizes = [math.log(s) for s, _ in FLAGS]
    return float(np.interp(math.log(max(stations, 1)), sizes, [f for _, f in FLAGS]))


MIN_STATIONS = 50
"""Fewer stations than this give no estimate (the histogram would be noise)."""

_COARSE_FI = (0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6)
_COARSE_FE = (0.0, 0.01, 0.03, 0.06)
_THETAS = (0.2, 0.3, 0.45)
"""Spreads of incremental stuffing the fit tries. Not 0.1, the paper's smallest: stuffing |N(0, 0.1)| of the
abstainers' ballots moves a station by a few points, inside one 5-point cell, which the histogram cannot tell
from the clean cloud's own shape; with it the fit explained clean clouds' asymmetry by many slightly stuffed
stations (docs/forensics.md)."""
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
    """The clean cloud's turnout, mean and spread (each station weighed by its chance of being clean)."""
    turnout_sd: float
    share_mean: float
    """The clean cloud's leader's share, mean and spread (weighed likewise)."""
    share_sd: float
    distance: float
    """Distance between the fitted model's histogram and the observed one (lower is closer)."""
    distance_clean: float
    """The same distance for the clean model (f_i = f_e = 0): how much the fraud terms explain."""
    stations: int
    """Stations the model was fitted to."""
    eligible: int = 0
    """Stations where somebody voted; more than `stations` when a sample was fitted (`SAMPLE`)."""

    @property
    def stuffed(self) -> float:
        """f_i + f_e: the estimated share of stations with stuffing of either kind."""
        return self.incremental + self.extreme

    @property
    def flag(self) -> float:
        """The estimate at or above which this count reads "like a stuffed minority" (`flag`)."""
        return flag(self.stations)

    @property
    def fraud_like(self) -> bool:
        """The estimate at or above its flag (docs/forensics.md: how often on clean counts, and with how much
        stuffing)."""
        return self.stuffed >= self.flag


def _cells(turnout: FloatArray, share: FloatArray) -> npt.NDArray[np.int64]:
    """The histogram cell of each departure (turnout, share) from a station's expected point (`LOW`); departures
    beyond the histogram's edges fall in its edge cells."""
    t = np.clip(((turnout + LOW) * GRID).astype(np.int64), 0, GRID - 1)
    v = np.clip(((share + LOW) * GRID).astype(np.int64), 0, GRID - 1)
    cells: npt.NDArray[np.int64] = t * GRID + v
    return cells


@dataclass(frozen=True, slots=True)
class _Cloud:
    """The clean stations' departures (turnout, share) from their expected points: inside the TRIM ellipse, the
    departures found there (resampled, blurred by a quarter of a histogram cell); outside it, the fitted
    normal's tail (a share 1 - TRIM)."""

    mean: FloatArray
    cov: FloatArray
    inside: FloatArray
    weights: FloatArray
    """How clean each station inside is taken to be (the joint fit's posterior; 1 at the start)."""

    def draw(self, rng: np.random.Generator, shape: tuple[int, int]) -> tuple[FloatArray, FloatArray]:
        chance = np.cumsum(self.weights) / self.weights.sum()
        picked = self.inside[np.minimum(np.searchsorted(chance, rng.random(shape)), self.inside.shape[0] - 1)]
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
        return points[..., 0], points[..., 1]


class _Simulator:
    """Clean elections drawn once (common random numbers): each station at its expected point plus a departure
    drawn from the cloud; `distance` stuffs them with given parameters."""

    def __init__(
        self,
        registered: FloatArray,
        expected: tuple[FloatArray, FloatArray],
        observed: FloatArray,
        cloud: _Cloud,
        seed: int,
    ):
        rng = np.random.default_rng(seed)
        n = registered.shape[0]
        shape = (REPLICATES, n)
        self.registered = np.broadcast_to(registered, shape)
        self.expected = (np.broadcast_to(expected[0], shape), np.broadcast_to(expected[1], shape))
        departure_a, departure_v = cloud.draw(rng, shape)
        a = np.clip(self.expected[0] + departure_a, 0.0, 1.0)
        v = np.clip(self.expected[1] + departure_v, 0.0, 1.0)
        voters = np.round(self.registered * a)
        self.leader = np.round(voters * v)
        self.others = voters - self.leader
        self.abstained = self.registered - voters
        self.u = rng.random(shape)
        self.x = np.abs(rng.standard_normal(shape))
        self.y = np.clip(1.0 - EXTREME_SD * np.abs(rng.standard_normal(shape)), 0.0, 1.0)
        self.observed = observed
        self.offsets = (np.arange(REPLICATES) * GRID * GRID)[:, None]
        self.clean = self._moved(np.zeros(shape), math.inf)
        self._incremental: dict[tuple[float, float], npt.NDArray[np.int64]] = {}
        self._extreme: dict[float, npt.NDArray[np.int64]] = {}

    def _moved(self, x: FloatArray, alpha: float) -> npt.NDArray[np.int64]:
        """Every simulated station's cell (REPLICATES x n, offset by replicate) were it stuffed by x."""
        moved = np.round((x**alpha if math.isfinite(alpha) else np.zeros_like(x)) * self.others)
        leader = self.leader + np.floor(x * self.abstained) + moved
        voters = leader + self.others - moved
        turnout = voters / np.maximum(self.registered, 1.0)
        share = leader / np.maximum(voters, 1.0)
        cells: npt.NDArray[np.int64] = _cells(turnout - self.expected[0], share - self.expected[1]) + self.offsets
        return cells

    def _kinds(self, theta: float, alpha: float) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Every simulated station's cell were it incrementally stuffed, and were it extremely (drawn once)."""
        if (theta, alpha) not in self._incremental:
            self._incremental[theta, alpha] = self._moved(np.clip(theta * self.x, 0.0, 0.999), alpha)
        if alpha not in self._extreme:
            self._extreme[alpha] = self._moved(self.y, alpha)
        return self._incremental[theta, alpha], self._extreme[alpha]

    def _cells(self, fi: float, fe: float, theta: float, alpha: float) -> npt.NDArray[np.int64]:
        """The cells with a share fi incrementally stuffed (u < fi) and fe extremely (fi <= u < fi + fe)."""
        incremental, extreme = self._kinds(theta, alpha)
        cells: npt.NDArray[np.int64] = np.where(
            self.u < fi, incremental, np.where(self.u < fi + fe, extreme, self.clean)
        )
        return cells

    def distances(self, shares: list[tuple[float, float]], theta: float, alpha: float) -> list[float]:
        """`distance` of every (fi, fe) of `shares` at once, the same figures: the simulated stations are
        put in buckets by where u falls among the thresholds fi and fi + fe, each kind's histogram is taken
        once per bucket, and the histogram of each (fi, fe) is a sum of running totals over the buckets
        (u < fi incremental, fi <= u < fi + fe extreme, the rest clean)."""
        incremental, extreme = self._kinds(theta, alpha)
        thresholds = np.unique(np.array([t for fi, fe in shares for t in (fi, fi + fe)], dtype=np.float64))
        bucket = np.searchsorted(thresholds, self.u, side="right")  # u < thresholds[k] exactly when bucket <= k
        cells = GRID * GRID
        size = (thresholds.shape[0] + 1) * cells

        def running(kind: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
            counts = np.bincount((bucket * cells + kind % cells).ravel(), minlength=size).reshape(-1, cells)
            total: npt.NDArray[np.int64] = np.cumsum(counts, axis=0)
            return total

        below_incremental, below_extreme, below_clean = running(incremental), running(extreme), running(self.clean)
        out = []
        for fi, fe in shares:
            a = int(np.searchsorted(thresholds, fi))
            b = int(np.searchsorted(thresholds, fi + fe))
            counts = below_incremental[a] + below_extreme[b] - below_extreme[a] + below_clean[-1] - below_clean[b]
            simulated = counts / REPLICATES
            out.append(float(np.sum((simulated - self.observed) ** 2 / (simulated + self.observed + 1.0))))
        return out

    def _histogram(self, cells: npt.NDArray[np.int64]) -> FloatArray:
        counts = np.bincount(cells.ravel(), minlength=REPLICATES * GRID * GRID)
        mean: FloatArray = counts.reshape(REPLICATES, -1).mean(axis=0)
        return mean

    def distance(self, fi: float, fe: float, theta: float, alpha: float) -> float:
        simulated = self._histogram(self._cells(fi, fe, theta, alpha))
        return float(np.sum((simulated - self.observed) ** 2 / (simulated + self.observed + 1.0)))

    def clean_share(self, fi: float, fe: float, theta: float, alpha: float) -> FloatArray:
        """Per cell, the share of the fitted model's stations there that were not stuffed (1 where it has none):
        the chance that an observed station in that cell is clean."""
        cells = self._cells(fi, fe, theta, alpha)
        every = self._histogram(cells)
        clean = np.bincount(cells[self.u >= fi + fe], minlength=REPLICATES * GRID * GRID)
        clean_mean = clean.reshape(REPLICATES, -1).mean(axis=0)
        share: FloatArray = np.where(every > 0, clean_mean / np.maximum(every, 1e-12), 1.0)
        return share


TRIM = 0.9
"""The clean cloud is measured on the stations inside its own 90% ellipse (see `robust_cloud`)."""


def robust_cloud(
    turnout: FloatArray, share: FloatArray, rounds: int = 10, weights: FloatArray | None = None
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_]]:
    """Mean and covariance of the clean cloud: a normal fitted to the stations inside its own TRIM ellipse.

    Repeated: fit, keep the stations whose squared Mahalanobis distance is under the chi-square (2 degrees of
    freedom) TRIM quantile, refit; the covariance is then scaled by TRIM / P(chi-square_4 <= q), the
    consistency factor of a normal trimmed at that ellipse. Stuffed stations lie far up and to the right and
    fall outside the ellipse, so they hardly move it. `weights` (each station's chance of being clean, the
    joint fit's posterior) weigh the stations in every mean and covariance.
    """
    points = np.column_stack([turnout, share])
    weight = np.ones(points.shape[0]) if weights is None else weights
    q = -2.0 * math.log(1.0 - TRIM)
    factor = TRIM / (1.0 - math.exp(-q / 2) * (1.0 + q / 2))
    mean, cov = _weighted(points, weight)
    inside = np.ones(points.shape[0], dtype=np.bool_)
    for _ in range(rounds):
        centred = points - mean
        within = np.einsum("ij,jk,ik->i", centred, np.linalg.pinv(cov), centred) <= q
        if within.sum() < 3 or weight[within].sum() <= 1.0:
            break
        inside = within
        mean, cov = _weighted(points[inside], weight[inside], factor)
    return mean, cov, inside


def _weighted(points: FloatArray, weight: FloatArray, factor: float = 1.0) -> tuple[FloatArray, FloatArray]:
    """Weighted mean and covariance (times `factor`), with at least a percentage point of spread either way."""
    mean: FloatArray = np.average(points, axis=0, weights=weight)
    cov: FloatArray = np.cov(points, rowvar=False, aweights=weight) * factor + np.eye(2) * 1e-4
    return mean, cov


JOINT_ROUNDS = 2
"""Rounds of the joint fit: the clean cloud re-measured with each station weighed by its chance of being clean
under the last fit, then the stuffing fitted again against that cloud. The rounds do not settle on the injected
share: each reads mild stuffing higher than the last (20% of mildly stuffed stations on 2,000 stations of seeds
3000-3019, eight replicates: 15.7%, 19.7%, 21.6% after one, two, three rounds; 26.5% after five, with four
replicates on eight of those seeds), so their number is chosen on those development seeds (two: the smallest
summed error over the stuffed conditions at 553, 2,000 and 10,000 stations, docs/forensics.md) and measured
on others."""


def _fit(simulator: _Simulator) -> tuple[float, float, float, float, float]:
    """(distance, f_i, f_e, theta, alpha) nearest the observed histogram: a coarse grid, then a finer one."""
    coarse = [(fi, fe) for fi in _COARSE_FI for fe in _COARSE_FE]
    _, fi0, fe0, theta, alpha = min(
        (d, fi, fe, theta, alpha)
        for theta in _THETAS
        for alpha in _ALPHAS
        for d, (fi, fe) in zip(simulator.distances(coarse, theta, alpha), coarse, strict=True)
    )
    fine_fi = [round(fi0 + k * 0.005, 4) for k in range(-10, 11) if fi0 + k * 0.005 >= 0]
    fine_fe = [round(fe0 + k * 0.0025, 4) for k in range(-4, 5) if fe0 + k * 0.0025 >= 0]
    fine = [(fi, fe) for fi in fine_fi for fe in fine_fe]
    return min(
        (d, fi, fe, theta, alpha) for d, (fi, fe) in zip(simulator.distances(fine, theta, alpha), fine, strict=True)
    )


SAMPLE = 10_000
"""The most stations the model is fitted to: a larger count through a random sample of this many (fixed by
the seed), so a national count costs what 10,000 stations cost and is read against the flag measured at
10,000 (FLAGS) on an estimate of the same noise."""


def expected_points(
    turnout: FloatArray, share: FloatArray, weights: FloatArray, covariates: FloatArray, group: npt.NDArray[np.int64]
) -> tuple[FloatArray, FloatArray]:
    """Each station's expected (turnout, leader's share): the projection's rate model (`fit_rate`: the
    covariates of `outliers.explaining` and the district's effect), fitted with each station weighed by its
    chance of being clean (`weights`), so stuffed stations pull their district's expected point little."""
    groups = int(group.max()) + 1
    weight = np.maximum(weights, 1e-6)
    points = []
    for rate in (turnout, share):
        fit = fit_rate(rate, weight, covariates, group, groups)
        point: FloatArray = covariates @ fit.beta + fit.effect_mean[group]
        points.append(point)
    return points[0], points[1]


def klimek_fit(contest: Contest, seed: int = 0, rounds: int = JOINT_ROUNDS, most: int = SAMPLE) -> KlimekFit | None:
    """The model fitted to one contest, or None with fewer than MIN_STATIONS stations where somebody voted.

    The clean cloud and the stuffing are fitted jointly, JOINT_ROUNDS times: fit the stuffing against the
    cloud, weigh each station by its chance of being clean under that fit (`_Simulator.clean_share`, the E
    step of an expectation-maximisation), measure the expected points (`expected_points`) and the cloud of
    departures from them again with those weights (the M step). With `rounds` = 1 it is the robust cloud
    alone (which under-reads mild stuffing)."""
    c = contest.columns
    placed = (c.registered > 0) & (c.found > 0)
    if int(placed.sum()) < MIN_STATIONS:
        return None
    eligible = int(placed.sum())
    chosen = sample(np.random.default_rng([seed, 12]), eligible, most)
    registered = c.registered[placed][chosen].astype(np.float64)
    found = c.found[placed][chosen].astype(np.float64)
    turnout = np.minimum(found / registered, 1.0)
    share = c.leader[placed][chosen] / found
    stations = int(chosen.shape[0])
    covariates, _ = explaining(registered, c.previous_turnout[placed][chosen], c.previous_share[placed][chosen])
    _, group = np.unique(c.district[placed][chosen], return_inverse=True)
    weights = np.ones(stations)
    for _ in range(max(1, rounds)):
        expected = expected_points(turnout, share, weights, covariates, group.astype(np.int64))
        departures = (turnout - expected[0], share - expected[1])
        station_cells = _cells(*departures)
        observed_cells = np.bincount(station_cells, minlength=GRID * GRID).astype(np.float64)
        mean, cov, inside = robust_cloud(*departures, weights=weights)
        cloud = _Cloud(mean, cov, np.column_stack(departures)[inside], weights[inside])
        simulator = _Simulator(registered, expected, observed_cells, cloud, seed)
        distance, fi, fe, theta, alpha = _fit(simulator)
        weights = simulator.clean_share(fi, fe, theta, alpha)[station_cells]
    clean = np.maximum(weights, 1e-12)
    turnout_mean, share_mean = float(np.average(turnout, weights=clean)), float(np.average(share, weights=clean))
    return KlimekFit(
        incremental=fi,
        extreme=fe,
        theta=theta,
        alpha=alpha,
        turnout_mean=turnout_mean,
        turnout_sd=math.sqrt(float(np.average((turnout - turnout_mean) ** 2, weights=clean))),
        share_mean=share_mean,
        share_sd=math.sqrt(float(np.average((share - share_mean) ** 2, weights=clean))),
        distance=distance,
        distance_clean=simulator.distance(0.0, 0.0, theta, alpha),
        stations=stations,
        eligible=eligible,
    )
