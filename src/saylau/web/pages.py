"""The HTML pages: log in, the protocol list, the entry form, the coordinator's side-by-side page, users.

Every page calls the same service functions as the API; a refusal is shown on the page (with the code and
the line it concerns) and never answered with a traceback. Forms carry the session's CSRF token; the login
form, which comes before any session, a double-submit token of its own.
"""

from __future__ import annotations

import hmac
import math
import re
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode, urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Connection
from starlette.routing import Match

from saylau.composition.deputies import unrecorded
from saylau.domain.election import localised
from saylau.errors import one_line
from saylau.reports.checks import detail, for_clerk
from saylau.reports.day import commission_name
from saylau.reports.i18n import translator
from saylau.reports.problems import said
from saylau.service import definition, protocols, results, users
from saylau.service.errors import (
    BlockingErrors,
    Conflict,
    Forbidden,
    Invalid,
    LineError,
    ServiceError,
    Unauthenticated,
)
from saylau.service.permissions import Permission, Role, can
from saylau.service.states import RESOLUTIONS, Action, EntryState, TransitionRefused
from saylau.tabulation import FIGURES
from saylau.web import assets, clock
from saylau.web.bounds import PathNumber, localized, query_number, say
from saylau.web.context import COOKIE, Context, ContextDep, client_address, set_cookie
from saylau.web.labels import CHECK_CODE, LANGUAGES, language, words
from saylau.web.typed import typed_figures, typed_warnings

router = APIRouter(include_in_schema=False)
_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=select_autoescape(default=True)
)
_templates.globals["static"] = assets.url  # fingerprinted /static/ addresses, cached for a year
_templates.globals["local"] = clock.local  # a stored UTC time in the commission's time zone
LOGIN_CSRF = "saylau_login_csrf"
LANG = "saylau_lang"
HAD_SESSION = "saylau_had_session"
"""Set at login for `HAD_SESSION_FOR` seconds and deleted at logout: a request without the session cookie that
still carries it had a session that is gone (the browser restarted, its session cookies cleared), and the
login page says that the session ended (issue 23)."""
HAD_SESSION_FOR = 7 * 24 * 3600

CsrfField = Annotated[str, Form()]


def _lang(request: Request) -> str:
    return language(request.query_params.get("lang") or request.cookies.get(LANG))


CONTEST = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def _contest(request: Request) -> str | None:
    """The contest a staff page is about (`?contest=ID`); None: the day's only contest, or the whole day."""
    found = request.query_params.get("contest") or ""
    return found if CONTEST.match(found) else None


def _named(connection: Connection, contest: str | None, lang: str) -> tuple[str, list[dict[str, str]]]:
    """The name a page shows (the contest's, or the day's when it has several and none is named), and the
    day's contests (id, name in the page's language) when there are several."""
    day = definition.day(connection)
    several = [{"id": c.id, "name": contest_name(connection, c.id, lang)} for c in day.contests]
    if len(several) > 1 and contest is None:
        return day.name, several
    return contest_name(connection, contest, lang), several if len(several) > 1 else []


def contest_name(connection: Connection, contest: str | None, lang: str) -> str:
    """A contest's name in the page's language (its election.toml's `name_kk`, `name_ru`), else its name."""
    election = definition.current(connection, contest).election
    return localised(election.names, lang, election.name)


def _page(
    context: Context,
    name: str,
    session: users.Session | None,
    status_code: int = 200,
    connection: Connection | None = None,
    **values: Any,
) -> HTMLResponse:
    """Render a template; inside a unit of work pass its `connection` (SQLite has one writer at a time)."""
    request = context.request
    lang = _lang(request)
    contest = _contest(request)
    if connection is None:
        with context.unit_of_work() as own:
            election, contests = _named(own, contest, lang)
    else:
        election, contests = _named(connection, contest, lang)
    actor = session.actor if session else None
    w = words(lang)
    done = request.query_params.get("done")
    html = _templates.get_template(name).render(
        lang=lang,
        languages=LANGUAGES,
        w=w,
        t=translator(lang),
        say=lambda text: say(text, lang),  # a service's Phrase (a misfit, a tie) in the page's language
        election=election,
        contest=contest,
        contests=contests,
        in_contest=f"?contest={contest}" if contest else "",
        actor=actor,
        csrf=session.csrf if session else "",
        is_admin=can(actor, Permission.MANAGE_USERS),
        can_read_audit=can(actor, Permission.READ_AUDIT),
        can_read_count=can(actor, Permission.READ_COUNT),
        message=w[done] if done else None,  # a msgid ("recorded") in the page's language; else as the server wrote it
        **values,
    )
    response = HTMLResponse(html, status_code=status_code)
    if request.query_params.get("lang") in LANGUAGES:
        set_cookie(request, response, LANG, lang)
    return response


def _errors(error: ServiceError | TransitionRefused, lang: str) -> list[dict[str, Any]]:
    w = words(lang)
    if isinstance(error, BlockingErrors):
        checks = {e.code for e in error.errors if CHECK_CODE.match(e.code) and e.code in w}  # P001: the page's words
        return [
            _line(e, lang) if e.finding else _shown(e.code, e.field, w[e.code] if e.code in checks else e.message)
            for e in error.errors
        ]
    return [_shown(error.code, error.field, localized(error, lang))]


def _line(error: LineError, lang: str) -> dict[str, Any]:
    """A broken relation of an entry: the clerk's sentence with both sides' figures, every line it involves
    (the form marks them all, issue 23) and the figures alone (shown beside each of those lines)."""
    assert error.finding is not None
    shown = _shown(error.code, error.field, for_clerk(error.finding, lang))
    shown["fields"] = [one_line(f) for f in error.fields]
    shown["detail"] = one_line(detail(error.finding, lang))
    return shown


def _shown(code: str, field: str | None, message: str) -> dict[str, Any]:
    """One error line of a page, its names' line breaks and bidirectional controls escaped (`one_line`)."""
    return {
        "code": code,
        "shown_code": code if CHECK_CODE.match(code) else None,
        "field": None if field is None else one_line(field),
        "message": one_line(message),
    }


def _back(path: str, message: str) -> RedirectResponse:
    """To `path` (which may have a query), saying `message` there."""
    return RedirectResponse(f"{path}{'&' if '?' in path else '?'}done={quote(message)}", status_code=303)


def _session(context: Context, connection: Connection, csrf: str | None = None) -> users.Session | None:
    return context.session(connection, csrf)


def local_path(text: str | None) -> str | None:
    """`text` if it is a path of this service to return to after logging in (`/enter/101/list?contest=x`);
    None for anything else: another site (`//evil`, `https://evil`, `/\\evil`), control characters, the
    login page itself. The `next` of the login form is only ever one of these."""
    if not text or len(text) > 2000 or not text.startswith("/") or text.startswith("//"):
        return None
    if "\\" in text or any(ord(c) < 32 or ord(c) == 127 for c in text):
        return None
    parts = urlsplit(text)
    if parts.scheme or parts.netloc or parts.path in ("/login", "/logout"):
        return None
    return text


def _page_of(request: Request) -> str:
    """The page a request belongs to: its own path for a page; for a form's POST the nearest page above it
    (`/protocols/101/list/reopen` -> `/protocols/101/list`, `/enter/101/list` -> itself), with the query.
    (Browsers send no Referer here: `Referrer-Policy: no-referrer`.)"""
    query = f"?{request.url.query}" if request.url.query else ""
    parts = request.url.path.rstrip("/").split("/")
    while len(parts) > 1:
        candidate = "/".join(parts)
        scope = {"type": "http", "path": candidate, "method": "GET"}
        if any(route.matches(scope)[0] is Match.FULL for route in request.app.router.routes):
            return candidate + query
        parts.pop()
    return "/staff" + query


def _to_login(context: Context) -> RedirectResponse:
    """To the login page, which returns to the page the request came from (for a form, the page of the form)
    and says that the session ended: `expired=1` when the request carried a session that has ended (its idle
    limit passed), `expired=lost` when it carried none but had one (`HAD_SESSION`) or sent a form, which only
    a page of a session shows."""
    here = _page_of(context.request)
    query = {"next": here} if local_path(here) else {}
    cookies = context.request.cookies
    if cookies.get(COOKIE):
        query["expired"] = "1"
    elif cookies.get(HAD_SESSION) or context.request.method == "POST":
        query["expired"] = "lost"
    if context.request.query_params.get("lang") in LANGUAGES:  # the login page in the page's language
        query["lang"] = str(context.request.query_params["lang"])
    return RedirectResponse("/login" + (f"?{urlencode(query)}" if query else ""), status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_page(context: ContextDep) -> HTMLResponse:
    """The login form; after an ended session it says so, and returns to the page the clerk was on."""
    token = secrets.token_urlsafe(24)
    query = context.request.query_params
    back, expired = (
        local_path(query.get("next")),
        query.get("expired") if query.get("expired") in ("1", "lost") else None,
    )
    response = _page(context, "login.html.j2", None, login_csrf=token, next=back, expired=expired)
    set_cookie(context.request, response, LOGIN_CSRF, token)
    return response


@router.post("/login")
def login_submit(
    context: ContextDep,
    name: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf: CsrfField = "",
    back: Annotated[str, Form(alias="next", max_length=2000)] = "",
) -> Response:
    """Check the name and password; on success the session cookie and the page to return to (`next`, a path
    of this service), else the protocol list."""
    expected = context.request.cookies.get(LOGIN_CSRF, "")
    settings = context.request.app.state.settings

    def refused(error: ServiceError) -> HTMLResponse:
        errors = _errors(error, _lang(context.request))
        return _page(
            context, "login.html.j2", None, error.status, login_csrf=expected, errors=errors, next=local_path(back)
        )

    if not expected or not hmac.compare_digest(expected, csrf):
        return refused(Forbidden("the form's CSRF token is missing or wrong: reload the page", code="csrf"))
    try:
        with context.unit_of_work() as connection:
            client = client_address(context.request)
            session = users.login(connection, name[:64], password[:256], client=client, idle=settings.session_idle)
    except ServiceError as error:
        return refused(error)
    if session is None:
        return refused(Unauthenticated("wrong name or password", "password", code="login-failed", values={}))
    response = RedirectResponse(local_path(back) or "/staff", status_code=303)
    set_cookie(context.request, response, COOKIE, session.token)
    set_cookie(context.request, response, HAD_SESSION, "1", max_age=HAD_SESSION_FOR)
    response.delete_cookie(LOGIN_CSRF)
    return response


@router.post("/logout")
def logout_submit(context: ContextDep, csrf: CsrfField = "") -> Response:
    """End the session."""
    with context.unit_of_work() as connection:
        session = _session(context, connection, csrf)
        if session is not None:
            users.logout(connection, session.token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    response.delete_cookie(HAD_SESSION)  # logged out on purpose: the next visit is not told its session ended
    return response


def _guarded(context: Context, csrf: str | None, act: Callable[[Connection, users.Session], Response]) -> Response:
    """Run `act` for the logged-in user; to the login page without a session, refusals shown as a page."""
    try:
        with context.unit_of_work() as connection:
            session = _session(context, connection, csrf)
            if session is None:
                return _to_login(context)
            return act(connection, session)
    except (ServiceError, TransitionRefused) as error:
        status = error.status if isinstance(error, ServiceError) else 409
        with context.unit_of_work() as connection:  # the form's token again: a POST without it is refused
            session = _session(context, connection, csrf)
        return _page(context, "home.html.j2", session, status, **_home(context, session, error))


PAGE = 50
"""Rows a page of the staff list shows (issue 23: every protocol is a page or a search away)."""


def _home(context: Context, session: users.Session | None, error: Any = None) -> dict[str, Any]:
    request = context.request
    state = request.query_params.get("state")
    actor = session.actor if session else None
    contest = _contest(request)
    chosen = request.query_params.get("commission") or None
    wanted: dict[str, Any] = {
        "state": state if state in {s.value for s in EntryState} else None,
        "district": None,
        "commission": chosen if chosen and CONTEST.match(chosen) else None,
        "station": None,
    }
    with context.unit_of_work() as connection:
        several = len(definition.contest_ids(connection)) > 1
        status = None if several and contest is None else results.state(connection, actor, contest)
        found = protocols.Page([], 0, 0, PAGE)
        choices: list[Any] = []
        districts: list[int] = []
        if actor is not None:
            try:
                wanted["district"] = query_number(request, "district", "District")
                wanted["station"] = query_number(request, "station", "Station")
                number = query_number(request, "page", "Page") or 1
                choices = protocols.commission_choices(connection, actor)
                districts = _districts(connection, contest)
                filters = protocols.Filters(contest=contest, **wanted)
                found = protocols.page(connection, actor, filters, offset=(number - 1) * PAGE, size=PAGE)
            except ServiceError as refused:
                error = error or refused
    pages = max(1, math.ceil(found.total / found.size))
    return {
        "status": status,
        "protocols": found.protocols,
        "total": found.total,
        "page": found.offset // found.size + 1,
        "pages": pages,
        "first_row": found.offset + 1 if found.total else 0,
        "last_row": found.offset + len(found.protocols),
        "filters": wanted,
        "filtered": _query({**wanted, "contest": contest}),
        "commissions": [{"id": c.id, "name": commission_name(c.name, _lang(request))} for c in choices],
        "districts": districts,
        "states": [s.value for s in EntryState],
        "can_enter": can(actor, Permission.ENTER),
        "can_read_entries": can(actor, Permission.READ_ENTRIES),
        "can_certify": can(actor, Permission.CERTIFY, contest=status["contest"] if status else None),
        "certifies_districts": can(actor, Permission.CERTIFY) and any(c.level == "district" for c in choices),
        "errors": _errors(error, _lang(request)) if error is not None else None,
    }


def _districts(connection: Connection, contest: str | None) -> list[int]:
    """The district numbers a staff list can be filtered by: of the contest, or of every contest of the day."""
    ids = [contest] if contest is not None else definition.contest_ids(connection)
    return sorted({d.number for c in ids for d in definition.current(connection, c).election.districts})


def _query(values: Mapping[str, Any]) -> str:
    """The query string of the filters that are set (`&`-joined, escaped), for the pager's links."""
    return "&".join(f"{k}={quote(str(v))}" for k, v in values.items() if v is not None)


@router.get("/staff", response_class=HTMLResponse)
def home(context: ContextDep) -> Response:
    """Progress and a page of the protocols of the user's commission (filtered, searched), with what each role
    can do next, and the box where a clerk types the number of the station on the paper."""
    with context.unit_of_work() as connection:
        session = _session(context, connection)
    if session is None:
        return _to_login(context)
    values = _home(context, session)
    return _page(context, "home.html.j2", session, 422 if values["errors"] else 200, **values)


@router.get("/staff/go")
def go_to_station(context: ContextDep) -> Response:
    """Start from the paper (issue 23): the station number typed, its page, where its ballots are entered."""
    request = context.request

    def act(connection: Connection, session: users.Session) -> Response:
        number = query_number(request, "station", "Station")
        if number is None:
            return RedirectResponse("/staff", status_code=303)
        protocols.station(connection, session.actor, number)  # refused here, with the reason, if not the user's
        return RedirectResponse(f"/staff/station/{number}", status_code=303)

    return _guarded(context, None, act)


@router.get("/staff/station/{station}", response_class=HTMLResponse)
def station_page(station: PathNumber, context: ContextDep) -> Response:
    """A polling station as its clerk opens it once: every protocol it enters, contest by contest; the first one
    this clerk can enter has the focus, so Enter opens it."""

    def act(connection: Connection, session: users.Session) -> Response:
        return _station(context, connection, session, station, None)

    return _guarded(context, None, act)


def _station(
    context: Context, connection: Connection, session: users.Session, station: int, error: Any
) -> HTMLResponse:
    found = protocols.station(connection, session.actor, station)
    lang = _lang(context.request)
    for p in found:
        p["contest_name"] = contest_name(connection, p["contest"], lang)
    can_enter = can(session.actor, Permission.ENTER)
    enterable = [p for p in found if can_enter and "enter" in p["actions"] and not p["first_entry_is_yours"]]
    errors = _errors(error, lang) if error is not None else None
    status = 200 if error is None else error.status if isinstance(error, ServiceError) else 409
    return _page(
        context,
        "station.html.j2",
        session,
        status,
        connection,
        station=station,
        protocols=found,
        enterable=enterable,
        errors=errors,
        can_read_entries=can(session.actor, Permission.READ_ENTRIES),
    )


@router.get("/enter/{station}/{ballot}", response_class=HTMLResponse)
def entry_page(station: PathNumber, ballot: str, context: ContextDep) -> Response:
    """The entry form of one protocol, lines in the paper's order, with what this operator typed so far (their
    draft); refused before any typing when the entry would be refused (issue 23)."""

    def act(connection: Connection, session: users.Session) -> Response:
        contest = _contest(context.request)
        try:
            found = protocols.open_entry(connection, session.actor, station, ballot, contest)
        except Conflict as refused:
            return _station(context, connection, session, station, refused)
        typed = protocols.read_draft(connection, session.actor, station, ballot, found.contest)
        return _entry(context, connection, session, found, typed, [])

    return _guarded(context, None, act)


def _entry(
    context: Context,
    connection: Connection,
    session: users.Session,
    found: protocols.Form,
    values: Mapping[str, str],
    errors: list[dict[str, Any]],
    *,
    stopped: bool = False,
) -> HTMLResponse:
    """The entry form with `values` typed: 422 with the refusal's `errors`, else 200 (`stopped`: the finalise
    waits until the warnings shown here are seen)."""
    bad = {e["field"] for e in errors if e.get("field")} | {f for e in errors for f in e.get("fields", ())}
    sides = {f: e["detail"] for e in reversed(errors) for f in e.get("fields", ())}  # the first error's wins
    lang = _lang(context.request)
    warned = typed_warnings(connection, session.actor, found, values, lang)
    warn = {f for w in warned.shown for f in w["fields"]} - bad
    sides |= {f: w["detail"] for w in reversed(warned.shown) for f in w["fields"] if f in warn}
    labels = {o: localised(found.names.get(o, {}), lang, o) for o in found.options}
    draft = f"/api/protocols/{found.station}/{found.ballot}/draft?contest={found.contest}&lang={lang}"
    return _page(
        context,
        "entry.html.j2",
        session,
        422 if errors else 200,
        connection,
        form=found,
        values=values,
        errors=errors,
        bad=bad,
        sides=sides,
        labels=labels,
        key=values.get("key") or secrets.token_urlsafe(18),
        draft=draft,
        warnings=warned.shown,
        warn=warn,
        seen=warned.seen,
        stopped=stopped,
    )


@router.post("/enter/{station}/{ballot}")
async def entry_submit(station: PathNumber, ballot: str, request: Request, context: ContextDep) -> Response:
    """Finalise an entry; a blocking error shows the form again with the line and the clerk's wording, and so do
    warnings the form did not show for these figures yet (`seen`), asking to finalise again. The form's key
    makes it idempotent: sent again (a double click, Enter pressed again, a resent page), it is
    answered with the protocol's saved state, never entered twice (issue 23)."""
    submitted = await request.form()
    values = {k: str(v)[:64] for k, v in submitted.items() if isinstance(v, str)}

    def act(connection: Connection, session: users.Session) -> Response:
        contest = _contest(request)
        found = protocols.form(connection, session.actor, station, ballot, contest)
        key = values.get("key", "")
        try:
            figures = typed_figures(values, found)
            warned = typed_warnings(connection, session.actor, found, values, _lang(request))
            if warned.seen and not warned.blocked and values.get("seen") != warned.seen:
                # issue 23: warnings are seen on the form before the entry is finalised; Finalise again saves
                return _entry(context, connection, session, found, values, [], stopped=True)
            state = protocols.enter(connection, session.actor, station, ballot, figures, contest, key or None)
        except (BlockingErrors, Invalid) as error:
            return _entry(context, connection, session, found, values, _errors(error, _lang(request)))
        except TransitionRefused as error:
            return _station(context, connection, session, station, error)
        w = words(_lang(request))
        return _back(
            f"/staff/station/{station}", f"{station} {w.get(ballot, ballot)}: {w.get(state.value, state.value)}"
        )

    return _guarded(context, values.get("csrf", ""), act)


@router.get("/protocols/{station}/{ballot}", response_class=HTMLResponse)
def protocol_page(station: PathNumber, ballot: str, context: ContextDep) -> Response:
    """Both entries side by side, the differing lines marked, and the coordinator's one-step buttons."""

    def act(connection: Connection, session: users.Session) -> Response:
        contest = _contest(context.request)
        seen = protocols.view(connection, session.actor, station, ballot, contest)
        if "first" not in seen:
            w = words(_lang(context.request))
            return _back("/staff", f"{station} {w[ballot]}: {w[seen['state']]}")
        found = protocols.form(connection, session.actor, station, ballot, contest)
        lang = _lang(context.request)
        w = words(lang)
        rows = [(line, w.get(line, line)) for line in FIGURES] + [(f"votes:{o}", o) for o in found.options]
        said = [
            {"code": f.code.value, "text": for_clerk(f, lang), "fields": f.fields}
            for f in protocols.findings(connection, session.actor, station, ballot, contest)
        ]
        return _page(
            context,
            "protocol.html.j2",
            session,
            200,
            connection,
            p=seen,
            rows=rows,
            cell=_cell,
            resolutions={a.value for a in RESOLUTIONS},
            findings=said,
            can_act=can(session.actor, Permission.RESOLVE, seen["district"], station=station),
            register=found.registered,  # the register's figure: for the coordinator, never on the entry form
        )

    return _guarded(context, None, act)


def _cell(entry: Mapping[str, Any] | None, key: str) -> str:
    if entry is None:
        return ""
    figures = entry["figures"]
    if key.startswith("votes:"):
        return str(figures["votes"].get(key[len("votes:") :], ""))
    return str(figures.get(key, ""))


@router.post("/protocols/{station}/{ballot}/{action}")
def protocol_action(
    station: PathNumber,
    ballot: str,
    action: str,
    context: ContextDep,
    csrf: CsrfField = "",
    reason: Annotated[str, Form()] = "",
    confirm: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """One coordinator step: keep an entry; discard entries (confirmed, with a reason); accept warnings; reopen."""

    def act(connection: Connection, session: users.Session) -> Response:
        try:
            chosen = Action(action)
        except ValueError:
            raise Invalid("unknown action {action}", "action", values={"action": action[:64]}) from None
        contest = _contest(context.request)
        if chosen.value.startswith("discard-") and confirm != "yes":
            raise Invalid("confirm that the entries are to be discarded", "confirm")
        if chosen is Action.ACCEPT_WARNINGS:
            state = protocols.accept_warnings(connection, session.actor, station, ballot, reason, contest)
        elif chosen is Action.REOPEN:
            state = protocols.reopen(connection, session.actor, station, ballot, reason, contest)
        else:
            state = protocols.resolve(connection, session.actor, station, ballot, chosen, contest, reason)
        w = words(_lang(context.request))
        return _back("/staff", f"{station} {w[ballot]}: {w[state.value]}")

    return _guarded(context, csrf, act)


@router.get("/certify", response_class=HTMLResponse)
def certify_page(context: ContextDep) -> Response:
    """The council certifying would certify (parties' seats, the named deputies), and the confirmation;
    or why the result cannot be certified yet."""

    def act(connection: Connection, session: users.Session) -> Response:
        return _certify_page(context, connection, session, None)

    return _guarded(context, None, act)


def _certify_page(
    context: Context, connection: Connection, session: users.Session, error: ServiceError | None
) -> HTMLResponse:
    lang = _lang(context.request)
    shown: dict[str, Any] | None = None
    try:
        shown = results.preview(connection, session.actor, _contest(context.request))
    except ServiceError as refused:
        error = error or refused
    names: dict[str, str] = {}
    if shown is not None:
        election = definition.current(connection, shown["contest"]).election
        names = {p.short_name: localised(p.names, lang, p.short_name) for p in election.parties}
    unnamed = {party: said(unrecorded(name), lang) for party, name in names.items()}  # Deputy.label, said
    status = error.status if error is not None else 200
    errors = _errors(error, lang) if error is not None else None
    return _page(
        context,
        "certify.html.j2",
        session,
        status,
        connection,
        shown=shown,
        names=names,
        unnamed=unnamed,
        errors=errors,
    )


@router.post("/certify")
def certify_submit(
    context: ContextDep,
    csrf: CsrfField = "",
    seen: Annotated[str, Form(max_length=64)] = "",
    confirm: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """Certify the result (whole-city coordinator), once the council shown (`seen`, its SHA-256) is confirmed;
    without the confirmation, the page that shows the council and asks for it."""

    def act(connection: Connection, session: users.Session) -> Response:
        if confirm != "yes" or not seen:
            refused = Invalid("confirm that you have checked the council shown", "confirm")
            return _certify_page(context, connection, session, refused)
        try:
            made = results.certify(connection, session.actor, _contest(context.request), seen=seen)
        except Conflict as error:
            return _certify_page(context, connection, session, error)
        return _back("/staff", f"{words(_lang(context.request))['status|certified']}: SHA-256 {made['sha256']}")

    return _guarded(context, csrf, act)


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(context: ContextDep) -> Response:
    """Every user, and the form to add one (administrator)."""

    def act(connection: Connection, session: users.Session) -> Response:
        return _users(context, connection, session, users.listing(connection, session.actor), None)

    return _guarded(context, None, act)


def _users(
    context: Context, connection: Connection, session: users.Session, listed: list[users.UserView], error: Any
) -> HTMLResponse:
    errors = _errors(error, _lang(context.request)) if error is not None else None
    status = error.status if isinstance(error, ServiceError) else 200
    roles = [r.value for r in Role]
    return _page(context, "users.html.j2", session, status, connection, users=listed, roles=roles, errors=errors)


@router.post("/admin/users")
def users_add(
    context: ContextDep,
    name: Annotated[str, Form()],
    password: Annotated[str, Form()],
    role: Annotated[str, Form()],
    districts: Annotated[str, Form()] = "",
    csrf: CsrfField = "",
) -> Response:
    """Add a user (administrator)."""

    def act(connection: Connection, session: users.Session) -> Response:
        try:
            chosen = Role(role)
        except ValueError:
            raise Invalid("unknown role {role}", "role", values={"role": role[:64]}) from None
        users.add(connection, session.actor, name, password, chosen, users.parse_districts(districts))
        return _back("/admin/users", f"{name}: {words(_lang(context.request))[f'role|{chosen.value}']}")

    return _guarded(context, csrf, act)


@router.post("/admin/users/{name}/password")
def users_password(
    name: str, context: ContextDep, password: Annotated[str, Form(max_length=256)] = "", csrf: CsrfField = ""
) -> Response:
    """Set a user's new password (administrator): their sessions end; audited."""

    def act(connection: Connection, session: users.Session) -> Response:
        try:
            users.set_password(connection, session.actor, name, password)
        except Invalid as error:
            return _users(context, connection, session, users.listing(connection, session.actor), error)
        return _back("/admin/users", f"{name}: {words(_lang(context.request))['password set']}")

    return _guarded(context, csrf, act)


@router.post("/admin/users/{name}/disable")
def users_disable(name: str, context: ContextDep, csrf: CsrfField = "") -> Response:
    """Disable a user (administrator)."""

    def act(connection: Connection, session: users.Session) -> Response:
        users.disable(connection, session.actor, name)
        return _back("/admin/users", f"{name}: {words(_lang(context.request))['state|disabled']}")

    return _guarded(context, csrf, act)
