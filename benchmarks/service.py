"""The results service under election-night load: 50 operators typing at once, on SQLite and on PostgreSQL.

Why: a territorial commission's operators all type at the same time; a slow answer after Enter is a
typist waiting. The aim (issue 11): >= 500 entries/s with p99 under 100 ms on a 2-core machine.

What it does, for each database: starts `saylau serve examples/almaty-2023` as its own process (uvicorn, one
worker) on a free port of 127.0.0.1 (SQLite in a temporary folder; PostgreSQL a private server in a
temporary folder, see `saylau.store.temporary`), creates 50 operators, then 50 concurrent clients (one
asyncio task and one keep-alive connection each, no think time) type every protocol of the Almaty example
twice: first entries (1,106 protocols), then second entries by another operator (accepted at once). Each
entry is one POST /api/protocols/{station}/{ballot}/entries: session lookup, checks, state machine, audit
row, commit (entries arriving together share one transaction: the group commit of docs/service.md).
Bounded: 2,212 requests per database, each with a 60 s timeout. The clients speak HTTP/1.1 through a few
lines of asyncio (`Wire`) rather than httpx, whose client CPU per request is several times the server's
and, on a 2-core box, was taken from the server under test.

Prints per phase and per database; last line:
`sqlite: N entries/s p99 M ms; postgresql: N entries/s p99 M ms`.
Run: `.venv/bin/python benchmarks/service.py [--operators 50] [--only sqlite|postgresql]`.

Writers beside readers (issue 21): `.venv/bin/python benchmarks/service.py --readers 200 [--entries 300]`
measures, on SQLite and on PostgreSQL, one operator typing `--entries` protocols one after the other (the
time from sending an entry to its answer), three ways side by side: with no reader; with 200 readers reading
the public page as fast as they can from the same `saylau serve`; and with the 200 readers on a second
process, `saylau serve --public-only` over the same database, run at a lower priority (`nice -n 10`), as
docs/service.md ("Readers off the writers' path") advises on a shared box. The readers are raw keep-alive
connections (`Wire`) in a process of their own at nice 10 (the public's browsers are other machines; the
operator's client must not wait behind 200 readers' answers in its own event loop). Last line:
`readers: sqlite p99 off A ms, same process B ms, own process C ms; postgresql ...`.

Soak (issue 12): `.venv/bin/python benchmarks/service.py --soak 60 [--clients 200] [--workers 2]` runs only a
bounded soak on a private PostgreSQL server with `saylau serve --workers 2` on 127.0.0.1: 200 concurrent
clients for 60 s, each looping over 4 public reads (the public page and its JSON once they exist, else
/api/status) to 1 protocol entry, no think time; it prints throughput, p50/p99 and the errors (must be 0;
exit 1 otherwise). `tests/service/test_soak.py` runs a short one. The load generator shares the machine's
cores with the server, as it would on one 2-core box.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import html
import json
import multiprocessing
import os
import random
import re
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

import _operators  # benchmarks/_operators.py, beside this file: the server and its staff
from saylau.io.protocols import read_protocols
from saylau.replay import figures
from saylau.store.temporary import create_database, free_port, temporary_server

ROOT = Path(__file__).resolve().parent.parent
ALMATY = ROOT / "examples" / "almaty-2023"
PASSWORD = _operators.PASSWORD


class Wire:
    """One keep-alive HTTP/1.1 connection with just what the benchmark needs: POST JSON, read the answer.

    httpx spends about a millisecond of client CPU per request, which on a 2-core box is taken from the server
    under test; this writes the request's bytes and reads the status line, the headers and a
    Content-Length body (uvicorn answers JSON so), nothing more.
    """

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str) -> None:
        self.reader, self.writer, self.host = reader, writer, host

    @classmethod
    async def open(cls, base: str) -> Wire:
        host, port = base.removeprefix("http://").split(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        return cls(reader, writer, f"{host}:{port}")

    async def get(self, path: str) -> tuple[int, bytes]:
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode())
        return await asyncio.wait_for(self._answer(), TIMEOUT)

    async def fetch(self, path: str, headers: str = "") -> tuple[int, dict[str, str], bytes]:
        """GET with extra header lines; the status, the answer's headers (lower-case names) and its body (none
        for a 304)."""
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n{headers}\r\n".encode())
        return await asyncio.wait_for(self._full_answer(), TIMEOUT)

    async def post(self, path: str, body: bytes, headers: str) -> tuple[int, bytes]:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n{headers}\r\n"
        )
        self.writer.write(head.encode() + body)
        return await asyncio.wait_for(self._answer(), TIMEOUT)

    async def _answer(self) -> tuple[int, bytes]:
        lines = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        length = next(
            (int(v) for k, _, v in (h.partition(":") for h in lines[1:]) if k.lower() == "content-length"), None
        )
        if length is None:
            raise SystemExit(f"an answer without Content-Length: {lines[:5]}")
        return status, await self.reader.readexactly(length)

    async def _full_answer(self) -> tuple[int, dict[str, str], bytes]:
        lines = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in lines[1:] if h)}
        if status == 304:
            return status, headers, b""
        if "content-length" not in headers:
            raise SystemExit(f"an answer without Content-Length: {lines[:5]}")
        return status, headers, await self.reader.readexactly(int(headers["content-length"]))

    def close(self) -> None:
        self.writer.close()


TIMEOUT = 60.0
"""Seconds one request may take before the benchmark gives up."""


async def _phase(base: str, tokens: list[str], jobs: list[list[tuple[str, dict]]]) -> tuple[float, list[float]]:
    """Each operator types its jobs one after the other, all operators at once; (seconds, latencies)."""
    latencies: list[float] = []
    bodies = [[(path, json.dumps(body).encode()) for path, body in work] for work in jobs]

    async def operator(token: str, work: list[tuple[str, bytes]]) -> None:
        headers = f"Authorization: Bearer {token}\r\n"
        wire = await Wire.open(base)
        try:
            for path, body in work:
                started = time.perf_counter()
                status, answer = await wire.post(path, body, headers)
                latencies.append(time.perf_counter() - started)
                if status != 200:
                    raise SystemExit(f"{path}: {status} {answer[:200]!r}")
        finally:
            wire.close()

    started = time.perf_counter()
    await asyncio.gather(*(operator(t, w) for t, w in zip(tokens, bodies, strict=True)))
    return time.perf_counter() - started, latencies


def run(name: str, url: str, operators: int) -> tuple[float, float]:
    """Entries per second and p99 latency (ms) on one database."""
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        server = _operators.serve(ALMATY, port, database=url, data=Path(tmp))
        base = f"http://127.0.0.1:{port}"
        try:
            tokens = list(_operators.staff(base, [(f"op{k}", "operator") for k in range(operators)]).values())
            protocols = read_protocols([ALMATY]).protocols
            work = [(f"/api/protocols/{p.station}/{p.ballot}/entries", figures(p)) for p in protocols]
            first = [work[k::operators] for k in range(operators)]
            second = first[1:] + first[:1]  # operator k types the second entries of operator k+1's protocols
            total, latencies = 0.0, []
            for phase, jobs in (("first entries", first), ("second entries", second)):
                seconds, measured = asyncio.run(_phase(base, tokens, jobs))
                total += seconds
                latencies += measured
                p50, p99 = _quantiles(measured)
                print(
                    f"{name:10} {phase:15} {len(measured):5} in {seconds:6.2f} s: {len(measured) / seconds:6.0f}/s "
                    f"p50 {p50:6.1f} ms p99 {p99:6.1f} ms"
                )
        finally:
            server.terminate()
            server.wait(timeout=30)
    return len(latencies) / total, _quantiles(latencies)[1]


def _quantiles(latencies: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(latencies, n=100)
    return cuts[49] * 1000, cuts[98] * 1000


@dataclass
class Soak:
    """What a soak measured: requests by kind, their latencies, and every answer that was not a success."""

    seconds: float = 0.0
    reads: int = 0
    entries: int = 0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        p50, p99 = _quantiles(self.latencies) if len(self.latencies) > 1 else (0.0, 0.0)
        total = self.reads + self.entries
        return (
            f"soak: {total} requests in {self.seconds:.1f} s ({total / max(self.seconds, 1e-9):.0f}/s; "
            f"{self.reads} public reads, {self.entries} entries), p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
            f"errors: {len(self.errors)}"
        )


def public_paths(base: str) -> list[str]:
    """What the public reads: the public page and its JSON where they exist, else the progress (/api/status)."""
    wanted = ["/", "/api/public/results.json"]
    found = [p for p in wanted if httpx.get(f"{base}{p}", timeout=60).status_code == 200]
    return found if "/api/public/results.json" in found else [*found, "/api/status"]


def soak(base: str, admin_password: str, folder: Path, seconds: float, clients: int, operators: int = 20) -> Soak:
    """`clients` concurrent clients for `seconds`: each loops, 4 public reads to 1 protocol entry (first
    entries of the folder's protocols, then second entries by another operator), no think time."""
    users = [(f"soak{k}", "operator") for k in range(operators)]
    tokens = list(_operators.staff(base, users, admin_password).values())
    reads = public_paths(base)
    protocols = read_protocols([folder]).protocols
    queue = [
        (f"/api/protocols/{p.station}/{p.ballot}/entries", figures(p), k % operators) for k, p in enumerate(protocols)
    ]
    report = Soak()

    async def one(k: int, deadline: float) -> None:
        async with httpx.AsyncClient(base_url=base, timeout=60) as http:
            turn = k
            while time.perf_counter() < deadline:
                turn += 1
                entry = turn % 5 == 0 and queue
                started = time.perf_counter()
                if entry:
                    path, body, typist = queue.pop()
                    headers = {"Authorization": f"Bearer {tokens[typist]}"}
                    response = await http.post(path, json=body, headers=headers)
                    ok = response.status_code == 200
                    if ok and response.json()["state"] == "first-entry":
                        queue.insert(0, (path, body, (typist + 1) % operators))
                    report.entries += 1
                else:
                    path = reads[turn % len(reads)]
                    response = await http.get(path)
                    ok = response.status_code == 200
                    report.reads += 1
                report.latencies.append(time.perf_counter() - started)
                if not ok:
                    report.errors.append(f"{path}: {response.status_code} {response.text[:200]}")

    async def everyone() -> None:
        deadline = time.perf_counter() + seconds
        await asyncio.gather(*(one(k, deadline) for k in range(clients)))

    started = time.perf_counter()
    asyncio.run(everyone())
    report.seconds = time.perf_counter() - started
    return report


def run_soak(seconds: float, clients: int, workers: int) -> Soak:
    """The soak on a private PostgreSQL server, `saylau serve --workers` on a free port of 127.0.0.1."""
    with temporary_server() as server_url, tempfile.TemporaryDirectory() as tmp:
        url = create_database(server_url, "soak")
        port = free_port()
        server = _operators.serve(ALMATY, port, database=url, data=Path(tmp), workers=workers)
        try:
            return soak(f"http://127.0.0.1:{port}", PASSWORD, ALMATY, seconds, clients)
        finally:
            server.terminate()
            server.wait(timeout=30)


PAUSE_FREE, LIVE_PAGE, PUBLISHED = "without pause", "as the live page", "the published files"
"""How the benchmark's public readers read (`_readers`): `/` again as soon as it is answered; as the service's
live page in a browser (`web/static/live.js`: the page once, then its fragment every `POLL_SECONDS` with the
ETag it holds, gzip accepted); as a published page in a browser (`saylau publish`'s `publish.js`: the pointer
`current.json` every `POLL_SECONDS` with its ETag, and the new version's page when it moves)."""

POLL_SECONDS = 5.0
"""The interval of both pages' scripts (`saylau.web.public.POLL_SECONDS`, `data-poll` of the published pages)."""

LANGS = ("kk", "ru", "en")

READ = 8
"""What the readers' shared counter holds (`multiprocessing.Array("q", READ)`): answers, answers with a body
(200; the rest are 304), bytes of bodies received, readers that have had their first answer, connections
opened again after the server closed an idle one; then, written once the readers have stopped, the answers
timed while measuring and their p50 and p99 (microseconds)."""


def _readers(way: str, reader: str, readers: int, stop: Any, counted: Any, measuring: Any, idle: bool) -> None:
    """A process of `readers` public readers reading `reader` the `way` given (`PAUSE_FREE`, `LIVE_PAGE`,
    `PUBLISHED`) until `stop` is set, adding what they read to `counted` (`READ`), each answer's time from its
    request to its last byte timed while `measuring` is set.

    Its own process, at a lower priority (nice 10): the public's browsers are other machines, so the load
    generator takes the server's cores only as little as a shared 2-core box makes unavoidable, and the
    operator's client (in the parent process) is not held up by the readers' answers in its own event loop.
    With `idle` it runs as on machines of its own (`_operators.idle_here`: only the CPU the rest leaves), so
    what the readers cost the writers is what serving them costs, not what making their requests costs.
    A browser-like reader starts at a random moment of its first interval (seeded), as a crowd does.
    """
    if idle:
        _operators.idle_here()
    else:
        os.nice(10)
    turns = random.Random(21)
    opening = asyncio.Semaphore(64)  # connections opened at once: a crowd arrives, not a single burst
    timed: list[float] = []

    def count(status: int, body: bytes, first: bool = False, since: float = 0.0) -> None:
        if since and measuring.is_set():
            timed.append(time.perf_counter() - since)
        with counted.get_lock():
            counted[0] += 1
            counted[1] += status == 200
            counted[2] += len(body)
            counted[3] += first

    async def pause_free() -> None:
        wire, arrived = await Wire.open(reader), False
        try:
            while not stop.is_set():
                asked = time.perf_counter()
                status, body = await wire.get("/")
                if status != 200:
                    raise SystemExit(f"/: {status}")
                count(status, body, first=not arrived, since=asked)
                arrived = True
        finally:
            wire.close()

    class Browser:
        """One browser's connection: opened again when the server has closed it while idle, as a browser does."""

        def __init__(self) -> None:
            self.wire: Wire | None = None

        async def fetch(self, path: str, headers: str) -> tuple[int, dict[str, str], bytes]:
            for again in (False, True):
                if self.wire is None:
                    async with opening:
                        self.wire = await Wire.open(reader)
                    if again:
                        with counted.get_lock():
                            counted[4] += 1
                try:
                    return await self.wire.fetch(path, headers)
                except (asyncio.IncompleteReadError, ConnectionError):
                    self.close()
                    if again:
                        raise
            raise AssertionError("unreachable")

        def close(self) -> None:
            if self.wire is not None:
                self.wire.close()
                self.wire = None

    async def live_page(lang: str, delay: float) -> None:
        await asyncio.sleep(delay)
        wire = Browser()
        try:
            asked = time.perf_counter()
            status, headers, body = await wire.fetch(f"/?lang={lang}", "Accept-Encoding: gzip\r\n")
            page = gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body
            if status != 200:
                raise SystemExit(f"/?lang={lang}: {status}")
            count(status, body, first=True, since=asked)
            found = re.search(rb'data-etag="([^"]+)"', page)  # a page without it: the first poll sends none
            tag = html.unescape(found.group(1).decode()) if found else ""
            while not stop.is_set():
                await asyncio.sleep(POLL_SECONDS)
                asked = f"Accept-Encoding: gzip\r\nIf-None-Match: {tag}\r\n" if tag else "Accept-Encoding: gzip\r\n"
                sent = time.perf_counter()
                status, headers, body = await wire.fetch(f"/live?lang={lang}", asked)
                if status not in (200, 304):
                    raise SystemExit(f"/live?lang={lang}: {status}")
                tag = headers["etag"] if status == 200 else tag
                count(status, body, since=sent)
        finally:
            wire.close()

    async def published(lang: str, delay: float) -> None:
        await asyncio.sleep(delay)
        wire = Browser()
        try:
            version, tag = None, ""
            while not stop.is_set():
                asked = f"Accept-Encoding: gzip\r\nIf-None-Match: {tag}\r\n" if tag else "Accept-Encoding: gzip\r\n"
                sent = time.perf_counter()
                status, headers, body = await wire.fetch("/current.json", asked)
                if status not in (200, 304):
                    raise SystemExit(f"/current.json: {status}")
                count(status, body, first=version is None, since=sent)
                if status == 200:  # nginx sends the pointer's .gz sibling (gzip_static) to a reader asking for gzip
                    plain = gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body
                    tag, pointer = headers.get("etag", ""), json.loads(plain)
                    if pointer["version"] != version:  # the page follows the pointer (publish.js)
                        version = pointer["version"]
                        sent = time.perf_counter()
                        status, headers, body = await wire.fetch("/" + pointer["index"][lang], asked)
                        if status != 200:
                            raise SystemExit(f"{pointer['index'][lang]}: {status}")
                        count(status, body, since=sent)
                await asyncio.sleep(POLL_SECONDS)
        finally:
            wire.close()

    async def everyone() -> None:
        if way == PAUSE_FREE:
            await asyncio.gather(*(pause_free() for _ in range(readers)))
            return
        one = live_page if way == LIVE_PAGE else published
        await asyncio.gather(*(one(LANGS[k % 3], turns.uniform(0, POLL_SECONDS)) for k in range(readers)))

    asyncio.run(everyone())
    if len(timed) > 1:
        p50, p99 = _quantiles(timed)
        with counted.get_lock():
            counted[5], counted[6], counted[7] = len(timed), round(p50 * 1000), round(p99 * 1000)


@dataclass
class Reads:
    """What the readers of one measurement read: answers, those with a body (the rest 304), bytes received."""

    answers: int = 0
    full: int = 0
    bytes: int = 0
    seconds: float = 0.0
    reconnects: int = 0
    p50: float = -1.0
    p99: float = -1.0
    """Milliseconds from a request to its answer's last byte, over the answers while measuring (-1: not known,
    the readers' process did not stop in time to say)."""
    cpu: float = 0.0
    """CPU seconds the readers' own process (the load generator) took while measuring."""

    def line(self) -> str:
        rate = self.answers / self.seconds if self.seconds else 0.0
        timed = f", p50 {self.p50:.1f} ms, p99 {self.p99:.1f} ms" if self.p99 >= 0 else ""
        return (
            f"{self.answers:,} reads ({rate:,.0f}/s{timed}, {self.answers - self.full:,} of them 304), "
            f"{self.bytes / 1e6:,.1f} MB of bodies, {self.reconnects:,} connections opened again"
        )


@contextmanager
def reading(way: str, reader: str, readers: int, idle: bool = False) -> Iterator[Reads]:
    """`readers` readers reading `reader` the `way` given (`_readers`; `idle`: as on machines of their own), in a
    process of their own, from when each has had its first answer until the block ends; yields what they read
    (filled in at the end)."""
    context = multiprocessing.get_context("spawn")
    stop, measuring, counted = context.Event(), context.Event(), context.Array("q", READ)
    process = context.Process(target=_readers, args=(way, reader, readers, stop, counted, measuring, idle), daemon=True)
    process.start()
    while counted[3] < readers:  # every reader has had an answer: all are reading
        if not process.is_alive():
            raise SystemExit(f"the readers stopped (exit {process.exitcode})")
        time.sleep(0.05)
    found = Reads()
    measuring.set()
    before, started, cpu = list(counted), time.perf_counter(), cpu_seconds(process.pid)
    try:
        yield found
    finally:
        found.cpu = cpu_seconds(process.pid) - cpu
        stop.set()
        found.seconds = time.perf_counter() - started
        found.answers, found.full, found.bytes, _, found.reconnects = (
            a - b for a, b in zip(counted[:5], before[:5], strict=True)
        )
        process.join(timeout=POLL_SECONDS * 3)
        if process.is_alive():
            process.terminate()
        elif counted[5]:
            found.p50, found.p99 = counted[6] / 1000, counted[7] / 1000


def cpu_seconds(pid: int) -> float:
    """CPU seconds (user and system) a process and its descendants have taken so far (those still running, and
    the children it has waited for), from /proc; 0 for a process gone."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:  # ended meanwhile
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = sum(int(f) for f in fields[11:15]) / tick  # utime stime cutime cstime
    tree = {pid} if pid in times else set()
    while grown := {p for p, parent in parents.items() if parent in tree} - tree:
        tree |= grown
    return sum(times[member] for member in tree)


async def _typed(writer: str, token: str, work: list[tuple[str, bytes]]) -> list[float]:
    """One operator types `work` one entry after the other; each entry's latency."""
    wire = await Wire.open(writer)
    latencies = []
    try:
        for path, body in work:
            started = time.perf_counter()
            status, answer = await wire.post(path, body, f"Authorization: Bearer {token}\r\n")
            latencies.append(time.perf_counter() - started)
            if status != 200:
                raise SystemExit(f"{path}: {status} {answer[:200]!r}")
    finally:
        wire.close()
    return latencies


def _typed_beside_readers(
    writer: str, token: str, work: list[tuple[str, bytes]], reader: str | None, readers: int
) -> tuple[list[float], int]:
    """The entries' latencies while `readers` read `reader` without pause (none when None), and the reads answered."""
    if reader is None:
        return asyncio.run(_typed(writer, token, work)), 0
    with reading(PAUSE_FREE, reader, readers) as reads:
        latencies = asyncio.run(_typed(writer, token, work))
    return latencies, reads.answers


def run_readers(name: str, url: str, readers: int, entries: int) -> dict[str, tuple[float, float, float]]:
    """p50, p99 and max (ms) of one operator's entries: no readers, readers on the same process, on their own."""
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        port, public_port = free_port(), free_port()
        database = url or f"sqlite:///{Path(tmp) / 'saylau.sqlite'}"
        server = _operators.serve(ALMATY, port, database=database)
        try:
            public = _operators.serve(ALMATY, public_port, database=database, public_only=True, nice=10)
        except BaseException:
            server.terminate()
            raise
        base, public_base = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{public_port}"
        try:
            token = _operators.staff(base, [("typist", "operator")])["typist"]
            protocols = read_protocols([ALMATY]).protocols
            work = [
                (f"/api/protocols/{p.station}/{p.ballot}/entries", json.dumps(figures(p)).encode()) for p in protocols
            ]
            ways = (("off", None), ("same process", base), ("own process", public_base))
            for k, (way, reader) in enumerate(ways):
                chunk = work[k * entries : (k + 1) * entries]
                latencies, reads = _typed_beside_readers(base, token, chunk, reader, readers)
                p50, p99 = _quantiles(latencies)
                out[way] = (p50, p99, max(latencies) * 1000)
                print(
                    f"{name:10} readers {way:12} {len(latencies)} entries: p50 {p50:6.1f} ms, p99 {p99:6.1f} ms, "
                    f"max {out[way][2]:6.1f} ms; {reads} public reads"
                )
        finally:
            for process in (server, public):
                process.terminate()
                process.wait(timeout=30)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--operators", type=int, default=50)
    parser.add_argument("--only", choices=("sqlite", "postgresql"), help="Measure one database only.")
    parser.add_argument("--soak", type=float, metavar="SECONDS", help="Run only the soak, this long (e.g. 60).")
    parser.add_argument("--clients", type=int, default=200, help="Concurrent clients of the soak.")
    parser.add_argument("--workers", type=int, default=2, help="Server processes of the soak.")
    parser.add_argument("--readers", type=int, metavar="N", help="Entries beside N public readers, three ways.")
    parser.add_argument("--entries", type=int, default=300, help="Entries typed each way (--readers).")
    args = parser.parse_args()
    if args.readers:
        found = {}
        if args.only != "postgresql":
            found["sqlite"] = run_readers("sqlite", "", args.readers, args.entries)
        if args.only != "sqlite":
            with temporary_server() as base:
                found["postgresql"] = run_readers(
                    "postgresql", create_database(base, "readers"), args.readers, args.entries
                )
        print(
            "readers: "
            + "; ".join(
                f"{db} p99 off {w['off'][1]:.0f} ms, same process {w['same process'][1]:.0f} ms, "
                f"own process {w['own process'][1]:.0f} ms"
                for db, w in found.items()
            )
        )
        return
    if args.soak:
        report = run_soak(args.soak, args.clients, args.workers)
        print(f"postgresql, {args.workers} workers, {args.clients} clients; " + report.line())
        for error in report.errors[:10]:
            print(f"  {error}")
        raise SystemExit(1 if report.errors else 0)
    figures_by_db = {}
    if args.only != "postgresql":
        figures_by_db["sqlite"] = run("sqlite", "", args.operators)
    if args.only != "sqlite":
        with ExitStack() as stack:
            base = stack.enter_context(temporary_server())
            figures_by_db["postgresql"] = run("postgresql", create_database(base, "bench"), args.operators)
    print("; ".join(f"{db}: {rate:.0f} entries/s p99 {p99:.0f} ms" for db, (rate, p99) in figures_by_db.items()))


if __name__ == "__main__":
    main()
