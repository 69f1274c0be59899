"""Fuzz of the folder and protocol readers with the mutations of issue 12 item 3, through the real CLI.

One mutation per case, of the Almaty folder (a 2023 copy beside its 2021 one), then `saylau results --json`,
`saylau protocols check` and `saylau report -f <format>` on it. Each kind has its promise:

    bom, crlf            a UTF-8 byte order mark / CRLF line ends: accepted, every output as before
    latin1               the file in Latin-1 (one name given an é): refused, naming the file and the row
    truncate             the file cut at a random byte: accepted (a shorter, consistent table) or refused
    missing-column       a column removed: refused naming file:1 [column] when the reader needs it
    duplicate-column     a column written twice: refused naming file:1 [column]
    wrong-type, huge     a count or number cell written as text or beyond the limits: refused (or the
                         protocol left out) naming file:row [column]
    rtl, zero-width      a name with U+202E or U+200B: refused naming file:row [column]
    zero-width-twin      a second party or candidate whose name differs from one only by U+200B: refused
                         (never counted as another party) naming file:row [column]
    long-cell            a cell one character or more over the cell limit (131,072): refused by every
                         command alike, saying the limit (issue 21: `protocols check` gave a traceback)
    wide-header          20,000 or more extra columns: read in time (the header check is linear), exit 0 or 2
    control-name         a name with an escape sequence, a bell, a line break, U+0085 or U+2028 (quoted):
                         refused, and no such character reaches stderr, whose every line is a problem's

and for all: exit 0 or 2, never a traceback, every `error:` line located (`file:row [field]`).
`SAYLAU_FUZZ_READERS=N` runs N cases with new seeds (default 60, derandomised). The counts are added to the
suite's `fuzzed: ...; folder mutations: ...` line (tests/conftest.py).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from tests.hostile import Outcome, almaty_pair, refused_cleanly, saylau

from saylau.errors import InputError
from saylau.limits import MAX_CELL
from saylau.service import definition
from saylau.tabulation import FIGURES

CASES = int(os.environ.get("SAYLAU_FUZZ_READERS", "60"))
PROTOCOLS = [f"protocols/district-{d:02d}.csv" for d in (1, 8, 21)]
NUMBERS = {
    "parties.csv": ("registration_order",),
    "lists.csv": ("position",),
    "districts.csv": ("number",),
    "candidates.csv": ("district",),
    "stations.csv": ("station", "district", "registered"),
    "results/ballots.csv": ("registered", "took_part", "against_all", "invalid"),
    "results/list.csv": ("votes",),
    "results/districts.csv": ("district", "votes"),
    **{p: ("station", "district", *FIGURES) for p in PROTOCOLS},
}
"""Columns whose every cell is a whole number the reader needs."""
REQUIRED = {
    "parties.csv": ("short_name", "full_name", "registration_order"),
    "lists.csv": ("party", "position", "candidate"),
    "districts.csv": ("number",),
    "candidates.csv": ("district", "candidate", "party"),
    "stations.csv": ("station", "district", "registered"),
    "results/ballots.csv": ("ballot", "district", "registered", "took_part", "against_all", "invalid"),
    "results/list.csv": ("party", "votes"),
    "results/districts.csv": ("district", "candidate", "votes"),
    **{p: ("station", "district", "ballot", *FIGURES) for p in PROTOCOLS},
}
"""Columns the readers require (saylau.io.folder, saylau.io.protocols)."""
NAMES = {
    "parties.csv": ("short_name", "full_name"),
    "lists.csv": ("candidate",),
    "candidates.csv": ("candidate",),
    "districts.csv": ("name",),
}
"""Columns that define a name."""
TWINS = {"parties.csv": "short_name", "lists.csv": "candidate", "candidates.csv": "candidate"}
"""Where a second row may repeat a name with an invisible character in it."""

WRONG = ["abc", "12.5", "1.5x", "１２３", "١٢٣", "0x1F", "NaN", "1e3", "--1", "½"]
HUGE = ["9" * 40, str(2**64), str(2**63 - 1), "1" + "0" * 11, "-" + "9" * 25, "1" * 5000]
REPORTS = ["text", "markdown", "html", "csv", "json", "wikitext", "nist"]
SAME = ("bom", "crlf")
CONTROL = ["\x1b[31m", "\x07", "\n", "\x85", "\u2028", "\u2029"]
"""What a control-name mutation puts into a name."""

_NOW = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")
TALLY: Counter[str] = Counter()
_BASELINE: dict[tuple[str, ...], tuple[int, str]] = {}


def _lines(path: Path) -> list[list[str]]:
    return [line.split(",") for line in path.read_text(encoding="utf-8").split("\n")]


def _write(path: Path, rows: list[list[str]]) -> None:
    path.write_text("\n".join(",".join(r) for r in rows), encoding="utf-8")


def _cell_rows(rows: list[list[str]], at: int) -> int:
    """A data row (not the header, not the empty string after the last line break) chosen by `at`."""
    data = [k for k, r in enumerate(rows) if k > 0 and r != [""]]
    return data[at % len(data)]


def mutate(folder: Path, kind: str, name: str, at: int, pick: int) -> tuple[int | None, str | None]:
    """Apply one mutation; the row (1 = header) and column it concerns, where it concerns one."""
    path = folder / name
    if kind == "bom":
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
        return None, None
    if kind == "crlf":
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
        return None, None
    if kind == "truncate":
        data = path.read_bytes()
        path.write_bytes(data[: data.index(b"\n") + 1 + at % max(len(data) - data.index(b"\n") - 2, 1)])
        return None, None
    rows = _lines(path)
    header = rows[0]
    if kind == "latin1":
        k = _cell_rows(rows, at)
        rows[k][header.index("source") if "source" in header else 0] += " café"
        data = "\n".join(",".join(r) for r in rows).encode("latin-1", errors="replace")
        path.write_bytes(data)
        first = next(i for i, byte in enumerate(data) if byte >= 0x80)  # maybe before ours: « in a name
        return data.count(b"\n", 0, first) + 1, None
    if kind in ("missing-column", "duplicate-column"):
        column = pick % len(header)
        named = header[column]
        for r in rows:
            if len(r) > column:
                if kind == "missing-column":
                    del r[column]
                else:
                    r.insert(column, r[column])
        _write(path, rows)
        return 1, named
    if kind in ("wrong-type", "huge"):
        k = _cell_rows(rows, at)
        column = header.index(NUMBERS[name][pick % len(NUMBERS[name])])
        values = WRONG if kind == "wrong-type" else HUGE
        rows[k][column] = values[pick % len(values)]
        _write(path, rows)
        return k + 1, header[column]
    if kind in ("rtl", "zero-width"):
        k = _cell_rows(rows, at)
        column = header.index(NAMES[name][pick % len(NAMES[name])])
        cell = rows[k][column]
        cut = 1 + pick % max(len(cell) - 1, 1)
        rows[k][column] = cell[:cut] + ("\u202e" if kind == "rtl" else "\u200b") + cell[cut:]
        _write(path, rows)
        return k + 1, header[column]
    if kind == "zero-width-twin":
        k = _cell_rows(rows, at)
        twin = list(rows[k])
        column = header.index(TWINS[name])
        twin[column] = twin[column][:1] + "\u200b" + twin[column][1:]
        if name == "parties.csv":
            twin[header.index("registration_order")] = "99"
        if name == "lists.csv":
            twin[header.index("position")] = "999"
        while rows[-1] == [""]:
            rows.pop()
        _write(path, [*rows, twin, [""]])
        return len(rows) + 1, TWINS[name]
    if kind == "long-cell":
        k = _cell_rows(rows, at)
        rows[k][pick % len(header)] = "7" * (MAX_CELL + 1 + pick)
        _write(path, rows)
        return k + 1, None
    if kind == "wide-header":
        extra = 20_000 + 37 * pick
        rows = [
            [*r, *(f"extra{j}" if k == 0 else "" for j in range(extra))] if r != [""] else r for k, r in enumerate(rows)
        ]
        _write(path, rows)
        return None, None
    if kind == "control-name":
        k = _cell_rows(rows, at)
        column = header.index(NAMES[name][pick % len(NAMES[name])])
        cell = rows[k][column]
        rows[k][column] = '"' + cell[:1] + CONTROL[pick % len(CONTROL)] + cell[1:] + '"'
        _write(path, rows)
        return k + 1, header[column]
    raise AssertionError(kind)


csv_files = sorted(NUMBERS)
FILES = {
    **{kind: [*csv_files, "election.toml"] for kind in SAME},
    **{kind: csv_files for kind in ("latin1", "truncate", "missing-column", "duplicate-column", "wrong-type", "huge")},
    **{kind: sorted(NAMES) for kind in ("rtl", "zero-width", "control-name")},
    "zero-width-twin": sorted(TWINS),
    "long-cell": csv_files,
    "wide-header": csv_files,
}
"""The files each kind of mutation applies to."""
mutations = st.sampled_from(sorted(FILES)).flatmap(lambda kind: st.tuples(st.just(kind), st.sampled_from(FILES[kind])))


def _shown(outcome: Outcome, folder: Path) -> tuple[int, str]:
    """Exit status and output, with the temporary folder's path and the time of writing taken out."""
    return outcome.exit_code, _NOW.sub("<now>", outcome.stdout.replace(str(folder.parent), "<base>"))


def _baseline(command: tuple[str, ...]) -> tuple[int, str]:
    """What the unmutated folder gives for `command` (the promise of `bom` and `crlf`)."""
    if command not in _BASELINE:
        with tempfile.TemporaryDirectory() as tmp:
            folder = almaty_pair(Path(tmp))
            _BASELINE[command] = _shown(saylau(*command, folder), folder)
    return _BASELINE[command]


def _names(outcome: Outcome, name: str, row: int | None, column: str | None) -> bool:
    """A `warning:` or `error:` line names the file, with the row and column where given."""
    where = f"{name}:{row}" if row is not None else f"{name}"
    where += f" [{column}]" if column is not None else ""
    return any(where in line for line in outcome.stderr.splitlines() if line.startswith(("error:", "warning:")))


def check(outcome: Outcome, command: tuple[str, ...], folder: Path, case: tuple[Any, ...]) -> None:
    """The promise of the module docstring for one command on one mutated folder."""
    kind, name, row, column = case
    TALLY["runs"] += 1
    if outcome.traceback or "Traceback" in outcome.stdout + outcome.stderr:
        TALLY["tracebacks"] += 1
        raise AssertionError(f"traceback from {command} after {case}: {outcome.exception!r}") from outcome.exception
    assert outcome.exit_code in (0, 2), (command, case, outcome.exit_code, outcome.stderr)
    if outcome.exit_code == 2:
        assert refused_cleanly(outcome), (command, case, outcome.stderr)
    TALLY[f"exit {outcome.exit_code}"] += 1
    located = command[0] != "protocols"  # `protocols check` shows its findings as a table on stdout
    if kind in SAME:
        assert _shown(outcome, folder) == _baseline(command), (command, case, outcome.stderr)
    elif kind == "latin1":
        assert outcome.exit_code == 2, (command, case)
        assert not located or (_names(outcome, name, row, None) and "not UTF-8" in outcome.stderr), outcome.stderr
    elif kind == "missing-column" and column not in REQUIRED[name]:
        pass  # an optional column: read without it, or refused for what its absence breaks
    elif kind in ("missing-column", "duplicate-column", "rtl", "zero-width", "zero-width-twin"):
        assert outcome.exit_code == 2, (command, case, outcome.stdout[-500:])
        assert not located or _names(outcome, name, row, column), (case, outcome.stderr)
    elif kind in ("wrong-type", "huge"):
        protocol = name.startswith("protocols/") and column in FIGURES
        assert outcome.exit_code == 2 or (protocol and command[0] != "protocols"), (command, case)
        assert not located or _names(outcome, name, row, column), (case, outcome.stderr)
    elif kind == "long-cell":
        assert outcome.exit_code == 2, (command, case)
        assert f"longer than the limit of {MAX_CELL:,} characters" in outcome.stderr + outcome.stdout, (command, case)
    elif kind == "control-name":
        assert outcome.exit_code == 2, (command, case)
        assert not any(c in outcome.stderr for c in CONTROL if c != "\n"), (command, case, outcome.stderr)
        lines = [line for line in outcome.stderr.split("\n") if line]
        assert all(line.startswith(("error:", "warning:")) for line in lines), (command, case, lines)


@settings(  # one explicit case of every kind, then CASES drawn
    max_examples=CASES,
    deadline=None,
    derandomize="SAYLAU_FUZZ_READERS" not in os.environ,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a case is already one mutation, printed as found
)
@given(
    mutation=mutations,
    at=st.integers(min_value=0, max_value=10**6),
    pick=st.integers(min_value=0, max_value=10**3),
    report=st.sampled_from(REPORTS),
)
@example(mutation=("bom", "protocols/district-01.csv"), at=0, pick=0, report=REPORTS[0])
@example(mutation=("crlf", "election.toml"), at=7, pick=3, report=REPORTS[1])
@example(mutation=("latin1", "parties.csv"), at=14, pick=6, report=REPORTS[2])
@example(mutation=("truncate", "protocols/district-08.csv"), at=21, pick=9, report=REPORTS[3])
@example(mutation=("missing-column", "stations.csv"), at=28, pick=12, report=REPORTS[4])
@example(mutation=("duplicate-column", "results/list.csv"), at=35, pick=15, report=REPORTS[5])
@example(mutation=("wrong-type", "protocols/district-21.csv"), at=42, pick=18, report=REPORTS[6])
@example(mutation=("huge", "results/ballots.csv"), at=49, pick=21, report=REPORTS[0])
@example(mutation=("rtl", "parties.csv"), at=56, pick=24, report=REPORTS[1])
@example(mutation=("zero-width", "candidates.csv"), at=63, pick=27, report=REPORTS[2])
@example(mutation=("zero-width-twin", "parties.csv"), at=70, pick=30, report=REPORTS[3])
@example(mutation=("long-cell", "protocols/district-08.csv"), at=77, pick=3, report=REPORTS[4])
@example(mutation=("wide-header", "protocols/district-01.csv"), at=84, pick=1, report=REPORTS[5])
@example(mutation=("control-name", "candidates.csv"), at=91, pick=2, report=REPORTS[6])
def fuzz(mutation: tuple[str, str], at: int, pick: int, report: str) -> None:
    kind, name = mutation
    with tempfile.TemporaryDirectory() as tmp:
        folder = almaty_pair(Path(tmp))
        row, column = mutate(folder, kind, name, at, pick)
        TALLY["folder mutations"] += 1
        TALLY[kind] += 1
        for command in (("results", "--json"), ("protocols", "check"), ("report", "-f", report)):
            check(saylau(*command, folder), command, folder, (kind, name, row, column))


def test_mutated_folders_through_every_command(record_property: Any) -> None:
    TALLY.clear()
    fuzz()
    print(
        f"\nfolder mutations: {TALLY['folder mutations']} ({TALLY['runs']} runs: exit 0: {TALLY['exit 0']}, "
        f"exit 2: {TALLY['exit 2']}), tracebacks: {TALLY['tracebacks']}; by kind: "
        + json.dumps({k: v for k, v in sorted(TALLY.items()) if k not in ("runs", "exit 0", "exit 2")})
    )
    record_property("folder mutations", TALLY["folder mutations"])
    record_property("tracebacks", TALLY["tracebacks"])
    assert TALLY["exit 0"] > 0 and TALLY["exit 2"] > 0
    assert all(TALLY[kind] > 0 for kind in FILES)


def _as_json(folder: Path) -> Path:
    """protocols/district-01.csv written as protocols/district-01.json (the reader's other format)."""
    source = folder / "protocols" / "district-01.csv"
    objects = []
    for row in csv.DictReader(io.StringIO(source.read_text(encoding="utf-8"))):
        votes = {k.removeprefix("vote:"): int(v) for k, v in row.items() if k.startswith("vote:") and v}
        figures = {k: int(row[k]) for k in ("station", "district", *FIGURES)}
        objects.append({**figures, "ballot": row["ballot"], "source": "café", "votes": votes})
    source.unlink()
    target = source.with_suffix(".json")
    target.write_text(json.dumps(objects, indent=1, ensure_ascii=False), encoding="utf-8")
    return target


@pytest.mark.parametrize("kind", ["bom", "crlf", "latin1"])
@pytest.mark.parametrize("file", ["protocols/district-01.json", "election.toml"])
def test_protocol_json_and_election_toml_read_a_bom_and_crlf_and_refuse_latin1(
    tmp_path: Path, kind: str, file: str
) -> None:
    folder = almaty_pair(tmp_path)
    _as_json(folder)
    before = saylau("results", "--json", folder)
    assert before.exit_code == 0, before.stderr
    data = (folder / file).read_bytes()
    changed = {
        "bom": b"\xef\xbb\xbf" + data,
        "crlf": data.replace(b"\n", b"\r\n"),
        "latin1": data.decode("utf-8").encode("latin-1", errors="replace"),
    }[kind]
    (folder / file).write_bytes(changed)
    after = saylau("results", "--json", folder)
    if kind == "latin1":
        assert refused_cleanly(after), after.stderr
        row = changed[: changed.index("é".encode("latin-1")) if file.endswith(".json") else 30].count(b"\n") + 1
        assert after.stderr.startswith(f"error: {file}:{row}: is not UTF-8 text: byte 0x"), after.stderr
    else:
        assert (after.exit_code, after.stdout) == (0, before.stdout), after.stderr


def test_the_service_reads_a_folder_as_the_loader_does(tmp_path: Path) -> None:
    """`saylau serve` stores the definition files: with a BOM and CRLF they are the same definition; in
    Latin-1 they are refused with the file and row, never a traceback."""
    clean = definition.read_files(almaty_pair(tmp_path / "clean"))
    folder = almaty_pair(tmp_path / "windows")
    for name in ("parties.csv", "election.toml", "candidates.csv"):
        path = folder / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert definition.digest(definition.read_files(folder)) == definition.digest(clean)
    parties = folder / "parties.csv"
    parties.write_bytes(parties.read_bytes().decode("utf-8-sig").encode("latin-1", errors="replace"))
    with pytest.raises(InputError) as refused:
        definition.read_files(folder)
    assert str(refused.value.problems[0]).startswith("parties.csv:2 [full_name_kk]: is not UTF-8 text")
