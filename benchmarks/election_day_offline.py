"""`saylau results DAY` on a day of Kazakhstan's 2023 shape, beside the same contests run one by one.

    .venv/bin/python benchmarks/election_day_offline.py [--stations 10146] [--rounds 3] [--folder DIR]

Why: a territorial commission's night is many contests at the same stations (issue 22); declaring the whole
day should cost about what declaring its contests one at a time costs today (aim: within 1.5x of their sum),
not more for the day's register, its checks and its commission tree.

What it does: writes a day with `saylau synth --day` (the Mäjilis at every station and each region's mäslihat
at the region's: 21 contests, about 40,000 protocols; not timed), copies each contest into a folder of its
own with its station register (`stations.csv` from the day's: what a contest folder is today; not timed), then
in interleaved rounds times
  saylau results DAY            one fresh process: the day's register and tree checked, every contest
                                counted and declared, every contest's tables printed;
  one by one (sum)              `saylau results CONTEST` in a fresh process for each contest, summed;
  library, day                  `load_day` + `declare_day` in one fresh process (no tables printed);
  library, one by one           `load_election` + `declare` of each contest folder in turn, in one fresh
                                process: the contests' own cost without 21 start-ups, so the ratio of the
                                two library figures is what the day adds (register, checks, tree).
Each figure is the median of the rounds. The load average says how busy the machine was. The last line is
the ratio of the day to the sum of its contests.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(sys.executable).parent


LIBRARY_DAY = """
import sys
from pathlib import Path
from saylau.io.day import load_day
from saylau.result_day import declare_day
declare_day(load_day(Path(sys.argv[1])))
"""

LIBRARY_ONE_BY_ONE = """
import sys
from pathlib import Path
from saylau.io import load_election
from saylau.result import declare
for folder in sys.argv[1:]:
    declare(load_election(Path(folder)))
"""


def timed(command: list[str]) -> float:
    """Wall seconds of one child process (which must succeed)."""
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:3])} failed: {done.stderr.decode()[-2000:]}")
    return time.perf_counter() - start


def standalone(day: Path, target: Path) -> list[Path]:
    """Each contest of the day as a folder of its own, with its register as stations.csv."""
    with (day / "stations.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    folders = []
    for contest in sorted(p for p in day.iterdir() if (p / "election.toml").is_file()):
        folder = target / contest.name
        shutil.copytree(contest, folder)
        column = f"district:{contest.name}"
        with (folder / "stations.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["station", "district", "registered"])
            writer.writerows([r["station"], r[column], r["registered"]] for r in rows if r.get(column))
        folders.append(folder)
    return folders


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=10_146)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--folder", type=Path, help="use (or write) the day here instead of a temporary folder")
    args = parser.parse_args()
    saylau = str(HERE / "saylau")
    with tempfile.TemporaryDirectory() as tmp:
        day = args.folder or Path(tmp) / "day"
        if not (day / "day.toml").is_file():
            start = time.perf_counter()
            command = [saylau, "synth", str(day), "--day", "--seed", "22", "--stations", str(args.stations)]
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            print(f"saylau synth --day: {args.stations:,} stations in {time.perf_counter() - start:.1f} s (not timed)")
        contests = standalone(day, Path(tmp) / "alone")
        protocols = sum(sum(1 for _ in (c / "protocols" / "all.csv").open(encoding="utf-8")) - 1 for c in contests)
        print(f"{len(contests)} contests, {protocols:,} protocols; {args.rounds} interleaved rounds, medians")
        whole: list[float] = []
        alone: list[float] = []
        library_day: list[float] = []
        library_alone: list[float] = []
        each: dict[str, list[float]] = {c.name: [] for c in contests}
        before = os.getloadavg()[0]
        for _ in range(args.rounds):
            whole.append(timed([saylau, "results", str(day)]))
            for folder in contests:
                each[folder.name].append(timed([saylau, "results", str(folder)]))
            alone.append(sum(each[c.name][-1] for c in contests))
            library_day.append(timed([sys.executable, "-c", LIBRARY_DAY, str(day)]))
            library_alone.append(timed([sys.executable, "-c", LIBRARY_ONE_BY_ONE, *map(str, contests)]))
    print(f"load average (1 min): {before:.2f} before, {os.getloadavg()[0]:.2f} after; {os.cpu_count()} cores")
    day_s, sum_s = statistics.median(whole), statistics.median(alone)
    largest = max(each, key=lambda name: statistics.median(each[name]))
    print(f"  {'saylau results DAY':<40} {day_s:8.2f} s")
    print(f"  {'one by one (sum of ' + str(len(contests)) + ' processes)':<40} {sum_s:8.2f} s")
    print(f"  {'  of which the slowest, ' + largest:<40} {statistics.median(each[largest]):8.2f} s")
    lib_day, lib_alone = statistics.median(library_day), statistics.median(library_alone)
    print(f"  {'library: load_day + declare_day':<40} {lib_day:8.2f} s")
    print(f"  {'library: each contest in turn, 1 process':<40} {lib_alone:8.2f} s")
    print(f"library, the day over its contests in turn: {lib_day / lib_alone:.2f}x")
    print(f"election day over its contests one by one: {day_s / sum_s:.2f}x (aim: at most 1.5x)")


if __name__ == "__main__":
    main()
