"""Election forensics: the statistical marks that stuffing and written-in figures leave in station results.

Statistics, not findings: each test says how unusual the count is under a stated null, never that anything
was falsified. docs/forensics.md gives each test's null, its measured false-alarm rate on clean elections
and its power against the documented fraud models (`stuffing`).

- `fingerprint`: the turnout x leader's share histogram (Klimek et al., PNAS 2012);
- `klimek_fit`: the share of stuffed stations the fingerprint suggests (the same paper's model);
- `integer_test`: whole percentages more frequent than chance (Kobak, Shpilkin, Pshenichnikov, AoAS 2016);
- `last_digit_test`: last digits of the counts against honest counts of the same sizes (Beber and Scacco 2012);
- `outliers`: stations out of line with their district and their previous result (the projection's model).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from saylau.analysis.forensics.contests import (
    Contest,
    ContestKind,
    PastColumns,
    StationColumns,
    StationVote,
    contests,
)
from saylau.analysis.forensics.digits import DigitTest, last_digit_test
from saylau.analysis.forensics.fingerprint import Fingerprint, fingerprint
from saylau.analysis.forensics.integer import IntegerTest, Quantity, integer_test, is_integer_percentage
from saylau.analysis.forensics.klimek import KlimekFit, klimek_fit
from saylau.analysis.forensics.outliers import Outlier, OutlierRanking, outliers
from saylau.tabulation import Protocol, StationHistory

__all__ = [
    "Contest",
    "ContestForensics",
    "ContestKind",
    "DigitTest",
    "Fingerprint",
    "IntegerTest",
    "KlimekFit",
    "Outlier",
    "OutlierRanking",
    "PastColumns",
    "Quantity",
    "StationColumns",
    "StationVote",
    "contests",
    "examine",
    "examine_contests",
    "fingerprint",
    "integer_test",
    "is_integer_percentage",
    "klimek_fit",
    "last_digit_test",
    "outliers",
]


@dataclass(frozen=True, slots=True)
class ContestForensics:
    """Every statistic of one contest (None where the contest is too small for it)."""

    contest: Contest
    fingerprint: Fingerprint
    klimek: KlimekFit | None
    integer_turnout: IntegerTest | None
    integer_share: IntegerTest | None
    last_digit: DigitTest | None
    outliers: OutlierRanking | None


def examine(
    protocols: Iterable[Protocol],
    history: Mapping[int, StationHistory] | PastColumns | None = None,
    parties_of: Mapping[int, Mapping[str, str | None]] | None = None,
    *,
    seed: int = 0,
    resamples: int = 1000,
    workers: int = 1,
) -> tuple[ContestForensics, ...]:
    """Every statistic of every contest of the accepted protocols; the same seed, the same figures
    (`examine_contests` of their `contests`)."""
    found = contests(protocols, history, parties_of, workers=workers)
    return examine_contests(found, seed=seed, resamples=resamples, workers=workers)


def examine_contests(
    found: Iterable[Contest], *, seed: int = 0, resamples: int = 1000, workers: int = 1
) -> tuple[ContestForensics, ...]:
    """Every statistic of each contest. `workers`: threads the statistics run on (a national count's take
    seconds each, and numpy and the random draws let go of the interpreter while they work). Each statistic
    draws from its own generator seeded from `seed` and reads only its contest's columns, so the figures are
    the same on any number of threads."""
    found = tuple(found)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        # the slowest statistics first, so that no thread is left with a long one at the end
        digits = [pool.submit(last_digit_test, c, resamples, seed) for c in found]
        ranked = [pool.submit(outliers, c) for c in found]
        turnout = [pool.submit(integer_test, c, Quantity.TURNOUT, resamples, seed) for c in found]
        share = [pool.submit(integer_test, c, Quantity.SHARE, resamples, seed) for c in found]
        model = [pool.submit(klimek_fit, c, seed) for c in found]
        prints = [pool.submit(fingerprint, c) for c in found]
        return tuple(
            ContestForensics(
                contest=c,
                fingerprint=prints[k].result(),
                klimek=model[k].result(),
                integer_turnout=turnout[k].result(),
                integer_share=share[k].result(),
                last_digit=digits[k].result(),
                outliers=ranked[k].result(),
            )
            for k, c in enumerate(found)
        )
