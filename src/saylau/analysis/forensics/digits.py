"""The last-digit test (Beber and Scacco, "What the numbers say", Political Analysis 20, 2012), with a
resampled null.

People who make up numbers favour some digits; the last digit of an honest count is close to uniform. The
test reads the last digits of every option's votes (and "against all") at every station, counts of 10 or
more only, and measures their distance from what honest counts of the same sizes give:

    chi2 = sum over digits d of (O_d - E_d)^2 / E_d

Departure from the paper's uniform null (measured in docs/forensics.md): across a city the counts of a small
party are many around a few dozen and few above, and such a falling density gives the low last digits of
each decade a little more than a tenth, so the uniform null rejects 20% of clean synthetic elections at the
5% level. Here, as in Kobak et al.'s integer test, each count k of a station with n ballots is redrawn as
Binomial(n, k/n), and the redraws of 10 or more are read as the observed counts are: the redraws keep the
shape of the counts' distribution (and where it is cut at 10) but not their exact digits. E_d is the mean
digit count over the redraws (scaled to the observed number of counts), and p = (1 + redraws at least as
far from E as observed) / (1 + redraws).

More than LARGE counts take the null's large-sample form (`_large_sample`), and more than SAMPLE counts are
read through a random sample (docs/forensics.md, "At a country's size").

What it can show: digits that people, not voters, chose. What it cannot: stuffing, which adds real-looking
counts; and with many thousands of counts a tiny, harmless unevenness is significant (read the digit shares,
not only the p-value).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from saylau.analysis.forensics.contests import Contest
from saylau.analysis.forensics.integer import LARGE_REDRAWS, sample

MIN_COUNT = 10
"""The smallest count whose last digit is read (smaller counts are their own last digit)."""
RESAMPLES = 1000


@dataclass(frozen=True, slots=True)
class DigitTest:
    """The last-digit test of one contest."""

    digits: tuple[int, ...]
    """How many counts end in 0, 1, ..., 9."""
    expected: tuple[float, ...]
    """How many end in each digit on average over the redraws of the null."""
    chi_square: float
    p_value: float
    resamples: int
    """Redraws of the counts (`LARGE_REDRAWS` in the large-sample form)."""
    eligible: int = 0
    """Counts above zero; more than were read when a sample was read (`SAMPLE`)."""
    large_sample: bool = False
    """p from the large-sample form (`_large_sample`), not by counting redraws."""

    @property
    def counts(self) -> int:
        return sum(self.digits)


INNER = 5
"""Redraws around each pseudo-count that give it its own expected digits (the double resampling)."""


def _tallies(drawn: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    """How many counts of MIN_COUNT or more end in each digit, for every row of `drawn` (... x counts)."""
    flat = drawn.reshape(-1, drawn.shape[-1])
    rows = flat.shape[0]
    index = np.where(flat >= MIN_COUNT, flat % 10 + (np.arange(rows) * 10)[:, None], rows * 10)
    tally = np.bincount(index.ravel(), minlength=rows * 10 + 1)[: rows * 10].reshape(*drawn.shape[:-1], 10)
    return tally.astype(np.float64)


def _digit_tally(drawn: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    """(counts, 10): per count (a column of `drawn`, redraws x counts), how many of its redraws of MIN_COUNT or
    more end in each digit. The same figures as summing one-hot rows (`np.eye(10)[drawn % 10]`, zero under
    MIN_COUNT) over the redraws, without a row of ten floats per redraw: its mean over the redraws is this
    divided by their number, to the last bit (whole numbers summed exactly, then one division)."""
    m = drawn.shape[-1]
    tally = np.zeros((m, 10))
    cells = tally.reshape(-1)
    first = np.arange(0, m * 10, 10)
    for redraw in drawn.reshape(-1, m):
        cells[redraw - (redraw // 10) * 10 + first] += redraw >= MIN_COUNT  # one cell per count: no repeats
    return tally


def _chi_square(tally: npt.NDArray[np.float64], inner: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """chi2 of each row of `tally` (m x 10) against the mean of its INNER redraws (INNER x m x 10), scaled to
    the row's own number of counts."""
    mean = inner.mean(axis=0)
    expected = mean * (tally.sum(axis=-1, keepdims=True) / np.maximum(mean.sum(axis=-1, keepdims=True), 1.0))
    chi: npt.NDArray[np.float64] = ((tally - expected) ** 2 / np.maximum(expected, 1e-9)).sum(axis=-1)
    return chi


LARGE = 35_000
"""Above this many counts the null is taken in its large-sample form (5,000 stations' options and "against
all" are about 35,000)."""
SAMPLE = 100_000
"""The most counts read: more are read through a random sample of this many (fixed by the seed)."""
NORMAL_DRAWS = 20_000
"""Draws of the large-sample form's normal digit tallies that give its p-value."""


def last_digit_test(
    contest: Contest, resamples: int = RESAMPLES, seed: int = 0, large: int = LARGE, most: int = SAMPLE
) -> DigitTest | None:
    """The test on one contest; None when no count reaches MIN_COUNT.

    Double resampling, as the integer test's (`integer.integer_test`): the redraws are centred on the observed
    counts, and their digits come out a little evener than the counts' own (each redraw spreads the counts once
    more), which a single redraw reads as unevenness in the count, the more so the more counts there are (70,000 at
    10,000 stations). So the count's chi2 is measured against the mean of INNER redraws around
    it, and each of `resamples` redraws' chi2 against INNER redraws around the redraw itself; p = (1 + redraws
    with a chi2 at least as large) / (1 + redraws). `expected` is the redraws' mean, scaled to the count."""
    c = contest.columns
    if not bool((c.counts >= MIN_COUNT).any()):
        return None
    written = np.flatnonzero(c.counts > 0)  # the counts above zero: the sample is drawn from these
    eligible = int(written.shape[0])
    rng = np.random.default_rng([seed, 10])
    chosen = written[sample(rng, eligible, most)]  # only the chosen counts and their stations are read
    counts = c.counts[chosen]
    of = np.maximum(c.found[c.owner[chosen]], counts)
    read = counts >= MIN_COUNT
    if not read.any():
        return None
    if counts.shape[0] > large:
        return _large_sample(counts, of, read, eligible, rng)
    pairs = counts
    observed = np.bincount(counts[read] % 10, minlength=10)
    total = int(observed.sum())
    inner = _tallies(rng.binomial(of, counts / of, size=(INNER, 1, len(pairs))))
    chi = float(_chi_square(observed[None, :].astype(np.float64), inner)[0])
    null = np.empty((resamples, 10), dtype=np.float64)
    chis = np.empty(resamples, dtype=np.float64)
    chunk = max(1, 2_000_000 // (len(pairs) * (1 + INNER)))
    for start in range(0, resamples, chunk):
        size = min(chunk, resamples - start)
        drawn = rng.binomial(of, counts / of, size=(size, len(pairs)))
        tally = _tallies(drawn)  # the same selection as the observed counts: a redraw under MIN_COUNT is not read
        null[start : start + size] = tally * (total / np.maximum(tally.sum(axis=1, keepdims=True), 1))
        chis[start : start + size] = _chi_square(
            tally, _tallies(rng.binomial(of, drawn / of, size=(INNER, size, len(pairs))))
        )
    return DigitTest(
        tuple(int(x) for x in observed),
        tuple(float(x) for x in null.mean(axis=0)),
        chi,
        (1 + int((chis >= chi).sum())) / (1 + resamples),
        resamples,
        eligible,
    )


def _large_sample(
    counts: npt.NDArray[np.int64],
    of: npt.NDArray[np.int64],
    read: npt.NDArray[np.bool_],
    eligible: int,
    rng: np.random.Generator,
) -> DigitTest:
    """The double resampling's test in its large-sample form (as `integer._large_sample`), whose cost grows
    with the counts, not with them times the redraws. W = the digit tallies less the mean of their INNER
    redraws' is a sum of independent per-count vectors, so under the null it is normal (central limit
    theorem) with the sum of their means and covariances, which LARGE_REDRAWS redraws of every count (each
    with its INNER redraws) measure (the normal draws spread by (1 - 1 / LARGE_REDRAWS) of that covariance
    about the measured mean, whose own error makes up the rest). chi2 of the
    count is measured as the counted form measures it (against the mean of INNER redraws, scaled to the count);
    its null is chi2 of NORMAL_DRAWS normal tallies drawn about the same expected tally."""
    m = counts.shape[0]
    observed = np.bincount(counts[read] % 10, minlength=10).astype(np.float64)
    inner = _tallies(rng.binomial(of, counts / of, size=(INNER, 1, m)))
    chi = float(_chi_square(observed[None, :], inner)[0])
    expected = inner.mean(axis=0)[0]
    totals = np.zeros(10)
    second = np.zeros((10, 10))
    means = np.zeros((m, 10))
    for _ in range(LARGE_REDRAWS):
        drawn = rng.binomial(of, counts / of)
        vector = _digit_tally(drawn[None, :])
        vector -= _digit_tally(rng.binomial(of, drawn / of, size=(INNER, m))) / INNER
        totals += vector.sum(axis=0)
        second += vector.T @ vector
        means += vector
    mean = totals / LARGE_REDRAWS
    means /= LARGE_REDRAWS
    # about the measured mean, which is itself off by N(0, covariance / LARGE_REDRAWS): drawn with the rest of
    # the covariance, the draws are, over that error, N(true mean, covariance), as the count's W is
    covariance = (second - LARGE_REDRAWS * (means.T @ means)) / (LARGE_REDRAWS - 1) * (1 - 1 / LARGE_REDRAWS)
    values, vectors = np.linalg.eigh(covariance)
    root = vectors * np.sqrt(np.clip(values, 0.0, None))
    difference = mean + rng.standard_normal((NORMAL_DRAWS, 10)) @ root.T
    tally = expected + difference
    base = np.broadcast_to(expected, (INNER, NORMAL_DRAWS, 10))
    chis = _chi_square(tally, base)
    total = float(observed.sum())
    return DigitTest(
        tuple(int(x) for x in observed),
        tuple(float(x) for x in expected * (total / max(float(expected.sum()), 1.0))),
        chi,
        (1 + int((chis >= chi).sum())) / (1 + NORMAL_DRAWS),
        LARGE_REDRAWS,
        eligible,
        large_sample=True,
    )
