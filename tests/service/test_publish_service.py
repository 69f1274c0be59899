"""Publishing the results service's count: `saylau publish service` reads the public snapshot from the database.

Station 101's figures are typed from examples/almaty-2023 (`STATION_101_LIST`), never taken from saylau.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import saylau.cli.publish  # noqa: F401  (registers the command)
import saylau.publish.source as source_module
from saylau.cli.app import app
from saylau.io.protocols import read_protocol_file
from saylau.publish import FolderTarget, current, from_database, publish
from saylau.service.protocols import FIGURES
from saylau.web import Settings
from tests.service.conftest import ALMATY
from tests.service.helpers import STATION_101_LIST, user

ENTRIES = "/api/protocols/101/list/entries"


@pytest.fixture(params=["sqlite"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """SQLite: the snapshot reads the database through the same service layer on both backends."""
    return f"sqlite:///{tmp_path / 'saylau.sqlite'}"


def _accept(client: TestClient, url: str, figures: dict[str, object], names: tuple[str, str]) -> None:
    one, two = user(client, names[0], "operator", [1]), user(client, names[1], "operator", [1])
    assert client.post(url, json=figures, headers=one).status_code in (200, 201)
    accepted = client.post(url, json=figures, headers=two)
    assert accepted.json()["state"] == "accepted", accepted.text


def test_the_service_count_is_published_station_by_station(client: TestClient, tmp_path: Path) -> None:
    database = client.app.state.database  # type: ignore[attr-defined]
    target = FolderTarget(tmp_path / "site")
    first = publish(target, from_database(database))
    station = json.loads((tmp_path / "site" / "v" / str(first.version) / "station" / "101.json").read_text())
    assert station["protocols"] == []
    _accept(client, ENTRIES, STATION_101_LIST, ("op1", "op2"))
    second = publish(target, from_database(database))
    assert second.version > first.version  # the service's version: its audit head
    pointer = current(target) or {}
    assert pointer["version"] == second.version and pointer["status"] == "partial"
    manifest = json.loads((tmp_path / "site" / pointer["manifest"]).read_text())
    at = manifest["groups"]["station/101"]["at"]
    station = json.loads((tmp_path / "site" / "v" / str(at) / "station" / "101.json").read_text())
    [protocol] = station["protocols"]
    assert protocol["ballot"] == "list" and protocol["votes"] == STATION_101_LIST["votes"]
    assert protocol["found"] == STATION_101_LIST["found"]
    assert manifest["groups"]["station/102"]["at"] == first.version  # unchanged: stored once
    page = (tmp_path / "site" / "v" / str(at) / "ru" / "station" / "101.html").read_text()
    assert "Избирательный участок 101" in page and "343" in page


def _typed(station: int, ballot: str) -> dict[str, object]:
    """A protocol as typed in the example's protocol file (not saylau's count)."""
    found, problems = read_protocol_file(ALMATY / "protocols", "district-01.csv")
    assert not problems
    [protocol] = [p for p in found if p.station == station and p.ballot == ballot]
    return {n: protocol.figure(n) for n in FIGURES} | {"votes": dict(protocol.votes)}


@pytest.mark.parametrize("case", ["carried", "older than carried", "corrected"])
def test_a_watching_publisher_carries_each_projection_for_a_while_never_past_a_correction(
    client: TestClient, case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = client.app.state.database  # type: ignore[attr-defined]
    for station, ballot, names in ((101, "list", ("op1", "op2")), (101, "district", ("op3", "op4"))):
        _accept(client, f"/api/protocols/{station}/{ballot}/entries", _typed(station, ballot), names)
    [first] = from_database(database).contests
    assert first.snapshot.projection is not None
    first.snapshot.projected_at -= 20  # made 20 s ago: older than the service's page carries one (10 s)
    if case == "older than carried":
        monkeypatch.setattr(source_module, "PROJECTION_EVERY", 10.0)
    _accept(client, "/api/protocols/102/list/entries", _typed(102, "list"), ("op5", "op6"))
    if case == "corrected":  # station 101's list protocol reopened since the version published
        chief = user(client, "chief", "coordinator")
        reopened = client.post("/api/protocols/101/list/reopen", json={"reason": "typo"}, headers=chief)
        assert reopened.status_code == 200, reopened.text
    since = first.snapshot.version
    [second] = from_database(database, since, previous={first.snapshot.contest: first.snapshot}).contests
    assert second.snapshot.accepted != first.snapshot.accepted, "the count moved on"
    assert second.snapshot.projection is not None
    assert (second.snapshot.projection is first.snapshot.projection) is (case == "carried")


def test_the_command_publishes_the_service(client: TestClient, settings: Settings, tmp_path: Path) -> None:
    url = str(settings.database)
    _accept(client, ENTRIES, STATION_101_LIST, ("op1", "op2"))
    done = CliRunner().invoke(app, ["publish", "service", "--database", url, "--to", str(tmp_path / "site")])
    assert done.exit_code == 0, done.output
    pointer = current(FolderTarget(tmp_path / "site")) or {}
    assert done.output.startswith(f"version {pointer['version']}: ")
    again = CliRunner().invoke(app, ["publish", "service", "--database", url, "--to", str(tmp_path / "site")])
    assert "already published" in again.output


def test_watching_publishes_every_new_snapshot(client: TestClient, settings: Settings, tmp_path: Path) -> None:
    """`saylau publish service --watch` (its own process, over the same database) publishes a new version
    after each write, until it is stopped."""
    site = tmp_path / "site"
    command = [sys.executable, "-m", "saylau", "publish", "service", "--database", str(settings.database)]
    watcher = subprocess.Popen(
        [*command, "--to", str(site), "--watch", "--every", "0.1"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        first = _wait_for_version(site, 0)
        _accept(client, ENTRIES, STATION_101_LIST, ("op1", "op2"))
        second = _wait_for_version(site, first)
        manifest = json.loads((site / "v" / str(second) / "manifest.json").read_text())
        at = manifest["groups"]["station/101"]["at"]
        station = json.loads((site / "v" / str(at) / "station" / "101.json").read_text())
        assert station["protocols"][0]["votes"] == STATION_101_LIST["votes"]
    finally:
        watcher.terminate()
        _, errors = watcher.communicate(timeout=30)
    assert b"Traceback" not in errors, errors.decode()


def _wait_for_version(site: Path, after: int) -> int:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        pointer = current(FolderTarget(site))
        if pointer and int(pointer["version"]) > after:
            return int(pointer["version"])
        time.sleep(0.1)
    raise AssertionError(f"no version after {after} within 60 s")
