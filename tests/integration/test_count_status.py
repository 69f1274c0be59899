"""A result knows how far the count has got: status and progress per ballot (`saylau results --json`)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

from saylau.domain import BallotProgress, CountStatus, count_status


def _results_json(folder: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-m", "saylau", "results", str(folder), "--json"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    data: dict[str, object] = json.loads(done.stdout)
    return data


def _stations(folder: Path) -> dict[int, int]:
    """Station number -> registered voters, read straight from the register (not through saylau)."""
    with (folder / "stations.csv").open(encoding="utf-8") as f:
        return {int(r["station"]): int(r["registered"]) for r in csv.DictReader(f)}


def _protocol_stations(path: Path) -> set[int]:
    with path.open(encoding="utf-8") as f:
        return {int(r["station"]) for r in csv.DictReader(f)}


def test_full_count_is_complete_with_every_station(almaty_copy: Path) -> None:
    stations = _stations(almaty_copy)
    data = _results_json(almaty_copy)
    assert data["status"] == "complete"
    expected = {
        "stations_reported": len(stations),
        "stations_expected": len(stations),
        "registered_covered": sum(stations.values()),
        "registered_expected": sum(stations.values()),
    }
    assert data["progress"] == {"list": expected, "district": expected}


def test_half_the_protocols_is_partial_and_says_how_much(almaty_copy: Path) -> None:
    stations = _stations(almaty_copy)
    files = sorted((almaty_copy / "protocols").glob("*.csv"))
    removed: set[int] = set()
    for path in files[: len(files) // 2]:
        removed |= _protocol_stations(path)
        path.unlink()
    data = _results_json(almaty_copy)
    assert data["status"] == "partial"
    progress = data["progress"]
    assert isinstance(progress, dict)
    for ballot in ("list", "district"):
        assert progress[ballot] == {
            "stations_reported": len(stations) - len(removed),
            "stations_expected": len(stations),
            "registered_covered": sum(v for s, v in stations.items() if s not in removed),
            "registered_expected": sum(stations.values()),
        }


def test_published_totals_without_protocols_are_complete(almaty_copy: Path) -> None:
    for path in (almaty_copy / "protocols").iterdir():
        path.unlink()
    (almaty_copy / "protocols").rmdir()
    data = _results_json(almaty_copy)
    assert data["status"] == "complete"
    assert data["progress"] == {}


def test_status_of_a_count() -> None:
    done = BallotProgress("list", 3, 3, 300, 300)
    half = BallotProgress("district", 1, 3, 90, 300)
    assert count_status({}) is CountStatus.COMPLETE
    assert count_status({"list": done}) is CountStatus.COMPLETE
    assert count_status({"list": done, "district": half}) is CountStatus.PARTIAL
    assert count_status({"list": done, "district": half}, certified=True) is CountStatus.CERTIFIED
