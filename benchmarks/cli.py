"""Start-up of the commands people type most, wall time of a fresh process each, against bare Python.

    .venv/bin/python benchmarks/cli.py [--rounds 9]

Why: `saylau allocate A=100 B=50 --seats 3` should answer at once; each command imports only what it uses
(see `saylau.cli`), and `saylau --help` lists the commands without importing any of them
(`saylau.cli.outline`). Interleaved rounds, medians. Two floors: `python -c pass`, which nobody can beat, and
Python defining one pydantic model and importing rich's tables, the libraries `saylau results` is built on
(its rules are pydantic models, and the first model loads pydantic's schema machinery and plugin loader).
The package's bytecode is compiled first, as `pip install` leaves it: an editable checkout run with
PYTHONDONTWRITEBYTECODE would otherwise compile every module on every start.
"""

from __future__ import annotations

import argparse
import compileall
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAYLAU = str(Path(sys.executable).parent / "saylau")
FLOOR = """
import rich.console, rich.table
from pydantic import BaseModel
class Rules(BaseModel):
    seats: int
"""
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "python: a pydantic model, rich tables": [sys.executable, "-c", FLOOR],
    "saylau allocate A=100 B=50 --seats 3": [SAYLAU, "allocate", "A=100", "B=50", "--seats", "3"],
    "saylau results examples/almaty-2023": [SAYLAU, "results", str(ROOT / "examples" / "almaty-2023")],
    "saylau protocols check examples/almaty-2023": [SAYLAU, "protocols", "check", str(ROOT / "examples/almaty-2023")],
    "saylau --help": [SAYLAU, "--help"],
}


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    rounds = parser.parse_args().rounds
    import saylau

    compileall.compile_dir(Path(saylau.__file__).parent, quiet=1)
    times: dict[str, list[float]] = {label: [] for label in COMMANDS}
    for command in COMMANDS.values():  # warm the file cache and the bytecode
        wall(command)
    for _ in range(rounds):
        for label, command in COMMANDS.items():
            times[label].append(wall(command))
    print(f"start-up, median of {rounds} interleaved rounds:")
    for label, runs in times.items():
        print(f"  {label:<46} {statistics.median(runs):6.3f} s")
    allocate = statistics.median(times["saylau allocate A=100 B=50 --seats 3"])
    results = statistics.median(times["saylau results examples/almaty-2023"])
    helped = statistics.median(times["saylau --help"])
    print(f"cli start-up: allocate {allocate:.2f} s, results {results:.2f} s, --help {helped:.2f} s")


if __name__ == "__main__":
    main()
