"""Group commit: writes that arrive together are made in one transaction by one writer thread.

Why: on election night fifty operators press Enter at once. Each entry alone is a transaction of its own
(begin, lock the protocol, update it, append to the audit chain, commit: on PostgreSQL a flush of the
write-ahead log to disk each time), and the audit chain makes them queue one behind the other anyway. Here
one thread takes every write waiting when it is free, makes them all in one transaction, commits, and only
then answers each of them: an answer still means "committed", and a crash before the commit loses only
writes nobody was told about. While one group commits, the next one gathers, so the groups grow with the
load; a small group is kept open a few milliseconds while more keep coming (`FILL`, `GAP`, `LINGER`), since its
transaction costs the writer much the same whatever its size.

The writer thread keeps one connection of its own from one group to the next (no pool checkout and no
ping per group: `Database.held_unit_of_work`); a group that finds it gone is made again once on a fresh one.

A second thread answers: it makes every group committed since its last pass durable at once
(`Database.durable`: on SQLite one sync of the write-ahead log, which the commit itself no longer waits for),
then answers their items, with one wake-up of the event loop for all of them. So the writer makes the next
group while the disk syncs the last one, and an answer still means "committed and on disk".

The work function gets the connection and the items in arrival order and returns one outcome per item:
a result, or the exception that refuses that item alone (nothing of it written). If the transaction itself
fails, each item is tried again in a transaction of its own, so one item cannot sink the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError


class Database(Protocol):
    """What a group committer needs of `saylau.store.database.Database`: a unit of work (one transaction) on
    a connection its writer thread keeps between groups, and a way to give that connection back.

    Named here, not imported, so the database (which owns its group committers) and this module form no
    import circle."""

    def held_unit_of_work(self) -> AbstractContextManager[Connection]:
        """One transaction on the calling thread's own connection: committed when the block ends, rolled back
        (and the connection dropped) if it raises."""
        ...

    def release_held(self) -> None:
        """Give the calling thread's own connection back."""
        ...

    def durable(self) -> None:
        """Every transaction committed so far on disk when it returns (an `OSError` if the disk refused)."""
        ...


Item = TypeVar("Item")
Result = TypeVar("Result")

Work = Callable[[Connection, Sequence[Item]], Sequence["Result | Exception"]]
"""Make the items' writes on the connection; one outcome (a result or a refusal) per item, in order."""

LARGEST = 256
"""Most items in one transaction: a bound on how long one commit holds its locks."""

FILL = 32
"""Items in a group below which the writer keeps it open while more keep coming (`GAP`, `LINGER`)."""

GAP = 0.001
"""Seconds the writer waits for one more item for a group below `FILL`: a group stays open while items arrive
closer together than this, so a lone entry (a real night's pace, a few a second) waits at most this long."""

LINGER = 0.004
"""Seconds at most that the writer keeps a group below `FILL` open for items still coming (`GAP`).

Why: a group's transaction costs the writer about 1.7 ms of CPU whatever its size, beside about 0.24 ms an
entry (SQLite, a paced night of 10,146 stations, timed per group in the server). Near its limit the writer
took what waited while the group before committed, about 10 entries, so that fixed part was half its work
and the writer was busy 98% of the time at 1,850 entries/s (2,000 stations): any pause then grew a queue it
drained slowly. Kept open a few milliseconds while entries keep coming, groups of about 20 took the server
15% less CPU at the same pace, the writer busy about two thirds of the time."""


@dataclass(slots=True)
class _Waiting(Generic[Item]):
    item: Item
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Any]


_STOP = object()


class GroupCommit(Generic[Item, Result]):
    """One writer thread making `work` for every item waiting, in one unit of work of `database`."""

    def __init__(self, database: Database, work: Work[Item, Result], largest: int = LARGEST) -> None:
        self.database, self.work, self.largest = database, work, largest
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._answers: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="saylau-group-commit", daemon=True)
        self._answerer = threading.Thread(target=self._answer, name="saylau-group-answer", daemon=True)
        self._thread.start()
        self._answerer.start()

    async def submit(self, item: Item) -> Result:
        """The item's result once the transaction that holds it has committed; its refusal raised."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Result] = loop.create_future()
        self._queue.put(_Waiting(item, loop, future))
        return await future

    def close(self) -> None:
        """Finish what waits, then stop the writer thread and the answering one."""
        self._queue.put(_STOP)
        self._thread.join(timeout=60)
        self._answers.put(_STOP)
        self._answerer.join(timeout=60)

    def _run(self) -> None:
        try:
            self._groups()
        finally:
            self.database.release_held()

    def _groups(self) -> None:
        stopping = False
        while not stopping:
            first = self._queue.get()
            if first is _STOP:
                return
            group = [first]
            until = time.monotonic() + LINGER
            while len(group) < self.largest:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:  # none waiting: below `FILL`, wait a little for one still coming
                    left = min(GAP, until - time.monotonic())
                    if len(group) >= FILL or left <= 0:
                        break
                    try:
                        more = self._queue.get(timeout=left)
                    except queue.Empty:
                        break
                if more is _STOP:
                    stopping = True
                    break
                group.append(more)
            self._commit(group)

    def _commit(self, group: list[_Waiting[Item]]) -> None:
        try:
            outcomes = self._transaction([w.item for w in group])
        except Exception as error:  # the transaction failed as a whole: each item alone
            if len(group) == 1:
                outcomes = [error]
            else:
                for waiting in group:
                    self._commit([waiting])
                return
        self._answers.put((group, outcomes))

    def _answer(self) -> None:
        """Answer each committed group once it is durable: every group waiting made durable by one call."""
        while True:
            done = [self._answers.get()]
            while True:
                try:
                    done.append(self._answers.get_nowait())
                except queue.Empty:
                    break
            committed = [d for d in done if d is not _STOP]
            try:
                self.database.durable()
            except OSError as error:  # committed, but not known to be on disk: nobody is told it is stored
                committed = [(group, [error] * len(group)) for group, _ in committed]
            settled: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[Any], Any]]] = {}
            for group, outcomes in committed:
                for waiting, outcome in zip(group, outcomes, strict=True):
                    settled.setdefault(waiting.loop, []).append((waiting.future, outcome))
            for loop, answers in settled.items():  # one wake-up of each event loop for all its answers
                with contextlib.suppress(RuntimeError):  # RuntimeError: that event loop has closed
                    loop.call_soon_threadsafe(_settle_all, answers)
            if len(committed) < len(done):
                return

    def _transaction(self, items: list[Item]) -> Sequence[Result | Exception]:
        try:
            return self._once(items)
        except DBAPIError as error:
            if not error.connection_invalidated:
                raise
            # The writer's own connection had gone (the server restarted or closed it) and is dropped: once
            # more on a fresh connection from the pool, checked before use, as every transaction was before
            # the writer kept its connection. Entries are idempotent, so even one whose commit was lost
            # half-way is stored once.
            return self._once(items)

    def _once(self, items: list[Item]) -> Sequence[Result | Exception]:
        with self.database.held_unit_of_work() as connection:
            outcomes = self.work(connection, items)
        if len(outcomes) != len(items):
            raise RuntimeError(f"{len(items)} items gave {len(outcomes)} outcomes")
        return outcomes


def _settle_all(answers: list[tuple[asyncio.Future[Any], Any]]) -> None:
    """In the requests' event loop: each future its outcome."""
    for future, outcome in answers:
        if future.cancelled():  # the client went away; the write stands, as it would without grouping
            continue
        if isinstance(outcome, Exception):
            future.set_exception(outcome)
        else:
            future.set_result(outcome)
