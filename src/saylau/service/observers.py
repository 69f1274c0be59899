"""The observers' use cases: read the official figures, upload copies of the protocols, see them compared.

An observer (docs/service.md) may read every accepted protocol, as the count has it, and upload copies of
the protocols posted at the stations. Each upload is stored as it came (who, when, the file and its SHA-256,
`store/observers.py`) and compared with the accepted protocols whenever it is read, so the comparison
follows the count as protocols are accepted or corrected. An observer sees only their own uploads; a
coordinator or an administrator sees every observer's. Anyone who may read the count may upload; operators
may not (they type protocols, they do not audit them).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection

from saylau.analysis.forensics.observers import ObserverCheck, compare
from saylau.io.observers import observer_copies_from_text
from saylau.service import audit
from saylau.service.definition import contest_of
from saylau.service.errors import NotFound
from saylau.service.permissions import Actor, Permission, Role, require
from saylau.service.protocols import accepted
from saylau.store import observers as store
from saylau.store.observers import StoredCopies
from saylau.tabulation import Protocol

SEES_EVERY_UPLOAD = frozenset({Role.COORDINATOR, Role.ADMINISTRATOR})
"""The roles that see every observer's uploads; anyone else who may upload sees only their own."""


@dataclass(frozen=True, slots=True)
class Upload:
    """One stored upload and its comparison with the accepted protocols as they are now."""

    stored: StoredCopies
    check: ObserverCheck


def may_compare(actor: Actor | None) -> Actor:
    """The actor, if they may read the count (and so compare copies with it); refused before any upload is read."""
    return require(actor, Permission.READ_COUNT)


def official(connection: Connection, actor: Actor) -> list[Protocol]:
    """Every accepted protocol, by station and ballot (the figures the count uses)."""
    require(actor, Permission.READ_COUNT)
    return sorted(accepted(connection), key=lambda p: (p.station, p.ballot))


def upload(connection: Connection, actor: Actor, text: str, contest: str | None = None) -> Upload:
    """Read an observers' file, store it as it came (audited) and compare it with the accepted protocols.

    A file that cannot be read is refused (InputError naming its row and field) and nothing is stored."""
    require(actor, Permission.READ_COUNT)
    copies = observer_copies_from_text(text)
    contest = contest_of(connection, contest)
    check = compare(accepted(connection, contest), copies)
    sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    at = datetime.now(UTC).isoformat(timespec="seconds")
    number = store.add(
        connection, contest=contest, observer=actor.name, at=at, rows=len(copies), sha256=sha256, copies=text
    )
    summary = {"upload": number, "copies": len(copies), "sha256": sha256, "differences": len(check.differences)}
    audit.append(connection, actor, "observer-upload", f"{contest}/observers/{number}", after=summary)
    stored = StoredCopies(number, contest, actor.name, at, len(copies), sha256, text)
    return Upload(stored, check)


def uploads(connection: Connection, actor: Actor, contest: str | None = None) -> list[Upload]:
    """The uploads the actor may see (every one for a coordinator or administrator, else their own), each
    compared with the accepted protocols as they are now."""
    require(actor, Permission.READ_COUNT)
    contest = contest_of(connection, contest)
    mine = None if actor.role in SEES_EVERY_UPLOAD else actor.name
    protocols = accepted(connection, contest)
    return [_compared(s, protocols) for s in store.every(connection, contest, mine)]


def one_upload(connection: Connection, actor: Actor, number: int) -> Upload:
    """One upload compared with the accepted protocols; NotFound where it does not exist or is another
    observer's (an observer cannot tell the two apart)."""
    require(actor, Permission.READ_COUNT)
    stored = store.find(connection, number)
    if stored is None or (actor.role not in SEES_EVERY_UPLOAD and stored.observer != actor.name):
        raise NotFound("no upload {number}", values={"number": number})
    return _compared(stored, accepted(connection, stored.contest))


def _compared(stored: StoredCopies, protocols: Sequence[Protocol]) -> Upload:
    return Upload(stored, compare(protocols, observer_copies_from_text(stored.copies)))
