"""The first `saylau --help` imports neither `rich.markdown` nor `rich.traceback` (`saylau.cli.lean`), and prints
what typer prints with both imported; what stands in for them is rich's own the moment it is used."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = """
import json, sys
before, args = json.loads(sys.argv[1]), json.loads(sys.argv[2])
for module in before:
    __import__(module)
sys.argv = ["saylau", *args]
from saylau.cli import main
try:
    main()
finally:
    heavy = sorted(m for m in sys.modules if m.startswith(("markdown_it", "rich.markdown", "rich.traceback")))
    print("\\n" + json.dumps(heavy), file=sys.__stderr__)
"""
"""`saylau ARGS` in a fresh interpreter that first imports `before`; the rich modules it loaded, last."""


def saylau(args: list[str], before: list[str], cache: Path) -> tuple[int, str, str, list[str]]:
    environ = {**os.environ, "SAYLAU_LANG": "", "COLUMNS": "100", "SAYLAU_CACHE": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(before), json.dumps(args)],
        capture_output=True,
        text=True,
        check=False,
        env=environ,
        timeout=120,
    )
    said, heavy, _ = done.stderr.rsplit("\n", 2)
    return done.returncode, done.stdout, said, json.loads(heavy)


@pytest.mark.parametrize(
    "args",
    [["--help"], ["--help", "--lang", "ru"], ["results", "--help", "--lang", "kk"], ["nonsense", "--help"], []],
)
def test_a_first_help_without_markdown_and_traceback_is_typers(tmp_path: Path, args: list[str]) -> None:
    lean = saylau(args, [], tmp_path / "lean")
    typer_own = saylau(args, ["rich.markdown", "rich.traceback"], tmp_path / "typer")
    assert lean[:3] == typer_own[:3] and (lean[1] or lean[2])
    assert lean[3] == [] and "rich.markdown" in typer_own[3]


STAND_INS = """
import sys
from saylau.cli.lean import lean
lean()
from typer import rich_utils
assert "rich.markdown" not in sys.modules and "rich.traceback" not in sys.modules
made = rich_utils.Markdown("*x*", style="bold")  # rich's own, imported now
import rich.markdown, rich.traceback
assert type(made) is rich.markdown.Markdown and isinstance(made, rich_utils.Markdown)
assert rich_utils.Traceback.from_exception.__func__ is rich.traceback.Traceback.from_exception.__func__
assert issubclass(rich.traceback.Traceback, rich_utils.Traceback)
assert not getattr(sys.modules["rich.markdown"], "_stands_in", False)
print("ok")
"""


def test_what_stands_in_is_richs_own_once_used() -> None:
    done = subprocess.run([sys.executable, "-c", STAND_INS], capture_output=True, text=True, check=False, timeout=120)
    assert (done.returncode, done.stdout.strip()) == (0, "ok"), done.stderr


def test_a_module_already_imported_is_not_stood_in_for() -> None:
    script = "import sys, rich.markdown\nfrom saylau.cli.lean import lean\nlean()\nfrom typer import rich_utils\n"
    script += "assert rich_utils.Markdown is rich.markdown.Markdown\nprint('ok')"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=120)
    assert (done.returncode, done.stdout.strip()) == (0, "ok"), done.stderr
