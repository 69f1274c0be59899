"""The contest the database holds: its definition files, their hash, whether its result is certified, and the
certified results bundle (the `election` table), as `ContestState` and `Certification` records.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection, insert, select, update

from saylau.store.tables import election


@dataclass(frozen=True, slots=True)
class ContestState:
    """What every write checks first: which definition is stored (its hash) and whether it is certified."""

    sha256: str
    certified: bool


@dataclass(frozen=True, slots=True)
class Certification:
    """Whether the result is certified, and the certified results bundle (None before certification)."""

    certified: bool
    bundle: dict[str, Any] | None


def create(connection: Connection, name: str, files: Mapping[str, str], sha256: str) -> None:
    """Store the definition of the contest the database holds (once, on first start)."""
    connection.execute(
        insert(election).values(id=1, name=name, definition=_text(files), definition_sha256=sha256, certified=False)
    )


def state(connection: Connection, *, lock: Literal["share", "update"] | None = None) -> ContestState | None:
    """The stored definition's hash and certification (None before the first start).

    `lock="share"` holds the row shared until the transaction ends (every write does, so that a racing
    certification waits for it); `lock="update"` holds it exclusively (a certification).
    """
    query = select(election.c.definition_sha256, election.c.certified)
    if lock is not None:
        query = query.with_for_update(read=lock == "share")
    row = connection.execute(query).first()
    return None if row is None else ContestState(row.definition_sha256, bool(row.certified))


def files(connection: Connection) -> dict[str, str] | None:
    """The stored definition's files by name (None before the first start)."""
    text = connection.execute(select(election.c.definition)).scalar_one_or_none()
    if text is None:
        return None
    found: dict[str, str] = json.loads(text)
    return found


def redefine(connection: Connection, files: Mapping[str, str], sha256: str) -> None:
    """Replace the stored definition (a registration edit) with `files` and their hash."""
    connection.execute(update(election).values(definition=_text(files), definition_sha256=sha256))


def certification(connection: Connection) -> Certification:
    """Whether the result is certified, with its bundle (not certified before the first start)."""
    row = connection.execute(select(election.c.certified, election.c.bundle)).first()
    if row is None:
        return Certification(False, None)
    return Certification(bool(row.certified), json.loads(row.bundle) if row.bundle else None)


def certify(connection: Connection, bundle: Mapping[str, Any]) -> None:
    """Freeze the result with its certified bundle."""
    connection.execute(update(election).values(certified=True, bundle=json.dumps(bundle, ensure_ascii=False)))


def uncertify(connection: Connection) -> None:
    """Unfreeze the result and drop its bundle."""
    connection.execute(update(election).values(certified=False, bundle=None))


def _text(files: Mapping[str, str]) -> str:
    return json.dumps(dict(files), sort_keys=True)
