"""`saylau publish service --watch`: every new state of the service's public count published, until stopped.

A pass reads each contest's snapshot in turn (`from_database`), publishes them as one version, and waits for the
next write to the database (or for the close of polls a contest's gate waited for). The snapshots of one pass are
read one after the other while the night goes on, so they need not stand at one version: a protocol accepted
while the pass read the Mäjilis is in the city's snapshot read after it and not in the Mäjilis's. A pass is
therefore as old as its **oldest** snapshot: the version is numbered by it (`DaySource.version`), and the watch
reads again as soon as the database's version passes it, so the night's last state is published whatever came in
while the last pass read (taking the newest snapshot for the pass's version left the contests read before the
night's last protocols as they were, and the pointer said "partial" for good).

Each pass builds every contest's snapshot from the last pass's (`web.snapshot.build`'s `previous`): it reads only
the stations that changed since, as the service's own snapshot thread does.

While the night keeps writing, a pass waits after the last one until the publisher has used at most `SHARE` of a
core since that one began (its CPU time over the time since): beside a saturated night the writers' box is the
publisher's too (docs/deploying.md's single box), and a publisher that starts a pass the moment the last ends takes
what the writers would use (60 to 75% of a core, docs/election-day.md). The wait ends as soon as the writes stop (the
head did not move for `QUIET` seconds: the night's last protocol, or a lull) or a gate opens, so the night's last
state is published as soon as the writers are done; only versions in the middle of a busy night come later, and
never more than `LONGEST` seconds after the one before began.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

from saylau.publish.source import DaySource, from_database
from saylau.store import Database
from saylau.web.snapshot import Snapshot, head

SHARE = 0.25
"""The most of a core a watching publisher takes while the night keeps writing (its CPU time over the time since its
last pass began); None: a pass as soon as anything is written."""
QUIET = 0.5
"""Seconds with no write after which a pacing publisher stops waiting: the writers are done, or at a lull."""
LONGEST = 30.0
"""Seconds at most from one pass's start to the next one's while writes come, whatever the pace: a pass that took
long (a target's first version, every file of it) does not keep the published pages still for minutes after."""


def watch(
    database: Database,
    each: Callable[[DaySource], object],
    since: Callable[[], int],
    every: float = 1.0,
    stop: threading.Event | None = None,
    share: float | None = SHARE,
) -> None:
    """Read the day's snapshots and give them to `each` (which publishes them), again after every write or gate
    opening, until `stop` is set (never, without one). `since()`: the newest version already published (the
    corrections' reasons are read from the audit log after it). `share`: while writes keep coming, the next pass
    waits until this pass's CPU time is at most that share of the time since it began (`SHARE`), or `LONGEST`."""
    stopped = stop or threading.Event()
    previous: dict[str, Snapshot] = {}
    while not stopped.is_set():
        began, cpu = time.monotonic(), time.process_time()
        source = from_database(database, since=since(), previous=previous)
        each(source)
        previous = {c.snapshot.contest: c.snapshot for c in source.contests}
        rested = began + min((time.process_time() - cpu) / share, LONGEST) if share else began
        if _waited(database, source, every, rested, stopped):
            return


def _waited(database: Database, source: DaySource, every: float, rested: float, stopped: threading.Event) -> bool:
    """Wait for the next pass: a write (the head past the pass's oldest snapshot: `source.version`, so a write the
    pass missed counts) once `rested` (`time.monotonic()`) has passed or the writes have stopped for `QUIET`
    seconds, or a gate's opening. True when `stopped` was set meanwhile."""
    was_open = source.open_at(datetime.now(UTC))
    seen = last = source.version
    moved = time.monotonic()
    while True:
        now = head(database)
        if now != last:
            last, moved = now, time.monotonic()
        if now != seen and (time.monotonic() >= rested or time.monotonic() - moved >= QUIET):
            return False
        if source.open_at(datetime.now(UTC)) != was_open:
            return False
        if stopped.wait(min(every, QUIET / 2) if now != seen else every):
            return True
