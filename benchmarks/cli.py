"""Start-up of the commands people type most, wall time of a fresh process each, against bare Python.

    .venv/bin/python benchmarks/cli.py [--rounds 9] [--against OTHER/src]

Why: `saylau allocate A=100 B=50 --seats 3` should answer at once; each command imports only what it uses
(see `saylau.cli`). Interleaved rounds, medians. Two floors: `python -c pass`, which nobody can beat, and
Python defining one pydantic model and importing rich's tables, the libraries `saylau results` is built on
(its rules are pydantic models, and the first model loads pydantic's schema machinery and plugin loader).
The package's bytecode is compiled first, as `pip install` leaves it: an editable checkout run with
PYTHONDONTWRITEBYTECODE would otherwise compile every module on every start.

Each help row twice, because a help page is printed by typer the first time it is asked for and kept
(`saylau.cli.pages`), then printed again from what was kept: `(first time)` runs with a fresh empty
`SAYLAU_CACHE` folder for every call (no kept page, no kept list of commands, no parsed catalogue: the first
call after an install or an edit), `(kept page)` with one folder the warm-up round filled, as a user's first
`--help` does. Three pages, because they cost different things the first time: `saylau --help` (typer and
rich, the commands read from their source by `saylau.cli.outline`), `saylau --help --lang kk` (the same, and
the Kazakh catalogue parsed: a kk or ru page cost 0.05 s more than English) and `saylau results --help` (the
command's module imported).

`--against SRC` runs every saylau row from another checkout's sources too (put first on PYTHONPATH),
interleaved in the same rounds, and prints it beside with the ratio: a change's before and after on one
machine at one load.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CACHE = "SAYLAU_CACHE"
"""Where saylau keeps its help pages (`saylau.cli.pages`; the benchmark imports no saylau module before compiling)."""
FIRST, KEPT = " (first time)", " (kept page)"
"""The two ways each help row runs (see the docstring)."""

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
}
HELPS = {
    "saylau --help": [SAYLAU, "--help"],
    "saylau --help --lang kk": [SAYLAU, "--help", "--lang", "kk"],
    "saylau results --help": [SAYLAU, "results", "--help"],
}
COMMANDS |= {f"{label}{way}": command for label in HELPS for way in (FIRST, KEPT) for command in [HELPS[label]]}


def wall(command: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument(
        "--against",
        type=Path,
        metavar="SRC",
        help="another checkout's src folder (`git archive main src | tar -x -C /tmp/main`, then /tmp/main/src):"
        " each saylau row runs from it too, in the same rounds, and is printed beside with the ratio",
    )
    options = parser.parse_args()
    rounds, against = options.rounds, options.against
    import saylau

    compileall.compile_dir(Path(saylau.__file__).parent, quiet=1)
    if against is not None:
        compileall.compile_dir(against / "saylau", quiet=1)
    runs: dict[str, tuple[list[str], dict[str, str]]] = {label: (command, {}) for label, command in COMMANDS.items()}
    if against is not None:
        runs |= {
            f"{label} @against": (c, {"PYTHONPATH": str(against)}) for label, c in COMMANDS.items() if c[0] == SAYLAU
        }
    times: dict[str, list[float]] = {label: [] for label in runs}
    with tempfile.TemporaryDirectory() as scratch:

        def environment(label: str, extra: dict[str, str]) -> dict[str, str] | None:
            """The row's environment: a fresh empty SAYLAU_CACHE for a first time, the one kept for a kept page."""
            if FIRST in label:
                return {**os.environ, **extra, CACHE: tempfile.mkdtemp(dir=scratch)}
            if KEPT in label:
                return {**os.environ, **extra, CACHE: str(Path(scratch) / "kept")}
            return {**os.environ, **extra} if extra else None

        for label, (command, extra) in runs.items():  # warm the file cache and the bytecode; keep each page
            wall(command, environment(label, extra))
        for _ in range(rounds):
            for label, (command, extra) in runs.items():
                times[label].append(wall(command, environment(label, extra)))
    median = {label: statistics.median(each) for label, each in times.items()}
    print(f"start-up, median of {rounds} interleaved rounds" + (f" (against {against})" if against else "") + ":")
    for label in COMMANDS:
        peer = median.get(f"{label} @against")
        beside = f"  against {peer:6.3f} s  {median[label] / peer:5.2f}x" if peer is not None else ""
        print(f"  {label:<50} {median[label]:6.3f} s{beside}")
    allocate = median["saylau allocate A=100 B=50 --seats 3"]
    results = median["saylau results examples/almaty-2023"]
    helps = ", ".join(
        f"{label.removeprefix('saylau ')} {median[label + FIRST]:.2f} s / {median[label + KEPT]:.2f} s"
        for label in HELPS
    )
    print(f"cli start-up: allocate {allocate:.2f} s, results {results:.2f} s; first time / kept page: {helps}")


if __name__ == "__main__":
    main()
