"""Publication: a coordinator releases the results past the publish gate; what the publisher reads for it.

Releasing is a write like any other: audited, with who did it and when. The publisher (`saylau publish
service`) reads the release, the definition's `[publication]` table, and the reasons typed when protocols
were reopened or a certification withdrawn, which its corrections name (`saylau.publish`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from saylau.service import audit
from saylau.service.definition import current
from saylau.service.errors import Conflict
from saylau.service.permissions import Actor, Permission, require
from saylau.store import audit as audit_store

RELEASE = "release"
_SUBJECT = re.compile(r"station (\d+) (\w+)")


@dataclass(frozen=True, slots=True)
class PublicationState:
    """What the publisher needs besides the count."""

    election_toml: str
    released: datetime | None
    reasons: Mapping[tuple[int, str], str]
    uncertified: str | None


def release(connection: Connection, actor: Actor) -> None:
    """Release the results past the publish gate (the coordinator who may certify); refused when released."""
    require(actor, Permission.CERTIFY)
    if audit_store.of_actions(connection, [RELEASE]):
        raise Conflict("the results are already released", code="released")
    audit.append(connection, actor, RELEASE, "publication")


def state(connection: Connection, since: int = 0) -> PublicationState:
    """The definition's election.toml, the release (if any), and the reasons recorded after entry `since`."""
    released = audit_store.of_actions(connection, [RELEASE])
    reasons: dict[tuple[int, str], str] = {}
    uncertified = None
    for row in audit_store.of_actions(connection, ["reopen", "uncertify"], since):
        found = _SUBJECT.fullmatch(row.subject)
        if row.action == "reopen" and found:
            reasons[int(found[1]), found[2]] = row.reason or ""
        elif row.action == "uncertify":
            uncertified = row.reason or ""
    return PublicationState(
        current(connection).files.get("election.toml", ""),
        datetime.fromisoformat(released[0].at) if released else None,
        reasons,
        uncertified,
    )
