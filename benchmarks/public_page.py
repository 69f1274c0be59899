"""The public results page under readers while `saylau replay` enters the Almaty protocols.

Starts `saylau serve` (SQLite in a temporary folder, `--workers` processes) on a free port of 127.0.0.1,
starts `saylau replay`, and drives concurrent readers for a fixed time: half of them load the whole page as
a new visitor would (`GET /`, no validator), half poll the live fragment with the ETag they last saw, as
the page's script does. Prints reads per second and latency percentiles, both with and without entry going
on, and as its last line `public page: N reads/s p99 M ms while entering`. Bounded: 127.0.0.1 only, a
fixed number of readers, a fixed duration.

The readers are a lean HTTP/1.1 client (asyncio streams over keep-alive connections, Content-Length
framing, uvloop when installed) in `--clients` processes: a general-purpose client such as httpx spends
more CPU per request than the server does, and on a 2-core machine the load generator shares the cores
with the server and the replay, so a heavy client measures itself.

    .venv/bin/python benchmarks/public_page.py [--readers 32] [--seconds 20] [--workers 2] [--clients 1]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import multiprocessing.pool
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALMATY = ROOT / "examples" / "almaty-2023"
PASSWORD = "benchmark-admin-password"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_server(data: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "saylau", "serve", str(ALMATY), "--data", str(data), "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--insecure-cookies", "--workers", str(workers)],
        env={**os.environ, "SAYLAU_ADMIN_PASSWORD": PASSWORD},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if asyncio.run(_get_once(port, "/")) == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


async def _get_once(port: int, path: str) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        status, _etag = await _exchange(reader, writer, _request(path, None))
    finally:
        writer.close()
    return status


def _request(path: str, etag: bytes | None) -> bytes:
    validator = b"If-None-Match: " + etag + b"\r\n" if etag else b""
    return b"GET " + path.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n" + validator + b"\r\n"


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> tuple[int, bytes | None]:
    """One request on a keep-alive connection: the status and the ETag (the body is read and dropped)."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length, etag = 0, None
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"etag":
            etag = value.strip()
    if length:
        await reader.readexactly(length)
    return status, etag


async def _reader(port: int, poll: bool, stop: float, latencies: list[tuple[float, float]]) -> int:
    """One reader on its own keep-alive connection until `stop`; returns its count of errors."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    path = "/live?lang=en" if poll else "/?lang=en"
    etag: bytes | None = None
    errors = 0
    try:
        while time.monotonic() < stop:
            started = time.perf_counter()
            status, seen = await _exchange(reader, writer, _request(path, etag if poll else None))
            latencies.append((time.monotonic(), time.perf_counter() - started))
            if status == 200:
                etag = seen
            elif status != 304:
                errors += 1
    finally:
        writer.close()
    return errors


Reads = list[tuple[float, float]]
"""Each read's end (time.monotonic, the same clock in every process) and latency in seconds."""


async def _read(port: int, first: int, readers: int, seconds: float) -> tuple[Reads, int]:
    latencies: Reads = []
    stop = time.monotonic() + seconds
    errors = await asyncio.gather(*(_reader(port, i % 2 == 1, stop, latencies) for i in range(first, first + readers)))
    return latencies, sum(errors)


def _client(port: int, first: int, readers: int, seconds: float) -> tuple[Reads, int]:
    """One client process: `readers` readers (numbered from `first`, odd ones poll) for `seconds`."""
    try:
        import uvloop

        return uvloop.run(_read(port, first, readers, seconds))
    except ImportError:
        return asyncio.run(_read(port, first, readers, seconds))


def _drive(
    pool: multiprocessing.pool.Pool, port: int, readers: int, clients: int, seconds: float
) -> multiprocessing.pool.AsyncResult[list[tuple[Reads, int]]]:
    """All the readers, spread over `clients` processes (started now, answered when they stop)."""
    shares = [readers // clients + (k < readers % clients) for k in range(clients)]
    starts = [sum(shares[:k]) for k in range(clients)]
    return pool.starmap_async(_client, [(port, starts[k], shares[k], seconds) for k in range(clients)])


def _gather(parts: list[tuple[Reads, int]], start: float, end: float) -> tuple[list[float], int]:
    """The latencies of the reads that ended between `start` and `end`, and every error."""
    return [latency for reads, _ in parts for at, latency in reads if start <= at <= end], sum(e for _, e in parts)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else float("nan")


def _report(label: str, latencies: list[float], errors: int, seconds: float) -> tuple[float, float]:
    rate, p99 = len(latencies) / seconds, _percentile(latencies, 0.99)
    print(
        f"{label}: {len(latencies)} reads in {seconds:.1f} s = {rate:,.0f} reads/s; "
        f"p50 {_percentile(latencies, 0.5):.1f} ms, p99 {p99:.1f} ms; errors {errors}",
        flush=True,
    )
    return rate, p99


def _replay(port: int, rate: float | None) -> subprocess.Popen[str]:
    url, pace = f"http://127.0.0.1:{port}", ["--rate", str(rate)] if rate else []
    return subprocess.Popen(
        [sys.executable, "-m", "saylau", "replay", str(ALMATY), "--url", url, "--operators", "4", *pace],
        env={**os.environ, "SAYLAU_ADMIN_PASSWORD": PASSWORD},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _accepted(port: int) -> int:
    """Protocols counted so far (both ballots), from the public JSON once it caught up with the count."""
    for _ in range(2):  # the first read may start the snapshot's refresh; the second sees its result
        time.sleep(1.5)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/public/results.json", timeout=30) as answer:
            progress = json.load(answer)["progress"]
    return sum(int(p["stations_reported"]) for p in progress.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=32, help="concurrent readers (at most 500)")
    parser.add_argument("--seconds", type=float, default=20, help="reading while entering (at most 300)")
    parser.add_argument("--workers", type=int, default=2, help="server processes (saylau serve --workers)")
    parser.add_argument("--clients", type=int, default=1, help="reader processes (at most 8)")
    parser.add_argument("--rate", type=float, default=None, help="entries per second of the replay (default: flat out)")
    args = parser.parse_args()
    readers, seconds = max(1, min(args.readers, 500)), max(1.0, min(args.seconds, 300))
    clients = max(1, min(args.clients, 8, readers))
    with tempfile.TemporaryDirectory(prefix="saylau-bench-") as folder, multiprocessing.Pool(clients) as pool:
        port = _free_port()
        server = _start_server(Path(folder) / "data", port, args.workers)
        try:
            print(
                f"{readers} readers in {clients} process(es) on 127.0.0.1:{port}, {args.workers} server "
                f"worker(s), cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}",
                flush=True,
            )
            started = time.monotonic()
            idle = _drive(pool, port, readers, clients, seconds / 2).get()
            _report("idle", *_gather(idle, started, started + seconds / 2), seconds / 2)
            replay, entering_since = _replay(port, args.rate), time.monotonic()
            time.sleep(1.0)  # the replay's start-up (imports, logins), so that entries flow while readers count
            started = time.monotonic()
            reading = _drive(pool, port, readers, clients, seconds)
            while replay.poll() is None and not reading.ready():
                time.sleep(0.02)
            ended = min(time.monotonic(), started + seconds)  # the replay's end, if it came first
            parts = reading.get()
            rate, p99 = _report("while entering", *_gather(parts, started, ended), ended - started)
            entering = replay.poll() is None
            if entering:
                replay.kill()
            output = replay.communicate()[0].strip().splitlines()
            print(f"replay: {'stopped with the readers' if entering or not output else output[-1]}", flush=True)
            accepted = _accepted(port)
            print(f"protocols accepted by the replay: {accepted:,} ({accepted / (ended - entering_since):.0f}/s)")
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"public page: {rate:,.0f} reads/s p99 {p99:.0f} ms while entering")


if __name__ == "__main__":
    main()
