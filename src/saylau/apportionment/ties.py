"""Ties: equal remainders or equal averages competing for the last seats, and how they are broken.

Kazakhstan: the older text of the law gives a tied seat to the list registered earlier (spec: "Tie of
remainders", M). The alternatives are one setting away: more votes wins, a seeded drawing of lots that anyone
can replay, or leaving the seats to a human decision (`DECIDE`), which is an outcome, not an exception.
Under `DECIDE` the commission draws lots by hand; its outcome comes back as input (`Drawing`), and the tie it
fits is then decided by it, recorded as such. A drawing that fits no tie decides nothing (the caller reports it).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction


class TieRule(StrEnum):
    """Who wins when contestants are tied for fewer seats than they are."""

    REGISTRATION_ORDER = "registration-order"
    """The contestant registered earlier (earlier in the input) wins."""
    MORE_VOTES = "more-votes"
    """More votes wins; still tied, registration order."""
    LOT = "lot"
    """A drawing of lots with `random.Random(seed)`; the seed is recorded so the draw can be replayed."""
    DECIDE = "decide"
    """Nobody wins: the seats stay undecided and are reported for a human decision."""


@dataclass(frozen=True, slots=True)
class TieDecision:
    """One tie as the protocol records it."""

    names: tuple[str, ...]
    """The tied contestants, in registration order."""
    seats: int
    """Seats at stake (fewer than the tied contestants)."""
    rule: TieRule
    winners: tuple[str, ...]
    """Who got the seats (empty under DECIDE)."""
    value: Fraction | None
    """The tied remainder or average (None: tied on a first seat of infinite priority)."""
    stage: str
    """Where it happened: "remainder", "average" or "excess" (who gives back an over-allocated seat)."""
    seed: int | None = None
    """The seed of the drawing of lots (rule LOT)."""
    drawn: bool = False
    """Rule DECIDE, decided by a drawing of lots the commission held and recorded (`winners` drawn)."""


@dataclass(frozen=True, slots=True)
class Undecided:
    """Seats left to a human decision (rule DECIDE): `seats` of them among `names`."""

    names: tuple[str, ...]
    seats: int


@dataclass(frozen=True, slots=True)
class Drawing:
    """The outcome of a drawing of lots held by people: among `names` tied for `seats`, `winners` took them."""

    names: frozenset[str]
    seats: int
    winners: tuple[str, ...]

    def settles(self, names: Sequence[str], seats: int) -> bool:
        """Whether this outcome is for exactly that tie and fits it: the winners are `seats` of the tied."""
        return (
            self.names == frozenset(names)
            and self.seats == seats
            and len(set(self.winners)) == len(self.winners) == seats
            and self.names.issuperset(self.winners)
        )


@dataclass(frozen=True, slots=True)
class Candidate:
    """A contestant as the tie breaker sees it."""

    name: str
    votes: int
    index: int
    """Registration order (0 = first registered)."""
    cap: int | None = None
    """At most this many seats (its number of candidates)."""


class TieBreaker:
    """Applies one rule to every tie of an allocation and keeps the record; one random stream per allocation."""

    __slots__ = ("_rng", "decisions", "drawn", "rule", "seed", "undecided")

    def __init__(self, rule: TieRule, seed: int | None, drawn: Sequence[Drawing] = ()) -> None:
        self.rule = rule
        self.seed = seed
        self.drawn = drawn
        """Outcomes of drawings of lots the commission recorded (rule DECIDE)."""
        self._rng = random.Random(seed) if rule is TieRule.LOT else None
        self.decisions: list[TieDecision] = []
        self.undecided: Undecided | None = None

    def pick(
        self, tied: Sequence[Candidate], seats: int, *, value: Fraction | None, stage: str
    ) -> tuple[Candidate, ...] | None:
        """The `seats` winners among `tied` (in the order they win), or None when a human must decide."""
        group = sorted(tied, key=lambda c: c.index)
        names = tuple(c.name for c in group)
        if self.rule is TieRule.DECIDE:
            drawing = next((d for d in self.drawn if d.settles(names, seats)), None)
            if drawing is not None:
                winners = tuple(c for c in group if c.name in drawing.winners)
                won = tuple(c.name for c in winners)
                self.decisions.append(TieDecision(names, seats, self.rule, won, value, stage, drawn=True))
                return winners
            self.decisions.append(TieDecision(names, seats, self.rule, (), value, stage))
            self.undecided = Undecided(names, seats)
            return None
        if self.rule is TieRule.LOT:
            assert self._rng is not None
            winners = tuple(self._rng.sample(group, seats))
        elif self.rule is TieRule.MORE_VOTES:
            winners = tuple(sorted(group, key=lambda c: (-c.votes, c.index))[:seats])
        else:
            winners = tuple(group[:seats])
        seed = self.seed if self.rule is TieRule.LOT else None
        self.decisions.append(TieDecision(names, seats, self.rule, tuple(c.name for c in winners), value, stage, seed))
        return winners


def fresh_seed() -> int:
    """A seed for a lottery nobody seeded, recorded with the result so the draw can be replayed (`secrets`
    is imported here: no other draw needs it)."""
    import secrets

    return secrets.randbits(32)
