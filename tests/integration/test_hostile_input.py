"""Issue 8, finding by finding: every answer exact or refused, never wrong, never hung, never executed.

Each test reproduces one finding of the attack on the Almaty folder and asserts what saylau must do now:
the right council, or exit 2 with `file:row [field]` lines and no traceback, within a deadline.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import numpy as np
import pytest

from saylau.apportionment import allocate_batch
from saylau.errors import InputError
from saylau.io import load_election
from saylau.io.protocols import FIGURES
from saylau.tabulation.fast import ProtocolColumns, accepted, check_columns
from tests.conftest import EXAMPLES
from tests.hostile import append_rows, declared, oracle, refused_cleanly, rename, saylau, saylau_isolated

ALMATY = EXAMPLES / "almaty-2023"


def replace_text(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def extra_station(station: int, auyl: int) -> dict[str, object]:
    """A list protocol of district 1 whose lines all add up, with `auyl` votes for Auyl: it passes every
    relation except the bound on counts, the way the attack built it."""
    return {
        "station": station,
        "district": 1,
        "ballot": "list",
        "registered": auyl,
        "received": auyl,
        "issued": auyl,
        "issued_absentee": 0,
        "issued_outside": 0,
        "cancelled": 0,
        "found": auyl,
        "invalid": 0,
        "against_all": 0,
        "vote:Auyl": auyl,
        "vote:Amanat": 0,
        "vote:QHP": 0,
        "vote:Respublica": 0,
        "vote:Baytaq": 0,
        "vote:Aq Jol": 0,
    }


# --- 1. Exact or refused ------------------------------------------------------------------------------------


def test_votes_past_int64_never_change_the_council(almaty_copy: Path) -> None:
    """Finding: Auyl votes of 2**63-1, 2**63-1 and 200,002 wrapped the int64 sum; Auyl took 10 seats."""
    before = json.loads(saylau("results", "--json", almaty_copy).stdout)
    append_rows(
        almaty_copy / "stations.csv", [{"station": s, "district": 1, "registered": 1000} for s in (9001, 9002, 9003)]
    )
    big = 2**63 - 1
    append_rows(
        almaty_copy / "protocols" / "district-01.csv",
        [extra_station(9001, big), extra_station(9002, big), extra_station(9003, 200_002)],
    )
    outcome = saylau("results", "--json", almaty_copy)
    assert outcome.exit_code == 0, outcome.stderr
    after = json.loads(outcome.stdout)
    council = declared(after)
    expected = oracle(almaty_copy, load_election(almaty_copy, count_protocols=False))
    assert expected is not None
    assert council.list_seats == expected.list_seats
    assert council.list_votes == expected.list_votes
    assert council.winners == expected.winners
    # The two impossible protocols are left out; the third (200,002 votes for 1,000 voters, received 200,002)
    # is within every bound but is over the turnout: it counts, exactly, and the warning says so.
    seats = {p["name"]: p["seats"] for p in after["parties"]}
    assert seats["Auyl"] == {p["name"]: p["seats"] for p in before["parties"]}["Auyl"]
    assert "warning: protocols/district-01.csv" in outcome.stderr
    assert "P006" in outcome.stderr


def test_the_column_path_refuses_counts_that_wrap() -> None:
    """Finding: check_columns accepted 4 x 2**62 votes with found = 0 (the row sum wrapped to 0)."""
    n = 1
    figures = {name: np.zeros(n, dtype=np.int64) for name in FIGURES}
    votes = np.full((n, 4), 2**62, dtype=np.int64)
    masks = check_columns(ProtocolColumns(np.array([1]), np.array([1]), figures, votes))
    assert bool(masks["P006"][0])
    assert not bool(accepted(masks)[0])


@pytest.mark.parametrize(
    "votes",
    [
        [[100.9, 99.95]],  # was truncated to [[1, 0]]
        np.array([[2**64 - 1, 5]], dtype=np.uint64),  # was read as -1
        [[2**70, 1]],
        [[True, False]],
        [["100", "99"]],
    ],
    ids=["float", "uint64-max", "past-int64", "bool", "text"],
)
def test_allocate_batch_refuses_what_a_cast_would_change(votes: object) -> None:
    with pytest.raises(InputError, match=r"\[votes\]"):
        allocate_batch(votes, 2)  # type: ignore[arg-type]


def test_allocate_batch_still_takes_whole_numbers_of_any_integer_type() -> None:
    # Hare: 2 seats, 100 and 99 votes: quotas 1.005 and 0.995 -> 1 + 0 and remainders .005 < .995 -> 1 each
    for dtype in (np.int32, np.int64, np.uint16):
        assert allocate_batch(np.array([[100, 99]], dtype=dtype), 2).tolist() == [[1, 1]]


def test_more_ballots_found_than_received_is_an_error(almaty_copy: Path) -> None:
    """Votes above the ballots a station received could not be true: an error (P010), not only W001."""
    row = extra_station(9004, 1500) | {"received": 1000, "issued": 1000, "cancelled": 0}
    append_rows(almaty_copy / "stations.csv", [{"station": 9004, "district": 1, "registered": 1000}])
    append_rows(almaty_copy / "protocols" / "district-01.csv", [row])
    outcome = saylau("protocols", "check", almaty_copy)
    assert outcome.exit_code == 2
    line = next(line for line in outcome.stdout.splitlines() if "P010" in line)
    assert "9004" in line and "W001" not in outcome.stdout.replace(line, "")


# --- 2. Bounded: hangs and sizes ----------------------------------------------------------------------------

HUGE = ["1e999999999", "1e-999999999"]
WHERE = ["published_percent", "published_turnout", "majority_fraction", "threshold"]


def put_huge(folder: Path, where: str, value: str) -> None:
    """Write `value` into the folder where the attack put it."""
    toml = folder / "election.toml"
    if where == "published_percent":
        path = folder / "results" / "list.csv"
        lines = path.read_text(encoding="utf-8").splitlines()
        header = lines[0] + ",published_percent"
        path.write_text("\n".join([header] + [line + f",{value}" for line in lines[1:]]) + "\n", encoding="utf-8")
    elif where == "published_turnout":
        replace_text(toml, 'published_turnout = "25.15"', f'published_turnout = "{value}"')
    elif where == "majority_fraction":
        replace_text(toml, 'majority_fraction = "1/2"', f'majority_fraction = "{value}"')
    else:
        replace_text(
            toml, "[system.overrides.list_tier]", f'[system.overrides.list_tier]\nthreshold_percent = "{value}"'
        )


def test_numbers_with_huge_exponents_are_refused_at_once(tmp_path: Path) -> None:
    """Finding: 1e999999999 or 1e-999999999 as published_percent, published_turnout, majority_fraction or a
    threshold hung `results`, `protocols check`, `allocate --threshold` and `whatif --threshold` (killed
    after 20-60 s). All cases run in one child process with a timeout: a hang fails the test, never the suite.
    The example itself takes about a second per command."""
    cases: list[list[str]] = []
    for where in WHERE:
        for value in HUGE:
            folder = tmp_path / f"{where}-{value}" / "almaty-2023"
            shutil.copytree(ALMATY, folder)
            put_huge(folder, where, value)
            cases += [["results", str(folder)], ["protocols", "check", str(folder)]]
    for value in HUGE:
        cases += [
            ["allocate", "A=100", "B=99", "--seats", "2", "--threshold", value],
            ["whatif", str(ALMATY), "--threshold", value],
        ]
    outcomes = saylau_isolated(cases, timeout=300)
    for args, outcome in zip(cases, outcomes, strict=True):
        assert outcome.exit_code == 2 and not outcome.traceback, (args, outcome.stderr)
        if args[0] == "results":
            assert refused_cleanly(outcome), outcome.stderr
            assert "election.toml [" in outcome.stderr or "results/list.csv:2 [published_percent]" in outcome.stderr
        if args[0] in ("allocate", "whatif"):
            assert "error: [threshold]" in outcome.stderr


def test_a_billion_seats_is_refused_before_any_work() -> None:
    """Finding: `allocate --seats 1000000000` grew past 650 MB."""
    outcome = saylau("allocate", "A=100", "B=99", "--seats", "1000000000", seconds=10)
    assert refused_cleanly(outcome)
    assert "[seats]" in outcome.stderr and "10,000" in outcome.stderr


def test_a_body_of_ten_million_seats_is_refused(almaty_copy: Path) -> None:
    """Finding: a body of 10**7 seats made a 1.17 GB HTML file."""
    replace_text(almaty_copy / "election.toml", "seats = 42", "seats = 10000000")
    outcome = saylau("report", "-f", "html", almaty_copy, seconds=10)
    assert refused_cleanly(outcome)
    assert "election.toml [body.seats]" in outcome.stderr


# --- Tracebacks ---------------------------------------------------------------------------------------------


def test_a_cell_over_the_csv_limit_is_one_line(almaty_copy: Path) -> None:
    """Finding: a CSV cell over 131,072 characters raised _csv.Error."""
    rewrite = almaty_copy / "districts.csv"
    lines = rewrite.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("District No. 2", "x" * 200_000)
    rewrite.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for command in (["results"], ["protocols", "check"]):
        outcome = saylau(*command, almaty_copy)
        assert outcome.exit_code == 2 and not outcome.traceback
        assert (
            "districts.csv:3: a cell is longer than the limit of 131,072 characters"
            in (outcome.stderr + outcome.stdout.replace("│", " "))
            or "districts.csv" in outcome.stdout
        )


def set_top_level(toml: Path, key: str, value: str) -> None:
    """Make `key = value` a top-level key of election.toml, removing the table or key it replaces."""
    kept, skipping, in_array = [], False, False
    for line in toml.read_text(encoding="utf-8").splitlines():
        if in_array:  # the rest of a multi-line array being removed
            in_array = not line.strip().startswith("]")
            continue
        header = line.strip().startswith("[")
        if header:
            name = line.strip().strip("[]").split("]")[0].strip()
            skipping = name == key or name.startswith(key + ".")
        if skipping or (not header and line.split("=")[0].strip() == key):
            in_array = not header and line.rstrip().endswith("[")
            continue
        kept.append(line)
    toml.write_text(f"{key} = {value}\n" + "\n".join(kept) + "\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("key", "value", "field"),
    [
        ("secretary", '""', "secretary"),
        ("results", "5", "results"),
        ("system", "1.5", "system"),
        ("notes", "1", "notes"),
        ("date", "1000000", "date"),
        ("date", '"yesterday"', "date"),
        ("date", "2023-03-19T10:00:00", "date"),
        ("name", "{a = 1}", "name"),
        ("previous", "[1, 2]", "previous"),
        ("body", '{name = "B", seats = 42, majority_fraction = "-1"}', "body.majority_fraction"),
        ("body", '{name = "B", seats = 42, majority_fraction = "5"}', "body.majority_fraction"),
        ("body", '{name = "B", seats = 42, majority_fraction = "1"}', "body.majority_fraction"),
        ("body", '{name = "B", seats = "42"}', "body.seats"),
        ("body", '{name = "B", seats = 4' + "2" * 5000 + "}", ""),
    ],
    ids=[
        "secretary-string",
        "results-int",
        "system-float",
        "notes-int",
        "date-number",
        "date-yesterday",
        "date-time",
        "name-table",
        "previous-array",
        "majority-negative",
        "majority-five",
        "majority-one",
        "seats-string",
        "5000-digits",
    ],
)
def test_wrong_types_in_election_toml_name_the_key(almaty_copy: Path, key: str, value: str, field: str) -> None:
    """Findings: wrong types crashed the loader, `date = "yesterday"` was dropped in silence, `name = {a = 1}`
    became the name "{'a': 1}", majority_fraction -1 gave a majority of -41 and 5 one of 211 of 42."""
    set_top_level(almaty_copy / "election.toml", key, value)
    outcome = saylau("results", almaty_copy)
    assert refused_cleanly(outcome), outcome.stderr
    assert f"election.toml [{field}" in outcome.stderr if field else "election.toml:" in outcome.stderr


def test_successors_must_be_a_table(almaty_copy: Path) -> None:
    replace_text(almaty_copy / "election.toml", 'successors = { "Nur Otan" = "Amanat" }', 'successors = ["Nur Otan"]')
    outcome = saylau("results", almaty_copy)
    assert refused_cleanly(outcome)
    assert "election.toml [previous.successors]" in outcome.stderr


def test_an_unknown_key_says_which_was_meant(almaty_copy: Path) -> None:
    replace_text(almaty_copy / "election.toml", "convocation = 8", "convocaton = 8")
    outcome = saylau("results", almaty_copy)
    assert refused_cleanly(outcome)
    assert "election.toml [body.convocaton]: unknown key 'convocaton' (did you mean convocation?)" in outcome.stderr
    replace_text(almaty_copy / "election.toml", "convocaton = 8", "convocation = 8")
    replace_text(almaty_copy / "election.toml", "seats = 21", 'seats = 21\nmethdo = "hare"')
    outcome = saylau("results", almaty_copy)
    assert refused_cleanly(outcome)
    assert "[system.list_tier.methdo]: unknown key 'methdo' (did you mean method?)" in outcome.stderr


@pytest.mark.parametrize(
    "text",
    [
        "a = " + "[" * 5000 + "]" * 5000,
        "a = " + "{b = " * 2000 + "1" + "}" * 2000,
    ],
    ids=["arrays", "inline-tables"],
)
def test_deeply_nested_toml_is_one_line(almaty_copy: Path, text: str) -> None:
    """Finding: deeply nested TOML raised RecursionError."""
    (almaty_copy / "election.toml").write_text(text, encoding="utf-8")
    outcome = saylau("results", almaty_copy)
    assert refused_cleanly(outcome)
    assert "election.toml:" in outcome.stderr


def test_deeply_nested_overrides_are_one_line(almaty_copy: Path) -> None:
    """Finding: nested overrides raised RecursionError while being merged into the preset."""
    deep = "[system.overrides]\nlist_tier = " + "{a = " * 100 + "1" + "}" * 100 + "\n"
    replace_text(almaty_copy / "election.toml", "[system.overrides.list_tier]\nseats = 21", deep)
    outcome = saylau("results", almaty_copy)
    assert refused_cleanly(outcome)
    assert "election.toml" in outcome.stderr


def test_a_five_thousand_digit_count_is_one_line(almaty_copy: Path) -> None:
    path = almaty_copy / "protocols" / "district-01.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",343,", "," + "7" * 5000 + ",", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outcome = saylau("protocols", "check", almaty_copy)
    assert outcome.exit_code == 2 and not outcome.traceback
    assert "P006" in outcome.stdout and "7" * 41 not in outcome.stdout
    results = saylau("results", almaty_copy)
    assert results.exit_code == 0 and "P006" in results.stderr


def test_protocol_json_nested_deep_is_one_line(almaty_copy: Path) -> None:
    """Finding: protocol JSON nested 100,000 deep raised RecursionError."""
    (almaty_copy / "protocols" / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    outcome = saylau("protocols", "check", almaty_copy)
    assert outcome.exit_code == 2 and not outcome.traceback
    assert "protocols/deep.json" in outcome.stdout and "nested more than" in outcome.stdout


@pytest.mark.parametrize("target", ["missing/x.html", "."], ids=["missing-folder", "a-folder"])
def test_output_to_a_missing_folder_or_a_folder_is_one_line(tmp_path: Path, target: str) -> None:
    outcome = saylau("report", "-f", "html", ALMATY, "-o", tmp_path / target)
    assert outcome.exit_code == 2 and not outcome.traceback
    assert "cannot be written" in outcome.stderr


def test_synth_onto_an_existing_file_is_one_line(tmp_path: Path) -> None:
    existing = tmp_path / "file.txt"
    existing.write_text("keep me", encoding="utf-8")
    outcome = saylau("synth", existing)
    assert refused_cleanly(outcome)
    assert existing.read_text(encoding="utf-8") == "keep me"


# --- 4. Names are data --------------------------------------------------------------------------------------

MARKUP = ["[/]", "[bold red]X[/bold red]", ":smile: [link=http://x]y[/link]"]


@pytest.mark.parametrize("name", MARKUP)
def test_names_are_never_read_as_terminal_markup(almaty_copy: Path, name: str) -> None:
    """Finding: a party called `[/]` crashed results, report -f text, whatif and allocate (MarkupError)."""
    rename(almaty_copy, "Auyl", name)
    for args in (["results"], ["report", "-f", "text"], ["whatif", "--threshold", "7"]):
        outcome = saylau(*args, almaty_copy)
        assert outcome.exit_code == 0 and not outcome.traceback, (args, outcome.stderr)
        assert name in outcome.stdout
    outcome = saylau("allocate", f"{name}=100", "B=99", "--seats", "2")
    assert outcome.exit_code == 0 and name in outcome.stdout


def test_control_characters_never_reach_the_terminal(almaty_copy: Path) -> None:
    """Finding: raw escape sequences in a name reached the terminal. A folder name with them is now refused
    (issue 12: names must be visible), and the refusal shows the name escaped; names given on the command
    line are shown escaped."""
    rename(almaty_copy, "Auyl", "A\x1b[2J\x1b]0;owned\x07\u202euyl")
    for args in (["results"], ["report", "-f", "text"], ["whatif", "--threshold", "7"]):
        outcome = saylau(*args, almaty_copy)
        assert refused_cleanly(outcome), outcome.stderr
        assert "parties.csv:3 [short_name]: 'A\\x1b[2J" in outcome.stderr
        for raw in ("\x1b", "\x07", "\u202e"):
            assert raw not in outcome.stdout + outcome.stderr
    outcome = saylau("allocate", "A\x1bB=100", "C=99", "--seats", "2")
    assert "\x1b" not in outcome.stdout and "A\\x1bB" in outcome.stdout


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x","y")', "=1+2", "@SUM(A1)", "+1+1", "-2+3"])
def test_csv_cells_are_never_formulas(almaty_copy: Path, name: str) -> None:
    """Finding: report -f csv wrote cells starting with =HYPERLINK(, =1+2, @SUM(A1), +1+1, -2+3."""
    rename(almaty_copy, "Auyl", name)
    outcome = saylau("report", "-f", "csv", almaty_copy)
    assert outcome.exit_code == 0, outcome.stderr
    import csv as csv_module
    import io

    rows = list(csv_module.DictReader(io.StringIO(outcome.stdout)))
    cells = [r["party"] for r in rows]
    assert "'" + name in cells
    assert all(
        not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for cell in (r["party"], r["full_name"])
    )
    raw = saylau("report", "-f", "csv", "--raw", almaty_copy)
    assert name in [r["party"] for r in csv_module.DictReader(io.StringIO(raw.stdout))]


def test_markdown_escapes_html(almaty_copy: Path) -> None:
    """Finding: Markdown passed `<script>` and `<img onerror>` through."""
    rename(almaty_copy, "Auyl", "<script>alert(1)</script>")
    rename(almaty_copy, "Аким Турсунов", '<img src=x onerror="alert(2)">')
    outcome = saylau("report", "-f", "markdown", almaty_copy)
    assert outcome.exit_code == 0, outcome.stderr
    assert "<script" not in outcome.stdout and "<img" not in outcome.stdout
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in outcome.stdout
    assert "&lt;img src=x onerror=" in outcome.stdout


# --- 5. Inside the folder -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["absolute", "dotdot"])
def test_previous_folder_outside_the_root_is_refused_without_saying_what_is_there(
    almaty_copy: Path, tmp_path: Path, kind: str
) -> None:
    """Finding: `[previous] folder` accepted absolute paths and `../..`: another election on the host was
    read and its name printed, and errors said whether a path existed."""
    elsewhere = tmp_path.parent / f"elsewhere-{kind}"
    elsewhere.mkdir(exist_ok=True)
    answers = []
    for target in (elsewhere, elsewhere / "no-such-folder"):
        folder = str(target) if kind == "absolute" else os.path.relpath(target, almaty_copy)
        replace_text(almaty_copy / "election.toml", 'folder = "../almaty-2021"', f'folder = "{folder}"')
        outcome = saylau("results", almaty_copy)
        assert refused_cleanly(outcome)
        assert "election.toml [previous.folder]: must lie inside" in outcome.stderr
        answers.append(outcome.stderr.replace(folder, "X"))
        replace_text(almaty_copy / "election.toml", f'folder = "{folder}"', 'folder = "../almaty-2021"')
    assert answers[0] == answers[1]  # the same answer whether the outside folder exists or not


def test_allow_previous_names_a_wider_root(almaty_copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "archive" / "almaty-2021"
    (almaty_copy.parent / "almaty-2021").rename(outside.parent.mkdir() or outside)
    replace_text(almaty_copy / "election.toml", 'folder = "../almaty-2021"', 'folder = "../archive/almaty-2021"')
    assert saylau("results", almaty_copy).exit_code == 0  # still under the default root: the folder's parent
    narrow = saylau("results", almaty_copy, "--allow-previous", almaty_copy)
    assert refused_cleanly(narrow)


def test_a_link_out_of_the_folder_is_not_followed(almaty_copy: Path, tmp_path: Path) -> None:
    """Finding: a symlink in the folder to an outside file was followed and its cell echoed in an error."""
    secret = tmp_path / "secret.csv"
    secret.write_text("short_name,full_name,registration_order\nTOP-SECRET-VALUE,x,not-a-number\n", encoding="utf-8")
    (almaty_copy / "parties.csv").unlink()
    (almaty_copy / "parties.csv").symlink_to(secret)
    outcome = saylau("results", almaty_copy)
    assert refused_cleanly(outcome)
    assert "parties.csv: is a link that leads out of the folder" in outcome.stderr
    assert "TOP-SECRET" not in outcome.stderr + outcome.stdout and str(secret) not in outcome.stderr


def test_a_link_to_a_previous_folder_outside_is_refused(almaty_copy: Path, tmp_path: Path) -> None:
    outside = tmp_path.parent / "outside-2021"
    if not outside.exists():
        (almaty_copy.parent / "almaty-2021").rename(outside)
    else:
        import shutil

        shutil.rmtree(almaty_copy.parent / "almaty-2021")
    (almaty_copy.parent / "almaty-2021").symlink_to(outside)
    outcome = saylau("results", almaty_copy)
    assert refused_cleanly(outcome)
    assert "[previous.folder]: must lie inside" in outcome.stderr


# --- Silently partial, accepted nonsense, errors with no file -----------------------------------------------


def test_a_protocol_left_out_is_reported(almaty_copy: Path) -> None:
    """Finding: a list protocol with an error (P001) was left out and `results` exited 0 without a word."""
    path = almaty_copy / "protocols" / "district-01.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",659,20,41,", ",660,20,41,", 1)  # found 659 -> 660: P001
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outcome = saylau("results", almaty_copy)
    assert outcome.exit_code == 0
    assert "warning: protocols/district-01.csv:2 [found]: left out of the count: P001" in outcome.stderr
    assert "the count is partial" in outcome.stderr


@pytest.mark.parametrize(
    ("lang", "left_out", "partial"),
    [
        (
            "ru",
            "не учтён в подсчёте: P001 обнаружено в ящиках != голоса + против всех + недействительные: в ящиках 660",
            "2 ошибки в протоколах: эти протоколы не учтены, подсчёт частичный",
        ),
        (
            "kk",
            "санаққа кірмеді: P001 жәшіктерде табылғаны != дауыстар + барлығына қарсы + жарамсыз: жәшіктерде 660",
            "хаттамалардағы 2 қате хаттамаларды санаққа кіргізбеді: санақ ішінара",
        ),
        (
            "en",
            "left out of the count: P001 found in boxes",
            "2 protocol findings left protocols out: the count is partial",
        ),
    ],
)
def test_protocols_left_out_are_said_in_the_readers_language(
    almaty_copy: Path, lang: str, left_out: str, partial: str
) -> None:
    """The warnings for protocols left out, and the line counting them (a counted phrase: 2 ошибки), in --lang."""
    path = almaty_copy / "protocols" / "district-01.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",659,20,41,", ",660,20,41,", 1)  # found 659 -> 660: P001
    lines[2] = lines[2].replace(",552,12,45,", ",553,12,45,", 1)  # the district ballot too: a second P001
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outcome = saylau("results", almaty_copy, "--lang", lang)
    assert outcome.exit_code == 0, outcome.stderr
    warning = {"ru": "предупреждение", "kk": "ескерту", "en": "warning"}[lang]  # the prefix in the reader's words
    assert f"{warning}: protocols/district-01.csv:2 [found]: {left_out}" in outcome.stderr
    assert f"{almaty_copy}: {partial}" in outcome.stderr


@pytest.mark.parametrize(
    "digits", ["１２３", "١٢٣", "۱۲۳", "१२३"], ids=["fullwidth", "arabic-indic", "persian", "devanagari"]
)
def test_non_ascii_digits_are_not_numbers(almaty_copy: Path, digits: str) -> None:
    path = almaty_copy / "stations.csv"
    replace_text(path, "101,1,2451", f"101,1,{digits}")
    outcome = saylau("protocols", "check", almaty_copy)
    assert outcome.exit_code == 2
    assert "stations.csv" in outcome.stdout and "is not a whole number" in outcome.stdout


def test_an_error_of_the_rules_names_the_folder(almaty_copy: Path) -> None:
    """Finding: `[votes]: no contestant has any votes` named no file.

    One list protocol is in, and every ballot in it is "against all": no list has a vote to share seats by.
    (Protocol files with no rows at all are a count that has not started: partial, not an error.)
    """
    for path in (almaty_copy / "protocols").glob("*.csv"):
        lines = path.read_text(encoding="utf-8").splitlines()
        kept = [lines[0]]
        if path.name == "district-01.csv":
            header = lines[0].split(",")
            row = next(line.split(",") for line in lines[1:] if ",list," in line)
            found, invalid = int(row[header.index("found")]), int(row[header.index("invalid")])
            row[header.index("against_all")] = str(found - invalid)
            row = ["0" if h.startswith("vote:") and v else v for h, v in zip(header, row, strict=True)]
            kept.append(",".join(row))
        path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    outcome = saylau("results", almaty_copy)
    assert outcome.exit_code == 2 and not outcome.traceback
    assert all(line.startswith(f"error: {almaty_copy}") for line in outcome.stderr.splitlines() if "error" in line)


# --- Quadratic steps ----------------------------------------------------------------------------------------


def test_a_hundred_thousand_candidates_in_one_district_load_in_linear_time(tmp_path: Path) -> None:
    """Finding: 100,000 candidates in one district took minutes (5k 0.75 s, 10k 1.9 s, 20k 6.3 s: quadratic).
    A deadline, not a benchmark: linear work is seconds here; quadratic would be many minutes."""
    folder = tmp_path / "many"
    assert saylau("synth", folder, "--districts", "1", "--stations", "20", "--parties", "3").exit_code == 0
    names = [f"Candidate {i}" for i in range(100_000)]
    with (folder / "candidates.csv").open("a", encoding="utf-8") as out:
        out.writelines(f"1,{n},\n" for n in names)
    with (folder / "results" / "districts.csv").open("a", encoding="utf-8") as out:
        out.writelines(f"1,{n},0,\n" for n in names)
    started = time.monotonic()
    outcome = saylau("results", "--json", folder, seconds=120)
    assert outcome.exit_code == 0, outcome.stderr
    assert json.loads(outcome.stdout)["districts"][0]["winner"] not in names
    assert time.monotonic() - started < 120
    checked = saylau("protocols", "check", folder, seconds=120)
    assert checked.exit_code == 0


def test_many_findings_are_plain_lines_not_a_table(tmp_path: Path) -> None:
    """Finding: `protocols check` on 1,000,000 rows spent most of its time drawing the table."""
    folder = tmp_path / "big"
    assert saylau("synth", folder, "--districts", "2", "--stations", "700", "--errors", "700").exit_code == 0
    outcome = saylau("protocols", "check", folder)
    assert outcome.exit_code == 2
    lines = outcome.stdout.splitlines()
    assert len(lines) > 500 and "│" not in outcome.stdout
    assert any(f"{folder}/protocols/all.csv:2 [found]: P001 station" in line for line in lines)
