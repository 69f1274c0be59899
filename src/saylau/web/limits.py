"""Refuse oversized and deeply nested request bodies, and text no database stores, before any route sees them.

A body over `MAX_BODY` bytes is refused with 413 `too-large` as soon as its Content-Length (or, for a
chunked body, the bytes read so far) says so; a JSON body nested deeper than `MAX_DEPTH` is refused with
422 `too-deep` before the JSON parser (which recurses, and would fail with an error the API never answers
with) sees it. The largest legitimate body, a party list of 1,000 candidates, is well under 1 MiB and
nests 4 levels deep.

Text with a NUL or a lone surrogate (PostgreSQL stores neither, and SQLite's driver cannot encode the
second) is refused with 422 `invalid-text` naming where it is: the path, a query parameter, a form field
or the JSON path of a body's string, in the caller's language (`saylau.web.bounds`). This holds for every
route, including those added later.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl

from saylau.errors import Count, Phrase
from saylau.reports.problems import said
from saylau.web.bounds import localized, refuse_text, text_problem, texts
from saylau.web.public import choose_language

MAX_BODY = 1024 * 1024
UPLOAD_BODY = 8 * 1024 * 1024 + 64 * 1024
"""The body of a scan's upload (saylau.web.scans): the scan (service.scans.MAX_BYTES) and a form's framing."""
_UPLOADS = re.compile(r"^/(api/protocols/\d+/[a-z]+/scans|staff/station/\d+/scans)$")
MAX_DEPTH = 32

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyLimits:
    """ASGI middleware: reads the body (at most MAX_BODY bytes), checks its nesting, then hands it on."""

    def __init__(self, app: App, max_body: int = MAX_BODY, max_depth: int = MAX_DEPTH) -> None:
        self.app, self.max_body, self.max_depth = app, max_body, max_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        raw = scope.get("query_string", b"")
        query = parse_qsl(raw.decode("latin-1"), keep_blank_values=True) if _may_hold_bad(raw) else ()
        bad = _bad_text([("path", scope.get("path", ""))]) or _bad_text(query)
        if bad is not None:
            await _refuse_text(send, scope, headers, *bad)
            return
        if scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        upload = _UPLOADS.match(scope.get("path", "")) is not None  # a scan: larger, and binary
        limit = UPLOAD_BODY if upload else self.max_body
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _refuse(send, 413, "too-large", _said(TOO_LARGE, scope, headers, limit=Count(limit)))
            return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _refuse(send, 413, "too-large", _said(TOO_LARGE, scope, headers, limit=Count(limit)))
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        kind = headers.get(b"content-type", b"")
        if b"json" in kind and _deeper(body, self.max_depth):
            await _refuse(send, 422, "too-deep", _said(TOO_DEEP, scope, headers, levels=self.max_depth))
            return
        if b"json" in kind and not upload:
            decoded = _decoded(body)
            if decoded is not _NOT_JSON:
                scope[JSON] = decoded  # parsed once: the entry fast path (saylau.web.entry_path) reads it here
            bad = None if decoded is _NOT_JSON or not _json_may_hold_bad(body) else _bad_text(texts(decoded))
        else:
            bad = None if upload else _body_text(kind, body)
        if bad is not None:
            await _refuse_text(send, scope, headers, *bad)
            return
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


def depth(body: bytes) -> int:
    """The deepest nesting of brackets and braces outside JSON strings (linear, never recursive)."""
    deepest = level = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            level += 1
            deepest = max(deepest, level)
        elif byte in (0x5D, 0x7D):  # ] }
            level -= 1
    return deepest


def _deeper(body: bytes, levels: int) -> bool:
    """Whether a JSON body nests deeper than `levels`: walked (`depth`) only when it opens more brackets and
    braces than that at all, which an entry (two levels, a handful of brackets) never does."""
    return body.count(b"[") + body.count(b"{") > levels and depth(body) > levels


_NOT_JSON = object()
JSON = "saylau.json"
"""The key of the scope under which `BodyLimits` leaves a JSON body it decoded (absent: none decoded)."""


def _decoded(body: bytes) -> Any:
    """The body's JSON value, or `_NOT_JSON` (not JSON, or not UTF-8: the route's own parser refuses it)."""
    try:
        return json.loads(body)
    except ValueError:
        return _NOT_JSON


def _may_hold_bad(query: bytes) -> bool:
    """Whether a raw query string can decode to text with a NUL (a raw one, or `%00`): `parse_qsl` decodes it as
    Latin-1 and its escapes as UTF-8 with replacement, so it never yields a lone surrogate. Where this is false
    the query is not parsed here at all (an entry's `?contest=majilis`)."""
    return b"%" in query or b"\x00" in query


def _json_may_hold_bad(body: bytes) -> bool:
    """Whether a JSON body that `json.loads` decoded can hold a string with a NUL or a lone surrogate; where this
    is false its strings are not walked (`texts`: a Python step per string and per character, on every entry).

    `json.loads` refuses a raw control character inside a string, so a NUL comes only from a `\\u` escape; it
    decodes bytes as UTF-8 (or UTF-8 with a BOM) unless they begin with a UTF-16 byte order mark or hold a zero
    byte, and with `surrogatepass`, so a raw lone surrogate is three bytes beginning 0xED (as are U+D000 to
    U+D7FF, which only send the body on to the walk). A body with no zero byte, no such BOM, no 0xED and no
    `\\u` holds neither."""
    utf16 = body.startswith((codecs.BOM_UTF16_BE, codecs.BOM_UTF16_LE))
    return utf16 or b"\\u" in body or b"\xed" in body or b"\x00" in body


def _bad_text(pairs: Iterable[tuple[str, str]]) -> tuple[str, str] | None:
    """The first (field, character) of `pairs` whose value or name holds a character no database stores."""
    for field, value in pairs:
        char = text_problem(value) or text_problem(field)
        if char is not None:
            return field, char
    return None


def _body_text(kind: bytes, body: bytes) -> tuple[str, str] | None:
    """Where a form's or a multipart body's text holds a character no database stores (None: nowhere, or not
    a body we read); a JSON body's is read from its decoded value."""
    if b"x-www-form-urlencoded" in kind:
        return _bad_text(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    if b"multipart/" in kind and b"\x00" in body:
        return "body", "U+0000"
    return None


TOO_LARGE = "a request body has at most {limit} bytes"
TOO_DEEP = "JSON nested more than {levels} levels deep"
"""The body's refusals (msgids of the catalogues), in the caller's language."""


def _language(scope: Scope, headers: dict[bytes, bytes]) -> str:
    """`?lang=`, else the caller's Accept-Language, else English."""
    query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
    return choose_language(query.get("lang", ""), headers.get(b"accept-language", b"").decode("latin-1"))


def _said(template: str, scope: Scope, headers: dict[bytes, bytes], **values: object) -> str:
    return said(Phrase(template, None, **values), _language(scope, headers))


async def _refuse_text(send: Send, scope: Scope, headers: dict[bytes, bytes], field: str, char: str) -> None:
    lang = _language(scope, headers)
    shown = field.encode("unicode_escape").decode("ascii")
    refusal = refuse_text(shown, char)
    await _refuse(send, 422, refusal.code, localized(refusal, lang), shown)


async def _refuse(send: Send, status: int, code: str, message: str, field: str | None = None) -> None:
    body = json.dumps({"code": code, "message": message, "field": field}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
