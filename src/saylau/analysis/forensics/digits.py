"""The last-digit test (Beber and Scacco, "What the numbers say", Political Analysis 20, 2012).

People who make up numbers favour some digits; the last digit of an honest count of more than a few dozen
votes is close to uniform. The test: the last digits of every option's votes (and "against all") at every
station, counts of 10 or more only, against the uniform distribution by Pearson's chi-square with 9 degrees
of freedom. The p-value is exact for the chi-square distribution (closed form for odd degrees of freedom).

What it can show: digits that people, not voters, chose. What it cannot: stuffing, which adds real-looking
counts; and with tens of thousands of counts a tiny, harmless unevenness is "significant" (read the
digit shares, not only the p-value).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from saylau.analysis.forensics.contests import Contest

MIN_COUNT = 10
"""The smallest count whose last digit is read (smaller counts are their own last digit: not uniform)."""


@dataclass(frozen=True, slots=True)
class DigitTest:
    """The last-digit test of one contest."""

    digits: tuple[int, ...]
    """How many counts end in 0, 1, ..., 9."""
    chi_square: float
    p_value: float

    @property
    def counts(self) -> int:
        return sum(self.digits)


def chi_square_9_survival(x: float) -> float:
    """P(chi-square with 9 degrees of freedom >= x): erfc(sqrt(x/2)) + sqrt(2/pi) e^(-x/2) (c + c^3/3 +
    c^5/15 + c^7/105), c = sqrt(x) (Abramowitz and Stegun 26.4.4)."""
    if x <= 0:
        return 1.0
    c = math.sqrt(x)
    series = c + c**3 / 3 + c**5 / 15 + c**7 / 105
    return min(1.0, math.erfc(c / math.sqrt(2)) + math.sqrt(2 / math.pi) * math.exp(-x / 2) * series)


def last_digit_test(contest: Contest) -> DigitTest | None:
    """The test on one contest; None when no count reaches MIN_COUNT."""
    digits = [0] * 10
    for s in contest.stations:
        for count in s.counts:
            if count >= MIN_COUNT:
                digits[count % 10] += 1
    total = sum(digits)
    if total == 0:
        return None
    expected = total / 10
    chi = sum((d - expected) ** 2 for d in digits) / expected
    return DigitTest(tuple(digits), chi, chi_square_9_survival(chi))
