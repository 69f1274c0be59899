"""`saylau allocate`: seats and the explanation, JSON, and one-line errors with exit status 2."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest

ALMATY = ["Amanat=151531", "QHP=38563", "Respublica=38369", "Baytaq=23266", "Aq Jol=15273", "Auyl=8264"]


def saylau(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "saylau", "allocate", *args], capture_output=True, text=True, check=False
    )


def test_almaty_table_and_explanation() -> None:
    done = saylau(*ALMATY, "--seats", "21", "--threshold", "5%", "--against-all", "16490", "--min-admitted", "2")
    assert done.returncode == 0, done.stderr
    assert "Quota from the admitted lists' votes" in done.stdout
    assert "Result: Amanat 12, QHP 3, Respublica 3, Baytaq 2, Aq Jol 1, Auyl 0." in done.stdout


def test_json_maps_every_name() -> None:
    done = saylau(*ALMATY, "--seats", "21", "--threshold", "5", "--against-all", "16490", "--json")
    data = json.loads(done.stdout)
    assert data["seats"] == {"Amanat": 12, "QHP": 3, "Respublica": 3, "Baytaq": 2, "Aq Jol": 1, "Auyl": 0}
    assert data["quota"]["exact"] == "267002/21"


def test_method_tie_and_seed_options() -> None:
    done = saylau("A=10", "B=10", "--seats", "1", "--method", "dhondt", "--tie", "lot", "--seed", "7", "--json")
    data = json.loads(done.stdout)
    assert data["seed"] == 7 and data["ties"][0]["rule"] == "lot"
    again = json.loads(
        saylau("A=10", "B=10", "--seats", "1", "--method", "dhondt", "--tie", "lot", "--seed", "7", "--json").stdout
    )
    assert again["seats"] == data["seats"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["A=5", "B=3", "--seats", "2", "--method", "foo"], "unknown method 'foo'"),
        (["A=-5", "B=3", "--seats", "2"], "negative votes"),
        (["A=5", "B=3", "--seats", "0"], "seats must be from 1 to 10,000"),
        (["A=5", "A=3", "--seats", "2"], "appears twice"),
        (["A5", "--seats", "2"], "is not NAME=VOTES"),
        (["A=5", "--seats", "2", "--threshold", "five"], "is not a percentage"),
        (["A=5", "--seats", "2", "--tie", "coin"], "unknown tie"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str], message: str) -> None:
    done = saylau(*args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


FAST_LINES = [
    [*ALMATY, "--seats", "21", "--threshold", "5%", "--against-all", "16490", "--min-admitted", "2"],
    [*ALMATY, "--seats=21", "--threshold=5", "--against-all=16490", "--json"],
    ["A=100", "B=100", "C=50", "--seats", "3", "--method", "dhondt", "--tie", "decide"],
    ["A=10", "B=10", "--seats", "1", "--method", "dhondt", "--tie", "lot", "--seed", "7", "--lang", "ru"],
    ["A=10", "B=x", "--seats", "1"],  # an error, said by the command itself
    ["A=10", "B=20", "--seats", "2", "--lang", "xx"],
]


@pytest.mark.parametrize("args", FAST_LINES)
def test_without_typer_the_same_bytes_as_the_typer_command(args: list[str]) -> None:
    """`main` runs usual command lines without typer (start-up); the typer command prints the same bytes."""
    from typer.testing import CliRunner

    from saylau.cli.app import app

    importlib.import_module("saylau.cli.allocate")  # registers the command
    from saylau.cli.quick import allocate_arguments

    assert allocate_arguments(args) is not None
    fast = saylau(*args)
    typed = CliRunner().invoke(app, ["allocate", *args])
    assert (fast.returncode, fast.stdout) == (typed.exit_code, typed.stdout)
    assert fast.stderr == typed.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["A=1", "--seats", "1", "--seats", "2"],  # repeated
        ["A=1", "--seats", "-1"],
        ["A=1", "--seats", "1.5"],
        ["A=1", "--seats", "01"],
        ["A=1", "--seat", "1"],  # unknown (typer may suggest the right one)
        ["A=1"],  # --seats missing
        ["--seats", "1"],  # no list
        ["A=1", "--seats", "1", "--json=yes"],
        ["A=1", "--seats", "1", "--", "B=2"],
        ["A=1", "--seats"],
    ],
)
def test_unusual_command_lines_are_left_to_typer(args: list[str]) -> None:
    from saylau.cli.quick import allocate_arguments

    assert allocate_arguments(args) is None
