"""What a publisher's file creations cost a database's syncs on the same file system, apart from its CPU.

    .venv/bin/python benchmarks/publish_journal.py [--seconds 12] [--beside DIR]

Why (issue 22, readers of the published files on one box): a folder target on the database's own file system
shares one journal with its commits, and a version creates tens of thousands of files (at 10,146 stations with
30 s of a saturated night behind it, about 54,000: docs/publishing.md); on ext4 a sync that must commit the
journal writes out whatever metadata was made meanwhile. A database's log sync is an `fdatasync` of a file that
grows (SQLite's WAL between two checkpoints), so this times that: a 32 KiB append and its `fdatasync` every 5 ms
for `--seconds`, alone, then beside a process creating 3 KB files (a station's page) as fast as it can on the same
file system, then beside the same on `--beside` (another file system: /dev/shm), then alone again. Printed for
each: the syncs, p50, p99 and the slowest, and the files made meanwhile. The storm is one process, so on a box with
a core to spare it costs the syncs its file system's work, not their CPU.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STORM = """
import os, signal, sys
stop = []
signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
body, made = b"x" * 3000, 0
while not stop:
    folder = os.path.join(sys.argv[1], f"d{made // 2000}")
    os.makedirs(folder, exist_ok=True)
    handle = os.open(os.path.join(folder, f"{made}.html"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.write(handle, body)
    os.close(handle)
    made += 1
print(made)
"""


def syncs(label: str, here: Path, seconds: float, storm_in: Path | None = None) -> None:
    """Time appends and their `fdatasync` for `seconds` in a file under `here`, beside a storm in `storm_in`."""
    with tempfile.TemporaryDirectory(dir=here) as tmp, tempfile.TemporaryDirectory(dir=storm_in or here) as files:
        storm = None
        if storm_in is not None:
            storm = subprocess.Popen([sys.executable, "-c", STORM, files], stdout=subprocess.PIPE)
            time.sleep(1.0)
        handle = os.open(Path(tmp) / "log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        frame, took = b"y" * 32768, []
        ends = time.monotonic() + seconds
        while time.monotonic() < ends:
            os.write(handle, frame)
            started = time.perf_counter()
            os.fdatasync(handle)
            took.append(time.perf_counter() - started)
            time.sleep(0.005)
        os.close(handle)
        made = "0"
        if storm is not None:
            storm.terminate()
            made = storm.communicate()[0].decode().strip()
    cuts = statistics.quantiles(took, n=100)
    print(
        f"{label}: {len(took):,} syncs, p50 {cuts[49] * 1000:.2f} ms, p99 {cuts[98] * 1000:.2f} ms, slowest "
        f"{max(took) * 1000:.1f} ms; {int(made):,} files made meanwhile",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=12.0)
    parser.add_argument("--here", type=Path, default=Path(tempfile.gettempdir()), help="The database's file system.")
    parser.add_argument("--beside", type=Path, default=Path("/dev/shm"), help="Another file system.")
    args = parser.parse_args()
    syncs("alone", args.here, args.seconds)
    syncs("beside file creations on the same file system", args.here, args.seconds, args.here)
    syncs(f"beside file creations on {args.beside}", args.here, args.seconds, args.beside)
    syncs("alone again", args.here, args.seconds)


if __name__ == "__main__":
    main()
