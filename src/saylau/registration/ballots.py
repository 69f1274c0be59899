"""The ballot papers: which lines each ballot carries, in which order.

Each voter gets a list ballot (the registered party lists) and a district ballot (the district's
candidates); both end with the "against all" line (Kazakhstan, new in 2023; spec "The ballots", H).
Lines follow the registration order, or a drawing of lots replayable from the recorded seed
(`registration.ballot_order`). A withdrawn list or candidate is not printed. Rendering is in reports/ballots.py.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TypeVar

from saylau.domain import Ballot, Election
from saylau.rules.registration import BallotOrder

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class BallotLine:
    """One line of a ballot: a party (list ballot) or a candidate and the party that nominated them."""

    name: str
    party: str | None = None
    """The party's short name (list ballot), or the nominating party (None: self-nominated)."""


@dataclass(frozen=True, slots=True)
class BallotPaper:
    """One ballot as printed; `district` is None for the list ballot. "Against all" follows `lines`."""

    ballot: Ballot
    lines: tuple[BallotLine, ...]
    district: int | None = None
    seed: int | None = None
    """The seed of the drawing of lots that ordered the lines, if they were drawn."""


def ballot_papers(election: Election, district: int | None = None) -> tuple[BallotPaper, ...]:
    """The list ballot and each district's ballot; with `district`, that district's ballot only."""
    rules = election.system.registration
    seed = rules.ballot_seed if rules.ballot_order is BallotOrder.LOT else None
    rng = random.Random(seed) if seed is not None else None
    papers: list[BallotPaper] = []
    if district is None and election.system.list_tier is not None:
        parties = [
            BallotLine(p.full_name, p.short_name)
            for p in election.parties_in_registration_order
            if not election.registration.list_withdrawn(p.short_name)
        ]
        papers.append(BallotPaper(Ballot.LIST, _ordered(parties, rng), seed=seed))
    withdrawn = {(n.district, n.name) for n in election.registration.in_districts() if n.withdrawn}
    for d in election.districts:
        if district is not None and d.number != district:
            continue
        lines = [BallotLine(c.name, c.party) for c in d.candidates if (d.number, c.name) not in withdrawn]
        papers.append(BallotPaper(Ballot.DISTRICT, _ordered(lines, rng), d.number, seed))
    return tuple(papers)


def _ordered(lines: list[T], rng: random.Random | None) -> tuple[T, ...]:
    """Registration order, or shuffled by the one seeded stream (list ballot first, then districts in order)."""
    if rng is not None:
        rng.shuffle(lines)
    return tuple(lines)
