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
from sqlalchemy import Connection

from saylau.service import users
from saylau.service.errors import Forbidden, Unauthenticated
from saylau.service.permissions import Actor
from saylau.store import Database

COOKIE = "saylau_session"
SAFE = {"GET", "HEAD", "OPTIONS"}


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

    def session(self, connection: Connection, form_csrf: str | None = None) -> users.Session | None:
        """The caller's live session, or None; a cookie-borne write without the right CSRF token is refused."""
        header = self.request.headers.get("authorization", "")
        if header.lower().startswith("bearer "):
            found = users.session(connection, header[7:].strip())
            if found is None:
                raise Unauthenticated("the token is unknown or expired", code="session-expired")
            return found
        token = self.request.cookies.get(COOKIE)
        if not token:
            return None
        found = users.session(connection, token)
        if found is not None and self.request.method not in SAFE:
            sent = self.request.headers.get("x-csrf-token") or form_csrf or ""
            if not hmac.compare_digest(sent, found.csrf):
                raise Forbidden("the form's CSRF token is missing or wrong: reload the page", code="csrf")
        return found

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


def _context(request: Request) -> Context:
    return Context(request, request.app.state.database)


ContextDep = Annotated[Context, Depends(_context)]
