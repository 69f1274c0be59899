"""Start-up of the commands people type most, wall time of a fresh process each, against bare Python.

    .venv/bin/python benchmarks/cli.py [--rounds 9]

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
    rounds = parser.parse_args().rounds
    import saylau

    compileall.compile_dir(Path(saylau.__file__).parent, quiet=1)
    times: dict[str, list[float]] = {label: [] for label in COMMANDS}
    with tempfile.TemporaryDirectory() as scratch:
        blocked = Path(scratch) / "a-file"
        blocked.write_text("", encoding="utf-8")
        nowhere = {**os.environ, CACHE: str(blocked / "x")}
        environments = {label: None for label in COMMANDS} | {NOT_KEPT: nowhere, KK_NOT_KEPT: nowhere}
        for label, command in COMMANDS.items():  # warm the file cache and the bytecode; keep each help page
            wall(command, environments[label])
        for _ in range(rounds):
            for label, command in COMMANDS.items():
                times[label].append(wall(command, environments[label]))
    print(f"start-up, median of {rounds} interleaved rounds:")
    for label, runs in times.items():
        print(f"  {label:<46} {statistics.median(runs):6.3f} s")
    allocate = statistics.median(times["saylau allocate A=100 B=50 --seats 3"])
    results = statistics.median(times["saylau results examples/almaty-2023"])
    helped = statistics.median(times["saylau --help"])
    kazakh = statistics.median(times["saylau --help --lang kk"])
    typer = statistics.median(times[NOT_KEPT])
    typer_kazakh = statistics.median(times[KK_NOT_KEPT])
    print(
        f"cli start-up: allocate {allocate:.2f} s, results {results:.2f} s, --help {helped:.2f} s"
        f" (kk {kazakh:.2f} s; typer, nothing kept, {typer:.2f} s, kk {typer_kazakh:.2f} s)"
    )


if __name__ == "__main__":
    main()
