"""What is published: a `DaySource`, every contest of the day, each a `Source`: the contest's snapshot with what
publishing needs beside it.

The service's public page renders its snapshot (`saylau.web.snapshot`) in memory; publishing renders the same
snapshot into files. Offline, the folder's protocols are counted as `saylau results` counts them (only the
protocols that pass every check), and the result is what the service would show for the same protocols.
Beside the snapshot: the results bundle (once certified), the gate (`saylau.publish.gate`), and the reasons
coordinators typed when they reopened a protocol or withdrew a certification (the audit log), which a
correction names. Each contest has its own gate (its election.toml's close of polls, or a release of it):
`DaySource.gated(now)` is what the public may see now, a contest still held showing no protocol.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Callable, Collection, Mapping
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from saylau.domain import CountStatus
from saylau.domain.day import Contest, ElectionDay, PollingStation
from saylau.domain.election import localised
from saylau.errors import InputError, Phrase, worded
from saylau.io.day import is_day, load_day
from saylau.io.protocols import read_protocols
from saylau.io.reread import Reread
from saylau.publish.gate import Gate, gate_of
from saylau.publish.scans import read_scans
from saylau.reports.i18n import LANGUAGES
from saylau.service import publication
from saylau.service import results as results_service
from saylau.service.definition import Definition, contest_ids, current, load, read_files, read_source
from saylau.service.errors import NotFound
from saylau.store import Database
from saylau.store import contests as contests_store
from saylau.store import scans as scans_store
from saylau.store.scans import Scan
from saylau.web.snapshot import EntryProgress, Snapshot, build


@dataclass(frozen=True, slots=True)
class Source:
    """One count to publish."""

    snapshot: Snapshot
    bundle: Mapping[str, Any] = field(default_factory=dict)
    gate: Gate = field(default_factory=Gate)
    reasons: Mapping[tuple[int, str], str] = field(default_factory=dict)
    """(station, ballot) -> the reason typed when the protocol was last reopened (since `since`)."""
    uncertified: str | None = None
    """The reason a certification was withdrawn (since `since`), if one was."""
    contest: str = ""
    """The contest's id in the day ("" for a single contest's folder)."""
    names: Mapping[str, str] = field(default_factory=dict)
    """The contest's name by language (the contest switcher)."""
    withheld: Snapshot | None = None
    """The snapshot the public sees while the gate holds this contest: no protocol counted."""
    scans: Mapping[tuple[int, str], tuple[Scan, ...]] = field(default_factory=dict)
    """(station, ballot) -> the scans of that accepted protocol's paper, in upload order (the service's)."""
    scan_bytes: Callable[[Collection[int]], Mapping[int, bytes]] | None = None
    """The bytes of scans by id (read only for the stations a version writes)."""


@dataclass(frozen=True, slots=True)
class DaySource:
    """Every contest of one day, in the day's order; `day` (several contests) gives the day's NIST report."""

    contests: tuple[Source, ...]
    day: ElectionDay | None = None

    @property
    def version(self) -> int:
        """The version every contest's snapshot stands at or after: the oldest of them (contests are read one
        after the other while the night goes on, so a later one may hold writes an earlier one lacks; the day
        is only as new as its oldest contest)."""
        return min(c.snapshot.version for c in self.contests)

    @property
    def several(self) -> bool:
        return len(self.contests) > 1

    def open_at(self, now: datetime) -> tuple[bool, ...]:
        return tuple(c.gate.is_open(now) for c in self.contests)

    def gated(self, now: datetime) -> DaySource:
        """What the public may see at `now`: a contest whose gate is closed shows no protocol."""
        return replace(
            self,
            contests=tuple(
                c if c.gate.is_open(now) or c.withheld is None else replace(c, snapshot=c.withheld, bundle={}, scans={})
                for c in self.contests
            ),
        )

    def describe(self, now: datetime) -> Phrase:
        """Why each contest is held at `now` (`contest: held until ...`; several joined by `;`), as a `Phrase`
        that the command says in its reader's language."""
        held = [
            Phrase("{contest}: {state}", contest=c.contest, state=c.gate.describe()) if c.contest else c.gate.describe()
            for c in self.contests
            if not c.gate.is_open(now)
        ]
        if not held:
            return Phrase("open")
        said = held[-1]
        for before in reversed(held[:-1]):
            said = Phrase("{first}; {then}", first=before, then=said)
        return said


def day_of(source: Source | DaySource) -> DaySource:
    """A day of one contest from a contest's source."""
    return source if isinstance(source, DaySource) else DaySource((source,))


def withheld(snapshot: Snapshot, definition: Definition) -> Snapshot:
    """The snapshot with no protocol counted: what the public sees while the gate holds the contest."""
    _tabulation, result = results_service.count(definition, [])
    return replace(
        snapshot,
        result=result,
        bundle_sha256=None,
        projection=None,
        entry=tuple(EntryProgress(e.district, e.expected, {}) for e in snapshot.entry),
        by_district={d: (0, n) for d, (_r, n) in snapshot.by_district.items()},
        accepted=(),
        held=True,
        _renderings={},
        _renderers={},
        _asked={},
    )


def _names(definition: Definition) -> dict[str, str]:
    election = definition.election
    return {lang: localised(election.names, lang, election.name) for lang in LANGUAGES}


PROJECTION_EVERY = 30.0
"""Seconds a watching publisher carries a contest's projection from one pass to the next before it makes it again
from the count (the service's own page: `web.snapshot.PROJECTION_EVERY`, 10 s). Beside a saturated night a pass
comes every 10 to 20 s at 10,146 stations, and every contest's projection made again in each was 1.5 to 1.8 CPU
seconds of it; the projection box says how many stations it rests on, so one made some seconds before is still
true to what it shows. A contest whose figures a reopening or an uncertification since the last version corrects
has its projection made again (none is made, so none carried, once a count is complete or certified)."""


def from_database(database: Database, since: int = 0, previous: Mapping[str, Snapshot] | None = None) -> DaySource:
    """Every contest of the service's day: its current snapshot (the public page's), its bundle once certified,
    its gate and the reasons of reopenings and uncertifications recorded after audit entry `since` (the last
    version published). `previous`: the snapshots read last, by contest id (a watching publisher's), from which
    each contest's is read again as the service's own are, only the stations that changed since."""
    with database.read_unit_of_work() as connection:
        ids = contest_ids(connection)
        corrected = publication.corrected(connection, since) if previous else set()
    snapshots: dict[str, Snapshot] = {}
    for contest in ids:
        before = (previous or {}).get(contest)
        every = 0.0 if contest in corrected else PROJECTION_EVERY  # a corrected count: its projection made again
        snapshots[contest] = build(database, contest, gated=False, previous=before, projection_every=every)
    with database.read_unit_of_work() as connection:
        states = publication.states(connection, {c: s.released for c, s in snapshots.items()}, since)
        definitions = {contest: current(connection, contest) for contest in ids}
        bundles: dict[str, dict[str, Any]] = {}
        for contest, snapshot in snapshots.items():
            if snapshot.bundle_sha256 is not None:
                with suppress(NotFound):  # uncertified since the snapshot was read: the next snapshot says so
                    bundles[contest] = results_service.published(connection, contest)
        stored_scans = {contest: scans_store.of_contest(connection, contest) for contest in ids}
    out = []
    for contest, snapshot in snapshots.items():
        state, definition = states[contest], definitions[contest]
        shown = {(p.station, p.ballot) for p in snapshot.accepted}
        scans: dict[tuple[int, str], tuple[Scan, ...]] = {}
        for scan in stored_scans[contest]:
            if (scan.station, scan.ballot) in shown:  # a scan goes out beside its accepted protocol only
                scans[scan.station, scan.ballot] = (*scans.get((scan.station, scan.ballot), ()), scan)
        certified = snapshot.built if snapshot.result.status is CountStatus.CERTIFIED else None
        gate = gate_of(state.election_toml, state.released or certified)  # a certified result is past the gate
        out.append(
            Source(
                snapshot,
                bundles.get(contest, {}),
                gate,
                state.reasons,
                state.uncertified,
                contest=contest if len(ids) > 1 else "",
                names=_names(definition),
                withheld=withheld(snapshot, definition),
                scans=scans,
                scan_bytes=lambda ids: _scan_bytes(database, ids),
            )
        )
    with database.read_unit_of_work() as connection:
        day = _stored_day(connection) if len(ids) > 1 else None
    return DaySource(tuple(out), day)


def _scan_bytes(database: Database, ids: Collection[int]) -> Mapping[int, bytes]:
    with database.read_unit_of_work() as connection:
        return scans_store.bodies(connection, ids)


def _stored_day(connection: Connection) -> ElectionDay:
    """The day as the NIST report of a day needs it: its name and date, each contest, the station register."""
    stored = contests_store.stored_day(connection)
    table = tomllib.loads(stored.files.get("day.toml", "")) if stored else {}
    found: list[Contest] = []
    register: dict[int, PollingStation] = {}
    for contest in contest_ids(connection):
        definition = current(connection, contest)
        found.append(Contest(contest, contest, definition.election, frozenset(s.number for s in definition.stations)))
        for s in definition.stations:
            register.setdefault(s.number, PollingStation(s.number, s.registered))
    when = table.get("date") or found[0].election.date
    names = {lang: table[f"name_{lang}"] for lang in LANGUAGES if f"name_{lang}" in table}
    return ElectionDay(
        str(table.get("name") or (stored.name if stored else "")),
        tuple(found),
        register,
        {},
        date=when,
        country=table.get("country"),
        names=names,
        notes=tuple(table.get("notes", ())),
    )


LAST = Reread()
"""The protocol files this process read last (`from_folder`'s default): a folder counted again after a few
protocols changed (a version published within seconds of a correction) reads only the rows that changed."""


def from_folder(
    folder: Path, when: datetime | None = None, released: bool = False, again: Reread | None = LAST
) -> DaySource:
    """An election folder's count, or every contest of a day folder's (docs/election-day.md): each contest's
    count as a snapshot (version 0: the publisher numbers it), its bundle once the count is complete, and the
    gate its election.toml sets (`released`: a coordinator releases every contest now).

    `again` keeps the protocol files read last, so that the folder's next count reads only the rows that
    changed since (None: every file read whole); the count is the same either way."""
    built = (when or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    if not is_day(folder):
        return DaySource((_contest_source(folder, read_files(folder), built, released, again=again),))
    day = load_day(folder, count_protocols=False)
    source = read_source(folder)
    sources = tuple(
        _contest_source(folder / contest.folder, files, built, released, contest.id, again)
        for contest, (_id, files) in zip(day.contests, source.contests, strict=True)
    )
    return DaySource(sources, day if len(sources) > 1 else None)


def _contest_source(
    folder: Path,
    files: Mapping[str, str],
    built: datetime,
    released: bool,
    contest: str = "",
    again: Reread | None = None,
) -> Source:
    definition = load(files)
    if not (folder / "protocols").is_dir():
        raise InputError([worded("folder has no protocols/: publishing shows a count of protocols", str(folder))])
    found = read_protocols([folder], again)
    if found.problems:
        raise InputError(found.problems)
    mine = set(definition.station_by_number)
    tabulation, result = results_service.count(definition, [p for p in found.protocols if p.station in mine])
    accepted = tuple(sorted(tabulation.accepted, key=lambda p: (p.station, p.ballot)))
    expected = Counter(s.district for s in definition.stations)
    reported = Counter(p.district for p in accepted if p.ballot == "list")
    entered = Counter(p.district for p in accepted)
    ballots = max(1, len(tabulation.progress))
    snapshot = Snapshot(
        version=0,
        built=built,
        result=result,
        bundle_sha256=None,
        projection=None,
        entry=tuple(
            EntryProgress(d, expected[d] * ballots, {"accepted": entered[d]} if entered[d] else {})
            for d in sorted(expected)
        ),
        by_district={d: (reported[d], n) for d, n in expected.items()},
        stations=definition.stations,
        accepted=accepted,
    )
    bundle: dict[str, Any] = {}
    if result.status is not CountStatus.PARTIAL:
        bundle = results_service.bundle(definition, accepted, result, definition.election.decisions)
    gate = gate_of(files["election.toml"], built if released else None)
    scans, scan_bytes = read_scans(folder, mine, contest)
    shown = {(p.station, p.ballot) for p in accepted}
    return Source(
        snapshot,
        bundle,
        gate,
        contest=contest,
        names=_names(definition),
        withheld=withheld(snapshot, definition),
        scans={key: found for key, found in scans.items() if key in shown},  # beside an accepted protocol only
        scan_bytes=scan_bytes,
    )
