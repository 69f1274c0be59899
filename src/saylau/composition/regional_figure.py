"""The regional figure of the additional member system: list seats one by one to the highest list votes /
(constituency seats won + list seats won + 1), Scotland Act 1998 s.7 (with D'Hondt; any divisor method here).

Averages are compared as integer cross-products (`methods.compare_averages`). Lists tied at the highest
figure for fewer seats than they are go to the tier's tie rule (s.8(7): the returning officer draws lots,
`decide`, recorded in `decisions.csv`). A list used up (`caps`: the names it has left) is disregarded for the
remaining seats, s.8(6), and the seat it would have taken passes on; seats nobody can take stay unfilled
(the caller says what the law does with them).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from saylau.apportionment import DIVISORS, Allocation, DivisorLine, Method, SeatAward, ThresholdReport, TieRule
from saylau.apportionment.methods import Divisor, compare_averages
from saylau.apportionment.ties import Candidate, TieBreaker
from saylau.apportionment.trace import Steps, TieRecord
from saylau.composition.result import Step, StepKind
from saylau.errors import Phrase, RuleError
from saylau.rules import Exhausted

NEEDS_DIVISOR = "the additional-member mode needs a divisor method, not {method}"


class _Figures:
    """The lists' regional figures as the seats fall: votes, seats held before (districts), seats won here."""

    def __init__(
        self, votes: Mapping[str, int], initial: Mapping[str, int], divisor: Divisor, caps: Mapping[str, int | None]
    ) -> None:
        self.votes, self.initial, self.divisor, self.caps = votes, initial, divisor, caps
        self.order = list(votes)
        self.won = dict.fromkeys(votes, 0)
        self.steps: list[Step] = []
        self.awards: list[SeatAward] = []
        self.passed: dict[str, int] = {}

    def figure(self, name: str) -> tuple[int, int]:
        return self.divisor(self.votes[name], self.initial.get(name, 0) + self.won[name])

    def live(self) -> list[str]:
        """The lists still in the race: with votes and names left."""
        return [
            n
            for n in self.order
            if self.votes[n] > 0 and (self.caps.get(n) is None or self.won[n] < (self.caps[n] or 0))
        ]

    def highest(self, names: list[str]) -> str:
        """The first of `names` (registration order) with the highest figure."""
        best = names[0]
        for name in names[1:]:
            if compare_averages(*self.figure(name), *self.figure(best)) > 0:
                best = name
        return best

    def pass_on(self, live: list[str], top: tuple[int, int]) -> None:
        """A used-up list whose figure beats the seat's: the seat it would have taken goes on (s.8(6))."""
        used_up = [
            n for n in self.order if self.votes[n] > 0 and n not in live and compare_averages(*self.figure(n), *top) > 0
        ]
        if used_up:
            first = self.highest(used_up)
            self.passed[first] = self.passed.get(first, 0) + 1

    def award(self, name: str) -> None:
        num, den = self.figure(name)
        value = Fraction(num, den) if den else None
        held = Fraction(self.initial.get(name, 0) + self.won[name])
        self.steps.append(Step(StepKind.SEEDED_DIVISOR, party=name, value=held, other=value))
        self.awards.append(SeatAward(len(self.awards) + 1, name, value))
        self.won[name] += 1

    def lines(self) -> tuple[DivisorLine, ...]:
        return tuple(
            DivisorLine(
                name,
                self.votes[name],
                self.won[name],
                tuple(
                    Fraction(n, d) if d else None
                    for n, d in (
                        self.divisor(self.votes[name], self.initial.get(name, 0) + k) for k in range(self.won[name] + 1)
                    )
                ),
            )
            for name in self.order
            if self.votes[name] > 0
        )

    def exhausted_steps(self) -> list[Step]:
        return [
            Step(
                StepKind.LIST_EXHAUSTED,
                party=name,
                value=Fraction(n),
                other=Fraction(self.caps.get(name) or 0),
                detail=Exhausted.RECOMPUTE.value,
            )
            for name, n in self.passed.items()
        ]


def seeded_divisor(
    votes: Mapping[str, int],
    initial: Mapping[str, int],
    seats: int,
    method: Method,
    breaker: TieBreaker,
    *,
    caps: Mapping[str, int | None] | None = None,
    table: ThresholdReport | None = None,
) -> tuple[dict[str, int], list[Step], Allocation]:
    """Hand out `seats` one by one to the highest average votes / divisor(seats already held, districts counted):
    the seats won, the steps, and the allocation as a protocol shows it (see the module docstring). `breaker`
    applies the tier's tie rule, with the commission's recorded drawings of lots."""
    if method not in DIVISORS:
        raise RuleError(Phrase(NEEDS_DIVISOR, method=Phrase(method.label)))
    race = _Figures(votes, initial, DIVISORS[method], caps or {})
    index = {name: i for i, name in enumerate(race.order)}
    left = seats
    while left > 0:
        live = race.live()
        if not live:
            break
        top = race.figure(race.highest(live))
        race.pass_on(live, top)
        tied = [n for n in live if compare_averages(*race.figure(n), *top) == 0]
        if len(tied) <= left:
            for name in tied:
                race.award(name)
            left -= len(tied)
            continue
        value = Fraction(top[0], top[1]) if top[1] else None
        tied_lists = [Candidate(n, votes[n], index[n]) for n in tied]
        picked = breaker.pick(tied_lists, left, value=value, stage="average")
        if picked is None:
            break
        for c in picked:
            race.award(c.name)
        left = 0
    allocation = Allocation(
        dict(race.won),
        seats,
        method,
        table if table is not None else ThresholdReport(None, sum(votes.values()), Fraction(0), (), 0),
        Steps(None, race.lines(), tuple(race.awards)),
        TieRecord(
            tuple(breaker.decisions),
            breaker.undecided,
            breaker.seed if breaker.rule is TieRule.LOT else None,
            breaker.rule,
        ),
    )
    return race.won, race.steps + race.exhausted_steps(), allocation
