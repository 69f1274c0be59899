"""Versions made incrementally equal versions made from scratch.

A folder counted again after a protocol changed reads only the changed rows (`saylau.io.reread.Reread`): its
count must be the count of the folder read whole. A version that references the files of districts, stations
and the NIST report an earlier version stored must hold, file by file, what a from-scratch publication of the
same count holds, and the earlier version must not change.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import saylau.io.reread as reread
import saylau.publish.ahead as ahead
from saylau.io.protocols import read_protocol_file
from saylau.io.reread import Reread
from saylau.publish import FolderTarget, from_folder, publish
from saylau.publish.ahead import Ahead
from saylau.publish.pages import File
from saylau.publish.publisher import manifest_key
from tests.publish.conftest import ALMATY, Count

WHEN = datetime(2023, 3, 19, 21, 0, tzinfo=UTC)
HEADER = "station,district,ballot,registered,received,issued,issued_absentee,issued_outside,cancelled,found,invalid,"
HEADER += "against_all,vote:A,vote:B\n"
ROWS = [f"{s},1,list,1000,1000,600,0,0,400,590,10,5,{300 + s},{200 - s}\n" for s in range(1, 31)]


def _files(site: Path, version: int) -> dict[str, bytes]:
    """Every file of a version, by its path in the version, read where the manifest says it lies (each
    checked against its SHA-256 and size)."""
    manifest = json.loads((site / manifest_key(version)).read_bytes())
    out = {}
    for group in manifest["groups"].values():
        for path, (digest, size, _media) in group["files"].items():
            body = (site / "v" / str(group["at"]) / path).read_bytes()
            assert (hashlib.sha256(body).hexdigest(), len(body)) == (digest, size), path
            out[path] = body
    return out


class _Counting:
    """`read_protocol_file` that counts its calls: a reading that took the shortcut made none."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        return read_protocol_file(*args, **kwargs)


@pytest.mark.parametrize(
    ("change", "quick"),
    [
        (lambda rows: rows, True),
        (lambda rows: [*rows[:4], rows[4].replace(",304,", ",999,"), *rows[5:]], True),
        (lambda rows: [*rows[:7], "\n", *rows[8:]], True),  # a row blanked
        (lambda rows: [*rows[:2], rows[2].replace("3,1,list", "x,1,list"), *rows[3:]], False),  # a bad station
        (lambda rows: [*rows[:2], rows[2].replace(",303,", ",3x3,"), *rows[3:]], True),  # a malformed line: P006
        (lambda rows: [*rows[:2], rows[2].replace(",303,", ',"303",'), *rows[3:]], False),  # a quoted cell
        (lambda rows: [*rows[:2], rows[2].replace(",303,", ",303,7,"), *rows[3:]], False),  # a cell too many
        (lambda rows: rows[:-1], False),  # a row fewer
        (lambda rows: [r.replace(",1,list,", ",2,list,") for r in rows], False),  # every row: read whole
    ],
)
def test_a_file_read_again_gives_what_a_full_read_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: Any, quick: bool
) -> None:
    folder = tmp_path / "count"
    (folder / "protocols").mkdir(parents=True)
    path = folder / "protocols" / "all.csv"
    path.write_text(HEADER + "".join(ROWS), encoding="utf-8")
    again = Reread()
    first = again(folder, "protocols/all.csv")
    assert first == read_protocol_file(folder, "protocols/all.csv") and len(first[0]) == len(ROWS)
    path.write_text(HEADER + "".join(change(ROWS)), encoding="utf-8")
    counting = _Counting()
    monkeypatch.setattr(reread, "read_protocol_file", counting)
    found = again(folder, "protocols/all.csv")
    assert found == read_protocol_file(folder, "protocols/all.csv")
    assert (counting.calls == 0) == quick
    # and once more, from what this reading kept
    path.write_text(HEADER + "".join(ROWS), encoding="utf-8")
    assert again(folder, "protocols/all.csv") == read_protocol_file(folder, "protocols/all.csv")


def test_a_count_made_again_equals_the_count_from_scratch(count: Count) -> None:
    again = Reread()
    from_folder(count.folder, WHEN, again=again)
    count.swap(101, "Amanat", "Respublica")
    count.without(205)
    [made] = from_folder(count.folder, WHEN, again=again).contests
    [fresh] = from_folder(count.folder, WHEN, again=None).contests
    assert made.snapshot.accepted == fresh.snapshot.accepted and len(made.snapshot.accepted) > 1000
    assert made.snapshot.result == fresh.snapshot.result
    assert (made.snapshot.entry, made.snapshot.by_district) == (fresh.snapshot.entry, fresh.snapshot.by_district)
    assert made.bundle == fresh.bundle and made.gate == fresh.gate


def test_an_incremental_version_equals_a_version_from_scratch(count: Count, tmp_path: Path) -> None:
    """Version 2 references most of version 1's files; read through its manifest, its open data and station
    pages are byte for byte those of the same count published from scratch, and version 1 did not change."""
    site, scratch = tmp_path / "site", tmp_path / "scratch"
    publish(FolderTarget(site), from_folder(count.folder, WHEN))
    before = {p: p.read_bytes() for p in (site / "v" / "1").rglob("*") if p.is_file()}
    count.swap(101, "Amanat", "Respublica")
    second = publish(FolderTarget(site), from_folder(count.folder, WHEN), reason="typed in the wrong lines")
    assert second.version == 2 and second.skipped > 10 * second.written
    after = {p: p.read_bytes() for p in (site / "v" / "1").rglob("*") if p.is_file()}
    assert after == before  # version 1 is immutable
    publish(FolderTarget(scratch), from_folder(count.folder, WHEN, again=None))
    made, fresh = _files(site, 2), _files(scratch, 1)
    assert set(made) == set(fresh)
    same = [p for p in fresh if p.endswith(".csv") or "/station/" in p or p.startswith("station/")]
    for path in same:
        if path.endswith("/station/101.html"):  # its page lists its correction too
            continue
        if path == "station/101.json":  # the corrected station names its correction
            corrected = json.loads(made[path])
            assert [c["kind"] for c in corrected.pop("corrections")] == ["changed", "changed"]
            scratch_data = json.loads(fresh[path])
            assert scratch_data.pop("corrections") == [] and corrected == scratch_data
            continue
        assert made[path] == fresh[path], path
    bulk = [p for p in fresh if p.startswith("stations/")]
    assert len(bulk) == 2 * 21 and all(made[p] == fresh[p] for p in bulk)
    # the NIST report differs only in what names the version: its time and the correction's status
    nist, scratch_nist = json.loads(made["results.nist.json"]), json.loads(fresh["results.nist.json"])
    assert nist.pop("Status", None) == "correction" and scratch_nist.pop("Status", None) != "correction"
    assert {k: v for k, v in nist.items() if k != "GeneratedDate"} == {
        k: v for k, v in scratch_nist.items() if k != "GeneratedDate"
    }


def test_an_unchanged_count_is_not_published_again(tmp_path: Path) -> None:
    folder = tmp_path / "almaty"
    shutil.copytree(ALMATY, folder)
    site = FolderTarget(tmp_path / "site")
    publish(site, from_folder(folder, WHEN))
    again = publish(site, from_folder(folder, datetime(2023, 3, 19, 22, 0, tzinfo=UTC)))  # an hour later
    assert (again.version, again.new) == (1, False) and not (tmp_path / "site" / "v" / "2").exists()


def test_a_group_made_ahead_is_made_in_another_process_or_else_here() -> None:
    parent = os.getpid()

    def where() -> list[File]:
        return [File("made.txt", str(os.getpid()).encode(), "text/plain")]

    def fails_elsewhere() -> list[File]:
        if os.getpid() != parent:
            raise RuntimeError("no")
        return [File("made.txt", b"here", "text/plain")]

    [made] = Ahead(where).files()
    assert int(made.body) != parent  # a forked child made it
    assert Ahead(fails_elsewhere).files() == [File("made.txt", b"here", "text/plain")]
    stopped = Ahead(where)
    stopped.cancel()  # a publisher that stops before the group leaves no child behind
    assert not [p for p in multiprocessing.active_children() if p.name == "saylau-publish-ahead"]


def test_the_nist_report_made_ahead_is_the_one_made_in_process(
    count: Count, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = {}
    for enabled in (True, False):
        monkeypatch.setattr(ahead, "ENABLED", enabled)
        site = tmp_path / str(enabled)
        publish(FolderTarget(site), from_folder(count.folder, WHEN))
        made[enabled] = [(site / "v" / "1" / name).read_bytes() for name in ("results.nist.json", "results.nist.xml")]
    assert made[True] == made[False]
