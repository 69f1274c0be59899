"""The electoral threshold: who takes part in the sharing of seats, and the table that shows why.

Kazakhstan (2023): a party list takes part if it won at least 5% of the votes; the published percentages
are taken of party votes plus "against all" (`ThresholdBase.VALID`). If only one list passes, the older
text of the law admits the next-largest as well (`min_admitted=2` in the preset). See
/docs/apportionment.md and the spec's "Party-list seats".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction

from saylau.errors import InputError, Problem, worded

PERCENT_OUT_OF_RANGE = "threshold {percent}% is not between 0 and 100"
NEGATIVE_VOTES_THRESHOLD = "the threshold in votes is negative ({votes})"


class ThresholdBase(StrEnum):
    """What a contestant's share is a share of."""

    VALID = "valid"
    """Party votes + "against all" (the Kazakhstan preset: reproduces every published percentage)."""
    PARTY = "party"
    """Party votes only."""
    CAST = "cast"
    """Party votes + "against all" + invalid ballots (everyone who took part)."""

    def of(self, party_votes: int, against_all: int, invalid: int) -> int:
        """The number of ballots a share is taken of, under this base."""
        if self is ThresholdBase.PARTY:
            return party_votes
        if self is ThresholdBase.CAST:
            return party_votes + against_all + invalid
        return party_votes + against_all


@dataclass(frozen=True, slots=True)
class Threshold:
    """A legal threshold. A contestant exactly at it passes; if both parts are given it must meet both."""

    percent: Fraction | None = None
    votes: int | None = None
    base: ThresholdBase = ThresholdBase.VALID
    terms: tuple[int, int, int, int, int] = field(init=False, repr=False, compare=False)
    """The test on integers, worked out once: (p, s, least, with_against_all, with_invalid). A contestant
    takes part iff votes x s >= p x base and votes >= least, where base = party votes + against_all x
    with_against_all + invalid x with_invalid (percent p/q: s = 100 q), and least is the vote threshold but
    at least 1 (a contestant with no votes never takes part)."""

    def __post_init__(self) -> None:
        problems: list[Problem] = []
        object.__setattr__(self, "base", ThresholdBase(self.base))
        if self.percent is not None:
            # Accept an int (5) as well as a Fraction; keep it exact either way.
            object.__setattr__(self, "percent", Fraction(self.percent))
            if not 0 <= self.percent <= 100:
                problems.append(worded(PERCENT_OUT_OF_RANGE, field="threshold", percent=self.percent))
        if self.votes is not None and self.votes < 0:
            problems.append(worded(NEGATIVE_VOTES_THRESHOLD, field="threshold", votes=self.votes))
        if problems:
            raise InputError(problems)
        p, q = (0, 1) if self.percent is None else (self.percent.numerator, self.percent.denominator)
        with_against_all = self.base is not ThresholdBase.PARTY
        with_invalid = self.base is ThresholdBase.CAST
        least = max(self.votes or 0, 1)
        object.__setattr__(self, "terms", (p, 100 * q, least, int(with_against_all), int(with_invalid)))


@dataclass(frozen=True, slots=True)
class ThresholdLine:
    """One contestant in the threshold table."""

    name: str
    votes: int
    share: Fraction
    """votes / base, exact (multiply by 100 for a percentage)."""
    passed: bool
    margin_pp: Fraction
    """share x 100 - threshold percent, in percentage points (negative: below the threshold)."""
    admitted_by_minimum: bool = False
    """Below the threshold, but admitted so that at least `min_admitted` contestants take part."""

    @property
    def admitted(self) -> bool:
        """Takes part in the sharing of seats."""
        return self.passed or self.admitted_by_minimum


@dataclass(frozen=True, slots=True)
class ThresholdReport:
    """The threshold table of the protocol: the base, what was required, and every contestant's line."""

    threshold: Threshold | None
    base_votes: int
    required_votes: Fraction
    lines: tuple[ThresholdLine, ...]
    min_admitted: int = 0

    @property
    def admitted(self) -> tuple[str, ...]:
        """Names that take part in the sharing of seats, in registration order."""
        return tuple(line.name for line in self.lines if line.admitted)


def apply_threshold(
    names: Sequence[str],
    votes: Sequence[int],
    threshold: Threshold | None,
    *,
    against_all: int,
    invalid: int,
    min_admitted: int,
) -> ThresholdReport:
    """Decide who passes, exactly, and the table that shows it (see `admit` and `report`)."""
    passed, by_minimum, base = admit(votes, threshold, against_all, invalid, min_admitted)
    return report(names, votes, threshold, base, passed, by_minimum, min_admitted)


def admit(
    votes: Sequence[int], threshold: Threshold | None, against_all: int, invalid: int, min_admitted: int
) -> tuple[list[bool], list[bool], int]:
    """(passed, admitted by the minimum, base), decided on integers only.

    Passes iff votes x 100 x q >= p x base for the percent p/q, and votes >= the vote threshold. Then, if
    fewer than `min_admitted` passed, further contestants with votes are admitted in descending vote order
    (equal votes: registration order) until `min_admitted` take part or none with votes is left.
    """
    if threshold is None:
        base = sum(votes) + against_all
        passed = [v >= 0 for v in votes]
    else:
        base = threshold.base.of(sum(votes), against_all, invalid)
        at_least = threshold.votes or 0
        if threshold.percent is None:
            passed = [v >= at_least for v in votes]
        else:
            p, q = threshold.percent.numerator, threshold.percent.denominator
            floor = p * base
            passed = [v * 100 * q >= floor and v >= at_least for v in votes]
    by_minimum = [False] * len(votes)
    short = min_admitted - sum(passed) if min_admitted else 0
    if short > 0:
        waiting = sorted((i for i, v in enumerate(votes) if not passed[i] and v > 0), key=lambda i: (-votes[i], i))
        for i in waiting[:short]:
            by_minimum[i] = True
    return passed, by_minimum, base


def report(
    names: Sequence[str],
    votes: Sequence[int],
    threshold: Threshold | None,
    base: int,
    passed: Sequence[bool],
    by_minimum: Sequence[bool],
    min_admitted: int,
) -> ThresholdReport:
    """The threshold table from what `admit` decided: exact shares and margins, for the protocol."""
    percent = threshold.percent if threshold is not None and threshold.percent is not None else Fraction(0)
    at_least = threshold.votes if threshold is not None and threshold.votes is not None else 0
    required = max(percent * base / 100, Fraction(at_least))
    lines = tuple(
        ThresholdLine(
            name,
            v,
            Fraction(v, base) if base else Fraction(0),
            passed[i],
            (Fraction(v, base) * 100 if base else Fraction(0)) - percent,
            by_minimum[i],
        )
        for i, (name, v) in enumerate(zip(names, votes, strict=True))
    )
    return ThresholdReport(threshold, base, required, lines, min_admitted)
