"""`saylau whatif` on the Almaty 2023 example, through typer's test runner.

Expected seats are worked by hand in tests/unit/test_whatif.py (pure PR, 42 seats, Hare, 5%).
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import saylau.cli.whatif  # noqa: F401  (registers the command)
from saylau.cli.app import app
from tests.conftest import EXAMPLES

FOLDER = str(EXAMPLES / "almaty-2023")


def invoke(*args: str) -> tuple[int, str, str]:
    """Run `saylau whatif ARGS` (the app stays a group of commands however few are registered)."""
    result = CliRunner().invoke(app, ["whatif", *args], terminal_width=200)
    return result.exit_code, result.stdout, result.stderr


def row(output: str, name: str) -> list[str]:
    """The cells of the table row that starts with `name`."""
    line = next(line for line in output.splitlines() if line.strip("│┃ ").startswith(name))
    return [cell.strip() for cell in line.strip().strip("│┃").split("│")]


def test_pure_pr_side_by_side() -> None:
    """Actual: Amanat 25 (seed); pure PR at 5% Hare: Amanat 24, QHP 6, Baytaq 4, no independents."""
    code, out, _ = invoke(FOLDER, "--method", "hare", "--threshold", "5%", "--pure-pr")
    assert code == 0, out
    assert row(out, "Amanat")[1:] == ["25", "24"]
    assert row(out, "QHP")[1:] == ["3", "6"]
    assert row(out, "Baytaq")[1:] == ["3", "4"]
    assert row(out, "Independents")[1:3][1] == "0"
    for label in ("Gallagher", "Loosemore-Hanby", "ENP (votes)", "ENP (seats)"):
        assert label in out


def test_mmp_runs() -> None:
    code, out, _ = invoke(FOLDER, "--mmp")
    assert code == 0, out
    assert "what-if: MMP" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--method", "borda"], "unknown method"),
        (["--threshold", "five"], "not a percentage"),
        (["--threshold", "150%"], "not a percentage"),
        (["--pure-pr", "--mmp"], "not both"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str], message: str) -> None:
    code, _, err = invoke(FOLDER, *args)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_missing_folder_exit_2() -> None:
    code, _, err = invoke(str(EXAMPLES / "no-such-election"))
    assert code == 2
    assert err.startswith("error:")


@pytest.mark.parametrize(
    ("args", "label"),
    [
        (["--compensation", "parallel"], "parallel"),
        (["--compensation", "compensatory", "--overhang", "grow"], "compensatory, overhang grow"),
        (["--compensation", "compensatory", "--overhang", "absorb"], "compensatory, overhang absorb"),
        (["--compensation", "compensatory", "--overhang", "level"], "compensatory, overhang level"),
        (["--compensation", "additional-member", "--method", "dhondt"], "additional-member, D'Hondt"),
        (["--compensation", "coverage"], "coverage"),
    ],
)
def test_whatif_switches_the_folder_to_each_compensation_mode(args: list[str], label: str) -> None:
    code, out, _ = invoke(FOLDER, *args)
    assert code == 0, out
    assert f"what-if: {label}" in out
    filled, size = row(out, "Seats filled"), row(out, "Body size")
    assert int(size[2]) >= 42  # only overhang or leveling grow the body
    assert int(filled[2]) <= int(size[2])


def test_additional_member_needs_a_divisor_method() -> None:
    code, out, err = invoke(FOLDER, "--compensation", "additional-member")
    assert code == 2
    assert "needs a divisor method" in out + err


def test_unknown_compensation_mode_is_refused() -> None:
    code, out, err = invoke(FOLDER, "--compensation", "mixed")
    assert code == 2
    assert "unknown compensation 'mixed'" in out + err
