"""The registration page: lists and district candidates as registered (withdrawn ones greyed), the form to
register a party's list, and withdrawal buttons; the same service calls, checks and wording as the API.
(District candidates are registered and edited through the API: `POST /api/districts/{n}/candidates`.)"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Connection

from saylau.service import registration, users
from saylau.service.errors import BlockingErrors, Invalid, ServiceError
from saylau.service.permissions import Permission, can
from saylau.web.bounds import PathNumber
from saylau.web.context import Context, ContextDep
from saylau.web.labels import words
from saylau.web.pages import CsrfField, _back, _errors, _guarded, _lang, _page

router = APIRouter(include_in_schema=False)
PAGE = "/admin/registration"


@router.get(PAGE, response_class=HTMLResponse)
def registration_page(context: ContextDep) -> Response:
    """The registered lists and candidates, and the form to register a list (administrator)."""
    return _guarded(context, None, lambda connection, session: _show(context, connection, session))


def _show(
    context: Context,
    connection: Connection,
    session: users.Session,
    error: ServiceError | None = None,
    chosen: str = "",
    typed: str = "",
) -> HTMLResponse:
    status = error.status if error is not None else 200
    errors = _errors(error, _lang(context.request)) if error is not None else None
    for e in errors or []:  # a refusal's message already names its file, row and field
        if str(e.get("code", "")).startswith("registration-") or str(e["message"]).startswith(
            ("lists.csv", "candidates.csv")
        ):
            e["field"] = None
    registry = registration.registry(connection)
    today = datetime.now(UTC).date().isoformat()
    return _page(
        context,
        "registration.html.j2",
        session,
        status,
        connection,
        registry=registry,
        can_register=can(session.actor, Permission.REGISTER),
        today=min(today, registry["election_day"] or today),  # a withdrawal is dated on election day at the latest
        errors=errors,
        chosen=chosen,
        typed=typed,
    )


@router.post(f"{PAGE}/lists")
def register_list(
    context: ContextDep,
    party: Annotated[str, Form()],
    candidates: Annotated[str, Form()] = "",
    csrf: CsrfField = "",
) -> Response:
    """Register a party's list from the form's lines; a refusal shows the page again with each refusal."""

    def act(connection: Connection, session: users.Session) -> Response:
        try:
            registration.register_list(connection, session.actor, party, _lines(candidates))
        except (BlockingErrors, Invalid) as error:
            return _show(context, connection, session, error, party, candidates)
        return _back(PAGE, f"{party}: {words(_lang(context.request))['state|registered']}")

    return _guarded(context, csrf, act)


@router.post(PAGE + "/lists/{party}/withdraw-candidate")
def withdraw_candidate(
    party: str,
    context: ContextDep,
    name: Annotated[str, Form()],
    day: Annotated[str, Form(alias="date")],
    csrf: CsrfField = "",
) -> Response:
    """Withdraw a list candidate: on record, greyed, no seat."""

    def act(connection: Connection, session: users.Session) -> Response:
        registration.withdraw_candidate(connection, session.actor, party, name, _day(day))
        return _back(PAGE, f"{name}: {words(_lang(context.request))['state|withdrawn']}")

    return _guarded(context, csrf, act)


@router.post(PAGE + "/districts/{district}/withdraw-candidate")
def withdraw_district_candidate(
    district: PathNumber,
    context: ContextDep,
    name: Annotated[str, Form()],
    day: Annotated[str, Form(alias="date")],
    csrf: CsrfField = "",
) -> Response:
    """Withdraw a district candidate: on record, greyed, not on the ballot, no seat."""

    def act(connection: Connection, session: users.Session) -> Response:
        registration.withdraw_candidate(connection, session.actor, district, name, _day(day))
        return _back(PAGE, f"{name}: {words(_lang(context.request))['state|withdrawn']}")

    return _guarded(context, csrf, act)


def _lines(text: str) -> list[dict[str, Any]]:
    """`name; date of birth; sex; disability` per line, the particulars optional."""
    keys = ("candidate", "date_of_birth", "sex", "disability")
    rows = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.split(";")]
        if cells and cells[0]:
            rows.append({k: v for k, v in zip(keys, cells, strict=False) if v})
    return rows


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise Invalid("{text} is not a date (YYYY-MM-DD)", "date", values={"text": text[:40]}) from None
