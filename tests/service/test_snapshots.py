"""The snapshot refresh: never per request, coalesced under a stream of writes, rendered before it is published.

The version a snapshot is named by is the audit log's head; these tests move it directly (as every write
does) so that the timing of the refresh is all they measure.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from saylau.io.protocols import read_protocol_file
from saylau.service import protocols
from saylau.service.audit import public_version
from saylau.service.permissions import Actor, Role
from saylau.service.protocols import FIGURES, Typing
from saylau.store import Database
from saylau.store.tables import audit_head
from saylau.web import Settings, prepare, public
from saylau.web import snapshot as snapshot_module
from saylau.web.snapshot import PROGRESS, Snapshot, Snapshots
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
    first.rendering("projector-en", render, PROGRESS)
    _first_entry(database, _station_101_list())  # the projector's data entry moves
    assert _until(lambda: snapshots.latest().version > first.version)
    assert rendered == [first.version, snapshots.latest().version], "rendered by the refresh, not by a reader"
    assert snapshots.latest().rendering("projector-en", render, PROGRESS) == b"page"
    assert len(rendered) == 2
    snapshots.close()


def test_what_no_reader_asked_for_lately_waits_for_the_next_reader(
    database: Database, builds: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(snapshot_module, "ASKED_WITHIN", 0.0)  # every ask is already too old for the refresh
    snapshots = Snapshots(database, check_every=0.02, min_interval=0.05)
    rendered: list[int] = []

    def render(snapshot: Snapshot) -> bytes:
        rendered.append(snapshot.version)
        return b"page"

    first = snapshots.latest()
    first.rendering("projector-en", render, PROGRESS)
    _first_entry(database, _station_101_list())  # the projector's data entry moves
    assert _until(lambda: snapshots.latest().version > first.version)
    assert rendered == [first.version], "the refresh renders nothing nobody asked for lately"
    newest = snapshots.latest()
    assert newest.rendering("projector-en", render, PROGRESS) == b"page"
    assert newest.rendering("projector-en", render, PROGRESS) == b"page"
    assert rendered == [first.version, newest.version], "rendered once, for the reader who asked"
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


def _answers(snapshot: Snapshot) -> dict[tuple[str, str, bytes], tuple[int, bytes, list[tuple[bytes, bytes]]]]:
    """Every public answer of `snapshot`, plain and gzip, as the fast path sends it."""
    out = {}
    for (path, lang), resource in public.RESOURCES.items():
        for encoding in (b"", b"gzip"):
            status, prepared = public.answer(snapshot, resource, b"", encoding)
            out[path, lang, encoding] = (status, prepared.body, prepared.headers)
    return out


def _station_101_list() -> dict[str, Any]:
    """Station 101's list protocol as typed in the example's protocol file (not saylau's count)."""
    found, problems = read_protocol_file(ALMATY / "protocols", "district-01.csv")
    assert not problems
    [protocol] = [p for p in found if p.station == 101 and p.ballot == "list"]
    return {n: protocol.figure(n) for n in FIGURES} | {"votes": dict(protocol.votes)}


def _first_entry(database: Database, figures: dict[str, Any]) -> None:
    """One operator types station 101's list protocol: its district's data entry moves, no figure does."""
    typed = Typing(Actor("op1", Role.OPERATOR), 101, "list", figures)
    with database.unit_of_work() as connection:
        [outcome] = protocols.enter_all(connection, [typed])
    assert not isinstance(outcome, Exception), outcome


def test_a_version_that_changes_nothing_shown_renders_nothing_and_answers_the_same_bytes(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that changes nothing a reader sees (on a day, any write to another contest) moves the version: the
    next snapshot hands on every rendering of the one before, the same bytes, ETags and Last-Modified, and a
    reader's ETag still gets a 304. A first entry moves the projector's data entry alone: only the projector is
    rendered again. An accepted protocol moves the figures: everything is."""
    rendered: list[str] = []
    prepare = public.Resource.prepare

    def counting(resource: public.Resource, snapshot: Snapshot) -> public.Rendering:
        rendered.append(resource.key)
        return prepare(resource, snapshot)

    monkeypatch.setattr(public.Resource, "prepare", counting)
    snapshots = Snapshots(database, check_every=0.02, min_interval=0.05)
    first = snapshots.latest()
    before = _answers(first)
    keys = set(rendered)
    assert len(keys) == 4 * 3 + 3, "four pages in each language, each download once (the same in every language)"
    rendered.clear()

    _write(database)
    assert _until(lambda: snapshots.latest().version > first.version)
    second = snapshots.latest()
    assert rendered == [], "nothing a reader sees changed: nothing is rendered"
    assert _answers(second) == before
    page = public.RESOURCES["/", "kk"]
    tag = public.answer(first, page, b"", b"gzip")[1].etag
    assert public.answer(second, page, tag, b"gzip")[0] == 304

    figures = _station_101_list()
    _first_entry(database, figures)
    assert _until(lambda: snapshots.latest().version > second.version)
    third = snapshots.latest()
    assert sorted(rendered) == sorted(k for k in keys if k.startswith("projector")), "only the projector shows it"
    after = _answers(third)
    assert {k: v for k, v in after.items() if not k[0].startswith("/projector")} == {
        k: v for k, v in before.items() if not k[0].startswith("/projector")
    }
    assert after["/projector", "en", b""] != before["/projector", "en", b""]
    rendered.clear()

    second_entry = Typing(Actor("op2", Role.OPERATOR), 101, "list", figures)
    with database.unit_of_work() as connection:
        [outcome] = protocols.enter_all(connection, [second_entry])
    assert not isinstance(outcome, Exception), outcome
    assert _until(lambda: snapshots.latest().version > third.version)
    assert sorted(rendered) == sorted(keys), "an accepted protocol changes every figure"
    counted = json.loads(_answers(snapshots.latest())["/api/public/results.json", "en", b""][1])
    assert counted["progress"]["list"]["stations_reported"] == 1
    snapshots.close()


def test_a_snapshot_s_read_never_makes_a_writer_wait_and_reads_one_state(database: Database) -> None:
    """The snapshot and the publisher read in `read_unit_of_work`: on SQLite a write commits while a read is
    open (it used to wait for the read's `BEGIN IMMEDIATE`), and the read goes on seeing the state it began with."""
    with database.read_unit_of_work() as connection:
        before = public_version(connection)
        writer = threading.Thread(target=_write, args=(database,))
        writer.start()
        writer.join(timeout=5)
        assert not writer.is_alive(), "the write waited for the read"
        assert public_version(connection) == before, "a read sees one state of the database"
    with database.read_unit_of_work() as connection:
        assert public_version(connection) > before
