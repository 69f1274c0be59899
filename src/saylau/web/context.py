"""Who is asking, within one unit of work: the session from the cookie or the bearer token, and CSRF.

A browser carries the session in a Secure, HttpOnly, SameSite=Strict cookie, and every write it sends must
also carry the session's CSRF token (header `X-CSRF-Token`, or the `csrf` field of a form). A program may
send `Authorization: Bearer <token>` instead, which a browser never adds by itself, so it needs no CSRF.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import Response
from sqlalchemy import Connection

from saylau.service import users
from saylau.service.errors import Forbidden, Unauthenticated
from saylau.service.permissions import Actor
from saylau.store import Database

COOKIE = "saylau_session"
SAFE = {"GET", "HEAD", "OPTIONS"}


@dataclass(frozen=True, slots=True)
class Credentials:
    """A request's claim of who it is: a bearer token, or a cookie's token and the CSRF token a write sent.

    Kept apart from the lookup of the session so that entries arriving together can have their sessions
    looked up in one query (`saylau.service.protocols.enter_all` through the group commit).
    """

    token: str | None
    bearer: bool = False
    csrf: str | None = None
    """What a cookie-borne write sent as its CSRF token (None: a bearer token or a safe method, none needed)."""

    def check(self, found: users.Session | None) -> users.Session | None:
        """The session `found` for the token, if these credentials may use it; refused otherwise."""
        if self.bearer and found is None:
            raise Unauthenticated("the token is unknown or expired", code="session-expired")
        if found is not None and self.csrf is not None and not hmac.compare_digest(self.csrf, found.csrf):
            raise Forbidden("the form's CSRF token is missing or wrong: reload the page", code="csrf")
        return found

    def user(self, found: users.Session | None) -> Actor:
        """The acting user of the session `found`; Unauthenticated for the public."""
        session = self.check(found)
        if session is None:
            raise Unauthenticated("log in first")
        return session.actor


def bearer(authorization: str) -> str | None:
    """The token of an `Authorization` header's value `Bearer <token>` (any case); None for any other value."""
    return authorization[7:].strip() if authorization.lower().startswith("bearer ") else None


@dataclass
class Context:
    """One request's access to the database and to who is asking."""

    request: Request
    database: Database

    @contextmanager
    def unit_of_work(self) -> Iterator[Connection]:
        """One transaction for the whole request."""
        with self.database.unit_of_work() as connection:
            yield connection

    def credentials(self, form_csrf: str | None = None) -> Credentials:
        """What the request carries to say who it is (read without the database)."""
        token = bearer(self.request.headers.get("authorization", ""))
        if token is not None:
            return Credentials(token, bearer=True)
        token = self.request.cookies.get(COOKIE) or None
        if token is None or self.request.method in SAFE:
            return Credentials(token)
        return Credentials(token, csrf=self.request.headers.get("x-csrf-token") or form_csrf or "")

    def session(self, connection: Connection, form_csrf: str | None = None) -> users.Session | None:
        """The caller's live session, or None; a cookie-borne write without the right CSRF token is refused."""
        credentials = self.credentials(form_csrf)
        if not credentials.token:
            return credentials.check(None)
        idle = self.request.app.state.settings.session_idle  # the use renews the session: it slides
        return credentials.check(users.session(connection, credentials.token, idle=idle))

    def actor(self, connection: Connection, form_csrf: str | None = None) -> Actor | None:
        """The acting user, or None for the anonymous public."""
        found = self.session(connection, form_csrf)
        return found.actor if found else None

    def user(self, connection: Connection, form_csrf: str | None = None) -> Actor:
        """The acting user; Unauthenticated for the public."""
        actor = self.actor(connection, form_csrf)
        if actor is None:
            raise Unauthenticated("log in first")
        return actor


def secure(request: Request) -> bool:
    """Whether cookies are `Secure`: always when so configured (the default), and whenever the request came over TLS."""
    return bool(request.app.state.settings.secure_cookies) or request.url.scheme == "https"


def set_cookie(request: Request, response: Response, key: str, value: str, max_age: int | None = None) -> None:
    """Every cookie of the service: HttpOnly, SameSite=Strict, and `Secure` when `secure(request)`; kept for
    `max_age` seconds, else until the browser closes."""
    response.set_cookie(key, value, max_age=max_age, httponly=True, secure=secure(request), samesite="strict")


def client_address(request: Request) -> str:
    """The caller's address for the login limits (uvicorn puts the proxy's `X-Forwarded-For` here when trusted)."""
    return request.client.host if request.client is not None else ""


async def _context(request: Request) -> Context:  # async: no trip through the thread pool
    return Context(request, request.app.state.database)


ContextDep = Annotated[Context, Depends(_context)]
