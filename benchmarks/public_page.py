"""The public results page under readers while `saylau replay` enters the Almaty protocols.

Starts `saylau serve` (SQLite in a temporary folder) on a free port of 127.0.0.1, starts `saylau replay`,
and drives concurrent readers for a fixed time: half of them load the whole page as a new visitor would
(`GET /`), half poll the live fragment with the ETag they last saw, as the page's script does. Prints reads
per second and latency percentiles, both with and without entry going on, and as its last line
`public page: N reads/s p99 M ms while entering`. Bounded: 127.0.0.1 only, a fixed number of readers, a
fixed duration.

    .venv/bin/python benchmarks/public_page.py [--readers 32] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
ALMATY = ROOT / "examples" / "almaty-2023"
PASSWORD = "benchmark-admin-password"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_server(data: Path, port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "saylau", "serve", str(ALMATY), "--data", str(data), "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--insecure-cookies"],
        env={**os.environ, "SAYLAU_ADMIN_PASSWORD": PASSWORD},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


async def _reader(client: httpx.AsyncClient, poll: bool, stop: float, latencies: list[float]) -> int:
    etag: str | None = None
    errors = 0
    while time.monotonic() < stop:
        headers = {"If-None-Match": etag} if poll and etag else {}
        started = time.perf_counter()
        response = await client.get("/live?lang=en" if poll else "/?lang=en", headers=headers)
        latencies.append(time.perf_counter() - started)
        if response.status_code == 200:
            etag = response.headers.get("etag")
        elif response.status_code != 304:
            errors += 1
    return errors


async def _read(url: str, readers: int, seconds: float) -> tuple[int, list[float], int]:
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=readers, max_keepalive_connections=readers)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:
        stop = time.monotonic() + seconds
        errors = await asyncio.gather(*(_reader(client, i % 2 == 1, stop, latencies) for i in range(readers)))
    return len(latencies), latencies, sum(errors)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else float("nan")


def _report(label: str, count: int, latencies: list[float], errors: int, seconds: float) -> tuple[float, float]:
    rate, p99 = count / seconds, _percentile(latencies, 0.99)
    print(
        f"{label}: {count} reads in {seconds:.0f} s = {rate:,.0f} reads/s; "
        f"p50 {_percentile(latencies, 0.5):.1f} ms, p99 {p99:.1f} ms; errors {errors}"
    )
    return rate, p99


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    readers, seconds = min(args.readers, 500), min(args.seconds, 300)
    with tempfile.TemporaryDirectory(prefix="saylau-bench-") as folder:
        port = _free_port()
        server = _start_server(Path(folder) / "data", port)
        url = f"http://127.0.0.1:{port}"
        try:
            print(f"{readers} readers for {seconds:.0f} s on {url} (cores: {os.cpu_count()})")
            _report("idle", *asyncio.run(_read(url, readers, seconds / 2)), seconds / 2)
            replay = subprocess.Popen(
                [sys.executable, "-m", "saylau", "replay", str(ALMATY), "--url", url, "--operators", "4"],
                env={**os.environ, "SAYLAU_ADMIN_PASSWORD": PASSWORD},
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            count, latencies, errors = asyncio.run(_read(url, readers, seconds))
            entering = replay.poll() is None
            rate, p99 = _report("while entering", count, latencies, errors, seconds)
            if entering:
                replay.kill()
            output = replay.communicate()[0].strip().splitlines()
            print(f"replay: {output[-1] if output else '(still entering when the readers stopped)'}")
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"public page: {rate:,.0f} reads/s p99 {p99:.0f} ms while entering")


if __name__ == "__main__":
    main()
