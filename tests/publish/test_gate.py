"""The publish gate offline: a folder's close of polls (with its UTC offset) holds its figures back.

Served by nginx: before the close nothing is readable on the public site (no pointer, no file), the staff's
preview is marked on every page; after the close, or released early with `--release`, every file is there.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

import saylau.cli.publish  # noqa: F401  (registers the command)
from saylau.cli.app import app
from saylau.errors import InputError
from saylau.publish import from_folder
from saylau.publish.gate import gate_of
from tests.publish.conftest import Count

ALMATY_TIME = timezone(timedelta(hours=5))  # a close of polls written with the offset +05:00


def _close_polls(count: Count, when: datetime) -> None:
    toml = count.folder / "election.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text + f"\n[publication]\npolls_close = {when.isoformat()}\n", encoding="utf-8")


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_nothing_is_readable_before_the_polls_close(count: Count, site: tuple[Path, str], tmp_path: Path) -> None:
    folder, base = site
    _close_polls(count, datetime.now(ALMATY_TIME) + timedelta(hours=3))
    staff = tmp_path / "staff"
    runner = CliRunner()
    held = runner.invoke(app, ["publish", "folder", str(count.folder), "--to", str(folder), "--preview-to", str(staff)])
    assert held.exit_code == 0, held.output
    assert "nothing published, the results are held until the polls close at" in held.output
    assert "preview version 1: " in held.output
    assert list(folder.iterdir()) == []
    for path in ("current.json", "index.html", "v/1/kk/index.html", "v/1/results.csv", "versions.json"):
        assert _status(f"{base}/{path}") == 404, path
    pointer = json.loads((staff / "current.json").read_text())
    assert pointer["preview"] is True
    pages = list((staff / "v" / "1").rglob("*.html"))
    assert len(pages) > 1000 and all("data-preview" in p.read_text(encoding="utf-8") for p in pages)
    assert "Предварительный просмотр: не опубликовано" in (staff / "v/1/ru/station/101.html").read_text(
        encoding="utf-8"
    )

    released = runner.invoke(app, ["publish", "folder", str(count.folder), "--to", str(folder), "--release"])
    assert released.exit_code == 0 and released.output.startswith("version 1: "), released.output
    pointer = json.loads(urllib.request.urlopen(f"{base}/current.json").read())
    assert pointer["version"] == 1 and "preview" not in pointer
    manifest = json.loads(urllib.request.urlopen(f"{base}/{pointer['manifest']}").read())
    for group in manifest["groups"].values():
        for path in group["files"]:
            assert _status(f"{base}/v/{group['at']}/{path}") == 200, path
    assert b"data-preview" not in urllib.request.urlopen(f"{base}/v/1/kk/index.html").read()


def test_after_the_close_of_polls_the_gate_is_open(count: Count) -> None:
    _close_polls(count, datetime.now(ALMATY_TIME) - timedelta(minutes=1))
    gate = from_folder(count.folder).contests[0].gate
    assert gate.is_open(datetime.now(UTC))
    assert not gate.is_open(datetime.now(UTC) - timedelta(minutes=2))


def test_a_close_of_polls_without_its_offset_is_refused() -> None:
    with pytest.raises(InputError, match=r"election.toml \[publication.polls_close\]"):
        gate_of("[publication]\npolls_close = 2023-03-19T20:00:00\n")
    assert gate_of("[publication]\nhold = true\n").describe() == "held until a coordinator releases it"
