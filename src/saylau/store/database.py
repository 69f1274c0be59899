"""Opening the database: engine, migrations on start, and the unit of work the service writes through.

SQLite (the embedded default) gets WAL, foreign keys and `BEGIN IMMEDIATE` transactions, so concurrent
writers queue instead of failing half-way; PostgreSQL needs nothing special. Every transaction is one
unit of work: it commits whole or not at all.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.exc import SQLAlchemyError

from saylau.errors import InputError, Problem
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

    def __post_init__(self) -> None:
        if self.is_sqlite:
            self._writer = threading.Lock()

    @contextmanager
    def unit_of_work(self) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back if it raises.

        SQLite has one writer at a time; within a process the transactions queue on a lock (first come,
        first served) instead of SQLite's busy handler, which sleeps and retries and so makes long tails.
        Other processes on the same file still wait through the busy timeout.
        """
        with self._writer or contextlib.nullcontext(), self.engine.begin() as connection:
            yield connection

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
        """Stop the group committers' threads, then close every pooled connection."""
        with self._groups_lock:
            groups, self._groups = list(self._groups.values()), {}
        for group in groups:
            group.close()
        self.engine.dispose()


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
        database = Database(engine)
        if migrate:
            upgrade(database)
    except (SQLAlchemyError, ImportError, ValueError) as error:
        shown = make_url(url).render_as_string(hide_password=True) if "://" in url else url
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise InputError([Problem(f"cannot open the database: {reason}", shown, field="--database")]) from None
    return database


def upgrade(database: Database) -> None:
    """Run every migration the database lacks."""
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # transactions are begun by _sqlite_begin
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")
