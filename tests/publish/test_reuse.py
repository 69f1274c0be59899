"""The NIST report of a new version is written reusing what did not change, and is still the report itself.

`saylau.publish.reuse.Written` writes a report reusing the runs of items the last report had unchanged: its
bytes must be those of `json.dumps` and of `render_nist_xml` on the report alone, whatever changed between
the two (a count, a station gone, a list cut shorter). A day's report reuses an unchanged contest's part
(`saylau.reports.nist_day.contest_report`, kept by the publisher): after a correction in one contest, the
other's part is the one kept, and the version is byte for byte, through its manifest, what a publisher with
nothing kept makes of the same two versions, and valid against the NIST schemas.
"""

from __future__ import annotations

import json
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import xmlschema

import saylau.publish.ahead as ahead
import saylau.publish.pages as pages
import saylau.publish.publisher as publisher
import saylau.publish.reuse as reuse
from saylau.publish import FolderTarget, from_folder, publish
from saylau.publish.reuse import CHUNK, Made, Written
from saylau.reports import nist_columns
from saylau.reports.nist import StationCount, election_report
from saylau.reports.nist_xml import render_nist_xml
from tests.publish.conftest import Count
from tests.publish.test_incremental import _files
from tests.service.test_public_day import copy_day

WHEN = datetime(2023, 3, 19, 21, 0, tzinfo=UTC)
SCHEMAS = Path(__file__).resolve().parents[2] / "src" / "saylau" / "reports" / "schemas"


def _report(folder: Path, status: str | None = None) -> dict[str, Any]:
    [source] = from_folder(folder, WHEN, again=None).contests
    snapshot = source.snapshot
    return election_report(snapshot.result, status, WHEN, count=StationCount(snapshot.stations, snapshot.accepted))


@pytest.mark.parametrize("columns", [True, False])
def test_the_report_made_from_columns_and_kept_lines_is_election_report_s(
    count: Count, columns: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if columns:  # Almaty's 1,100 protocols written from columns, as a country's are
        monkeypatch.setattr(nist_columns, "COLUMN_ROWS", 1)
    made = Made()
    for change in (None, 101, 205):
        if change == 101:
            count.swap(101, "Amanat", "Respublica")
        elif change == 205:
            count.without(205)
        [source] = from_folder(count.folder, WHEN, again=None).contests
        snapshot = source.snapshot
        stations = StationCount(snapshot.stations, snapshot.accepted)
        mine = made.report(snapshot.result, "correction" if change else None, WHEN, stations)
        theirs = election_report(snapshot.result, "correction" if change else None, WHEN, count=stations)
        assert json.dumps(mine, ensure_ascii=False) == json.dumps(theirs, ensure_ascii=False)


def _alone(report: dict[str, Any]) -> tuple[bytes, bytes]:
    """The report written from scratch, as the publisher wrote it before anything was reused."""
    return json.dumps(report, ensure_ascii=False, separators=(",", ":")).encode(), render_nist_xml(report)


def _runs(written: Written) -> list[Any]:
    """The runs of the last report's reporting units (the stations' and districts')."""
    return list(written.last["GpUnit"])


def test_a_report_written_again_is_the_report_written_alone(count: Count) -> None:
    written = Written()
    first = _report(count.folder)
    assert len(first["GpUnit"]) > 8 * CHUNK
    assert written.write(first) == _alone(first)
    before = _runs(written)

    count.swap(101, "Amanat", "Respublica")  # one station's counts, its district's and the city's change
    second = _report(count.folder, "correction")
    assert second != first
    assert written.write(second) == _alone(second)
    after = _runs(written)
    kept = sum(a is b for a, b in zip(before, after, strict=True))
    assert kept >= len(before) - 2, "the unchanged stations' runs are the last report's own"

    count.without(205)  # a station has not reported: it is still a unit, its counts are gone
    third = _report(count.folder)
    assert written.write(third) == _alone(third)

    # lists shortened below a run, a unit gone from the middle (every run after it shifts), a key removed
    fourth = json.loads(json.dumps(third))
    fourth["GpUnit"] = fourth["GpUnit"][: CHUNK // 2] + fourth["GpUnit"][CHUNK // 2 + 1 :]
    fourth["Election"][0]["BallotCounts"] = fourth["Election"][0]["BallotCounts"][:3]
    del fourth["Office"]
    assert written.write(fourth) == _alone(fourth)
    assert written.write(first) == _alone(first)  # and back


def test_a_report_of_too_many_units_is_written_but_not_kept(count: Count, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reuse, "KEPT_UNITS", 100)  # Almaty's 575 units stand for a million stations'
    written, made = Written(), Made()
    [source] = from_folder(count.folder, WHEN, again=None).contests
    snapshot = source.snapshot
    report = made.report(snapshot.result, None, WHEN, StationCount(snapshot.stations, snapshot.accepted))
    assert written.write(report) == _alone(report)
    assert written.last is None and made.lines == {}


def _fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """A publisher that keeps nothing from the versions it made before (a new process)."""
    monkeypatch.setattr(pages, "NIST_MADE", Made())
    monkeypatch.setattr(pages, "NIST_WRITTEN", Written())
    monkeypatch.setattr(publisher, "DAY_PARTS", {})
    monkeypatch.setattr(pages, "_LAST_DATA", {})
    monkeypatch.setattr(publisher, "_STATIONS", {})


def _valid(version: Path) -> None:
    report = json.loads((version / "results.nist.json").read_text(encoding="utf-8"))
    schema = json.loads((SCHEMAS / "NIST_V2_election_results_reporting.json").read_text(encoding="utf-8"))
    assert [e.message for e in jsonschema.Draft4Validator(schema).iter_errors(report)] == []
    xsd = xmlschema.XMLSchema(str(SCHEMAS / "NIST_V2_election_results_reporting.xsd"))
    assert [str(e).splitlines()[0] for e in xsd.iter_errors(str(version / "results.nist.xml"))] == []


def test_a_correction_of_one_contest_reuses_the_other_contest_s_part(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    day = copy_day(tmp_path)
    city = Count(day.parent / "almaty-2023")
    site, scratch = FolderTarget(tmp_path / "site"), FolderTarget(tmp_path / "scratch")
    _fresh(monkeypatch)
    monkeypatch.setattr(ahead, "ENABLED", False)  # the first version made here: its parts kept in this process
    publish(site, from_folder(day, WHEN))
    parts = dict(publisher.DAY_PARTS)
    assert set(parts) == {"majilis", "almaty-maslihat"}

    city.swap(101, "Amanat", "Respublica")
    second = publish(site, from_folder(day, WHEN), reason="typed in the wrong lines")
    assert second.version == 2
    made = publisher.DAY_PARTS
    kept, remade = made["majilis"][1], made["almaty-maslihat"][1]
    assert kept["Election"] is parts["majilis"][1]["Election"], "the unchanged contest's part is the one kept"
    assert kept["Status"] == "correction"  # the version's status, as its own part would say
    assert remade["Election"] is not parts["almaty-maslihat"][1]["Election"]
    majilis = json.dumps(parts["majilis"][1]["GpUnit"][:50])
    _valid(tmp_path / "site" / "v" / "2")

    # the same two versions by a publisher that keeps nothing: the same files, byte for byte
    city.complete()
    _fresh(monkeypatch)
    publish(scratch, from_folder(day, WHEN, again=None))
    city.swap(101, "Amanat", "Respublica")
    _fresh(monkeypatch)
    publish(scratch, from_folder(day, WHEN, again=None), reason="typed in the wrong lines")
    incremental, alone = _files(tmp_path / "site", 2), _files(tmp_path / "scratch", 2)
    assert set(incremental) == set(alone)
    assert [p for p in alone if incremental[p] != alone[p]] == []
    assert json.dumps(parts["majilis"][1]["GpUnit"][:50]) == majilis, "a kept part is never changed"


def test_an_incremental_version_is_byte_for_byte_one_made_by_a_publisher_that_kept_nothing(
    count: Count, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, scratch = FolderTarget(tmp_path / "site"), FolderTarget(tmp_path / "scratch")
    original = count.folder / "protocols" / "district-01.csv"
    saved = tmp_path / "district-01.csv"
    shutil.copy(original, saved)
    _fresh(monkeypatch)
    publish(site, from_folder(count.folder, WHEN))  # made ahead in a forked process, then kept here
    runs = _runs(pages.NIST_WRITTEN)
    for station in (101, 102):
        count.swap(station, "Amanat", "Respublica")
        count.original = original.read_text(encoding="utf-8")
        publish(site, from_folder(count.folder, WHEN), reason="typed in the wrong lines")
        kept = sum(a is b for a, b in zip(runs, _runs(pages.NIST_WRITTEN), strict=True))
        assert kept >= len(runs) - 2, "the first correction reuses the report the forked process made"
        runs = _runs(pages.NIST_WRITTEN)
    # a publisher with nothing kept: the same three versions, each made from scratch
    shutil.copy(saved, original)
    count.original = original.read_text(encoding="utf-8")
    _fresh(monkeypatch)
    publish(scratch, from_folder(count.folder, WHEN, again=None))
    for station in (101, 102):
        count.swap(station, "Amanat", "Respublica")
        count.original = original.read_text(encoding="utf-8")
        _fresh(monkeypatch)
        publish(scratch, from_folder(count.folder, WHEN, again=None), reason="typed in the wrong lines")
    incremental, alone = _files(tmp_path / "site", 3), _files(tmp_path / "scratch", 3)
    assert set(incremental) == set(alone) and "results.nist.xml" in alone
    assert [p for p in alone if incremental[p] != alone[p]] == []
    _valid(tmp_path / "site" / "v" / "3")


def test_a_station_corrected_again_and_again_is_what_a_publisher_reading_its_files_back_makes(
    count: Count, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A publisher that goes on publishing finds what a changed station corrects in what it made for the version
    that last wrote the station (`publisher._STATIONS`), not in that version's `station/N.json` read back: the
    versions are byte for byte those of publishers that each read the files back."""
    steps = [
        lambda: None,
        lambda: count.swap(101, "Amanat", "Respublica"),  # changed
        lambda: count.without(101),  # withdrawn
        count.complete,  # accepted again, as it was first
        lambda: count.swap(101, "Amanat", "Respublica"),  # changed again
    ]
    read: dict[bool, list[str]] = {}
    for keeps in (True, False):
        site = FolderTarget(tmp_path / f"site-{keeps}")
        reading = site.get
        read[keeps] = []

        def get(key: str, reading: Any = reading, seen: list[str] = read[keeps]) -> bytes | None:
            seen.append(key)
            return reading(key)

        monkeypatch.setattr(site, "get", get)
        count.complete()
        _fresh(monkeypatch)
        for step in steps:
            step()
            if not keeps:
                _fresh(monkeypatch)
            publish(site, from_folder(count.folder, WHEN), reason="typed in the wrong lines")
    stations = {keeps: [key for key in keys if "/station/" in key] for keys, keeps in ((read[k], k) for k in read)}
    assert stations[True] == [], "the publisher that went on read no station back"
    assert "v/2/station/101.json" in stations[False]
    for version in range(1, len(steps) + 1):
        kept, alone = _files(tmp_path / "site-True", version), _files(tmp_path / "site-False", version)
        assert set(kept) == set(alone)
        assert [p for p in alone if kept[p] != alone[p]] == [], version
    last = json.loads(_files(tmp_path / "site-True", len(steps))["station/101.json"])
    assert sorted({c["version"] for c in last["corrections"]}) == [2, 3, 4, 5]
    assert {c["kind"] for c in last["corrections"]} == {"changed", "withdrawn"}


def _reported(site: Path, version: int) -> tuple[int, dict[str, Any]]:
    """Which version's NIST report version `version` links (its manifest's `nist` group), and that report."""
    at = json.loads((site / "v" / str(version) / "manifest.json").read_text(encoding="utf-8"))["groups"]["nist"]["at"]
    return at, json.loads((site / "v" / str(at) / "results.nist.json").read_text(encoding="utf-8"))


def test_a_watching_publisher_s_report_waits_while_the_night_outruns_it_never_past_a_status_or_a_correction(
    count: Count, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`report_share` (`saylau publish service --watch`): a changed NIST report is not made again while the last
    one this process made is younger than its making time over the share; the version links that one (under
    `v/`, unchanged). It is made again as soon as a status changes (the count complete) or figures are corrected,
    and a publisher without `report_share` always makes it."""
    site = tmp_path / "site"
    target = FolderTarget(site)
    header, rows = count._rows()
    count._write(header, [r for r in rows if r["station"] not in ("101", "102")])  # two stations not in yet
    _fresh(monkeypatch)
    publish(target, from_folder(count.folder, WHEN), report_share=publisher.REPORT_SHARE)
    first_at, first = _reported(site, 1)
    assert first_at == 1

    slow = (time.monotonic(), 3600.0)  # the last report took an hour: the next ones may wait for it
    monkeypatch.setitem(publisher._REPORTS_MADE, target.describe(), slow)
    count.without(102)  # station 101 comes in: the count moves on, still partial, nothing corrected
    publish(target, from_folder(count.folder, WHEN), report_share=publisher.REPORT_SHARE)
    at, report = _reported(site, 2)
    assert at == 1 and report == first, "the version links the last report, as it was"
    station = json.loads((site / "v" / "2" / "manifest.json").read_text(encoding="utf-8"))["groups"]["station/101"]
    assert station["at"] == 2, "the rest of the version is its own"

    monkeypatch.setitem(publisher._REPORTS_MADE, target.describe(), slow)
    count.swap(101, "Amanat", "Respublica")  # a correction: its report says so at once
    count.original = (count.folder / "protocols" / "district-01.csv").read_text(encoding="utf-8")
    count.without(102)
    publish(target, from_folder(count.folder, WHEN), reason="typed in the wrong lines", report_share=0.25)
    at, report = _reported(site, 3)
    assert at == 3 and report["Status"] == "correction" != first["Status"]

    monkeypatch.setitem(publisher._REPORTS_MADE, target.describe(), slow)
    count.complete()  # the count complete (its status changes): its own report
    header, rows = count._rows()
    publish(target, from_folder(count.folder, WHEN), report_share=publisher.REPORT_SHARE)
    assert _reported(site, 4)[0] == 4

    other = FolderTarget(tmp_path / "other")  # without report_share: always the version's own
    count._write(header, [r for r in rows if r["station"] not in ("101", "102")])
    publish(other, from_folder(count.folder, WHEN))
    monkeypatch.setitem(publisher._REPORTS_MADE, other.describe(), slow)
    count.without(102)
    publish(other, from_folder(count.folder, WHEN))
    assert _reported(tmp_path / "other", 2)[0] == 2
