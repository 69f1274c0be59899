"""`saylau serve` as a separate process on a free 127.0.0.1 port, for the crash, race and load tests.

Also a smaller copy of the Almaty example (its first stations of every district), so that typing every
protocol twice, many times over, stays within seconds.
"""

from __future__ import annotations

import csv
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from saylau.io.protocols import read_protocols
from saylau.tabulation import Protocol
from tests.service.conftest import ADMIN_PASSWORD, ALMATY


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """One `saylau serve` process over a database URL; `kill()` is SIGKILL, `start()` starts it again."""

    def __init__(self, folder: Path, database: str, log: Path, workers: int = 1) -> None:
        self.folder, self.database, self.log, self.workers = folder, database, log, workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60) -> None:
        """Start the server and wait until it answers."""
        command = [sys.executable, "-m", "saylau", "serve", str(self.folder), "--database", self.database]
        command += ["--host", "127.0.0.1", "--port", str(self.port), "--insecure-cookies"]
        if self.workers > 1:
            command += ["--workers", str(self.workers)]
        env = {**os.environ, "SAYLAU_ADMIN_PASSWORD": ADMIN_PASSWORD}
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                command, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"saylau serve exited {self.process.returncode}: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/api/election", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"saylau serve did not answer in {timeout} s: {self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        """SIGKILL the server (and any worker it started): no shutdown, no flush, like a power cut."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None

    def stop(self) -> None:
        """Stop for good (at the end of a test)."""
        self.kill()


def small_election(folder: Path, per_district: int = 2) -> Path:
    """The Almaty example with only its first `per_district` stations of each district, and their protocols."""
    folder.mkdir(parents=True, exist_ok=True)
    for item in ALMATY.iterdir():
        if item.is_file():
            (folder / item.name).write_bytes(item.read_bytes())
    with (ALMATY / "stations.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    kept: list[dict[str, str]] = []
    for row in rows:
        if sum(r["district"] == row["district"] for r in kept) < per_district:
            kept.append(row)
    _write(folder / "stations.csv", kept)
    numbers = {r["station"] for r in kept}
    (folder / "protocols").mkdir(exist_ok=True)
    for source in sorted((ALMATY / "protocols").glob("*.csv")):
        with source.open(encoding="utf-8", newline="") as handle:
            found = [r for r in csv.DictReader(handle) if r["station"] in numbers]
        if found:
            _write(folder / "protocols" / source.name, found)
    return folder


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def protocols_of(folder: Path) -> list[Protocol]:
    """The folder's protocols, as the paper says."""
    found = read_protocols([folder])
    assert not found.problems, found.problems
    return list(found.protocols)


def login(url: str, name: str, password: str) -> dict[str, str]:
    """Bearer headers of a new session."""
    response = httpx.post(f"{url}/api/login", json={"name": name, "password": password}, timeout=30)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def add_user(
    url: str, admin: dict[str, str], name: str, role: str, districts: list[int] | None = None
) -> dict[str, str]:
    """Create a user (409 if it exists is fine) and log in as them."""
    body = {"name": name, "password": f"pw-{name}-123", "role": role, "districts": districts or []}
    response = httpx.post(f"{url}/api/users", json=body, headers=admin, timeout=30)
    assert response.status_code in (201, 409), response.text
    return login(url, name, f"pw-{name}-123")
