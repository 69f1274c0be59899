"""Downloads of the service named for the shelf they go on: the contest, its status and the commission's
local time (`almaty-maslihat-partial-2023-03-19T2341.pdf`), so that a partial count is never mistaken for
the certified one. The protocol PDF is the reports package's (`saylau.reports.pdf`), marked with its status."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from saylau.reports.pdf import render_pdf
from saylau.service import results
from saylau.web.bounds import request_language
from saylau.web.clock import commission_zone, stamp
from saylau.web.context import ContextDep

router = APIRouter(prefix="/api")
Contest = Annotated[str | None, Query(max_length=64, pattern=r"^[a-z0-9][a-z0-9_-]*$")]


def download_name(contest: str, status: str, when: str, extension: str) -> str:
    """`{contest}-{status}-{local time}.{extension}`: every part made of letters, digits, `-` and `T`."""
    return f"{contest}-{status}-{when}.{extension}"


def attachment(name: str) -> dict[str, str]:
    """The header that makes a browser save the answer under `name`."""
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@router.get("/protocol.pdf", response_class=Response, responses={200: {"content": {"application/pdf": {}}}})
def protocol_pdf(context: ContextDep, contest: Contest = None) -> Response:
    """The results protocol as it stands, as a PDF in the caller's language, every page marked partial or
    certified (administrators, coordinators, observers)."""
    with context.unit_of_work() as connection:
        chosen, status, result, sha = results.standing(connection, context.user(connection), contest)
        zone = commission_zone(connection, chosen)
    certified = f"SHA-256 {sha[:16]}…" if sha else None
    pdf = render_pdf(result, lang=request_language(context.request), certified=certified)
    name = download_name(chosen, status, stamp(zone), "pdf")
    return Response(pdf, media_type="application/pdf", headers=attachment(name))
