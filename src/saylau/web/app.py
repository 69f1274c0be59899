"""The FastAPI application: start-up (database, migrations, definition, first administrator) and errors."""

from __future__ import annotations

import gc
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from html import escape

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from saylau.errors import InputError, Phrase, Problem, SaylauError, one_line
from saylau.reports.i18n import translator
from saylau.reports.problems import error_lines
from saylau.service import definition, tallies, users
from saylau.service.errors import BlockingErrors, ServiceError, TooManyAttempts
from saylau.service.states import TransitionRefused
from saylau.store import Database, open_database
from saylau.web.assets import Assets
from saylau.web.bounds import localized, request_language, validation_message
from saylau.web.entry_path import EntryFastPath
from saylau.web.fast_path import PublicFastPath
from saylau.web.headers import SecurityHeaders
from saylau.web.labels import CHECK_CODE, words
from saylau.web.limits import BodyLimits
from saylau.web.openapi import document
from saylau.web.settings import Settings
from saylau.web.snapshot import DaySnapshots


def prepare(settings: Settings) -> tuple[Database, str | None]:
    """Open (and migrate) the database, import or compare the election, ensure an administrator.

    Returns the database and the administrator's generated password, when one was generated (print it
    once). A folder whose definition differs from the stored one is refused, naming what differs.
    """
    database = open_database(settings.url)
    try:
        with database.unit_of_work() as connection:
            if settings.folder is not None:
                differs = definition.install(connection, definition.read_source(settings.folder))
                if differs:
                    said = [Phrase("differs from the stored definition: {line}", line=line) for line in differs]
                    raise InputError([Problem(line, code="definition") for line in said])
            generated = users.ensure_admin(connection, settings.admin_password)
    except BaseException:
        database.close()
        raise
    return database, generated


SETTINGS_VARIABLE = "SAYLAU_SERVE_SETTINGS"
"""How `saylau serve --workers N` hands its settings to each worker process (JSON of `Settings`)."""


def from_environment() -> FastAPI:
    """The app of one worker of `saylau serve --workers N`: the database was prepared by the parent process."""
    settings = Settings.model_validate_json(os.environ[SETTINGS_VARIABLE])
    database = open_database(settings.url, migrate=False)
    made = create_app(settings, database)
    settle(database)
    return made


def settle(database: Database) -> None:
    """Before serving: load every contest's definition and the running tallies' view of the commission tree
    (`warm`), then set the garbage collector for serving (`collect_for_serving`)."""
    warm(database)
    collect_for_serving()


def warm(database: Database) -> None:
    """Load every contest's definition and the running tallies' view of the commission tree, so that no
    request waits for them."""
    with database.unit_of_work() as connection:
        for contest in definition.contest_ids(connection):  # every contest of the day (it refused a day of several)
            definition.current(connection, contest)
        tallies.prepare(connection)  # else the first protocol accepted waits for it (a second at 10,000 stations)


YOUNG_COLLECTION = 5_000
"""Container objects allocated (less those freed) between two collections of the youngest generation while
serving; Python's default is 700.

Why: with entries in flight, each of them holds objects for tens of milliseconds (its request, its task, its
place in the writers' queue), and at 700 the collector ran about 85 times a second on a paced night, found
most of those objects still alive, moved them to the older generations and so made those collections come
often and cost more (up to 30-36 ms each at 10,146 stations, every request in flight waiting): 0.87 s of the
server's 16 s in the collector. At 5,000 the objects of an answered entry are mostly freed (by their
reference counts) before a collection looks at them: 0.23 s in 16 s, each collection a few milliseconds, the
older generations all but never (benchmarks/election_day.py `--rate 80%`, docs/service.md, "What runs in the
entering process")."""


def collect_for_serving() -> None:
    """Exempt everything alive from garbage collection and collect the young less often (`YOUNG_COLLECTION`).

    A full collection walks every object alive; in a server holding the definition, the app and its
    libraries that took about 80 ms, and every request in flight waited for it (the p99 of the entry
    benchmark). What exists before serving lives as long as the process, so `gc.freeze()` sets it aside.
    """
    gc.freeze()
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION, middle, old)


def create_app(settings: Settings, database: Database) -> FastAPI:
    """The app over `database` (already prepared)."""
    from saylau.web import (
        airgap,
        api,
        audit_page,
        decisions,
        district_pages,
        downloads,
        observers,
        pages,
        public,
        registration_pages,
        scans,
        statistics,
        transfer,
    )

    snapshots = DaySnapshots(database)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        snapshots.close()

    app = FastAPI(
        lifespan=lifespan,
        title="saylau results service",
        version="1",
        docs_url=None,
        redoc_url=None,
        description="Double data entry of polling-station protocols, certification and results bundles.",
    )
    app.state.database = database
    app.state.settings = settings
    app.state.snapshots = snapshots
    if not settings.public_only:
        app.include_router(api.router)
        app.include_router(downloads.router)  # issue 23: the protocol PDF, named with contest, status, time
        app.include_router(decisions.api)
        app.include_router(transfer.api)
        app.include_router(scans.api)  # issue 26: scans of the paper protocols
        app.include_router(observers.router)  # issue 28: observers read the count and compare their copies
        app.include_router(observers.pages)
    app.include_router(statistics.router)  # issue 28: the public statistics page
    app.include_router(public.router)  # `/` is the public results page (issue 10); staff pages elsewhere
    if not settings.public_only:
        app.include_router(pages.router)
        app.include_router(registration_pages.router)
        app.include_router(audit_page.router)
        app.include_router(decisions.pages)
        app.include_router(transfer.pages)
        app.include_router(district_pages.pages)  # issue 22: the district commission certifies on a page
        app.include_router(scans.pages)
    app.mount("/static", Assets(), name="static")  # fingerprinted addresses cached for a year (web.assets)
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(TransitionRefused, _transition_refused)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(SaylauError, _saylau_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    if not settings.public_only:  # innermost: the entries of programs skip the router (the checks above stay)
        app.add_middleware(EntryFastPath, database=database, handlers=app.exception_handlers)
    airgap.guard(app, settings, database)  # issue 29: no writes while an outside address answers
    app.add_middleware(BodyLimits)
    app.add_middleware(PublicFastPath, snapshots=snapshots)  # the public reads skip the rest
    app.add_middleware(SecurityHeaders)  # outermost: every answer, the fast path's too
    app.openapi = lambda: document(app)  # type: ignore[method-assign]
    return app


def error_body(code: str, message: str, field: str | None) -> dict[str, object]:
    """The one shape of every error the API answers with; a name's line break or bidi control is escaped."""
    return {"code": code, "message": one_line(message), "field": None if field is None else one_line(field)}


async def _service_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ServiceError)
    lang = request_language(request)
    body = error_body(error.code, localized(error, lang), error.field)
    if isinstance(error, BlockingErrors):
        said = words(lang)  # a check's words by its code (P001); other lines keep the wording they came with
        lines = [
            error_body(e.code, said[e.code] if CHECK_CODE.match(e.code) and e.code in said else e.message, e.field)
            for e in error.errors
        ]
        body["errors"] = lines
        body["message"] = f"{lines[0]['code']}: {lines[0]['message']}"
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, TooManyAttempts) else None
    return JSONResponse(body, status_code=error.status, headers=headers)


async def _transition_refused(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, TransitionRefused)
    return JSONResponse(
        error_body(error.code, localized(error, request_language(request)), error.field), status_code=409
    )


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    """A request the route's types refuse: 422 naming the field (JSON path), in the caller's language."""
    assert isinstance(error, RequestValidationError)
    first = error.errors()[0] if error.errors() else {"loc": (), "msg": "invalid request", "type": "invalid"}
    field, message = validation_message(first, request_language(request))
    return JSONResponse(error_body("invalid", message, field), status_code=422)


async def _http_error(request: Request, error: Exception) -> Response:
    """The router's own refusals (no such path, method not allowed) in the API's one error shape."""
    assert isinstance(error, StarletteHTTPException)
    said = translator(request_language(request))(str(error.detail))
    if not request.url.path.startswith("/api/"):
        if error.status_code not in (404, 405):
            return await http_exception_handler(request, error)
        lang = request_language(request)
        head = f'<!doctype html><html lang="{lang}"><meta charset="utf-8"><title>{error.status_code}</title>'
        page = f"{head}<p>{escape(said)}</p>"
        return HTMLResponse(page, status_code=error.status_code, headers=error.headers)
    codes = {404: "not-found", 405: "method-not-allowed"}
    body = error_body(codes.get(error.status_code, "refused"), said, None)
    return JSONResponse(body, status_code=error.status_code, headers=error.headers)


async def _saylau_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, SaylauError)
    field = error.problems[0].field if isinstance(error, InputError) and error.problems else None
    said = "\n".join(error_lines(error, request_language(request)))  # each problem, each rule's words in kk/ru
    return JSONResponse(error_body(error.code, said, field), status_code=422)
