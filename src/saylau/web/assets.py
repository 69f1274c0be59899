"""The service's own style sheets and scripts (`/static/`): fingerprinted addresses cached for a year, plain
addresses asked again each time.

Every page names a file by an address that carries its content's SHA-256 (`url("public.css")` ->
`/static/public.3f2a1b9c0d4e.css`): those bytes never change under that address, so a browser, a proxy or a CDN
keeps them for a year (`Cache-Control: public, max-age=31536000, immutable`) and a reader of the live page, who
polls its fragment every few seconds, never asks for them again; a new release of saylau gives a changed file
a new address. The plain address (`/static/public.css`) and a fingerprint that is not the file's (a page cached
before an upgrade) still serve the current file, with `Cache-Control: no-cache`: stored, but revalidated each
time by its ETag (a 304 while it is the same).
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

STATIC = Path(__file__).parent / "static"

IMMUTABLE = "public, max-age=31536000, immutable"
"""A fingerprinted address: its bytes never change."""

REVALIDATE = "no-cache"
"""A plain address: the file may change with a release, so a cache asks again (by its ETag) every time."""

_FINGERPRINTED = re.compile(r"^(?P<stem>[^/]+)\.(?P<print>[0-9a-f]{12})(?P<suffix>\.[a-z]+)$")


@cache
def fingerprints() -> dict[str, str]:
    """Each static file's name -> the first 12 hex digits of its SHA-256 (read once: package data does not
    change under a running service)."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        for path in sorted(STATIC.iterdir())
        if path.is_file()
    }


def url(name: str) -> str:
    """The fingerprinted address of static file `name` (templates: `{{ static("public.css") }}`)."""
    stem, dot, suffix = name.rpartition(".")
    return f"/static/{stem}.{fingerprints()[name]}{dot}{suffix}"


def unfingerprinted(path: str) -> tuple[str, bool]:
    """The file an address under `/static/` names, and whether the address carries that file's fingerprint."""
    found = _FINGERPRINTED.match(path)
    if found is None:
        return path, False
    name = found["stem"] + found["suffix"]
    known = fingerprints().get(name)
    if known is None:
        return path, False
    return name, known == found["print"]


class Assets(StaticFiles):
    """`/static/`: the files of `STATIC`, by plain or fingerprinted name, each with its caching rule."""

    def __init__(self) -> None:
        super().__init__(directory=STATIC)

    async def get_response(self, path: str, scope: Scope) -> Response:
        name, fingerprinted = unfingerprinted(path)
        response = await super().get_response(name, scope)
        response.headers["cache-control"] = IMMUTABLE if fingerprinted else REVALIDATE
        return response
