"""An election night of Kazakhstan's shape replayed into `saylau serve`: every contest of the day, 50 operator pairs.

    .venv/bin/python benchmarks/election_day.py [--stations 10146] [--pairs 50] [--readers 200]
                                                [--only sqlite|postgresql] [--no-peer] [--readers-in-writer]
                                                [--browsers 200,2000] [--read-ways live,static]
                                                [--isolate shared,readers,hosts]
                                                [--rate R ...] [--paced-share F]
                                                [--publisher-share F,...] [--published-wait S]
                                                [--keep-sites DIR] [--off-again]
                                                [--rounds N] [--reader-rounds N] [--small-peer]

Why (issue 22, "Speed and scale"): a territorial commission's night is every contest of the day at every
station, typed twice. Before the running tallies every rebuild of the public snapshot re-read, re-checked and
re-summed every accepted protocol, so the night cost O(n^2) and entry slowed as the count grew; with them a
snapshot should cost what changed, not what was counted.

What it does, for each database (SQLite in a temporary folder; PostgreSQL a private server in a temporary
folder, `saylau.store.temporary`, a fresh one for each replay):
  1. writes a day with `saylau synth --day --stations N` (the Mäjilis at every station, each region's
     mäslihat at the region's: 4 protocols a station; not timed);
  2. starts `saylau serve DAY` (one worker) on a free port of 127.0.0.1, makes 50 operator pairs and a
     coordinator;
  3. replays the night over HTTP: each pair takes its share of the protocols (every contest, shuffled as
     stations report), the first operator types a protocol, the second types it again (accepted at once),
     and a protocol left with warnings is accepted by the coordinator; 50 requests in flight, keep-alive
     connections (`Wire` of benchmarks/service.py), no think time. Entries/s and p99 over all entries;
  4. times one snapshot of the largest contest (the Mäjilis, at every station) at 0, 50 and 100% counted,
     in this process over the same database: the count from the running tallies read incrementally, a
     whole snapshot built incrementally (what the service's snapshot thread does each second: the
     projection carried from the snapshot before, `web.snapshot.PROJECTION_EVERY`), the projection alone
     (made again at most every 10 s while the count is partial), a whole snapshot built cold (every counted
     station read once and the projection made: what a new worker does), and the recount the snapshot made
     before the running tallies (every accepted protocol read, checked and summed: `results.count`), side
     by side;
  5. after the last accepted protocol, the time until every contest reads complete (`/api/status?contest=`)
     and the public page's figures (`/api/public/results.json`) say complete;
  6. the server's memory (resident set now and at its peak, /proc);
  7. the same replay again into a fresh database beside public readers (their own process at nice 10, as in
     benchmarks/service.py), one replay for each way they read, entries/s and p99 with readers on vs off:
     - `--readers 200` reading `/` without pause from the deployment docs/service.md documents for one
       box, a `saylau serve --public-only` process of their own at nice 10 over the same database (with
       `--readers-in-writer` also from the writers' own process: on 2 cores the readers then take the
       writers' CPU and GIL: docs/service.md, "Readers off the writers' path");
     - `--browsers 200,2000` reading as the public reads (`--read-ways live,static`): `live`, as the
       service's live page in a browser (`web/static/live.js`: the page once, then its fragment every 5 s
       with the ETag it holds, gzip accepted), from the `--public-only` process (and with
       `--readers-in-writer` from the writers' own); `static`, as a published page in a browser
       (`publish.js`: the pointer `current.json` every 5 s with its ETag, the new version's page when it
       moves) from nginx (Debian's, 1 worker) serving the files `saylau publish service --watch` (nice 10)
       writes from the night's database while the night runs, the deployment docs/deploying.md gives a
       country (with `--publisher-share F,...` once for each `--share` of the publisher: the most of a core it
       takes while the night writes, docs/publishing.md). Each prints what its readers read (answers, how
       many were 304, bytes) and, for the published files, how many versions came out during the replay (each
       replay publishes into a fresh
       folder, set aside once it is done and removed when the run ends, by a process of its own at the lowest
       priority, or left in `--keep-sites DIR`: a 2,000-station replay's 78,772 files took 3.5 minutes of the
       lock to remove between two replays); with `--off-again` the replay with no reader is made again after
       the readers' replays and each way is set against both (the spread between the two says the machine);
     - each such replay once for each way of sharing the one box `--isolate` names: `shared` (everything on
       the 2 cores as it comes: what one box running all of it sees), `readers` (the readers' load generator
       only on the CPU the rest leaves: `SCHED_IDLE` in a session of its own at the lowest weight,
       `_operators.IDLE`; the public's browsers are other machines), `hosts` (that, and what serves them: the
       `--public-only` process, or nginx and the publisher, as docs/deploying.md gives them hosts of their
       own). Each line says which, how fast the readers were answered (answers/s, p50, p99: a reader on the
       CPU left over waits for it) and the CPU seconds each process took during the replay (the writers'
       server, PostgreSQL, what served the readers, the operators' client, the readers' load generator, the
       whole machine's, others' work included);
  8. beside it, first, the peer the day is measured against: **one contest of the same size**, replayed the
     same way into a fresh database of the same kind in the same run (`saylau synth --stations 2N --parties 7
     --candidates 8`: one mixed contest, 29 districts, twice the day's stations with a list and a district
     ballot each, so as many protocols and entries as the day's 4 ballots at N stations, and ballots of the
     day's size: 7 parties, as the day's lists, and 2 to 8 candidates a district, 5 on average against the
     day's 6 for the Mäjilis and 4 for the mäslihats, so 6.06 options a protocol against the day's 6.07 at
     10,146 stations; with `--small-peer` the generator's default ballots, 5 parties and 2 to 5 candidates,
     4.2 options, the peer of the figures before 6 December 2026, whose entries carry an eighth fewer
     lines). The two replays then meet the same table sizes, the same growth of the log and the same minutes
     of the machine; a short peer (the one-contest benchmarks/service.py replays Almaty's 2,212 entries in
     2.5 s) would meet none of that.
     Each replay prints what it replayed (stations, contests, protocols, entries, seconds).
  9. with `--rate R` (repeatable; `R%` of the saturated rate of step 3), the same night again into a fresh
     database, **paced**: an open loop offering R entries a second on a fixed schedule, whatever the server
     answers, each latency measured from the entry's due time (a stall counts for every entry it held back:
     no coordinated omission); with `--paced-share F` only the night's last F is paced, the rest typed
     unpaced first (not measured), so a short run meets a nearly counted night's tables, and `R%` is of the
     rate step 3 sustained over that same last F, not of the whole night's: the two differ both ways (on
     SQLite at 10,146 stations, 783bbdb's night end ran some 25% slower than its start, so 80% of the night's
     rate offered its end nearer 95%; a72c91a's ran 20% faster than its night, so 80% of the night's offered
     it 67%). Printed: that rate, the offered rate, the achieved rate, p50, p99 and the slowest beside the
     saturated figures.

With `--rounds N` (N >= 1) only the day against its peer is measured, as N alternating rounds (the peer, then
the day, each a fresh replay as step 8's peer: no snapshot timed, no reader): each round's entries/s and p99,
then the median of each, the ratio of the medians and the spread of the rounds' own ratios. One pair of
50-second replays on a shared machine gave 1.28x and 0.88x three minutes apart; a median over rounds, each
ratio taken from replays a minute apart, is the figure to compare. Beside them, the CPU the writers' server
took an entry (user and system, its threads and children, from /proc), and on PostgreSQL its server's (the
postmaster and its backends): the work each side asked of the machine, which others' work on a shared box
moves far less than it moves the wall clock.

With `--reader-rounds N` only the day beside the readers `--browsers` and `--read-ways` name is measured, as N
rounds between replays with no reader (no reader, each way, no reader, each way, ..., no reader: N + 1 replays
with no reader), each a fresh replay typing the night in one go as step 7's do (step 3's pauses midway to time a
snapshot, and the writers' server catches up meanwhile, outside the timed replay). Each way's replay is set
against the two with no reader on either side of it (the geometric mean of their entries/s, and of their p99), so
a drift of the machine over the run weighs on both sides alike; each replay with no reader is set against the one
before it, two replays apart. Printed: each round's ratios, the median of each way's, and beside it the spread of
no reader against no reader: the machine's own, the resolution at which "the same as with none" can be told here.
One replay with readers against one without (steps 3 and 7, or `--off-again`) differed by as much as this
machine's spread.

Why both loops: the 50 pairs of step 3 type with no pause, so 50 entries are always in flight and the mean
latency is about 50 / entries per second (Little's law): the saturated p99 says how the tail grows at the
server's limit. A real night is far below it: Kazakhstan's 19 March 2023 was about 100,000 entries (10,146
stations, 4-5 ballots, two entries each) over several hours after the polls closed; if half of them came
in the busiest hour that is about 14 entries a second. `--rate 150` offers some ten times that peak, and
`--rate 50% --rate 80%` half and four fifths of what the server managed saturated: the latency an operator
meets on a busy night, and how much room is left.

Each replay's line is printed as soon as it is done (with the machine's load), so a run stopped half-way still
says what it measured; the ratios and the summary come at the end. Run it under the CPU lock of a shared
machine; at full size (10,146 stations, about 81,000 entries) a replay takes minutes (the peer as long again):
`--stations 2000` is a fifth of it. The last line: per database, entries/s and p99 of the day beside the one
contest of the same size, with readers on, the snapshot's cost at 0/50/100%, the time to declared, and the peak memory.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import gc
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

import _operators  # benchmarks/_operators.py, beside this file: the server and its staff
import service as one_contest  # benchmarks/service.py, beside this file: its Wire, readers, start-up, figures
from saylau.io.protocols import read_protocols
from saylau.publish.temporary import temporary_nginx
from saylau.replay import figures
from saylau.store import Database, open_database
from saylau.store.temporary import create_database, free_port, temporary_server

HERE = Path(sys.executable).parent
LARGEST = "majilis"
"""The contest whose snapshot is timed: the Mäjilis is counted at every station of the day."""

PEER_DISTRICTS = 29
"""Single-member districts of the one-contest peer: as many as the Mäjilis has."""
PEER_BALLOTS = ("--parties", "7", "--candidates", "8")
"""The peer's ballots, the size of the day's (`saylau synth --day`: 7 parties; 3 to 9 candidates a Mäjilis
district, 2 to 6 a mäslihat's): 7 parties and 2 to 8 candidates, 6.06 options a protocol against the day's 6.07,
so the two replays' entries carry as many lines and the ratio measures the day's model, not its ballots."""


@dataclass
class Night:
    """What one replay measured."""

    entries: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    answered: list[float] = field(default_factory=list)
    """When each protocol's second entry was answered (`time.perf_counter`), in a closed-loop replay."""
    warnings_accepted: int = 0
    snapshots: dict[str, dict[str, float]] = field(default_factory=dict)
    to_declared: float = 0.0
    to_public: float = 0.0
    rss_mb: float = 0.0
    peak_mb: float = 0.0
    reads: int = 0
    read: one_contest.Reads | None = None
    """What the public readers read beside the replay (step 7)."""
    versions: int = 0
    """Versions `saylau publish` put out during the replay (readers of the published files)."""
    versions_done: int = -1
    """... and by the time its pointer said complete (-1: no publisher)."""
    cpu: dict[str, float] = field(default_factory=dict)
    """CPU seconds each process took during a replay beside readers (`readers_beside`), and the machine's."""
    stations: int = 0
    contests: int = 0
    protocols: int = 0
    offered: float = 0.0
    """Entries a second offered on a fixed schedule (`paced`); 0: a closed loop, no pause (`replay`)."""

    @property
    def rate(self) -> float:
        return self.entries / self.seconds if self.seconds else 0.0

    @property
    def p99(self) -> float:
        return one_contest._quantiles(self.latencies)[1]

    def rate_of_last(self, share: float) -> float:
        """Entries a second over the night's last `share` of protocols, from the answer of the one before it to
        the last answer: what the writer sustained where a paced run with `--paced-share share` is measured (its
        cost per entry changes as the tables fill, so the whole night's rate misstates its end). The whole night's
        rate where that share reaches back past the saturated replay's midway pause (its 50% snapshot timing)."""
        done = sorted(self.answered)
        tail = round(len(done) * share)
        if not 0 < tail < len(done) // 2:
            return self.rate
        return 2 * tail / (done[-1] - done[-1 - tail])


def synth(day: Path, stations: int) -> None:
    command = [str(HERE / "saylau"), "synth", str(day), "--day", "--seed", "22", "--stations", str(stations)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def synth_peer(folder: Path, protocols: int, small: bool = False) -> None:
    """One contest with `protocols` protocols: a mixed contest (list and district ballot at each station) of
    half as many stations, in `PEER_DISTRICTS` districts, with ballots of the day's size (`PEER_BALLOTS`), or
    `small`: the generator's default ballots."""
    stations = str(protocols // 2)
    command = [str(HERE / "saylau"), "synth", str(folder), "--seed", "22", "--stations", stations]
    ballots = () if small else PEER_BALLOTS
    subprocess.run([*command, "--districts", str(PEER_DISTRICTS), *ballots], check=True, stdout=subprocess.DEVNULL)


def contests(folder: Path) -> list[str]:
    """The contests a folder holds: a day's contest folders, or a contest folder's one (`election`)."""
    if (folder / "election.toml").is_file():
        return ["election"]
    return sorted(p.name for p in folder.iterdir() if (p / "election.toml").is_file())


def work(folder: Path) -> list[tuple[str, bytes]]:
    """Every protocol of every contest as (path, body), in the order stations report (shuffled, seeded)."""
    out = []
    one = (folder / "election.toml").is_file()
    for contest in contests(folder):
        for p in read_protocols([folder if one else folder / contest]).protocols:
            path = f"/api/protocols/{p.station}/{p.ballot}/entries" + ("" if one else f"?contest={contest}")
            out.append((path, json.dumps(figures(p)).encode()))
    random.Random(22).shuffle(out)
    return out


def options(jobs: list[tuple[str, bytes]]) -> float:
    """Options (parties or candidates) a protocol has on average: a line each on the entry form."""
    return sum(len(json.loads(body)["votes"]) for _, body in jobs) / len(jobs)


def stations(folder: Path) -> int:
    """The polling stations a folder's replay types for (the day's register, or the contest's)."""
    return sum(1 for _ in (folder / "stations.csv").open(encoding="utf-8")) - 1


def start(day: Path, url: str, port: int, public_only: bool = False, idle: bool = False) -> subprocess.Popen[bytes]:
    """`saylau serve DAY` (one worker) on `port`, once it answers; `public_only`: a readers' process at nice
    10 (docs/service.md, "Readers off the writers' path"), or with `idle` as on a host of its own."""
    nice = 10 if public_only else 0
    return _operators.serve(day, port, database=url, public_only=public_only, nice=nice, idle=idle, wait=300)


def accounts(base: str, pairs: int) -> tuple[list[tuple[str, str]], str]:
    """`pairs` pairs of operators and a coordinator, logged in: their tokens."""
    names = [(f"a{k}", f"b{k}") for k in range(pairs)]
    users = [(name, "operator") for pair in names for name in pair] + [("chief", "coordinator")]
    tokens = _operators.staff(base, users)
    return [(tokens[a], tokens[b]) for a, b in names], tokens["chief"]


async def replay(
    base: str, tokens: list[tuple[str, str]], chief: str, jobs: list[tuple[str, bytes]], night: Night
) -> None:
    """Each pair types its share: first entry, second entry; warnings accepted by the coordinator."""
    shares = [jobs[k :: len(tokens)] for k in range(len(tokens))]
    reason = json.dumps({"reason": "checked against the paper protocol"}).encode()

    async def pair(first: str, second: str, share: list[tuple[str, bytes]]) -> None:
        a, b, c = [await one_contest.Wire.open(base) for _ in range(3)]
        try:
            for path, body in share:
                for wire, token in ((a, first), (b, second)):
                    started = time.perf_counter()
                    status, answer = await wire.post(path, body, f"Authorization: Bearer {token}\r\n")
                    night.latencies.append(time.perf_counter() - started)
                    if status != 200:
                        raise SystemExit(f"{path}: {status} {answer[:300]!r}")
                night.entries += 2
                night.answered.append(time.perf_counter())
                if json.loads(answer)["state"] == "warnings":
                    target = path.replace("/entries?", "/accept-warnings?")
                    status, answer = await c.post(target, reason, f"Authorization: Bearer {chief}\r\n")
                    if status != 200:
                        raise SystemExit(f"{target}: {status} {answer[:300]!r}")
                    night.warnings_accepted += 1
        finally:
            for wire in (a, b, c):
                wire.close()

    started = time.perf_counter()
    await asyncio.gather(*(pair(x, y, s) for (x, y), s in zip(tokens, shares, strict=True)))
    night.seconds += time.perf_counter() - started


IDLE_WIRE = 2.0
"""Seconds after which `paced` no longer sends on an unused connection (uvicorn closes one idle for 5 s)."""


async def paced(
    base: str, tokens: list[tuple[str, str]], chief: str, jobs: list[tuple[str, bytes]], night: Night, rate: float
) -> None:
    """The same night offered at `rate` entries a second on a fixed schedule (an open loop), whatever the
    server answers: protocol k's first entry is due at k x 2/rate, its second (the pair's other operator)
    1/rate later, each sent when due on a free keep-alive connection (a new one when none is free). Each
    latency runs from the entry's due time, not from when it was sent, so a stall of the server (or of this
    client) counts for every entry it held back (no coordinated omission). A protocol left with warnings is
    accepted by the coordinator once both answers are in (not an entry: not timed).

    This client's own garbage collector is off while it paces (`client_collector_off`): with it on, a full
    collection of the client's heap (the night's protocols, a task per protocol) stopped its event loop for
    100-135 ms at 10,146 stations, no entry was sent meanwhile, and the 140 entries then due went at once and
    queued at the server: the worst latencies of the paced run were the load generator's own pause, not the
    service's (seen by timing the client's collections with `gc.callbacks` against its late sends)."""
    free: collections.deque[tuple[float, one_contest.Wire]] = collections.deque()  # (last used, wire), oldest first
    every: list[one_contest.Wire] = []
    reason = json.dumps({"reason": "checked against the paper protocol"}).encode()

    async def post(path: str, body: bytes, token: str) -> tuple[int, bytes]:
        while free and free[0][0] < time.perf_counter() - IDLE_WIRE:  # the server closes idle connections
            free.popleft()[1].close()
        if free:
            wire = free.pop()[1]
        else:
            wire = await one_contest.Wire.open(base)
            every.append(wire)
        status, answer = await wire.post(path, body, f"Authorization: Bearer {token}\r\n")
        free.append((time.perf_counter(), wire))
        if status != 200:
            raise SystemExit(f"{path}: {status} {answer[:300]!r}")
        return status, answer

    async def entry(path: str, body: bytes, token: str, due: float) -> str:
        await asyncio.sleep(due - time.perf_counter())
        _status, answer = await post(path, body, token)
        night.latencies.append(time.perf_counter() - due)
        night.entries += 1
        return str(json.loads(answer)["state"])

    async def protocol(path: str, body: bytes, pair: tuple[str, str], due: float) -> None:
        states = await asyncio.gather(entry(path, body, pair[0], due), entry(path, body, pair[1], due + 1 / rate))
        if "warnings" in states:
            await post(path.replace("/entries?", "/accept-warnings?"), reason, chief)
            night.warnings_accepted += 1

    with client_collector_off():
        started = time.perf_counter() + 0.1
        running = []
        for k, (path, body) in enumerate(jobs):  # started a little before due: the schedule, not this loop, sends
            await asyncio.sleep(started + k * 2 / rate - 0.05 - time.perf_counter())
            due = started + k * 2 / rate
            running.append(asyncio.create_task(protocol(path, body, tokens[k % len(tokens)], due)))
        try:
            await asyncio.gather(*running)
        finally:
            for wire in every:
                wire.close()
        night.seconds += time.perf_counter() - started


@contextmanager
def client_collector_off() -> Iterator[None]:
    """This process's cyclic garbage collector off for the block, what it holds set aside first (`gc.freeze`):
    a paced client must send on time, and its reference cycles of a night's pacing wait for the block's end."""
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()
        gc.collect()


def snapshot_costs(database: Database, rounds: int = 3) -> dict[str, float]:
    """Milliseconds (best of `rounds`) of one snapshot of the largest contest, five ways."""
    from saylau.service import results, tallies
    from saylau.service.definition import current
    from saylau.service.protocols import accepted
    from saylau.web.snapshot import build, projected

    def best(run: Any) -> float:
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            run()
            times.append((time.perf_counter() - started) * 1000)
        return min(times)

    with database.unit_of_work() as connection:
        definition = current(connection, LARGEST)
    cold = build(database, LARGEST, gated=False)
    with database.unit_of_work() as connection:
        counted = tallies.counted(connection, definition, LARGEST)

    def count_incremental() -> None:
        with database.unit_of_work() as connection:
            tallies.counted(connection, definition, LARGEST, counted)

    def recount() -> None:
        with database.unit_of_work() as connection:
            results.count(definition, accepted(connection, LARGEST))

    return {
        "count from tallies": best(count_incremental),
        "snapshot, incremental": best(lambda: build(database, LARGEST, gated=False, previous=cold)),
        "projection (every 10 s)": best(lambda: projected(definition, counted.tabulation)),
        "snapshot, cold": best(lambda: build(database, LARGEST, gated=False)),
        "recount (before tallies)": best(recount),
        "protocols counted": float(len(counted.protocols)),
    }


def declared(base: str, names: list[str], since: float, night: Night) -> None:
    """Seconds from the last accepted protocol until every contest's status, and the public page, say complete."""
    waiting = set(names)
    public = False
    deadline = time.monotonic() + 120
    with httpx.Client(base_url=base, timeout=60) as client:
        while (waiting or not public) and time.monotonic() < deadline:
            for contest in sorted(waiting):
                if client.get("/api/status", params={"contest": contest}).json().get("status") == "complete":
                    waiting.discard(contest)
            if not waiting and not night.to_declared:
                night.to_declared = time.perf_counter() - since
            if not public and client.get("/api/public/results.json").json().get("status") == "complete":
                public = True
                night.to_public = time.perf_counter() - since
            time.sleep(0.05)
    if waiting or not public:
        raise SystemExit(f"not declared within 120 s: {sorted(waiting)} public {public}")


def memory(pid: int) -> tuple[float, float]:
    """Resident set now and at its peak (MB) of a process, from /proc."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


SHARED, READERS_APART, HOSTS_APART = "shared", "readers", "hosts"
"""How a replay beside readers shares the one box (`--isolate`): `SHARED`, everything on its cores as it comes
(the readers' load generator, the `--public-only` process and the publisher at nice 10, nginx at 0);
`READERS_APART`, the readers' load generator as on machines of its own (the public's browsers are: it gets only
the CPU the rest leaves, `_operators.IDLE`); `HOSTS_APART`, that and what serves them too (the `--public-only`
process, or nginx and the publisher), as docs/deploying.md puts them on hosts of their own: the writers' server
and its database then get the box first, and what is left serves the readers."""

ISOLATION = {
    SHARED: "everything shares the 2 cores",
    READERS_APART: "readers' load generator on the CPU left over (SCHED_IDLE)",
    HOSTS_APART: "readers' load generator and what serves them on the CPU left over (SCHED_IDLE)",
}


@dataclass(frozen=True)
class Way:
    """Where and how the public reads beside a replay (step 7): `how` one of `service.PAUSE_FREE`,
    `service.LIVE_PAGE`, `service.PUBLISHED`; `where` "own" (a `--public-only` process of its own at nice 10),
    "writer" (the writers' own `saylau serve`) or "nginx" (the files `saylau publish service --watch` writes
    while the night runs, served by nginx); `isolated` how they share the box (`SHARED`, `READERS_APART`,
    `HOSTS_APART`)."""

    how: str
    readers: int
    where: str
    isolated: str = SHARED
    share: float | None = None
    """With nginx: the publisher's `--share` (None: the command's own)."""

    def name(self) -> str:
        served = {
            "own": "their own --public-only process",
            "writer": "the writers' own process",
            "nginx": "nginx, the files published while the night runs",
        }[self.where]
        paced = f", publisher --share {self.share:g}" if self.share is not None and self.where == "nginx" else ""
        return f"{self.readers:,} readers {self.how} from {served}{paced} [{ISOLATION[self.isolated]}]"

    @property
    def idle_readers(self) -> bool:
        return self.isolated in (READERS_APART, HOSTS_APART)

    @property
    def idle_servers(self) -> bool:
        return self.isolated == HOSTS_APART and self.where != "writer"


def night(
    day: Path,
    kind: str,
    pairs: int,
    way: Way | None = None,
    *,
    peer: bool = False,
    rate: float = 0.0,
    share: float = 1.0,
) -> Night:
    """`replay_night`, its line printed as soon as it is done (a long run stopped half-way still says what it
    measured; the ratios come at the end)."""
    found = replay_night(day, kind, pairs, way, peer=peer, rate=rate, share=share)
    what = way.name() if way else "one contest, same size" if peer else f"paced at {rate:.0f}/s" if rate else "the day"
    said = f"{kind:10} done: {what}: {replayed(found)}" + (f"; {_reads(found)}" if way else "")
    print(f"{said} (load {_load()})", flush=True)
    return found


def _load() -> str:
    """The machine's load average (1, 5, 15 min), said beside each replay's figures."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def replay_night(
    day: Path,
    kind: str,
    pairs: int,
    way: Way | None = None,
    *,
    peer: bool = False,
    rate: float = 0.0,
    share: float = 1.0,
) -> Night:
    """One replay into a fresh database of `kind` (SQLite: a file in a temporary folder; PostgreSQL: a private
    server of its own, started for this replay and stopped after it, so that no replay meets another's
    checkpoints, log or autovacuum); with `way`, only entries/s and p99 beside the public readers it names
    (`Way`); `peer`: only entries/s and p99 (the one-contest peer); `rate`: only the latencies of the last
    `share` of the night offered at `rate` entries a second (`paced`), the protocols before it typed as fast
    as the pairs can (not measured), so a short paced run meets the tables of a night nearly counted."""
    jobs = work(day)
    found = Night(stations=stations(day), contests=len(contests(day)), protocols=len(jobs), offered=rate)
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        if kind == "postgresql":
            database_url = create_database(stack.enter_context(temporary_server()), "night")
        else:
            database_url = f"sqlite:///{Path(tmp) / 'saylau.sqlite'}"
        port = free_port()
        server = start(day, database_url, port)
        base = f"http://127.0.0.1:{port}"
        database = None
        try:
            tokens, chief = accounts(base, pairs)
            if way is not None:
                with readers_beside(way, day, database_url, base, found, server.pid):
                    asyncio.run(replay(base, tokens, chief, jobs, found))
                return found
            if peer:
                roles = {"server": server.pid}
                if kind == "postgresql":
                    roles["postgresql"] = _listening(int(database_url.rsplit(":", 1)[1].split("/")[0]))
                before = {role: one_contest.cpu_seconds(pid) for role, pid in roles.items()}
                asyncio.run(replay(base, tokens, chief, jobs, found))
                found.cpu = {role: one_contest.cpu_seconds(pid) - before[role] for role, pid in roles.items()}
                return found
            if rate:
                cut = len(jobs) - round(len(jobs) * share)
                asyncio.run(replay(base, tokens, chief, jobs[:cut], Night()))
                asyncio.run(paced(base, tokens, chief, jobs[cut:], found, rate))
                found.protocols = len(jobs) - cut
                return found
            database = open_database(database_url, migrate=False)
            found.snapshots["0%"] = snapshot_costs(database)
            half = len(jobs) // 2
            asyncio.run(replay(base, tokens, chief, jobs[:half], found))
            found.snapshots["50%"] = snapshot_costs(database)
            asyncio.run(replay(base, tokens, chief, jobs[half:], found))
            declared(base, contests(day), time.perf_counter(), found)
            found.rss_mb, found.peak_mb = memory(server.pid)
            found.snapshots["100%"] = snapshot_costs(database)
            return found
        finally:
            if database is not None:
                database.close()
            server.terminate()
            server.wait(timeout=60)


@contextmanager
def readers_beside(
    way: Way, day: Path, database_url: str, base: str, found: Night, writer: int | None = None
) -> Iterator[None]:
    """The public reading `way` while the block runs (what serves them started first, stopped after); what
    they read goes into `found` (`reads`, `read`, and with nginx the versions published meanwhile), and the CPU
    seconds each process took meanwhile into `found.cpu` (`writer`: the writers' server's pid)."""
    roles: dict[str, int] = {"writers' server": writer} if writer else {}
    postgres = _postmaster(database_url)
    if postgres:
        roles["PostgreSQL"] = postgres
    with ExitStack() as stack:
        if way.where == "writer":
            reader = base
        elif way.where == "own":
            public_port = free_port()
            public = start(day, database_url, public_port, public_only=True, idle=way.idle_servers)
            stack.callback(_stop, public)
            reader = f"http://127.0.0.1:{public_port}"
            roles["--public-only server"] = public.pid
        else:
            site = Path(tempfile.mkdtemp(prefix="saylau-site-"))
            stack.callback(discard, site)  # removed after the run, outside the lock (hundreds of thousands of files)
            site.chmod(0o755)  # nginx's workers read it (docs/publishing.md, recipes)
            published = publisher(database_url, site, idle=way.idle_servers, share=way.share)
            stack.callback(_stop, published)
            roles["publisher"] = published.pid
            prefix = _operators.IDLE if way.idle_servers else ()
            reader = stack.enter_context(temporary_nginx(site, workers=1, prefix=prefix))
            roles["nginx"] = _listening(int(reader.rsplit(":", 1)[1]))
        reads = stack.enter_context(one_contest.reading(way.how, reader, way.readers, idle=way.idle_readers))
        first = _published(reader) if way.where == "nginx" else 0
        before = {role: one_contest.cpu_seconds(pid) for role, pid in roles.items()}
        client, machine = time.process_time(), _machine_busy()
        yield
        found.cpu = {role: one_contest.cpu_seconds(pid) - before[role] for role, pid in roles.items()}
        found.cpu["replay client (the operators)"] = time.process_time() - client
        busy, total = (b - a for a, b in zip(machine, _machine_busy(), strict=True))
        if way.where == "nginx":
            ended = time.perf_counter()
            found.versions = _published(reader) - first
            found.to_public = _published_complete(reader, ended)
            found.versions_done = _published(reader) - first
    found.reads, found.read = reads.answers, reads
    found.cpu["readers' load generator"] = reads.cpu
    found.cpu["machine (every process, others' too)"] = busy
    found.cpu["machine capacity"] = total


def _machine_busy() -> tuple[float, float]:
    """CPU seconds the whole machine has spent busy, and could have spent, so far (/proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    tick = os.sysconf("SC_CLK_TCK")
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values[:8]) - idle) / tick, sum(values[:8]) / tick


def _postmaster(database_url: str) -> int | None:
    """The pid of the PostgreSQL server a URL names on this machine (its port), or None (SQLite)."""
    if not database_url.startswith("postgresql"):
        return None
    port = database_url.rsplit(":", 1)[1].split("/", 1)[0]
    for entry in Path("/proc").iterdir():
        try:
            words = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if words[0].endswith(b"/postgres") and b"-p" in words[:-1] and words[words.index(b"-p") + 1] == port.encode():
            return int(entry.name)
    return None


def _listening(port: int) -> int:
    """The pid of the process listening on a port of 127.0.0.1 (nginx's master: its workers are its children)."""
    hex_port = f":{port:04X}"
    inodes = {
        line.split()[9]
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]
        if line.split()[1].endswith(hex_port) and line.split()[3] == "0A"
    }
    owners = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            links = [os.readlink(fd) for fd in (entry / "fd").iterdir()]
        except OSError:
            continue
        if any(link in {f"socket:[{inode}]" for inode in inodes} for link in links):
            owners.append(int(entry.name))
    return min(owners) if owners else 0


def publisher(database_url: str, site: Path, idle: bool = False, share: float | None = None) -> subprocess.Popen[bytes]:
    """`saylau publish service --watch` over the night's database into `site` at nice 10 (beside the writers on one
    box, as the `--public-only` process; paced, it then runs itself on the CPU the writers leave, docs/publishing.md;
    `idle`: as on a host of its own, `_operators.IDLE`; `share`: its `--share`),
    once its first version is out and it has gone quiet: a first version is every file of an empty count, and once
    it is out the publisher makes its NIST report again in its own process (docs/publishing.md), some seconds of CPU
    at 10,146 stations that ran into the replay until this round. A real publisher does both before the polls close."""
    command = [str(HERE / "saylau"), "publish", "service", "--database", database_url, "--to", str(site), "--watch"]
    command += ["--share", f"{share:g}"] if share is not None else []
    prefix = list(_operators.IDLE) if idle else ["nice", "-n", "10"]
    process = subprocess.Popen([*prefix, *command], stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while not (site / "current.json").is_file():
        if process.poll() is not None or time.monotonic() > deadline:
            _stop(process)
            raise SystemExit(f"saylau publish service did not publish a first version (exit {process.returncode})")
        time.sleep(0.2)
    busy = one_contest.cpu_seconds(process.pid)
    while time.monotonic() < deadline:  # quiet: less than 5% of a core over a second
        time.sleep(1.0)
        busy, was = one_contest.cpu_seconds(process.pid), busy
        if busy - was < 0.05:
            break
    return process


DISCARDED: list[Path] = []
"""Published sites of the replays before, set aside (`discard`) and removed once the run is over."""
KEEP_SITES: Path | None = None
"""`--keep-sites DIR`: where the sites are set aside instead, left for whoever runs it to remove."""


def discard(site: Path) -> None:
    """Set a replay's published site aside, to be removed when the run ends (`remove_discarded`): a night of
    2,000 stations publishes about 80,000 files (with their .gz siblings) per replay, and removing them took
    3.5 minutes of the lock's hold between two replays (ext4 with online discard, 6 December 2026)."""
    if KEEP_SITES is not None:
        KEEP_SITES.mkdir(parents=True, exist_ok=True)
        site.rename(KEEP_SITES / site.name)
        return
    aside = site.with_name(f"saylau-discarded-{site.name}")
    site.rename(aside)
    DISCARDED.append(aside)


def remove_discarded() -> None:
    """Remove the sites set aside in a process of its own at the lowest priority, not waited for (and holding
    none of this process's descriptors: the CPU lock is released as soon as this process ends). The file
    system's own work (its journal, a disk's discards) is not the process's to lower: on a shared machine
    where another run follows at once, `--keep-sites` leaves the sites for later."""
    if DISCARDED:
        command = ["nice", "-n", "19", "ionice", "-c", "3", "rm", "-rf", *map(str, DISCARDED)]
        subprocess.Popen(command, start_new_session=True, close_fds=True, stdout=subprocess.DEVNULL)
        DISCARDED.clear()


def _published(reader: str) -> int:
    """How many versions the published site holds (`versions.json`)."""
    return len(httpx.get(f"{reader}/versions.json", timeout=60).json()["versions"])


PUBLISHED_WAIT = 120.0
"""Seconds the benchmark waits, after the replay, for the published pointer to say complete."""


def _published_complete(reader: str, since: float) -> float:
    """Seconds from `since` (the last accepted protocol) until the published pointer says every contest is
    complete (the publisher at nice 10 may be a few versions behind the night); -1 when it did not within
    `PUBLISHED_WAIT` (said, not fatal: the entries' figures stand)."""
    deadline = time.monotonic() + PUBLISHED_WAIT
    with httpx.Client(base_url=reader, timeout=60) as client:
        while (pointer := client.get("/current.json").json())["status"] == "partial":
            if time.monotonic() > deadline:
                print(f"the published pointer still says partial {PUBLISHED_WAIT:.0f} s after the replay: {pointer}")
                return -1.0
            time.sleep(0.1)
    return time.perf_counter() - since


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=60)


def replayed(night: Night) -> str:
    """What one replay typed, and how fast (and, where measured, the CPU its servers took an entry)."""
    p50, p99 = one_contest._quantiles(night.latencies)
    line = (
        f"{night.stations:,} stations, {night.contests} contest{'s' if night.contests > 1 else ''}, "
        f"{night.protocols:,} protocols, {night.entries:,} entries in {night.seconds:.1f} s: {night.rate:.0f}/s, "
        f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {max(night.latencies) * 1000:.0f} ms"
    )
    if night.cpu:
        line += "; CPU an entry: " + ", ".join(f"{role} {ms:.3f} ms" for role, ms in cpu_per_entry(night).items())
    return line


def cpu_per_entry(night: Night) -> dict[str, float]:
    """Milliseconds of CPU each measured server took an entry (`Night.cpu` of a peer-style replay)."""
    return {role: 1000 * seconds / night.entries for role, seconds in night.cpu.items()}


def rates(asked: list[str], saturated: float) -> list[float]:
    """The paced replays' offered rates (entries/s): each `--rate` as given, or `N%` of the saturated rate
    (`saturated`: over the share of the night the paced run measures, `Night.rate_of_last`)."""
    return [saturated * float(r[:-1]) / 100 if r.endswith("%") else float(r) for r in asked]


def paced_lines(name: str, off: Night, runs: Sequence[Night]) -> list[str]:
    """Each paced replay beside the saturated one: offered and achieved entries/s, p50, p99 and the slowest."""
    out = []
    for run in runs:
        p50, p99 = one_contest._quantiles(run.latencies)
        out.append(
            f"{name:10} paced at {run.offered:.0f} entries/s offered ({run.entries:,} entries): {run.rate:.0f}/s "
            f"achieved, p50 {p50:.1f} ms, "
            f"p99 {p99:.1f} ms, max {max(run.latencies) * 1000:.0f} ms (latency from each entry's due time; "
            f"saturated: {off.rate:.0f}/s, p99 {off.p99:.1f} ms)"
        )
    return out


def report(
    name: str,
    off: Night,
    on: Night | None,
    own: Night | None,
    peer: Night | None,
    kept: Sequence[Night] = (),
    beside: Sequence[tuple[Way, Night]] = (),
) -> str:
    if peer is not None:
        print(f"{name:10} one contest, same size, readers off: {replayed(peer)}")
    print(f"{name:10} the day, readers off: {replayed(off)} ({off.warnings_accepted} protocols with warnings accepted)")
    if peer is not None:
        print(
            f"{name:10} the day over one contest of the same size: {off.rate / peer.rate:.2f}x entries/s, "
            f"{off.p99 / peer.p99:.2f}x p99"
        )
    for line in paced_lines(name, off, kept):
        print(line)
    if own is not None:
        print(
            f"{name:10} day, {own.reads} public reads from their own --public-only process: {own.rate:.0f}/s, "
            f"p99 {own.p99:.1f} ms (on/off: {own.rate / off.rate:.2f}x entries/s, {own.p99 / off.p99:.2f}x p99)"
        )
    if on is not None:
        print(
            f"{name:10} day, {on.reads} public reads from the writers' own process: {on.rate:.0f}/s, "
            f"p99 {on.p99:.1f} ms (on/off: {on.rate / off.rate:.2f}x entries/s, {on.p99 / off.p99:.2f}x p99)"
        )
    for way, read in beside:
        print(
            f"{name:10} day, {way.name()}: {read.rate:.0f}/s, p99 {read.p99:.1f} ms (on/off: "
            f"{read.rate / off.rate:.2f}x entries/s, {read.p99 / off.p99:.2f}x p99); {_reads(read)}"
        )
    ways = [w for w in off.snapshots["0%"] if w != "protocols counted"]
    print(f"{name:10} one snapshot of {LARGEST} (ms, best of 3):  " + "  ".join(f"{k:>7}" for k in off.snapshots))
    for way in ways:
        values = [off.snapshots[k][way] for k in off.snapshots]
        print(
            f"{'':10}   {way:<27}"
            + "".join(f"{v:9.1f}" for v in values)
            + f"   100%/0%: {values[-1] / max(values[0], 1e-9):.1f}x"
        )
    counted = [int(off.snapshots[k]["protocols counted"]) for k in off.snapshots]
    print(f"{'':10}   {'protocols counted':<27}" + "".join(f"{v:9d}" for v in counted))
    print(
        f"{name:10} last accepted protocol -> every contest complete {off.to_declared:.2f} s, public page "
        f"{off.to_public:.2f} s; server memory {off.rss_mb:.0f} MB (peak {off.peak_mb:.0f} MB)"
    )
    snap = off.snapshots
    line = f"{name}: {off.rate:.0f} entries/s p99 {off.p99:.0f} ms"
    if peer is not None:
        line += f" (one contest of the same size {peer.rate:.0f}/s p99 {peer.p99:.0f} ms: {off.rate / peer.rate:.2f}x)"
    for run in kept:
        line += f", paced {run.offered:.0f}/s p99 {run.p99:.0f} ms"
    if own is not None:
        line += f", readers on {own.rate:.0f}/s p99 {own.p99:.0f} ms ({own.rate / off.rate:.2f}x)"
    if on is not None:
        line += f" (in the writers' process {on.rate:.0f}/s p99 {on.p99:.0f} ms)"
    for way, read in beside:
        short = {"own": "own process", "writer": "writers' process", "nginx": "nginx"}[way.where]
        short += "" if way.isolated == SHARED else f", {way.isolated} apart"
        line += (
            f", {way.readers:,} {way.how} ({short}) {read.rate:.0f}/s p99 {read.p99:.0f} ms"
            f" ({read.rate / off.rate:.2f}x)"
        )
    incremental = "snapshot, incremental"
    line += (
        f", snapshot {snap['0%'][incremental]:.0f}/{snap['50%'][incremental]:.0f}/{snap['100%'][incremental]:.0f} ms"
        f" (recount {snap['100%']['recount (before tallies)']:.0f} ms at 100%), declared in {off.to_public:.1f} s,"
        f" peak {off.peak_mb:.0f} MB"
    )
    return line


def _reads(night: Night) -> str:
    """What the readers beside a replay read, and the CPU each process took meanwhile."""
    said = night.read.line() if night.read is not None else f"{night.reads:,} reads"
    if night.versions_done >= 0:
        done = f"{night.to_public:.1f} s after the last entry" if night.to_public >= 0 else "not within the wait"
        said += (
            f"; {night.versions} versions published during the replay, {night.versions_done} by the time the "
            f"pointer said complete, {done}"
        )
    if night.cpu:
        said += "; CPU s during it: " + ", ".join(f"{role} {s:.1f}" for role, s in night.cpu.items())
    return said


def again_off(name: str, off: Night, again: Night, beside: Sequence[tuple[Way, Night]]) -> None:
    """Each way against the replay with no reader before it and the same replay again after it (`--off-again`):
    on a shared machine the two differ by what the machine did meanwhile, and a ratio inside that spread says
    the machine, not the readers."""
    print(
        f"{name:10} the day with no reader again, after the readers' replays: {again.rate:.0f}/s, p99 "
        f"{again.p99:.1f} ms (before them {off.rate:.0f}/s, p99 {off.p99:.1f} ms: {again.rate / off.rate:.2f}x)",
        flush=True,
    )
    for way, read in beside:
        print(
            f"{name:10} day, {way.name()}: on/off {read.rate / off.rate:.2f}x before, {read.rate / again.rate:.2f}x "
            f"after (p99 {read.p99 / off.p99:.2f}x, {read.p99 / again.p99:.2f}x)",
            flush=True,
        )


def beside_ways(browsers: str, read_ways: str, in_writer: bool, isolate: str = SHARED, shares: str = "") -> list[Way]:
    """The readers read as the public does, `--browsers` of them each way `--read-ways` names (`live`: the
    service's live page from a `--public-only` process, and with `--readers-in-writer` from the writers' own;
    `static`: the published files from nginx, once for each `--publisher-share`), each way once for each sharing
    of the box `--isolate` names (`SHARED`, `READERS_APART`, `HOSTS_APART`)."""
    paces: list[float | None] = [float(f) for f in shares.split(",") if f.strip()] or [None]
    counts = [int(n) for n in browsers.split(",") if n.strip()]
    asked = {w.strip() for w in read_ways.split(",") if w.strip()}
    unknown = asked - {"live", "static"}
    if unknown:
        raise SystemExit(f"--read-ways: {', '.join(sorted(unknown))}? (live, static)")
    sharings = [i.strip() for i in isolate.split(",") if i.strip()]
    if set(sharings) - set(ISOLATION):
        raise SystemExit(f"--isolate: {isolate}? ({', '.join(ISOLATION)})")
    ways = []
    for n in counts:
        for sharing in sharings:
            if "live" in asked:
                ways.append(Way(one_contest.LIVE_PAGE, n, "own", sharing))
            if "static" in asked:
                ways += [Way(one_contest.PUBLISHED, n, "nginx", sharing, share) for share in paces]
    if in_writer and "live" in asked:
        ways += [Way(one_contest.LIVE_PAGE, n, "writer", sharing) for n in counts for sharing in sharings]
    return ways


def reader_rounds(day: Path, kind: str, pairs: int, ways: Sequence[Way], rounds: int) -> str:
    """`rounds` rounds of the day beside each way's readers, between replays with no reader (`--reader-rounds`):
    no reader, the ways, no reader, the ways, ..., no reader, each a fresh replay printed as it ends. Each way's
    replay is set against the two with no reader around it (their geometric mean), and each replay with no reader
    against the one before it: the median of a way's rounds, and their spread beside the spread of no reader
    against no reader (the machine's own), which is what "the same as with none" can be told apart from here. A
    replay with no reader types the night in one go, as one beside readers does (step 3's pauses midway for the
    snapshot's timing, and the writers' server catches up meanwhile, outside the timed replay)."""

    def off() -> Night:  # in one go, as beside readers (step 3's replay pauses midway to time a snapshot)
        found = replay_night(day, kind, pairs, peer=True)
        print(f"{kind:10} done: no reader: {replayed(found)} (load {_load()})", flush=True)
        return found

    offs = [off()]
    ons: dict[Way, list[Night]] = {way: [] for way in ways}
    for _k in range(rounds):
        for way in ways:
            ons[way].append(night(day, kind, pairs, way))
        offs.append(off())
    speeds, p99s = [n.rate for n in offs], [n.p99 for n in offs]
    floor = [b / a for a, b in itertools.pairwise(speeds)]
    print(
        f"{kind:10} no reader, {len(offs)} replays: "
        + ", ".join(f"{n.rate:.0f}/s p99 {n.p99:.0f} ms" for n in offs)
        + f"; each against the one before {min(floor):.2f}x to {max(floor):.2f}x",
        flush=True,
    )
    out = []
    for way, runs in ons.items():
        ratios = [n.rate / (speeds[k] * speeds[k + 1]) ** 0.5 for k, n in enumerate(runs)]
        tails = [n.p99 / (p99s[k] * p99s[k + 1]) ** 0.5 for k, n in enumerate(runs)]
        said = ", ".join(f"{r:.2f}x (p99 {t:.2f}x)" for r, t in zip(ratios, tails, strict=True))
        median, tail = statistics.median(ratios), statistics.median(tails)
        print(f"{kind:10} {way.name()}: against no reader around it, round by round: {said}", flush=True)
        out.append(
            f"{kind}: {way.name()}: median of {rounds} rounds {median:.2f}x entries/s (rounds {min(ratios):.2f}x to "
            f"{max(ratios):.2f}x), p99 {tail:.2f}x; no reader against no reader {min(floor):.2f}x to {max(floor):.2f}x"
        )
    return "; ".join(out)


def alternate(day: Path, one: Path, kind: str, pairs: int, rounds: int) -> str:
    """`rounds` rounds of the peer then the day (`--rounds`), each a fresh replay printed as it ends; the
    medians, their ratio and the rounds' own ratios' spread (the last line's part for `kind`)."""
    peers: list[Night] = []
    days: list[Night] = []
    for k in range(1, rounds + 1):
        for runs, folder, what in ((peers, one, "one contest, same size"), (days, day, "the day")):
            runs.append(replay_night(folder, kind, pairs, peer=True))
            print(f"{kind:10} round {k}: {what}: {replayed(runs[-1])} (load {_load()})", flush=True)
        print(f"{kind:10} round {k}: the day over one contest {days[-1].rate / peers[-1].rate:.2f}x", flush=True)
    peer, own = statistics.median(n.rate for n in peers), statistics.median(n.rate for n in days)
    ratios = [d.rate / p.rate for d, p in zip(days, peers, strict=True)]
    p99s = statistics.median(n.p99 for n in peers), statistics.median(n.p99 for n in days)
    cpu = []
    for role in days[0].cpu:
        mine = statistics.median(cpu_per_entry(n)[role] for n in days)
        theirs = statistics.median(cpu_per_entry(n)[role] for n in peers)
        cpu.append(f"{role} {mine:.3f} against {theirs:.3f} ms ({mine / theirs:.2f}x)")
    return (
        f"{kind}: {rounds} rounds, medians: the day {own:.0f} entries/s p99 {p99s[1]:.0f} ms, one contest of the "
        f"same size {peer:.0f}/s p99 {p99s[0]:.0f} ms: {own / peer:.2f}x (rounds' ratios {min(ratios):.2f}x to "
        f"{max(ratios):.2f}x); CPU an entry, the day against one contest (medians): {'; '.join(cpu)}"
    )


def main() -> None:
    global PUBLISHED_WAIT, KEEP_SITES  # settings of the run, read where each replay ends
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=10_146)
    parser.add_argument("--pairs", type=int, default=50)
    parser.add_argument("--readers", type=int, default=200, help="Public readers beside the second replay (0: none).")
    parser.add_argument("--only", choices=("sqlite", "postgresql"), help="Measure one database only.")
    parser.add_argument("--no-peer", action="store_true", help="Leave out the one contest of the same size.")
    parser.add_argument(
        "--small-peer",
        action="store_true",
        help="The peer with the generator's default ballots (5 parties, 2 to 5 candidates: 4.2 options a protocol "
        "against the day's 6.1), as before 6 December 2026.",
    )
    parser.add_argument(
        "--readers-in-writer", action="store_true", help="Also measure the readers reading the writers' process."
    )
    parser.add_argument(
        "--browsers",
        default="200,2000",
        help="Public readers reading as the public does (every 5 s, with the ETag they hold), comma-separated counts "
        "(empty: none).",
    )
    parser.add_argument(
        "--read-ways",
        default="live,static",
        help="How those read: live (the service's live page), static (the published files from nginx).",
    )
    parser.add_argument(
        "--isolate",
        default=SHARED,
        metavar="HOW,...",
        help=f"How the readers' replays share the box, each named one in turn: {SHARED} (as it comes), {READERS_APART} "
        f"(the readers' load generator only on the CPU left over, SCHED_IDLE), {HOSTS_APART} (that and what serves "
        "them: --public-only, or nginx and the publisher).",
    )
    parser.add_argument(
        "--rate",
        action="append",
        default=[],
        metavar="R",
        help="Also replay the day paced (an open loop) at R entries/s, or R%% of the saturated rate (repeatable).",
    )
    parser.add_argument(
        "--paced-share",
        type=float,
        default=1.0,
        metavar="F",
        help="Pace only the night's last F (0-1]; the protocols before it are typed unpaced, not measured.",
    )
    parser.add_argument(
        "--publisher-share",
        default="",
        metavar="F,...",
        help="The publisher's --share (the most of a core it takes while the night writes), each one in turn beside "
        "the same readers (empty: the command's own).",
    )
    parser.add_argument(
        "--published-wait",
        type=float,
        default=PUBLISHED_WAIT,
        metavar="S",
        help="Seconds to wait after a replay for the published pointer to say complete (10,146 stations: 300).",
    )
    parser.add_argument(
        "--off-again",
        action="store_true",
        help="Replay the day with no reader again after the readers' replays, each way's ratio against both.",
    )
    parser.add_argument(
        "--keep-sites",
        type=Path,
        metavar="DIR",
        help="Move each replay's published site into DIR, not removed (a shared machine: remove them later).",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=0,
        metavar="N",
        help="Only the day against its peer: N alternating rounds (peer, day), the medians and their ratio.",
    )
    parser.add_argument(
        "--reader-rounds",
        type=int,
        default=0,
        metavar="N",
        help="Only the day beside each --browsers/--read-ways way, N rounds between replays with no reader (off, ways, "
        "off, ...): each way against the replays around it, the median, beside no reader against no reader.",
    )
    args = parser.parse_args()
    if args.rounds and args.no_peer:
        parser.error("--rounds measures the day against its peer: not with --no-peer")
    PUBLISHED_WAIT, KEEP_SITES = args.published_wait, args.keep_sites
    lines = []
    ways = beside_ways(args.browsers, args.read_ways, args.readers_in_writer, args.isolate, args.publisher_share)
    if args.reader_rounds and not ways:
        parser.error("--reader-rounds measures readers beside the day: name them (--browsers, --read-ways)")
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as after:
        after.callback(remove_discarded)
        day, one = Path(tmp) / "day", Path(tmp) / "one"
        synth(day, args.stations)
        jobs = work(day)
        protocols = len(jobs)
        print(
            f"day: {args.stations:,} stations, {len(contests(day))} contests, {protocols:,} protocols, "
            f"{options(jobs):.2f} options a protocol"
        )
        if not args.no_peer:
            synth_peer(one, protocols, args.small_peer)
            peers = work(one)
            print(
                f"one contest of the same size: {stations(one):,} stations, {len(peers):,} protocols, "
                f"{options(peers):.2f} options a protocol"
            )
        for name in ("sqlite", "postgresql"):
            if args.only and args.only != name:
                continue
            if args.rounds:
                lines.append(alternate(day, one, name, args.pairs, args.rounds))
                continue
            if args.reader_rounds:
                lines.append(reader_rounds(day, name, args.pairs, ways, args.reader_rounds))
                continue
            peer = None if args.no_peer else night(one, name, args.pairs, peer=True)
            off = night(day, name, args.pairs)
            tail = off.rate_of_last(args.paced_share)
            if args.rate and args.paced_share < 1:
                print(
                    f"{name:10} saturated over the night's last {args.paced_share:.0%}: {tail:.0f}/s "
                    f"(the night {off.rate:.0f}/s)"
                )
            kept = [night(day, name, args.pairs, rate=r, share=args.paced_share) for r in rates(args.rate, tail)]
            free = one_contest.PAUSE_FREE
            own = night(day, name, args.pairs, Way(free, args.readers, "own")) if args.readers else None
            beside = [(way, night(day, name, args.pairs, way)) for way in ways]
            in_writer = args.readers and args.readers_in_writer
            on = night(day, name, args.pairs, Way(free, args.readers, "writer")) if in_writer else None
            lines.append(report(name, off, on, own, peer, kept, beside))
            if args.off_again and beside:
                again_off(name, off, night(day, name, args.pairs), beside)
    print("; ".join(lines))


if __name__ == "__main__":
    main()
