"""Group commit of entries (docs/service.md, "Entries under load"), on SQLite and on PostgreSQL.

Entries stored together in one transaction must end exactly as if each had been stored alone, one after
the other: the same states, the same refusals, one audit row each in order, the chain intact. And the
writer thread answers each waiting request only after its group committed, trying each alone when the
group's transaction fails.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
from collections.abc import Sequence
from typing import Any

import pytest
from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from saylau.service import audit, protocols, users
from saylau.service.errors import BlockingErrors, Forbidden, NotFound, Unauthenticated
from saylau.service.permissions import Actor, Role
from saylau.service.states import EntryState, TransitionRefused
from saylau.store import Database
from saylau.store import database as database_module
from saylau.store import group as group_module
from saylau.store import users as store_users
from saylau.store.tables import audit as audit_table
from saylau.store.tables import audit_head, commissions, login_clients
from saylau.store.tables import protocols as protocols_table
from saylau.store.tables import sessions as sessions_table
from saylau.store.tables import users as users_table
from saylau.web import Settings, prepare
from tests.service.helpers import STATION_101_LIST, with_votes

ONE = Actor("op1", Role.OPERATOR, frozenset({1}))
TWO = Actor("op2", Role.OPERATOR, frozenset({1}))
ELSEWHERE = Actor("op9", Role.OPERATOR, frozenset({2}))


@pytest.fixture
def database(settings: Settings) -> Any:
    database, _ = prepare(settings)
    yield database
    database.close()


def test_a_group_ends_as_its_entries_would_one_after_the_other(database: Database) -> None:
    bad = with_votes(STATION_101_LIST, Amanat=10_000)  # more votes than ballots found: P00x, blocking
    group: list[protocols.Typing | Exception] = [
        protocols.Typing(ONE, 101, "list", STATION_101_LIST),
        protocols.Typing(ONE, 101, "list", with_votes(STATION_101_LIST, QHP=74, Respublica=84)),  # ONE again: refused
        protocols.Typing(TWO, 101, "list", STATION_101_LIST),  # the second entry, in the same group: accepted
        protocols.Typing(TWO, 102, "list", bad),
        protocols.Typing(ELSEWHERE, 101, "district", STATION_101_LIST),  # not their commission
        protocols.Typing(ONE, 99999, "list", STATION_101_LIST),
        Unauthenticated("log in first"),  # a session refused before the group: passed through
        protocols.Typing(TWO, 102, "list", with_votes(STATION_101_LIST)),  # station 102 typed, wrong figures
    ]
    with database.unit_of_work() as connection:
        head = audit.verify(connection).rows
        outcomes = protocols.enter_all(connection, group)
    kinds = [o if isinstance(o, EntryState) else type(o) for o in outcomes]
    assert kinds[:7] == [
        EntryState.FIRST_ENTRY,
        TransitionRefused,
        EntryState.ACCEPTED,
        BlockingErrors,
        Forbidden,
        NotFound,
        Unauthenticated,
    ]
    assert kinds[7] in (EntryState.FIRST_ENTRY, BlockingErrors)  # whatever the checks say of it, alone
    with database.unit_of_work() as connection:
        assert audit.verify(connection).intact
        rows = connection.execute(select(audit_table).where(audit_table.c.id > head).order_by(audit_table.c.id))
        written = [(r.user, r.subject, json.loads(r.after)["state"]) for r in rows]
        row = connection.execute(
            select(protocols_table).where(protocols_table.c.station == 101, protocols_table.c.ballot == "list")
        ).one()
    stored = [("op1", "station 101 list", "first-entry"), ("op2", "station 101 list", "accepted")]
    if kinds[7] is EntryState.FIRST_ENTRY:
        stored.append(("op2", "station 102 list", "first-entry"))
    assert written == stored
    assert row.state == "accepted" and json.loads(row.second)["by"] == "op2"


def test_sessions_are_looked_up_together_and_a_disabled_user_has_none(database: Database) -> None:
    with database.unit_of_work() as connection:
        users.add(connection, None, "op1", "pw-op1-123", Role.OPERATOR, frozenset({1}))
        users.add(connection, None, "op2", "pw-op2-123", Role.OPERATOR, frozenset({1}))
        one = users.login(connection, "op1", "pw-op1-123")
        two = users.login(connection, "op2", "pw-op2-123")
    assert one is not None and two is not None
    with database.unit_of_work() as connection:
        found = users.sessions_of(connection, [one.token, two.token, "no-such-token"])
        assert {t: s.actor.name for t, s in found.items()} == {one.token: "op1", two.token: "op2"}
        users.disable(connection, None, "op2")
        assert set(users.sessions_of(connection, [one.token, two.token])) == {one.token}


def test_the_sessions_a_group_reads_are_those_the_query_built_by_sqlalchemy_reads(database: Database) -> None:
    """`store.users.live_sessions` reads a group's sessions through one statement text per database (built
    once, not by SQLAlchemy for every group): it finds what the query SQLAlchemy builds finds, each live
    session of an active user with its commission, and nothing of an expired session, a disabled user or an
    unknown digest."""
    now = 1_700_000_000
    with database.unit_of_work() as connection:
        connection.execute(
            insert(commissions).values(
                id="dec-1",
                position=1,
                level="district",
                parent=None,
                name="District 1",
                stations="[101, 102]",
                districts='[["city", 1]]',
                declares='["city"]',
            )
        )
        for name, districts, commission in (("op1", {1, 2}, "dec-1"), ("op2", set(), None), ("op3", {3}, None)):
            store_users.add(connection, name, f"hash-{name}", "operator", frozenset(districts), commission)
        ids = {name: id_ for name, id_ in connection.execute(select(users_table.c.name, users_table.c.id))}
        for digest, name, expires in (
            ("d1", "op1", now + 60),
            ("d2", "op2", now + 1),
            ("d2-old", "op2", now),
            ("d3", "op3", now + 60),
        ):
            store_users.open_session(connection, digest, ids[name], f"csrf-{digest}", expires)
        store_users.deactivate(connection, ids["op3"])
        asked = ["d1", "d2", "d2-old", "d3", "no-such-digest"]
        found = store_users.live_sessions(connection, asked, now)
        tree = commissions.alias("tree")
        built = connection.execute(
            select(
                sessions_table.c.token_sha256,
                sessions_table.c.csrf,
                sessions_table.c.expires,
                users_table,
                *(c.label(f"tree_{c.name}") for c in tree.columns if c.name != "position"),
            )
            .join(users_table, users_table.c.id == sessions_table.c.user_id)
            .outerjoin(tree, tree.c.id == users_table.c.commission)
            .where(
                sessions_table.c.token_sha256.in_(asked),
                sessions_table.c.expires > now,
                users_table.c.active.is_(True),
            )
        ).all()
    assert sorted(s.token_sha256 for s in found) == sorted(r.token_sha256 for r in built) == ["d1", "d2"]
    by_digest = {s.token_sha256: s for s in found}
    one, two = by_digest["d1"], by_digest["d2"]
    assert (one.csrf, one.expires, one.user.name, one.user.districts) == ("csrf-d1", now + 60, "op1", frozenset({1, 2}))
    assert one.commission is not None and one.commission.id == "dec-1" and one.commission.stations == {101, 102}
    assert one.commission.districts == (("city", 1),) and one.commission.declares == ("city",)
    assert (two.user.name, two.user.districts, two.user.active, two.commission) == ("op2", frozenset(), True, None)


def test_the_writer_answers_after_the_commit_and_retries_a_failed_group_alone(database: Database) -> None:
    groups: list[list[int]] = []
    entered = threading.Event()

    def work(connection: Connection, items: Sequence[int]) -> list[int | Exception]:
        groups.append(list(items))
        entered.wait(5)  # the first item holds the writer until the others wait behind it
        if 13 in items and len(items) > 1:
            raise RuntimeError("the group's transaction failed")
        return [ValueError(f"{i} refused") if i == 7 else i * 10 for i in items]

    async def everyone() -> list[Any]:
        committer = database.group(work)
        first = asyncio.create_task(committer.submit(1))
        await asyncio.sleep(0.2)
        rest = [asyncio.create_task(committer.submit(i)) for i in (7, 13, 4)]
        await asyncio.sleep(0.2)
        entered.set()
        return await asyncio.gather(first, *rest, return_exceptions=True)

    answers = asyncio.run(everyone())
    assert answers[0] == 10 and answers[2:] == [130, 40]
    assert isinstance(answers[1], ValueError) and str(answers[1]) == "7 refused"
    assert groups == [[1], [7, 13, 4], [7], [13], [4]]


def test_the_writer_keeps_its_connection_and_replaces_one_the_server_closed(database: Database) -> None:
    """Group after group on one connection of the writer thread's own (no pool checkout and no ping each time);
    on PostgreSQL a connection the server closed between two groups is replaced and the group made on the new
    one, as the pool's ping did before, nothing refused; after a group that failed the next one is stored."""
    seen: list[tuple[int, Any]] = []

    def work(connection: Connection, items: Sequence[str]) -> list[str | Exception]:
        pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar() if not database.is_sqlite else None
        seen.append((id(connection.connection.dbapi_connection), pid))
        if items == ["fail"]:
            raise RuntimeError("the group's transaction failed")
        return [f"{item} stored" for item in items]

    async def one(item: str) -> Any:
        committer = database.group(work)
        return (await asyncio.gather(committer.submit(item), return_exceptions=True))[0]

    assert asyncio.run(one("a")) == "a stored"
    assert asyncio.run(one("b")) == "b stored"
    assert seen[0] == seen[1]  # the same connection, kept
    if not database.is_sqlite:
        with database.unit_of_work() as connection:  # the server closes the writer's connection
            connection.exec_driver_sql(f"SELECT pg_terminate_backend({seen[1][1]})")
        assert asyncio.run(one("c")) == "c stored"
        assert seen[-1][1] != seen[1][1]  # made on a fresh connection
    assert isinstance(asyncio.run(one("fail")), RuntimeError)  # refused alone: a group of one is not tried again
    assert asyncio.run(one("d")) == "d stored"  # the next group on a connection checked out of the pool again


def test_a_group_that_reads_nothing_is_committed_and_a_failed_write_refuses_its_group(database: Database) -> None:
    """On PostgreSQL the writer sends a group's statements in pipeline mode: a write is not waited for until
    a read or the commit. A group that only writes is still committed (seen from another connection, nothing
    left open), and a write the server refuses fails its group, whose items are then tried alone."""

    def work(connection: Connection, items: Sequence[str]) -> list[str | Exception]:
        for item in items:
            if item == "twice":  # the chain's head exists already: refused by its primary key, at the commit
                connection.execute(insert(audit_head).values(id=1, last_id=0, last_sha256="0" * 64))
            else:
                connection.execute(insert(login_clients).values(name=item, client="test", at=0))
        return [f"{item} stored" for item in items]

    async def together(items: Sequence[str]) -> list[Any]:
        committer = database.group(work)
        return await asyncio.gather(*(committer.submit(i) for i in items), return_exceptions=True)

    assert asyncio.run(together(["a"])) == ["a stored"]
    answers = asyncio.run(together(["b", "twice", "c"]))
    assert answers[0] == "b stored" and answers[2] == "c stored" and isinstance(answers[1], IntegrityError)
    with database.unit_of_work() as connection:
        names = connection.execute(select(login_clients.c.name).where(login_clients.c.client == "test")).scalars()
        assert sorted(names) == ["a", "b", "c"]
        if not database.is_sqlite:
            still_open = (  # the writer's connection in a transaction nobody will end
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state <> 'idle' "
                "AND pid <> pg_backend_pid()"
            )
            assert connection.exec_driver_sql(still_open).scalar() == 0


def test_an_entry_is_answered_only_once_the_log_is_synced_and_the_writer_goes_on_meanwhile(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite: the writer thread's commit leaves the sync of the write-ahead log to the answering thread,
    which answers a group only after an `fsync` of the log that began after the group's commit; meanwhile the
    writer commits the next group. Every other connection still syncs at its own commit (FULL)."""
    if not database.is_sqlite:
        pytest.skip("PostgreSQL's commit waits for its log itself")
    syncing, release = threading.Event(), threading.Event()
    synced: list[str] = []
    committed: list[list[str]] = []
    real_fsync = os.fsync

    def fsync(descriptor: int) -> None:
        syncing.set()
        release.wait(5)
        synced.append(os.readlink(f"/proc/self/fd/{descriptor}"))
        real_fsync(descriptor)

    monkeypatch.setattr(database_module.os, "fsync", fsync)
    levels: list[int] = []

    def work(connection: Connection, items: Sequence[str]) -> list[str | Exception]:
        levels.append(connection.exec_driver_sql("PRAGMA synchronous").scalar_one())
        for item in items:
            connection.execute(insert(login_clients).values(name=item, client="sync", at=0))
        committed.append(list(items))
        return [f"{item} stored" for item in items]

    async def night() -> list[Any]:
        committer = database.group(work)
        first = asyncio.create_task(committer.submit("a"))
        await asyncio.to_thread(syncing.wait, 5)  # "a" committed, its sync under way and held
        second = asyncio.create_task(committer.submit("b"))
        for _ in range(100):  # the writer commits "b" while "a" waits for the disk
            if committed == [["a"], ["b"]]:
                break
            await asyncio.sleep(0.01)
        assert not first.done() and not second.done()  # nobody is told before the sync
        release.set()
        return await asyncio.gather(first, second)

    assert asyncio.run(night()) == ["a stored", "b stored"]
    assert committed == [["a"], ["b"]] and levels == [1, 1]  # the writer's connection: NORMAL
    assert synced and all(path.endswith("saylau.sqlite-wal") for path in synced)
    with database.unit_of_work() as connection:  # a pooled connection: FULL, and it sees both
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar_one() == 2
        names = connection.execute(select(login_clients.c.name).where(login_clients.c.client == "sync")).scalars()
        assert sorted(names) == ["a", "b"]


def test_a_failed_sync_answers_no_entry_as_stored(database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """A group whose log the disk refuses to sync is committed but not known to be on disk: each of its
    entries is answered with the error (a server error, which the operator's program sends again: entries are
    idempotent), none as stored; the next group, synced, is answered as stored."""
    if not database.is_sqlite:
        pytest.skip("PostgreSQL's commit waits for its log itself")
    failures = [OSError(5, "Input/output error")]
    real_fsync = os.fsync

    def fsync(descriptor: int) -> None:
        if failures:
            raise failures.pop()
        real_fsync(descriptor)

    monkeypatch.setattr(database_module.os, "fsync", fsync)

    def work(connection: Connection, items: Sequence[str]) -> list[str | Exception]:
        return [f"{item} stored" for item in items]

    async def one(item: str) -> Any:
        return (await asyncio.gather(database.group(work).submit(item), return_exceptions=True))[0]

    refused = asyncio.run(one("a"))
    assert isinstance(refused, OSError) and refused.errno == 5
    assert asyncio.run(one("b")) == "b stored"


def test_what_a_reader_read_is_on_disk_before_it_shows_it(database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite: a transaction that only read (the public snapshot, a publisher's pass, a coordinator's page)
    syncs the log when it ends, before its caller shows what it read, so a group the writer committed but had
    not yet synced is on disk first; one that wrote synced at its own commit and syncs nothing more."""
    if not database.is_sqlite:
        pytest.skip("PostgreSQL shows a commit only once its log is on disk")
    synced: list[str] = []
    real_fsync = os.fsync

    def fsync(descriptor: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{descriptor}"))
        real_fsync(descriptor)

    monkeypatch.setattr(database_module.os, "fsync", fsync)
    for reading in (database.read_unit_of_work, database.unit_of_work):
        with reading() as connection:
            connection.execute(select(login_clients.c.name)).all()
            assert synced == []
        assert len(synced) == 1 and synced[0].endswith("saylau.sqlite-wal")
        synced.clear()
    with database.unit_of_work() as connection:
        connection.execute(insert(login_clients).values(name="w", client="wrote", at=0))
    assert synced == []


def test_the_log_is_synced_through_one_descriptor_kept_while_the_writer_keeps_its_connection(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite: the answering thread syncs the log through a descriptor opened once, after the writer's first
    commit, not opened and closed for every pass; it is closed when the writer lets its connection go, and a
    sync after that opens the log again."""
    if not database.is_sqlite:
        pytest.skip("PostgreSQL's commit waits for its log itself")
    opened: list[str] = []
    synced: list[int] = []
    real_open, real_fsync = os.open, os.fsync

    def open_(path: Any, flags: int, *rest: Any, **named: Any) -> int:
        if str(path).endswith("-wal"):
            opened.append(str(path))
        return real_open(path, flags, *rest, **named)

    def fsync(descriptor: int) -> None:
        synced.append(descriptor)
        real_fsync(descriptor)

    monkeypatch.setattr(database_module.os, "open", open_)
    monkeypatch.setattr(database_module.os, "fsync", fsync)

    def work(connection: Connection, items: Sequence[str]) -> list[str | Exception]:
        for item in items:
            connection.execute(insert(login_clients).values(name=item, client="kept", at=0))
        return [f"{item} stored" for item in items]

    async def night() -> list[str]:
        committer = database.group(work)
        return [await committer.submit(item) for item in ("a", "b", "c")]

    assert asyncio.run(night()) == ["a stored", "b stored", "c stored"]
    assert len(opened) == 1 and len(synced) == 3 and len(set(synced)) == 1  # one descriptor, a sync a group
    kept = synced[0]
    assert os.readlink(f"/proc/self/fd/{kept}").endswith("saylau.sqlite-wal")
    database.close()  # the writer lets its connection go, and the log's descriptor with it
    assert not os.path.exists(f"/proc/self/fd/{kept}") or not os.readlink(f"/proc/self/fd/{kept}").endswith("-wal")


def test_a_small_group_stays_open_while_entries_keep_coming(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A group below `FILL` is kept open for one more item while items keep coming within `GAP` of each other,
    closed once it holds `FILL`, and never kept open past `LINGER` for an item that comes later."""
    monkeypatch.setattr(group_module, "FILL", 3)
    monkeypatch.setattr(group_module, "GAP", 5.0)
    monkeypatch.setattr(group_module, "LINGER", 10.0)
    groups: list[list[str]] = []

    def work(connection: Connection, items: Sequence[str]) -> list[str | Exception]:
        groups.append(list(items))
        return [f"{item} stored" for item in items]

    async def typed(items: Sequence[str], apart: float) -> list[Any]:
        committer = database.group(work)
        sent = []
        for item in items:
            sent.append(asyncio.create_task(committer.submit(item)))
            await asyncio.sleep(apart)
        return await asyncio.gather(*sent)

    assert asyncio.run(typed(["a", "b", "c", "d"], 0.05)) == ["a stored", "b stored", "c stored", "d stored"]
    assert groups[0] == ["a", "b", "c"]  # one group while they kept coming, closed at `FILL`
    monkeypatch.setattr(group_module, "LINGER", 0.1)
    groups.clear()
    assert asyncio.run(typed(["e", "f"], 1.0)) == ["e stored", "f stored"]
    assert groups == [["e"], ["f"]]  # "e" waited no longer than `LINGER` for "f"


def test_the_checkpointer_holds_the_writers_lock_only_for_the_last_few_frames(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past `RESTART_AFTER` frames the checkpointer copies beside the writers until at most `LEFT_UNDER_LOCK`
    frames are left, and only those with the writers' lock held."""
    lock = threading.Lock()
    passes = iter([(20_000, 16_000), (20_400, 20_000), (20_450, 20_300), (20_460, 20_460)])
    held: list[bool] = []

    def passive(_self: object) -> tuple[int, int]:
        held.append(lock.locked())
        return next(passes)

    monkeypatch.setattr(database_module._Checkpointer, "_passive", passive)
    monkeypatch.setattr(database_module, "RESTART_AFTER", 16_384)
    checkpointer = object.__new__(database_module._Checkpointer)
    checkpointer._writer = lock
    assert checkpointer.checkpoint() == (20_460, 20_460)
    assert held == [False, False, False, True]  # 4,000 then 400 frames left beside the writers; 150 under the lock


def test_a_checkpoint_past_the_restart_size_restarts_the_log(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite: once the log holds more than `RESTART_AFTER` frames, a checkpoint copies it all and the next write
    starts the log again from its beginning instead of appending to it."""
    if not database.is_sqlite:
        pytest.skip("PostgreSQL checkpoints its own log")
    monkeypatch.setattr(database_module, "RESTART_AFTER", 8)
    if database._checkpoints is not None:  # the service's own checkpointer stops: only this test's copies the log
        database._checkpoints.close()
    for k in range(40):
        with database.unit_of_work() as connection:
            connection.execute(insert(login_clients).values(name=f"n{k}", client="log", at=k))
    checkpointer = object.__new__(database_module._Checkpointer)
    checkpointer._engine, checkpointer._writer = database.engine, threading.Lock()
    frames, copied = checkpointer.checkpoint()
    assert frames > 8 and copied == frames
    with database.unit_of_work() as connection:
        connection.execute(insert(login_clients).values(name="after", client="log", at=99))
    assert checkpointer._passive()[0] < frames  # the log began again
