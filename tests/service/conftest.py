"""Fixtures of the service tests: a fresh database on SQLite and on a real PostgreSQL server.

The PostgreSQL server is Debian's (scripts/system-deps.sh installs it when missing), started by the suite in
a temporary folder on a free port and stopped at the end; `initdb` refuses to run as root, so as root the
server runs as the `postgres` user (shared/recipes.md).
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from saylau.web import Settings, create_app, prepare

ALMATY = Path(__file__).resolve().parents[2] / "examples" / "almaty-2023"
ADMIN_PASSWORD = "admin-password-1"
BACKENDS = ["sqlite", "postgresql"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A private PostgreSQL server for this test session: its base URL (no database name)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        pytest.fail("PostgreSQL is not installed: run scripts/system-deps.sh (make test does)")
    bin_dir = Path(found[-1]).parent
    folder = Path(tempfile.mkdtemp(prefix="saylau-pg-"))
    folder.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data, port = folder / "data", _free_port()
    run = {"check": True, "capture_output": True}
    subprocess.run(_as_postgres([str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "saylau"]), **run)
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    pg_ctl = str(bin_dir / "pg_ctl")
    subprocess.run(
        _as_postgres([pg_ctl, "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start"]), **run
    )
    try:
        yield f"postgresql+psycopg://saylau@127.0.0.1:{port}"
    finally:
        subprocess.run(_as_postgres([pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"]), check=False)
        shutil.rmtree(folder, ignore_errors=True)


_numbers = itertools.count(1)


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL of an empty database: SQLite in a temporary folder, or a new database on the test server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'saylau.sqlite'}"
    base = request.getfixturevalue("postgres_server")
    name = f"t{os.getpid()}_{next(_numbers)}"
    engine = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return f"{base}/{name}"


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
