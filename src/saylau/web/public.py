"""The public results page (`/`, no login) and the commission's projector view (`/projector`).

Both are served from the latest `Snapshot`: the HTML, its live fragment and the downloads are rendered once
per snapshot and language (and gzip-compressed once) and then handed out as the same bytes, with a strong ETag
and Last-Modified, so a reader that already has them gets `304 Not Modified` (`answer`). The page updates
itself by polling its fragment (`static/live.js`, no library, nothing from the internet) with the ETag it
already has, from the first poll on; without script it is still a complete page.
The language is `?lang=` when given, else the browser's `Accept-Language`, else English. On a day of several
contests, `?contest=ID` picks the contest (the day's first without it), and every page has a contest switcher.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import format_datetime
from fractions import Fraction
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from saylau.domain import CountStatus
from saylau.reports import counted, phrases
from saylau.reports.csv_report import render_csv
from saylau.reports.hemicycle import PATTERNS, render_hemicycle
from saylau.reports.i18n import LANGUAGES, N_, Words, words
from saylau.reports.nist import render_nist
from saylau.reports.projection import projection_panel
from saylau.reports.summary import summary
from saylau.reports.view import DistrictRow, LineKind, ResultView, build_view
from saylau.service.errors import Conflict, NotFound
from saylau.service.states import EntryState
from saylau.web import assets
from saylau.web.snapshot import FIGURES, PROGRESS, DaySnapshots, Snapshot

router = APIRouter(include_in_schema=True)

_ENV = Environment(
    loader=PackageLoader("saylau.web", "templates"),
    autoescape=select_autoescape(["html", "j2"], default=True),
)
_ENV.globals["static"] = assets.url  # fingerprinted /static/ addresses, cached for a year

LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
"""Each language named in itself, as language switches do."""

POLL_SECONDS = 5
"""How often the page asks for a newer fragment (a 304 costs the server almost nothing)."""

KEEP_ALIVE_SECONDS = 4 * POLL_SECONDS
"""How long `saylau serve` keeps a reader's idle connection open: longer than the page's poll interval, so a
browser polling every `POLL_SECONDS` keeps its connection, where uvicorn's default (5 s, the interval itself)
closed it before most polls and every poll paid for a new connection."""


def snapshots(request: Request) -> DaySnapshots:
    """The app's snapshot cache (one per worker)."""
    found: DaySnapshots | None = getattr(request.app.state, "snapshots", None)
    if found is None:
        found = DaySnapshots(request.app.state.database)
        request.app.state.snapshots = found
    return found


def latest(request: Request) -> Snapshot:
    """The latest snapshot of the contest the request names (`?contest=`; the day's first without it)."""
    contest = request.query_params.get("contest") or None
    day = snapshots(request)
    if not day.knows(contest):
        known = {"contest": repr(contest)[:66], "contests": ", ".join(day.contests())}
        raise NotFound("the day has no contest {contest}: {contests}", "contest", code="contest", values=known)
    return day.latest(contest)


def contest_query(snapshot: Snapshot) -> str:
    """`&contest=ID` on a day of several contests (links keep the contest), else nothing."""
    return f"&contest={snapshot.contest}" if len(snapshot.contests) > 1 else ""


def contest_links(snapshot: Snapshot, lang: str, path: str) -> list[dict[str, Any]]:
    """The contest switcher's links to `path` (none on a day of one contest)."""
    if len(snapshot.contests) < 2:
        return []
    return [
        {
            "id": c.id,
            "name": c.name(lang),
            "href": f"{path}?lang={lang}&contest={c.id}",
            "current": c.id == snapshot.contest,
        }
        for c in snapshot.contests
    ]


def choose_language(asked: str, accept_language: str) -> str:
    """`asked` (`?lang=`) if it names a catalogue, else the browser's first catalogue language, else en."""
    if asked in LANGUAGES:
        return asked
    for part in accept_language.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return "en"


def language(request: Request) -> str:
    """The language of a page for this request (`choose_language`)."""
    return choose_language(request.query_params.get("lang", ""), request.headers.get("accept-language", ""))


@dataclass(frozen=True, slots=True)
class Prepared:
    """One representation (plain or gzip) of one rendering of one snapshot with its response headers, built
    once and sent as they are."""

    etag: bytes
    body: bytes
    headers: list[tuple[bytes, bytes]]
    """The headers of a 200 (with Content-Type and Content-Length)."""
    not_modified: list[tuple[bytes, bytes]]
    """The headers of a 304: the validators and caching rules, no body."""


@dataclass(frozen=True, slots=True)
class Rendering:
    """One rendering of one snapshot: its plain bytes and, where compressing saves bytes, the same gzip-compressed
    (each its own strong ETag: they are not the same bytes)."""

    plain: Prepared
    gzipped: Prepared | None


CACHE_CONTROL = b"public, max-age=0, s-maxage=1, must-revalidate"
"""A live page: a browser asks again every time (a 304 while the version stands), a shared cache in front
(a CDN, a proxy) may answer for one second, so a crowd of readers costs the service one request a second
there; the page itself lags the count by a second or two anyway (`web.snapshot`)."""

VARY = b"Accept-Language, Accept-Encoding"

GZIP_FROM = 512
"""Bodies shorter than this (bytes) are sent plain: compressing them saves less than the headers cost."""


def etag(snapshot: Snapshot, key: str, encoding: str = "", shows: str = FIGURES) -> str:
    """The strong ETag of a rendering (`key`: a format and a language) of `snapshot`, per encoding: named by the
    version since which what it `shows` stands (`Snapshot.stamp`), so an unchanged rendering keeps it."""
    version = snapshot.stamp(shows).version
    return f'"v{version}-{snapshot.contest}-{key}{"-" + encoding if encoding else ""}"'


@dataclass(frozen=True, slots=True)
class Resource:
    """What one public path serves in one language: its key in the snapshot, media type and renderer."""

    key: str
    media: str
    render: Callable[[Snapshot], bytes]
    shows: str = FIGURES
    """What it shows (`snapshot.FIGURES`, or `PROGRESS` for the projector): what must change for it to change."""

    def prepare(self, snapshot: Snapshot) -> Rendering:
        """Render, compress and frame this resource for `snapshot` (once per snapshot: `Snapshot.rendering`)."""
        body = self.render(snapshot)
        plain = self._framed(snapshot, body, "")
        packed = gzip.compress(body, compresslevel=6, mtime=0) if len(body) >= GZIP_FROM else body
        gzipped = self._framed(snapshot, packed, "gzip") if len(packed) < len(body) else None
        return Rendering(plain, gzipped)

    def _framed(self, snapshot: Snapshot, body: bytes, encoding: str) -> Prepared:
        tag = etag(snapshot, self.key, encoding, self.shows).encode()
        common = [
            (b"etag", tag),
            (b"last-modified", format_datetime(snapshot.stamp(self.shows).built, usegmt=True).encode()),
            (b"cache-control", CACHE_CONTROL),
            (b"vary", VARY),
        ]
        framing = [(b"content-type", self.media.encode()), (b"content-length", str(len(body)).encode())]
        if encoding:
            framing.append((b"content-encoding", encoding.encode()))
        return Prepared(tag, body, framing + common, common)


HTML = "text/html; charset=utf-8"


def _resources() -> dict[tuple[str, str], Resource]:
    """Every public path in every language (the downloads are the same in all of them)."""
    found: dict[tuple[str, str], Resource] = {}
    for lang in LANGUAGES:
        found["/", lang] = Resource(f"page-{lang}", HTML, _page(lang))
        found["/live", lang] = Resource(f"live-{lang}", HTML, _live(lang))
        found["/projector", lang] = Resource(f"projector-{lang}", HTML, _projector(lang), PROGRESS)
        found["/projector/live", lang] = Resource(
            f"projector-live-{lang}", HTML, _projector(lang, fragment=True), PROGRESS
        )
        found["/api/public/results.json", lang] = Resource("json", "application/json", _json)
        found["/api/public/results.csv", lang] = Resource("csv", "text/csv; charset=utf-8", _csv)
        found["/api/public/results.nist.json", lang] = Resource("nist", "application/json", _nist)
    return found


def answer(
    snapshot: Snapshot, resource: Resource, if_none_match: bytes, accept_encoding: bytes = b""
) -> tuple[int, Prepared]:
    """The status (200, or 304 when the reader already has this version, plain or gzip) and the representation:
    gzip where the reader accepts it and it is smaller, else plain; on a 304 the one whose ETag the reader sent."""
    rendering: Rendering = snapshot.rendering(resource.key, resource.prepare, resource.shows)
    chosen = rendering.gzipped if rendering.gzipped is not None and accepts_gzip(accept_encoding) else rendering.plain
    if if_none_match:
        if if_none_match.strip() == b"*":
            return 304, chosen
        for held in (chosen, rendering.plain, rendering.gzipped):
            if held is not None and held.etag in if_none_match:  # a weak W/"..." matches too (RFC 9110 13.1.2)
                return 304, held
    return 200, chosen


def accepts_gzip(accept_encoding: bytes) -> bool:
    """Whether an `Accept-Encoding` header accepts gzip (`gzip`, `x-gzip` or `*`, not with `q=0`)."""
    asked = accept_encoding.lower()
    if b"gzip" not in asked and b"*" not in asked:
        return False
    for part in asked.split(b","):
        name, _, parameters = part.partition(b";")
        if name.strip() in (b"gzip", b"x-gzip", b"*"):
            q = parameters.strip().removeprefix(b"q=")
            try:
                return not parameters.strip() or float(q) > 0
            except ValueError:
                return False
    return False


def _respond(request: Request, path: str) -> Response:
    """A public path answered through FastAPI: the same bytes and headers as the fast path sends."""
    return respond(request, latest(request), RESOURCES[path, language(request)])


def respond(request: Request, snapshot: Snapshot, resource: Resource) -> Response:
    """`resource` of `snapshot` as a response: 200 with the prepared bytes, or 304 (`answer`)."""
    headers = request.headers
    status, prepared = answer(
        snapshot,
        resource,
        headers.get("if-none-match", "").encode("latin-1"),
        headers.get("accept-encoding", "").encode("latin-1"),
    )
    response = Response(prepared.body if status == 200 else b"", status_code=status)
    response.raw_headers = list(prepared.headers if status == 200 else prepared.not_modified)
    return response


@router.get("/", include_in_schema=False)
async def public_page(request: Request) -> Response:
    """The public results page: status, progress, parties, council so far, districts, downloads."""
    return _respond(request, "/")


@router.get("/live", include_in_schema=False)
async def public_live(request: Request) -> Response:
    """The page's changing part, which the page's script swaps in without a reload."""
    return _respond(request, "/live")


@router.get("/projector", include_in_schema=False)
async def projector(request: Request) -> Response:
    """Data-entry progress per district in large type, for the commission's room."""
    return _respond(request, "/projector")


@router.get("/projector/live", include_in_schema=False)
async def projector_live(request: Request) -> Response:
    """The projector's changing part."""
    return _respond(request, "/projector/live")


@router.get("/api/public/results.json")
async def results_json(request: Request) -> Response:
    """The current figures as `saylau results --json` prints them, with status, progress and version."""
    return _respond(request, "/api/public/results.json")


@router.get("/api/public/results.csv")
async def results_csv(request: Request) -> Response:
    """The current figures as CSV (the `saylau report --format csv` columns)."""
    return _respond(request, "/api/public/results.csv")


@router.get("/api/public/results.nist.json")
async def results_nist(request: Request) -> Response:
    """The current figures as a NIST SP 1500-100 v2 ElectionReport (its status says partial or final)."""
    return _respond(request, "/api/public/results.nist.json")


def _csv(snapshot: Snapshot) -> bytes:
    return render_csv(snapshot.result).encode()


NO_DATE = "this election has no date, and a NIST report needs one: election.toml must give date = YYYY-MM-DD"
"""Why the NIST download is refused for a folder without a date (`saylau synth` writes such folders)."""


def _nist(snapshot: Snapshot) -> bytes:
    """The NIST report, or 409 `no-date` (in the reader's language) when the election has no date."""
    if snapshot.result.election.date is None:
        raise Conflict(NO_DATE, "date", code="no-date")
    return render_nist(snapshot.result, generated=snapshot.stamp().built).encode()


def _json(snapshot: Snapshot) -> bytes:
    data = summary(snapshot.result)
    since = snapshot.stamp()  # the figures' version and time: unchanged figures keep these bytes
    data["version"] = since.version
    if len(snapshot.contests) > 1:
        data["contest"] = snapshot.contest
    data["updated"] = since.built.isoformat()
    data["bundle_sha256"] = snapshot.bundle_sha256
    data["districts_reported"] = {str(d): {"reported": r, "expected": e} for d, (r, e) in snapshot.by_district.items()}
    return json.dumps(data, ensure_ascii=False).encode()


def _page(lang: str) -> Callable[[Snapshot], bytes]:
    def render(snapshot: Snapshot) -> bytes:
        w = words(lang)
        view = build_view(snapshot.result, w.lang)
        context = _context(snapshot, view, w)
        return _ENV.get_template("public.html.j2").render(**context).encode()

    return render


def _live(lang: str) -> Callable[[Snapshot], bytes]:
    def render(snapshot: Snapshot) -> bytes:
        w = words(lang)
        view = build_view(snapshot.result, w.lang)
        return _ENV.get_template("public_live.html.j2").render(**_context(snapshot, view, w)).encode()

    return render


def _context(snapshot: Snapshot, view: ResultView, w: Words) -> dict[str, Any]:
    since = snapshot.stamp()  # the figures' version and time, never the snapshot's own (`Snapshot.stamp`)
    return {
        "_": w,
        "lang": w.lang,
        "languages": LANGUAGE_NAMES,
        "view": view,
        "contest_query": contest_query(snapshot),
        "contest_param": contest_query(snapshot).replace("&", "?", 1),
        "contests": contest_links(snapshot, w.lang, "/"),
        "version": since.version,
        "nist": snapshot.result.election.date is not None,  # a NIST report needs the date (`_nist`)
        "poll": POLL_SECONDS,
        "live_etag": etag(snapshot, RESOURCES["/live", w.lang].key),  # the first poll of the page gets a 304
        "updated": w.fmt.date(since.built.date()) + " " + since.built.strftime("%H:%M:%S") + " UTC",
        "status": phrases.status(view, w),
        "progress": [
            {
                "ballot": w(phrases.BALLOTS.get(p.ballot, p.ballot)),
                "stations": counted.of_stations(w, p.stations_reported, p.stations_expected),
                "voters": w.fmt.percent(_share(p.registered_covered, p.registered_expected)),
                "reported": p.stations_reported,
                "expected": p.stations_expected,
            }
            for p in view.progress
        ],
        "parties": _parties(view, w),
        "lines": [
            {
                "kind": line.kind.value,
                "label": w(phrases.LINES[line.kind]),
                "count": w.fmt.integer(line.count),
                "percent": "" if line.percent is None else w.fmt.percent(line.percent),
            }
            for line in view.ballot_lines
        ],
        "threshold": _threshold(view, w),
        "council_heading": w(COUNCIL[view.status]),
        "winner_heading": w("Leading") if view.partial else w("Winner"),
        "hemicycle": Markup(render_hemicycle(snapshot.result, lang=w.lang)),  # escaped by render_hemicycle
        "majority": phrases.majority(view, w),
        "turnout": phrases.turnout(view, w) if view.list_tally is not None and view.turnout is not None else None,
        "districts": [_district(d, snapshot.by_district.get(d.number, (0, 0)), w) for d in view.districts],
        "bundle_sha256": snapshot.bundle_sha256,
        "projection": Markup(
            projection_panel(
                snapshot.projection,
                {r.party: r.colour for r in view.parties},
                w,
                {r.party: r.name for r in view.parties},
            )
        )
        if snapshot.projection is not None
        else None,  # escaped by projection_panel
    }


COUNCIL = {
    CountStatus.PARTIAL: N_("The council so far"),
    CountStatus.COMPLETE: N_("The council elected"),
    CountStatus.CERTIFIED: N_("The council elected: certified result"),
}
"""The chart's heading: "so far" only while protocols are still coming in."""


def _district(d: DistrictRow, reported: tuple[int, int], w: Words) -> dict[str, Any]:
    """A district's line; while its stations are not all in, its leader is "leading", not a winner."""
    cells = phrases.district_cells(d, w)
    if reported[0] < reported[1] and d.winner:
        cells[5] = w("leading so far")
    return {"cells": cells, "reported": reported}


def _threshold_state(passed: bool | None, partial: bool, w: Words) -> str:
    """Over or under the threshold; on a partial count "so far", never "did not pass"."""
    if passed is None:
        return "–"
    if partial:
        return w("over the threshold so far") if passed else w("under the threshold so far")
    return w("over the threshold") if passed else w("under the threshold")


def _parties(view: ResultView, w: Words) -> list[dict[str, Any]]:
    passed = _passed(view)
    return [
        {
            "name": row.name,
            "full_name": row.full_name,
            "colour": row.colour,
            "pattern": PATTERNS[i % len(PATTERNS)],
            "votes": w.fmt.integer(row.list_votes),
            "percent": w.fmt.percent(row.list_percent),
            "passed": passed.get(row.party),
            "threshold_state": _threshold_state(passed.get(row.party), view.partial, w),
            "list_seats": row.list_seats,
            "district_seats": row.district_seats,
            "seats": row.seats,
        }
        for i, row in enumerate(view.parties)
    ]


def _passed(view: ResultView) -> dict[str, bool]:
    """Which lists are over the threshold on the count so far (none known before any list protocol)."""
    if view.allocation is None or view.allocation.threshold is None:
        return {}
    return {line.name: line.passed or line.admitted_by_minimum for line in view.allocation.threshold.lines}


def _threshold(view: ResultView, w: Words) -> str | None:
    """ "Threshold: 5%" as the rules set it, for the line drawn in the party table."""
    if view.allocation is None or view.allocation.threshold is None:
        return None
    rule = view.allocation.threshold.threshold
    if rule is None:
        return None
    if rule.percent is not None:
        return w("Threshold") + ": " + w.fmt.percent(rule.percent)
    if rule.votes is not None:
        return w("Threshold") + ": " + w.fmt.integer(rule.votes)
    return None


def _share(part: int, whole: int) -> Fraction | None:
    return Fraction(part * 100, whole) if whole else None


ENTRY_COLUMNS = (
    (EntryState.EMPTY, "not entered"),
    (EntryState.FIRST_ENTRY, "entered once"),
    (EntryState.DIFFERENT, "entries differ"),
    (EntryState.WARNINGS, "warnings to accept"),
    (EntryState.ACCEPTED, "accepted"),
)
"""The projector's columns: where each protocol of a district stands in double data entry."""


def _ballot_summary(view: ResultView, w: Words) -> list[tuple[str, str]]:
    """The list ballot's "against all", invalid ballots, ballots cast and turnout, for the projector's line."""
    shown = {LineKind.AGAINST_ALL, LineKind.INVALID, LineKind.CAST}
    items = []
    for line in view.ballot_lines:
        if line.kind in shown:
            value = w.fmt.integer(line.count)
            if line.percent is not None:
                value += f" ({w.fmt.percent(line.percent)})"
            items.append((w(phrases.LINES[line.kind]), value))
    if view.turnout is not None:
        items.append((w("Turnout"), w.fmt.percent(view.turnout)))
    return items


def _projector(lang: str, fragment: bool = False) -> Callable[[Snapshot], bytes]:
    def render(snapshot: Snapshot) -> bytes:
        w = words(lang)
        view = build_view(snapshot.result, w.lang)
        rows: list[dict[str, Any]] = []
        for entry in snapshot.entry:
            entered = sum(entry.states.values())
            counts = [entry.states.get(state.value, 0) for state, _label in ENTRY_COLUMNS]
            counts[0] += max(0, entry.expected - entered)
            rows.append({"district": entry.district, "counts": counts, "expected": entry.expected})
        totals = [sum(r["counts"][i] for r in rows) for i in range(len(ENTRY_COLUMNS))]
        context = {
            "_": w,
            "lang": w.lang,
            "languages": LANGUAGE_NAMES,
            "view": view,
            "contest_query": contest_query(snapshot),
            "contests": contest_links(snapshot, w.lang, "/projector"),
            "status": phrases.status(view, w),
            "updated": snapshot.stamp(PROGRESS).built.strftime("%H:%M:%S") + " UTC",
            "columns": [w(label) for _state, label in ENTRY_COLUMNS],
            "totals_line": _ballot_summary(view, w),
            "rows": rows,
            "totals": totals,
            "poll": POLL_SECONDS,
            "live_etag": etag(snapshot, RESOURCES["/projector/live", w.lang].key, shows=PROGRESS),
        }
        name = "projector_live.html.j2" if fragment else "projector.html.j2"
        return _ENV.get_template(name).render(**context).encode()

    return render


RESOURCES = _resources()
PATHS = frozenset(path for path, _lang in RESOURCES)
