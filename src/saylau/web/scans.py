"""Scans and photos of paper protocols over HTTP: upload (`POST /api/protocols/{station}/{ballot}/scans`, the
file as the request's body), list a station's (`GET /api/stations/{station}/scans`), read one
(`GET /api/scans/{id}`), and the staff page that uploads and shows them (`/staff/station/{station}/scans`).
Every door calls `saylau.service.scans`.

A scan is answered with the media type its magic bytes gave (JPEG, PNG or PDF, never one a browser runs),
`X-Content-Type-Options: nosniff`, a sandboxing Content-Security-Policy, and as an attachment when a PDF.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Connection

from saylau.service import scans, users
from saylau.service.definition import contest_ids, kinds
from saylau.service.definition import current as definition_of
from saylau.service.permissions import Permission, can
from saylau.store.scans import Scan
from saylau.web.api import Contest
from saylau.web.bounds import PathNumber
from saylau.web.context import ContextDep
from saylau.web.labels import words
from saylau.web.pages import _back, _contest, _guarded, _lang, _page, contest_name

api = APIRouter(prefix="/api")
pages = APIRouter(include_in_schema=False)


def _json(scan: Scan) -> dict[str, Any]:
    return {**asdict(scan), "href": f"/api/scans/{scan.id}"}


@api.post(
    "/protocols/{station}/{ballot}/scans",
    status_code=201,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                kind: {"schema": {"type": "string", "format": "binary"}}
                for kind in ("image/jpeg", "image/png", "application/pdf")
            },
        }
    },
)
async def upload_scan(
    station: PathNumber, ballot: str, request: Request, context: ContextDep, contest: Contest = None
) -> dict[str, Any]:
    """Keep a scan or photo of a station's paper protocol (the body: a JPEG, PNG or PDF file, at most 8 MiB)."""
    body = await request.body()
    with context.unit_of_work() as connection:
        made = scans.upload(connection, context.user(connection), station, ballot, body, contest)
    return _json(made)


@api.get("/stations/{station}/scans")
def station_scans(station: PathNumber, context: ContextDep, contest: Contest = None) -> list[dict[str, Any]]:
    """A station's scans (staff who may read its protocols' states)."""
    with context.unit_of_work() as connection:
        return [_json(s) for s in scans.of_station(connection, context.user(connection), station, contest)]


@api.get(
    "/scans/{scan_id}",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}, "image/png": {}, "application/pdf": {}}}},
)
def read_scan(scan_id: PathNumber, context: ContextDep) -> Response:
    """One scan's bytes, as the type its magic bytes gave."""
    with context.unit_of_work() as connection:
        scan, body = scans.read(connection, context.user(connection), scan_id)
    name = f"station-{scan.station}-{scan.contest}-{scan.ballot}-{scan.id}.{scans.extension(scan.media)}"
    disposition = "attachment" if scan.media == "application/pdf" else "inline"
    return Response(
        body,
        media_type=scan.media,
        headers={
            "content-disposition": f'{disposition}; filename="{name}"',
            "content-security-policy": "sandbox; default-src 'none'",
            "cache-control": "private, max-age=0",
            "x-sha256": scan.sha256,
        },
    )


def _protocols(connection: Connection, station: int, lang: str) -> list[tuple[str, str]]:
    """The station's protocols a scan may be of: (`contest:ballot`, its label), every contest it counts."""
    out = []
    names = words(lang)
    several = len(contest_ids(connection)) > 1
    for contest in contest_ids(connection):
        found = definition_of(connection, contest)
        if station in found.station_by_number:
            name = contest_name(connection, contest, lang) + " · " if several else ""
            out += [(f"{contest}:{ballot}", name + names.get(ballot, ballot)) for ballot in kinds(found)]
    return out


@pages.get("/staff/station/{station}/scans", response_class=HTMLResponse)
def scans_page(station: PathNumber, context: ContextDep) -> Response:
    """The station's scans (of one contest with `?contest=`, else of every contest) and the upload form."""
    contest = _contest(context.request)

    def act(connection: Connection, session: users.Session) -> Response:
        found = scans.of_station(connection, session.actor, station, contest)
        return _page(
            context,
            "scans.html.j2",
            session,
            200,
            connection,
            station=station,
            scans=found,
            protocols=_protocols(connection, station, _lang(context.request)),
            action=f"/staff/station/{station}/scans",
            can_upload=can(session.actor, Permission.ENTER) or can(session.actor, Permission.REOPEN),
        )

    return _guarded(context, None, act)


@pages.post("/staff/station/{station}/scans")
async def scans_submit(
    station: PathNumber,
    context: ContextDep,
    file: UploadFile,
    protocol: Annotated[str, Form(max_length=80, pattern=r"^[a-z0-9][a-z0-9_-]*:[a-z]+$")],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Upload a scan from the staff page; a refusal is shown with its reason, and nothing is stored."""
    body = await file.read(scans.MAX_BYTES + 1)
    contest, ballot = protocol.split(":")

    def act(connection: Connection, session: users.Session) -> Response:
        made = scans.upload(connection, session.actor, station, ballot, body, contest)
        return _back(f"/staff/station/{station}/scans", f"SHA-256 {made.sha256}")

    return _guarded(context, csrf, act)
