"""The air-gap check in front of the service: every write refused while an outside address answers.

`guard(app, settings, database)` adds `AirGapGuard` when `settings.air_gap` names addresses (see
`saylau.service.airgap`). Reads, logging in and logging out pass; any other POST, PUT, PATCH or DELETE is
answered 409 `air-gap` (JSON under /api/, a short page elsewhere) in the user's language, and the audit log
records who asked for what.
"""

from __future__ import annotations

import html
import json
from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qs

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from saylau.reports.i18n import words
from saylau.service import airgap, users
from saylau.store import Database
from saylau.web.limits import App, Receive, Scope, Send
from saylau.web.public import choose_language
from saylau.web.settings import Settings

OPEN = frozenset({"/api/login", "/api/logout", "/login", "/logout"})
"""Writes that stay open, so that staff can log in and read why entry is refused."""
SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
REFUSED = (
    "Data entry is refused: this server can reach a network outside the commission ({address}). "
    "Disconnect it from every outside network; entry is accepted again as soon as it cannot."
)
BACK = "Back to the protocols"


def guard(app: FastAPI, settings: Settings, database: Database) -> None:
    """Put the air-gap check in front of `app` when the settings ask for one."""
    if settings.air_gap:
        checked = airgap.AirGap(settings.air_gap, timeout=settings.air_gap_timeout, interval=settings.air_gap_interval)
        app.add_middleware(AirGapGuard, air_gap=checked, database=database)


class AirGapGuard:
    """ASGI middleware: refuses writes while `air_gap` reaches an outside address, and records each refusal."""

    def __init__(self, app: App, air_gap: airgap.AirGap, database: Database) -> None:
        self.app, self.air_gap, self.database = app, air_gap, database

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE or scope["path"] in OPEN:
            await self.app(scope, receive, send)
            return
        reached = await run_in_threadpool(self.air_gap.reachable)
        if reached is None:
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers") or []}
        await run_in_threadpool(self._record, scope, headers, reached)
        lang = _language(scope, headers)
        message = words(lang)(REFUSED, address=reached)
        if scope["path"].startswith("/api/"):
            body = json.dumps({"code": "air-gap", "message": message, "field": None}, ensure_ascii=False).encode()
            kind = b"application/json"
        else:
            body = _page(lang, message, words(lang)(BACK)).encode()
            kind = b"text/html; charset=utf-8"
        start = [(b"content-type", kind), (b"content-length", str(len(body)).encode()), (b"cache-control", b"no-store")]
        await send({"type": "http.response.start", "status": 409, "headers": start})
        await send({"type": "http.response.body", "body": body})

    def _record(self, scope: Scope, headers: dict[str, str], reached: str) -> None:
        with self.database.unit_of_work() as connection:
            token = _token(headers)
            found = users.session(connection, token) if token else None
            airgap.record(connection, found.actor if found else None, f"{scope['method']} {scope['path']}", reached)


def _token(headers: dict[str, str]) -> str | None:
    """The session token the request carries (bearer or cookie), only to name who asked in the audit log."""
    authorization = headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        return authorization[7:].strip() or None
    return _cookie(headers, "saylau_session") or None


def _cookie(headers: dict[str, str], name: str) -> str:
    try:
        morsel = SimpleCookie(headers.get("cookie", "")).get(name)
    except CookieError:
        return ""
    return morsel.value if morsel is not None else ""


def _language(scope: Scope, headers: dict[str, str]) -> str:
    """?lang=, else the pages' language cookie, else the browser's languages, else English."""
    asked = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("lang", [""])[-1]
    return choose_language(asked or _cookie(headers, "saylau_lang"), headers.get("accept-language", ""))


def _page(lang: str, message: str, back: str) -> str:
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>saylau</title></head>'
        f'<body style="font-family:sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem">'
        f'<p role="alert" style="border-left:4px solid #b00020;padding:.5rem 1rem">{html.escape(message)}</p>'
        f'<p><a href="/staff">{html.escape(back)}</a></p></body></html>'
    )
