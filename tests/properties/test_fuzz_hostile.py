"""Fuzz: mutated copies of the Almaty folder and its protocols, through every command (issue 8, item 6).

For every case: exit 0, or exit 2 with each `error:` line naming where (`file:row [field]`); never a
traceback, never past the per-case deadline; and when `results --json` exits 0, its council equals the one an
independent exact recount of the accepted protocols gives (tests/hostile.py `oracle`).

    SAYLAU_FUZZ_CASES=700 .venv/bin/pytest -s tests/properties/test_fuzz_hostile.py    # more cases, new seeds

The counts (`cases: N, exit 0: A, exit 2: B, tracebacks: 0, hangs: 0`) are printed, and written to the file
named by SAYLAU_FUZZ_REPORT when it is set.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.hostile import Hang, almaty_pair, declared, oracle, refused_cleanly, saylau

from saylau.io import load_election

CASES = int(os.environ.get("SAYLAU_FUZZ_CASES", "150"))
SECONDS = 30
"""Per-case deadline: a healthy case takes well under a second."""

TABLES = [
    "parties.csv",
    "lists.csv",
    "districts.csv",
    "candidates.csv",
    "stations.csv",
    "results/ballots.csv",
    "results/list.csv",
    "results/districts.csv",
    *(f"protocols/district-{d:02d}.csv" for d in (1, 2, 7, 21)),
]

HOSTILE = [
    "",
    "0",
    "-1",
    "1e999999999",
    "1e-999999999",
    "9" * 5000,
    str(2**63 - 1),
    str(2**64),
    "１２３",
    "١٢٣",
    "1,5",
    "12.5",
    "[/]",
    "[bold red]X[/bold red]",
    "\x1b[2J",
    '=HYPERLINK("http://x","y")',
    "@SUM(A1)",
    "<script>alert(1)</script>",
    "}}|{{",
    "../../etc/passwd",
    "x" * 200_000,
    "Amanat",
    "Auyl",
    "list",
    "district",
    "101",
]

TOML_VALUES = [
    '""',
    "5",
    "1.5",
    "-1",
    "1e999",
    '"1e999999999"',
    '"1e-999999999"',
    "9" * 5000,
    "[1, 2]",
    "{a = 1}",
    "2023-03-19T10:00:00",
    '"yesterday"',
    '"../../.."',
    '"/"',
    "[" * 3000 + "]" * 3000,
    "true",
]

values = st.one_of(
    st.sampled_from(HOSTILE),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(max_size=12),
)

csv_mutation = st.tuples(
    st.just("csv"),
    st.sampled_from(TABLES),
    st.sampled_from(["cell", "cell", "cell", "delete", "duplicate", "truncate", "header"]),
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=0, max_value=40),
    values,
)
toml_mutation = st.tuples(
    st.just("toml"),
    st.just("election.toml"),
    st.sampled_from(["value", "value", "key", "delete"]),
    st.integers(min_value=0, max_value=100),
    st.integers(min_value=0, max_value=0),
    st.one_of(st.sampled_from(TOML_VALUES), st.sampled_from(["bodyy", "sats", "convocaton", "folder", "x"])),
)
json_mutation = st.tuples(
    st.just("json"),
    st.just("protocols/extra.json"),
    st.sampled_from(["deep", "hostile", "not-a-list", "huge"]),
    st.integers(min_value=101, max_value=2126),
    st.integers(min_value=0, max_value=0),
    values,
)
extra_stations = st.tuples(
    st.just("stations"),
    st.just("protocols/district-01.csv"),
    st.sampled_from(["list", "district"]),
    st.integers(min_value=0, max_value=2**63 - 1),
    st.integers(min_value=1, max_value=3),
    st.sampled_from([str(2**63 - 1), "200002", "1000", "5"]),
)
link = st.tuples(
    st.just("link"),
    st.sampled_from(["parties.csv", "stations.csv", "protocols/district-03.csv"]),
    st.just(""),
    st.just(0),
    st.just(0),
    st.just(""),
)

mutations = st.lists(
    st.one_of(csv_mutation, csv_mutation, toml_mutation, json_mutation, extra_stations, link), min_size=1, max_size=3
)
commands = st.sampled_from(
    [
        ("results", "--json"),
        ("results", "--json"),
        ("results", "--json"),
        ("protocols", "check"),
        ("report", "-f", "csv"),
        ("report", "-f", "markdown"),
        ("report", "-f", "text"),
        ("whatif", "--threshold", "7"),
    ]
)

TALLY: Counter[str] = Counter()


def mutate(folder: Path, mutation: tuple[Any, ...]) -> None:
    """Apply one mutation to the folder (a 2023 copy beside its 2021 one)."""
    kind, name, how, at, column, value = mutation
    path = folder / name
    if kind == "csv":
        lines = path.read_text(encoding="utf-8").split("\n")
        row = at % max(len(lines), 1)
        if how == "delete":
            del lines[row]
        elif how == "duplicate":
            lines.insert(row, lines[row])
        elif how == "truncate":
            text = "\n".join(lines)
            path.write_text(text[: at % (len(text) + 1)], encoding="utf-8")
            return
        else:
            target = 0 if how == "header" else max(row, 1) % max(len(lines), 1)
            cells = lines[target].split(",")
            cells[column % len(cells)] = value.replace("\n", " ").replace(",", " ")
            lines[target] = ",".join(cells)
        path.write_text("\n".join(lines), encoding="utf-8")
    elif kind == "toml":
        lines = path.read_text(encoding="utf-8").splitlines()
        assignments = [i for i, line in enumerate(lines) if "=" in line and not line.lstrip().startswith("#")]
        i = assignments[at % len(assignments)]
        key = lines[i].split("=")[0]
        if how == "value":
            lines[i] = f"{key}= {value}"
        elif how == "key":
            lines[i] = f"{value} = {lines[i].split('=', 1)[1]}"
        else:
            del lines[i]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif kind == "json":
        protocol = {
            "station": at,
            "district": 1,
            "ballot": "list",
            **dict.fromkeys(["registered", "received", "issued", "found"], 10),
            **dict.fromkeys(["issued_absentee", "issued_outside", "cancelled", "invalid", "against_all"], 0),
            "votes": {"Amanat": 10},
        }
        text = {
            "deep": "[" * 50_000 + "]" * 50_000,
            "hostile": json.dumps([protocol | {"found": value, "votes": {value: value}}]),
            "not-a-list": json.dumps({"a": value}),
            "huge": json.dumps([protocol | {"found": 2**64, "votes": {"Amanat": 10**4000}}]),
        }[how]
        path.write_text(text, encoding="utf-8")
    elif kind == "stations":
        stations = folder / "stations.csv"
        header = path.read_text(encoding="utf-8").split("\n", 1)[0].split(",")
        with stations.open("a", encoding="utf-8") as out:
            out.writelines(f"{9000 + k},1,1000,fuzz\n" for k in range(column))
        rows = []
        for k in range(column):
            cells = dict.fromkeys(header, "")
            count = value if k % 2 == 0 else str(at)
            cells |= {"station": str(9000 + k), "district": "1", "ballot": how, "source": "fuzz"}
            for line in ("registered", "received", "issued", "found"):
                cells[line] = count
            for line in ("issued_absentee", "issued_outside", "cancelled", "invalid", "against_all"):
                cells[line] = "0"
            cells["vote:Auyl" if how == "list" else "vote:Аким Турсунов"] = count
            rows.append(",".join(cells[h] for h in header))
        with path.open("a", encoding="utf-8") as out:
            out.writelines(row + "\n" for row in rows)
    elif kind == "link":
        outside = folder.parent.parent / "outside.csv"
        outside.write_text("station,district,registered\nSECRET,1,1\n", encoding="utf-8")
        path.unlink()
        path.symlink_to(outside)


def check_case(folder: Path, command: tuple[str, ...]) -> None:
    """Run one command on one mutated folder and assert the promise of the module docstring."""
    try:
        outcome = saylau(*command, folder, seconds=SECONDS)
    except Hang:
        TALLY["hangs"] += 1
        raise
    TALLY["cases"] += 1
    if outcome.traceback or "Traceback" in outcome.stderr + outcome.stdout:
        TALLY["tracebacks"] += 1
        raise AssertionError(f"traceback from {command}: {outcome.exception!r}") from outcome.exception
    assert "SECRET" not in outcome.stdout + outcome.stderr
    if outcome.exit_code == 2:
        TALLY["exit 2"] += 1
        assert refused_cleanly(outcome), outcome.stderr
        return
    assert outcome.exit_code == 0, (command, outcome.exit_code, outcome.stderr)
    TALLY["exit 0"] += 1
    if command[:2] == ("results", "--json") and (folder / "protocols").is_dir():
        expected = oracle(folder, load_election(folder, count_protocols=False))
        if expected is not None:
            council = declared(json.loads(outcome.stdout))
            assert council.list_votes == expected.list_votes
            assert council.list_seats == expected.list_seats
            assert council.winners == expected.winners
            TALLY["checked against the oracle"] += 1


@settings(
    max_examples=CASES,
    deadline=None,
    derandomize="SAYLAU_FUZZ_CASES" not in os.environ,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
@given(mutations=mutations, command=commands)
def fuzz(mutations: list[tuple[Any, ...]], command: tuple[str, ...]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = almaty_pair(Path(tmp))
        for mutation in mutations:
            mutate(folder, mutation)
        check_case(folder, command)


def test_mutated_folders_are_exact_or_refused(record_property: Any) -> None:
    TALLY.clear()
    fuzz()
    line = (
        f"cases: {TALLY['cases']}, exit 0: {TALLY['exit 0']}, exit 2: {TALLY['exit 2']}, "
        f"tracebacks: {TALLY['tracebacks']}, hangs: {TALLY['hangs']} "
        f"(checked against the oracle: {TALLY['checked against the oracle']})"
    )
    print(line)
    record_property("folder mutations", TALLY["cases"])  # for the suite's combined line (tests/conftest.py)
    record_property("tracebacks", TALLY["tracebacks"])
    if report := os.environ.get("SAYLAU_FUZZ_REPORT"):
        Path(report).write_text(line + "\n", encoding="utf-8")
    assert TALLY["exit 0"] > 0 and TALLY["exit 2"] > 0  # the mutations reach both outcomes
    assert TALLY["checked against the oracle"] > 0
