"""Scans and photos of paper protocols: a commission uploads the signed paper beside the typed figures.

Indonesia's Sirekap and KawalPemilu publish each station's form photo beside its figures, and volunteers found
errors with it. Here a user who may enter or reopen a station's protocols (an operator or coordinator whose
commission covers the station) uploads a scan (PDF) or photo (JPEG, PNG) of one of its paper protocols. The file's type
is what its first bytes say, never what the browser claims, and only those three types are kept, so a stored
scan is never served as anything a browser would run (HTML, SVG, script). Its SHA-256 is recorded in the
audit chain (`scan` action), so a published scan can be checked against the chain. Nothing changes once the
contest is certified. The public sees a scan only where it sees the protocol: published beside an accepted
protocol (`saylau.publish`).
"""

from __future__ import annotations

import csv
import hashlib
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection

from saylau.errors import Count
from saylau.service import audit
from saylau.service.definition import DEFAULT_CONTEST, contest_ids, contest_of, current, writable
from saylau.service.errors import Invalid, NotFound
from saylau.service.permissions import Actor, Permission, can, require
from saylau.store import scans as store
from saylau.store.scans import Scan
from saylau.tabulation import BALLOT_KINDS

MAX_BYTES = 8 * 1024 * 1024
"""The largest scan kept: a phone's photo of an A4 protocol, or a scanned PDF of a few pages."""

TYPES = (
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"%PDF-", "application/pdf", "pdf"),
)
"""The kinds of file kept, by their magic bytes: (first bytes, media type, file extension)."""

ACTION = "scan"
"""The audit action of an upload."""


def sniff(body: bytes) -> str | None:
    """The media type the file's first bytes say (one of TYPES), or None."""
    return next((media for magic, media, _ in TYPES if body.startswith(magic)), None)


def extension(media: str) -> str:
    return next(ext for _, kind, ext in TYPES if kind == media)


def upload(
    connection: Connection, actor: Actor | None, station: int, ballot: str, body: bytes, contest: str | None = None
) -> Scan:
    """Keep a scan of a station's paper protocol (`ballot` of `contest`) uploaded by `actor`; audited."""
    contest = contest_of(connection, contest)
    definition = writable(connection, contest)  # a certified contest changes no more
    found = definition.station_by_number.get(station)
    if found is None:
        raise NotFound("station {station} is not in the station register", "station", values={"station": station})
    if ballot not in BALLOT_KINDS:
        raise NotFound("{ballot} is neither 'list' nor 'district'", "ballot", values={"ballot": repr(ballot[:64])})
    permission = Permission.REOPEN if can(actor, Permission.REOPEN) else Permission.ENTER  # a coordinator, or a clerk
    acting = require(actor, permission, found.district, station=station)
    if not body:
        raise Invalid("the file is empty: choose the scan or photo of the protocol", "file", code="scan-empty")
    if len(body) > MAX_BYTES:
        raise Invalid(
            "the file has more than {limit} bytes", "file", code="scan-too-large", values={"limit": Count(MAX_BYTES)}
        )
    media = sniff(body)
    if media is None:
        raise Invalid("the file is not a JPEG, PNG or PDF scan", "file", code="scan-type")
    scan = Scan(
        0,
        station,
        contest,
        ballot,
        hashlib.sha256(body).hexdigest(),
        media,
        len(body),
        acting.name,
        datetime.now(UTC).isoformat(timespec="seconds"),
    )
    made = store.add(connection, scan, body)
    subject = f"station {station} {ballot}" if contest == DEFAULT_CONTEST else f"station {station} {contest} {ballot}"
    audit.append(connection, acting, ACTION, subject, after={"sha256": scan.sha256, "media": media, "size": len(body)})
    return replace(scan, id=made)


def _district(connection: Connection, station: int, contest: str | None) -> int | None:
    """The station's district in `contest` (else in the first contest that counts it), for the permission check."""
    for each in [contest] if contest is not None else contest_ids(connection):
        found = current(connection, each).station_by_number.get(station)
        if found is not None:
            return found.district
    return None


def of_station(connection: Connection, actor: Actor | None, station: int, contest: str | None = None) -> list[Scan]:
    """A station's scans (of one contest, when given; else of every contest it counts), for a user who may read
    its protocols' states."""
    require(actor, Permission.READ_STATES, _district(connection, station, contest), station=station)
    return store.of_station(connection, station, contest)


def read(connection: Connection, actor: Actor | None, scan_id: int) -> tuple[Scan, bytes]:
    """One scan and its bytes, for a user who may read its station's protocols."""
    require(actor, Permission.READ_STATES)  # who asks first: the public learns nothing of which scans exist
    found = store.one(connection, scan_id)
    if found is None:
        raise NotFound("no scan {scan}", "scan", values={"scan": scan_id})
    scan = found[0]
    require(actor, Permission.READ_STATES, _district(connection, scan.station, scan.contest), station=scan.station)
    return found


EXPORT_BATCH = 64
"""Scans read from the database at once while exporting (a scan may be 8 MiB)."""


def export(connection: Connection, out: Path, contest: str | None = None) -> int:
    """Write a contest's scans into an exported election folder (`saylau export`): each file in `scans/` and
    `scans/scans.csv` (station, ballot, file, the SHA-256 the audit chain recorded), as `saylau publish folder`
    reads them (saylau.publish.scans); returns how many."""
    found = store.of_contest(connection, contest_of(connection, contest))
    if not found:
        return 0
    (out / "scans").mkdir(parents=True, exist_ok=True)
    numbered: Counter[tuple[int, str]] = Counter()
    rows = []
    for start in range(0, len(found), EXPORT_BATCH):
        batch = found[start : start + EXPORT_BATCH]
        bodies = store.bodies(connection, [scan.id for scan in batch])
        for scan in batch:
            numbered[scan.station, scan.ballot] += 1
            name = f"{scan.station}-{scan.ballot}-{numbered[scan.station, scan.ballot]}.{extension(scan.media)}"
            (out / "scans" / name).write_bytes(bodies[scan.id])
            rows.append((scan.station, scan.ballot, name, scan.sha256))
    with (out / "scans" / "scans.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["station", "ballot", "file", "sha256"])
        writer.writerows(rows)
    return len(rows)
