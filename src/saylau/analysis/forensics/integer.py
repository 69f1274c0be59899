"""Integer percentages: are there more stations at round turnout or round leader's share than chance gives?

Kobak, Shpilkin and Pshenichnikov, "Integer percentages as electoral falsification fingerprints", Annals of
Applied Statistics 10 (2016) 54-73: where officials write in the figures they were told to reach, the
published percentages pile up on whole numbers (80%, 85%, 90%); honest counts do not, since a station's
figures come from its voters, not from a target.

A station's percentage 100 x k / n is *integer* when k is the count nearest to a whole percentage of n:
|100 k - j n| <= 50 for some whole j, i.e. (100 k mod n) is within 50 of 0 or of n (exact integers). With
n <= 100 every count is nearest to some whole percentage, so only stations with more than 100 behind the
percentage (registered voters for turnout, ballots found for the share) are looked at.

The null (the paper's): each station's count is redrawn as Binomial(n, k / n), keeping every station's size
and rate but not the exact figure; the count of integer stations in each redraw is the null distribution.
Departure: the redraws are centred on the observed counts, not on the true rates, and that centre's own error
is left out of a single redraw; the p-value here is the double resampling's (`integer_test`), which measures
the excess of integer stations in each redraw as it measures the count's, around the redraw itself.

A count of more than LARGE stations takes the same statistic's null in its large-sample form (normal, with
the moments ten redraws of every station measure: `_large_sample`), and more than SAMPLE stations are read
through a random sample, so the cost no longer grows with the stations times the redraws (docs/forensics.md,
"At a country's size").

What it can show: that whole percentages are more frequent than a count made by voters gives. What it
cannot: who wrote them, or that the other figures are wrong; a few spikes in a small count are chance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from saylau.analysis.forensics.contests import Contest

IntArray = npt.NDArray[np.int64]

RESAMPLES = 1000
"""Redraws of the null distribution by default (p-values to about 0.001)."""
MIN_BEHIND = 101
"""The fewest voters or ballots behind a percentage for it to be told round or not."""


class Quantity(StrEnum):
    """Which percentage is read: turnout (found / registered) or the leader's share (leader / found)."""

    TURNOUT = "turnout"
    SHARE = "share"


@dataclass(frozen=True, slots=True)
class IntegerTest:
    """The integer-percentage test of one percentage in one contest."""

    quantity: Quantity
    stations: int
    """Stations looked at (more than 100 behind the percentage)."""
    observed: int
    """Stations whose percentage is a whole number."""
    null_mean: float
    null_low: int
    null_high: int
    """The central 95% of the null distribution (2.5th and 97.5th percentiles)."""
    p_value: float
    resamples: int
    """Redraws of the count (`LARGE_REDRAWS` in the large-sample form)."""
    eligible: int = 0
    """Stations with more than 100 behind the percentage; more than `stations` when a sample was read."""
    large_sample: bool = False
    """p from the large-sample form (a normal null whose moments the redraws measure), not by counting."""

    @property
    def excess(self) -> float:
        """Integer stations above what the null expects (negative: fewer)."""
        return self.observed - self.null_mean


def is_integer_percentage(count: int, of: int) -> bool:
    """Whether `count` is the whole count nearest to a whole percentage of `of` (exact; `of` > 0)."""
    rest = 100 * count % of
    return min(rest, of - rest) <= 50


def _integer(counts: IntArray, of: IntArray) -> npt.NDArray[np.bool_]:
    rest = (100 * counts) % of
    found: npt.NDArray[np.bool_] = np.minimum(rest, of - rest) <= 50
    return found


INNER = 5
"""Redraws around each pseudo-count that give it its own expected number of integer stations (the inner
resampling of the double resampling)."""


def _integer_counts(drawn: IntArray, of: IntArray) -> IntArray:
    counted: IntArray = _integer(drawn, of).sum(axis=-1)
    return counted


LARGE = 5_000
"""Above this many stations the null is taken in its large-sample form (`_large_sample`)."""
SAMPLE = 50_000
"""The most stations read: a larger count is read through a random sample of this many (fixed by the seed)."""
LARGE_REDRAWS = 10
"""Redraws of every station in the large-sample form (each with its INNER redraws around it)."""


def normal_tail(z: float) -> float:
    """P(Z >= z) for a standard normal Z."""
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def sample(rng: np.random.Generator, size: int, most: int) -> npt.NDArray[np.int64]:
    """`most` of `size` indices at random, in order (all of them when there are no more)."""
    if size <= most:
        return np.arange(size, dtype=np.int64)
    return np.sort(rng.choice(size, most, replace=False)).astype(np.int64)


def integer_test(
    contest: Contest,
    quantity: Quantity,
    resamples: int = RESAMPLES,
    seed: int = 0,
    large: int = LARGE,
    most: int = SAMPLE,
) -> IntegerTest | None:
    """The test on one contest's turnout or leader's share; None when no station has more than 100 behind it.

    The statistic is the excess T = observed integer stations - their number expected under the null, the
    expectation measured by INNER redraws around the count. Its null distribution is resampled twice over
    (a double, or calibrated, parametric bootstrap: Davison and Hinkley, Bootstrap Methods, 1997, 3.9):
    each of `resamples` pseudo-counts is a redraw of every station around its observed rate (Kobak et al.'s
    null), and its own T is measured as the count's is, with INNER redraws around the pseudo-count. So the
    null carries what the single redraw leaves out: the centre it redraws around is itself estimated from
    the count (measured in docs/forensics.md: the single redraw fired on 7.3% of 300 clean elections of 2,000
    stations on the leader's share). p = (1 + pseudo-counts with T at least as high) / (1 + resamples). The
    null's mean and central 95% are those of the pseudo-counts' integer stations (the single redraw's)."""
    c = contest.columns
    if quantity is Quantity.TURNOUT:
        counts, of = c.found, c.registered
    else:
        counts, of = c.leader, c.found
    keep = of >= MIN_BEHIND
    counts = np.minimum(counts[keep], of[keep])  # more ballots than registered voters: read as 100%
    of = of[keep]
    if not of.shape[0]:
        return None
    eligible = int(of.shape[0])
    rng = np.random.default_rng(seed)
    chosen = sample(rng, eligible, most)
    counts, of = counts[chosen], of[chosen]
    stations = int(of.shape[0])
    observed = int(_integer(counts, of).sum())
    if stations > large:
        return _large_sample(quantity, counts, of, observed, eligible, rng)
    excess = observed - float(_integer_counts(rng.binomial(of, counts / of, size=(INNER, stations)), of).mean())
    null = np.empty(resamples, dtype=np.int64)
    null_excess = np.empty(resamples, dtype=np.float64)
    chunk = max(1, 2_000_000 // (stations * (1 + INNER)))
    for start in range(0, resamples, chunk):
        size = min(chunk, resamples - start)
        drawn = rng.binomial(of, counts / of, size=(size, stations))
        inner = rng.binomial(of, drawn / of, size=(INNER, size, stations))
        null[start : start + size] = _integer_counts(drawn, of)
        null_excess[start : start + size] = null[start : start + size] - _integer_counts(inner, of).mean(axis=0)
    low, high = np.percentile(null, [2.5, 97.5])
    return IntegerTest(
        quantity=quantity,
        stations=stations,
        observed=observed,
        null_mean=float(null.mean()),
        null_low=int(np.floor(low)),
        null_high=int(np.ceil(high)),
        p_value=(1 + int((null_excess >= excess).sum())) / (1 + resamples),
        resamples=resamples,
        eligible=eligible,
    )


def _large_sample(
    quantity: Quantity, counts: IntArray, of: IntArray, observed: int, eligible: int, rng: np.random.Generator
) -> IntegerTest:
    """The double resampling's test in its large-sample form, whose cost grows with the stations, not with
    them times the redraws: the excess T is a sum of independent per-station terms (a station's integer flag
    less the mean of its INNER redraws'), so its null is normal by the central limit theorem, with the mean
    and variance of the sum of those terms. LARGE_REDRAWS redraws of every station (each with INNER redraws
    around it, as the counted form does) measure each station's term: their mean sums to the null's mean
    (measured with the variance / LARGE_REDRAWS of LARGE_REDRAWS resamples, added to the null's), their
    variances to its variance. p = P(N(0, 1) >= (T - mean) / sd)."""
    stations = int(of.shape[0])
    rate = counts / of
    excess = observed - float(_integer(rng.binomial(of, rate, size=(INNER, stations)), of).sum(axis=1).mean())
    terms = np.empty((LARGE_REDRAWS, stations), dtype=np.float64)
    hits = np.empty((LARGE_REDRAWS, stations), dtype=np.float64)
    for r in range(LARGE_REDRAWS):
        drawn = rng.binomial(of, rate)
        hits[r] = _integer(drawn, of)
        terms[r] = hits[r] - _integer(rng.binomial(of, drawn / of, size=(INNER, stations)), of).mean(axis=0)
    mean = float(terms.sum(axis=1).mean())
    spread = math.sqrt(float(terms.var(axis=0, ddof=1).sum()) * (1 + 1 / LARGE_REDRAWS))
    null_mean = float(hits.sum(axis=1).mean())
    null_sd = math.sqrt(float(hits.var(axis=0, ddof=1).sum()))
    return IntegerTest(
        quantity=quantity,
        stations=stations,
        observed=observed,
        null_mean=null_mean,
        null_low=max(0, math.floor(null_mean - 1.96 * null_sd)),
        null_high=math.ceil(null_mean + 1.96 * null_sd),
        p_value=normal_tail((excess - mean) / max(spread, 1e-12)),
        resamples=LARGE_REDRAWS,
        eligible=eligible,
        large_sample=True,
    )
