"""Users, passwords and sessions: argon2 hashes, random session tokens stored only as their SHA-256.

Failed logins are counted in the database (not in a process), so the limits hold across workers and hosts,
and they slow an attacker without locking the owner out (docs/service.md, "Logins"):
- per client address: after `CLIENT_FREE` wrong passwords within `WINDOW` seconds, the client waits 1, 2,
  4, ... seconds (at most `CLIENT_MAX_DELAY`) after each further one; a wrong password stops counting once
  its name has logged in from that address, so many clerks behind one address (a polling station's router)
  are not held back by each other's typos;
- per name: after `NAME_LIMIT` wrong passwords for one name within the window (from any clients), only the
  clients that name has logged in from before (within `KNOWN_FOR`) may still try it.
An unknown or disabled name costs one argon2 check against a dummy hash, as a known one does, so the time
of the answer does not tell whether a name exists. Every wrong password is kept with its client for
`FAILURES_KEPT` (`failed_logins`): in their own log, not the audit chain, since an anonymous caller must not
write into the chain nor move the version the public results carry (the chain's head).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection

from saylau.service import audit
from saylau.service.errors import Conflict, Forbidden, Invalid, NotFound, TooManyAttempts
from saylau.service.passwords import password_problem
from saylau.service.permissions import Actor, Commission, Permission, Role, require
from saylau.store import commissions as commissions_store
from saylau.store import users as store
from saylau.store.commissions import StoredCommission
from saylau.store.users import StoredUser

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
FAILURES_KEPT = 90 * 86400
"""How long a wrong password stays in the log of failed logins (`failed_logins`)."""
IDLE_SECONDS = 2 * 3600
"""How long a session lasts without work (`saylau serve --session-idle`): every request renews it, so a clerk
who logged in at 16:00 and types all night keeps it; one who leaves the desk for longer logs in again."""
RENEW_AFTER = 60
"""Seconds between two renewals of one session: a request within a minute of the last renewal writes nothing."""
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
    commission: str | None = None
    """The id of the user's commission in the day's tree (None: the top of the tree)."""


def parse_districts(text: str) -> frozenset[int]:
    """ "1,2, 5" -> {1, 2, 5}; "" -> the whole city."""
    parts = [part for part in text.replace(" ", "").split(",") if part]
    if not all(part.isascii() and part.isdigit() and len(part) <= 9 for part in parts):
        raise Invalid("{text} is not a list of district numbers such as 1,2,5", "districts", values={"text": text[:40]})
    return frozenset(int(part) for part in parts)


def add(
    connection: Connection,
    actor: Actor | None,
    name: str,
    password: str,
    role: Role,
    districts: frozenset[int] = frozenset(),
    commission: str | None = None,
) -> UserView:
    """Create a user (an administrator's act; `actor` None is the command line on the server itself) of a
    commission of the day's tree (None: the top of the tree); an administrator bound to a commission creates
    users of commissions inside its area only."""
    if actor is not None:
        require(actor, Permission.MANAGE_USERS)
    if not NAME.match(name):
        raise Invalid("a user name is 1-64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit", "name")
    weak = password_problem(password, name)
    if weak is not None:
        raise Invalid(weak.message, "password", code="weak-password", values=weak.values)
    if role is Role.ADMINISTRATOR and districts:
        raise Invalid("an administrator works for the whole city", "districts")
    if commission is not None:
        found = commissions_store.find(connection, commission)
        if found is None:
            known = ", ".join(c.id for c in commissions_store.every(connection)) or "—"
            raise NotFound(
                "no commission {commission} (the day's commissions: {known})",
                "commission",
                values={"commission": commission[:64], "known": known},
            )
        if actor is not None and not found.stations <= (
            actor.commission.stations if actor.commission else found.stations
        ):
            raise Forbidden(
                "the commission {commission} is not inside yours",
                "commission",
                code="commission",
                values={"commission": commission},
            )
    unknown = sorted(districts - _districts(connection)) if districts else []
    if unknown:
        listed = ", ".join(str(d) for d in unknown[:10])
        raise Invalid(
            "no district {numbers} in this election", "districts", code="no-district", values={"numbers": listed}
        )
    if store.named(connection, name) is not None:
        raise Conflict("user {name} already exists", "name", code="exists", values={"name": name})
    store.add(connection, name, _hasher.hash(password), role.value, districts, commission)
    after: dict[str, object] = {"role": role.value, "districts": sorted(districts)}
    if commission is not None:
        after["commission"] = commission
    audit.append(connection, actor, "add-user", name, after=after)
    return UserView(name, role, tuple(sorted(districts)), True, commission)


def listing(connection: Connection, actor: Actor | None) -> list[UserView]:
    """Every user, by name."""
    if actor is not None:
        require(actor, Permission.MANAGE_USERS)
    return [
        UserView(u.name, Role(u.role), tuple(sorted(u.districts)), u.active, u.commission)
        for u in store.every(connection)
    ]


def disable(connection: Connection, actor: Actor | None, name: str) -> None:
    """Disable a user and end their sessions; the audit log keeps everything they did."""
    if actor is not None:
        require(actor, Permission.MANAGE_USERS)
        if actor.name == name:
            raise Conflict("you cannot disable yourself", "name")
    row = store.named(connection, name)
    if row is None:
        raise NotFound("no user {name}", "name", values={"name": name[:64]})
    store.deactivate(connection, row.id)
    audit.append(connection, actor, "disable-user", name, before={"active": row.active}, after={"active": False})


def ensure_admin(connection: Connection, password: str | None) -> str | None:
    """Make sure an administrator can log in: create `admin` when there is no administrator yet, or, when
    none of them has a password that works (a database restored from a backup without password hashes),
    give one (`admin` if there is one, else the first by name) `password`. Returns the generated password
    when none was given (print it once)."""
    stranded = store.administrators_without_password(connection)
    if store.any_with_role(connection, Role.ADMINISTRATOR.value) and not stranded:
        return None
    generated = None if password else secrets.token_urlsafe(12)
    chosen = password or generated or ""
    if not stranded:
        add(connection, None, "admin", chosen, Role.ADMINISTRATOR)
        return generated
    named = next((u for u in stranded if u.name == "admin"), stranded[0])
    set_password(connection, None, named.name, chosen)
    return generated


def set_password(connection: Connection, actor: Actor | None, name: str, password: str) -> None:
    """Give a user a new password (an administrator's act; `actor` None: the command line on the server):
    argon2id as every password, the user's sessions ended, the act audited (never the password or its hash)."""
    if actor is not None:
        require(actor, Permission.MANAGE_USERS)
    row = store.named(connection, name)
    if row is None:
        raise NotFound("no user {name}", "name", values={"name": name[:64]})
    weak = password_problem(password, name)
    if weak is not None:
        raise Invalid(weak.message, "password", code="weak-password", values=weak.values)
    store.set_password(connection, row.id, _hasher.hash(password))
    audit.append(connection, actor, "set-password", name)


def login(
    connection: Connection,
    name: str,
    password: str,
    now: float | None = None,
    client: str = "",
    idle: int = IDLE_SECONDS,
) -> Session | None:
    """A new session for a correct name and password; None (the failure recorded) for a wrong one.

    The failure is a write that must be committed, so it is returned, not raised: the caller raises
    `Unauthenticated` once the unit of work has committed. `client` is the address the attempt came from
    ("" from the server's own command line). The session lasts `idle` seconds past its last use.
    Over a limit (module docstring): TooManyAttempts.
    """
    now = time.time() if now is None else now
    client = client[:64]
    _check_limits(connection, name, client, int(now))
    row = store.named(connection, name, active_only=True)
    if row is None:
        _matches(_dummy_hash(), password)  # the same work as for a known name: the time tells nothing
    if row is None or not _matches(row.password_hash, password):
        store.record_failure(connection, name, int(now), client)  # not audited: the chain's head is the version
        return None
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    store.open_session(connection, _digest(token), row.id, csrf, int(now) + idle)
    store.remember_client(connection, row.name, client, int(now), forget_until=int(now) - KNOWN_FOR)
    store.forget_failures(connection, int(now) - FAILURES_KEPT)
    commission = commissions_store.find(connection, row.commission) if row.commission else None
    return Session(token, csrf, _actor(row, commission))


def _check_limits(connection: Connection, name: str, client: str, now: int) -> None:
    """Refuse the attempt when the client must still wait, or the name is under attack and the client unknown."""
    since = now - WINDOW
    count, last = store.client_failures(connection, client, since)
    if count >= CLIENT_FREE:
        wait = min(2 ** min(count - CLIENT_FREE, 20), CLIENT_MAX_DELAY)
        if now < last + wait:
            raise TooManyAttempts(
                "too many wrong passwords from this address: try again in {seconds} s",
                "password",
                values={"seconds": last + wait - now},
                retry_after=last + wait - now,
            )
    if store.failures_since(connection, name, since) >= NAME_LIMIT and not store.known_client(
        connection, name, client, now - KNOWN_FOR
    ):
        raise TooManyAttempts(
            "too many wrong passwords for this name: log in from a computer you used before, or try again in "
            "{seconds} s",
            "name",
            values={"seconds": WINDOW},
            retry_after=WINDOW,
        )


@dataclass(frozen=True, slots=True)
class FailedLogin:
    """One wrong password as the log keeps it: its number, when (UTC, ISO 8601), the name tried, the client."""

    id: int
    at: str
    name: str
    client: str


def failed_logins(connection: Connection, actor: Actor, after: int = 0, limit: int = 200) -> list[FailedLogin]:
    """The log of wrong passwords (administrator), oldest first: those numbered after `after`, at most `limit`."""
    require(actor, Permission.MANAGE_USERS)
    return [
        FailedLogin(f.id, datetime.fromtimestamp(f.at, UTC).isoformat(), f.name, f.client)
        for f in store.failures_after(connection, after, limit)
    ]


def session(connection: Connection, token: str, now: float | None = None, idle: int | None = None) -> Session | None:
    """The live session of `token`, or None (unknown, expired, or its user disabled); with `idle`, the use
    renews it for `idle` seconds from `now` (the sliding end of `IDLE_SECONDS`)."""
    return sessions_of(connection, [token], now, idle).get(token)


def sessions_of(
    connection: Connection, tokens: Iterable[str], now: float | None = None, idle: int | None = None
) -> dict[str, Session]:
    """The live sessions of `tokens`, by token, in one query (unknown, expired or disabled ones left out).

    With `idle`, each one found ends `idle` seconds after `now` from now on: renewed in one statement, and
    only where the last renewal is more than `RENEW_AFTER` seconds old (a request a second writes nothing).
    """
    now = int(time.time() if now is None else now)
    by_digest = {_digest(t): t for t in tokens}
    if not by_digest:
        return {}
    found, stale = {}, []
    for live in store.live_sessions(connection, by_digest, now):
        token = by_digest[live.token_sha256]
        found[token] = Session(token, live.csrf, _actor(live.user, live.commission))
        if idle is not None and live.expires < now + idle - RENEW_AFTER:
            stale.append(live.token_sha256)
    if stale and idle is not None:
        store.renew_sessions(connection, stale, now + idle)
    return found


def logout(connection: Connection, token: str) -> None:
    """End the session of `token`."""
    store.close_session(connection, _digest(token))


def _actor(user: StoredUser, commission: StoredCommission | None) -> Actor:
    found = None
    if commission is not None:
        found = Commission(commission.id, commission.level, commission.stations, frozenset(commission.declares))
    return Actor(user.name, Role(user.role), user.districts, found)


def _districts(connection: Connection) -> set[int]:
    """The district numbers of the day's contests (a user bound to districts acts on these)."""
    from saylau.service.definition import contest_ids, current  # lazily: most user acts need no definition

    return {d.number for c in contest_ids(connection) for d in current(connection, c).election.districts}


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
