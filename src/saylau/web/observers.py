"""The observers' API (docs/forensics.md, "In the service"): the official figures as an observers' file, and
the comparison of an uploaded one with them. Thin routes over `saylau.service.observers`.

    GET  /api/observer/official        every accepted protocol as CSV, in the columns of observers.csv
    POST /api/observer/compare         an observers.csv in the body (text/csv, UTF-8): the comparison as
                                       JSON (`saylau observe --format json`), or `?format=html&lang=kk` a page
    GET  /staff/observer               the same for a browser: a form to paste or choose an observers' file
    POST /staff/observer               (with the session's CSRF token), answered with the comparison's page
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import Connection

from saylau.errors import InputError, Problem
from saylau.io.observers import FILE, observer_copies_from_text
from saylau.io.protocols import COLUMNS, VOTE
from saylau.reports.i18n import normalise, words
from saylau.reports.observers import observers_json, observers_sheet
from saylau.reports.safe import csv_cell
from saylau.reports.sheet import render_sheet_html
from saylau.service import observers, users
from saylau.web.context import ContextDep
from saylau.web.limits import MAX_BODY
from saylau.web.pages import CsrfField, _guarded, _lang

router = APIRouter(prefix="/api/observer")
pages = APIRouter(include_in_schema=False)
PAGE = "/staff/observer"
_ENV = Environment(loader=PackageLoader("saylau.web", "templates"), autoescape=select_autoescape(default=True))


@router.get("/official", response_class=Response, responses={200: {"content": {"text/csv": {}}}})
def official(context: ContextDep) -> Response:
    """Every accepted protocol as CSV, in the columns of an observers' file (to copy from, or compare with)."""
    with context.unit_of_work() as connection:
        protocols = observers.official(connection, context.user(connection))
    options = sorted({o for p in protocols for o in p.votes})
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*COLUMNS, *(f"{VOTE}{o}" for o in options)])
    for p in protocols:
        lines = [p.station, p.district, p.ballot, *(p.figure(name) for name in COLUMNS[3:])]
        writer.writerow([*lines, *(csv_cell("" if o not in p.votes else str(p.votes[o])) for o in options)])
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8")


@router.post(
    "/compare", response_class=Response, responses={200: {"content": {"application/json": {}, "text/html": {}}}}
)
async def compare(
    request: Request,
    context: ContextDep,
    fmt: Annotated[Literal["json", "html"], Query(alias="format")] = "json",
    lang: Annotated[str, Query(max_length=16)] = "en",
) -> Response:
    """Compare the observers' file in the body with the accepted protocols; nothing is stored."""
    language = normalise(lang)
    body = await request.body()
    with context.unit_of_work() as connection:
        actor = observers.may_compare(context.user(connection))
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise InputError([Problem(f"is not UTF-8 text (byte {error.start + 1:,})", FILE)]) from None
        check = observers.check_copies(connection, actor, observer_copies_from_text(text))
    if fmt == "html":
        return Response(render_sheet_html(observers_sheet(check, language)), media_type="text/html; charset=utf-8")
    return Response(json.dumps(observers_json(check), ensure_ascii=False), media_type="application/json")


def _form(lang: str, csrf: str, copies: str = "", problems: Sequence[str] = (), status: int = 200) -> HTMLResponse:
    html = _ENV.get_template("observer.html.j2").render(
        _=words(lang), lang=lang, csrf=csrf, copies=copies, problems=list(problems)
    )
    return HTMLResponse(html, status_code=status)


@pages.get(PAGE)
def observer_page(context: ContextDep) -> Response:
    """The form: paste or choose an observers' file; a link to the accepted protocols as CSV."""
    lang = normalise(_lang(context.request))

    def act(connection: Connection, session: users.Session) -> Response:
        observers.may_compare(session.actor)
        return _form(lang, session.csrf)

    return _guarded(context, None, act)


@pages.post(PAGE)
async def observer_compare(
    context: ContextDep,
    copies: Annotated[str, Form(max_length=MAX_BODY)] = "",
    file: UploadFile | None = None,
    csrf: CsrfField = "",
) -> Response:
    """The comparison of the pasted (or chosen) file as a page; a bad file shows the form with its problems."""
    lang = normalise(_lang(context.request))
    chosen = await file.read() if file is not None else b""

    def act(connection: Connection, session: users.Session) -> Response:
        observers.may_compare(session.actor)
        try:
            text = chosen.decode("utf-8-sig") if chosen else copies
            check = observers.check_copies(connection, session.actor, observer_copies_from_text(text))
        except UnicodeDecodeError as error:
            return _form(lang, session.csrf, copies, [f"{FILE}: is not UTF-8 text (byte {error.start + 1:,})"], 422)
        except InputError as error:
            return _form(lang, session.csrf, copies, [str(p) for p in error.problems], 422)
        return HTMLResponse(render_sheet_html(observers_sheet(check, lang)))

    return _guarded(context, csrf, act)
