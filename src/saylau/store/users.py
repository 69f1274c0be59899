"""Users, their sessions and failed logins: the statements of the `users`, `sessions`, `login_failures` and
`login_clients` tables, returning `StoredUser` and `StoredSession` records.

A session is stored only as the SHA-256 of its token; the token itself never reaches the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from saylau.store import arrays
from saylau.store.commissions import StoredCommission, parsed
from saylau.store.tables import login_clients, login_failures, sessions, users


@dataclass(frozen=True, slots=True)
class StoredUser:
    """A user as stored: `districts` the commission's district numbers (empty: the whole city)."""

    id: int
    name: str
    password_hash: str
    role: str
    districts: frozenset[int]
    active: bool
    commission: str | None
    """The id of the user's commission; None: the commission at the top of the day's tree."""


@dataclass(frozen=True, slots=True)
class StoredSession:
    """A live session: the digest of its token, its CSRF token, and its user."""

    token_sha256: str
    csrf: str
    expires: int
    """When the session ends unless it is used (seconds since the epoch)."""
    user: StoredUser
    commission: StoredCommission | None
    """The user's commission, as the day's tree has it (None: the top of the tree)."""


def add(
    connection: Connection,
    name: str,
    password_hash: str,
    role: str,
    districts: frozenset[int],
    commission: str | None = None,
) -> None:
    """Insert an active user."""
    text = ",".join(str(d) for d in sorted(districts))
    connection.execute(
        insert(users).values(
            name=name, password_hash=password_hash, role=role, districts=text, active=True, commission=commission
        )
    )


def named(connection: Connection, name: str, *, active_only: bool = False) -> StoredUser | None:
    """The user called `name` (only if active, when asked), or None."""
    query = select(users).where(users.c.name == name)
    if active_only:
        query = query.where(users.c.active.is_(True))
    row = connection.execute(query).first()
    return None if row is None else _user(row)


def every(connection: Connection) -> list[StoredUser]:
    """Every user, by name."""
    return [_user(row) for row in connection.execute(select(users).order_by(users.c.name))]


def any_with_role(connection: Connection, role: str) -> bool:
    """Whether some user (active or not) has `role`."""
    return connection.execute(select(users.c.id).where(users.c.role == role).limit(1)).first() is not None


NO_PASSWORD = "!"
"""The hash of a user without a password that works (restored from a backup without hashes): nothing matches."""


def administrators_without_password(connection: Connection) -> list[StoredUser]:
    """The administrators, by name, when none of them has a password that works (else an empty list)."""
    found = [
        _user(r)
        for r in connection.execute(select(users).where(users.c.role == "administrator").order_by(users.c.name))
    ]
    if any(u.active and u.password_hash != NO_PASSWORD for u in found):
        return []
    return found


def set_password(connection: Connection, user_id: int, password_hash: str) -> None:
    """Give a user a new password hash and end every session of theirs (a disabled user stays disabled)."""
    connection.execute(update(users).where(users.c.id == user_id).values(password_hash=password_hash))
    connection.execute(delete(sessions).where(sessions.c.user_id == user_id))


def deactivate(connection: Connection, user_id: int) -> None:
    """Disable a user and end every session of theirs."""
    connection.execute(update(users).where(users.c.id == user_id).values(active=False))
    connection.execute(delete(sessions).where(sessions.c.user_id == user_id))


def failures_since(connection: Connection, name: str, since: int) -> int:
    """Failed logins for `name` after the time `since` (seconds since the epoch)."""
    query = select(func.count()).select_from(login_failures)
    return int(connection.execute(query.where(login_failures.c.name == name, login_failures.c.at > since)).scalar_one())


def client_failures(connection: Connection, client: str, since: int) -> tuple[int, int]:
    """Failed logins from the address `client` after `since`, and the time of the last one (0 if none), less
    those of a name that has logged in from `client` since: a clerk's typo stops counting once they are in."""
    cleared = (
        select(login_clients.c.at)
        .where(
            login_clients.c.name == login_failures.c.name,
            login_clients.c.client == login_failures.c.client,
            login_clients.c.at >= login_failures.c.at,
        )
        .exists()
    )
    query = select(func.count(), func.max(login_failures.c.at)).where(
        login_failures.c.client == client, login_failures.c.at > since, ~cleared
    )
    count, last = connection.execute(query).one()
    return int(count), int(last or 0)


def record_failure(connection: Connection, name: str, at: int, client: str = "") -> None:
    """Remember a failed login for `name` from the address `client` (both cut to the column's width)."""
    connection.execute(insert(login_failures).values(name=name[:64], at=at, client=client[:64]))


def known_client(connection: Connection, name: str, client: str, since: int) -> bool:
    """Whether `name` logged in from the address `client` after `since`."""
    known = (login_clients.c.name == name) & (login_clients.c.client == client) & (login_clients.c.at > since)
    return connection.execute(select(login_clients.c.at).where(known)).first() is not None


def remember_client(connection: Connection, name: str, client: str, at: int, *, forget_until: int) -> None:
    """Note that `name` logged in from `client` at `at`; forget every such note at or before `forget_until`."""
    same = (login_clients.c.name == name) & (login_clients.c.client == client)
    connection.execute(delete(login_clients).where(same | (login_clients.c.at <= forget_until)))
    connection.execute(insert(login_clients).values(name=name, client=client[:64], at=at))


def forget_failures(connection: Connection, until: int) -> None:
    """Drop failed logins at or before `until`: past the time they are kept for."""
    connection.execute(delete(login_failures).where(login_failures.c.at <= until))


@dataclass(frozen=True, slots=True)
class StoredFailure:
    """One wrong password: its number, when (seconds since the epoch), the name tried and the client."""

    id: int
    at: int
    name: str
    client: str


def failures_after(connection: Connection, after: int, limit: int) -> list[StoredFailure]:
    """Failed logins numbered after `after`, oldest first, at most `limit`."""
    query = select(login_failures.c.id, login_failures.c.at, login_failures.c.name, login_failures.c.client)
    rows = connection.execute(query.where(login_failures.c.id > after).order_by(login_failures.c.id).limit(limit))
    return [StoredFailure(int(r.id), int(r.at), str(r.name), str(r.client)) for r in rows]


def open_session(connection: Connection, token_sha256: str, user_id: int, csrf: str, expires: int) -> None:
    """Store a new session under its token's digest."""
    connection.execute(insert(sessions).values(token_sha256=token_sha256, user_id=user_id, csrf=csrf, expires=expires))


def live_sessions(connection: Connection, digests: Iterable[str], now: int) -> list[StoredSession]:
    """The sessions among `digests` that have not expired and whose user is active, in one query."""
    wanted = sorted(set(digests))
    if not wanted:
        return []
    if connection.dialect.name == "postgresql":  # every group of entries asks (`_LIVE_PG`)
        rows = connection.exec_driver_sql(_LIVE_PG, (arrays.literal(wanted), now))
    else:  # and on SQLite (`_LIVE_SQLITE`): one text a size of group, which sqlite3 keeps prepared
        rows = connection.exec_driver_sql(_LIVE_SQLITE.format(keys=", ".join("?" * len(wanted))), (*wanted, now))
    return [StoredSession(row.token_sha256, row.csrf, int(row.expires), _user(row), _commission(row)) for row in rows]


_LIVE_PG = (
    "SELECT s.token_sha256, s.csrf, s.expires, u.id, u.name, u.password_hash, u.role, u.districts, u.active, "
    "u.commission, t.id AS tree_id, t.level AS tree_level, t.parent AS tree_parent, t.name AS tree_name, "
    "t.stations AS tree_stations, t.districts AS tree_districts, t.declares AS tree_declares "
    "FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN commissions t ON t.id = u.commission "
    "WHERE s.token_sha256 = ANY(%s::text[]) AND s.expires > %s AND u.active IS TRUE"
)
"""`live_sessions` on PostgreSQL, as the statement text psycopg keeps prepared: SQLAlchemy built, keyed and
compiled the query anew for each group of entries, and psycopg adapted the digests' list in Python (together
about a millisecond of the writer thread a group, beside 0.1 ms of the server's)."""


_LIVE_SQLITE = (
    "SELECT s.token_sha256, s.csrf, s.expires, u.id, u.name, u.password_hash, u.role, u.districts, u.active, "
    "u.commission, t.id AS tree_id, t.level AS tree_level, t.parent AS tree_parent, t.name AS tree_name, "
    "t.stations AS tree_stations, t.districts AS tree_districts, t.declares AS tree_declares "
    "FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN commissions t ON t.id = u.commission "
    "WHERE s.token_sha256 IN ({keys}) AND s.expires > ? AND u.active = 1"
)
"""`live_sessions` on SQLite, as a statement text with one placeholder a digest. Why: SQLAlchemy built the query
(an alias of the commissions, a label a column), keyed and compiled it for every group of entries: 0.63 ms of the
writer thread a group of 25 (now 0.26 ms) and 95 objects in reference cycles, nearly all of what the entering
process's young collections found to free on a paced night (docs/service.md, "Entries under load")."""


def renew_sessions(connection: Connection, digests: Iterable[str], expires: int) -> None:
    """Move the end of the sessions stored under `digests` to `expires` (they were just used)."""
    wanted = sorted(set(digests))
    if wanted:
        connection.execute(update(sessions).where(sessions.c.token_sha256.in_(wanted)).values(expires=expires))


def close_session(connection: Connection, token_sha256: str) -> None:
    """End the session stored under `token_sha256`."""
    connection.execute(delete(sessions).where(sessions.c.token_sha256 == token_sha256))


def _commission(row: Any) -> StoredCommission | None:
    if row.tree_id is None:
        return None
    return parsed(
        row.tree_id,
        row.tree_level,
        row.tree_parent,
        row.tree_name,
        row.tree_stations,
        row.tree_districts,
        row.tree_declares,
    )


def _user(row: Any) -> StoredUser:
    districts = frozenset(int(part) for part in row.districts.split(",") if part.strip())
    return StoredUser(int(row.id), row.name, row.password_hash, row.role, districts, bool(row.active), row.commission)
