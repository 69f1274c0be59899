"""The result as a NIST SP 1500-100 v2 ElectionReport (JSON), the interchange format of US results reporting.

Election offices and aggregators read this format without knowing saylau, so the export sticks to what the
schema (`ElectionResults.*`, JSON Schema draft-04) allows and records the Kazakh specifics it lacks in the
fields the schema leaves open (`OtherType`, `ExternalIdentifier`). docs/nist.md gives the full mapping; in
short, a consumer that sums the `total` counts of a contest's selections gets every vote cast for an
option, "against all" included (it is a selection of its own, as it is a line of the ballot), and gets the
same sums at every level: polling station -> district -> city, for the list ballot and the district ballot.

Ids are derived so they cannot collide (`Ids`): whatever the parties are called (Cyrillic short names that
have no ASCII letters, a party called "against all"), every `@id` is unique and every reference resolves.
"""

from __future__ import annotations

import codecs
import functools
import io
import itertools
import json
import os
import queue
import re
import sys
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any, BinaryIO, TextIO

from saylau.domain import CountStatus, Tally
from saylau.domain.election import Names
from saylau.errors import InputError, Phrase, Problem
from saylau.reports.i18n import N_, Words, words
from saylau.reports.problems import said
from saylau.result import Result
from saylau.tabulation import Protocol, Station

STATUSES = {
    "partial": "unofficial-partial",
    "complete": "unofficial-complete",
    "certified": "certified",
}
"""saylau's words for how final a result is -> the schema's `ResultsStatus`."""

CITY_ID = "gpu-city"
AGAINST_ALL_ID = "cand-against-all"
LIST_CONTEST_ID = "contest-list"

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_KAZAKH_ONLY = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


class Raw(str):
    """An item of a `Lazy` list already written as JSON (the hot path of the stream: a station's count)."""

    __slots__ = ()


class Block:
    """Several items of a `Lazy` list already written as JSON in UTF-8 and joined: `join(separator)` gives
    them with `separator` between each two (the columns' fast path, a chunk of stations at a time)."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[bytes, bool], bytes | memoryview]) -> None:
        self.make = make

    def join(self, separator: bytes, aligned: bool = False) -> bytes | memoryview:
        """The items with `separator` between each two; `aligned`: as a table, each figure right-aligned in
        its column with spaces before it (or before the string it stands in), the same JSON (the national
        stream's layout, `stream(aligned=True)`)."""
        return self.make(separator, aligned)

    @property
    def lines(self) -> list[str]:
        """The items, one string each (an item written as JSON on one line holds no line break)."""
        text = str(self.join(b"\n"), "utf-8")
        return text.split("\n") if text else []


class Lazy:
    """A list made when it is iterated (each time anew), so a stream writes it without holding it."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Iterable[Any]]) -> None:
        self.make = make

    def __iter__(self) -> Iterator[Any]:
        return iter(self.make())


def _read(lines: list[str]) -> list[Any]:
    return [json.loads(line) for line in lines]


def made(value: Any, read: Callable[[list[str]], list[Any]] = _read) -> Any:
    """`value` (a report as `report_of` makes it) as one dictionary: every `Lazy` list made into a list, the
    items it gives already written as JSON (a `Block`'s lines, a `Raw`) read back by `read`, a batch of lines
    at a time (`saylau.publish.reuse` reads a line the last report had as the object it read then)."""
    if isinstance(value, dict):
        return {k: made(v, read) for k, v in value.items()}
    if isinstance(value, (list, Lazy)):
        out: list[Any] = []
        for v in value:
            if isinstance(v, (Block, Raw)):
                out += read(v.lines if isinstance(v, Block) else [v])
            else:
                out.append(made(v, read))
        return out
    return value


def encoder() -> Callable[[Any], str]:
    """The encoder of one item of a `Lazy` list, on one line and compact (no space after `,` and `:`): the
    standard library's C encoder."""
    return json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


ITEMS = b",\n"
"""What stands between two items of a `Lazy` list in the report `stream` writes: each on a line of its own."""

Write = Callable[[str | bytes | memoryview], object]
"""Where a report's text goes, piece by piece: text, or UTF-8 bytes as they are (a `Block`'s)."""


def _dump(value: Any, write: Write, indent: str, aligned: bool = False) -> None:
    """Write `value` as indented JSON, except the items of a `Lazy` list: each on a line of its own, compact
    and at the line's start, by the C encoder (the items of a `Lazy` hold no `Lazy` themselves); a `Block` is
    written as the bytes it gives.

    Why the long lists' items are compact: at a million polling stations they are 14 million lines, and the
    indentation and the spaces after `,` and `:` were a sixth of the file's 2.4 GB, written to disk for no
    reader (a program parses the same document; a person reads the outline, which stays indented, and a line
    per station, which grep and head still find). `aligned`: a `Block`'s items as a table (`Block.join`)."""
    if isinstance(value, dict) and value:
        inner = indent + "  "
        for i, (key, item) in enumerate(value.items()):
            write(("{\n" if i == 0 else ",\n") + inner + json.dumps(key, ensure_ascii=False) + ": ")
            _dump(item, write, inner, aligned)
        write("\n" + indent + "}")
    elif isinstance(value, list) and any(isinstance(v, (dict, list, Lazy)) for v in value):
        inner = indent + "  "
        for i, item in enumerate(value):
            write(("[\n" if i == 0 else ",\n") + inner)
            _dump(item, write, inner, aligned)
        write("\n" + indent + "]")
    elif isinstance(value, Lazy):
        encode = encoder()
        first = True
        for item in value:
            if isinstance(item, Block):
                data = item.join(ITEMS, aligned)
                if data:
                    write("[\n" if first else ",\n")
                    write(data)
                    first = False
                continue
            write(("[\n" if first else ",\n") + (item if isinstance(item, Raw) else encode(item)))
            first = False
        write("[]" if first else "\n" + indent + "]")
    else:
        write(json.dumps(value, ensure_ascii=False))


@dataclass(frozen=True, slots=True)
class StationCount:
    """What the export needs of a count from station protocols: the register and the accepted protocols."""

    stations: Sequence[Station]
    accepted: Sequence[Protocol]


@dataclass
class Ids:
    """Hands out `@id`s: readable where the name allows (`party-Amanat`), numbered where it does not, never twice."""

    taken: set[str] = field(default_factory=set)

    def new(self, prefix: str, name: str = "") -> str:
        """`prefix-slug`, with `-2`, `-3`... added until it is free; a name with no ASCII letters gives `prefix`."""
        slug = re.sub(r"[^0-9A-Za-z_.]+", "-", name).strip("-")
        base = f"{prefix}-{slug}" if slug else prefix
        candidate, n = base, 1
        while candidate in self.taken:
            n += 1
            candidate = f"{base}-{n}"
        self.taken.add(candidate)
        return candidate


def language(text: str, cyrillic: str | None = None) -> str:
    """The language tag of a name, from its script: Cyrillic -> `kk` (with Kazakh letters) or the folder's
    `names.cyrillic` (`kk`/`ru`; `und-Cyrl` when it says nothing), Latin or no letters -> `en`."""
    if _CYRILLIC.search(text):
        if _KAZAKH_ONLY.search(text):
            return "kk"
        return cyrillic or "und-Cyrl"
    return "en"


def render_nist(
    result: Result,
    status: str | None = None,
    generated: datetime | None = None,
    issuer: str = "saylau",
    count: StationCount | None = None,
) -> str:
    """The ElectionReport as indented JSON.

    `status` defaults to the result's own (`partial` while protocols are missing, `complete`, `certified`);
    a caller may name a `ResultsStatus` itself (`correction`, `recount`). `generated` defaults to now (UTC);
    pass it to get a byte-for-byte reproducible file. `count` adds the polling stations as reporting units.
    """
    out = io.StringIO()
    write_nist(out, result, status, generated, issuer, count)
    return out.getvalue()


def write_nist(
    out: TextIO,
    result: Result,
    status: str | None = None,
    generated: datetime | None = None,
    issuer: str = "saylau",
    count: StationCount | None = None,
) -> None:
    """Write the ElectionReport to `out` as a stream (what `render_nist` returns as one string).

    Why: a national count has a million polling stations, each a reporting unit with a count for every option
    of both ballots; built whole in memory, that document took 2.9 GB at 100,000 stations. Here the stations'
    units and counts are made one at a time as they are written, each by the standard library's C encoder
    on one line, inside the indented structure of the report.
    """
    stream(out, report_of(Export, result, status, generated, issuer, count))


def stream(
    out: TextIO, report: Mapping[str, Any], dump: Callable[[Any, Write], None] | None = None, aligned: bool = False
) -> None:
    """Write a report as `report_of` makes it (its `Lazy` lists made as they are written), then a line break:
    by `dump` (default: the outline indented, each item of a `Lazy` list compact on a line of its own, a
    `Block`'s as a table where `aligned`; `saylau.reports.nist_day` indents every item)."""
    dump = dump or (lambda value, write: _dump(value, write, "", aligned))
    buffer = getattr(out, "buffer", None)
    utf8 = codecs.lookup(getattr(out, "encoding", None) or "ascii").name == "utf-8"
    if buffer is None or not utf8 or os.linesep != "\n":
        dump(report, lambda text: out.write(text if isinstance(text, str) else str(text, "utf-8")))
        out.write("\n")
        return
    out.flush()
    with _Behind(buffer) as sink:
        dump(report, sink.write)
        sink.write("\n")


class _Behind:
    """Writes to a UTF-8 file's binary buffer in a thread of its own, behind the one that makes the report.

    Why: a national report is gigabytes; the `Block`s are written as the bytes they are (decoded and encoded
    again they would take seconds), and the system's copying them into the file (some seconds for 2.4 GB)
    overlaps the making of the next ones, since a write lets go of the interpreter. Small pieces of text are
    gathered into one write; at most `DEPTH` writes wait."""

    DEPTH = 4
    SMALL = 1 << 16

    def __init__(self, buffer: BinaryIO) -> None:
        self.buffer = buffer
        self.waiting: queue.Queue[bytes | memoryview | None] = queue.Queue(self.DEPTH)
        self.pieces: list[bytes] = []
        self.size = 0
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self.run, name="nist-writer", daemon=True)

    def __enter__(self) -> _Behind:
        self.thread.start()
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if kind is None:
            self.send()
        self.waiting.put(None)
        self.thread.join()
        if self.error is not None and kind is None:
            raise self.error

    def run(self) -> None:
        while (item := self.waiting.get()) is not None:
            if self.error is None:
                try:
                    self.buffer.write(item)
                except BaseException as error:  # raised in the writing thread, on leaving `with`
                    self.error = error

    def write(self, text: str | bytes | memoryview) -> None:
        if self.error is not None:  # the file refused a write (a closed pipe, a full disk): stop making more
            raise self.error
        data = text.encode() if isinstance(text, str) else text
        if len(data) < self.SMALL:
            self.pieces.append(bytes(data))
            self.size += len(data)
            if self.size >= self.SMALL:
                self.send()
            return
        self.send()
        self.waiting.put(data)

    def send(self) -> None:
        if self.pieces:
            self.waiting.put(b"".join(self.pieces))
            self.pieces, self.size = [], 0


def election_report(
    result: Result,
    status: str | None = None,
    generated: datetime | None = None,
    issuer: str = "saylau",
    count: StationCount | None = None,
) -> dict[str, Any]:
    """The ElectionReport as a JSON-ready dictionary (what `render_nist` serialises), built whole."""
    plain = made(report_of(Export, result, status, generated, issuer, count))
    assert isinstance(plain, dict)
    return plain


def report_of(
    export: Callable[[Result, StationCount | None], Export],
    result: Result,
    status: str | None,
    generated: datetime | None,
    issuer: str,
    count: StationCount | None,
) -> dict[str, Any]:
    """The ElectionReport with its long lists (stations' units, counts, ballot counts) as `Lazy` ones, made by
    `export` (`Export`, the definition; `saylau.reports.nist_columns` writes the stations from columns)."""
    election = result.election
    if election.date is None:
        message = "a NIST ElectionReport needs the election date (StartDate/EndDate): add date = YYYY-MM-DD"
        raise InputError([Problem(message, "election.toml", field="date", code="no-date")])
    results_status = STATUSES.get(status or str(result.status), status or "")
    if results_status not in {*STATUSES.values(), "correction", "pre-election", "recount"}:
        message = f"unknown results status {status!r}; use one of {', '.join(STATUSES)}"
        raise InputError([Problem(message, field="status")])
    when = (generated or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    return export(result, count).report(results_status, when, issuer)


def _version() -> str:
    try:
        return version("saylau")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "unknown"


def _colour(colour: str) -> str:
    """`#abc` or `#aabbcc` -> `aabbcc`: the schema's HtmlColorString is six hex digits."""
    digits = colour.lstrip("#").lower()
    return "".join(c * 2 for c in digits) if len(digits) == 3 else digits


def vote_count(count: int, gp_unit: str, kind: str = "total") -> dict[str, Any]:
    """A VoteCounts of `count` at one unit (`total` votes, or `seats` won)."""
    return {"@type": "ElectionResults.VoteCounts", "Count": count, "GpUnitId": gp_unit, "Type": kind}


def count_status(done: int, total: int) -> list[dict[str, Any]]:
    """The schema's CountStatus: `completed`, `in-process` or `not-processed` from units done of units expected."""
    word = "completed" if done >= total else "in-process" if done else "not-processed"
    return [{"@type": "ElectionResults.CountStatus", "Status": word, "Type": "total"}]


def _external(other: str, value: str) -> list[dict[str, Any]]:
    return [{"@type": "ElectionResults.ExternalIdentifier", "Type": "other", "OtherType": other, "Value": value}]


class Export:
    """One export: the ids handed out so far and the counts per reporting unit, built once."""

    def __init__(self, result: Result, count: StationCount | None) -> None:
        self.result, self.election, self.count = result, result.election, count
        self.ids = Ids({CITY_ID, AGAINST_ALL_ID, LIST_CONTEST_ID})
        self.party_ids = {p.short_name: self.ids.new("party", p.short_name) for p in self.parties}
        self._complete: dict[int, bool] = {}
        self.by_station: dict[tuple[int, str], Protocol] = {}
        self.list_by_district: dict[int, Tally] = {}
        self.register(count.stations if count else ())
        self.index(count.accepted if count else ())

    def register(self, stations: Sequence[Station]) -> None:
        """The register in number order, and each district's stations (built once, read for each district)."""
        self.stations = sorted(stations, key=lambda s: s.number)
        self.stations_of: dict[int, list[Station]] = defaultdict(list)
        for station in self.stations:
            self.stations_of[station.district].append(station)

    def station_total(self, district: int | None = None) -> int:
        """How many stations the register has (in `district`; None: in all)."""
        return len(self.stations) if district is None else len(self.stations_of.get(district, ()))

    def index(self, accepted: Sequence[Protocol]) -> None:
        """Each station's accepted protocols by ballot, and the list ballot summed per district."""
        self.by_station = {(p.station, p.ballot): p for p in accepted}
        self.list_by_district = _sum_by_district(p for p in self.by_station.values() if p.ballot == "list")

    @property
    def parties(self) -> tuple[Any, ...]:
        return self.election.parties_in_registration_order

    def text(self, content: str, names: Names | None = None) -> dict[str, Any]:
        """One LanguageString tagged by its script, then the folder's names in other languages (`name_kk`...);
        a language the folder names itself is not guessed as well."""
        given = {lang: name for lang, name in (names or {}).items() if name}
        guessed = language(content, self.election.cyrillic)
        strings = [] if guessed in given else [(content, guessed)]
        strings += [(name, lang) for lang, name in given.items()]
        return {
            "@type": "ElectionResults.InternationalizedText",
            "Text": [
                {"@type": "ElectionResults.LanguageString", "Content": c, "Language": lang} for c, lang in strings
            ],
        }

    def report(self, results_status: str, when: datetime, issuer: str) -> dict[str, Any]:
        election = self.election
        contests = [self.district_contest(d.number) for d in election.districts]
        if election.results.list_tally is not None:
            contests.insert(0, self.list_contest(election.results.list_tally))
        election_obj: dict[str, Any] = {
            "@type": "ElectionResults.Election",
            "ElectionScopeId": CITY_ID,
            "Name": self.text(election.name, election.names),
            "StartDate": election.date.isoformat() if election.date else "",
            "EndDate": election.date.isoformat() if election.date else "",
            "Type": "general",
            "CountStatus": self.election_status(),
            "Candidate": self.candidates(),
            "Contest": contests,
            "BallotCounts": self.ballot_counts(),
        }
        return (
            {
                "@type": "ElectionResults.ElectionReport",
                "Format": "precinct-level" if self.station_total() else "summary-contest",
                "GeneratedDate": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "Issuer": issuer,
                "IssuerAbbreviation": issuer,
                "SequenceStart": 1,
                "SequenceEnd": 1,
                "Status": results_status,
                "VendorApplicationId": f"saylau {_version()}",
                "Election": [election_obj],
                "GpUnit": self.gp_units(),
                "Party": self.party_list(),
                "Office": self.offices(),
            }
            | ({"Person": officers} if (officers := self.officers()) else {})
            | ({"Notes": " ".join(election.notes)} if election.notes else {})
        )

    def election_status(self) -> list[dict[str, Any]]:
        """`completed` unless the count is partial; then `in-process`, or `not-processed` before any protocol."""
        if self.result.status is not CountStatus.PARTIAL:
            return count_status(1, 1)
        return count_status(sum(p.stations_reported for p in self.result.progress.values()), sys.maxsize)

    # -- reporting units ---------------------------------------------------------------------------------

    def gp_units(self) -> Lazy:
        """The city, its districts and (with protocols) its polling stations, each with its own figures."""
        election = self.election
        districts = [d.number for d in election.districts]
        city: dict[str, Any] = {
            "@id": CITY_ID,
            "@type": "ElectionResults.ReportingUnit",
            "Type": "city",
            "Name": self.text(election.territory or election.body.name),
            "IsDistricted": bool(districts),
            "ComposingGpUnitIds": [district_id(n) for n in districts],
            "TotalSubUnits": len(districts),
            "SubUnitsReported": sum(1 for n in districts if self.district_complete(n)),
            "CountStatus": count_status(sum(1 for n in districts if self.district_complete(n)), len(districts)),
        }
        if election.commission:
            administration: dict[str, Any] = {"@type": "ElectionResults.ElectionAdministration"}
            administration["Name"] = election.commission.name
            if officers := self.officers():
                administration["ElectionOfficialPersonIds"] = [person["@id"] for person in officers]
            city["ElectionAdministration"] = administration
        city |= _voters(election.results.list_tally or _sum([*election.results.district_tallies.values()]))
        return Lazy(lambda: itertools.chain([city], *(self.district_units(n) for n in districts)))

    def district_units(self, number: int) -> Iterator[dict[str, Any] | Raw | Block]:
        """The district's unit, then its stations' (made as they are written)."""
        district = next(d for d in self.election.districts if d.number == number)
        stations = self.station_total(number)
        unit: dict[str, Any] = {
            "@id": district_id(number),
            "@type": "ElectionResults.ReportingUnit",
            "Type": "city-council",
            "Name": self.text(
                district.name or f"District No. {number}",
                district.names if district.name else _in_kk_and_ru(N_("District No. {number}"), number=number),
            ),
            "Number": str(number),
        }
        if stations:
            done = self.reported(number)
            unit |= {"ComposingGpUnitIds": self.station_ids(number), "TotalSubUnits": stations}
            unit |= {"SubUnitsReported": done, "CountStatus": count_status(done, stations)}
        else:
            unit["CountStatus"] = count_status(int(number in self.election.results.district_tallies), 1)
        tally = self.list_by_district.get(number) or self.election.results.district_tallies.get(number)
        unit |= _voters(tally)
        yield unit
        yield from self.station_units(number)

    def station_ids(self, district: int) -> list[str]:
        """The ids of the district's stations, in order."""
        return [station_id(s.number) for s in self.stations_of.get(district, [])]

    def station_units(self, district: int) -> Iterator[dict[str, Any] | Block]:
        """The district's stations' reporting units, in order (the fast path writes them as `Block`)."""
        for station in self.stations_of.get(district, []):
            protocols = [p for b in ("list", "district") if (p := self.by_station.get((station.number, b)))]
            found = protocols[0].found if protocols else None
            yield self.station_unit(station.number, station.registered, len(protocols), found)

    def station_unit(self, number: int, registered: int, protocols: int, found: int | None) -> dict[str, Any]:
        """Station `number`'s unit: `protocols` of its ballots accepted, `found` on the first (None: none)."""
        unit: dict[str, Any] = {
            "@id": station_id(number),
            "@type": "ElectionResults.ReportingUnit",
            "Type": "precinct",
            "Name": self.text(
                f"Polling station No. {number}",
                _in_kk_and_ru(N_("Polling station No. {number}"), number=number),
            ),
            "Number": str(number),
            "VotersRegistered": registered,
            "CountStatus": count_status(protocols, len(self.ballots())),
        }
        if found is not None:
            unit["VotersParticipated"] = found
        return unit

    def ballots(self) -> list[str]:
        return (["list"] if self.election.results.list_tally is not None else []) + (
            ["district"] if self.election.districts else []
        )

    def reported(self, district: int, ballot: str | None = None) -> int:
        """How many of the district's stations have an accepted protocol of `ballot` (None: of every ballot)."""
        ballots = self.ballots() if ballot is None else [ballot]
        stations = self.stations_of.get(district, [])
        return sum(1 for s in stations if all((s.number, b) in self.by_station for b in ballots))

    def district_complete(self, number: int) -> bool:
        found = self._complete.get(number)
        if found is None:
            stations = self.station_total(number)
            if not stations:
                found = number in self.election.results.district_tallies
            else:
                found = self.reported(number) == stations
            self._complete[number] = found
        return found

    def officers(self) -> list[dict[str, Any]]:
        """The commission's chair, deputy chair and secretary, where the folder names them, as Persons."""
        commission = self.election.commission
        if commission is None:
            return []
        titles = [("chair", "Chair"), ("deputy_chair", "Deputy chair"), ("secretary", "Secretary")]
        return [
            {
                "@id": f"person-commission-{role.replace('_', '-')}",
                "@type": "ElectionResults.Person",
                "FullName": self.text(name),
                "Title": self.text(f"{title} of the {commission.name}"),
            }
            for role, title in titles
            if (name := getattr(commission, role))
        ]

    # -- parties, offices, candidates ------------------------------------------------------------------

    def party_list(self) -> list[dict[str, Any]]:
        return [
            {
                "@id": self.party_ids[p.short_name],
                "@type": "ElectionResults.Party",
                "Name": self.text(p.full_name, p.full_names),
                "Abbreviation": self.text(p.short_name, p.names),
                "Color": _colour(p.colour),
                "PartyScopeGpUnitIds": [CITY_ID],
            }
            for p in self.parties
        ]

    def offices(self) -> list[dict[str, Any]]:
        """A deputy's seat: one office per district and one for the list seats, all of the same body."""
        body = self.election.body.name
        offices = [
            {
                "@id": f"office-district-{d.number}",
                "@type": "ElectionResults.Office",
                "Name": self.text(f"Deputy of the {body}, {d.name or f'District No. {d.number}'}"),
                "ElectionDistrictId": district_id(d.number),
                "IsPartisan": True,
            }
            for d in self.election.districts
        ]
        if self.election.results.list_tally is not None:
            name = self.text(f"Deputy of the {body}, party lists")
            offices.insert(0, {"@id": "office-list", "@type": "ElectionResults.Office", "Name": name})
            offices[0] |= {"ElectionDistrictId": CITY_ID, "IsPartisan": True}
        return offices

    def candidates(self) -> list[dict[str, Any]]:
        """District candidates with their outcome, every list candidate with party and position, "against all"."""
        out = [
            {
                "@id": AGAINST_ALL_ID,
                "@type": "ElectionResults.Candidate",
                "BallotName": self.text("Against all", _in_kk_and_ru(N_("Against all"))),
                "ExternalIdentifier": _external("ballot-option", "against-all"),
            }
        ]
        winners = {o.number: o.winner.name for o in self.result.composition.districts if o.winner is not None}
        for district in self.election.districts:
            for i, candidate in enumerate(district.candidates, 1):
                entry: dict[str, Any] = {
                    "@id": candidate_id(district.number, i),
                    "@type": "ElectionResults.Candidate",
                    "BallotName": self.text(candidate.name),
                }
                if candidate.party in self.party_ids:
                    entry["PartyId"] = self.party_ids[candidate.party or ""]
                if district.number in winners:
                    won = winners[district.number] == candidate.name
                    entry["PostElectionStatus"] = "winner" if won else "defeated"
                out.append(entry)
        return out + self.list_candidates()

    def list_candidates(self) -> list[dict[str, Any]]:
        """Every candidate of every list (position order), `winner` where the list seat went to them."""
        deputies = self.result.composition.deputies
        elected = {(d.party, d.list_position) for d in deputies if d.district is None and d.list_position}
        out: list[dict[str, Any]] = []
        for party in self.parties:
            names = self.election.lists.get(party.short_name)
            entries = list(enumerate(names.candidates, 1)) if names else []
            if not entries:  # the list was not recorded: its elected deputies only, as the council names them
                own = [d for d in deputies if d.district is None and d.party == party.short_name]
                entries = [(d.list_position or 0, d.label) for d in own]
            for position, name in entries:
                entry: dict[str, Any] = {
                    "@id": self.ids.new(f"cand-list-{self.party_ids[party.short_name]}", str(position)),
                    "@type": "ElectionResults.Candidate",
                    "BallotName": self.text(name, _said_in_kk_and_ru(name)),
                    "PartyId": self.party_ids[party.short_name],
                    "ExternalIdentifier": _external("list-position", str(position)),
                }
                if (party.short_name, position) in elected:
                    entry["PostElectionStatus"] = "winner"
                out.append(entry)
        return out

    # -- contests and counts ---------------------------------------------------------------------------

    def units_for(self, ballot: str, district: int | None) -> Units:
        """(gp unit, tally) for one ballot at every level it is counted: city/district, districts, stations;
        the stations' are made each time the units are gone through (a stream holds none of them)."""
        return Units(self.summed_units(ballot, district), self.station_protocols(ballot, district))

    def summed_units(self, ballot: str, district: int | None) -> list[tuple[str, Tally]]:
        """The summed units of one ballot: the city and its districts (list), or the district (district)."""
        results = self.election.results
        if ballot == "list":
            assert results.list_tally is not None
            units = [(CITY_ID, results.list_tally)]
            units += [(district_id(n), t) for n, t in sorted(self.list_by_district.items())]
        else:
            tally = results.district_tallies.get(district or 0)
            units = [(district_id(district or 0), tally)] if tally is not None else []
        return units

    def station_protocols(self, ballot: str, district: int | None) -> list[Protocol]:
        """The accepted protocols of one ballot, station by station (all, or `district`'s)."""
        stations = self.stations if district is None else self.stations_of.get(district, [])
        return [p for s in stations if (p := self.by_station.get((s.number, ballot))) is not None]

    def list_contest(self, tally: Tally) -> dict[str, Any]:
        composition, progress = self.result.composition, self.result.progress.get("list")
        units = self.units_for("list", None)
        selections: list[dict[str, Any]] = []
        for i, party in enumerate(self.parties, 1):
            line = composition.party(party.short_name)
            won = [vote_count(line.list_seats, CITY_ID, "seats")] if line is not None else []
            counts = units.counts(party.short_name, won)
            selections.append(
                {
                    "@id": f"sel-list-{self.party_ids[party.short_name]}",
                    "@type": "ElectionResults.PartySelection",
                    "PartyIds": [self.party_ids[party.short_name]],
                    "SequenceOrder": i,
                    "VoteCounts": counts,
                }
            )
        selections.append(self.against_all("sel-list-against-all", len(selections) + 1, units))
        seats = sum(line.list_seats for line in composition.parties)
        blank = _blank(units)
        contest: dict[str, Any] = {
            "@id": LIST_CONTEST_ID,
            "@type": "ElectionResults.PartyContest",
            "ElectionDistrictId": CITY_ID,
            "Name": f"{self.election.body.name}, party lists",
            "VoteVariation": "proportional",
            "SequenceOrder": 1,
            "ExternalIdentifier": _external("number-elected", str(seats)),
            "ContestSelection": selections,
        } | blank
        return contest | _progress(progress.stations_reported, progress.stations_expected) if progress else contest

    def district_contest(self, number: int) -> dict[str, Any]:
        district = next(d for d in self.election.districts if d.number == number)
        units = self.units_for("district", number)
        selections: list[dict[str, Any]] = []
        for i, candidate in enumerate(district.candidates, 1):
            selection: dict[str, Any] = {
                "@id": f"sel-d{number}-{i}",
                "@type": "ElectionResults.CandidateSelection",
                "CandidateIds": [candidate_id(number, i)],
                "SequenceOrder": i,
                "VoteCounts": units.counts(candidate.name),
            }
            if candidate.party in self.party_ids:
                selection["EndorsementPartyIds"] = [self.party_ids[candidate.party or ""]]
            selections.append(selection)
        selections.append(self.against_all(f"sel-d{number}-against-all", len(selections) + 1, units))
        contest: dict[str, Any] = {
            "@id": f"contest-district-{number}",
            "@type": "ElectionResults.CandidateContest",
            "ElectionDistrictId": district_id(number),
            "Name": f"{self.election.body.name}, {district.name or f'District No. {number}'}",
            "NumberElected": 1,
            "VotesAllowed": 1,
            "VoteVariation": "plurality",
            "OfficeIds": [f"office-district-{number}"],
            "SequenceOrder": number + 1,
            "ContestSelection": selections,
        } | _blank(units)
        stations = self.station_total(number)
        if stations:
            contest |= _progress(self.reported(number, "district"), stations)
        return contest

    def against_all(self, selection_id: str, order: int, units: Units) -> dict[str, Any]:
        """ "Against all" is a line of the ballot: a selection of its own, counted as `total` like any other."""
        return {
            "@id": selection_id,
            "@type": "ElectionResults.CandidateSelection",
            "CandidateIds": [AGAINST_ALL_ID],
            "SequenceOrder": order,
            "VoteCounts": units.counts(None),
        }

    def ballot_counts(self) -> Lazy:
        """Ballots cast and rejected (invalid) per ballot at every level: `OtherType` says which ballot."""
        return Lazy(self._ballot_counts)

    def _ballot_counts(self) -> Iterator[dict[str, Any] | Block]:
        for ballot in self.ballots():
            districts = [None] if ballot == "list" else [d.number for d in self.election.districts]
            for district in districts:
                yield from self.units_for(ballot, district).ballot_counts(ballot)


def district_id(number: int) -> str:
    """The `@id` of district `number`'s ReportingUnit."""
    return f"gpu-district-{number}"


def station_id(number: int) -> str:
    """The `@id` of polling station `number`'s ReportingUnit."""
    return f"gpu-station-{number}"


def candidate_id(district: int, index: int) -> str:
    """The `@id` of the `index`-th candidate (ballot order) of district `district`."""
    return f"cand-d{district}-{index}"


def ballot_count(gp: str, ballot: str, cast: int, rejected: int) -> dict[str, Any]:
    """Ballots cast and rejected (invalid) of one ballot at one unit: `OtherType` says which ballot."""
    return {
        "@type": "ElectionResults.BallotCounts",
        "GpUnitId": gp,
        "Type": "other",
        "OtherType": f"{ballot}-ballot",
        "BallotsCast": cast,
        "BallotsRejected": rejected,
    }


class Units:
    """One ballot's reporting units: the summed ones (city, districts) with their tallies, then the stations'
    accepted protocols, gone through anew for each selection's counts."""

    def __init__(self, summed: list[tuple[str, Tally]], protocols: list[Protocol]) -> None:
        self.summed, self.protocols = summed, protocols

    def ballot_counts(self, ballot: str) -> Iterator[dict[str, Any] | Block]:
        """The BallotCounts of every unit, summed ones first."""
        for gp, tally in self.summed:
            yield ballot_count(gp, ballot, tally.took_part, tally.invalid)
        for p in self.protocols:
            yield ballot_count(station_id(p.station), ballot, p.found, p.invalid)

    def counts(self, option: str | None, after: Sequence[dict[str, Any]] = ()) -> Lazy:
        """The `total` VoteCounts of `option` at every unit ("against all" where None), then `after`."""

        def made() -> Iterator[dict[str, Any] | Raw]:
            for gp, tally in self.summed:
                yield vote_count(tally.votes.get(option, 0) if option is not None else tally.against_all, gp)
            # a million of these: written from a template (an int and a station number, nothing to escape)
            template = '{"@type":"ElectionResults.VoteCounts","Count":%d,"GpUnitId":"gpu-station-%d","Type":"total"}'
            for p in self.protocols:
                n = p.votes.get(option, 0) if option is not None else p.against_all
                yield Raw(template % (n, p.station))
            yield from after

        return Lazy(made)


def _blank(units: Units) -> dict[str, Any]:
    """Blank ballots (valid, for no option) as the schema's undervotes, where there are any (a station's
    protocol has no blank line: only the summed units can)."""
    counts = [
        {"@type": "ElectionResults.OtherCounts", "GpUnitId": gp, "Undervotes": tally.blank}
        for gp, tally in units.summed
        if tally.blank
    ]
    return {"OtherCounts": counts} if counts else {}


def _progress(reported: int, expected: int) -> dict[str, Any]:
    return {"SubUnitsReported": reported, "TotalSubUnits": expected, "CountStatus": count_status(reported, expected)}


def _voters(tally: Tally | None) -> dict[str, Any]:
    if tally is None:
        return {}
    return {"VotersRegistered": tally.registered, "VotersParticipated": tally.took_part}


def _tally(protocol: Protocol) -> Tally:
    return Tally(dict(protocol.votes), protocol.against_all, protocol.invalid, protocol.found, protocol.registered)


def _sum(tallies: Sequence[Tally]) -> Tally | None:
    if not tallies:
        return None
    votes: dict[str, int] = defaultdict(int)
    for t in tallies:
        for option, n in t.votes.items():
            votes[option] += n
    return Tally(
        dict(votes),
        sum(t.against_all for t in tallies),
        sum(t.invalid for t in tallies),
        sum(t.took_part for t in tallies),
        sum(t.registered for t in tallies),
        sum(t.blank for t in tallies),
    )


def _sum_by_district(protocols: Iterable[Protocol]) -> dict[int, Tally]:
    """The list ballot per district, summed from its stations' accepted protocols (exact Python integers)."""
    grouped: Mapping[int, list[Tally]] = defaultdict(list)
    for p in protocols:
        grouped[p.district].append(_tally(p))
    return {d: t for d, ts in grouped.items() if (t := _sum(ts)) is not None}


def _in_kk_and_ru(label: str, **figures: object) -> dict[str, str]:
    """A label saylau writes (not a name from the folder) in Kazakh and Russian, for an InternationalizedText
    beside the English: the catalogues' words, so a reader of either state language finds them."""
    return {lang: _words(lang)(label, **figures) for lang in ("kk", "ru")}


def _said_in_kk_and_ru(name: str) -> Names | None:
    """A seat described where its candidate is not recorded (`Deputy.label`, a Phrase) in Kazakh and Russian
    beside the English; a candidate's name is the folder's and is not said again."""
    return {lang: said(name, lang) for lang in ("kk", "ru")} if isinstance(name, Phrase) else None


@functools.cache
def _words(lang: str) -> Words:
    """The words of `lang`, made once (a label is said for every one of a million stations)."""
    return words(lang)
