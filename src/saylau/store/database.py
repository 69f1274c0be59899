"""Opening the database: engine, migrations on start, and the unit of work the service writes through.

SQLite (the embedded default) gets WAL, foreign keys and `BEGIN IMMEDIATE` transactions, so concurrent
writers queue instead of failing half-way; PostgreSQL needs nothing special. Every transaction is one
unit of work: it commits whole or not at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event

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

    @contextmanager
    def unit_of_work(self) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self.engine.begin() as connection:
            yield connection

    @property
    def is_sqlite(self) -> bool:
        """Whether this is the embedded SQLite database."""
        return self.engine.dialect.name == "sqlite"

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def open_database(url: str, *, migrate: bool = True) -> Database:
    """An engine for `url`, its schema upgraded to the newest migration (Alembic) unless `migrate` is off."""
    if url.startswith("sqlite"):
        engine = create_engine(url, pool_size=8, max_overflow=32, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = create_engine(url, pool_size=8, max_overflow=32, pool_pre_ping=True)
    database = Database(engine)
    if migrate:
        upgrade(database)
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
