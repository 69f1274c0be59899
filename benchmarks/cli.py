"""Start-up of the commands people type most, wall time of a fresh process each, against bare Python.

    .venv/bin/python benchmarks/cli.py [--rounds 9] [--against OTHER/src]

Why: `saylau allocate A=100 B=50 --seats 3` should answer at once; each command imports only what it uses
(see `saylau.cli`). Interleaved rounds, medians. Two floors: `python -c pass`, which nobody can beat, and
Python defining one pydantic model and importing rich's tables, the libraries `saylau results` is built on
(its rules are pydantic models, and the first model loads pydantic's schema machinery and plugin loader).
The package's bytecode is compiled first, as `pip install` leaves it: an editable checkout run with
PYTHONDONTWRITEBYTECODE would otherwise compile every module on every start.

A help page is printed by typer the first time it is asked for and kept (`saylau.cli.pages`); the warm-up
round keeps each page, as a user's first `--help` does, and the rounds time the page printed again. Three
help rows, because they cost different things without the kept page: `saylau --help` (typer and rich, the
commands read from their source by `saylau.cli.outline`), `saylau --help --lang kk` (the same, and the
Kazakh catalogue read: a kk or ru page cost 0.05 s more than English) and `saylau results --help` (the
command's module imported). The two `typer (nothing kept)` rows are the list of commands in English and in
Kazakh with nothing kept (`SAYLAU_HELP_CACHE` naming a folder that cannot be made): the first call after an
install or an edit, and every call where the package's folder cannot be written. The Kazakh one reads its
catalogue as babel parsed it before (`saylau.reports.i18n.parsed`), as every kk and ru command does.

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

CACHE = "SAYLAU_HELP_CACHE"
"""Where `saylau.cli.pages` keeps the help pages (the benchmark imports no saylau module before compiling)."""

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
    "saylau --help --lang kk": [SAYLAU, "--help", "--lang", "kk"],
    "saylau results --help": [SAYLAU, "results", "--help"],
    "saylau --help, typer (nothing kept)": [SAYLAU, "--help"],
    "saylau --help --lang kk, typer (nothing kept)": [SAYLAU, "--help", "--lang", "kk"],
}
NOT_KEPT = "saylau --help, typer (nothing kept)"
KK_NOT_KEPT = "saylau --help --lang kk, typer (nothing kept)"


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
    runs: dict[str, tuple[list[str], dict[str, str] | None]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        blocked = Path(scratch) / "a-file"
        blocked.write_text("", encoding="utf-8")
        nowhere = {**os.environ, CACHE: str(blocked / "x")}
        for label, command in COMMANDS.items():
            runs[label] = command, nowhere if label in (NOT_KEPT, KK_NOT_KEPT) else None
            if against is not None and command[0] == SAYLAU:
                runs[f"{label} @against"] = command, {**(runs[label][1] or os.environ), "PYTHONPATH": str(against)}
        times: dict[str, list[float]] = {label: [] for label in runs}
        for command, env in runs.values():  # warm the file cache and the bytecode; keep each help page
            wall(command, env)
        for _ in range(rounds):
            for label, (command, env) in runs.items():
                times[label].append(wall(command, env))
    median = {label: statistics.median(each) for label, each in times.items()}
    print(f"start-up, median of {rounds} interleaved rounds" + (f" (against {against})" if against else "") + ":")
    for label in COMMANDS:
        peer = median.get(f"{label} @against")
        beside = f"  against {peer:6.3f} s  {median[label] / peer:5.2f}x" if peer is not None else ""
        print(f"  {label:<46} {median[label]:6.3f} s{beside}")
    allocate = median["saylau allocate A=100 B=50 --seats 3"]
    results = median["saylau results examples/almaty-2023"]
    print(
        f"cli start-up: allocate {allocate:.2f} s, results {results:.2f} s, --help {median['saylau --help']:.2f} s"
        f" (kk {median['saylau --help --lang kk']:.2f} s; typer, nothing kept, {median[NOT_KEPT]:.2f} s,"
        f" kk {median[KK_NOT_KEPT]:.2f} s)"
    )


if __name__ == "__main__":
    main()
