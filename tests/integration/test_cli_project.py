"""`saylau project`: JSON labelled as a projection, the declared result at a full count, clear refusals."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from tests.integration.test_almaty_2023 import run_saylau


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("project") / "e"
    done = run_saylau(
        "synth", str(out), "--seed", "3", "--districts", "4", "--stations", "60", "--parties", "3",
        "--heterogeneity", "0.3", "--previous",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return out


def test_a_full_count_projects_the_declared_result(folder: Path) -> None:
    declared = json.loads(run_saylau("results", str(folder), "--json").stdout)
    done = run_saylau("project", str(folder), "--json", "--draws", "200")
    assert done.returncode == 0, done.stderr
    projected = json.loads(done.stdout)
    assert projected["kind"] == "projection" and projected["complete"] and projected["uses_previous"]
    for line, party in zip(projected["parties"], declared["parties"], strict=True):
        assert line["name"] == party["name"]
        assert line["seats"] == {"median": party["seats"], "low": party["seats"], "high": party["seats"]}
        assert line["list_seats"]["median"] == party["list_seats"]
    holder = declared["majority_holder"]
    assert projected["likely_majority"] == holder
    assert projected["majority_probability"][holder or "none"] == 1.0


def test_a_partial_count_is_uncertain_and_the_same_for_a_seed(folder: Path) -> None:
    args = ("project", str(folder), "--json", "--draws", "500", "--counted", "20", "--seed", "4")
    first = run_saylau(*args)
    assert first.returncode == 0, first.stderr
    projected = json.loads(first.stdout)
    assert projected["stations_counted"] == 12 and not projected["complete"]
    assert any(p["seats"]["low"] < p["seats"]["high"] for p in projected["parties"])
    assert sum(projected["majority_probability"].values()) == pytest.approx(1.0, abs=1e-3)
    assert run_saylau(*args).stdout == first.stdout
    table = run_saylau("project", str(folder), "--draws", "300", "--counted", "20")
    assert table.returncode == 0 and "Projection" in table.stdout


def test_nothing_counted_and_a_bad_previous_column_exit_2_with_one_line(folder: Path, tmp_path: Path) -> None:
    done = run_saylau("project", str(folder), "--counted", "0")
    assert done.returncode == 2 and "nothing to project from" in done.stderr and "Traceback" not in done.stderr
    with (folder / "stations.csv").open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    rows[0] = [c.replace("previous:Party 3", "previous:Party 9") for c in rows[0]]
    broken = tmp_path / "stations"
    broken.mkdir()
    for item in folder.iterdir():  # copies: a link out of the folder is refused (docs/limits.md)
        if item.name != "stations.csv":
            (shutil.copytree if item.is_dir() else shutil.copy)(item, broken / item.name)
    with (broken / "stations.csv").open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    done = run_saylau("project", str(broken))
    assert done.returncode == 2
    assert "stations.csv:1 [previous:Party 9]: 'Party 9' is not a registered party" in done.stderr
