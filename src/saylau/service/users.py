"""Users, passwords and sessions: argon2 hashes, random session tokens stored only as their SHA-256.

Failed logins are counted in the database (not in a process), so the limits hold across workers and hosts,
and they slow an attacker without locking the owner out (docs/service.md, "Logins"):
- per client address: after `CLIENT_FREE` wrong passwords within `WINDOW` seconds, the client waits 1, 2,
  4, ... seconds (at most `CLIENT_MAX_DELAY`) after each further one;
- per name: after `NAME_LIMIT` wrong passwords for one name within the window (from any clients), only the
  clients that name has logged in from before (within `KNOWN_FOR`) may still try it.
An unknown or disabled name costs one argon2 check against a dummy hash, as a known one does, so the time
of the answer does not tell whether a name exists. Every wrong password is in the audit log with its client.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, delete, func, insert, select, update

from saylau.service import audit
from saylau.service.errors import Conflict, Invalid, NotFound, TooManyAttempts
from saylau.service.passwords import password_problem
from saylau.service.permissions import Actor, Permission, Role, require
from saylau.store.tables import login_clients, login_failures, sessions, users

WINDOW = 15 * 60
"""Seconds over which wrong passwords are counted."""
CLIENT_FREE = 5
"""Wrong passwords one client may make within the window before it must wait between tries."""
CLIENT_MAX_DELAY = 15 * 60
"""The longest wait between one client's tries (the delay doubles from 1 s up to this)."""
NAME_LIMIT = 20
"""Wrong passwords for one name within the window (from all clients) after which only known clients may try."""
KNOWN_FOR = 90 * 86400
"""How long a client a user logged in from stays known for the per-name limit."""
SESSION_SECONDS = 12 * 3600
NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")

_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
"""argon2id at OWASP's recommended minimum (19 MiB, 2 passes): a login stays quick on a 2-core server."""


@dataclass(frozen=True, slots=True)
class Session:
    """A logged-in session: the token the client keeps, the CSRF token its forms carry, and who it is."""

    token: str
    csrf: str
    actor: Actor


@dataclass(frozen=True, slots=True)
class UserView:
    """A user as the administrator's page and `saylau users list` show it."""

    name: str
    role: Role
    districts: tuple[int, ...]
    active: bool


def parse_districts(text: str) -> frozenset[int]:
    """ "1,2, 5" -> {1, 2, 5}; "" -> the whole city."""
    parts = [part for part in text.replace(" ", "").split(",") if part]
    if not all(part.isascii() and part.isdigit() and len(part) <= 9 for part in parts):
        raise Invalid(f"{text[:40]!r} is not a list of district numbers such as 1,2,5", "districts")
    return frozenset(int(part) for part in parts)


def add(
    connection: Connection,
    actor: Actor | None,
    name: str,
    password: str,
    role: Role,
    districts: frozenset[int] = frozenset(),
) -> UserView:
    """Create a user (an administrator's act; `actor` None is the command line on the server itself)."""
    if actor is not None:
        require(actor, Permission.MANAGE_USERS)
    if not NAME.match(name):
        raise Invalid("a user name is 1-64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit", "name")
    weak = password_problem(password, name)
    if weak is not None:
        raise Invalid(weak.message, "password", code="weak-password", values=weak.values)
    if role is Role.ADMINISTRATOR and districts:
        raise Invalid("an administrator works for the whole city", "districts")
    unknown = sorted(districts - _districts(connection)) if districts else []
    if unknown:
        listed = ", ".join(str(d) for d in unknown[:10])
        raise Invalid(
            "no district {numbers} in this election", "districts", code="no-district", values={"numbers": listed}
        )
    if connection.execute(select(users.c.id).where(users.c.name == name)).first() is not None:
        raise Conflict(f"user {name!r} already exists", "name", code="exists")
    text = ",".join(str(d) for d in sorted(districts))
    connection.execute(
        insert(users).values(
            name=name, password_hash=_hasher.hash(password), role=role.value, districts=text, active=True
        )
    )
    audit.append(connection, actor, "add-user", name, after={"role": role.value, "districts": sorted(districts)})
    return UserView(name, role, tuple(sorted(districts)), True)


def listing(connection: Connection, actor: Actor | None) -> list[UserView]:
    """Every user, by name."""
    if actor is not None:
        require(actor, Permission.MANAGE_USERS)
    return [
        UserView(r.name, Role(r.role), tuple(sorted(parse_districts(r.districts))), r.active)
        for r in connection.execute(select(users).order_by(users.c.name))
    ]


def disable(connection: Connection, actor: Actor | None, name: str) -> None:
    """Disable a user and end their sessions; the audit log keeps everything they did."""
    if actor is not None:
        require(actor, Permission.MANAGE_USERS)
        if actor.name == name:
            raise Conflict("you cannot disable yourself", "name")
    row = connection.execute(select(users.c.id, users.c.active).where(users.c.name == name)).first()
    if row is None:
        raise NotFound(f"no user {name!r}", "name")
    connection.execute(update(users).where(users.c.id == row.id).values(active=False))
    connection.execute(delete(sessions).where(sessions.c.user_id == row.id))
    audit.append(connection, actor, "disable-user", name, before={"active": row.active}, after={"active": False})


def ensure_admin(connection: Connection, password: str | None) -> str | None:
    """Create `admin` if there is no administrator yet; returns the generated password when none was given."""
    exists = connection.execute(select(users.c.id).where(users.c.role == Role.ADMINISTRATOR.value)).first()
    if exists is not None:
        return None
    generated = None if password else secrets.token_urlsafe(12)
    add(connection, None, "admin", password or generated or "", Role.ADMINISTRATOR)
    return generated


def login(
    connection: Connection, name: str, password: str, now: float | None = None, client: str = ""
) -> Session | None:
    """A new session for a correct name and password; None (the failure recorded) for a wrong one.

    The failure is a write that must be committed, so it is returned, not raised: the caller raises
    `Unauthenticated` once the unit of work has committed. `client` is the address the attempt came from
    ("" from the server's own command line). Over a limit (module docstring): TooManyAttempts.
    """
    now = time.time() if now is None else now
    client = client[:64]
    _check_limits(connection, name, client, int(now))
    row = connection.execute(select(users).where(users.c.name == name, users.c.active.is_(True))).first()
    if row is None:
        _matches(_dummy_hash(), password)  # the same work as for a known name: the time tells nothing
    if row is None or not _matches(row.password_hash, password):
        connection.execute(insert(login_failures).values(name=name[:64], at=int(now), client=client))
        audit.append(connection, None, "login-failed", name[:64], after={"client": client})
        return None
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    connection.execute(
        insert(sessions).values(
            token_sha256=_digest(token), user_id=row.id, csrf=csrf, expires=int(now) + SESSION_SECONDS
        )
    )
    known = (login_clients.c.name == row.name) & (login_clients.c.client == client)
    connection.execute(delete(login_clients).where(known | (login_clients.c.at <= int(now) - KNOWN_FOR)))
    connection.execute(insert(login_clients).values(name=row.name, client=client, at=int(now)))
    connection.execute(delete(login_failures).where(login_failures.c.at <= int(now) - WINDOW))
    return Session(token, csrf, Actor(row.name, Role(row.role), parse_districts(row.districts)))


def _check_limits(connection: Connection, name: str, client: str, now: int) -> None:
    """Refuse the attempt when the client must still wait, or the name is under attack and the client unknown."""
    since = now - WINDOW
    mine = connection.execute(
        select(func.count(), func.max(login_failures.c.at)).where(
            login_failures.c.client == client, login_failures.c.at > since
        )
    ).one()
    if mine[0] >= CLIENT_FREE:
        wait = min(2 ** min(mine[0] - CLIENT_FREE, 20), CLIENT_MAX_DELAY)
        if now < mine[1] + wait:
            raise TooManyAttempts(
                "too many wrong passwords from this address: try again in {seconds} s",
                "password",
                values={"seconds": mine[1] + wait - now},
                retry_after=mine[1] + wait - now,
            )
    tried = connection.execute(
        select(func.count())
        .select_from(login_failures)
        .where(login_failures.c.name == name, login_failures.c.at > since)
    ).scalar_one()
    if tried >= NAME_LIMIT:
        known = connection.execute(
            select(login_clients.c.at).where(
                login_clients.c.name == name, login_clients.c.client == client, login_clients.c.at > now - KNOWN_FOR
            )
        ).first()
        if known is None:
            raise TooManyAttempts(
                "too many wrong passwords for this name: log in from a computer you used before, or try again "
                "in {seconds} s",
                "name",
                values={"seconds": WINDOW},
                retry_after=WINDOW,
            )


def session(connection: Connection, token: str, now: float | None = None) -> Session | None:
    """The live session of `token`, or None (unknown, expired, or its user disabled)."""
    return sessions_of(connection, [token], now).get(token)


def sessions_of(connection: Connection, tokens: Iterable[str], now: float | None = None) -> dict[str, Session]:
    """The live sessions of `tokens`, by token, in one query (unknown, expired or disabled ones left out)."""
    now = time.time() if now is None else now
    by_digest = {_digest(t): t for t in tokens}
    if not by_digest:
        return {}
    rows = connection.execute(
        select(sessions.c.token_sha256, sessions.c.csrf, users.c.name, users.c.role, users.c.districts)
        .join(users, users.c.id == sessions.c.user_id)
        .where(sessions.c.token_sha256.in_(sorted(by_digest)), sessions.c.expires > int(now), users.c.active.is_(True))
    )
    found = {}
    for row in rows:
        token = by_digest[row.token_sha256]
        found[token] = Session(token, row.csrf, Actor(row.name, Role(row.role), parse_districts(row.districts)))
    return found


def logout(connection: Connection, token: str) -> None:
    """End the session of `token`."""
    connection.execute(delete(sessions).where(sessions.c.token_sha256 == _digest(token)))


def _districts(connection: Connection) -> set[int]:
    from saylau.service.definition import current  # the definition imports nothing of users; kept lazy anyway

    return {d.number for d in current(connection).election.districts}


@cache
def _dummy_hash() -> str:
    """A hash of a random password with the same parameters, checked for unknown names (equal time)."""
    return _hasher.hash(secrets.token_urlsafe(24))


def _matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
