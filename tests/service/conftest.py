"""Fixtures of the service tests: a fresh database on SQLite and on a real PostgreSQL server.

The PostgreSQL server is Debian's (scripts/system-deps.sh installs it when missing), started by the suite in
a temporary folder on a free port and stopped at the end (`saylau.store.temporary`).
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from saylau.store.temporary import NoPostgres, create_database, temporary_server
from saylau.web import Settings, create_app, prepare

ALMATY = Path(__file__).resolve().parents[2] / "examples" / "almaty-2023"
ADMIN_PASSWORD = "admin-password-1"
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A private PostgreSQL server for this test session: its base URL (no database name)."""
    try:
        with temporary_server("-c fsync=off") as base:
            yield base
    except NoPostgres as error:
        pytest.fail(str(error))


_numbers = itertools.count(1)


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL of an empty database: SQLite in a temporary folder, or a new database on the test server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'saylau.sqlite'}"
    return create_database(request.getfixturevalue("postgres_server"), f"t{os.getpid()}_{next(_numbers)}")


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Settings of a service over the Almaty example."""
    return Settings(folder=ALMATY, database=database_url, admin_password=ADMIN_PASSWORD, secure_cookies=False)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """The app over a fresh database, driven in-process."""
    database, _ = prepare(settings)
    with contextlib.closing(database), TestClient(create_app(settings, database)) as test_client:
        yield test_client
