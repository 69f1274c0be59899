"""The files of one published version, in groups that are stored together and skipped together.

A group is what changes together: one polling station (its page in every language, its protocols as JSON
and CSV), one district's bulk open data (every station's protocols of the district as CSV and JSON), one
district (its pages), the NIST report, the static files, and the version itself (the results pages, projector
views and small downloads, which name the version and its time). A group carries a `source`: a hash of what
its files are made from (a station's accepted protocols, the election's names, the renderer; a district's
stations; the count the NIST report says), so a group whose source did not change is neither rendered nor
written again: the version references the files an earlier version stored. Other groups are rendered and
compared by their bytes.

Pages link to each other by relative paths between their stored keys (`Locator`), so a version's pages
work from any host and any folder; a page that did not change stays where an earlier version stored it.

A day of several contests publishes each contest under its own prefix (`majilis/kk/index.html`,
`majilis/station/101.json`), every page with a contest switcher; its NIST report, one `Election` with every
contest, is the version's own (`results.nist.json` beside the contests' folders).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, partial
from importlib import resources
from itertools import repeat
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from saylau.publish import district_page, station_page
from saylau.publish.reuse import Made, Written
from saylau.reports.corrections import describe
from saylau.reports.counted import of_stations
from saylau.reports.csv_report import render_csv
from saylau.reports.i18n import LANGUAGES, Words, words
from saylau.reports.nist import StationCount, station_id
from saylau.reports.view import ResultView, build_view
from saylau.service.scans import extension
from saylau.store.scans import Scan
from saylau.tabulation import FIGURES, Protocol, Station
from saylau.web import public
from saylau.web.labels import words as form_words
from saylau.web.snapshot import Snapshot

HTML = "text/html; charset=utf-8"
JSON = "application/json"
CSV = "text/csv; charset=utf-8"
XML = "application/xml"

LANGUAGE_NAMES = public.LANGUAGE_NAMES
PAGE_LANGUAGES = ("kk", "ru", "en")
"""The pages' languages, Kazakh first (the state language), then Russian, then English."""

BULK_FORMAT = "saylau-stations-by-district/1"
"""Every station's protocols, one CSV and one JSON file per district (`stations/district-N.*`), listed in the
version's `stations-by-district.json`."""

_ENV = Environment(
    loader=PackageLoader("saylau.publish", "templates"),
    autoescape=select_autoescape(["html", "j2"], default=True),
    auto_reload=False,  # package data, fixed for the process (as `renderer()` says): no stat of two files per page
)


@dataclass(frozen=True, slots=True)
class File:
    """One published file: its path inside a version, its bytes and its media type."""

    path: str
    body: bytes
    media: str


@dataclass(frozen=True, slots=True)
class Group:
    """Files stored together: `render` makes them; an unchanged `source` (when given) skips the rendering. A
    source may depend on where the groups before it lie (a district's pages link to its stations' pages):
    then it is a function of the `Locator`, called when the group's turn comes."""

    name: str
    source: str | Callable[[Locator], str] | None
    render: Callable[[Locator], list[File]]
    prepare: Callable[[], object] | None = None
    """What rendering the group would find first (a station's corrections), asked before any group is rendered
    when the group changed: the NIST report says whether the version corrects figures."""
    alone: bool = False
    """Made from the count alone, whatever the Locator says (the NIST report): it may be made ahead, elsewhere."""

    def source_at(self, where: Locator) -> str | None:
        return self.source(where) if callable(self.source) else self.source


@dataclass(slots=True)
class Locator:
    """Where each group of this version is stored (`at`: the version that wrote it), for links between pages,
    and its files as the manifest lists them (`files`: path -> [SHA-256, size, media type])."""

    at: dict[str, int] = field(default_factory=dict)
    files: dict[str, Mapping[str, Sequence[Any]]] = field(default_factory=dict)

    def key(self, group: str, path: str) -> str:
        return f"v/{self.at[group]}/{path}"


def href(from_path: str, to_key: str) -> str:
    """The relative link from a file at `v/?/from_path` (any version: pages never name their own) to `to_key`."""
    depth = from_path.count("/") + 2  # the file's folders inside the version, the version, `v`
    return "../" * depth + to_key


@cache
def _form_words(lang: str) -> dict[str, str]:
    """The protocol form's own words (its lines, as the service's data entry names them)."""
    return form_words(lang)


def sha256(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


@cache
def renderer() -> str:
    """A hash of everything a page is made with besides its figures: templates (and the modules that write some of
    them out in Python: `layout`, `station_page`, `district_page`), catalogues, styles."""
    digest = hashlib.sha256()
    for package, folder in (("saylau.publish", "templates"), ("saylau.web", "static")):
        for item in sorted(resources.files(package).joinpath(folder).iterdir(), key=lambda p: p.name):
            digest.update(item.name.encode() + item.read_bytes())
    for written in ("layout.py", "station_page.py", "district_page.py"):  # templates written out in Python
        digest.update(resources.files("saylau.publish").joinpath(written).read_bytes())
    for lang in LANGUAGES:
        digest.update(resources.files("saylau").joinpath("locale", lang, "LC_MESSAGES", "saylau.po").read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class ContestLink:
    """A contest of the day for the switcher: its id, its folder in the version (`majilis/`), its names."""

    id: str
    prefix: str
    names: Mapping[str, str]


def scan_path(prefix: str, station: int, ballot: str, index: int, media: str) -> str:
    """Where a scan of a station's paper protocol lies in a version: `station/101/list-1.jpg`."""
    return f"{prefix}station/{station}/{ballot}-{index}.{extension(media)}"


def mark_scans(report: dict[str, Any], scans: Iterable[tuple[str, Mapping[tuple[int, str], Sequence[Scan]]]]) -> None:
    """Name each published scan's SHA-256 on its station's ReportingUnit in a NIST report (an
    ExternalIdentifier of OtherType `protocol-scan-sha256/CONTEST/BALLOT`), so a consumer of the NIST file can
    check the paper it rests on."""
    found: dict[str, list[dict[str, Any]]] = {}
    for contest, shown in scans:
        for (station, ballot), items in sorted(shown.items()):
            kind = "/".join(x for x in ("protocol-scan-sha256", contest, ballot) if x)
            found.setdefault(station_id(station), []).extend(
                {"@type": "ElectionResults.ExternalIdentifier", "Type": "other", "OtherType": kind, "Value": s.sha256}
                for s in items
            )
    units = report.get("GpUnit", [])
    for i, unit in enumerate(units):
        marks = found.get(unit.get("@id", ""))
        if marks:  # a new unit: a report's own may be kept (publish.reuse) for the next version
            units[i] = unit | {"ExternalIdentifier": [*unit.get("ExternalIdentifier", []), *marks]}


NIST_MADE = Made()
"""The lines of the last NIST report of a contest this process made: an unchanged line is not read again."""
NIST_WRITTEN = Written()
"""The last NIST report this process published: the next is written reusing its unchanged items' bytes."""


def nist_files(report: Mapping[str, Any]) -> list[File]:
    """A NIST report as the version publishes it: JSON (compact, as `json.dumps` with no indent writes it) and
    XML (as `render_nist_xml` writes it), each item that did not change since the last report taken from it."""
    body, xml = NIST_WRITTEN.write(report)
    return [File("results.nist.json", body, JSON), File("results.nist.xml", xml, XML)]


def station_json(
    station: Station,
    protocols: Sequence[Protocol],
    contest: str = "",
    scans: Mapping[tuple[int, str], Sequence[Scan]] | None = None,
) -> dict[str, Any]:
    """A station's open data: its register entry and each accepted protocol's lines and votes, and the scans
    of its paper (SHA-256, media type, file in the version) where the commission uploaded them."""
    prefix = f"{contest}/" if contest else ""
    out = []
    for p in sorted(protocols, key=lambda p: p.ballot):
        item: dict[str, Any] = {
            "ballot": p.ballot,
            **{name: p.figure(name) for name in FIGURES},
            "votes": dict(p.votes),
        }
        shown = (scans or {}).get((station.number, p.ballot), ())
        if shown:
            item["scans"] = [
                {"sha256": s.sha256, "media": s.media, "file": scan_path(prefix, station.number, p.ballot, i, s.media)}
                for i, s in enumerate(shown, 1)
            ]
        out.append(item)
    return {
        **({"contest": contest} if contest else {}),
        "station": station.number,
        "district": station.district,
        "registered": station.registered,
        "protocols": out,
    }


def protocols_csv(protocols: Iterable[Protocol]) -> bytes:
    """Accepted protocols in the election folder's own protocol format (`vote:OPTION` columns), so the file
    reads back into `saylau protocols` and `saylau results` as it is."""
    rows = sorted(protocols, key=lambda p: (p.station, p.ballot))
    options: list[str] = []
    seen: set[str] = set()
    for p in rows:
        for option in p.votes:
            if option not in seen:
                seen.add(option)
                options.append(option)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["station", "district", "ballot", *FIGURES, *(f"vote:{o}" for o in options)])
    blank = repeat("")
    writer.writerows(
        [p.station, p.district, p.ballot, *map(p.figure, FIGURES), *map(p.votes.get, options, blank)] for p in rows
    )
    return out.getvalue().encode()


@dataclass(frozen=True, slots=True)
class _StationData:
    """A station's open data as last made, with what it was made from (the very protocol objects: a count made
    again reads unchanged rows into the same objects, saylau.io.reread)."""

    station: Station
    protocols: tuple[Protocol, ...]
    scans: tuple[tuple[Scan, ...], ...]
    data: dict[str, Any]
    digest: str

    def same(self, station: Station, protocols: tuple[Protocol, ...], scans: tuple[tuple[Scan, ...], ...]) -> bool:
        return (
            self.station == station
            and len(self.protocols) == len(protocols)
            and all(a is b for a, b in zip(self.protocols, protocols, strict=True))
            and self.scans == scans
        )


_LAST_DATA: dict[str, dict[int, _StationData]] = {}
"""Each contest's stations' data as the last version made it: an unchanged station's is not made again."""


class Edition:
    """One snapshot's groups: what `publish` stores for it.

    `history(station, protocols)` gives a station's corrections (its earlier ones and what these protocols
    change in what was published); `ledger()` every correction so far, for the corrections page (called
    after the stations are rendered). `preview` marks every page as a preview for staff.
    """

    def __init__(
        self,
        snapshot: Snapshot,
        version: int,
        bundle: Mapping[str, Any] | None = None,
        *,
        preview: bool = False,
        history: Callable[[int, list[dict[str, Any]]], list[dict[str, Any]]] | None = None,
        ledger: Callable[[], list[dict[str, Any]]] | None = None,
        nist_status: Callable[[], str | None] | None = None,
        contest: str = "",
        day: Sequence[ContestLink] = (),
        scans: Mapping[tuple[int, str], Sequence[Scan]] | None = None,
        scan_bytes: Callable[[Collection[int]], Mapping[int, bytes]] | None = None,
    ) -> None:
        self.scans, self.scan_bytes = scans or {}, scan_bytes
        self.snapshot, self.version, self.bundle = snapshot, version, bundle or {}
        self.preview, self.history, self.ledger, self.nist_status = preview, history, ledger, nist_status
        self.contest, self.day = contest, tuple(day)
        self.prefix = f"{contest}/" if contest else ""
        """Where the contest's files lie in the version: '' for a single contest, `majilis/` on a day."""
        self.by_station: dict[int, list[Protocol]] = {}
        for p in snapshot.accepted:
            self.by_station.setdefault(p.station, []).append(p)
        self.stations = sorted(snapshot.stations, key=lambda s: s.number)
        self.by_district: dict[int, list[Station]] = {}
        for s in self.stations:
            self.by_district.setdefault(s.district, []).append(s)
        self.views: dict[str, ResultView] = {}
        self.nist = snapshot.result.election.date is not None and not contest  # a day's NIST is the version's
        self.station_data: dict[int, dict[str, Any]] = {}
        """Each station's data as published in this version (with its corrections), once rendered."""
        self.plain: dict[int, dict[str, Any]] = {}
        """Each station's data without its corrections (made once, for the station groups' sources)."""
        self.digests: dict[int, str] = {}
        """Each station's data as a SHA-256 (what its group, its district's bulk files and the count show)."""
        self.histories: dict[int, list[dict[str, Any]]] = {}
        """Each rendered station's corrections (asked once: each asking records what it finds)."""
        self._content: str | None = None

    def view(self, lang: str) -> ResultView:
        if lang not in self.views:
            self.views[lang] = build_view(self.snapshot.result, lang)
        return self.views[lang]

    def groups(self) -> list[Group]:
        """In the order links need them: a page's targets are placed before the page."""
        context = sha256(
            json.dumps(
                [
                    renderer(),
                    self.preview,
                    self.contest,
                    *((self.view(lang).election_name, self.view(lang).body_name) for lang in PAGE_LANGUAGES),
                ]
            ).encode()
        )
        out = [Group("static", None, self._static)]
        last = _LAST_DATA.get(self.contest, {})
        made: dict[int, _StationData] = {}
        for s in self.stations:
            protocols = tuple(self.by_station.get(s.number, ()))
            scans = tuple(tuple(self.scans.get((s.number, p.ballot), ())) for p in protocols)
            known = last.get(s.number)
            if known is None or not known.same(s, protocols, scans):
                data = station_json(s, protocols, self.contest, self.scans)
                known = _StationData(s, protocols, scans, data, sha256(json.dumps(data, sort_keys=True).encode()))
            made[s.number] = known
            data, digest = known.data, known.digest
            self.plain[s.number], self.digests[s.number] = data, digest
            source = sha256(f"{context}/{digest}".encode())
            prepare = partial(self._history, s.number, data["protocols"])
            out.append(Group(f"{self.prefix}station/{s.number}", source, self._station(s, data), prepare))
        districts = sorted(self.by_district)
        out += [Group(f"{self.prefix}stations/{d}", self._bulk_source(d), self._bulk(d)) for d in districts]
        out += [
            Group(f"{self.prefix}district/{d}", self._district_source(d, context), self._district(d))
            for d in sorted(self.by_district)
        ]
        _LAST_DATA[self.contest] = made
        if self.nist:
            out.append(Group("nist", self._nist_source, self._nist, alone=True))
        out.append(Group(f"{self.prefix}version", None, self.version_files))
        return out

    def content(self) -> str:
        """What this contest shows, less the version's number and time (after `groups`): its stations' data,
        its result, its status, its bundle, whether the gate holds it. A version whose every contest shows what
        the newest version showed is not published again, and an unchanged NIST report is not made again. Made
        once (a version asks for it two or three times, and the result's `repr` is most of it)."""
        if self._content is None:
            self._content = self._made_content()
        return self._content

    def _made_content(self) -> str:
        snapshot = self.snapshot
        shown = [
            self.contest,
            [self.digests[s.number] for s in self.stations],
            sha256(repr(snapshot.result).encode()),
            str(snapshot.result.status),
            self.bundle.get("sha256"),
            snapshot.held,
        ]
        return sha256(json.dumps(shown, default=str).encode())

    def _nist_source(self, _where: Locator) -> str:
        """The NIST report shows the count and whether this version corrects figures (asked once every station
        is rendered); its time is the version's that first wrote it."""
        return sha256(json.dumps(["nist", self.content(), self.nist_status() if self.nist_status else None]).encode())

    def _district_source(self, number: int, context: str) -> Callable[[Locator], str]:
        """What a district's pages are made of: its result in each language, its stations' figures and where
        their pages lie, the static files' place; unchanged, the district is neither rendered nor written."""

        def source(where: Locator) -> str:
            rows = [
                repr(next((d for d in self.view(lang).districts if d.number == number), None))
                for lang in PAGE_LANGUAGES
            ]
            stations = []
            for s in self.by_district[number]:
                protocols = self.by_station.get(s.number, [])
                found = [(p.ballot, p.found) for p in protocols]
                stations.append((s.number, s.registered, found, where.at.get(f"{self.prefix}station/{s.number}")))
            placed = [where.at.get("static"), where.at.get(f"{self.prefix}stations/{number}")]
            shown = [context, number, self.snapshot.by_district.get(number), rows, stations, placed]
            return sha256(json.dumps(shown, default=str).encode())

        return source

    def home(self, path: str, lang: str) -> str:
        """The link from `path` to this contest's page in the current version (the root page follows the pointer;
        `?contest=` picks the contest on a day of several)."""
        return href(path, "index.html") + (f"?lang={lang}&contest={self.contest}" if self.contest else "")

    def switcher(self, path: str, page: str, lang: str) -> list[dict[str, Any]]:
        """The contest switcher of a page of the version group (`page`: index.html or projector.html): links to
        the same page of each contest in the same version."""
        if len(self.day) < 2:
            return []
        up = "../" * (path.count("/"))
        return [
            {
                "id": c.id,
                "name": c.names.get(lang) or c.id,
                "href": f"{up}{c.prefix}{lang}/{page}",
                "current": c.id == self.contest,
            }
            for c in self.day
        ]

    # -- static --------------------------------------------------------------------------------------------

    def _static(self, _where: Locator) -> list[File]:
        css = resources.files("saylau.web").joinpath("static", "public.css").read_bytes()
        extra = resources.files("saylau.publish").joinpath("templates", "publish.css").read_bytes()
        script = resources.files("saylau.publish").joinpath("templates", "publish.js").read_bytes()
        return [
            File("static/public.css", css + b"\n" + extra, "text/css"),
            File("static/publish.js", script, "text/javascript"),
        ]

    def _common(self, path: str, where: Locator, w: Words) -> dict[str, Any]:
        view = self.view(w.lang)
        return {
            "_": w,
            "lang": w.lang,
            "languages": {code: LANGUAGE_NAMES[code] for code in PAGE_LANGUAGES},
            "view": view,
            "css": href(path, where.key("static", "static/public.css")),
            "script": href(path, where.key("static", "static/publish.js")),
            "root": href(path, ""),
            "home": self.home(path, w.lang),
            "preview": self.preview,
            "contests": [],
        }

    # -- stations ------------------------------------------------------------------------------------------

    def _station(self, station: Station, data: dict[str, Any]) -> Callable[[Locator], list[File]]:
        def render(where: Locator) -> list[File]:
            protocols = self.by_station.get(station.number, [])
            history = self._history(station.number, data["protocols"])
            full = {**data, "corrections": history}
            self.station_data[station.number] = full
            pre = self.prefix
            files = [
                File(f"{pre}station/{station.number}.json", json.dumps(full, ensure_ascii=False).encode(), JSON),
                File(f"{pre}station/{station.number}.csv", protocols_csv(protocols), CSV),
            ]
            shown = [
                (scan, scan_path(pre, station.number, p.ballot, i, scan.media))
                for p in protocols
                for i, scan in enumerate(self.scans.get((station.number, p.ballot), ()), 1)
            ]
            if shown and self.scan_bytes is not None:
                found = self.scan_bytes([scan.id for scan, _ in shown])
                files += [File(path, found[scan.id], scan.media) for scan, path in shown if scan.id in found]
            for lang in PAGE_LANGUAGES:
                w = words(lang)
                path = f"{pre}{lang}/station/{station.number}.html"
                context = self._common(path, where, w)
                context.update(
                    station=station,
                    registered=w.fmt.integer(station.registered),
                    protocols=[
                        self._protocol_view(p, w)
                        | {
                            "scans": [
                                {
                                    "href": "../../" + scan_path("", station.number, p.ballot, i, scan.media),
                                    "sha256": scan.sha256,
                                    "image": scan.media.startswith("image/"),
                                }
                                for i, scan in enumerate(self.scans.get((station.number, p.ballot), ()), 1)
                            ]
                        }
                        for p in sorted(protocols, key=lambda p: p.ballot)
                    ],
                    corrections=[
                        (c["version"], describe(c, w)) for c in sorted(history, key=lambda c: -int(c["version"]))
                    ],
                    json_href=f"../../station/{station.number}.json",
                    csv_href=f"../../station/{station.number}.csv",
                    switch={code: f"../../{code}/station/{station.number}.html" for code in PAGE_LANGUAGES},
                )
                files.append(File(path, station_page.render(context).encode(), HTML))
            return files

        return render

    def _history(self, station: int, protocols: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if station not in self.histories:
            self.histories[station] = self.history(station, protocols) if self.history else []
        return self.histories[station]

    @staticmethod
    def _protocol_view(p: Protocol, w: Words) -> dict[str, Any]:
        label = _form_words(w.lang)
        return {
            "ballot": label.get(p.ballot, p.ballot),
            "lines": [(label.get(name, name), w.fmt.integer(p.figure(name))) for name in FIGURES],
            "votes": [(option, w.fmt.integer(n)) for option, n in p.votes.items()],
        }

    # -- a district's bulk open data -----------------------------------------------------------------------

    def _bulk_source(self, number: int) -> Callable[[Locator], str]:
        """A district's bulk files show its stations' data (and where their scans lie): unchanged, they are
        neither made nor written again, and the version references the earlier version's files."""

        def source(where: Locator) -> str:
            stations = self.by_district[number]
            scans = [where.at.get(f"{self.prefix}station/{s.number}") for s in stations if self._scanned(s.number)]
            digests = [self.digests[s.number] for s in stations]
            return sha256(json.dumps([BULK_FORMAT, self.contest, number, digests, scans]).encode())

        return source

    def _scanned(self, station: int) -> bool:
        return any(self.scans.get((station, p.ballot)) for p in self.by_station.get(station, ()))

    def _bulk(self, number: int) -> Callable[[Locator], list[File]]:
        """`stations/district-N.csv` (the folder's own protocol format: `saylau results` reads it back) and
        `stations/district-N.json` (each station's register entry and accepted protocols; a scan's `file` is
        its key from the site's root, since the scan lies where its station's group does)."""

        def render(where: Locator) -> list[File]:
            stations = self.by_district[number]
            rows = []
            for s in stations:
                data = self.plain[s.number]
                if self._scanned(s.number):
                    group = f"{self.prefix}station/{s.number}"
                    data = {
                        **data,
                        "protocols": [
                            {**p, "scans": [{**x, "file": where.key(group, x["file"])} for x in p["scans"]]}
                            if "scans" in p
                            else p
                            for p in data["protocols"]
                        ],
                    }
                rows.append(data)
            protocols = [p for s in stations for p in self.by_station.get(s.number, ())]
            pre = self.prefix
            return [
                File(f"{pre}stations/district-{number}.csv", protocols_csv(protocols), CSV),
                File(f"{pre}stations/district-{number}.json", json.dumps(rows, ensure_ascii=False).encode(), JSON),
            ]

        return render

    def bulk_index(self, where: Locator) -> File:
        """`stations-by-district.json`: where each district's bulk files lie (their keys from the site's root),
        with their SHA-256 and size, so a consumer downloads every station's protocols and checks each file."""
        districts = []
        for d in sorted(self.by_district):
            group = f"{self.prefix}stations/{d}"
            files = where.files.get(group, {})
            entry: dict[str, Any] = {"district": d, "stations": len(self.by_district[d])}
            for kind in ("csv", "json"):
                path = f"{self.prefix}stations/district-{d}.{kind}"
                digest, size, _media = files[path]
                entry[kind] = {"file": where.key(group, path), "sha256": digest, "size": size}
            districts.append(entry)
        body = {"format": BULK_FORMAT, **({"contest": self.contest} if self.contest else {}), "districts": districts}
        return File(f"{self.prefix}stations-by-district.json", json.dumps(body, ensure_ascii=False).encode(), JSON)

    # -- districts -----------------------------------------------------------------------------------------

    def _district(self, number: int) -> Callable[[Locator], list[File]]:
        def render(where: Locator) -> list[File]:
            files = []
            pre = self.prefix
            for lang in PAGE_LANGUAGES:
                w = words(lang)
                path = f"{pre}{lang}/district/{number}.html"
                view = self.view(lang)
                row = next((d for d in view.districts if d.number == number), None)
                stations = []
                for s in self.by_district[number]:
                    protocols = {p.ballot: p for p in self.by_station.get(s.number, [])}
                    counted = protocols.get("list") or protocols.get("district")
                    stations.append(
                        {
                            "number": s.number,
                            "href": href(
                                path, where.key(f"{pre}station/{s.number}", f"{pre}{lang}/station/{s.number}.html")
                            ),
                            "registered": w.fmt.integer(s.registered),
                            "found": w.fmt.integer(counted.found) if counted else None,
                            "ballots": len(protocols),
                        }
                    )
                reported, expected = self.snapshot.by_district.get(number, (0, 0))
                bulk = f"{pre}stations/{number}"
                context = self._common(path, where, w)
                context.update(
                    bulk_csv=href(path, where.key(bulk, f"{pre}stations/district-{number}.csv")),
                    bulk_json=href(path, where.key(bulk, f"{pre}stations/district-{number}.json")),
                    number=number,
                    name=row.name if row else "",
                    candidates=[(c, w.fmt.integer(c.votes)) for c in row.candidates] if row else [],
                    winner=row.winner if row else None,
                    stations=stations,
                    progress=of_stations(w, reported, expected),
                    switch={code: f"../../{code}/district/{number}.html" for code in PAGE_LANGUAGES},
                )
                files.append(File(path, district_page.render(context).encode(), HTML))
            return files

        return render

    # -- the version ---------------------------------------------------------------------------------------

    def version_files(self, where: Locator) -> list[File]:
        snapshot = self.snapshot
        ledger = self.ledger() if self.ledger else []
        summary = json.loads(public._json(snapshot))
        summary["preview"] = self.preview
        summary["corrections"] = [c for c in ledger if c["version"] == self.version]
        if self.contest:
            summary["contest"] = self.contest
        pre = self.prefix
        files = [
            File(f"{pre}results.json", json.dumps(summary, ensure_ascii=False).encode(), JSON),
            File(f"{pre}results.csv", render_csv(snapshot.result).encode(), CSV),
            self.bulk_index(where),
        ]
        if self.bundle:
            files.append(File(f"{pre}results-bundle.json", json.dumps(self.bundle, ensure_ascii=False).encode(), JSON))
        for lang in PAGE_LANGUAGES:
            files.append(self._index(lang, where, bool(ledger)))
            files.append(self._projector(lang, where))
            files.append(self._corrections(lang, where, ledger))
        return files

    def _nist(self, _where: Locator) -> list[File]:
        """The NIST report of a contest alone (NIST's report needs the election's date); a day's is the day's."""
        snapshot = self.snapshot
        status = self.nist_status() if self.nist_status else None
        count = StationCount(self.stations, snapshot.accepted)
        report = NIST_MADE.report(snapshot.result, status, snapshot.built, count)
        mark_scans(report, [(self.contest, self.scans)])
        return nist_files(report)

    def _corrections(self, lang: str, where: Locator, ledger: list[dict[str, Any]]) -> File:
        w = words(lang)
        path = f"{self.prefix}{lang}/corrections.html"
        versions: dict[int, list[str]] = {}
        for change in ledger:
            if change.get("contest", "") != self.contest:
                continue
            versions.setdefault(int(change["version"]), []).append(describe(change, w))
        context = self._common(path, where, w)
        context.update(
            versions=[
                (number, href(path, f"v/{number}/{self.prefix}{lang}/index.html"), versions[number])
                for number in sorted(versions, reverse=True)
            ],
            version=self.version,
            feed=href(path, f"feed.{lang}.atom"),
            feed_json=href(path, f"feed.{lang}.json"),
            switch={code: f"../{code}/corrections.html" for code in PAGE_LANGUAGES},
        )
        return File(path, _ENV.get_template("corrections.html.j2").render(**context).encode(), HTML)

    def _index(self, lang: str, where: Locator, corrected: bool) -> File:
        w = words(lang)
        path = f"{self.prefix}{lang}/index.html"
        fragment = public._live(lang)(self.snapshot).decode()
        nist = "nist" in where.at  # a contest with a date alone, or a day: the version's NIST report
        if not nist:
            fragment = re.sub(r'<li><a href="/api/public/results\.nist\.json[^<]*</a></li>', "", fragment)
        for before, after in (
            ("/api/public/results.csv", "../results.csv"),
            ("/api/public/results.json", "../results.json"),
            ("/api/public/results.nist.json", href(path, where.key("nist", "results.nist.json")) if nist else ""),
            ("/api/bundle", "../results-bundle.json"),
        ):
            fragment = re.sub(f'href="{re.escape(before)}(\\?contest=[^"]*)?"', f'href="{after}"', fragment)
        # the statistics page is the service's own (computed on request): a static host has none to link to
        fragment = re.sub(r'<section aria-labelledby="h-statistics".*?</section>\n?', "", fragment, flags=re.S)
        context = self._common(path, where, w)
        context.update(
            fragment=Markup(fragment),  # rendered by the public page's own autoescaping template
            version=self.version,
            districts=[
                (d, href(path, where.key(f"{self.prefix}district/{d}", f"{self.prefix}{lang}/district/{d}.html")))
                for d in sorted(self.by_district)
            ],
            switch={code: f"../{code}/index.html" for code in PAGE_LANGUAGES},
            corrections="corrections.html" if corrected else None,
            nist=nist,
            nist_xml=href(path, where.key("nist", "results.nist.xml")) if nist else "",
            contests=self.switcher(path, "index.html", lang),
            page=f"../../{self.prefix}{lang}/index.html" if self.contest else "",
            feed=href(path, f"feed.{lang}.atom"),
        )
        return File(path, _ENV.get_template("index.html.j2").render(**context).encode(), HTML)

    def _projector(self, lang: str, where: Locator) -> File:
        w = words(lang)
        path = f"{self.prefix}{lang}/projector.html"
        context = self._common(path, where, w)
        context.update(
            fragment=Markup(public._projector(lang, fragment=True)(self.snapshot).decode()),
            version=self.version,
            switch={code: f"../{code}/projector.html" for code in PAGE_LANGUAGES},
            contests=self.switcher(path, "projector.html", lang),
            page=f"../../{self.prefix}{lang}/projector.html" if self.contest else "projector.html",
        )
        return File(path, _ENV.get_template("projector.html.j2").render(**context).encode(), HTML)
