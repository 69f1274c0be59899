"""Every command at a country's size, beside `saylau results` on the same folder: wall time and peak memory.

    .venv/bin/python benchmarks/scale.py [--stations 1000000] [--districts 21] [--timeout 600] [--only nist,project]
    .venv/bin/python benchmarks/scale.py --day --stations 10146 [--only nist]

Why (issue 25): `results` reads a national count through the column reader in about two seconds, and every
other command that reads the same protocols (each report format, `project`, `protocols check`, `forensics`)
should stay within 3x of it and under 2 GB. This writes an election folder with `saylau synth` (not timed),
then runs each command once in a fresh process, `saylau results` first, and prints its wall time, its peak
resident memory (the child's maximum RSS) and its ratio to `results`. A command that fails or runs past
`--timeout` is printed as such (the figures then say how far it got), and the others still run.

`--day` writes an election day instead (`saylau synth --day`: the Majilis and every regional maslihat on
one register) and runs the commands that take a whole day: `results` and the day's report formats, and
each one-contest format on the Majilis (`--contest majilis`).

Not here: `replay` and the service, which need a running server (benchmarks/service.py and
benchmarks/election_day_offline.py time those), and `observe`, which needs observers' copies.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(sys.executable).parent
SAYLAU = str(HERE / "saylau")
FORMATS = ("text", "markdown", "wikitext", "csv", "json", "html", "nist", "pdf", "svg", "png")
DAY_FORMATS = ("text", "markdown", "json", "nist")
"""The formats `saylau report DAY` writes for every contest of a day at once."""
DAY_CONTEST = "majilis"
"""The contest a one-contest format reports on a day (`--contest`): the one every station counts."""
AIM_RATIO = 3.0
AIM_MIB = 2048


def commands(folder: Path, out: Path, day: bool = False) -> dict[str, list[str]]:
    """Every command that reads the folder's protocols, by the name printed (a day folder: those that take
    every contest of the day at once)."""
    found = {"results": [SAYLAU, "results", str(folder)]}
    if day:
        for fmt in DAY_FORMATS:
            found[f"report --format {fmt}"] = [SAYLAU, "report", str(folder), "-f", fmt, "-o", str(out / f"day.{fmt}")]
        for fmt in FORMATS:  # the one-contest formats: the day's largest contest
            if fmt not in DAY_FORMATS:
                where = ["-o", str(out / f"{DAY_CONTEST}.{fmt}"), "--contest", DAY_CONTEST]
                found[f"report --format {fmt} --contest"] = [SAYLAU, "report", str(folder), "-f", fmt, *where]
        return found
    for fmt in FORMATS:
        found[f"report --format {fmt}"] = [SAYLAU, "report", str(folder), "-f", fmt, "-o", str(out / f"report.{fmt}")]
    found["project"] = [SAYLAU, "project", str(folder), "--json"]
    found["protocols check"] = [SAYLAU, "protocols", "check", str(folder)]
    found["forensics"] = [SAYLAU, "forensics", str(folder)]
    return found


def dated(toml: Path) -> None:
    """Give the synthetic election a polling day (the NIST export needs one): a top-level key, before tables."""
    lines = toml.read_text(encoding="utf-8").splitlines(keepends=True)
    if not any(line.startswith("date") for line in lines):
        at = next(i for i, line in enumerate(lines) if line.startswith("name")) + 1
        toml.write_text("".join([*lines[:at], "date = 2026-03-15\n", *lines[at:]]), encoding="utf-8")


def timed(command: list[str], timeout: float) -> tuple[float, float, str]:
    """(wall seconds, peak resident MiB, outcome) of one child process; outcome "" when it succeeded."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            os.killpg(child.pid, signal.SIGKILL)
            _, status, usage = os.wait4(child.pid, 0)
            return time.perf_counter() - start, usage.ru_maxrss / 1024, f"killed after {timeout:.0f} s"
        time.sleep(0.02)
    wall = time.perf_counter() - start
    outcome = ""
    if os.waitstatus_to_exitcode(status) != 0:
        tail = (child.stderr.read().decode(errors="replace") if child.stderr else "").strip().splitlines()
        outcome = f"exit {os.waitstatus_to_exitcode(status)}: {tail[-1][:80] if tail else ''}"
    return wall, usage.ru_maxrss / 1024, outcome  # KiB on Linux


def _named(name: str, chosen: set[str]) -> bool:
    """Whether `--only` names the command: in full (`report --format nist`) or by its last word that is not
    an option (`nist`)."""
    return name in chosen or [word for word in name.split() if not word.startswith("-")][-1] in chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=1_000_000)
    parser.add_argument("--districts", type=int, default=21)
    parser.add_argument("--parties", type=int, default=6)
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds before a command is killed")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated names (or last words: nist,pdf) to run beside results (default: all)",
    )
    parser.add_argument("--folder", type=Path, help="use (or write) the election here instead of a temporary folder")
    parser.add_argument(
        "--day",
        action="store_true",
        help="an election day of Kazakhstan's shape (saylau synth --day: the Majilis and every regional maslihat)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.folder or Path(tmp) / "election"
        if not (folder / ("day.toml" if args.day else "protocols")).exists():
            start = time.perf_counter()
            synth = [SAYLAU, "synth", str(folder), "--seed", "25", "--stations", str(args.stations)]
            if args.day:
                synth += ["--day"]
            else:
                synth += ["--districts", str(args.districts), "--parties", str(args.parties), "--previous"]
            subprocess.run(synth, check=True, stdout=subprocess.DEVNULL)
            print(f"saylau synth: {args.stations:,} stations in {time.perf_counter() - start:.1f} s (not timed below)")
            if not args.day:
                dated(folder / "election.toml")
        size = sum(p.stat().st_size for p in folder.glob("**/protocols/*.csv"))
        shape = "a day's contests" if args.day else f"{args.districts} districts"
        print(f"protocols: {size / 2**20:,.0f} MiB of CSV, {shape}; one run each, fresh process")
        print(f"load average (1 min) before: {os.getloadavg()[0]:.2f}; {os.cpu_count()} cores")
        chosen = {name for name in args.only.split(",") if name}
        todo = {
            k: v
            for k, v in commands(folder, Path(tmp), args.day).items()
            if k == "results" or not chosen or _named(k, chosen)
        }
        base = None
        worst = 0.0
        for name, command in todo.items():
            wall, peak, outcome = timed(command, args.timeout)
            base = base or wall
            ratio = wall / base
            worst = max(worst, ratio) if not outcome else float("inf")
            flag = "" if ratio <= AIM_RATIO and peak <= AIM_MIB and not outcome else "  <- over the aim"
            print(f"  {name:<28} {wall:8.2f} s {peak:8,.0f} MiB peak {ratio:6.1f}x results{flag} {outcome}")
        print(f"load average (1 min) after: {os.getloadavg()[0]:.2f}")
        aim = f"aim {AIM_RATIO:.0f}x, {AIM_MIB:,} MiB"
        print(f"scale: {args.stations:,} stations, worst command {worst:.1f}x results ({aim})")


if __name__ == "__main__":
    main()
