"""Publishing a country-sized count, and serving it: `saylau publish` to a folder and to a bucket, nginx against
the service's own in-process page.

1. A 10,000-station election day (`saylau synth`: 100 districts, 7 parties) is counted with every file read and
   published once to a folder (from scratch: every file made and written): time, files and bytes.
2. Corrections in a row (`--runs`, each a station's list protocol changed in the folder: two parties' votes
   swapped), each counted again from the folder (only the changed rows read) and published as a new version;
   the time from the changed folder to the moved pointer, and to the version served: by nginx (Debian's, 2
   workers) over the published folder, and by an S3-compatible server (moto's, on 127.0.0.1, in memory: it
   measures the client's protocol work and moto's own, not a real store's network), a reader polling
   `current.json` over HTTP; best and median, and how many files were written against skipped. Side by side,
   each correction of the folder is published to a copy of the site by a publisher that makes the NIST report
   whole (keeping nothing of the last report: as publishing did before `saylau.publish.reuse`).
3. Readers: nginx (Debian's, 2 workers) serving the published Almaty folder, against `saylau serve` (2
   workers) answering its public page from its in-memory snapshot, side by side on this machine: 500
   concurrent readers on keep-alive connections (loopback only) read the kk results page for a fixed time;
   reads/s and p99.

    .venv/bin/python benchmarks/publish.py [--stations 10000] [--runs 5] [--readers 500] [--seconds 10]

Run it under the CPU lock (`flock /tmp/saylau-cpu.lock ...`): the figures move with the machine's load.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import multiprocessing
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from saylau.publish import Target

ROOT = Path(__file__).resolve().parent.parent
ALMATY = ROOT / "examples" / "almaty-2023"


def _mb(n: int) -> str:
    return f"{n / 1_000_000:,.1f} MB"


def _synth(folder: Path, stations: int) -> None:
    command = [sys.executable, "-m", "saylau", "synth", str(folder), "--seed", "26", "--districts", "100"]
    subprocess.run([*command, "--stations", str(stations), "--parties", "7"], check=True, stdout=subprocess.DEVNULL)
    toml = folder / "election.toml"  # a date, so the NIST report (which needs one) is published too
    toml.write_text("date = 2023-03-19\n" + toml.read_text(encoding="utf-8"), encoding="utf-8")


def _swap(folder: Path, nth: int) -> int:
    """A corrected list protocol: swap two parties' votes in the `nth` list protocol (of those with both votes)
    of the first protocol file, in place; the station's number."""
    path = sorted((folder / "protocols").glob("*.csv"))[0]
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    header = list(rows[0])
    votes = [c for c in header if c.startswith("vote:")]
    found = [row for row in rows if row["ballot"] == "list" and row[votes[0]] and row[votes[1]]]
    row = found[nth * 97 % len(found)]  # a station of another district each time
    row[votes[0]], row[votes[1]] = row[votes[1]], row[votes[0]]
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return int(row["station"])


def _served(read: Callable[[], bytes | None], version: int, deadline: float = 60.0) -> None:
    """Wait until the server answers the pointer with `version` (a reader polling current.json)."""
    stop = time.monotonic() + deadline
    while time.monotonic() < stop:
        body = read()
        if body and json.loads(body)["version"] == version:
            return
        time.sleep(0.001)
    raise SystemExit(f"version {version} was not served within {deadline:.0f} s")


def _http(url: str) -> Callable[[], bytes | None]:
    import urllib.request

    def read() -> bytes | None:
        with urllib.request.urlopen(url, timeout=10) as response:
            body: bytes = response.read()
            return body

    return read


def _figures(label: str, times: list[float]) -> None:
    print(
        f"{label}: best {min(times):.2f} s, median {statistics.median(times):.2f} s "
        f"({', '.join(f'{t:.2f}' for t in times)})",
        flush=True,
    )


class _Kept:
    """What a publisher process keeps of the NIST report from one version to the next (the last report made and
    written, a day's contests' parts of it), swapped so that a peer publisher makes the report whole, as the
    publisher did before (the rest, the stations' open data kept, is the same for both)."""

    NAMES = ("NIST_MADE", "NIST_WRITTEN")

    def __init__(self) -> None:
        from saylau.publish import pages, publisher

        self.pages, self.publisher = pages, publisher
        self.own: tuple[Any, ...] = ()

    def nothing(self) -> None:
        from saylau.publish.reuse import Made, Written

        self.own = (*(getattr(self.pages, name) for name in self.NAMES), self.publisher.DAY_PARTS)
        for name, value in zip(self.NAMES, (Made(), Written()), strict=True):
            setattr(self.pages, name, value)
        self.publisher.DAY_PARTS = {}

    def back(self) -> None:
        for name, value in zip(self.NAMES, self.own[:-1], strict=True):
            setattr(self.pages, name, value)
        self.publisher.DAY_PARTS = self.own[-1]


def _corrections(
    folder: Path,
    target: Target,
    runs: int,
    first: int,
    read: Callable[[], bytes | None],
    peer: Target | None = None,
) -> None:
    """`runs` corrections in a row: each a protocol changed in the folder, counted again, published, and read
    back from the server; the time from the changed folder to the new version served. With `peer` (a copy of
    the target's versions so far), each correction is published there too, side by side, by a publisher that
    keeps nothing of the NIST report from one version to the next (it makes and writes the report whole, in
    its own process; the publisher before this one made it whole in a forked process)."""
    from saylau.publish import from_folder, publish

    counted, pointed, served, alone = [], [], [], []
    kept = _Kept()
    for run in range(runs):
        station = _swap(folder, first + run)
        started = time.perf_counter()
        source = from_folder(folder)
        counted.append(time.perf_counter() - started)
        done = publish(target, source, reason="benchmark")
        pointed.append(time.perf_counter() - started)
        _served(read, done.version)
        served.append(time.perf_counter() - started)
        print(
            f"  station {station} corrected: version {done.version}, count {counted[-1]:.2f} s, pointer moved "
            f"{pointed[-1]:.2f} s, served {served[-1]:.2f} s; {done.written:,} files written "
            f"({_mb(done.bytes_written)}), {done.skipped:,} unchanged not written",
            flush=True,
        )
        if peer is not None:
            kept.nothing()
            try:
                other = publish(peer, source, reason="benchmark")
            finally:
                kept.back()
            alone.append(counted[-1] + other.seconds)
            print(f"    the same correction, NIST report made whole: pointer moved {alone[-1]:.2f} s", flush=True)
    _figures("  count of the changed folder", counted)
    _figures("  from the changed folder to the moved pointer", pointed)
    _figures("  from the changed folder to the version served", served)
    if alone:
        _figures("  the same, the NIST report made whole (side by side)", alone)
        ratio = statistics.median(alone) / statistics.median(pointed)
        print(f"  median, NIST report made whole / reused: {ratio:.2f}x", flush=True)


def publishing(stations: int, runs: int) -> None:
    from saylau.publish import BucketTarget, FolderTarget, from_folder, publish
    from saylau.publish.temporary import temporary_nginx, temporary_s3

    with tempfile.TemporaryDirectory(prefix="saylau-publish-bench-") as tmp:
        folder = Path(tmp) / "day"
        _synth(folder, stations)
        started = time.perf_counter()
        source = from_folder(folder, again=None)
        counted = time.perf_counter() - started
        print(f"count of {stations:,} stations from the folder, every file read: {counted:.2f} s", flush=True)

        site = FolderTarget(Path(tmp) / "site")
        first = publish(site, source)
        print(
            f"folder, first version (from scratch: every file made and written): {first.seconds:.2f} s, "
            f"{first.files:,} files, {_mb(first.bytes_written)}; with the count {counted + first.seconds:.2f} s",
            flush=True,
        )
        shutil.copytree(site.root, Path(tmp) / "peer")  # the same versions, for the peer
        peer = FolderTarget(Path(tmp) / "peer")
        publish(site, from_folder(folder), reason="benchmark")  # version 1 again: what a publisher keeps
        print(f"folder target served by nginx (Debian's, 2 workers), {runs} corrections:", flush=True)
        with temporary_nginx(site.root, workers=2) as url:
            _corrections(folder, site, runs, 0, _http(f"{url}/current.json"), peer)

        os.environ.setdefault("AWS_ACCESS_KEY_ID", "benchmark")
        os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "benchmark-secret")
        os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
        import boto3

        with temporary_s3() as endpoint:
            boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket="results")
            bucket = BucketTarget("results", "day", endpoint=endpoint)
            first = publish(bucket, from_folder(folder))
            print(
                f"bucket (moto), first version: {first.seconds:.2f} s, {first.files:,} files, "
                f"{_mb(first.bytes_written)}; {runs} corrections, read back with a GET of the pointer:",
                flush=True,
            )
            reader = BucketTarget("results", "day", endpoint=endpoint)  # a reader's own client (signed GETs)
            _corrections(folder, bucket, runs, runs, lambda: reader.get("current.json"))


# -- readers -------------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> int:
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
    if length:
        await reader.readexactly(length)
    return int(head[9:12])


async def _reader(port: int, request: bytes, stop: float, latencies: list[float]) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    errors = 0
    try:
        while time.monotonic() < stop:
            started = time.perf_counter()
            status = await _exchange(reader, writer, request)
            latencies.append(time.perf_counter() - started)
            errors += status != 200
    finally:
        writer.close()
    return errors


async def _read(port: int, path: str, readers: int, seconds: float) -> tuple[list[float], int]:
    request = b"GET " + path.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    latencies: list[float] = []
    stop = time.monotonic() + seconds
    errors = await asyncio.gather(*(_reader(port, request, stop, latencies) for _ in range(readers)))
    return latencies, sum(errors)


def _client(port: int, path: str, readers: int, seconds: float) -> tuple[list[float], int]:
    try:
        import uvloop

        return uvloop.run(_read(port, path, readers, seconds))
    except ImportError:
        return asyncio.run(_read(port, path, readers, seconds))


def _load(port: int, path: str, readers: int, seconds: float, clients: int = 2) -> tuple[float, float, int]:
    shares = [readers // clients + (k < readers % clients) for k in range(clients)]
    with multiprocessing.get_context("spawn").Pool(clients) as pool:
        parts = pool.starmap(_client, [(port, path, share, seconds) for share in shares])
    latencies = sorted(x for part, _ in parts for x in part)
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] * 1000 if latencies else float("nan")
    return len(latencies) / seconds, p99, sum(e for _, e in parts)


def readers(count: int, seconds: float) -> None:
    from saylau.publish import FolderTarget, current, from_database, publish
    from saylau.publish.temporary import temporary_nginx
    from saylau.store import database_url, open_database

    password = "benchmark-admin-password"
    with tempfile.TemporaryDirectory(prefix="saylau-readers-bench-") as tmp:
        data, port = Path(tmp) / "data", _free_port()
        command = [sys.executable, "-m", "saylau", "serve", str(ALMATY), "--data", str(data), "--port", str(port)]
        server = subprocess.Popen(
            [*command, "--insecure-cookies", "--workers", "2"],
            env={**os.environ, "SAYLAU_ADMIN_PASSWORD": password},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if asyncio.run(_read(port, "/?lang=kk", 1, 0.01))[1] == 0:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit("the service did not start")
                time.sleep(0.2)
            site = Path(tmp) / "site"
            database = open_database(database_url(data, None), migrate=False)
            try:
                publish(FolderTarget(site), from_database(database))  # the same snapshot the service serves
            finally:
                database.close()
            page = "/" + str((current(FolderTarget(site)) or {})["index"]["kk"])
            with temporary_nginx(site, workers=2) as url:
                nginx_port = int(url.rsplit(":", 1)[1])
                for label, target, path in (
                    ("nginx, published folder", nginx_port, page),
                    ("saylau serve, in-process page", port, "/?lang=kk"),
                ):
                    rate, p99, errors = _load(target, path, count, seconds)
                    print(
                        f"{label}: {rate:,.0f} reads/s, p99 {p99:.1f} ms, {count} readers, errors {errors}", flush=True
                    )
        finally:
            server.terminate()
            server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=10_000)
    parser.add_argument("--readers", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--runs", type=int, default=5, help="corrections published in a row, per target")
    parser.add_argument("--skip-publishing", action="store_true")
    parser.add_argument("--skip-readers", action="store_true")
    args = parser.parse_args()
    print(f"load average at start: {', '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    if not args.skip_publishing:
        publishing(args.stations, args.runs)
    if not args.skip_readers:
        readers(args.readers, args.seconds)
    print(json.dumps({"load_average_at_end": os.getloadavg()}))


if __name__ == "__main__":
    main()
