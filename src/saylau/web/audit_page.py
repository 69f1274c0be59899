"""The audit log as a page (issue 23): filtered by station, user, action and time, paged, newest first,
every time in the commission's time zone and every word in the page's language. The rows in full (the
figures before and after) stay in `GET /api/audit` and `saylau audit verify`."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Connection

from saylau.domain.election import localised
from saylau.service import airgap, audit, definition, users
from saylau.store.audit import Filter
from saylau.web.bounds import MAX_NUMBER, clerk_number
from saylau.web.clock import commission_zone, local, utc
from saylau.web.context import ContextDep
from saylau.web.labels import Said, words
from saylau.web.pages import _contest, _guarded, _lang, _page

router = APIRouter(include_in_schema=False)
PAGE = "/audit"
_PROTOCOL = re.compile(r"^station (\d+) (?:(\S+) )?(list|district)$")
_DISTRICT = re.compile(r"^district (\d+)$")
_RESULT = re.compile(r"^result(?: of (\S+))?$")
_PUBLICATION = re.compile(r"^publication of (\S+)$")
_SUMMARY = re.compile(r"^summary of (\S+) (\S+) (list|district) district (\d+)$")
SUMMARY = "summary protocol of {commission}: {contest}, {ballot}, district {district}"
"""A summary protocol's subject as the log stores it (`service.transfer`), said in the page's language."""


def subject(text: str, w: Said, names: dict[str, str]) -> str:
    """What a row of the log concerns, in the page's language (`station 101 list` -> Station 101 · Party-list
    ballot); an election by its name in the page's language (`names`); a user's or party's name as it is."""
    if text in names:
        return names[text]
    found = _PROTOCOL.match(text)
    if found:
        station, contest, ballot = found.groups()
        return " · ".join(x for x in (f"{w['Station']} {station}", contest, w[ballot]) if x)
    found = _DISTRICT.match(text)
    if found:
        return f"{w['District']} {found[1]}"
    found = _RESULT.match(text)
    if found:
        return w["audit|result"] + (f" · {found[1]}" if found[1] else "")
    found = _PUBLICATION.match(text)
    if found:
        return w["audit|publication"] + f" · {found[1]}"
    found = _SUMMARY.match(text)
    if found:
        commission, contest, ballot, district = found.groups()
        return w[SUMMARY].format(commission=commission, contest=contest, ballot=w[ballot], district=district)
    return w[f"audit|{text}"] if text in ("publication",) else text


STORED = {airgap.ACTION: airgap.REASON}
"""The reasons the system writes into the log itself, by action: a msgid whose stored text stays English (the
chain's hashes cover it), said in the page's language when the page shows it."""


def reason(action: str, text: str, w: Said) -> str:
    """A row's reason in the page's language where the system wrote it (`STORED`); a person's reason as typed."""
    template = STORED.get(action)
    found = _stored(template).fullmatch(text) if template else None
    if template is None or found is None:
        return text
    return w[template].format(**found.groupdict())


def _stored(template: str) -> re.Pattern[str]:
    """`template` as a pattern: each `{name}` catches any text, the rest stands as written."""
    parts = re.split(r"\{(\w+)\}", template)
    return re.compile("".join(f"(?P<{p}>.+)" if i % 2 else re.escape(p) for i, p in enumerate(parts)))


@router.get(PAGE, response_class=HTMLResponse)
def audit_page(context: ContextDep) -> Response:
    """The audit log, filtered and paged (administrators, coordinators, observers)."""

    def act(connection: Connection, session: users.Session) -> Response:
        return _show(context, connection, session)

    return _guarded(context, None, act)


def _show(context: Any, connection: Connection, session: users.Session) -> HTMLResponse:
    query = context.request.query_params
    zone = commission_zone(connection, _contest(context.request))
    station = query.get("station", "").strip()
    typed = {k: query.get(k, "").strip()[:64] for k in ("station", "user", "action", "since", "until")}
    wanted = Filter(
        station=clerk_number(station, "station", MAX_NUMBER) if station else None,
        user=typed["user"] or None,
        action=typed["action"] or None,
        since=utc(typed["since"], zone) if typed["since"] else None,
        until=utc(typed["until"], zone) if typed["until"] else None,
    )
    page = clerk_number(query.get("page", "1") or "1", "page", MAX_NUMBER)
    found = audit.search(connection, session.actor, wanted, page)
    lang = _lang(context.request)
    w = words(lang)
    names = {}
    for contest in definition.contest_ids(connection):
        election = definition.current(connection, contest).election
        names[election.name] = localised(election.names, lang, election.name)
    rows = [
        {
            "id": e.id,
            "at": local(e.at, zone),
            "user": w["the system"] if e.user == "system" else e.user,
            "role": "" if e.user == "system" else w[f"role|{e.role}"],
            "action": w[f"audit|{e.action}"],
            "subject": subject(e.subject, w, names),
            "reason": reason(e.action, e.reason or "", w),
        }
        for e in found.events
    ]
    kept = {k: v for k, v in typed.items() if v}
    pages = {
        "previous": f"?{urlencode({**kept, 'page': found.page - 1})}" if found.page > 1 else None,
        "next": f"?{urlencode({**kept, 'page': found.page + 1})}" if found.page < found.pages else None,
    }
    return _page(
        context,
        "audit.html.j2",
        session,
        200,
        connection,
        rows=rows,
        found=found,
        typed=typed,
        pages=pages,
        zone=datetime.now(zone).strftime("%z")[:3] + ":" + datetime.now(zone).strftime("%z")[3:],
        actions=[(a, w[f"audit|{a}"]) for a in found.actions],
    )
