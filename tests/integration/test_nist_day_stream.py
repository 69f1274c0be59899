"""The day's NIST report written as a stream (`write_nist_day`: contest by contest, each contest's stations
from columns a chunk at a time) is, byte for byte, the report `day_report` builds whole and joins
(`joined_report`), indented: on a synthetic day whose Mäjilis is read through the column reader (its register
and protocols kept as columns), whether a contest's stations are written from columns or by the definition;
and `saylau report DAY --format nist` reads each contest's protocols once.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import saylau.cli.report  # registers the command
import saylau.io.columnar
import saylau.io.count
from saylau.cli.app import app
from saylau.io.count import OBJECT_COUNT, StationsCount
from saylau.io.day import load_day
from saylau.io.day_writer import write_day
from saylau.reports import nist_day
from saylau.reports.nist import Export, StationCount
from saylau.reports.nist_day import day_report, indented, render_nist_day, write_nist_day
from saylau.result_day import declare_day
from saylau.synth import synthesize_day
from saylau.tabulation.fast import AcceptedRows, StationRows

WHEN = datetime(2026, 3, 15, 21, 0, tzinfo=UTC)
STATIONS = 2500


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("nist-day") / "day"
    write_day(folder, synthesize_day(seed=25, stations=STATIONS))
    assert sum(p.stat().st_size for p in (folder / "majilis" / "protocols").iterdir()) > OBJECT_COUNT
    return folder


def _declared(folder: Path) -> tuple[Any, dict[str, StationCount | None]]:
    kept: dict[str, StationsCount] = {}
    declared = declare_day(load_day(folder, kept=kept))
    return declared, {cid: StationCount(stations, count.accepted) for cid, (stations, count) in kept.items()}


@pytest.mark.parametrize("columns", [True, False])
def test_the_streamed_day_is_the_joined_report(day: Path, columns: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    declared, counts = _declared(day)
    majilis = counts["majilis"]
    assert majilis is not None and isinstance(majilis.stations, StationRows)
    assert isinstance(majilis.accepted, AcceptedRows) and len(majilis.stations) == STATIONS
    assert len(counts) == len(declared.contests) > 2
    if not columns:  # every contest's stations written by the definition, one dictionary at a time
        monkeypatch.setattr(nist_day, "export_of", lambda result, count, part=None: Export(result, count))
    text = render_nist_day(declared.day, declared.contests, counts, generated=WHEN)
    whole = day_report(declared.day, declared.contests, counts, generated=WHEN)
    assert text == indented(whole) + "\n"
    # a station counts the Mäjilis and its region's mäslihat: one unit, its status over both contests
    units = [u for u in whole["GpUnit"] if u["@id"].startswith("gpu-station-")]
    assert len(units) == len({u["@id"] for u in units}) == STATIONS
    assert text.count('"Type": "precinct"') == STATIONS
    assert text.count('"OtherType": "majilis/list-ballot"') == 1 + 29 + STATIONS  # country, districts, stations


def test_a_partial_status_and_a_file_stream(day: Path) -> None:
    """A status named by the caller, and the stream written to a file's binary buffer (the command's way)."""
    declared, counts = _declared(day)
    whole = day_report(declared.day, declared.contests, counts, "correction", WHEN)
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    write_nist_day(out, declared.day, declared.contests, counts, "correction", WHEN)
    out.flush()
    assert out.buffer.getvalue().decode() == indented(whole) + "\n"  # type: ignore[attr-defined]
    assert whole["Status"] == "correction"


def test_the_command_reads_each_contests_protocols_once(
    day: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[Path] = []  # every folder whose protocols are read, by either reader

    def counting(reader: Any) -> Any:
        def counted(paths: Any, *args: Any, **kwargs: Any) -> Any:
            read.extend(paths)
            return reader(paths, *args, **kwargs)

        return counted

    monkeypatch.setattr(saylau.io.count, "read_protocols", counting(saylau.io.count.read_protocols))
    monkeypatch.setattr(saylau.io.columnar, "count_protocols", counting(saylau.io.columnar.count_protocols))
    out = tmp_path / "day.nist.json"
    done = CliRunner().invoke(app, ["report", str(day), "--format", "nist", "-o", str(out)])
    assert done.exit_code == 0, done.output
    once = list(read)
    declared, counts = _declared(day)
    assert len(once) == len(set(once)) == len(counts)  # each contest's protocols once
    generated = out.read_text(encoding="utf-8").split('"GeneratedDate": "', 1)[1][:20]
    when = datetime.strptime(generated, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert (
        out.read_text(encoding="utf-8")
        == indented(day_report(declared.day, declared.contests, counts, generated=when)) + "\n"
    )
