"""Drawings of lots: the JSON API (`/api/decisions`) and the staff page (`/staff/lots`).

The page lists the ties waiting for a drawing of lots with their tied standings (lists for list seats,
candidates in a district, an open list's candidates on preference votes), and for each a form to record the
outcome the commission drew by hand; the recorded drawings, with who recorded them and when; and records that
no longer fit the count, to withdraw. Both doors call `saylau.service.decisions`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field, StrictInt
from sqlalchemy import Connection

from saylau.service import decisions, users
from saylau.service.errors import ServiceError
from saylau.service.permissions import Permission, can
from saylau.web.api import Contest
from saylau.web.bounds import MAX_NUMBER, FormNumber, PathNumber
from saylau.web.clock import commission_zone
from saylau.web.context import Context, ContextDep
from saylau.web.pages import CsrfField, _back, _errors, _guarded, _lang, _page

api = APIRouter(prefix="/api")
pages = APIRouter(include_in_schema=False)
PAGE = "/staff/lots"


class DrawingIn(BaseModel):
    """The outcome of a drawing of lots: the tie it settles (tier, district, tied, seats) and its winners.

    `tier`: `list` (lists tied for list seats), `district` (candidates tied in a district, which `district`
    names) or `candidate` (an open list's candidates tied on preference votes for its last seats)."""

    model_config = ConfigDict(extra="forbid")

    tier: Literal["list", "district", "candidate"]
    district: Annotated[StrictInt, Field(ge=0, le=MAX_NUMBER)] | None = None
    tied: list[Annotated[str, Field(max_length=200)]] = Field(max_length=1000)
    seats: StrictInt = Field(ge=1, le=10_000)
    winners: list[Annotated[str, Field(max_length=200)]] = Field(max_length=1000)
    drawn_on: str = Field(default="", max_length=64)
    note: str = Field(default="", max_length=decisions.MAX_NOTE)


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=2000)


@api.get("/decisions")
def decisions_view(context: ContextDep, contest: Contest = None) -> dict[str, Any]:
    """Ties waiting for a drawing of lots (tied standings), drawings recorded, records that no longer fit."""
    with context.unit_of_work() as connection:
        return decisions.overview(connection, context.user(connection), contest)


@api.post("/decisions", status_code=201)
def decision_record(body: DrawingIn, context: ContextDep, contest: Contest = None) -> dict[str, Any]:
    """Record the outcome of a drawing of lots (whole-city coordinator or administrator); audited."""
    with context.unit_of_work() as connection:
        return decisions.record(connection, context.user(connection), **body.model_dump(), contest=contest)


@api.post("/decisions/{decision_id}/withdraw")
def decision_withdraw(decision_id: PathNumber, body: ReasonIn, context: ContextDep) -> dict[str, Any]:
    """Withdraw a recorded drawing, with a reason (a wrong record, or one the count no longer fits); audited."""
    with context.unit_of_work() as connection:
        decisions.withdraw(connection, context.user(connection), decision_id, body.reason)
    return {"withdrawn": decision_id}


@pages.get(PAGE, response_class=HTMLResponse)
def lots_page(context: ContextDep) -> Response:
    """The ties waiting for a drawing of lots, the form to record each outcome, and the drawings recorded."""
    return _guarded(context, None, lambda connection, session: _show(context, connection, session))


def _show(
    context: Context, connection: Connection, session: users.Session, error: ServiceError | None = None
) -> HTMLResponse:
    return _page(
        context,
        "lots.html.j2",
        session,
        error.status if error is not None else 200,
        connection,
        lots=decisions.overview(connection, session.actor),
        can_decide=can(session.actor, Permission.DECIDE),
        errors=_errors(error, _lang(context.request)) if error is not None else None,
        zone=commission_zone(connection),  # the times recorded, as the commission reads them
    )


@pages.post(PAGE)
def lots_record(
    context: ContextDep,
    tier: Annotated[str, Form()],
    tied: Annotated[list[str], Form()],
    seats: FormNumber,
    winners: Annotated[list[str] | None, Form()] = None,
    district: Annotated[int | None, Form(ge=0, le=MAX_NUMBER)] = None,
    drawn_on: Annotated[str, Form(max_length=64)] = "",
    note: Annotated[str, Form(max_length=decisions.MAX_NOTE)] = "",
    csrf: CsrfField = "",
) -> Response:
    """Record the outcome typed into the page's form; a refusal shows the page again with the reason."""

    def act(connection: Connection, session: users.Session) -> Response:
        try:
            decisions.record(
                connection,
                session.actor,
                tier=tier,
                district=district,
                tied=tied,
                seats=seats,
                winners=winners or [],
                drawn_on=drawn_on,
                note=note,
            )
        except ServiceError as error:
            if error.code in ("role", "commission", "certified"):
                raise
            return _show(context, connection, session, error)
        return _back(PAGE, "recorded")

    return _guarded(context, csrf, act)


@pages.post(PAGE + "/{decision_id}/withdraw")
def lots_withdraw(
    decision_id: PathNumber,
    context: ContextDep,
    reason: Annotated[str, Form(max_length=2000)] = "",
    csrf: CsrfField = "",
) -> Response:
    """Withdraw a recorded drawing, with the reason typed."""

    def act(connection: Connection, session: users.Session) -> Response:
        decisions.withdraw(connection, session.actor, decision_id, reason)
        return _back(PAGE, "the record is withdrawn")

    return _guarded(context, csrf, act)
