"""The public results snapshot: the count as the public sees it, rebuilt after writes, never per request.

On election night the public page is read far more often than protocols are accepted. Every reader of one
snapshot gets the same bytes, with an ETag and a Last-Modified date, so browsers, proxies and CDNs can answer
`304 Not Modified` without the service counting anything. A snapshot is identified by the audit log's last
entry (every write to the database appends one), so any worker of any host over the same database agrees on
the version without sharing memory; each worker keeps only the latest snapshot it built.

One thread per worker keeps the snapshot fresh (`Snapshots`): it reads the version every quarter second,
and when it moved builds the next snapshot, renders what readers asked for in the last few seconds, and only
then publishes it, so a reader never waits for a count, nor for a rendering it keeps asking for: it takes the
latest snapshot, an attribute read. Builds are coalesced to at most one a second however fast protocols are
accepted, so the page lags the count by a second or two.

Most versions change little of what a contest shows: on a day every write moves the one version of every
contest, and half the entries of a night (each protocol's first) move only the projector's progress. So each
snapshot says since when what it shows stands (`Stamp`): `figures`, what the results page and downloads show
(the count, its seats, the projection, the certification), and `progress`, that and the projector's data entry
per district. A rendering reads its stamp, never the snapshot's own version and time, for its ETag, its
Last-Modified and the "updated" it shows; so a rendering whose stamp did not move is the previous snapshot's,
byte for byte, and `render_like` hands it on instead of rendering it again: a version that changed nothing a
reader sees renders nothing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection

from saylau.analysis.projection import Projection, project
from saylau.domain import CountStatus
from saylau.domain.election import localised
from saylau.errors import SaylauError
from saylau.reports.i18n import LANGUAGES
from saylau.result import Result
from saylau.service import publication, tallies
from saylau.service import results as results_service
from saylau.service.audit import public_version
from saylau.service.decisions import recorded
from saylau.service.declared import declared
from saylau.service.definition import Definition, contest_ids, current, every_definition
from saylau.service.publication import gate_of
from saylau.store import Database
from saylau.tabulation import Protocol, Station, Tabulation

PROJECTION_DRAWS = 2_000
"""Draws of the projection: enough for stable intervals."""

ASKED_WITHIN = 12.0
"""Seconds since a reader last asked for a rendering (a page, a fragment, a download in one language) within which
a new snapshot has it ready before it is published (`Snapshot.render_like`): longer than two polls of the page's
script (`web.public.POLL_SECONDS`), so a polled fragment never waits, while a page asked for once (a live page's
readers load it once, then poll only its fragment) is not rendered again every second for nobody.
"""

PROJECTION_EVERY = 10.0
"""Seconds a projection is carried from one snapshot to the next before it is made again from the count.

The projection (`saylau.analysis.projection`) costs more than the rest of a snapshot together and grows
with the count, while the snapshot is rebuilt every second on election night; the page says how many
stations each projection rests on, so one made a few seconds ago stays true to what it shows. The count
itself (totals, seats so far, progress) is never carried: it is read anew for every snapshot."""


@dataclass(frozen=True, slots=True)
class EntryProgress:
    """One district's data entry, for the commission's projector: how many protocols are in each state other
    than empty (the empty ones: `expected` less these)."""

    district: int
    expected: int
    states: dict[str, int]


@dataclass(frozen=True, slots=True)
class ContestName:
    """One contest of the day as the public page's contest switcher names it: its id and its name by language."""

    id: str
    names: dict[str, str]

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names.get("en") or self.id


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Stamp:
    """Since when what a rendering shows stands: the version and time of the snapshot where it last changed
    (the rendering's ETag, Last-Modified and "updated" read it, so an unchanged rendering keeps its bytes)."""

    version: int
    built: datetime


FIGURES, PROGRESS = "figures", "progress"
"""What a rendering shows: `FIGURES` (the results page, its fragment, the downloads: the count, the seats, the
projection, the certification, the districts reported) or `PROGRESS` (the projector: those and the data entry
per district)."""


@dataclass(slots=True)
class Snapshot:
    """One version of the public result, with its renderings built lazily and kept (they never change)."""

    version: int
    built: datetime
    result: Result
    bundle_sha256: str | None
    projection: Projection | None
    """The likely council while the count is partial (issue 15); None once complete or not projectable."""
    entry: tuple[EntryProgress, ...]
    by_district: dict[int, tuple[int, int]]
    """District -> (stations whose list protocol is counted, stations expected)."""
    stations: tuple[Station, ...] = ()
    """The station register (published station by station: `saylau.publish`)."""
    accepted: Sequence[Protocol] = ()
    """The accepted protocols this snapshot counts, by station and ballot."""
    held_until: datetime | None = None
    """Set while the publish gate holds the figures back until the close of polls (`service.publication`):
    the snapshot then counts no protocol, and is built again once that time has passed."""
    held: bool = False
    """The publish gate holds the figures back: this snapshot counts no protocol."""
    contest: str = ""
    """The id of the contest this snapshot counts ("" where it was not built from a database)."""
    contests: tuple[ContestName, ...] = ()
    """Every contest of the day, in the day's order (the public page's contest switcher)."""
    counted: tallies.Counted | None = None
    """The running tallies' count this snapshot shows: the next one reads only what changed since."""
    released: datetime | None = None
    """When a coordinator released the contest's results past the publish gate (None: not released)."""
    projected_at: float = 0.0
    """When (`time.monotonic()`) the projection this snapshot shows was made (`PROJECTION_EVERY`)."""
    stamps: dict[str, Stamp] = field(default_factory=dict)
    """Since when what each kind of rendering shows (`FIGURES`, `PROGRESS`) stands; absent: since this snapshot."""
    _renderings: dict[str, Any] = field(default_factory=dict)
    _renderers: dict[str, tuple[Callable[[Snapshot], Any], str]] = field(default_factory=dict)
    _asked: dict[str, float] = field(default_factory=dict)
    """When (`time.monotonic()`) a reader last asked for each key, of this snapshot or of those before it."""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def stamp(self, shows: str = FIGURES) -> Stamp:
        """Since when what a rendering of kind `shows` (`FIGURES`, `PROGRESS`) shows stands."""
        return self.stamps.get(shows) or Stamp(self.version, self.built)

    def rendering(self, key: str, render: Callable[[Snapshot], T], shows: str = FIGURES) -> T:
        """`render(self)` once per key (a format and a language), which shows `shows` (`FIGURES`, `PROGRESS`) and
        reads its `stamp`, not the snapshot's own version or time; later readers get the same object. Each call is
        a reader asking (`ASKED_WITHIN`)."""
        self._asked[key] = time.monotonic()
        return self._rendered(key, render, shows)

    def _rendered(self, key: str, render: Callable[[Snapshot], T], shows: str) -> T:
        found: T | None = self._renderings.get(key)
        if found is not None:
            return found
        with self._lock:
            found = self._renderings.get(key)
            if found is None:
                found = render(self)
                self._renderings[key] = found
                self._renderers[key] = (render, shows)
        return found

    def render_like(self, previous: Snapshot) -> int:
        """Have now every key readers asked for in the last `ASKED_WITHIN` seconds, so that no reader polling it
        waits for it: the previous rendering itself where what it shows has not changed since (the same stamp: the
        same bytes), else rendered again. A key nobody asked for since is left to the next reader who does (a
        live page's readers ask for the page once and then only for its fragment). Returns how many were
        rendered."""
        rendered = 0
        now = time.monotonic()
        for key, (render, shows) in list(previous._renderers.items()):
            if key in self._renderings:
                continue
            asked = previous._asked.get(key, 0.0)
            if self.contest == previous.contest and self.stamp(shows) == previous.stamp(shows):
                with self._lock:
                    self._renderings.setdefault(key, previous._renderings[key])
                    self._renderers.setdefault(key, (render, shows))
                    self._asked.setdefault(key, asked)
                continue
            if now - asked >= ASKED_WITHIN:
                continue
            self._asked.setdefault(key, asked)
            self._rendered(key, render, shows)
            rendered += 1
        return rendered


class Snapshots:
    """The latest snapshot of one database, as one worker keeps it, refreshed by one background thread.

    Readers only ever take the latest snapshot (an attribute read): the first one is built when first
    asked for, and from then on a thread checks the audit head every `check_every` seconds and, when it
    moved, builds the next snapshot and renders what readers asked for lately (`ASKED_WITHIN`) before publishing
    it. Builds are coalesced: at most one at a time, at most one per `min_interval` seconds however fast
    protocols are accepted, so a count that changes 300 times a second costs one build a second. The
    thread stops after `idle_after` seconds without a reader and starts again with the next one.
    """

    def __init__(
        self,
        database: Database,
        check_every: float = 0.25,
        min_interval: float = 1.0,
        idle_after: float = 10.0,
        contest: str | None = None,
    ) -> None:
        self._database = database
        self._contest = contest
        self._check_every = check_every
        self._min_interval = min_interval
        self._idle_after = idle_after
        self._latest: Snapshot | None = None
        self._asked = 0.0
        self._refreshing = False
        self._closed = threading.Event()
        self._lock = threading.Lock()

    def latest(self) -> Snapshot:
        """The newest published snapshot; built now only when there is none yet or readers were away."""
        self._asked = time.monotonic()
        latest = self._latest
        if latest is not None and self._refreshing:
            return latest
        with self._lock:
            if self._latest is None or (not self._refreshing and _stale(self._database, self._latest)):
                self._latest = build(self._database, self._contest)
            if not self._refreshing and not self._closed.is_set():
                self._refreshing = True
                threading.Thread(target=self._refresh, name="saylau-snapshots", daemon=True).start()
            return self._latest

    def _refresh(self) -> None:
        """Check the version; build, render and publish when it moved; stop when readers stop asking."""
        last_build = time.monotonic()
        try:
            while not self._closed.wait(self._check_every):
                now = time.monotonic()
                with self._lock:
                    if now - self._asked > self._idle_after:
                        self._refreshing = False
                        return
                current = self._latest
                if current is None or now - last_build < self._min_interval:
                    continue
                if not _stale(self._database, current):
                    continue
                last_build = now
                snapshot = build(self._database, self._contest, previous=current)
                snapshot.render_like(current)
                self._latest = snapshot
            with self._lock:
                self._refreshing = False
        except Exception:  # the database went away (a stopped server, a test's teardown): the next reader restarts
            logging.getLogger(__name__).warning("snapshot refresh stopped", exc_info=True)
            with self._lock:
                self._refreshing = False

    def close(self) -> None:
        """Stop refreshing (the app shuts down); readers still get the last snapshot."""
        self._closed.set()


class DaySnapshots:
    """The latest snapshot of every contest of the day, as one worker keeps them: one `Snapshots` per contest,
    made when a reader first asks for that contest (`latest(None)`: the day's first contest)."""

    def __init__(self, database: Database, **options: float) -> None:
        self._database = database
        self._options = options
        self._contests: tuple[str, ...] | None = None
        self._each: dict[str, Snapshots] = {}
        self._lock = threading.Lock()

    def contests(self) -> tuple[str, ...]:
        """The day's contest ids in order (read once: a day's contests never change once it is stored)."""
        if self._contests is None:
            with self._database.read_unit_of_work() as connection:
                found = tuple(contest_ids(connection))
            if not found:
                return found
            self._contests = found
        return self._contests

    def knows(self, contest: str | None) -> bool:
        """Whether `contest` names a contest of the day (None: the first, which every day has)."""
        return contest is None or contest in self.contests()

    def latest(self, contest: str | None = None) -> Snapshot:
        """The newest snapshot of `contest` (None: the day's first); KeyError for a contest the day lacks."""
        known = self.contests()
        chosen = contest if contest is not None else (known[0] if known else None)
        if chosen is not None and chosen not in known:
            raise KeyError(chosen)
        key = chosen or ""
        found = self._each.get(key)
        if found is None:
            with self._lock:
                found = self._each.get(key)
                if found is None:
                    found = Snapshots(self._database, contest=chosen, **self._options)
                    self._each[key] = found
        return found.latest()

    def close(self) -> None:
        for each in list(self._each.values()):
            each.close()


def _stale(database: Database, snapshot: Snapshot) -> bool:
    """A write since `snapshot`, or the close of polls it waited for has passed."""
    opened = snapshot.held_until is not None and datetime.now(UTC) >= snapshot.held_until
    return opened or _version(database) != snapshot.version


def head(database: Database) -> int:
    """The version a snapshot of `database` would have now (its audit head, staff-only rows at its end left out:
    `service.audit.public_version`), read without counting."""
    return _version(database)


def _version(database: Database) -> int:
    with database.read_unit_of_work() as connection:
        return public_version(connection)


def build(
    database: Database,
    contest: str | None = None,
    gated: bool = True,
    previous: Snapshot | None = None,
    projection_every: float = PROJECTION_EVERY,
) -> Snapshot:
    """Count a contest's accepted protocols, as `saylau results` would, from its running tallies in one read
    transaction (`contest` None: the day's first contest), reading only the stations that changed since
    `previous`, carrying its projection while it is younger than `projection_every` seconds; while the publish gate
    is closed (`gated`: the public page's snapshots), count none of them."""
    with database.read_unit_of_work() as connection:
        version = public_version(connection)  # staff-only writes (a user added) leave it where it was
        if contest is None:
            contest = next(iter(contest_ids(connection)), None)
        definition = current(connection, contest)
        assert contest is not None
        row = results_service.certification(connection, contest)
        released = previous.released if previous is not None and previous.contest == contest else None
        if released is None:  # only the audit rows since the snapshot before: the log grows with every entry
            since = previous.version if previous is not None and previous.contest == contest else 0
            released = publication.released(connection, contest, after=since)
        gate = gate_of(definition.files.get("election.toml", ""), released)
        held = gated and not row.certified and not gate.is_open(datetime.now(UTC))  # certified: past the gate
        counted = (
            None if held else tallies.counted(connection, definition, contest, previous.counted if previous else None)
        )
        tabulation = counted.tabulation if counted else results_service.count(definition, [])[0]
        result = declared(definition, tabulation, recorded(connection, contest))
        counts = tallies.states_by_district(connection, contest)  # a few rows per district
        names = day_contests(connection)
    expected = _stations_per_district(definition.stations)
    states: dict[int, dict[str, int]] = {d: {} for d in expected}
    for district, found in counts.items():
        states.setdefault(district, {}).update(found)  # the empty ones: the projector's expected less these
    results = replace(result.election.results, certified=row.certified)
    result = replace(result, election=replace(result.election, results=results))
    reported = dict(counted.reported.get("list", {})) if counted else {}  # from the tallies, not per protocol
    bundle_sha = _sha(row.bundle) if row.certified else None
    projection, projected_at = None, 0.0
    if result.status is CountStatus.PARTIAL and tabulation.accepted:
        now = time.monotonic()
        carried = previous is not None and previous.projection is not None and previous.contest == contest
        recent = previous is not None and now - previous.projected_at < projection_every
        if carried and previous is not None and (recent or _same_count(previous.counted, counted)):
            projection, projected_at = previous.projection, previous.projected_at
        else:
            projection, projected_at = projected(definition, tabulation), now
    snapshot = Snapshot(
        version=version,
        built=datetime.now(UTC).replace(microsecond=0),
        result=result,
        bundle_sha256=bundle_sha,
        projection=projection,
        entry=tuple(
            EntryProgress(d, expected[d] * len(tabulation.progress), states.get(d, {})) for d in sorted(expected)
        ),
        by_district={d: (reported.get(d, 0), n) for d, n in expected.items()},
        stations=definition.stations,
        accepted=tabulation.accepted,  # put in order when first read (`tallies.Accepted`)
        held_until=gate.polls_close if held and not gate.hold else None,
        held=held,
        contest=contest,
        contests=names,
        counted=counted,
        released=released,
        projected_at=projected_at,
    )
    if previous is not None and previous.contest == contest:
        snapshot.stamps = _stamps(snapshot, previous)
    return snapshot


def _same_count(before: tallies.Counted | None, now: tallies.Counted | None) -> bool:
    """No station's protocols changed between two counts of the same definition (a projection made from the
    first is the second's)."""
    if before is None or now is None:
        return False
    same = before.contest == now.contest and before.definition_sha256 == now.definition_sha256
    return same and before.version == now.version and len(before.protocols) == len(now.protocols)


def _stamps(snapshot: Snapshot, previous: Snapshot) -> dict[str, Stamp]:
    """Since when what `snapshot` shows stands, from `previous` (of the same contest): a kind whose every input
    is equal keeps the previous stamp; the others stand since `snapshot`."""
    figures = (
        snapshot.held == previous.held
        and snapshot.bundle_sha256 == previous.bundle_sha256
        and snapshot.by_district == previous.by_district
        and snapshot.contests == previous.contests
        and snapshot.projection == previous.projection
        and snapshot.result == previous.result
    )
    progress = figures and snapshot.entry == previous.entry
    now = Stamp(snapshot.version, snapshot.built)
    return {
        FIGURES: previous.stamp(FIGURES) if figures else now,
        PROGRESS: previous.stamp(PROGRESS) if progress else now,
    }


def projected(definition: Definition, tabulation: Tabulation) -> Projection | None:
    """The projected council from the protocols counted; None where it cannot be made."""
    try:
        return project(definition.election, definition.stations, tabulation.accepted, draws=PROJECTION_DRAWS)
    except SaylauError:  # nothing counted on a ballot yet, or rules the projection does not cover
        return None


def _stations_per_district(stations: tuple[Station, ...]) -> dict[int, int]:
    """How many stations of the register count the contest in each of its districts (from the definition,
    which never changes under a snapshot: no query)."""
    out: dict[int, int] = {}
    for station in stations:
        out[station.district] = out.get(station.district, 0) + 1
    return out


def day_contests(connection: Connection) -> tuple[ContestName, ...]:
    """Every contest of the day with its name in each language (one query; the definitions are cached per
    process)."""
    out = []
    for contest, found in every_definition(connection):
        election = found.election
        out.append(ContestName(contest, {lang: localised(election.names, lang, election.name) for lang in LANGUAGES}))
    return tuple(out)


def _sha(bundle: dict[str, Any] | None) -> str | None:
    value = (bundle or {}).get("sha256")
    return str(value) if value else None
