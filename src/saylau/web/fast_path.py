"""The public pages' fast path: a raw ASGI answer in front of FastAPI for the reads the public makes.

On election night almost every request is a `GET` of the public page, its live fragment, the projector or
a download, and every answer is bytes already prepared in the latest snapshot (`public.Prepared`). Going
through FastAPI (middleware stack, router, dependency resolution, a `Response` object) costs several times
more than sending those bytes, so `PublicFastPath` answers `GET` and `HEAD` of the public paths itself: it
picks the contest (`?contest=`) and the language (`?lang=`, else `Accept-Language`), compares `If-None-Match`
with the ETag, and sends the prepared headers and body (or a 304), gzip-compressed where `Accept-Encoding`
allows. Everything else, every other method and path (and an unknown contest, or a download the election
cannot have: NIST without a date), goes to FastAPI, whose routes for the same paths answer with the same bytes
and headers (they share `public.answer`), or refuse in the reader's language.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from saylau.service.errors import ServiceError
from saylau.web import public
from saylau.web.limits import App, Receive, Scope, Send
from saylau.web.snapshot import DaySnapshots


class PublicFastPath:
    """ASGI middleware: the public GETs from the snapshot's prepared bytes, the rest to `app`."""

    def __init__(self, app: App, snapshots: DaySnapshots) -> None:
        self.app, self.snapshots = app, snapshots

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or scope["path"] not in public.PATHS:
            await self.app(scope, receive, send)
            return
        found: dict[bytes, bytes] = {}
        for name, value in scope["headers"]:
            if name in _READ:
                found.setdefault(name, value)  # the first, as Starlette's headers.get
        accept_language = found.get(b"accept-language", b"")
        asked = _asked(scope["query_string"])
        contest = asked.get("contest") or None
        if not self.snapshots.knows(contest):  # FastAPI's route answers 404 with the reason
            await self.app(scope, receive, send)
            return
        lang = public.choose_language(asked.get("lang", ""), accept_language.decode("latin-1"))
        resource = public.RESOURCES[scope["path"], lang]
        try:
            status, prepared = public.answer(
                self.snapshots.latest(contest),
                resource,
                found.get(b"if-none-match", b""),
                found.get(b"accept-encoding", b""),
            )
        except ServiceError:  # a download this election cannot have: FastAPI's route refuses it in words
            await self.app(scope, receive, send)
            return
        full = status == 200
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": prepared.headers if full else prepared.not_modified,
            }
        )
        await send({"type": "http.response.body", "body": prepared.body if full and scope["method"] == "GET" else b""})


_READ = frozenset((b"accept-language", b"if-none-match", b"accept-encoding"))
"""The request headers the fast path reads."""


def _asked(query: bytes) -> dict[str, str]:
    """The values of `lang` and `contest` in a query string (the last of each, as Starlette's `query_params`
    reads them); absent when not given."""
    if not query:
        return {}
    return {
        name: value
        for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True)
        if name in ("lang", "contest")
    }
