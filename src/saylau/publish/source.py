"""What is published: a `Snapshot` of the count, from an election folder offline or from the service's database.

The service's public page renders its snapshot (`saylau.web.snapshot`) in memory; publishing renders the same
snapshot into files. Offline, the folder's protocols are counted as `saylau results` counts them (only the
protocols that pass every check), and the result is what the service would show for the same protocols.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from saylau.domain import CountStatus
from saylau.errors import InputError, Problem
from saylau.io.protocols import read_protocols
from saylau.service import results as results_service
from saylau.service.definition import load, read_files
from saylau.service.errors import NotFound
from saylau.store import Database
from saylau.web.snapshot import EntryProgress, Snapshot, build


def from_database(database: Database) -> tuple[Snapshot, dict[str, object]]:
    """The service's current snapshot (the public page's) and, once certified, its results bundle."""
    snapshot = build(database)
    bundle: dict[str, object] = {}
    if snapshot.bundle_sha256 is not None:
        with database.unit_of_work() as connection:
            try:
                bundle = results_service.published(connection)
            except NotFound:  # uncertified since the snapshot was read: the next snapshot says so
                bundle = {}
    return snapshot, bundle


def from_folder(folder: Path, when: datetime | None = None) -> tuple[Snapshot, dict[str, object]]:
    """The folder's count as a snapshot (version 0: the publisher numbers it) and its results bundle."""
    definition = load(read_files(folder))
    if not (folder / "protocols").is_dir():
        raise InputError([Problem("folder has no protocols/: publishing shows a count of protocols", str(folder))])
    found = read_protocols([folder])
    if found.problems:
        raise InputError(found.problems)
    tabulation, result = results_service.count(definition, found.protocols)
    accepted = tuple(sorted(tabulation.accepted, key=lambda p: (p.station, p.ballot)))
    expected = Counter(s.district for s in definition.stations)
    reported = Counter(p.district for p in accepted if p.ballot == "list")
    entered = Counter(p.district for p in accepted)
    ballots = max(1, len(tabulation.progress))
    snapshot = Snapshot(
        version=0,
        built=(when or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0),
        result=result,
        bundle_sha256=None,
        projection=None,
        entry=tuple(
            EntryProgress(d, expected[d] * ballots, {"accepted": entered[d]} if entered[d] else {})
            for d in sorted(expected)
        ),
        by_district={d: (reported[d], n) for d, n in expected.items()},
        stations=definition.stations,
        accepted=accepted,
    )
    bundle: dict[str, object] = {}
    if result.status is not CountStatus.PARTIAL:
        bundle = results_service.bundle(definition, accepted, result, definition.election.decisions)
    return snapshot, bundle
