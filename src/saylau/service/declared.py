"""A contest's council declared from a count: the count the service keeps as running tallies
(`saylau.service.tallies`), or any tabulation, with the recorded drawings of lots. Below the use cases that
certify a district or the whole contest (`districts`, `results`), so that both read one declaration."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from saylau.composition.districts import DistrictOutcome
from saylau.domain import LotDecision
from saylau.result import Result, declare_tabulation
from saylau.service import tallies
from saylau.service.decisions import recorded
from saylau.service.definition import Definition, current
from saylau.tabulation import Tabulation


def declared(definition: Definition, tabulation: Tabulation, decisions: Sequence[LotDecision] | None = None) -> Result:
    """Declare the council of a count (`count`'s, or the running tallies' of `saylau.service.tallies`)."""
    return declare_tabulation(definition.election, tabulation, decisions)


def tallied(connection: Connection, contest: str) -> tuple[Tabulation, Result]:
    """A contest's count and council from its running tallies and recorded drawings of lots: what counting
    every accepted protocol again would give, at the cost of a few rows per district."""
    definition = current(connection, contest)
    tabulation = tallies.tabulation(connection, definition, contest)
    return tabulation, declared(definition, tabulation, recorded(connection, contest))


def winners_of(outcome: DistrictOutcome) -> list[str]:
    """Everyone a district elected (one, or several in a multi-member district)."""
    return [c.name for c in outcome.winners] or ([outcome.winner.name] if outcome.winner else [])
