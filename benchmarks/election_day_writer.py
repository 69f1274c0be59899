"""The writer's side of election_day.py, in one process: the day's entries and its peer's through
`protocols.enter_all` in groups, as the service's writer thread makes them, with no HTTP and no server.

    .venv/bin/python benchmarks/election_day_writer.py [--stations 2000] [--group 50] [--rounds 1]
                                                       [--pages] [--profile FILE] [--only day|peer]
                                                       [--database sqlite|postgresql] [--statements]
                                                       [--interleave] [--cache-mib N]

Why (issue 22, "Speed and scale"): over HTTP the day's entries/s and its peer's scatter by more than a
change to the writer moves them on a shared 2-core machine (the server, its event loop and the load
generator share the cores, and every commit's sync meets the disk's other writers). Here the same work
the writer thread does, in the same groups, is timed by the CPU of the one thread that makes it: what a
change to the store costs or saves per entry, whatever the machine's load.

What it does, for the day (`saylau synth --day --stations N`: 4 protocols a station) and its peer (one
contest of twice the stations, a list and a district ballot each: as many protocols and entries), each in a
fresh SQLite database (the service's settings: WAL, synchronous FULL, checkpoints on a thread of their own),
or with `--database postgresql` a fresh PostgreSQL server of its own (`saylau.store.temporary`, fsync on):
  1. installs the folder as `saylau serve` does on its first start (not timed);
  2. types every protocol twice in the order election_day.py's 50 operator pairs type it (every contest,
     shuffled as stations report), as groups of `--group` entries (each pair's next entry, half of the pairs
     a step behind, so a group holds about as many first entries as second ones, as the server's groups
     do); a protocol left with warnings is accepted by the coordinator in a transaction of its own;
  3. prints the writer thread's CPU per entry (`time.thread_time`), its wall time per entry, and, with
     `--pages` (SQLite), the pages each commit wrote to the log by table (the log not checkpointed during the
     replay, its frames read after it and each page named by `dbstat`); with `--statements`, the statements
     each group of entries ran and, on PostgreSQL, its round trips (in the writer's pipeline mode a statement
     whose rows are read waits for the server, a write without `RETURNING` does not; the commit is one more);
     on PostgreSQL also the server's CPU per entry (every process of its temporary server, from `/proc`: on
     a 2-core machine the server's work shares the cores with the service's).

With `--interleave` both replays run in one process at once (on PostgreSQL each into a server of its own), a
group of one, then a group of the other: taken one after the other, the same code's ratio moved from 0.95x to
1.25x within minutes under the lock (others' lowest-priority work still shares the cores' caches and clock);
interleaved, with the collector set as the server sets it (`as_served`), the rounds agree within about 0.02.

The last line: the day's CPU per entry over the peer's (lower is better; the day's aim is at most 1.00x); on
PostgreSQL a line more with the writer's and the server's CPU together.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import gc
import json
import os
import sqlite3
import statistics
import struct
import sys
import tempfile
import time
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from sqlalchemy import event

from election_day import synth, synth_peer, work  # benchmarks/election_day.py, beside this file
from saylau.service import definition, tallies
from saylau.service.permissions import Actor, Role
from saylau.service.protocols import Typing, accept_warnings, enter_all
from saylau.service.states import EntryState
from saylau.store import Database, open_database
from saylau.store.database import _WRITES
from saylau.store.temporary import create_database, temporary_server
from saylau.web.app import collect_for_serving

PAIRS = 50
"""Operator pairs, as election_day.py's replay."""


def jobs_of(folder: Path) -> list[tuple[int, str, str | None, dict[str, Any]]]:
    """Every protocol as (station, ballot, contest, figures), in election_day.py's order."""
    out = []
    for path, body in work(folder):
        route, _, query = path.partition("?")
        _, _, _, station, ballot, _ = route.split("/")
        contest = query.removeprefix("contest=") or None
        out.append((int(station), ballot, contest, json.loads(body)))
    return out


def groups(jobs: Sequence[Any], group: int) -> list[list[tuple[int, Any]]]:
    """The entries as the writer thread meets them: each pair types its share (first entry, second entry);
    at each step every pair sends its next entry, the odd pairs one step behind; `group` entries a
    transaction. Each entry: (0 first / 1 second, job)."""
    shares = [list(jobs[k::PAIRS]) for k in range(PAIRS)]
    typed: list[tuple[int, Any]] = []
    step = 0
    while True:
        sent = False
        for k, share in enumerate(shares):
            n = step - (k % 2)
            if 0 <= n < 2 * len(share):
                typed.append((n % 2, share[n // 2]))
                sent = True
        if not sent and step > 1:
            break
        step += 1
    return [typed[k : k + group] for k in range(0, len(typed), group)]


def open_fresh(folder: Path, url: str, *, checkpoints: bool) -> Database:
    database = open_database(url)
    with database.unit_of_work() as connection:
        definition.install(connection, definition.read_source(folder))
        tallies.prepare(connection)
    if not checkpoints:  # the log kept whole between two reads of it (--pages): no checkpointer thread
        database._checkpointing = lambda: None  # type: ignore[method-assign]
        if database._checkpoints is not None:
            database._checkpoints.close()
    return database


SERVER_STATEMENTS = ("-c shared_preload_libraries=pg_stat_statements",)
"""PostgreSQL with `--statements`: the server times each statement (`pg_stat_statements`)."""


def _server_times(database: Database, groups: int) -> dict[str, Any]:
    """PostgreSQL: the write-ahead log written and the server's time per statement, per group (since `_reset`)."""
    with database.engine.connect() as connection:
        wal = connection.exec_driver_sql("SELECT pg_current_wal_lsn() - %s::pg_lsn", (_WAL_AT[0],)).scalar_one()
        rows = connection.exec_driver_sql(
            "SELECT query, calls, total_exec_time FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 14"
        ).all()
        tables = connection.exec_driver_sql(
            "SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, pg_relation_size(relid) / 8192 "
            "FROM pg_stat_user_tables WHERE n_tup_upd + n_tup_ins > 0 ORDER BY relname"
        ).all()
    out: dict[str, Any] = {"wal_kib_a_group": round(float(wal) / 1024 / groups, 1)}
    out["tables"] = {t: f"ins {i} upd {u} hot {h} pages {n}" for t, i, u, h, n in tables}
    out["server_ms_a_group"] = {" ".join(q.split())[:70]: round(t / groups, 3) for q, _, t in rows}
    return out


def _reset(database: Database) -> None:
    with database.engine.begin() as connection:
        connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        connection.exec_driver_sql("SELECT pg_stat_statements_reset()")
        _WAL_AT[:] = [connection.exec_driver_sql("SELECT pg_current_wal_lsn()::text").scalar_one()]


_WAL_AT: list[str] = []

TICKS = os.sysconf("SC_CLK_TCK")


class ServerCPU:
    """PostgreSQL: the CPU time of the database server's processes (the writer's backend, the log writer, the
    checkpointer, ...), from `/proc`: on a 2-core machine the server's work per entry shares the cores with the
    service's, so a cut there counts as much as one in the writer thread."""

    def __init__(self, database: Database) -> None:
        with database.engine.connect() as connection:
            backend = int(connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one())
        self.postmaster = int(_stat(backend)[1])
        self.at = self._now()

    def _now(self) -> dict[int, float]:
        out: dict[int, float] = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                fields = _stat(int(entry.name))
            except OSError:  # gone meanwhile
                continue
            if int(entry.name) == self.postmaster or int(fields[1]) == self.postmaster:
                out[int(entry.name)] = (int(fields[11]) + int(fields[12])) / TICKS
        return out

    def seconds(self) -> float:
        """The server's CPU seconds since this was made (a process gone meanwhile is not counted)."""
        now = self._now()
        return sum(t - self.at.get(pid, 0.0) for pid, t in now.items())


def _stat(pid: int) -> list[str]:
    """`/proc/PID/stat`'s fields after the command's name: [state, ppid, ..., utime (11), stime (12), ...]."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


class Statements:
    """The statements the writer runs while `counting`, by their first words, and the round trips they wait for."""

    def __init__(self, database: Database) -> None:
        self.counting = False
        self.by_text: collections.Counter[str] = collections.Counter()
        self.trips = 0
        event.listen(database.engine, "before_cursor_execute", self._seen)

    def _seen(self, _connection: Any, _cursor: Any, statement: str, _parameters: Any, *_: Any) -> None:
        if not self.counting:
            return
        text = " ".join(statement.split())
        self.by_text[text[:90]] += 1
        if isinstance(_parameters, tuple) and _parameters and isinstance(_parameters[-1], list):
            self.by_text["rows of " + text[:40]] += len(_parameters[-1])
        if text[:6].upper() not in _WRITES or "RETURNING" in text.upper():
            self.trips += 1


def replay(
    folder: Path, tmp: Path, group: int, *, pages: bool, profile: cProfile.Profile | None, kind: str, statements: bool
) -> dict[str, Any]:
    """One replay of a folder into a fresh database: CPU and wall time per entry (and pages per commit)."""
    with ExitStack() as stack:
        if kind == "postgresql":
            options = SERVER_STATEMENTS if statements else ()
            url = create_database(stack.enter_context(temporary_server(*options)), "night")
        else:
            url = f"sqlite:///{tmp / 'saylau.sqlite'}"
        return _replay(folder, tmp, url, group, pages=pages, profile=profile, statements=statements)


def _replay(
    folder: Path,
    tmp: Path,
    url: str,
    group: int,
    *,
    pages: bool,
    profile: cProfile.Profile | None,
    statements: bool,
) -> dict[str, Any]:
    database = open_fresh(folder, url, checkpoints=not pages)
    counted = Statements(database) if statements else None
    server = statements and not database.is_sqlite
    if server:
        _reset(database)
    if pages:
        _checkpoint(tmp / "saylau.sqlite")
    actors = [(Actor(f"a{k}", Role.OPERATOR), Actor(f"b{k}", Role.OPERATOR)) for k in range(PAIRS)]
    chief = Actor("chief", Role.COORDINATOR)
    found = jobs_of(folder)
    index = {id(j): k % PAIRS for k, j in enumerate(found)}
    batches = groups(found, group)
    server_cpu = None if database.is_sqlite else ServerCPU(database)
    as_served()
    entries = warnings = 0
    cpu = wall = 0.0
    pages_by_name: collections.Counter[str] = collections.Counter()
    commits = 0
    for number, batch in enumerate(batches, 1):
        if pages and number % PAGES_EVERY == 0:
            commits += _wal_pages(tmp / "saylau.sqlite", pages_by_name)
        typings = [Typing(actors[index[id(job)]][which], job[0], job[1], job[3], job[2], None) for which, job in batch]
        started, started_cpu = time.perf_counter(), time.thread_time()
        if profile is not None:
            profile.enable()
        if counted is not None:
            counted.counting = True
        with database.held_unit_of_work() as connection:
            outcomes = enter_all(connection, typings)
        database.durable()  # on disk before it counts as stored, as the service's answering thread does
        if counted is not None:
            counted.counting = False
        if profile is not None:
            profile.disable()
        cpu += time.thread_time() - started_cpu
        wall += time.perf_counter() - started
        entries += len(batch)
        warnings += _accept_warned(database, chief, batch, outcomes)
    database.release_held()
    out: dict[str, Any] = {
        "entries": entries,
        "groups": len(batches),
        "warnings": warnings,
        "cpu_ms": 1000 * cpu / entries,
        "wall_ms": 1000 * wall / entries,
    }
    if server_cpu is not None:
        out["server_cpu_ms"] = 1000 * server_cpu.seconds() / entries
    if counted is not None:
        out["statements"] = {t: round(n / len(batches), 2) for t, n in counted.by_text.most_common()}
        out["statements_a_group"] = round(sum(counted.by_text.values()) / len(batches), 2)
        out["round_trips_a_group"] = round(counted.trips / len(batches) + 1, 2)  # + the commit
    if server:
        out.update(_server_times(database, len(batches)))
    if pages:
        commits += _wal_pages(tmp / "saylau.sqlite", pages_by_name)
        out["pages"] = {name: round(n / commits, 1) for name, n in pages_by_name.most_common()}
        out["pages"]["(all)"] = round(sum(pages_by_name.values()) / commits, 1)
        out["commits"] = commits
    database.close()
    return out


def as_served() -> None:
    """The collector as `saylau serve` sets it before serving (`web.app.collect_for_serving`): what exists now
    (the installed day, its definitions, the replay's own entries) frozen out of every collection, the young
    collected less often. Left as it was, the writer's groups met full collections of that heap at random,
    one side's group or the other's: interleaved, the same code's ratio jumped between 1.03x and 1.14x."""
    gc.collect()
    collect_for_serving()


def _accept_warned(database: Database, chief: Actor, batch: Sequence[Any], outcomes: Sequence[Any]) -> int:
    """Refuse a group with a refused entry; accept each protocol its second entry left with warnings, as the
    coordinator does, in a transaction of its own (not timed); how many."""
    warnings = 0
    for outcome, (which, job) in zip(outcomes, batch, strict=True):
        if isinstance(outcome, Exception):
            raise SystemExit(f"{job[:3]}: {outcome!r}")
        if which == 1 and outcome is EntryState.WARNINGS:
            with database.unit_of_work() as connection:
                accept_warnings(connection, chief, job[0], job[1], "checked against the paper", job[2])
            warnings += 1
    return warnings


def interleaved(folders: dict[str, Path], tmp: Path, group: int, kind: str = "sqlite") -> dict[str, dict[str, Any]]:
    """The day's groups and its peer's in turn in one process (`--interleave`): group k of one, then group k of
    the other (which goes first alternates), each into its own fresh database (SQLite, or with `kind`
    postgresql a server of its own for each), so that whatever the machine does meanwhile (others' work on the
    cores, their caches, the clock) falls on both alike, within milliseconds. The writer thread's CPU and wall
    time per entry of each, as `replay` gives them (and on PostgreSQL its server's CPU per entry)."""
    actors = [(Actor(f"a{k}", Role.OPERATOR), Actor(f"b{k}", Role.OPERATOR)) for k in range(PAIRS)]
    chief = Actor("chief", Role.COORDINATOR)
    sides: dict[str, tuple[Database, dict[int, int], list[list[tuple[int, Any]]]]] = {}
    with ExitStack() as stack:
        for name, folder in folders.items():
            (tmp / name).mkdir()
            found = jobs_of(folder)
            if kind == "postgresql":
                url = create_database(stack.enter_context(temporary_server()), "night")
            else:
                url = f"sqlite:///{tmp / name / 'saylau.sqlite'}"
            database = open_fresh(folder, url, checkpoints=True)
            sides[name] = (database, {id(j): k % PAIRS for k, j in enumerate(found)}, groups(found, group))
        servers = {n: ServerCPU(s[0]) for n, s in sides.items() if kind == "postgresql"}
        as_served()
        out = {
            name: {"entries": 0, "groups": len(side[2]), "warnings": 0, "cpu": 0.0, "wall": 0.0}
            for name, side in sides.items()
        }
        names = list(sides)
        for number in range(max(len(side[2]) for side in sides.values())):
            for name in names if number % 2 == 0 else names[::-1]:
                database, index, batches = sides[name]
                if number >= len(batches):
                    continue
                batch = batches[number]
                typings = [Typing(actors[index[id(job)]][w], job[0], job[1], job[3], job[2], None) for w, job in batch]
                started, started_cpu = time.perf_counter(), time.thread_time()
                with database.held_unit_of_work() as connection:
                    outcomes = enter_all(connection, typings)
                database.durable()
                out[name]["cpu"] += time.thread_time() - started_cpu
                out[name]["wall"] += time.perf_counter() - started
                out[name]["entries"] += len(batch)
                out[name]["warnings"] += _accept_warned(database, chief, batch, outcomes)
        for name, (database, _, _) in sides.items():
            found = out[name]
            if name in servers:
                found["server_cpu_ms"] = 1000 * servers[name].seconds() / found["entries"]
            database.release_held()
            database.close()
            found["cpu_ms"] = 1000 * found.pop("cpu") / found["entries"]
            found["wall_ms"] = 1000 * found.pop("wall") / found["entries"]
    return out


def _checkpoint(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


PAGES_EVERY = 100
"""Groups between two reads of the log with `--pages` (then emptied: a country's log would not fit)."""


def _wal_pages(path: Path, by_name: collections.Counter[str]) -> int:
    """Add the pages the log's commits wrote, by what each page holds (`dbstat`'s name of it), to `by_name`;
    empty the log; the commits read."""
    data = (path.parent / (path.name + "-wal")).read_bytes()
    size = struct.unpack(">I", data[8:12])[0]
    frames: list[int] = []
    commits = 0
    offset = 32
    by_page: collections.Counter[int] = collections.Counter()
    while offset + 24 + size <= len(data):
        page, after = struct.unpack(">II", data[offset : offset + 8])
        frames.append(page)
        if after:
            commits += 1
            by_page.update(frames)
            frames = []
        offset += 24 + size
    connection = sqlite3.connect(path)
    try:
        names = dict(connection.execute("SELECT pageno, name FROM dbstat"))
        busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            raise SystemExit("the log could not be emptied")
    finally:
        connection.close()
    for page, n in by_page.items():
        by_name[names.get(page, "(free or map)")] += n
    return commits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=2000)
    parser.add_argument("--group", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=1, help="replays of each, alternating; the median")
    parser.add_argument("--pages", action="store_true", help="pages written per commit, by table")
    parser.add_argument(
        "--profile",
        help="write each replay's cProfile (the writer thread's CPU time, not its waits) to this path .day and .peer",
    )
    parser.add_argument("--only", choices=("day", "peer"))
    parser.add_argument("--page-size", type=int, help="experiment: SQLite's page size for the new databases")
    parser.add_argument("--cache-mib", type=int, help="experiment: SQLite's page cache of each connection, in MiB")
    parser.add_argument("--folders", help="keep the synthesised folders here (made once, reused)")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--statements", action="store_true", help="statements and round trips a group")
    parser.add_argument(
        "--interleave", action="store_true", help="the day's groups and the peer's in turn, in one process"
    )
    args = parser.parse_args()
    if args.page_size or args.cache_mib:
        from saylau.store import database as database_module

        pragmas = database_module._sqlite_pragmas

        def sized(connection: Any, record: Any) -> None:
            if args.page_size:
                connection.execute(f"PRAGMA page_size={args.page_size}")
            pragmas(connection, record)
            if args.cache_mib:
                connection.execute(f"PRAGMA cache_size=-{1024 * args.cache_mib}")

        database_module._sqlite_pragmas = sized
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(args.folders or scratch)
        day, peer = base / f"day-{args.stations}", base / f"peer-{args.stations}"
        if not day.exists():
            synth(day, args.stations)
        if not peer.exists():
            synth_peer(peer, 4 * args.stations)
        results: dict[str, list[dict[str, Any]]] = {"peer": [], "day": []}
        for _ in range(args.rounds if args.interleave else 0):
            with tempfile.TemporaryDirectory(dir=scratch) as tmp:
                both = interleaved({"peer": peer, "day": day}, Path(tmp), args.group, args.database)
            for name, found in both.items():
                results[name].append(found)
                print(f"{name} (interleaved): " + json.dumps(found), flush=True)
        for _ in range(0 if args.interleave else args.rounds):
            for name, folder in (("peer", peer), ("day", day)):
                if args.only and name != args.only:
                    continue
                profile = cProfile.Profile(time.thread_time) if args.profile else None  # CPU, not waits
                with tempfile.TemporaryDirectory(dir=scratch) as tmp:
                    found = replay(
                        folder,
                        Path(tmp),
                        args.group,
                        pages=args.pages,
                        profile=profile,
                        kind=args.database,
                        statements=args.statements,
                    )
                if profile is not None:
                    profile.dump_stats(f"{args.profile}.{name}")
                results[name].append(found)
                print(f"{name}: " + json.dumps(found), flush=True)
    cpu = {n: statistics.median(r["cpu_ms"] for r in rs) for n, rs in results.items() if rs}
    line = ", ".join(f"{n} {v:.3f} ms CPU an entry" for n, v in cpu.items())
    if len(cpu) == 2:
        line += f"; the day over one contest of its size: {cpu['day'] / cpu['peer']:.2f}x"
    print(line)
    both = {
        n: statistics.median(r["cpu_ms"] + r.get("server_cpu_ms", 0.0) for r in rs) for n, rs in results.items() if rs
    }
    if args.database == "postgresql" and len(both) == 2:
        line = ", ".join(f"{n} {v:.3f} ms" for n, v in both.items())
        ratio = both["day"] / both["peer"]
        print(f"the writer's and the server's CPU an entry: {line}; the day over one contest: {ratio:.2f}x")


if __name__ == "__main__":
    sys.exit(main())
