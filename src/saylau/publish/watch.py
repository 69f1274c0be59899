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
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime

from saylau.publish.source import DaySource, from_database
from saylau.store import Database
from saylau.web.snapshot import Snapshot, head


def watch(
    database: Database,
    each: Callable[[DaySource], object],
    since: Callable[[], int],
    every: float = 1.0,
    stop: threading.Event | None = None,
) -> None:
    """Read the day's snapshots and give them to `each` (which publishes them), again after every write or gate
    opening, until `stop` is set (never, without one). `since()`: the newest version already published (the
    corrections' reasons are read from the audit log after it)."""
    stopped = stop or threading.Event()
    previous: dict[str, Snapshot] = {}
    while not stopped.is_set():
        source = from_database(database, since=since(), previous=previous)
        each(source)
        previous = {c.snapshot.contest: c.snapshot for c in source.contests}
        was_open = source.open_at(datetime.now(UTC))
        seen = source.version  # the oldest contest's: the next write, or one the pass missed, moves the head past it
        while head(database) == seen and source.open_at(datetime.now(UTC)) == was_open:
            if stopped.wait(every):
                return
