"""Results up the tree over HTTP: import a bundle of a commission below, and type its paper summary protocol
as the second entry (`/api/import`, `/api/summaries`), and the staff page that imports a bundle and lists the
summary protocols (`/staff/import`); every door calls `saylau.service.transfer`."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict
from sqlalchemy import Connection

from saylau.domain.election import localised
from saylau.service import definition, transfer, users
from saylau.service.errors import Invalid
from saylau.service.permissions import Permission, can
from saylau.service.states import Action, EntryState
from saylau.web.api import EntryIn
from saylau.web.bounds import PathNumber, clerk_number
from saylau.web.context import ContextDep
from saylau.web.labels import words
from saylau.web.pages import _back, _errors, _guarded, _lang, _page, contest_name

Ballot = Literal["list", "district"]

api = APIRouter(prefix="/api")
pages = APIRouter(include_in_schema=False)
PAGE = "/staff/import"


@pages.get(PAGE, response_class=HTMLResponse)
def import_page(context: ContextDep) -> Response:
    """The form to import a bundle of a commission below, and the summary protocols with their states."""

    def act(connection: Connection, session: users.Session) -> Response:
        found = transfer.listing(connection, session.actor)
        can_import = can(session.actor, Permission.RESOLVE)
        return _page(context, "import.html.j2", session, 200, connection, summaries=found, can_import=can_import)

    return _guarded(context, None, act)


@pages.post(PAGE)
async def import_submit(context: ContextDep, bundle: UploadFile, csrf: Annotated[str, Form()] = "") -> Response:
    """Import the uploaded bundle; a refusal is shown with its reason, and nothing is stored."""
    raw = await bundle.read()

    def act(connection: Connection, session: users.Session) -> Response:
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise Invalid("the file is not a JSON results bundle", "bundle") from None
        done = transfer.import_bundle(connection, data, session.actor)
        version = words(_lang(context.request))["version {n}"].format(n=done.version)
        return _back(PAGE, f"{done.commission}, {version}: {done.summaries} · SHA-256 {done.sha256[:16]}…")

    return _guarded(context, csrf, act)


SUMMARY = "/staff/summaries/{commission}/{contest}/{ballot}/{district}"


@pages.get(SUMMARY, response_class=HTMLResponse)
def summary_page(commission: str, contest: str, ballot: Ballot, district: PathNumber, context: ContextDep) -> Response:
    """The paper summary protocol of a commission below, typed as the second entry (an operator), or both
    entries side by side with the coordinator's two ways out of a difference."""
    key = (commission, contest, ballot, district)

    def act(connection: Connection, session: users.Session) -> Response:
        return _summary(context, connection, session, key, {}, [], 200)

    return _guarded(context, None, act)


@pages.post(SUMMARY)
async def summary_submit(
    commission: str, contest: str, ballot: Ballot, district: PathNumber, request: Request, context: ContextDep
) -> Response:
    """Finalise the typed paper summary protocol; a number that is not one shows the form again, naming it."""
    key = (commission, contest, ballot, district)
    submitted = await request.form()
    values = {k: str(v) for k, v in submitted.items() if isinstance(v, str)}

    def act(connection: Connection, session: users.Session) -> Response:
        found = transfer.summary_form(connection, session.actor, key)
        try:
            figures: dict[str, Any] = {line: clerk_number(values.get(line, ""), line) for line in found.lines}
            figures["votes"] = {o: clerk_number(values.get(f"vote:{o}", ""), f"vote:{o}") for o in found.options}
            state = transfer.enter_summary(connection, session.actor, key, figures)
        except Invalid as error:
            return _summary(context, connection, session, key, values, _errors(error, _lang(request)), 422)
        w = words(_lang(request))
        return _back(PAGE, f"{commission} {w.get(ballot, ballot)} {district or ''}: {w.get(state.value, state.value)}")

    return _guarded(context, values.get("csrf", ""), act)


@pages.post(SUMMARY + "/resolve")
def summary_resolve_submit(
    commission: str,
    contest: str,
    ballot: Ballot,
    district: PathNumber,
    context: ContextDep,
    action: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """The coordinator keeps the imported figures or sends the typed paper summary back."""
    key = (commission, contest, ballot, district)

    def act(connection: Connection, session: users.Session) -> Response:
        if action not in ("keep-first", "discard-second"):
            raise Invalid("a summary is resolved by keep-first or discard-second", "action")
        state = transfer.resolve_summary(connection, session.actor, key, Action(action))
        w = words(_lang(context.request))
        return _back(PAGE, f"{commission} {w.get(ballot, ballot)} {district or ''}: {w.get(state.value, state.value)}")

    return _guarded(context, csrf, act)


def _summary(
    context: Any,
    connection: Connection,
    session: users.Session,
    key: tuple[str, str, str, int],
    values: dict[str, str],
    errors: list[dict[str, Any]],
    status: int,
) -> Response:
    """The summary page: the form while it waits for its typed entry, else both entries (a coordinator)."""
    actor = session.actor
    form = entries = None
    if can(actor, Permission.ENTER):
        found = transfer.summary_form(connection, actor, key)
        form = found if found.state is EntryState.FIRST_ENTRY else None
        state = found.state.value
    else:
        entries = transfer.summary_entries(connection, actor, key)
        state = entries["state"]
    lang = _lang(context.request)
    election = definition.current(connection, key[1]).election
    return _page(
        context,
        "summary.html.j2",
        session,
        status,
        connection,
        key=key,
        path=SUMMARY.format(commission=key[0], contest=key[1], ballot=key[2], district=key[3]),
        contest_title=contest_name(connection, key[1], lang),
        names={p.short_name: localised(p.names, lang, p.short_name) for p in election.parties},  # in the page's words
        state=state,
        form=form,
        entries=entries,
        values=values,
        errors=errors,
        bad={e["field"] for e in errors if e.get("field")},
    )


class SummaryResolveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Literal["keep-first", "discard-second"]


@api.post("/import", status_code=201)
def import_bundle(context: ContextDep, bundle: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
    """Import a results bundle of a commission below (coordinator; a bundle over the 1 MiB body limit goes by
    `saylau import`); 409 `bundle-refused` says why not."""
    with context.unit_of_work() as connection:
        done = transfer.import_bundle(connection, bundle, context.user(connection))
    return {"commission": done.commission, "version": done.version, "sha256": done.sha256, "summaries": done.summaries}


@api.get("/summaries")
def summaries(context: ContextDep) -> list[dict[str, Any]]:
    """The summary protocols of the commissions below, with their states."""
    with context.unit_of_work() as connection:
        return transfer.listing(connection, context.user(connection))


@api.post("/summaries/{commission}/{contest}/{ballot}/{district}/entries")
def summary_entry(
    commission: str,
    contest: str,
    ballot: Literal["list", "district"],
    district: PathNumber,
    body: EntryIn,
    context: ContextDep,
) -> dict[str, str]:
    """The paper summary protocol, typed as the second entry (operator)."""
    with context.unit_of_work() as connection:
        key = (commission, contest, ballot, district)
        state = transfer.enter_summary(connection, context.user(connection), key, body.model_dump())
    return {"state": state.value}


@api.post("/summaries/{commission}/{contest}/{ballot}/{district}/resolve")
def summary_resolve(
    commission: str,
    contest: str,
    ballot: Literal["list", "district"],
    district: PathNumber,
    body: SummaryResolveIn,
    context: ContextDep,
) -> dict[str, str]:
    """Keep the imported figures, or send the typed paper summary back (coordinator)."""
    with context.unit_of_work() as connection:
        key = (commission, contest, ballot, district)
        state = transfer.resolve_summary(connection, context.user(connection), key, Action(body.action))
    return {"state": state.value}
