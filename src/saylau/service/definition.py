"""The election day's definition in the database: imported once from its folder, compared on later starts.

A database holds one election day (issue 22): its contests, its polling stations once, and its commission
tree. It comes from a day folder (docs/election-day.md, loaded by `saylau.io.day.load_day`) or from one
contest's folder, which is a day of that one contest, `election` (`DEFAULT_CONTEST`).

Each contest's definition is its folder's own files (election.toml, parties, lists, districts, candidates,
designations, stations.csv), kept as text, so the service and the offline commands read the very same
files with the very same loader (`saylau.io.load_election`); a day's contest folder without its own
stations.csv gets the day's register for it written as one. The loaded `Election` is cached per hash of
those files: a cache of what the database says, never state of its own. Every use case names its contest;
`None` means the day's only contest and is refused (naming the contests) when the day has several.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Connection

from saylau.domain import Election, ElectionDay
from saylau.errors import InputError, Phrase, worded
from saylau.io import load_election
from saylau.io.day import contest_stations, is_day, load_day
from saylau.io.protocols import read_stations
from saylau.io.table import Problems, read_text
from saylau.service import audit
from saylau.service.errors import Conflict, NotFound, ServiceError
from saylau.store import commissions, contests, stations
from saylau.store import protocols as protocols_store
from saylau.store.commissions import StoredCommission
from saylau.store.protocols import Blank
from saylau.store.stations import StoredStation
from saylau.tabulation import Station

FILES = (
    "election.toml",
    "parties.csv",
    "lists.csv",
    "districts.csv",
    "candidates.csv",
    "designations.csv",
    "stations.csv",
)
"""The files that define an election; `results/` and `protocols/` are what the service itself collects."""

DAY_FILES = ("day.toml", "stations.csv", "counts.csv", "commissions.csv")
"""The day folder's own files, kept with the day (the contests' files are kept with each contest)."""

DEFAULT_CONTEST = "election"
"""The id of the contest of a day of one contest (a contest folder served alone, or a database migrated
from a release that held one contest)."""


@dataclass(frozen=True, slots=True)
class Source:
    """What a folder gives the service on its first start: the day's own files ({} for one contest's folder),
    each contest's definition files in the day's order, the station register and the commission tree."""

    name: str
    files: Mapping[str, str]
    contests: tuple[tuple[str, Mapping[str, str]], ...]
    stations: tuple[StoredStation, ...]
    commissions: tuple[StoredCommission, ...] = ()

    @classmethod
    def single(cls, files: Mapping[str, str]) -> Source:
        """A day of one contest, from that contest's definition files."""
        found = load(files)
        register = tuple(StoredStation(s.number, s.registered) for s in found.stations)
        return cls(found.election.name, {}, ((DEFAULT_CONTEST, dict(files)),), register)


@dataclass(frozen=True, slots=True)
class Definition:
    """A loaded definition: the election (no tallies yet), its station register, and the files' hash."""

    election: Election
    stations: tuple[Station, ...]
    sha256: str
    files: Mapping[str, str]
    station_by_number: Mapping[int, Station]
    """The register by station number."""


def read_files(folder: Path) -> dict[str, str]:
    """The definition files present in `folder` (UTF-8, read as the loader reads them: a byte order mark
    dropped, CRLF as LF), validated by the offline loader; InputError otherwise."""
    problems = Problems()
    files = {name: text for name in FILES if (text := read_text(folder, name, problems, required=False)) is not None}
    if problems.items:
        raise InputError(problems.items)
    if "stations.csv" not in files:
        raise InputError([worded("file is missing: the service needs the station register", "stations.csv")])
    load(files)
    return files


def read_source(folder: Path) -> Source:
    """The day (or the one contest) a folder defines, validated by the offline loaders; InputError otherwise."""
    if not is_day(folder):
        return Source.single(read_files(folder))
    found = load_day(folder, count_protocols=False)
    problems = Problems()
    own = {name: text for name in DAY_FILES if (text := read_text(folder, name, problems, required=False))}
    if problems.items:
        raise InputError(problems.items)
    contests_files = tuple((c.id, _contest_files(folder, found, c.id)) for c in found.contests)
    register = tuple(StoredStation(s.number, s.registered, s.region, s.area) for _, s in sorted(found.stations.items()))
    tree = tuple(
        StoredCommission(
            c.id,
            c.level.value,
            c.parent,
            c.name,
            c.stations,
            tuple((d.contest, d.district) for d in c.districts),
            c.declares,
        )
        for c in found.commissions.values()
    )
    return Source(found.name, own, contests_files, register, tree)


def _contest_files(folder: Path, day: ElectionDay, contest_id: str) -> dict[str, str]:
    """A day's contest as the service keeps it: its folder's definition files, with the day's register for it
    as its stations.csv when the folder has none (a district of 0, a list-only contest's, is written as 1)."""
    contest = day.contest(contest_id)
    assert contest is not None
    path = folder / contest.folder
    problems = Problems()
    files = {name: text for name in FILES if (text := read_text(path, name, problems, required=False)) is not None}
    if problems.items:
        raise InputError(problems.items)
    if "stations.csv" not in files:
        rows = [f"{s.number},{s.district or 1},{s.registered}" for s in contest_stations(day, contest)]
        files["stations.csv"] = "station,district,registered\n" + "".join(f"{r}\n" for r in rows)
    load(files)
    return files


def digest(files: Mapping[str, str]) -> str:
    """SHA-256 of the definition files (canonical JSON)."""
    return hashlib.sha256(json.dumps(dict(files), sort_keys=True).encode()).hexdigest()


def load(files: Mapping[str, str]) -> Definition:
    """The definition those files describe (cached per hash)."""
    return _load(digest(files), json.dumps(dict(files), sort_keys=True))


@lru_cache(maxsize=8)
def _load(sha256: str, text: str) -> Definition:
    files: dict[str, str] = json.loads(text)
    with tempfile.TemporaryDirectory(prefix="saylau-definition-") as tmp:
        folder = Path(tmp)
        write_files(folder, files)
        (folder / "protocols").mkdir()  # the tallies come from protocols, not from results/
        election = load_election(folder, follow_previous=False, count_protocols=False)
        stations, problems = read_stations(folder)
    if problems or stations is None:
        raise InputError(problems)
    return Definition(election, tuple(stations), sha256, files, {s.number: s for s in stations})


def write_files(folder: Path, files: Mapping[str, str]) -> None:
    """Write the definition into `folder`, without the link to a previous election's folder (not carried)."""
    for name, text in files.items():
        (folder / name).write_text(_without_previous(text) if name == "election.toml" else text, encoding="utf-8")


def _without_previous(toml: str) -> str:
    """election.toml less its [previous] table: the previous election's folder is not part of the definition."""
    kept, skipping = [], False
    for line in toml.splitlines(keepends=True):
        header = line.strip()
        if header.startswith("["):
            skipping = header.split("#")[0].strip() in ("[previous]",) or header.startswith("[previous.")
        if not skipping:
            kept.append(line)
    return "".join(kept)


def install(connection: Connection, source: Source | Mapping[str, str]) -> list[Phrase]:
    """Import the day on first start; on later starts compare it. Returns what differs (empty: the same)."""
    given = source if isinstance(source, Source) else Source.single(source)
    stored = contests.stored_day(connection)
    if stored is not None:
        return _compare(connection, stored.files, given)
    contests.create_day(connection, given.name, given.files, digest(given.files))
    stations.add_all(connection, given.stations)
    commissions.add_all(connection, given.commissions)
    blanks = []
    for position, (contest, files) in enumerate(given.contests):
        definition = load(files)
        contests.create(connection, contest, position, definition.election.name, files, definition.sha256)
        blanks += [
            Blank(s.number, contest, kind, s.district) for s in definition.stations for kind in kinds(definition)
        ]
    protocols_store.create_all(connection, blanks)
    audit.start(connection)
    audit.append(
        connection,
        None,
        "import-definition",
        given.name,
        after={
            "sha256": digest(given.contests[0][1]) if not given.files else digest(given.files),
            "contests": {c: digest(f) for c, f in given.contests},
        },
    )
    return []


def _compare(connection: Connection, files: Mapping[str, str], given: Source) -> list[Phrase]:
    """What differs between the stored day and the folder's: the day's own files, the contests, their files."""
    out = differences(files, given.files, DAY_FILES)
    stored = [c.id for c in contests.every(connection)]
    if stored != [c for c, _ in given.contests]:
        named = ", ".join(c for c, _ in given.contests)
        return [*out, Phrase("contests: {stored} stored, {given} given", stored=", ".join(stored), given=named)]
    for contest, found in given.contests:
        before = contests.files(connection, contest) or {}
        prefix = "" if contest == DEFAULT_CONTEST and len(stored) == 1 else f"{contest}/"
        out += differences(before, found, prefix=prefix)
    return out


@dataclass(frozen=True, slots=True)
class DayView:
    """The day as the service holds it: its name and its contests in order (id, name, certification)."""

    name: str
    contests: tuple[contests.ContestState, ...]


def day(connection: Connection) -> DayView:
    """The day and its contests; Conflict `no-election` before the first start."""
    stored = contests.stored_day(connection)
    if stored is None:
        raise Conflict("no election has been imported into this database", code="no-election")
    return DayView(stored.name, tuple(contests.every(connection)))


def kinds(definition: Definition) -> tuple[str, ...]:
    """The ballots a station of the contest counts: the list ballot where the rules have a list tier and there
    are parties, the district ballot where they have a district tier and there are districts."""
    election, system = definition.election, definition.election.system
    found = ["list"] if system.list_tier is not None and election.parties else []
    return (*found, *(["district"] if system.district_tier is not None and election.districts else []))


def contest_ids(connection: Connection) -> list[str]:
    """The ids of the day's contests, in the day's order."""
    return [c.id for c in contests.every(connection)]


def contest_of(connection: Connection, contest: str | None) -> str:
    """The contest a use case acts on: `contest` when given, else the day's only contest (Invalid when the
    day has several: they must be named)."""
    if contest is not None:
        return contest
    found = contest_ids(connection)
    if not found:
        raise Conflict("no election has been imported into this database", code="no-election")
    if len(found) > 1:
        raise NotFound(
            "the day holds several contests: name one of {contests}",
            "contest",
            code="contest",
            values={"contests": ", ".join(found)},
        )
    return found[0]


def current(connection: Connection, contest: str | None = None) -> Definition:
    """A contest's definition as stored in the database (loaded once per process and hash)."""
    return _current(connection, contest_of(connection, contest))[0]


def writable(connection: Connection, contest: str | None = None) -> Definition:
    """A contest's definition, for a write: Conflict `certified` once its result is certified (frozen).

    The contest's row is locked shared until the write commits, so a racing certification (which locks it
    exclusively) waits for this write, and a write after a certification sees it.
    """
    found, certified = _current(connection, contest_of(connection, contest), lock=True)
    if certified:
        raise Conflict(
            "the result is certified: nothing can change unless an administrator reopens it", code="certified"
        )
    return found


def every_definition(connection: Connection) -> list[tuple[str, Definition]]:
    """Every contest of the day with its definition, in the day's order, in one query (definitions cached)."""
    return [(row.id, _definition(connection, row.id, row)[0]) for row in contests.every(connection)]


def writable_all(
    connection: Connection, asked: Collection[str | None]
) -> dict[str | None, tuple[str, Definition] | ServiceError]:
    """`writable` of several contests at once (a group of entries): their rows read and locked in one query;
    for each contest asked (None: the day's only one), its id and definition, or the refusal `writable`
    would raise."""
    out: dict[str | None, tuple[str, Definition] | ServiceError] = {}
    named: dict[str | None, str] = {}
    for contest in asked:
        try:
            named[contest] = contest_of(connection, contest)
        except ServiceError as refused:
            out[contest] = refused
    rows = contests.states(connection, set(named.values()), lock="share")
    for contest, id_ in named.items():
        try:
            found, certified = _definition(connection, id_, rows.get(id_))
            if certified:
                raise Conflict(
                    "the result is certified: nothing can change unless an administrator reopens it", code="certified"
                )
            out[contest] = (id_, found)
        except ServiceError as refused:
            out[contest] = refused
    return out


def _current(connection: Connection, contest: str, *, lock: bool = False) -> tuple[Definition, bool]:
    return _definition(connection, contest, contests.state(connection, contest, lock="share" if lock else None))


def _definition(connection: Connection, contest: str, row: contests.ContestState | None) -> tuple[Definition, bool]:
    if row is None:
        if not contest_ids(connection):
            raise Conflict("no election has been imported into this database", code="no-election")
        raise NotFound("no contest {contest} in this day", "contest", code="contest", values={"contest": contest[:64]})
    cached = _by_hash.get(row.sha256)
    if cached is None:
        stored = contests.files(connection, contest)
        assert stored is not None
        cached = load(stored)
        _by_hash[row.sha256] = cached
    return cached, row.certified


_by_hash: dict[str, Definition] = {}


def differences(
    stored: Mapping[str, str], given: Mapping[str, str], names: Sequence[str] = FILES, prefix: str = ""
) -> list[Phrase]:
    """One line per file that differs: added, missing, or its first differing line (each a `Phrase`: English
    as it reads, kk and ru through the catalogues); `prefix` goes before each file's name (a contest's folder)."""
    out = []
    for name in names:
        before, after = stored.get(name), given.get(name)
        if before == after:
            continue
        if before is None:
            out.append(Phrase("{file}: not in the stored definition", file=prefix + name))
        elif after is None:
            out.append(Phrase("{file}: missing from the folder", file=prefix + name))
        else:
            old, new = before.splitlines(), after.splitlines()
            line = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new)))
            shown = repr(new[line]) if line < len(new) else Phrase("(end of file)")
            out.append(Phrase(LINE_DIFFERS, file=prefix + name, line=line + 1, now=shown))
    return out


LINE_DIFFERS = "{file}:{line}: differs from the stored definition (now {now})"
"""A file's first line that differs from the stored definition (a msgid of the catalogues)."""
