"""What is published: a `Source`, the count's snapshot with what publishing needs beside it.

The service's public page renders its snapshot (`saylau.web.snapshot`) in memory; publishing renders the same
snapshot into files. Offline, the folder's protocols are counted as `saylau results` counts them (only the
protocols that pass every check), and the result is what the service would show for the same protocols.
Beside the snapshot: the results bundle (once certified), the gate (`saylau.publish.gate`), and the reasons
coordinators typed when they reopened a protocol or withdrew a certification (the audit log), which a
correction names.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from saylau.domain import CountStatus
from saylau.errors import InputError, Problem
from saylau.io.protocols import read_protocols
from saylau.publish.gate import Gate, gate_of
from saylau.service import publication
from saylau.service import results as results_service
from saylau.service.definition import load, read_files
from saylau.service.errors import NotFound
from saylau.store import Database
from saylau.web.snapshot import EntryProgress, Snapshot, build


@dataclass(frozen=True, slots=True)
class Source:
    """One count to publish."""

    snapshot: Snapshot
    bundle: Mapping[str, Any] = field(default_factory=dict)
    gate: Gate = field(default_factory=Gate)
    reasons: Mapping[tuple[int, str], str] = field(default_factory=dict)
    """(station, ballot) -> the reason typed when the protocol was last reopened (since `since`)."""
    uncertified: str | None = None
    """The reason a certification was withdrawn (since `since`), if one was."""


def from_database(database: Database, since: int = 0) -> Source:
    """The service's current snapshot (the public page's), its bundle once certified, its gate and the reasons
    of reopenings and uncertifications recorded after audit entry `since` (the last version published)."""
    snapshot = build(database, gated=False)  # the publisher applies the gate itself: staff see a preview
    with database.unit_of_work() as connection:
        bundle: dict[str, Any] = {}
        if snapshot.bundle_sha256 is not None:
            try:
                bundle = results_service.published(connection)
            except NotFound:  # uncertified since the snapshot was read: the next snapshot says so
                bundle = {}
        state = publication.state(connection, since)
    certified = snapshot.built if snapshot.result.status is CountStatus.CERTIFIED else None
    gate = gate_of(state.election_toml, state.released or certified)  # a certified result is past the gate
    return Source(snapshot, bundle, gate, state.reasons, state.uncertified)


def from_folder(folder: Path, when: datetime | None = None, released: bool = False) -> Source:
    """The folder's count as a snapshot (version 0: the publisher numbers it), its bundle once the count is
    complete, and the gate its election.toml sets (`released`: a coordinator releases it now)."""
    files = read_files(folder)
    definition = load(files)
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
    built = (when or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    snapshot = Snapshot(
        version=0,
        built=built,
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
    bundle: dict[str, Any] = {}
    if result.status is not CountStatus.PARTIAL:
        bundle = results_service.bundle(definition, accepted, result, definition.election.decisions)
    gate = gate_of(files["election.toml"], built if released else None)
    return Source(snapshot, bundle, gate)
