"""Who takes part in an allocation: the contestants (party lists) with their votes and caps, and the ballots
that are no vote for any of them but may count in the threshold's base ("against all", invalid)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from saylau.apportionment.ties import Candidate
from saylau.errors import Phrase, RuleError

MAX_VOTES = 2**63 - 1
"""The largest count `allocate` takes: int64's, as `allocate_batch` does."""
NOT_PLAIN = -(2**128)
"""`Contestant.plain_votes` of a contestant the common path cannot take: far below any sum of counts (a list
holds fewer than 2^64 contestants of fewer than 2^63 votes each), so one such contestant makes the sum of
`plain_votes` negative, and one comparison of that sum finds it."""


def unfillable(left: int) -> RuleError:
    """The refusal when the caps leave `left` seats with nobody to take them: every admitted list has run out
    of candidates (a counted phrase, said in kk and ru by `saylau.reports.problems`)."""
    return RuleError(
        Phrase(
            "{n} seat cannot be filled: every admitted list has run out of candidates",
            "{n} seats cannot be filled: every admitted list has run out of candidates",
            n=left,
        )
    )


@dataclass(frozen=True, slots=True)
class Contestant:
    """A party list (or any contestant) with its votes; a sequence of them is in registration order."""

    name: str
    votes: int
    max_seats: int | None = None
    """At most this many seats (the number of candidates on the list); None: no cap."""
    plain_votes: int = field(init=False, repr=False, compare=False)
    """`votes` when the common path of `allocate` can take this contestant as it is (a named, uncapped
    contestant with a count from 0 to int64's largest), else `NOT_PLAIN`; worked out once, when it is made."""

    def __post_init__(self) -> None:
        plain = self.max_seats is None and 0 <= self.votes <= MAX_VOTES and bool(self.name.strip())
        object.__setattr__(self, "plain_votes", self.votes if plain else NOT_PLAIN)


class Ballots(NamedTuple):
    """Ballots that are not votes for a contestant but may count in the threshold's base.

    A named tuple: immutable like the frozen dataclass it was, and made in a fraction of the time.
    """

    against_all: int = 0
    invalid: int = 0


@dataclass(frozen=True, slots=True)
class Entrants:
    """The contestants as the sharing stage sees them: parallel lists by registration index."""

    names: Sequence[str]
    votes: Sequence[int]
    caps: Sequence[int | None]

    def candidate(self, i: int) -> Candidate:
        """Contestant `i` as the tie breaker sees it."""
        return Candidate(self.names[i], self.votes[i], i, self.caps[i])
