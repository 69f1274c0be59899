"""Each command imports only what it uses: `saylau allocate` never loads numpy, numba, the readers or the
renderers, `saylau results` on a city's folder never loads numpy, and no command that does not simulate
loads numba (issue 14; timings in benchmarks/cli.py)."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from saylau.cli import _COMMANDS, modules_for
from saylau.io.count import OBJECT_COUNT
from tests.conftest import EXAMPLES

PROBE = """
import json, sys
sys.argv = ["saylau", *json.loads(sys.argv[1])]
from saylau.cli import main
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def loaded(*args: str) -> set[str]:
    """The modules loaded by running `saylau ARGS` in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)], capture_output=True, text=True, check=False, timeout=120
    )
    return set(json.loads(done.stderr.splitlines()[-1]))


def test_allocate_loads_neither_numpy_nor_the_readers_nor_the_renderers() -> None:
    modules = loaded("allocate", "A=100", "B=50", "--seats", "3")
    assert "saylau.apportionment.allocation" in modules
    for heavy in ("numpy", "numba", "saylau.io", "saylau.reports.pdf", "PIL", "jinja2", "saylau.tabulation"):
        assert heavy not in modules


@pytest.mark.parametrize("args", [["results", str(EXAMPLES / "almaty-2023")], ["protocols", "check", "x.csv"]])
def test_counting_commands_do_not_load_numba(args: list[str]) -> None:
    modules = loaded(*args)
    assert "saylau.cli.report" not in modules
    assert "numba" not in modules
    assert "pyarrow" not in modules  # the example's protocol files are small: the csv module splits them


def test_results_on_a_city_loads_no_numpy_and_a_national_count_does(tmp_path: Path) -> None:
    """A city's protocols (under OBJECT_COUNT bytes) are counted one by one: numpy's import alone would take
    longer than the count. Past that size the column path counts them, with numpy."""
    assert "numpy" not in loaded("results", str(EXAMPLES / "almaty-2023"))
    folder = tmp_path / "almaty"
    shutil.copytree(EXAMPLES / "almaty-2023", folder)
    shutil.copytree(EXAMPLES / "almaty-2021", tmp_path / "almaty-2021")
    padding = "\n" * (OBJECT_COUNT // 40)  # blank lines: the same protocols, in a file over the limit
    first = folder / "protocols" / "district-01.csv"
    first.write_text(first.read_text(encoding="utf-8") + padding * 40, encoding="utf-8")
    assert "numpy" in loaded("results", str(folder))
    small, large = (
        subprocess.run([sys.executable, "-m", "saylau", "results", str(f)], capture_output=True, text=True, check=True)
        for f in (EXAMPLES / "almaty-2023", folder)
    )
    assert small.stdout == large.stdout  # the same count, seats and deputies either way


def test_help_and_unknown_commands_see_every_command() -> None:
    assert modules_for(["allocate", "--seats", "3"]) == ["saylau.cli.allocate"]
    assert modules_for(["--help"]) == modules_for(["nonsense"])
    assert len(modules_for([])) > 1


def test_allocate_does_not_load_typer_pydantic_or_babel() -> None:
    modules = loaded("allocate", "A=100", "B=50", "--seats", "3")
    for heavy in ("typer", "pydantic", "babel", "numpy"):
        assert heavy not in modules
    assert "typer" in loaded("allocate", "A=100", "--seats", "3", "--seats", "4")  # typer says what is wrong


@pytest.mark.parametrize(
    "args",
    [
        ["results", str(EXAMPLES / "almaty-2023")],
        ["results", str(EXAMPLES / "almaty-2023"), "--json"],
        ["results", "--lang=ru", str(EXAMPLES / "almaty-2023")],
        ["results", str(EXAMPLES / "no-such-folder")],
    ],
)
def test_results_without_typer_prints_the_typer_commands_bytes(args: list[str]) -> None:
    """`saylau results FOLDER` runs without typer (start-up); the typer command prints the same bytes."""
    from typer.testing import CliRunner

    from saylau.cli.app import app
    from saylau.cli.quick import arguments

    importlib.import_module("saylau.cli.results")  # registers the command
    assert arguments(args) is not None
    fast = subprocess.run([sys.executable, "-m", "saylau", *args], capture_output=True, text=True, check=False)
    typed = CliRunner().invoke(app, args)
    assert (fast.returncode, fast.stdout, fast.stderr) == (typed.exit_code, typed.stdout, typed.stderr)
    assert "typer" not in loaded(*args)


@pytest.mark.parametrize(
    "args", [["results"], ["results", "a", "b"], ["results", "a", "--help"], ["results", ""], ["results", "a", "-x"]]
)
def test_unusual_results_command_lines_are_left_to_typer(args: list[str]) -> None:
    from saylau.cli.quick import arguments

    assert arguments(args) is None


LAZY_HELP = """
import sys
sys.argv = ["saylau", "--help"]
from saylau.cli import main
main()
"""
EAGER_HELP = """
import importlib, sys
from saylau.cli import _COMMANDS
for module in _COMMANDS:
    importlib.import_module(module)
from saylau.cli.app import app
sys.argv = ["saylau", "--help"]
app()
"""


def test_help_lists_the_commands_as_their_modules_would_without_importing_one() -> None:
    """`saylau --help` reads the commands' names and help from their modules' source (`saylau.cli.outline`):
    its text is the one typer prints with every command module imported, and none of them is imported."""
    width = {**os.environ, "COLUMNS": "100"}
    lazy = subprocess.run([sys.executable, "-c", LAZY_HELP], capture_output=True, text=True, env=width)
    eager = subprocess.run([sys.executable, "-c", EAGER_HELP], capture_output=True, text=True, env=width)
    assert (lazy.returncode, lazy.stdout) == (eager.returncode, eager.stdout) == (0, eager.stdout)
    for command in ("results", "allocate", "forensics", "observe", "import", "users", "publish", "registration"):
        assert f" {command} " in lazy.stdout
    modules = loaded("--help")
    assert not modules & set(_COMMANDS) and "numpy" not in modules and "saylau.io" not in modules
