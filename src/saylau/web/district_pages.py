"""District certification as a page (issue 22): the district commission sees what it certifies and confirms.

`/staff/districts` lists the districts a district commission certifies (of the page's contest, or of every
contest of the day), with their state; `/staff/districts/{n}` shows one district's result as certifying would
fix it (its stations, registered voters, turnout, invalid, "against all", every candidate's votes and who is
elected) and asks to confirm; the confirmation carries the SHA-256 of what was shown, so a result that
changed since is refused and shown again. The same use cases as `POST /api/districts/{n}/certify`
(`saylau.service.districts`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Connection

from saylau.domain.election import localised
from saylau.service import definition, users
from saylau.service import districts as district_service
from saylau.service.errors import Invalid, ServiceError
from saylau.web.bounds import PathNumber
from saylau.web.clock import commission_zone
from saylau.web.context import Context, ContextDep
from saylau.web.labels import words
from saylau.web.pages import CsrfField, _back, _contest, _errors, _guarded, _lang, _page, contest_name

pages = APIRouter(include_in_schema=False)
PAGE = "/staff/districts"


@pages.get(PAGE, response_class=HTMLResponse)
def districts_page(context: ContextDep) -> Response:
    """Every district a district commission certifies, with its state and a link to certify it."""

    def act(connection: Connection, session: users.Session) -> Response:
        lang = _lang(context.request)
        contest = _contest(context.request)
        ids = [contest] if contest is not None else definition.contest_ids(connection)
        rows = [
            {**row, "contest_name": contest_name(connection, row["contest"], lang)}
            for c in ids
            for row in district_service.listing(connection, session.actor, c)
            if session.actor.commission is None or session.actor.commission.id == row["commission"]
        ]
        zone = commission_zone(connection)
        return _page(context, "districts.html.j2", session, 200, connection, rows=rows, several=len(ids) > 1, zone=zone)

    return _guarded(context, None, act)


@pages.get(PAGE + "/{district}", response_class=HTMLResponse)
def district_page(district: PathNumber, context: ContextDep) -> Response:
    """One district's result as certifying would fix it, and the confirmation; or its certification."""

    def act(connection: Connection, session: users.Session) -> Response:
        return _district(context, connection, session, district, None)

    return _guarded(context, None, act)


@pages.post(PAGE + "/{district}")
def district_certify(
    district: PathNumber,
    context: ContextDep,
    csrf: CsrfField = "",
    seen: Annotated[str, Form(max_length=64)] = "",
    confirm: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """Certify the district once the result shown (`seen`, its SHA-256) is confirmed; without the confirmation,
    or when the result changed since it was shown, the page again with the reason."""

    def act(connection: Connection, session: users.Session) -> Response:
        contest = _contest(context.request)
        if confirm != "yes" or not seen:
            refused = Invalid("confirm that you have checked the district's result shown", "confirm")
            return _district(context, connection, session, district, refused)
        try:
            done = district_service.certify(connection, session.actor, district, contest, seen=seen)
        except ServiceError as error:
            if error.code in ("role", "commission"):
                raise
            return _district(context, connection, session, district, error)
        said = words(_lang(context.request))
        back = PAGE + (f"?contest={done['contest']}" if contest else "")
        return _back(back, f"{said['District']} {done['district']}: {said['status|certified']}")

    return _guarded(context, csrf, act)


def _district(
    context: Context, connection: Connection, session: users.Session, district: int, error: ServiceError | None
) -> HTMLResponse:
    lang = _lang(context.request)
    contest = definition.contest_of(connection, _contest(context.request))
    shown: dict[str, Any] | None = None
    done = next(
        (r for r in district_service.listing(connection, session.actor, contest) if r["district"] == district), None
    )
    if done is None or not done["certified"]:
        try:
            shown = district_service.preview(connection, session.actor, district, contest)
        except ServiceError as refused:
            error = error or refused
    else:
        shown = {**done["result"], "commission": done["commission"]}
    election = definition.current(connection, contest).election
    found = next((d for d in election.districts if d.number == district), None)
    parties = {p.short_name: localised(p.names, lang, p.short_name) for p in election.parties}
    nominated = {
        c.name: parties.get(c.party, c.party) if c.party else None for c in (found.candidates if found else ())
    }
    votes = sorted((shown or {}).get("votes", {}).items(), key=lambda kv: (-kv[1], kv[0]))
    return _page(
        context,
        "district.html.j2",
        session,
        error.status if error is not None else 200,
        connection,
        district=district,
        contest_title=contest_name(connection, contest, lang),
        contest_query=f"?contest={contest}",
        shown=shown,
        done=done if done and done["certified"] else None,
        votes=votes,
        nominated=nominated,
        errors=_errors(error, lang) if error is not None else None,
        zone=commission_zone(connection),  # the time of a certification, as the commission reads it
    )
