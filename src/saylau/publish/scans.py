"""Scans of paper protocols carried by an election folder, published beside the protocols as the service's are.

    scans/scans.csv     station,ballot,file,sha256: one row per scan, in the order of upload
    scans/FILE          the scan or photo itself (JPEG, PNG or PDF, by its first bytes, at most 8 MiB)

`sha256` is the SHA-256 the commission recorded when it took the scan (the service records it in its audit
chain, action `scan`; `saylau export` writes the folder this way): a file whose bytes have another SHA-256 is
refused, so what is published is what was recorded. A scan is published only beside an accepted protocol.
Each problem names the file, the row and the field, in the reader's language.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Collection, Mapping
from pathlib import Path

from saylau.errors import Count, InputError, worded
from saylau.io.table import Problems, read_table
from saylau.service.scans import MAX_BYTES, sniff
from saylau.store.scans import Scan
from saylau.tabulation import BALLOT_KINDS

FOLDER = "scans"
INDEX = f"{FOLDER}/scans.csv"
COLUMNS = ("station", "ballot", "file", "sha256")

MISSING = "{file} is not in the folder's scans/"
NOT_A_SCAN = "{file} is not a JPEG, PNG or PDF scan"
TOO_LARGE = "{file} has more than {limit} bytes"
NOT_A_HASH = "is not a SHA-256 (64 hexadecimal digits): write what `sha256sum` says of the file"
OTHER_HASH = "{file} has the SHA-256 {found}, not the one this row records: the file changed after it was recorded"
NOT_REGISTERED = "station {station} is not in the station register"
NO_BALLOT = "{ballot} is neither 'list' nor 'district'"

_CHECKED: dict[tuple[str, int, int, str], str] = {}
"""Files whose SHA-256 was checked, by (path, size, modification time, SHA-256 recorded) -> media type: a
folder published again does not read every unchanged scan again."""


def read_scans(
    folder: Path, stations: Collection[int], contest: str = ""
) -> tuple[dict[tuple[int, str], tuple[Scan, ...]], Callable[[Collection[int]], Mapping[int, bytes]]]:
    """The folder's scans by (station, ballot) in upload order, and a reader of their bytes by scan id; no
    scan when the folder has no scans/scans.csv. Raises InputError naming each problem."""
    if not (folder / INDEX).is_file():
        return {}, lambda _ids: {}
    problems = Problems()
    found: dict[tuple[int, str], tuple[Scan, ...]] = {}
    paths: dict[int, Path] = {}
    known = set(stations)
    for row in read_table(folder, INDEX, COLUMNS, problems):
        station, ballot = row.integer("station", minimum=1), row.text("ballot")
        name, recorded = row.text("file"), (row.text("sha256") or "").lower()
        where = (row.path, row.number)
        if station is not None and station not in known:
            problems.items.append(worded(NOT_REGISTERED, *where, "station", station=station))
            continue
        if ballot is not None and ballot not in BALLOT_KINDS:
            problems.items.append(worded(NO_BALLOT, *where, "ballot", ballot=repr(ballot)))
            continue
        if recorded and (len(recorded) != 64 or any(c not in "0123456789abcdef" for c in recorded)):
            problems.items.append(worded(NOT_A_HASH, *where, "sha256"))
            continue
        if station is None or ballot is None or name is None or not recorded:
            continue
        checked = _check(folder, name, recorded, problems, where)
        if checked is None:
            continue
        path, media, size = checked
        scan = Scan(row.number, station, contest, ballot, recorded, media, size, "", "")
        found[station, ballot] = (*found.get((station, ballot), ()), scan)
        paths[scan.id] = path
    if problems.items:
        raise InputError(problems.items)

    def scan_bytes(ids: Collection[int]) -> Mapping[int, bytes]:
        return {i: _read(paths[i], found_hash[i]) for i in ids if i in paths}

    found_hash = {s.id: s.sha256 for scans in found.values() for s in scans}
    return found, scan_bytes


def _check(
    folder: Path, name: str, recorded: str, problems: Problems, where: tuple[str, int]
) -> tuple[Path, str, int] | None:
    """The scan file `name` of scans/ (inside the folder, a JPEG, PNG or PDF of at most MAX_BYTES, with the
    SHA-256 recorded): its path, media type and size, or None with the problem added."""
    root = (folder / FOLDER).resolve()
    path = folder / FOLDER / name
    try:
        inside = path.resolve().is_relative_to(root) and path.is_file()
        stat = path.stat() if inside else None
    except OSError:
        inside, stat = False, None
    if not inside or stat is None:
        problems.items.append(worded(MISSING, *where, "file", file=name))
        return None
    if stat.st_size > MAX_BYTES:
        problems.items.append(worded(TOO_LARGE, *where, "file", file=name, limit=Count(MAX_BYTES)))
        return None
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns, recorded)
    media = _CHECKED.get(key)
    if media is None:
        body = path.read_bytes()
        media = sniff(body)
        if media is None:
            problems.items.append(worded(NOT_A_SCAN, *where, "file", file=name))
            return None
        digest = hashlib.sha256(body).hexdigest()
        if digest != recorded:
            problems.items.append(worded(OTHER_HASH, *where, "sha256", file=name, found=digest))
            return None
        _CHECKED[key] = media
    return path, media, stat.st_size


def _read(path: Path, recorded: str) -> bytes:
    """A scan's bytes as they are published: still the bytes recorded (the folder may have changed since)."""
    body = path.read_bytes()
    if hashlib.sha256(body).hexdigest() != recorded:
        raise InputError([worded("changed while it was being published ({file})", INDEX, file=os.fspath(path))])
    return body
