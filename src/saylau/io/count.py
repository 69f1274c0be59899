"""The result of a count from an election folder's protocols, in one place: every command that counts a
folder (`results`, `report` in every format, `project`, `replay`, the service's import) reads it here.

Small folders (a city's protocols, under OBJECT_COUNT bytes) are read one protocol at a time, large ones
through columns (`saylau.io.columnar`); both give the same findings in the same order and the same sums
(tests/properties/test_count_paths.py), and both become `Results` through the one assembly of the core,
`saylau.tabulation.counted_results`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from saylau.domain import BallotProgress, Election, Results
from saylau.errors import InputError, Problem, worded
from saylau.io.protocols import NO_REGISTER, read_protocols, unknown_options
from saylau.reports.checks import left_out
from saylau.tabulation import BallotKind, Finding, LeftOut, Station, Tabulation, tabulate

OBJECT_COUNT = 1 << 20
"""Protocol files under this many bytes in all are counted one by one (`tabulate`), above it through columns
(`saylau.io.columnar`): for a city's count numpy's import alone takes longer than the whole count."""


StationsCount = tuple[Sequence[Station], Tabulation]
"""The station register and the count with every accepted protocol (what `count_folder` gives)."""


def results_from_protocols(
    folder: Path,
    election: Election,
    notices: list[Problem] | None = None,
    stations: Sequence[Station] | None = None,
    kept: list[StationsCount] | None = None,
    rejected: set[int] | None = None,
) -> Results | None:
    """The election's results with the tallies counted from the folder's protocols; None without protocols/.

    Unreadable files raise InputError; protocols with an error finding are left out of the count, and each
    such finding is added to `notices` (when given) so the caller can say that the count is partial. Large
    counts are read through columns (`saylau.io.columnar`), small ones (under OBJECT_COUNT bytes) one protocol
    at a time; both give the same findings, in the same order, and the same sums. `stations` is the register
    when the folder has no stations.csv (an election day's). `kept`: the count also keeps every accepted
    protocol and is appended here, for a command that needs the stations too (NIST, `project`): the folder
    is still read once. `rejected`: the stations whose list protocol is left out of the count are added here
    (their preference votes are left out too, `saylau.io.preference_protocols`).
    """
    if not (folder / "protocols").is_dir():
        return None
    unknown = unknown_options([folder], election)
    if unknown:
        raise InputError(unknown)
    small = _protocol_bytes(folder) < OBJECT_COUNT
    if kept is not None:
        counted = _count_kept(folder, election, stations, kept)
    elif small:
        counted = _count_small(folder, election, stations)
    else:
        counted = _count_large(folder, election, stations)
    if counted is None:
        raise InputError([worded(NO_REGISTER, "stations.csv")])
    findings, results = counted
    if rejected is not None:
        rejected |= {f.station for f in findings if f.severity == "error" and f.ballot == "list"}
    if notices is not None:
        notices += [
            LeftOut(left_out(f), f.source, f.row, f.field, f.code, f) for f in findings if f.severity == "error"
        ]
    return results


_Counted = tuple[Sequence[Finding], Results]
"""The findings of a count and its results (what the commission published kept beside the counted tallies)."""


def _count_kept(
    folder: Path, election: Election, stations: Sequence[Station] | None, kept: list[StationsCount]
) -> _Counted | None:
    """The count with its accepted protocols (`count_folder`), appended to `kept`."""
    found = count_folder(folder, election, stations)
    if found is None:
        return None
    kept.append(found)
    return found[1].findings, found[1].results(election.results)


def _protocol_bytes(folder: Path) -> int:
    """The size of the protocol files `read_protocols` reads (a file that cannot be sized: as if huge)."""
    total = 0
    for pattern in ("*.csv", "*.json"):
        for path in (folder / "protocols").glob(pattern):
            try:
                total += path.stat().st_size
            except OSError:
                return OBJECT_COUNT
    return total


def _count_small(folder: Path, election: Election, stations: Sequence[Station] | None = None) -> _Counted | None:
    """The object path: every protocol read, checked and summed as a `Protocol` (no numpy)."""
    found = read_protocols([folder])
    if found.problems:
        raise InputError(found.problems)
    register = found.stations if found.stations is not None else stations
    if register is None:
        return None
    done = tabulate(found.protocols, election, register)
    return done.findings, done.results(election.results)


def _count_large(folder: Path, election: Election, stations: Sequence[Station] | None = None) -> _Counted | None:
    """The column path (numpy and, for large files, pyarrow load only here)."""
    from saylau.io.columnar import count_protocols

    count = count_protocols([folder], election, stations)
    if count.problems:
        raise InputError(count.problems)
    if count.register is None:
        return None
    return count.findings, count.results(election)


def count_folder(folder: Path, election: Election, stations: Sequence[Station] | None = None) -> StationsCount | None:
    """The station register and the count of a folder's protocols, with every accepted `Protocol` (the NIST
    export has a unit per station, the projection draws stations); None when it has no protocols/.

    Read as `results_from_protocols` reads: one by one under OBJECT_COUNT bytes, through columns above it
    (which then keep the accepted rows), so a national count is read once, at the column reader's speed.
    """
    if not (folder / "protocols").is_dir():
        return None
    if _protocol_bytes(folder) >= OBJECT_COUNT:
        return _count_folder_large(folder, election, stations)
    found = read_protocols([folder])
    found.problems += unknown_options([folder], election)
    if found.problems:
        raise InputError(found.problems)
    register = found.stations if found.stations is not None else (list(stations) if stations is not None else None)
    if register is None:
        raise InputError([worded(NO_REGISTER, "stations.csv")])
    return register, tabulate(found.protocols, election, register)


def _count_folder_large(folder: Path, election: Election, stations: Sequence[Station] | None) -> StationsCount:
    """`count_folder` through the column reader, keeping the accepted protocols."""
    from saylau.io.columnar import count_protocols

    count = count_protocols([folder], election, stations, keep_accepted=True)
    problems = count.problems + unknown_options([folder], election)
    if problems:
        raise InputError(problems)
    register = count.stations()
    if register is None:
        raise InputError([worded(NO_REGISTER, "stations.csv")])
    progress: dict[BallotKind, BallotProgress] = {"list": p} if (p := count.progress.get("list")) else {}
    if (p := count.progress.get("district")) is not None:
        progress["district"] = p
    tabulation = Tabulation(
        count.list_tally(election),
        dict(count.list_by_district),
        dict(count.district_tallies),
        progress,
        count.accepted if count.accepted is not None else (),  # kept as columns (AcceptedRows)
        tuple(count.findings),
        count.accounting,
    )
    return register, tabulation
