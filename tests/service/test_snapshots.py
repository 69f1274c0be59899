"""The snapshot refresh: never per request, coalesced under a stream of writes, rendered before it is published.

The version a snapshot is named by is the audit log's head; these tests move it directly (as every write
does) so that the timing of the refresh is all they measure.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from saylau.store import Database
from saylau.store.tables import audit_head
from saylau.web import Settings, prepare
from saylau.web import snapshot as snapshot_module
from saylau.web.snapshot import Snapshot, Snapshots
from tests.service.conftest import ADMIN_PASSWORD, ALMATY


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    """The Almaty election in a fresh SQLite database."""
    settings = Settings(folder=ALMATY, data=tmp_path, admin_password=ADMIN_PASSWORD)
    prepared, _ = prepare(settings)
    yield prepared
    prepared.close()


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The version of every snapshot built from now on."""
    seen: list[int] = []
    real = snapshot_module.build

    def counting(database: Database, contest: str | None = None, **options: Any) -> Snapshot:
        found = real(database, contest, **options)
        seen.append(found.version)
        return found

    monkeypatch.setattr(snapshot_module, "build", counting)
    return seen


def _write(database: Database) -> None:
    """What every write does to the version: move the audit log's head."""
    with database.unit_of_work() as connection:
        connection.execute(update(audit_head).values(last_id=audit_head.c.last_id + 1))


def _until(condition: Callable[[], bool], seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_a_stream_of_writes_costs_one_build_per_interval(database: Database, builds: list[int]) -> None:
    snapshots = Snapshots(database, check_every=0.02, min_interval=0.5)
    snapshots.latest()
    started = time.monotonic()
    while time.monotonic() - started < 1.6:  # ~80 writes, a reader after each
        _write(database)
        snapshots.latest()
        time.sleep(0.02)
    with database.unit_of_work() as connection:
        last = connection.execute(audit_head.select()).one().last_id
    assert _until(lambda: snapshots.latest().version == last), "the page catches up once the writes stop"
    snapshots.close()
    assert 2 <= len(builds) <= 6, f"{len(builds)} builds for ~80 writes in 1.6 s, at most one per 0.5 s"
    assert builds == sorted(builds)


def test_what_readers_asked_for_is_rendered_before_the_snapshot_is_published(
    database: Database, builds: list[int]
) -> None:
    snapshots = Snapshots(database, check_every=0.02, min_interval=0.05)
    rendered: list[int] = []

    def render(snapshot: Snapshot) -> bytes:
        rendered.append(snapshot.version)
        return b"page"

    first = snapshots.latest()
    first.rendering("page-en", render)
    _write(database)
    assert _until(lambda: snapshots.latest().version > first.version)
    assert rendered == [first.version, snapshots.latest().version], "rendered by the refresh, not by a reader"
    assert snapshots.latest().rendering("page-en", render) == b"page"
    assert len(rendered) == 2
    snapshots.close()


def test_a_reader_after_a_quiet_spell_never_gets_a_stale_count(database: Database, builds: list[int]) -> None:
    snapshots = Snapshots(database, check_every=0.02, min_interval=0.05, idle_after=0.1)
    first = snapshots.latest().version
    time.sleep(0.5)  # no reader: the refresh thread stops
    refreshed = len(builds)
    _write(database)
    time.sleep(0.3)
    assert len(builds) == refreshed, "nothing is built while nobody reads"
    now = snapshot_module.head(database)  # the write's version (the admin's creation, staff only, is not public)
    assert snapshots.latest().version == now > first, "the first reader back checks the version itself"
    snapshots.close()
