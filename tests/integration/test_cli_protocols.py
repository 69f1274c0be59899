"""`saylau protocols check`: every finding with its file, row and code, exit 2 on an error, 0 otherwise;
and the reader's file/row/field problems for protocols that cannot be identified."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from saylau.io import load_election
from saylau.io.count import results_from_protocols
from saylau.io.protocols import read_protocols
from tests.integration.test_almaty_2023 import run_saylau

HEADER = (
    "station,district,ballot,registered,received,issued,issued_absentee,issued_outside,cancelled,found,invalid,"
    "against_all,vote:Amanat,vote:Auyl,vote:Respublica,vote:QHP,vote:Baytaq,vote:Aq Jol,"
    "vote:Дастан Джантелиев,vote:District 2 candidate B,vote:District 2 candidate C"
)
# registered 1000, received 1010 = issued 600 + cancelled 410, found 600 = votes 570 + against all 20 + invalid 10
LIST_ROW = "{station},2,list,1000,1010,600,5,10,410,{found},10,20,300,100,70,50,30,20,,,"
DISTRICT_ROW = "{station},2,district,1000,1010,600,5,10,410,600,10,20,,,,,,,400,100,70"


def write_protocols(folder: Path, rows: list[str]) -> None:
    """Replace the example's own protocols with two stations of district 2 (and drop its published totals,
    which these protocols do not give: `protocols check` would warn about each, docs/protocols.md)."""
    shutil.rmtree(folder / "protocols", ignore_errors=True)
    shutil.rmtree(folder / "results", ignore_errors=True)
    (folder / "stations.csv").write_text("station,district,registered\n101,2,1000\n102,2,1000\n", encoding="utf-8")
    (folder / "protocols").mkdir()
    (folder / "protocols" / "district-2.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")


def clean_rows() -> list[str]:
    return [
        LIST_ROW.format(station=101, found=600),
        DISTRICT_ROW.format(station=101),
        LIST_ROW.format(station=102, found=600),
        DISTRICT_ROW.format(station=102),
    ]


def test_clean_protocols_exit_0(almaty_copy: Path) -> None:
    write_protocols(almaty_copy, clean_rows())
    done = run_saylau("protocols", "check", str(almaty_copy))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 errors, 0 warnings" in done.stdout


def test_an_error_is_listed_with_file_row_and_code_and_exits_2(almaty_copy: Path) -> None:
    rows = clean_rows()
    rows[2] = LIST_ROW.format(station=102, found=601)
    write_protocols(almaty_copy, rows)
    done = run_saylau("protocols", "check", str(almaty_copy))
    assert done.returncode == 2, done.stdout + done.stderr
    line = next(line for line in done.stdout.splitlines() if "P001" in line)
    assert "district-2.csv" in line and " 4 " in line and "102" in line
    assert "1 error, 0 warnings" in done.stdout


def test_a_file_is_checked_against_its_election_folder(almaty_copy: Path) -> None:
    write_protocols(almaty_copy, [*clean_rows(), "103,2,list,1000,1010,600,5,ten,410,600,10,20,300,100,70,50,30,20,,,"])
    done = run_saylau("protocols", "check", str(almaty_copy / "protocols" / "district-2.csv"))
    assert done.returncode == 2
    assert "P009" in done.stdout  # station 103 is not in stations.csv
    assert "P006" in done.stdout  # 'ten' ballots issued outside the premises


def test_warnings_alone_exit_0(almaty_copy: Path) -> None:
    rows = clean_rows()
    rows.append(rows[0])  # the same protocol entered twice
    write_protocols(almaty_copy, rows)
    done = run_saylau("protocols", "check", str(almaty_copy))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "W005" in done.stdout


def test_unidentifiable_rows_are_problems_with_file_row_and_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "\n" + LIST_ROW.format(station="x", found=600).replace(",list,", ",lst,") + "\n")
    found = read_protocols([path])
    assert found.protocols == []
    assert {(p.row, p.field) for p in found.problems} == {(2, "station"), (2, "ballot")}
    done = run_saylau("protocols", "check", str(path))
    assert done.returncode == 2 and "input" in done.stdout


def test_the_json_form_reads_like_the_csv_form(tmp_path: Path) -> None:
    protocol = {
        "station": 101,
        "district": 2,
        "ballot": "list",
        "registered": 1000,
        "received": 1010,
        "issued": 600,
        "issued_absentee": 5,
        "issued_outside": 10,
        "cancelled": 410,
        "found": 600,
        "invalid": 10,
        "against_all": 20,
        "votes": {"Amanat": 300, "Auyl": 100, "Respublica": 70, "QHP": 50, "Baytaq": 30, "Aq Jol": 20},
    }
    (tmp_path / "p.json").write_text(json.dumps([protocol, {**protocol, "station": 102, "found": "six hundred"}]))
    (tmp_path / "p.csv").write_text(HEADER + "\n" + LIST_ROW.format(station=101, found=600) + "\n")
    from_json = read_protocols([tmp_path / "p.json"])
    from_csv = read_protocols([tmp_path / "p.csv"])
    assert from_json.problems == [] and from_csv.problems == []
    assert from_json.protocols[0] == from_csv.protocols[0]
    assert from_json.protocols[1].malformed == {"found": "six hundred"}
    assert (from_json.protocols[1].source, from_json.protocols[1].row) == (str(tmp_path / "p.json"), 2)


def test_the_folder_counts_its_protocols_as_results(almaty_copy: Path) -> None:
    rows = clean_rows()
    rows[2] = LIST_ROW.format(station=102, found=601)  # left out: P001
    write_protocols(almaty_copy, rows)
    results = results_from_protocols(almaty_copy, load_election(almaty_copy))
    assert results is not None and results.list_tally is not None
    assert results.list_tally.votes["Amanat"] == 300 and results.list_tally.took_part == 600
    assert results.district_tallies[2].votes["Дастан Джантелиев"] == 800
    assert results_from_protocols(almaty_copy.parent / "almaty-2021", load_election(almaty_copy)) is None
