"""A throwaway PostgreSQL server in a temporary folder, for the test suite and the benchmarks.

Debian's server binaries (`/usr/lib/postgresql/<major>/bin`, installed by scripts/system-deps.sh) are run
in a fresh folder on a free port of 127.0.0.1, with trust authentication for the user `saylau`, and the
folder is removed when the block ends. `initdb` refuses to run as root, so as root the binaries run as the
`postgres` user the package creates (the folder is made reachable for it).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class NoPostgres(RuntimeError):
    """PostgreSQL's server binaries are not installed."""


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        raise NoPostgres("PostgreSQL is not installed: run scripts/system-deps.sh (make test does)")
    return Path(found[-1]).parent


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def temporary_server(*options: str) -> Iterator[str]:
    """Start a private server; yields its base URL `postgresql+psycopg://saylau@127.0.0.1:PORT` (add /dbname)."""
    bin_dir = _bin_dir()
    folder = Path(tempfile.mkdtemp(prefix="saylau-pg-"))
    folder.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data, port = folder / "data", free_port()
    pg_ctl = str(bin_dir / "pg_ctl")
    try:
        subprocess.run(
            _as_postgres([str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "saylau"]),
            check=True,
            capture_output=True,
        )
        settings = " ".join([f"-p {port} -k {folder} -c listen_addresses=127.0.0.1", *options])
        subprocess.run(
            _as_postgres([pg_ctl, "-D", str(data), "-o", settings, "-l", str(folder / "log"), "-w", "start"]),
            check=True,
            capture_output=True,
        )
        yield f"postgresql+psycopg://saylau@127.0.0.1:{port}"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(_as_postgres([pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"]), capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def create_database(base: str, name: str) -> str:
    """Create database `name` on the server at `base`; its URL."""
    from sqlalchemy import create_engine, text

    engine = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return f"{base}/{name}"
