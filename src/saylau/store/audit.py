"""The audit log's statements: its chain head, appending rows, and reading them back as `AuditRow`s.

The hashing is the service's (`saylau.service.audit`); here is only where the rows live. The head is one
row locked by every append, so the chain has one order on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import astuple, dataclass, fields

from sqlalchemy import Connection, insert, select, update

from saylau.store.tables import audit, audit_head


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One row of the audit log as stored: figures before and after are canonical JSON text (or None)."""

    id: int
    at: str
    user: str
    role: str
    action: str
    subject: str
    before: str | None
    after: str | None
    reason: str | None
    previous_sha256: str
    sha256: str


@dataclass(frozen=True, slots=True)
class Head:
    """The chain's end: the last row's number and hash (0 and the genesis hash for an empty log)."""

    last_id: int
    last_sha256: str


def start(connection: Connection, genesis: str) -> None:
    """Create the chain's head row if the log is new."""
    if connection.execute(select(audit_head.c.id)).first() is None:
        connection.execute(insert(audit_head).values(id=1, last_id=0, last_sha256=genesis))


def head(connection: Connection, *, lock: bool = False) -> Head | None:
    """The chain's head; locked until the transaction ends when `lock` (an append is coming)."""
    query = select(audit_head.c.last_id, audit_head.c.last_sha256).where(audit_head.c.id == 1)
    row = connection.execute(query.with_for_update() if lock else query).first()
    return None if row is None else Head(int(row.last_id), str(row.last_sha256))


def version(connection: Connection) -> int:
    """The last row's number: every write appends one, so it names the state of the whole database."""
    return int(connection.execute(select(audit_head.c.last_id)).scalar_one_or_none() or 0)


def append(connection: Connection, rows: Sequence[AuditRow]) -> None:
    """Insert rows at the end of the chain and move its head to the last of them (head locked by the caller)."""
    if not rows:
        return
    connection.execute(insert(audit), [_values(r) for r in rows])
    last = rows[-1]
    connection.execute(update(audit_head).where(audit_head.c.id == 1).values(last_id=last.id, last_sha256=last.sha256))


def after(connection: Connection, start_after: int = 0, limit: int = 200) -> list[AuditRow]:
    """Rows after number `start_after`, oldest first, at most `limit`."""
    query = select(audit).where(audit.c.id > start_after).order_by(audit.c.id).limit(limit)
    return [_row(r) for r in connection.execute(query)]


def every(connection: Connection) -> Iterator[AuditRow]:
    """Every row, oldest first (streamed: a night's log is read once to verify it)."""
    for r in connection.execute(select(audit).order_by(audit.c.id)):
        yield _row(r)


_COLUMNS = tuple(f.name for f in fields(AuditRow))


def _values(row: AuditRow) -> dict[str, object]:
    return dict(zip(_COLUMNS, astuple(row), strict=True))


def _row(r: object) -> AuditRow:
    return AuditRow(*(getattr(r, name) for name in _COLUMNS))
