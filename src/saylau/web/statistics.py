"""The public statistics page (`/statistics`, no login): `saylau forensics` of the count, labelled as
statistics, not findings (docs/forensics.md). The public page links to it from its own section
(`templates/_statistics.html.j2`).

The statistics are computed once the count is complete (every expected protocol accepted, or certified):
on a partial count the stations in are not a random sample (small or central ones report first), so their
fingerprint would mislead. They are computed once per snapshot and language, and only when asked for, and
answered as the public page is (`public.respond`: the same bytes per snapshot, an ETag, 304, gzip).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from saylau.analysis.forensics import examine
from saylau.domain import CountStatus
from saylau.reports.forensics import LABEL, forensics_sheet
from saylau.reports.i18n import words
from saylau.reports.sheet import Sheet, render_sheet_html
from saylau.service.definition import current
from saylau.service.protocols import accepted
from saylau.store import Database
from saylau.web.public import HTML, Resource, language, latest, respond
from saylau.web.snapshot import Snapshot

router = APIRouter()

RESAMPLES = 1000


@router.get("/statistics", include_in_schema=False)
async def statistics_page(request: Request) -> Response:
    """The statistics of the complete count, or a page saying they come when the count is complete."""
    lang = language(request)
    database: Database = request.app.state.database
    page = Resource(f"statistics-{lang}", HTML, lambda s: _render(s, database, lang))
    return respond(request, latest(request), page)  # once per snapshot and language, with its ETag (304)


def _render(snapshot: Snapshot, database: Database, lang: str) -> bytes:
    w = words(lang)
    if snapshot.result.status is CountStatus.PARTIAL:
        waiting = Sheet(
            w.lang,
            w("Statistical checks of the count"),
            w(LABEL),
            (w("The statistics are computed once every protocol is in."),),
            (),
        )
        return render_sheet_html(waiting).encode()
    with database.read_unit_of_work() as connection:  # deferred: never SQLite's write lock (a --public-only process)
        definition = current(connection, snapshot.contest or None)
        protocols = accepted(connection, snapshot.contest or None)
    parties_of = {d.number: {c.name: c.party for c in d.candidates} for d in definition.election.districts}
    results = examine(protocols, None, parties_of, resamples=RESAMPLES)
    return render_sheet_html(forensics_sheet(results, lang)).encode()
