"""What every benchmark of the results service sets up the same way: `saylau serve` on a free port of
127.0.0.1 once it answers, and the staff it needs, made by the administrator and logged in.

The accounts have `saylau replay`'s shape: the administrator makes each user with a password derived from
the administrator's (`saylau.replay.password_for`), and each logs in through `saylau.replay.login`, so a
benchmark, the replay command and a browser (`password`) agree on how a user gets in.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import httpx

from saylau.replay import Account, login, password_for

PASSWORD = "benchmark-admin-1"
"""The administrator's password of every benchmark's server (`SAYLAU_ADMIN_PASSWORD`)."""

IDLE = ("setsid", "ionice", "-c", "3", "sh", "-c", 'echo 19 > /proc/self/autogroup; exec chrt --idle 0 "$@"', "idle")
"""A command prefix that runs a process as if on a host of its own, on one box: only on the CPU (and disk time) the
others leave. `SCHED_IDLE` (`chrt --idle 0`) yields to every normal task of its scheduling group, and this kernel
groups tasks by session (`/proc/sys/kernel/sched_autogroup_enabled`), so it also gets a session of its own at the
group's lowest weight (nice 19 in `/proc/self/autogroup`) and the idle I/O class: plain nice does not cross
sessions (PostgreSQL's server, started by `pg_ctl`, runs in a session of its own)."""


def idle_here() -> None:
    """Make this process what `IDLE` makes a command (for a load generator's own process)."""
    os.setsid()
    Path("/proc/self/autogroup").write_text("19")
    os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    subprocess.run(["ionice", "-c", "3", "-p", str(os.getpid())], check=True)


def serve(
    folder: Path,
    port: int,
    *,
    database: str = "",
    data: Path | None = None,
    workers: int = 1,
    public_only: bool = False,
    nice: int = 0,
    idle: bool = False,
    wait: float = 60.0,
) -> subprocess.Popen[bytes]:
    """`saylau serve FOLDER` on `port` (over `database`, else a SQLite file in `data`), once it answers; with
    `public_only` a readers' process (docs/service.md, "Readers off the writers' path"); `nice` its priority;
    `idle`: as on a host of its own (`IDLE`; `nice` ignored)."""
    command = list(IDLE) if idle else ["nice", "-n", str(nice)] if nice else []
    command += [sys.executable, "-m", "saylau", "serve", str(folder), "--port", str(port), "--workers", str(workers)]
    command += ["--database", database] if database else ["--data", str(data)]
    command += ["--public-only"] if public_only else []
    server = subprocess.Popen(command, env={**os.environ, "SAYLAU_ADMIN_PASSWORD": PASSWORD})
    answering = "/" if public_only else "/api/day"
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}{answering}", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
        if server.poll() is not None:
            break
    server.terminate()
    raise SystemExit("the server did not start")


def password(name: str, admin_password: str = PASSWORD) -> str:
    """The password a benchmark's user `name` logs in with (a browser types it)."""
    return password_for(name, admin_password)


def staff(base: str, users: Sequence[tuple[str, str]], admin_password: str = PASSWORD) -> dict[str, str]:
    """Make each (name, role) as the administrator (one already there is kept) and log it in: name -> its
    bearer token."""
    with httpx.Client(base_url=base, timeout=60) as client:
        admin = login(client, "admin", admin_password)
        tokens = {}
        for name, role in users:
            body = {"name": name, "password": password(name, admin_password), "role": role, "districts": []}
            admin.call("POST", "/api/users", body, ok=(201, 409))
            account: Account = login(client, name, password(name, admin_password))
            tokens[name] = account.headers["Authorization"].removeprefix("Bearer ")
        return tokens
