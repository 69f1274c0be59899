"""The observers' API (docs/forensics.md, "In the service"): the official figures as an observers' file, and
the comparison of an uploaded one with them. Thin routes over `saylau.service.observers`.

    GET  /api/observer/official        every accepted protocol as CSV, in the columns of observers.csv
    POST /api/observer/compare         an observers.csv in the body (text/csv, UTF-8): stored as it came, and
                                       answered with the comparison as JSON (`saylau observe --format json`,
                                       plus `upload`: its id, observer, time, SHA-256), or `?format=html&lang=kk`
                                       a page
    GET  /api/observer/copies          the uploads the caller may see (an observer their own; a coordinator or
                                       administrator every one), each with its comparison's counts
    GET  /api/observer/copies/{upload} one upload compared with the accepted protocols as they are now (JSON,
                                       or `?format=html&lang=kk`); 404 for another observer's
    GET  /staff/observer               the same for a browser: a form to paste or choose an observers' file,
                                       and the caller's uploads (every one for a coordinator), each linked
    POST /staff/observer               (with the session's CSRF token), stored and answered with the comparison
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import Connection

from saylau.errors import Count, InputError, Problem, worded
from saylau.io.observers import FILE
from saylau.io.protocols import COLUMNS, VOTE
from saylau.reports.i18n import normalise, words
from saylau.reports.observers import observers_json, observers_sheet
from saylau.reports.problems import problem_line
from saylau.reports.safe import csv_cell
from saylau.reports.sheet import render_sheet_html
from saylau.service import observers, users
from saylau.web import assets
from saylau.web.bounds import PathNumber
from saylau.web.context import ContextDep
from saylau.web.limits import MAX_BODY
from saylau.web.pages import CsrfField, _guarded, _lang

router = APIRouter(prefix="/api/observer")
pages = APIRouter(include_in_schema=False)
PAGE = "/staff/observer"
_ENV = Environment(loader=PackageLoader("saylau.web", "templates"), autoescape=select_autoescape(default=True))
_ENV.globals["static"] = assets.url  # fingerprinted /static/ addresses, cached for a year


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
    """Store the observers' file in the body and compare it with the accepted protocols (a bad file is refused
    and nothing is stored)."""
    language = normalise(lang)
    body = await request.body()
    with context.unit_of_work() as connection:
        actor = observers.may_compare(context.user(connection))
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise InputError([_not_utf8(error)]) from None
        done = observers.upload(connection, actor, text)
    return _answer(done, fmt, language)


@router.get("/copies")
def copies(context: ContextDep) -> dict[str, Any]:
    """The uploads the caller may see, oldest first, each with its comparison's counts as the count is now."""
    with context.unit_of_work() as connection:
        found = observers.uploads(connection, context.user(connection))
    return {"uploads": [_upload(u) | _counts(u) for u in found]}


@router.get(
    "/copies/{upload}",
    response_class=Response,
    responses={200: {"content": {"application/json": {}, "text/html": {}}}},
)
def one_copy(
    upload: PathNumber,
    context: ContextDep,
    fmt: Annotated[Literal["json", "html"], Query(alias="format")] = "json",
    lang: Annotated[str, Query(max_length=16)] = "en",
) -> Response:
    """One upload compared with the accepted protocols as they are now."""
    language = normalise(lang)
    with context.unit_of_work() as connection:
        done = observers.one_upload(connection, context.user(connection), upload)
    return _answer(done, fmt, language)


def _not_utf8(error: UnicodeDecodeError) -> Problem:
    return worded("is not UTF-8 text (byte {byte})", FILE, byte=Count(error.start + 1))


def _upload(done: observers.Upload) -> dict[str, Any]:
    s = done.stored
    return {"id": s.id, "contest": s.contest, "observer": s.observer, "at": s.at, "rows": s.rows, "sha256": s.sha256}


def _counts(done: observers.Upload) -> dict[str, Any]:
    c = done.check
    return {"copies": c.copies, "matching": c.matching, "differences": len(c.differences)}


def _answer(done: observers.Upload, fmt: str, lang: str) -> Response:
    if fmt == "html":
        return Response(render_sheet_html(observers_sheet(done.check, lang)), media_type="text/html; charset=utf-8")
    body = observers_json(done.check) | {"upload": _upload(done)}
    return Response(json.dumps(body, ensure_ascii=False), media_type="application/json")


def _form(
    lang: str,
    csrf: str,
    copies: str = "",
    problems: Sequence[str] = (),
    status: int = 200,
    uploads: Sequence[observers.Upload] = (),
) -> HTMLResponse:
    html = _ENV.get_template("observer.html.j2").render(
        _=words(lang), lang=lang, csrf=csrf, copies=copies, problems=list(problems), uploads=list(uploads)
    )
    return HTMLResponse(html, status_code=status)


@pages.get(PAGE)
def observer_page(context: ContextDep) -> Response:
    """The form: paste or choose an observers' file; a link to the accepted protocols as CSV."""
    lang = normalise(_lang(context.request))

    def act(connection: Connection, session: users.Session) -> Response:
        observers.may_compare(session.actor)
        return _form(lang, session.csrf, uploads=observers.uploads(connection, session.actor))

    return _guarded(context, None, act)


@pages.post(PAGE)
async def observer_compare(
    context: ContextDep,
    copies: Annotated[str, Form(max_length=MAX_BODY)] = "",
    file: UploadFile | None = None,
    csrf: CsrfField = "",
) -> Response:
    """The pasted (or chosen) file stored and its comparison as a page; a bad file shows the form with its
    problems (nothing stored)."""
    lang = normalise(_lang(context.request))
    chosen = await file.read() if file is not None else b""

    def act(connection: Connection, session: users.Session) -> Response:
        observers.may_compare(session.actor)
        try:
            text = chosen.decode("utf-8-sig") if chosen else copies
            check = observers.upload(connection, session.actor, text).check
        except UnicodeDecodeError as error:
            return _form(lang, session.csrf, copies, [problem_line(_not_utf8(error), lang)], 422)
        except InputError as error:  # the file's problems in the page's language
            return _form(lang, session.csrf, copies, [problem_line(p, lang) for p in error.problems], 422)
        return HTMLResponse(render_sheet_html(observers_sheet(check, lang)))

    return _guarded(context, csrf, act)
