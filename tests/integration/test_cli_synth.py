"""`saylau synth`: the folder it writes is an ordinary election folder; injected errors fail the check."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from saylau.io import load_election
from tests.integration.test_almaty_2023 import run_saylau

SIZE = ("--districts", "3", "--stations", "12", "--parties", "4")


def synth(folder: Path, *extra: str) -> None:
    done = run_saylau("synth", str(folder), "--seed", "7", *SIZE, *extra)
    assert done.returncode == 0, done.stderr


def test_a_clean_synthetic_folder_declares_and_checks(tmp_path: Path) -> None:
    synth(tmp_path / "e")
    done = run_saylau("results", str(tmp_path / "e"), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["seats_total"] == 6  # 3 list seats (default: as many as districts) + 3 districts
    assert run_saylau("protocols", "check", str(tmp_path / "e")).returncode == 0
    with (tmp_path / "e" / "synth-errors.csv").open(encoding="utf-8") as f:
        assert list(csv.DictReader(f)) == []


def test_injected_errors_are_listed_and_fail_the_check(tmp_path: Path) -> None:
    synth(tmp_path / "e", "--errors", "7", "--list-seats", "5")
    with (tmp_path / "e" / "synth-errors.csv").open(encoding="utf-8") as f:
        injected = {(r["station"], r["code"]) for r in csv.DictReader(f)}
    assert {code for _, code in injected} == {"P001", "P002", "P003", "P004", "P005", "P007", "P008"}
    done = run_saylau("protocols", "check", str(tmp_path / "e"))
    assert done.returncode == 2
    for station, code in injected:
        assert any(station in line and code in line for line in done.stdout.splitlines()), (station, code)
    # The published totals are the accepted protocols' sums, so they equal the count.
    counted = load_election(tmp_path / "e").results
    published = load_election(tmp_path / "e", count_protocols=False).results
    assert counted.list_tally == published.list_tally
    assert counted.district_tallies == published.district_tallies
    assert run_saylau("results", str(tmp_path / "e"), "--json").returncode == 0


def test_the_same_seed_writes_the_same_folder(tmp_path: Path) -> None:
    synth(tmp_path / "a", "--errors", "2")
    synth(tmp_path / "b", "--errors", "2")
    for name in ("protocols/all.csv", "results/list.csv", "stations.csv", "synth-errors.csv"):
        assert (tmp_path / "a" / name).read_text(encoding="utf-8") == (tmp_path / "b" / name).read_text(
            encoding="utf-8"
        )


def test_impossible_sizes_exit_2(tmp_path: Path) -> None:
    done = run_saylau("synth", str(tmp_path / "e"), "--districts", "5", "--stations", "2")
    assert done.returncode == 2
    assert "error:" in done.stderr


def _candidates_per_district(folder: Path) -> list[int]:
    with (folder / "candidates.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [sum(1 for r in rows if r["district"] == d) for d in sorted({r["district"] for r in rows})]


def test_candidates_sets_the_most_a_district_has(tmp_path: Path) -> None:
    size = ("--seed", "7", "--districts", "29", "--stations", "58")
    assert run_saylau("synth", str(tmp_path / "big"), *size, "--parties", "7", "--candidates", "8").returncode == 0
    counts = _candidates_per_district(tmp_path / "big")
    assert len(counts) == 29 and min(counts) >= 2 and max(counts) <= 8
    assert max(counts) > 5  # more than the default allows: the option is used
    # Every district protocol has a line for each of its district's candidates.
    with (tmp_path / "big" / "protocols" / "all.csv").open(encoding="utf-8") as f:
        district_lines = [sum(1 for k, v in r.items() if k.startswith("vote:") and v) for r in csv.DictReader(f)]
    assert max(district_lines) > 7  # the list's 7 parties, or a district of 8 candidates
    assert run_saylau("results", str(tmp_path / "big"), "--json").returncode == 0
    # Without the option the generator draws what it always drew: the same folder as --candidates 5.
    assert run_saylau("synth", str(tmp_path / "plain"), *size).returncode == 0
    assert run_saylau("synth", str(tmp_path / "five"), *size, "--candidates", "5").returncode == 0
    for name in ("candidates.csv", "protocols/all.csv", "results/list.csv"):
        plain = (tmp_path / "plain" / name).read_text(encoding="utf-8")
        assert plain == (tmp_path / "five" / name).read_text(encoding="utf-8")
    assert max(_candidates_per_district(tmp_path / "plain")) <= 5


def test_too_few_or_too_many_candidates_are_refused_in_the_readers_language(tmp_path: Path) -> None:
    few = run_saylau("synth", str(tmp_path / "few"), *SIZE, "--candidates", "1", "--lang", "ru")
    assert few.returncode == 2
    assert few.stderr.strip() == "ошибка: в каждом округе нужно как минимум 2 кандидата"
    assert not (tmp_path / "few").exists()
    many = run_saylau("synth", str(tmp_path / "many"), *SIZE, "--candidates", "101", "--lang", "kk")
    assert many.returncode == 2
    assert many.stderr.strip() == "қате: [candidates]: 101: 100 шегінен асады"
    assert not (tmp_path / "many").exists()
