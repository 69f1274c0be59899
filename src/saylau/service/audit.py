"""The audit log: every write, who, when, what (full before/after figures), chained by SHA-256.

Each row's hash covers its own fields and the previous row's hash, so changing, deleting or inserting a
row breaks the chain from that row on; `verify` names the first row that does not fit. Appends lock the
one-row `audit_head` table last in their transaction, which gives the chain a single order on SQLite and
PostgreSQL alike while other writers wait only for the commit.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from saylau.errors import Phrase
from saylau.service.permissions import Actor, Permission, require
from saylau.store import audit as store
from saylau.store.audit import AuditRow

GENESIS = "0" * 64
"""The previous hash of the first row."""

STAFF_ONLY = frozenset(
    {"add-user", "disable-user", "set-password", "observer-upload", "make-key", "trust-key", "export-bundle"}
)
"""Actions that change nothing a public page shows (who may work, observers' copies, the keys, an export): the
public results keep their version across them (`public_version`)."""

_FIELDS = ("id", "at", "user", "role", "action", "subject", "before", "after", "reason", "previous_sha256")


@dataclass(frozen=True, slots=True)
class Verification:
    """The outcome of `verify`: rows checked, and the first broken row with why (None when intact)."""

    rows: int
    broken_at: int | None = None
    why: str = ""
    """Why the chain breaks there: a `Phrase` (English as it reads; kk and ru through the catalogues)."""

    @property
    def intact(self) -> bool:
        """Whether the whole chain holds."""
        return self.broken_at is None


class Canonical(str):
    """A value's canonical JSON text, made already (`as_json` stores it as it is): a group of entries puts each
    protocol's record together from its entries' texts (`saylau.store.protocols.record_text`)."""

    __slots__ = ()


def as_json(value: Any) -> str | None:
    """The canonical JSON text stored for figures (sorted keys, no spaces), or None."""
    if value is None:
        return None
    if isinstance(value, Canonical):
        return str(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def public_version(connection: Connection) -> int:
    """The version of the public results: the audit log's head, not moved by `STAFF_ONLY` actions."""
    return store.public_version(connection, STAFF_ONLY)


def start(connection: Connection) -> None:
    """Create the chain's head row if the log is new."""
    store.start(connection, GENESIS)


@dataclass(frozen=True, slots=True)
class Change:
    """One write to record: who, what, on what, the figures before and after, and the reason if any."""

    actor: Actor | None
    action: str
    subject: str
    before: Any = None
    after: Any = None
    reason: str | None = None


def append(
    connection: Connection,
    actor: Actor | None,
    action: str,
    subject: str,
    *,
    before: Any = None,
    after: Any = None,
    reason: str | None = None,
) -> None:
    """Add one row at the end of the chain (in the caller's transaction)."""
    append_all(connection, [Change(actor, action, subject, before, after, reason)])


def append_all(connection: Connection, changes: Sequence[Change]) -> int | None:
    """Add rows at the end of the chain, in order, with one lock of its head (in the caller's transaction);
    the chain's version after them (the last row's number; None when there was nothing to add)."""
    if not changes:
        return None
    head = store.head(connection, lock=True)
    assert head is not None, "the audit log was not started"
    last_id, last_sha256, made = head.last_id, head.last_sha256, []
    for change in changes:
        actor = change.actor
        values = (  # in `_FIELDS` order, as the row's hash covers them (not `asdict`: it cost more than the hash)
            last_id + 1,
            datetime.now(UTC).isoformat(timespec="microseconds"),
            actor.name if actor else "system",
            actor.role.value if actor else "system",
            change.action,
            change.subject,
            as_json(change.before),
            as_json(change.after),
            change.reason,
            last_sha256,
        )
        last_sha256, last_id = _digest(values), last_id + 1
        made.append(AuditRow(*values, sha256=last_sha256))
    store.append(connection, made)
    return last_id


@dataclass(frozen=True, slots=True)
class Event:
    """One row of the audit log as the API shows it: the figures before and after decoded."""

    id: int
    at: str
    user: str
    role: str
    action: str
    subject: str
    before: Any
    after: Any
    reason: str | None
    previous_sha256: str
    sha256: str


def rows(connection: Connection, *, after: int = 0, limit: int = 200) -> list[Event]:
    """Rows after id `after`, oldest first, figures decoded."""
    out = []
    for row in store.after(connection, after, limit):
        fields = asdict(row)
        fields["before"] = _decoded(row.before)
        fields["after"] = _decoded(row.after)
        out.append(Event(**fields))
    return out


@dataclass(frozen=True, slots=True)
class Page:
    """One page of the audit log as the coordinator's page shows it: newest first."""

    events: list[Event]
    total: int
    page: int
    pages: int
    actions: list[str]
    """Every action in the log (the filter's choices)."""


PAGE_SIZE = 50


def search(connection: Connection, actor: Actor | None, wanted: store.Filter, page: int = 1) -> Page:
    """The rows of the log `wanted` (station, user, action, time), page `page` of `PAGE_SIZE`, newest first
    (administrators, coordinators, observers)."""
    require(actor, Permission.READ_AUDIT)
    page = max(1, page)
    found, total = store.search(connection, wanted, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    events = [Event(**{**asdict(r), "before": _decoded(r.before), "after": _decoded(r.after)}) for r in found]
    pages = max(1, -(-total // PAGE_SIZE))
    return Page(events, total, min(page, pages), pages, store.actions(connection))


def _decoded(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def verify(connection: Connection) -> Verification:
    """Walk the chain from the first row; the first row whose hash, link or number does not fit breaks it."""
    previous, expected_id, count = GENESIS, 1, 0
    for row in store.every(connection):
        if row.id != expected_id:
            return Verification(count, expected_id, Phrase("row {row} is missing", row=expected_id))
        if row.previous_sha256 != previous:
            return Verification(count, row.id, Phrase("does not link to the row before it"))
        if _hash(asdict(row)) != row.sha256:
            return Verification(count, row.id, Phrase("its content does not match its hash"))
        previous, expected_id, count = row.sha256, expected_id + 1, count + 1
    head = store.head(connection)
    if head is not None and (head.last_id != count or head.last_sha256 != previous):
        ends = Phrase("the log ends at row {row}, but row {last} was written", row=count, last=head.last_id)
        return Verification(count, count + 1, ends)
    return Verification(count)


def _hash(row: dict[str, Any]) -> str:
    return _digest([row[f] for f in _FIELDS])


def _digest(values: Sequence[Any]) -> str:
    """The SHA-256 of a row's fields (in `_FIELDS` order) as canonical JSON."""
    text = json.dumps(list(values), separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()
