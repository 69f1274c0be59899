"""Users, passwords and sessions: argon2 hashes, random session tokens stored only as their SHA-256.

Login attempts are counted in the database (not in a process), so a limit holds across workers and hosts:
after `MAX_FAILURES` failed attempts for one name within `WINDOW` seconds, further attempts are refused
until the window has passed.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection

from saylau.service import audit
from saylau.service.errors import Conflict, Invalid, NotFound, TooManyAttempts
from saylau.service.permissions import Actor, Permission, Role, require
from saylau.store import users as store
from saylau.store.users import StoredUser

MAX_FAILURES = 5
WINDOW = 60
SESSION_SECONDS = 12 * 3600
NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
MIN_PASSWORD = 8

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
    try:
        return frozenset(int(part) for part in text.replace(" ", "").split(",") if part)
    except ValueError:
        raise Invalid(f"{text!r} is not a list of district numbers such as 1,2,5", "districts") from None


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
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"a password has at least {MIN_PASSWORD} characters", "password")
    if role is Role.ADMINISTRATOR and districts:
        raise Invalid("an administrator works for the whole city", "districts")
    if store.named(connection, name) is not None:
        raise Conflict(f"user {name!r} already exists", "name", code="exists")
    store.add(connection, name, _hasher.hash(password), role.value, districts)
    audit.append(connection, actor, "add-user", name, after={"role": role.value, "districts": sorted(districts)})
    return UserView(name, role, tuple(sorted(districts)), True)


def listing(connection: Connection, actor: Actor | None) -> list[UserView]:
    """Every user, by name."""
    if actor is not None:
        require(actor, Permission.MANAGE_USERS)
    return [UserView(u.name, Role(u.role), tuple(sorted(u.districts)), u.active) for u in store.every(connection)]


def disable(connection: Connection, actor: Actor | None, name: str) -> None:
    """Disable a user and end their sessions; the audit log keeps everything they did."""
    if actor is not None:
        require(actor, Permission.MANAGE_USERS)
        if actor.name == name:
            raise Conflict("you cannot disable yourself", "name")
    row = store.named(connection, name)
    if row is None:
        raise NotFound(f"no user {name!r}", "name")
    store.deactivate(connection, row.id)
    audit.append(connection, actor, "disable-user", name, before={"active": row.active}, after={"active": False})


def ensure_admin(connection: Connection, password: str | None) -> str | None:
    """Create `admin` if there is no administrator yet; returns the generated password when none was given."""
    if store.any_with_role(connection, Role.ADMINISTRATOR.value):
        return None
    generated = None if password else secrets.token_urlsafe(12)
    add(connection, None, "admin", password or generated or "", Role.ADMINISTRATOR)
    return generated


def login(connection: Connection, name: str, password: str, now: float | None = None) -> Session | None:
    """A new session for a correct name and password; None (the failure recorded) for a wrong one.

    The failure is a write that must be committed, so it is returned, not raised: the caller raises
    `Unauthenticated` once the unit of work has committed. Past the limit: TooManyAttempts.
    """
    now = time.time() if now is None else now
    since = int(now) - WINDOW
    if store.failures_since(connection, name, since) >= MAX_FAILURES:
        raise TooManyAttempts(f"too many failed logins for {name!r}: wait a minute", "name")
    row = store.named(connection, name, active_only=True)
    if row is None or not _matches(row.password_hash, password):
        store.record_failure(connection, name, int(now))
        return None
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    store.open_session(connection, _digest(token), row.id, csrf, int(now) + SESSION_SECONDS)
    store.forget_failures(connection, since)
    return Session(token, csrf, _actor(row))


def session(connection: Connection, token: str, now: float | None = None) -> Session | None:
    """The live session of `token`, or None (unknown, expired, or its user disabled)."""
    return sessions_of(connection, [token], now).get(token)


def sessions_of(connection: Connection, tokens: Iterable[str], now: float | None = None) -> dict[str, Session]:
    """The live sessions of `tokens`, by token, in one query (unknown, expired or disabled ones left out)."""
    now = time.time() if now is None else now
    by_digest = {_digest(t): t for t in tokens}
    if not by_digest:
        return {}
    found = {}
    for live in store.live_sessions(connection, by_digest, int(now)):
        token = by_digest[live.token_sha256]
        found[token] = Session(token, live.csrf, _actor(live.user))
    return found


def logout(connection: Connection, token: str) -> None:
    """End the session of `token`."""
    store.close_session(connection, _digest(token))


def _actor(user: StoredUser) -> Actor:
    return Actor(user.name, Role(user.role), user.districts)


def _matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
