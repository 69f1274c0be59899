"""Publishing a country-sized count, and serving it: `saylau publish` to a folder and to a bucket, nginx against
the service's own in-process page.

1. A 10,000-station election day (`saylau synth`: 100 districts, 7 parties) is published once to a folder and
   once to an S3-compatible bucket (moto's server on 127.0.0.1, in memory: it measures the client's protocol
   work and moto's own, not a real store's network): time, files and bytes.
2. One station's list protocol changes (two parties' votes swapped, as a correction would): the count is
   made again from the folder and the new version published; time from the changed folder to the moved
   pointer, and how many files were written against skipped (unchanged files are not written again).
3. Readers: nginx (Debian's, 2 workers) serving the published Almaty folder, against `saylau serve` (2
   workers) answering its public page from its in-memory snapshot, side by side on this machine: 500
   concurrent readers on keep-alive connections (loopback only) read the kk results page for a fixed time;
   reads/s and p99.

    .venv/bin/python benchmarks/publish.py [--stations 10000] [--readers 500] [--seconds 10]

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
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALMATY = ROOT / "examples" / "almaty-2023"


def _mb(n: int) -> str:
    return f"{n / 1_000_000:,.1f} MB"


def _synth(folder: Path, stations: int) -> None:
    command = [sys.executable, "-m", "saylau", "synth", str(folder), "--seed", "26", "--districts", "100"]
    subprocess.run([*command, "--stations", str(stations), "--parties", "7"], check=True, stdout=subprocess.DEVNULL)
    toml = folder / "election.toml"  # a date, so the NIST report (which needs one) is published too
    toml.write_text("date = 2023-03-19\n" + toml.read_text(encoding="utf-8"), encoding="utf-8")


def _swap_one(folder: Path) -> int:
    """Swap two parties' votes in the first list protocol of the first protocol file; the station's number."""
    path = sorted((folder / "protocols").glob("*.csv"))[0]
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    header = list(rows[0])
    votes = [c for c in header if c.startswith("vote:")]
    for row in rows:
        if row["ballot"] == "list" and row[votes[0]] and row[votes[1]]:
            row[votes[0]], row[votes[1]] = row[votes[1]], row[votes[0]]
            station = int(row["station"])
            break
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return station


def publishing(stations: int) -> None:
    from saylau.publish import BucketTarget, FolderTarget, from_folder, publish
    from saylau.publish.temporary import temporary_s3

    with tempfile.TemporaryDirectory(prefix="saylau-publish-bench-") as tmp:
        folder = Path(tmp) / "day"
        _synth(folder, stations)
        started = time.perf_counter()
        source = from_folder(folder)
        counted = time.perf_counter() - started
        print(f"count of {stations:,} stations from the folder: {counted:.2f} s", flush=True)

        site = FolderTarget(Path(tmp) / "site")
        first = publish(site, source)
        print(
            f"folder, first version: {first.seconds:.2f} s, {first.files:,} files, {_mb(first.bytes_written)}",
            flush=True,
        )
        changed = shutil.copytree(folder, Path(tmp) / "day-2")
        station = _swap_one(changed)
        started = time.perf_counter()
        second = publish(site, from_folder(changed), reason="benchmark")
        total = time.perf_counter() - started
        print(
            f"folder, station {station} corrected: {total:.2f} s from the changed folder to the moved pointer "
            f"(publishing {second.seconds:.2f} s): {second.written:,} files written "
            f"({_mb(second.bytes_written)}), {second.skipped:,} unchanged not written",
            flush=True,
        )

        os.environ.setdefault("AWS_ACCESS_KEY_ID", "benchmark")
        os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "benchmark-secret")
        os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
        import boto3

        with temporary_s3() as endpoint:
            boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket="results")
            bucket = BucketTarget("results", "day", endpoint=endpoint)
            first = publish(bucket, source)
            print(
                f"bucket (moto), first version: {first.seconds:.2f} s, {first.files:,} files, "
                f"{_mb(first.bytes_written)}",
                flush=True,
            )
            started = time.perf_counter()
            second = publish(bucket, from_folder(changed), reason="benchmark")
            total = time.perf_counter() - started
            print(
                f"bucket (moto), station {station} corrected: {total:.2f} s from the changed folder to the moved "
                f"pointer (publishing {second.seconds:.2f} s): {second.written:,} files written, "
                f"{second.skipped:,} unchanged not written",
                flush=True,
            )


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
    parser.add_argument("--skip-publishing", action="store_true")
    parser.add_argument("--skip-readers", action="store_true")
    args = parser.parse_args()
    print(f"load average at start: {', '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    if not args.skip_publishing:
        publishing(args.stations)
    if not args.skip_readers:
        readers(args.readers, args.seconds)
    print(json.dumps({"load_average_at_end": os.getloadavg()}))


if __name__ == "__main__":
    main()
