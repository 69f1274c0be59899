"""Opening the database: engine, migrations on start, and the unit of work the service writes through.

SQLite (the embedded default) gets WAL, foreign keys and `BEGIN IMMEDIATE` transactions, so concurrent
writers queue instead of failing half-way (a transaction that only reads, `read_unit_of_work`, begins deferred
and takes no lock); PostgreSQL needs nothing special. Every transaction is one
unit of work: it commits whole or not at all.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.exc import SQLAlchemyError

from saylau.errors import InputError, worded
from saylau.store.group import GroupCommit, Item, Result, Work

SQLITE_FILE = "saylau.sqlite"


def database_url(data: Path | None, database: str | None) -> str:
    """The URL the options name: --database as given, else SQLite in the --data folder."""
    if database:
        return database
    folder = data or Path("saylau-data")
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(folder / SQLITE_FILE).resolve()}"


@dataclass
class Database:
    """An engine the service uses through `unit_of_work()`."""

    engine: Engine
    _writer: threading.Lock | None = field(default=None, repr=False)
    _groups: dict[Any, GroupCommit[Any, Any]] = field(default_factory=dict, repr=False)
    _groups_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    _checkpoints: _Checkpointer | None = field(default=None, repr=False)
    _held: threading.local = field(default_factory=threading.local, repr=False)
    _log: _Log | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.is_sqlite:
            self._writer = threading.Lock()
            self._log = _Log(self.engine.url.database)

    @contextmanager
    def unit_of_work(self) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back if it raises.

        SQLite has one writer at a time; within a process the transactions queue on a lock (first come,
        first served) instead of SQLite's busy handler, which sleeps and retries and so makes long tails.
        Other processes on the same file still wait through the busy timeout. SQLite's write-ahead log is
        checkpointed by a thread of its own (`_Checkpointer`), not by the commit that happens to fill it.
        What a transaction that wrote nothing read is on disk when it ends (`_read_synced`); one that wrote
        synced the log at its commit.
        """
        self._checkpointing()
        with self._writer or contextlib.nullcontext(), self.engine.begin() as connection:
            changes = _changes(connection)
            yield connection
            wrote = _changes(connection) != changes
        if not wrote:
            self._read_synced()

    @contextmanager
    def held_unit_of_work(self) -> Iterator[Connection]:
        """`unit_of_work` on a connection the calling thread keeps from one transaction to the next: a group
        committer's writer thread, which commits a group of entries after another all night.

        Why: a transaction of `unit_of_work` checks a connection out of the pool and, on PostgreSQL, pings
        the server first (`pool_pre_ping`: a `SELECT 1` round trip, about a tenth of the writer thread's time
        on a replay); the writer thread needs neither between two of its own groups. A connection that failed
        in any way is closed and forgotten, so the next transaction (the group committer retries each entry
        of a failed group alone) starts on a fresh, pinged one from the pool. `release_held` gives it back.

        On SQLite its commit does not wait for the disk (`PRAGMA synchronous=NORMAL` on this connection alone):
        the caller makes its transaction `durable()` before it tells anybody it is stored. Why: the sync of the
        log took the writer thread 3 ms a group at the median and 12 to 22 at the worst on a paced night of
        10,146 stations, holding SQLite's write lock with every entry queued behind it; off the lock, the next
        group is made while the last one's sync runs, and one sync serves every group committed meanwhile.
        """
        self._checkpointing()
        connection: Connection | None = getattr(self._held, "connection", None)
        if connection is None or connection.closed or connection.invalidated:
            self.release_held()
            connection = self._held.connection = self.engine.connect()
            self._held.pipeline = _pipeline_of(connection)
            if self._log is not None:
                _synchronous(connection, UNSYNCED)
        try:
            with self._writer or contextlib.nullcontext(), connection.begin():
                yield connection
            if self._log is not None:
                self._log.committed()
                self._log.keep()
        except BaseException:
            self.release_held()
            raise

    def durable(self) -> None:
        """Every transaction committed so far is on disk when this returns (SQLite: the write-ahead log synced,
        once for every transaction `held_unit_of_work` committed since the last sync, nothing if none;
        PostgreSQL: nothing to do, its commit waited for the disk). An `OSError` if the disk refused."""
        if self._log is not None:
            self._log.sync()

    def _read_synced(self) -> None:
        """After a transaction that only read, on SQLite: sync the log, whoever committed into it.

        Why: the writer thread's group is committed, and so readable, a few milliseconds before its sync
        (`held_unit_of_work`), by this process's writer or another's (`--workers`, a `--public-only` process
        reads what the entering one wrote). Everything a transaction read was in the log before it ended, so
        this sync puts it on disk before the reader shows it to anybody: the public page, a publisher's
        version or a coordinator's screen never shows a figure a power cut could take back. A transaction
        that wrote synced the log at its own commit (FULL)."""
        if self._log is not None:
            self._log.sync(everyone=True)

    @contextmanager
    def read_unit_of_work(self) -> Iterator[Connection]:
        """A transaction that only reads (the public snapshot, a publisher's pass): on SQLite a deferred `BEGIN`,
        which in WAL mode reads one consistent state of the database without SQLite's write lock or this
        process's writers' lock, so a reader never makes an entry wait (`BEGIN IMMEDIATE` took the write lock
        for the whole read, and a `--public-only` process or a publisher held the operators' entries back while
        it counted); PostgreSQL: `unit_of_work`. A write inside it fails on SQLite (busy), never half-done.

        What it read is on disk when it ends (`_read_synced`)."""
        if self._writer is None:
            with self.unit_of_work() as connection:
                yield connection
            return
        with self.engine.connect() as connection:
            connection.info[_READ_ONLY] = True  # `_sqlite_begin` begins it deferred
            try:
                with connection.begin():
                    yield connection
            finally:
                connection.info.pop(_READ_ONLY, None)
        self._read_synced()

    def release_held(self) -> None:
        """Close the connection the calling thread keeps (`held_unit_of_work`), if any: out of pipeline mode and
        back to the pool (dropped if it cannot leave pipeline mode cleanly)."""
        connection: Connection | None = getattr(self._held, "connection", None)
        pipeline: contextlib.AbstractContextManager[Any] | None = getattr(self._held, "pipeline", None)
        self._held.connection = self._held.pipeline = None
        if connection is None:
            return
        if self._log is not None:
            self._log.let_go()  # before the connection closes: it may be the last, and SQLite then removes the log
        if self._log is not None and not (connection.closed or connection.invalidated):
            try:  # back to the pool syncing at every commit, as every other connection does
                _synchronous(connection, SYNCHRONOUS)
            except (SQLAlchemyError, sqlite3.Error):
                with contextlib.suppress(SQLAlchemyError):
                    connection.invalidate()
        if pipeline is not None:
            connection.info.pop(_PIPELINE, None)
            try:
                pipeline.__exit__(None, None, None)
            except Exception:
                with contextlib.suppress(SQLAlchemyError):
                    connection.invalidate()  # never back to the pool in pipeline mode
        with contextlib.suppress(SQLAlchemyError):
            connection.close()

    def _checkpointing(self) -> None:
        """Start SQLite's checkpointer thread if none runs (a write is coming)."""
        if self._writer is not None and (self._checkpoints is None or self._checkpoints.idle):
            with self._groups_lock:
                if self._checkpoints is None or self._checkpoints.idle:
                    self._checkpoints = _Checkpointer(self.engine, self._writer)

    def group(self, work: Work[Item, Result]) -> GroupCommit[Item, Result]:
        """The group committer of `work` on this database (its writer thread starts on first use)."""
        with self._groups_lock:
            found = self._groups.get(work)
            if found is None:
                found = self._groups[work] = GroupCommit(self, work)
            return found

    @property
    def is_sqlite(self) -> bool:
        """Whether this is the embedded SQLite database."""
        return self.engine.dialect.name == "sqlite"

    def close(self) -> None:
        """Stop the group committers' and the checkpointer's threads, then close every pooled connection."""
        with self._groups_lock:
            groups, self._groups = list(self._groups.values()), {}
            checkpoints, self._checkpoints = self._checkpoints, None
        for group in groups:
            group.close()
        if checkpoints is not None:
            checkpoints.close()
            checkpoints.checkpoint()  # a thread stopped for idleness left the last writes in the log
        with contextlib.suppress(OSError):
            self.durable()
        self.engine.dispose()


class _Log:
    """SQLite's write-ahead log as the writer thread's unsynced commits leave it (`Database.held_unit_of_work`):
    how many commits it holds and how many of them are known to be on disk, and the sync that makes them so.

    The sync is an `fsync` of the log file (`-wal`), what SQLite's own commit does with `synchronous=FULL`:
    a commit has written its pages into the log before it returns, so a sync after it makes it durable, and
    every commit before it (the log only grows until a checkpoint has copied it, and that checkpoint syncs
    the database file first). No SQLite lock is held on the log file itself (WAL mode locks the database and
    its `-shm` file), so opening and closing it here releases none of them.

    While the writer thread keeps its connection the log's file stays open here (`keep`, `let_go`), so a sync
    is one system call. Why: each system call lets go of Python's lock and takes it again, and the answering
    thread that syncs then waits for the writer thread or the event loop to give it back, every entry of the
    groups it answers waiting too; open, sync and close were three such waits a pass. The file open stays the
    log: SQLite removes it only when the last connection to the database closes, and the writer's is open.
    """

    def __init__(self, database: str | None) -> None:
        self._path = f"{database}-wal" if database and database != ":memory:" else None
        self._commits = self._synced = 0
        self._lock = threading.Lock()
        self._kept: int | None = None

    def committed(self) -> None:
        """One more commit in the log, not yet synced (called by the committing thread after its commit)."""
        self._commits += 1

    def keep(self) -> None:
        """Keep the log's file open for the syncs (called by the writer thread once its connection has committed:
        the log exists, and stays while that connection is open)."""
        if self._kept is None and self._path is not None:
            with self._lock:
                if self._kept is None:
                    with contextlib.suppress(FileNotFoundError):
                        self._kept = os.open(self._path, os.O_RDWR)

    def let_go(self) -> None:
        """Close the log's file kept open (`keep`): the writer thread's connection is closing."""
        with self._lock:
            kept, self._kept = self._kept, None
            if kept is not None:
                os.close(kept)

    def sync(self, everyone: bool = False) -> None:
        """Sync the log if a commit of this process since the last sync waits for it (one sync serves every such
        commit); with `everyone`, also when none does (another process's writer may have committed)."""
        with self._lock:
            target = self._commits  # commits after this read are not claimed by this sync
            if target == self._synced and not everyone:
                return
            if self._kept is not None:
                os.fsync(self._kept)
            elif self._path is not None:
                try:
                    descriptor = os.open(self._path, os.O_RDWR)
                except FileNotFoundError:  # the last connection closed: SQLite checkpointed and synced it all
                    descriptor = -1
                if descriptor >= 0:
                    try:
                        os.fsync(descriptor)
                    finally:
                        os.close(descriptor)
            self._synced = target


def _changes(connection: Connection) -> int:
    """SQLite: the rows this connection has changed since it opened (`total_changes`); PostgreSQL: 0."""
    if connection.dialect.name != "sqlite":
        return 0
    raw: Any = connection.connection.dbapi_connection
    return int(raw.total_changes)


def _synchronous(connection: Connection, level: str) -> None:
    """Set SQLite's `PRAGMA synchronous` of one connection, outside any transaction (SQLite refuses it inside)."""
    raw: Any = connection.connection.dbapi_connection
    raw.execute(f"PRAGMA synchronous={level}")


def _pipeline_of(connection: Connection) -> contextlib.AbstractContextManager[Any] | None:
    """PostgreSQL: put the held connection in psycopg's pipeline mode for as long as the thread keeps it (a
    statement whose result is not read waits for no round trip of its own); its context, to leave it
    (`Database.release_held`). SQLite: nothing.

    The connection stays in pipeline mode from one group's transaction to the next: entering and leaving it
    for each group cost a round trip of its own after the commit's (leaving sends a sync and waits for it)."""
    if connection.dialect.name != "postgresql":
        return None
    driver: Any = connection.connection.driver_connection
    context: contextlib.AbstractContextManager[Any] = driver.pipeline()
    connection.info[_PIPELINE] = context.__enter__()
    return context


_PIPELINE = "saylau_pipeline"
"""Set on a connection's info while it is in psycopg's pipeline mode (`_pipeline_of`)."""


def _read_now(connection: Connection, cursor: Any, statement: str, *_: Any) -> None:
    """In pipeline mode, any statement but an `INSERT`, `UPDATE` or `DELETE` without `RETURNING` (one whose
    rows the caller may read): sync the pipeline now, so that its result (and every statement's before it)
    has arrived when SQLAlchemy looks at the cursor."""
    pipeline = connection.info.get(_PIPELINE)
    if pipeline is None:
        return
    writes = statement.lstrip()[:6].upper() in _WRITES and "RETURNING" not in statement.upper()
    if not writes:
        pipeline.sync()


_WRITES = frozenset({"INSERT", "UPDATE", "DELETE"})


CHECKPOINT_EVERY = 0.5
"""Seconds between two checkpoints of SQLite's write-ahead log (`_Checkpointer`)."""


IDLE_AFTER = 30.0
"""Seconds without a write after which the checkpointer's thread stops (the next unit of work starts it)."""

RESTART_AFTER = 262_144
"""Frames (4 KiB pages) in SQLite's log past which a checkpoint copies the last of them with the writers' lock
held, so that the log restarts (`_Checkpointer`): about 1 GiB, more than a country's saturated night writes
(81,168 entries of 10,146 stations, about 2.7 frames an entry).

Writers that pause restart the log by themselves: a pass beside them copies it all, and the next transaction
starts it again from its beginning, with no lock taken. At a real night's pace (a few entries a second) the
writer pauses nearly all the time. Only writers that never pause make it grow, and then it is better left to
grow than stopped: each pass under the lock holds every entry back for two syncs of the disk (the log's, then
the database file's) and the pages it copies, 13 to 45 ms on a busy disk even for the last 256 frames
(`LEFT_UNDER_LOCK`); at 16,384 frames that came every 3 to 4 s on a paced night of 10,146 stations, and began
most runs of the night's slowest entries. A longer log costs no reader anything: SQLite looks a page up only
among the frames not yet copied, which the pass every `CHECKPOINT_EVERY` seconds keeps few; what it costs is
disk space (the file keeps its size once grown) and, after a crash, a longer read of the log on opening."""

LEFT_UNDER_LOCK = 256
"""Frames not yet copied at most when the checkpointer takes the writers' lock (`_Checkpointer.checkpoint`): it
copies beside the writers until no more than these are left, so the pass that holds every entry back copies a
few pages, not what the writers appended during a whole pass.

Why: the pass under the lock copied everything appended since the pass before it began, about 3,000 frames at
1,900 entries/s, and synced them: 37 to 118 ms with every entry held back, every 3 s on a paced night of 10,146
stations (timed in the server), the slowest entries of that night."""

CATCH_UP = 4
"""Passes beside the writers at most before the one under their lock (`LEFT_UNDER_LOCK`); each copies what the
writers appended during the one before, so each is shorter than the last unless the writers outrun the disk."""


class _Checkpointer:
    """A thread that copies SQLite's write-ahead log back into the database file every `CHECKPOINT_EVERY`
    seconds, off the writers' path.

    Why: by default the commit that fills the log past 1,000 pages checkpoints it itself, synchronously, with
    fsyncs of the log and the database file; on a busy disk that made one group of entries in ten or twenty
    wait tens of milliseconds, and the writer thread (and every entry queued behind it) with it. The
    connections turn the automatic checkpoint off (`_sqlite_pragmas`). Here a PASSIVE checkpoint first copies
    the log while the writers go on (in WAL mode they may; SQLite lets go of Python's lock while it waits for
    the disk). A transaction that begins while the log is wholly copied starts it again from the beginning;
    writers that never pause would only append to it, so once it holds more than `RESTART_AFTER` frames, what
    they appended during the copy is copied again beside them until few pages are left (`LEFT_UNDER_LOCK`), those
    with the writers' lock held, and the log restarts with the next transaction.
    """

    def __init__(self, engine: Engine, writer: threading.Lock) -> None:
        self._engine, self._writer = engine, writer
        self._stop = threading.Event()
        self.idle = False
        """The thread has stopped after `IDLE_AFTER` seconds without a write: the next unit of work starts another."""
        self._thread = threading.Thread(target=self._run, name="saylau-checkpoint", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        quiet_since, last = time.monotonic(), (0, 0)
        while not self._stop.wait(CHECKPOINT_EVERY):
            found = self.checkpoint()
            if found != last:  # the log moved: something was written since the last pass
                quiet_since, last = time.monotonic(), found
            elif time.monotonic() - quiet_since > IDLE_AFTER:  # a database nobody writes to needs no thread
                self.idle = True
                return
        self.checkpoint()  # what the last writes left in the log, before the connections close

    def checkpoint(self) -> tuple[int, int]:
        """Copy the log into the database: first beside the writers, then, past `RESTART_AFTER`, beside them again
        until at most `LEFT_UNDER_LOCK` frames are left (at most `CATCH_UP` passes), and those with their lock
        held; the log's frames and how many are copied, as the last pass found them."""
        with contextlib.suppress(SQLAlchemyError, sqlite3.Error):
            found = self._passive()
            if found[0] > RESTART_AFTER:  # writers that never pause append to the log instead of restarting it
                for _ in range(CATCH_UP):
                    if found[0] - found[1] <= LEFT_UNDER_LOCK:
                        break
                    found = self._passive()
                with self._writer:
                    found = self._passive()
            return found
        return (0, 0)

    def _passive(self) -> tuple[int, int]:
        """One PASSIVE checkpoint on a pooled connection outside any transaction (no `BEGIN IMMEDIATE`, which
        would take SQLite's write lock): the log's frames, and how many of them are in the database now."""
        connection = self._engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
            found = cursor.fetchone()
            cursor.close()
            return (int(found[1]), int(found[2])) if found else (0, 0)
        finally:
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)


def open_database(url: str, *, migrate: bool = True) -> Database:
    """An engine for `url`, its schema upgraded to the newest migration (Alembic) unless `migrate` is off.

    A database that cannot be opened is an InputError naming the URL (without its password), not a traceback.
    """
    try:
        if url.startswith("sqlite"):
            engine = create_engine(url, pool_size=8, max_overflow=32, connect_args={"timeout": 30})
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "begin", _sqlite_begin)
        else:
            engine = create_engine(url, pool_size=8, max_overflow=32, pool_pre_ping=True)
            event.listen(engine, "after_cursor_execute", _read_now)
        database = Database(engine)
        if migrate:
            upgrade(database)
    except (SQLAlchemyError, ImportError, ValueError) as error:
        shown = make_url(url).render_as_string(hide_password=True) if "://" in url else url
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise InputError(
            [worded("cannot open the database: {reason}", shown, field="--database", reason=reason)]
        ) from None
    return database


def upgrade(database: Database) -> None:
    """Run every migration the database lacks."""
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


SYNCHRONOUS = "FULL"
"""SQLite syncs its write-ahead log to disk at every commit: an entry answered as stored survives a power cut.

With NORMAL (in WAL mode) a commit is safe from a crash of the process but not of the machine: the log is
synced only when it is checkpointed, so a power cut could lose the last half second of entries the operators
were told were stored. With group commit that sync is one per group of entries, not one per entry
(PostgreSQL keeps `fsync` and `synchronous_commit` on, its defaults, for the same reason). The group
committer's own connection is the one exception (`UNSYNCED`): it syncs the log itself, after its commit and
before any entry is answered (`Database.durable`)."""

UNSYNCED = "NORMAL"
"""The writer thread's connection (`Database.held_unit_of_work`): its commit leaves the sync of the log to
`Database.durable`, which the group committer calls off SQLite's write lock before it answers."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # transactions are begun by _sqlite_begin
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA synchronous={SYNCHRONOUS}")
    cursor.execute("PRAGMA wal_autocheckpoint=0")  # checkpoints are `_Checkpointer`'s, off the writer's path
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


_READ_ONLY = "saylau_read_only"
"""Set on a connection's info while `Database.read_unit_of_work` uses it: its transaction begins deferred."""


def _sqlite_begin(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN" if connection.info.get(_READ_ONLY) else "BEGIN IMMEDIATE")
