"""Issue 21, finding by finding, for the readers and the command line: linear header checks within the
documented column limit, one cell limit for every command, unknown `vote:` columns, error lines that cannot
be forged, published totals checked against the count, the NIST date, and two library bounds."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from saylau.apportionment import Threshold, allocate_batch
from saylau.errors import InputError
from saylau.io.protocols import COLUMNS
from saylau.limits import MAX_CELL, MAX_COLUMNS
from saylau.tabulation.fast import ProtocolColumns, tabulate_columns
from tests.hostile import almaty_pair, refused_cleanly, saylau

STATION_101 = "101,1,list,2451,2475,659,6,16,1816,659,20,41"
"""examples/almaty-2023/protocols/district-01.csv, station 101's list protocol (its 12 leading columns)."""


@pytest.fixture
def almaty(tmp_path: Path) -> Path:
    return almaty_pair(tmp_path)


def _wide(folder: Path, columns: int, duplicate: bool = False) -> Path:
    """A protocol file with `columns` columns in all (empty `vote:` columns of parties that do not exist)."""
    votes = [f"vote:Amanat{k}" for k in range(columns - len(COLUMNS))]
    if duplicate:
        votes[-1] = votes[0]
    path = folder / "protocols" / "wide.csv"
    path.write_text(",".join([*COLUMNS, *votes]) + "\n" + STATION_101 + "," * len(votes) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("command", [["results"], ["protocols", "check"]])
def test_a_million_header_columns_are_refused_at_the_column_limit(almaty: Path, command: list[str]) -> None:
    _wide(almaty, 1_000_000)
    outcome = saylau(*command, almaty, seconds=20)  # the quadratic check never finished a million columns
    text = outcome.stderr + outcome.stdout
    assert outcome.exit_code == 2 and not outcome.traceback
    assert f"has 1,000,000 columns: more than the limit of {MAX_COLUMNS:,}" in text and "wide.csv" in text


def test_a_header_just_under_the_limit_is_checked_whole(almaty: Path) -> None:
    """99,999 columns, the last a repeat of a column 99,987 places before: found (64,000 took 118 s before)."""
    _wide(almaty, MAX_COLUMNS - 1, duplicate=True)
    outcome = saylau("protocols", "check", almaty, seconds=30)
    assert outcome.exit_code == 2 and not outcome.traceback
    assert f"the column is named twice (columns {len(COLUMNS) + 1} and {MAX_COLUMNS - 1})" in outcome.stdout


@pytest.mark.parametrize("where", ["header", "cell"])
def test_a_cell_over_the_limit_is_refused_alike_by_every_command(almaty: Path, where: str) -> None:
    path = almaty / "protocols" / "district-01.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    long = "9" * (MAX_CELL + 1)
    if where == "header":
        lines[0] += f",vote:{long}"
    else:
        lines[1] = lines[1].replace(",659,6,", f",{long},6,", 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    said = []
    for command in (["results"], ["protocols", "check"], ["report", "-f", "text"]):
        outcome = saylau(*command, almaty)
        assert outcome.exit_code == 2 and not outcome.traceback, (command, outcome.exception)
        text = outcome.stderr + outcome.stdout
        assert f"a cell is longer than the limit of {MAX_CELL:,} characters" in text, command
        said.append("district-01.csv" in text)
    assert all(said)


def test_a_vote_column_naming_no_option_is_refused_even_when_empty(almaty: Path) -> None:
    path = almaty / "protocols" / "district-02.csv"
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    lines = [lines[0] + ",vote:Amanatt", *(line + "," for line in lines[1:])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for command in (["results"], ["protocols", "check"]):
        outcome = saylau(*command, almaty)
        text = outcome.stderr + outcome.stdout
        assert outcome.exit_code == 2 and not outcome.traceback, command
        assert "protocols/district-02.csv" in text and "vote:Amanatt" in text
        assert "names no party or district candidate of this election" in text
    assert refused_cleanly(saylau("results", almaty))


@pytest.mark.parametrize("name", ["x\nerror: forged.csv", "x\u2028error: forged.csv", "x\u202eerror.csv"])
def test_a_file_name_cannot_forge_an_error_line(almaty: Path, name: str) -> None:
    """One problem in a file whose name holds a line break, U+2028 or a bidi override: one line, escaped."""
    (almaty / "protocols" / f"{name}.csv").write_text(",".join(COLUMNS) + "\n101,1,neither,1,1,1,0,0,0,1,0,1\n")
    outcome = saylau("results", almaty)
    assert outcome.exit_code == 2 and not outcome.traceback
    assert [line for line in outcome.stderr.split("\n") if line] == [
        line for line in outcome.stderr.splitlines() if line
    ], "no line or paragraph separator left in the output"
    errors = [line for line in outcome.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "[ballot]" in errors[0]
    assert "\u202e" not in outcome.stderr and "\u2028" not in outcome.stderr
    assert not any(line.startswith("error: forged") for line in outcome.stderr.splitlines())


def test_a_column_name_cannot_forge_a_line_in_protocols_check(almaty: Path) -> None:
    path = almaty / "protocols" / "district-03.csv"
    text = path.read_text(encoding="utf-8")
    header, rest = text.split("\n", 1)
    path.write_text(header + ',"vote:Q\u2028error: x.csv:1 [y]: forged"\n' + rest.replace("\n", ",\n"))
    outcome = saylau("protocols", "check", almaty)
    assert outcome.exit_code == 2 and not outcome.traceback
    assert "\u2028" not in outcome.stdout and "\\u2028error: x.csv" in outcome.stdout


def _swap(folder: Path) -> None:
    """Swap the `vote:` headers of district 1's winner and runner-up: every control relation still holds."""
    path = folder / "protocols" / "district-01.csv"
    text = path.read_text(encoding="utf-8")
    swapped = text.replace(
        "vote:Аким Турсунов,vote:District 1 candidate B", "vote:District 1 candidate B,vote:Аким Турсунов"
    )
    assert swapped != text
    path.write_text(swapped, encoding="utf-8")


def test_swapped_candidates_disagree_with_the_published_totals(almaty: Path) -> None:
    assert saylau("results", almaty).stderr == ""  # the example's protocols add up to its published totals
    _swap(almaty)
    outcome = saylau("results", almaty)
    assert outcome.exit_code == 0
    warnings = [line for line in outcome.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        "warning: results/districts.csv:2 [votes]: district 1, Аким Турсунов: 5,780 published here, 3,705 counted "
        "from protocols/district-01.csv",
        "warning: results/districts.csv:3 [votes]: district 1, District 1 candidate B: 3,705 published here, 5,780 "
        "counted from protocols/district-01.csv",
    ]  # results/districts.csv rows 2 and 3 and protocols/district-01.csv: the example's own figures
    strict = saylau("results", "--strict", almaty)
    assert refused_cleanly(strict) and strict.stderr.count("error: results/districts.csv") == 2
    check = saylau("protocols", "check", almaty)
    assert check.exit_code == 0 and check.stdout.count("published-differs") == 2
    assert "0 errors, 2 warnings" in check.stdout
    assert saylau("protocols", "check", "--strict", almaty).exit_code == 2


def test_a_nist_report_without_a_date_is_refused_not_a_traceback(tmp_path: Path) -> None:
    folder = tmp_path / "synth"
    made = saylau("synth", folder, "--seed", "3", "--districts", "3", "--stations", "12", "--parties", "3")
    assert made.exit_code == 0, made.stderr
    outcome = saylau("report", "-f", "nist", folder)
    assert refused_cleanly(outcome)
    assert "election.toml [date]: a NIST ElectionReport needs the election date" in outcome.stderr


def test_tabulate_columns_never_wraps_unchecked_counts() -> None:
    big = 2**62
    rows = 4
    columns = ProtocolColumns(
        station=np.arange(1, rows + 1, dtype=np.int64),
        district=np.ones(rows, np.int64),
        figures={name: np.full(rows, big if name == "found" else 1, np.int64) for name in _figures()},
        votes=np.ones((rows, 2), np.int64),
    )
    with pytest.raises(InputError, match=r"\[found\]"):  # 4 * 2**62 is 2**64: int64 gives 0
        tabulate_columns(columns, np.zeros(rows, np.int64), 1)
    keep = np.array([True, True, False, False])  # kept: 2 * 2**62 = 2**63, one more than int64 holds
    with pytest.raises(InputError):
        tabulate_columns(columns, np.zeros(rows, np.int64), 1, keep)
    keep = np.array([True, False, False, False])
    assert int(tabulate_columns(columns, np.zeros(rows, np.int64), 1, keep).took_part[0]) == big


def _figures() -> tuple[str, ...]:
    from saylau.tabulation import FIGURES

    return FIGURES


def test_allocate_batch_refuses_a_threshold_beyond_int64() -> None:
    threshold = Threshold(percent=Fraction(5 * 2**70 + 1, 2**70))
    with pytest.raises(InputError, match=r"\[threshold\]"):
        allocate_batch(np.array([[100, 99]]), 2, threshold=threshold)
