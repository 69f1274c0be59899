"""The election's definition in the database: imported once from its folder, compared on later starts.

The definition is the folder's own files (election.toml, parties, lists, districts, candidates,
designations, stations.csv), kept as text, so the service and the offline commands read the very same
files with the very same loader (`saylau.io.load_election`). The loaded `Election` is cached per hash of
those files: a cache of what the database says, never state of its own.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Connection

from saylau.domain import Election
from saylau.errors import InputError, Problem
from saylau.io import load_election
from saylau.io.protocols import read_stations
from saylau.io.table import Problems, read_text
from saylau.service import audit
from saylau.service.errors import Conflict
from saylau.store import contests, stations
from saylau.store import protocols as protocols_store
from saylau.store.stations import StoredStation
from saylau.tabulation import Station

FILES = (
    "election.toml",
    "parties.csv",
    "lists.csv",
    "districts.csv",
    "candidates.csv",
    "designations.csv",
    "stations.csv",
)
"""The files that define an election; `results/` and `protocols/` are what the service itself collects."""


@dataclass(frozen=True, slots=True)
class Definition:
    """A loaded definition: the election (no tallies yet), its station register, and the files' hash."""

    election: Election
    stations: tuple[Station, ...]
    sha256: str
    files: Mapping[str, str]
    station_by_number: Mapping[int, Station]
    """The register by station number."""


def read_files(folder: Path) -> dict[str, str]:
    """The definition files present in `folder` (UTF-8, read as the loader reads them: a byte order mark
    dropped, CRLF as LF), validated by the offline loader; InputError otherwise."""
    problems = Problems()
    files = {name: text for name in FILES if (text := read_text(folder, name, problems, required=False)) is not None}
    if problems.items:
        raise InputError(problems.items)
    if "stations.csv" not in files:
        raise InputError([Problem("file is missing: the service needs the station register", "stations.csv")])
    load(files)
    return files


def digest(files: Mapping[str, str]) -> str:
    """SHA-256 of the definition files (canonical JSON)."""
    return hashlib.sha256(json.dumps(dict(files), sort_keys=True).encode()).hexdigest()


def load(files: Mapping[str, str]) -> Definition:
    """The definition those files describe (cached per hash)."""
    return _load(digest(files), json.dumps(dict(files), sort_keys=True))


@lru_cache(maxsize=8)
def _load(sha256: str, text: str) -> Definition:
    files: dict[str, str] = json.loads(text)
    with tempfile.TemporaryDirectory(prefix="saylau-definition-") as tmp:
        folder = Path(tmp)
        write_files(folder, files)
        (folder / "protocols").mkdir()  # the tallies come from protocols, not from results/
        election = load_election(folder, follow_previous=False, count_protocols=False)
        stations, problems = read_stations(folder)
    if problems or stations is None:
        raise InputError(problems)
    return Definition(election, tuple(stations), sha256, files, {s.number: s for s in stations})


def write_files(folder: Path, files: Mapping[str, str]) -> None:
    """Write the definition into `folder`, without the link to a previous election's folder (not carried)."""
    for name, text in files.items():
        (folder / name).write_text(_without_previous(text) if name == "election.toml" else text, encoding="utf-8")


def _without_previous(toml: str) -> str:
    """election.toml less its [previous] table: the previous election's folder is not part of the definition."""
    kept, skipping = [], False
    for line in toml.splitlines(keepends=True):
        header = line.strip()
        if header.startswith("["):
            skipping = header.split("#")[0].strip() in ("[previous]",) or header.startswith("[previous.")
        if not skipping:
            kept.append(line)
    return "".join(kept)


def install(connection: Connection, files: Mapping[str, str]) -> list[str]:
    """Import the definition on first start; on later starts compare it. Returns what differs (empty: same)."""
    stored = contests.files(connection)
    if stored is not None:
        return differences(stored, files)
    definition = load(files)
    contests.create(connection, definition.election.name, files, definition.sha256)
    stations.add_all(connection, (StoredStation(s.number, s.district, s.registered) for s in definition.stations))
    kinds = ["list"] * bool(definition.election.parties) + ["district"] * bool(definition.election.districts)
    protocols_store.create_all(
        connection, [(s.number, kind, s.district) for s in definition.stations for kind in kinds]
    )
    audit.start(connection)
    audit.append(connection, None, "import-definition", definition.election.name, after={"sha256": definition.sha256})
    return []


def current(connection: Connection) -> Definition:
    """The definition stored in the database (loaded once per process and hash)."""
    return _current(connection)[0]


def writable(connection: Connection) -> Definition:
    """The definition, for a write: Conflict `certified` once the result is certified (frozen).

    The election row is locked shared until the write commits, so a racing certification (which locks it
    exclusively) waits for this write, and a write after a certification sees it.
    """
    found, certified = _current(connection, lock=True)
    if certified:
        raise Conflict(
            "the result is certified: nothing can change unless an administrator reopens it", code="certified"
        )
    return found


def _current(connection: Connection, *, lock: bool = False) -> tuple[Definition, bool]:
    row = contests.state(connection, lock="share" if lock else None)
    if row is None:
        raise Conflict("no election has been imported into this database", code="no-election")
    cached = _by_hash.get(row.sha256)
    if cached is None:
        stored = contests.files(connection)
        assert stored is not None
        cached = load(stored)
        _by_hash[row.sha256] = cached
    return cached, row.certified


_by_hash: dict[str, Definition] = {}


def differences(stored: Mapping[str, str], given: Mapping[str, str]) -> list[str]:
    """One line per file that differs: added, missing, or its first differing line."""
    out = []
    for name in FILES:
        before, after = stored.get(name), given.get(name)
        if before == after:
            continue
        if before is None:
            out.append(f"{name}: not in the stored definition")
        elif after is None:
            out.append(f"{name}: missing from the folder")
        else:
            old, new = before.splitlines(), after.splitlines()
            line = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new)))
            shown = new[line] if line < len(new) else "(end of file)"
            out.append(f"{name}:{line + 1}: differs from the stored definition (now {shown!r})")
    return out
