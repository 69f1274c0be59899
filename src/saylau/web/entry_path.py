"""The entry fast path: a program's protocol entry answered without FastAPI's router, through the route's own call.

On election night the staff's requests are almost all one kind: an operator's entry,
`POST /api/protocols/{station}/{ballot}/entries`, sent by a program with `Authorization: Bearer`. FastAPI
spends on each of them (the router's walk over every route, the dependencies, the body read and parsed
again, a validation error model per field, the response model) about a sixth of what the whole entry costs
the event loop, and the event loop is half of a saturated night's CPU beside the writer thread.

`EntryFastPath` sits inside `BodyLimits` (which has refused an oversized, too deep or unstorable body, and
left the JSON it decoded in the scope) and inside the air-gap guard, so every check in front of the routes
still applies. It takes an entry only when every part of the request reads exactly as FastAPI would read it
and is valid: the path's station a plain whole number within `MAX_NUMBER` and a ballot of the API, no query
or only `contest=` with a valid id, one `Authorization: Bearer` header, one `Content-Type:
application/json`, at most one `Idempotency-Key` of at most 64 characters, and a body the route's model
(`api.EntryIn`) accepts. It then calls `api.submit_entry`, as the route does, and answers the route's
answer: the state as `api.StateOut`, or a refusal through the app's own exception handlers (the same
words, status and headers). Anything else (a cookie and its CSRF token, a form, a body the model refuses, a
header twice) goes on to FastAPI unchanged, which answers it as before. tests/service/test_entry_fast_path.py
sends every kind of entry request to a service with and without the fast path and compares the answers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from starlette.requests import Request

from saylau.service.states import EntryState
from saylau.store import Database
from saylau.web import api
from saylau.web.bounds import MAX_NUMBER
from saylau.web.context import Credentials, bearer
from saylau.web.limits import JSON, App, Receive, Scope, Send

_PATH = re.compile(r"/api/protocols/(0|[1-9][0-9]{0,9})/(list|district)/entries")
_CONTEST = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
"""`api.Contest` as the route checks it (at most 64 characters, its pattern)."""
_PLAIN_CONTEST = re.compile(rb"contest=([a-z0-9][a-z0-9_-]{0,63})")
"""The query of a day's entry as a program sends it (`_contest`: what `parse_qsl` would give, without it)."""
_KEY_LENGTH = 64
"""`Idempotency-Key` as the route checks it (at most 64 characters)."""

Handlers = Mapping[Any, Any]
"""The app's exception handlers by exception class (`FastAPI.exception_handlers`)."""


class EntryFastPath:
    """ASGI middleware: a bearer-token entry through `api.submit_entry` directly, everything else to `app`."""

    def __init__(self, app: App, database: Database, handlers: Handlers) -> None:
        self.app, self.database, self.handlers = app, database, handlers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        asked = _entry(scope) if scope["type"] == "http" and scope["method"] == "POST" else None
        if asked is None:
            await self.app(scope, receive, send)
            return
        credentials, station, ballot, body, contest, key = asked
        try:
            answer = await api.submit_entry(self.database, credentials, station, ballot, body, contest, key)
        except Exception as error:
            handler = _handler(self.handlers, error)
            if handler is None:  # as from the route: the server's error middleware answers 500
                raise
            response = await handler(Request(scope, receive, send), error)
        else:
            response = Response(_ANSWERS[answer.state], media_type=JSONResponse.media_type)
        await response(scope, receive, send)


_ANSWERS = {state: JSONResponse(jsonable_encoder(api.StateOut(state=state))).body for state in EntryState}
"""The route's answer for each state, as `JSONResponse(jsonable_encoder(...))` renders it, made once: rendered
for every entry it cost the event loop about 11 µs an entry, taken from here 1.2 µs (issue 22)."""
assert set(api.StateOut.model_fields) == {"state"}, "an answer of more than its state is rendered each time"


def _entry(scope: Scope) -> tuple[Credentials, int, str, api.EntryIn, str | None, str | None] | None:
    """What the route would be called with for this request, if it is an entry the fast path takes."""
    path = _PATH.fullmatch(scope["path"])
    if path is None or scope.get("root_path") or JSON not in scope:
        return None
    station = int(path[1])
    if station > MAX_NUMBER:
        return None
    plain, contest = _contest(scope["query_string"])
    if not plain:
        return None
    found: dict[bytes, list[bytes]] = {}
    for name, value in scope["headers"]:
        if name in _READ:
            found.setdefault(name, []).append(value)
    authorization, kind, key = (found.get(name, []) for name in _READ)
    if len(authorization) != 1 or kind != [b"application/json"] or len(key) > 1:
        return None
    token = bearer(authorization[0].decode("latin-1"))
    typed_key = key[0].decode("latin-1") if key else None
    if token is None or (typed_key is not None and len(typed_key) > _KEY_LENGTH):
        return None
    try:
        body = api.EntryIn.model_validate(scope[JSON])
    except ValidationError:  # FastAPI's route words the refusal (422, the field, the caller's language)
        return None
    return Credentials(token, bearer=True), station, path[2], body, contest, typed_key


_READ = (b"authorization", b"content-type", b"idempotency-key")
"""The request headers the fast path reads (names as ASGI gives them, lower case)."""


def _contest(query: bytes) -> tuple[bool, str | None]:
    """Whether the query is one the fast path takes (none, or one valid `contest=`), and its contest: a plain
    `contest=<id>` is read as it stands (no escape or `+` can be in it), anything else as `parse_qsl` reads it."""
    if not query:
        return True, None
    plain = _PLAIN_CONTEST.fullmatch(query)
    if plain is not None:
        return True, plain[1].decode("ascii")
    pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
    if len(pairs) != 1 or pairs[0][0] != "contest" or not _CONTEST.fullmatch(pairs[0][1]):
        return False, None
    return True, pairs[0][1]


def _handler(handlers: Handlers, error: Exception) -> Any:
    """The app's handler of `error`: the first of its classes, most derived first, that has one (as
    Starlette's exception middleware looks it up)."""
    for kind in type(error).__mro__:
        if kind in handlers:
            return handlers[kind]
    return None
