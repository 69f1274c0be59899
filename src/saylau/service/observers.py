"""The observers' use cases: read the official figures, compare one's copies with them, nothing else.

An observer (docs/service.md) may read every accepted protocol, as the count has it, and upload copies of
the protocols posted at the stations to see where they differ; the comparison is answered, not stored (the
copies stay with the observer, and in the election folder's `observers.csv` for `saylau observe`). Anyone who
may read the count may do both; operators may not (they type protocols, they do not audit them).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from saylau.analysis.forensics.observers import ObserverCheck, ObserverCopy, compare
from saylau.service.permissions import Actor, Permission, require
from saylau.service.protocols import accepted
from saylau.tabulation import Protocol


def may_compare(actor: Actor | None) -> Actor:
    """The actor, if they may read the count (and so compare copies with it); refused before any upload is read."""
    return require(actor, Permission.READ_COUNT)


def official(connection: Connection, actor: Actor) -> list[Protocol]:
    """Every accepted protocol, by station and ballot (the figures the count uses)."""
    require(actor, Permission.READ_COUNT)
    return sorted(accepted(connection), key=lambda p: (p.station, p.ballot))


def check_copies(connection: Connection, actor: Actor, copies: Sequence[ObserverCopy]) -> ObserverCheck:
    """The observer's copies against the accepted protocols (see `saylau.analysis.forensics.observers`)."""
    require(actor, Permission.READ_COUNT)
    return compare(accepted(connection), copies)
