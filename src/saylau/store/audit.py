"""The audit log's statements: its chain head, appending rows, and reading them back as `AuditRow`s.

The hashing is the service's (`saylau.service.audit`); here is only where the rows live. The head is one
row locked by every append, so the chain has one order on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, fields

from sqlalchemy import ColumnElement, Connection, func, insert, select, update

from saylau.store import arrays
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
    """The chain's head; locked until the transaction ends when `lock` (an append is coming).

    Locked on PostgreSQL, a statement text of its own (`_LOCK_HEAD_PG`): every group of entries locks the head,
    and SQLAlchemy built, keyed and compiled the query for each (a tenth of the audit's CPU on the writer)."""
    if lock and connection.dialect.name == "postgresql":
        row = connection.exec_driver_sql(_LOCK_HEAD_PG).first()
    else:
        row = connection.execute(_LOCK_HEAD if lock else _HEAD).first()
    return None if row is None else Head(int(row.last_id), str(row.last_sha256))


_HEAD = select(audit_head.c.last_id, audit_head.c.last_sha256).where(audit_head.c.id == 1)
_LOCK_HEAD = _HEAD.with_for_update()
_LOCK_HEAD_PG = "SELECT last_id, last_sha256 FROM audit_head WHERE id = 1 FOR UPDATE"


def version(connection: Connection) -> int:
    """The last row's number: every write appends one, so it names the state of the whole database."""
    return int(connection.execute(select(audit_head.c.last_id)).scalar_one_or_none() or 0)


def public_version(connection: Connection, staff_only: Collection[str]) -> int:
    """The state of what the public sees: the head's number, or, where the rows at the log's end record only
    `staff_only` actions, the number of the last row before them."""
    last = version(connection)
    action = connection.execute(select(audit.c.action).where(audit.c.id == last)).scalar_one_or_none()
    if action is None or action not in staff_only:
        return last
    query = select(audit.c.id).where(audit.c.id < last, audit.c.action.not_in(list(staff_only)))
    return int(connection.execute(query.order_by(audit.c.id.desc()).limit(1)).scalar_one_or_none() or 0)


def append(connection: Connection, rows: Sequence[AuditRow]) -> None:
    """Insert rows at the end of the chain and move its head to the last of them (head locked by the caller).

    PostgreSQL: one `INSERT ... SELECT * FROM unnest(...)` of the rows as array literals (`saylau.store.arrays`),
    whatever their number. Through SQLAlchemy each row was a dict, bound and adapted by psycopg one by one and
    sent as a statement of its own (psycopg's `executemany` in pipeline mode: one execution per row on the
    server too), for every group of entries: 50 rows of a group, each with the records before and after."""
    if not rows:
        return
    last = rows[-1]
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(_APPEND_PG, arrays.columns([_tuple(r) for r in rows]))
        connection.exec_driver_sql(_MOVE_HEAD_PG, (last.id, last.sha256))
        return
    connection.execute(insert(audit), [_values(r) for r in rows])
    connection.execute(update(audit_head).where(audit_head.c.id == 1).values(last_id=last.id, last_sha256=last.sha256))


def after(connection: Connection, start_after: int = 0, limit: int = 200) -> list[AuditRow]:
    """Rows after number `start_after`, oldest first, at most `limit`."""
    query = select(audit).where(audit.c.id > start_after).order_by(audit.c.id).limit(limit)
    return [_row(r) for r in connection.execute(query)]


def of_actions(connection: Connection, actions: Sequence[str], start_after: int = 0) -> list[AuditRow]:
    """Rows of the given actions after number `start_after`, oldest first (the publisher's reasons, the gate)."""
    query = select(audit).where(audit.c.id > start_after, audit.c.action.in_(list(actions))).order_by(audit.c.id)
    return [_row(r) for r in connection.execute(query)]


@dataclass(frozen=True, slots=True)
class Filter:
    """Which rows of the log to show: of one station, user or action, within a time (UTC ISO text, `at`'s form)."""

    station: int | None = None
    user: str | None = None
    action: str | None = None
    since: str | None = None
    until: str | None = None


def _where(wanted: Filter) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if wanted.station is not None:  # a protocol's subject is `station 101 list` (`station 101 majilis list`)
        found.append(audit.c.subject.like(f"station {wanted.station} %"))
    if wanted.user:
        found.append(audit.c.user == wanted.user)
    if wanted.action:
        found.append(audit.c.action == wanted.action)
    if wanted.since:
        found.append(audit.c.at >= wanted.since)
    if wanted.until:
        found.append(audit.c.at < wanted.until)
    return found


def search(connection: Connection, wanted: Filter, *, offset: int = 0, limit: int = 50) -> tuple[list[AuditRow], int]:
    """The rows `wanted`, newest first, `limit` of them from `offset`; and how many there are in all."""
    where = _where(wanted)
    total = int(connection.execute(select(func.count()).select_from(audit).where(*where)).scalar_one())
    query = select(audit).where(*where).order_by(audit.c.id.desc()).offset(offset).limit(limit)
    return [_row(r) for r in connection.execute(query)], total


def actions(connection: Connection) -> list[str]:
    """Every action the log holds, by name (what the page's filter offers)."""
    return [str(a) for a in connection.execute(select(audit.c.action).distinct().order_by(audit.c.action)).scalars()]


def every(connection: Connection) -> Iterator[AuditRow]:
    """Every row, oldest first (streamed: a night's log is read once to verify it)."""
    for r in connection.execute(select(audit).order_by(audit.c.id)):
        yield _row(r)


_COLUMNS = tuple(f.name for f in fields(AuditRow))

_APPEND_PG = (
    'INSERT INTO audit (id, at, "user", role, action, subject, before, after, reason, previous_sha256, sha256) '
    "SELECT * FROM unnest(%s::integer[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[], "
    "%s::text[], %s::text[], %s::text[], %s::text[])"
)
"""`append`'s rows on PostgreSQL: every column one array (the `id` whole numbers, the rest text), so the
statement's text is the same for any number of rows and psycopg prepares it once per connection."""

_MOVE_HEAD_PG = "UPDATE audit_head SET last_id = %s, last_sha256 = %s WHERE id = 1"
"""`append`'s head moved on PostgreSQL, a text of its own (SQLAlchemy built and compiled its `update` each time)."""


def _tuple(row: AuditRow) -> tuple[object, ...]:
    """A row's values in `_APPEND_PG`'s order (`_COLUMNS`'), without `astuple`'s deep copies."""
    return (
        row.id,
        row.at,
        row.user,
        row.role,
        row.action,
        row.subject,
        row.before,
        row.after,
        row.reason,
        row.previous_sha256,
        row.sha256,
    )


def _values(row: AuditRow) -> dict[str, object]:
    return {name: getattr(row, name) for name in _COLUMNS}  # not `astuple`: it deep-copies every field


def _row(r: object) -> AuditRow:
    return AuditRow(*(getattr(r, name) for name in _COLUMNS))
