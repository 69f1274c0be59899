"""The headers every answer carries, the public fast path's included (the outermost middleware).

- `Content-Security-Policy`: scripts only from the service's own files (no inline script anywhere), no
  plug-ins, no `<base>`, forms post only to the service, and no page may frame it (`frame-ancestors`);
  inline `style` attributes stay allowed (the bars of the progress tables are widths).
- `X-Frame-Options: DENY` for browsers that predate `frame-ancestors`; `Referrer-Policy: no-referrer`, so no
  address of the service (a protocol, a filter) leaves with a link; `X-Content-Type-Options: nosniff`.
- Behind TLS (`https`, as uvicorn reads it from the proxy's `X-Forwarded-Proto`): `Strict-Transport-Security`.
"""

from __future__ import annotations

from saylau.web.limits import App, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
COMMON: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
)
TLS = ((b"strict-transport-security", b"max-age=31536000"),)


class SecurityHeaders:
    """ASGI middleware: adds `COMMON` (and `TLS` over https) to every response's headers."""

    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = COMMON + TLS if scope.get("scheme") == "https" else COMMON

        async def framed(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *extra]
            await send(message)

        await self.app(scope, receive, framed)
