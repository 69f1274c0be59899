"""Reading observers' copies of the protocols (docs/forensics.md, "Observers' copies").

    observers.csv          the protocol columns of protocols/*.csv (station, district, ballot, the lines,
    observers/*.csv        `vote:<option>`), plus optional `observer` (who copied it), `photo` (a file in the
                           election folder) and `photo_sha256` (its SHA-256, 64 hex digits)

A copy must be whole: a line that is not a whole number, a second copy of the same station and ballot, a
photo that is missing or leads out of the folder, or a hash that does not match the photo is a problem with
file, row and field, and nothing is compared until every problem is fixed. A hash without a photo is kept
(the photo may be held elsewhere); a photo without a hash gets its hash computed.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from pathlib import Path

from saylau.analysis.forensics.observers import ObserverCopy
from saylau.errors import Count, InputError, worded
from saylau.io.protocols import COLUMNS, _from_row
from saylau.io.table import Problems, inside, read_table
from saylau.limits import MAX_FILE_BYTES

FILE = "observers.csv"
FOLDER = "observers"
_HEX = re.compile(r"[0-9a-f]{64}")
SECOND_COPY = "a second copy of station {station}'s protocol for the same ballot (first at {first})"


def observer_files(folder: Path) -> list[str]:
    """The observers' files of an election folder, relative to it (empty when it has none)."""
    names = [FILE] if (folder / FILE).is_file() else []
    if (folder / FOLDER).is_dir():
        names += sorted(p.relative_to(folder).as_posix() for p in (folder / FOLDER).glob("*.csv"))
    return names


def read_observer_copies(folder: Path, *, photos: bool = True) -> list[ObserverCopy] | None:
    """Every observer's copy in the folder, or None when it has no observers' file; InputError on a problem.

    `photos=False`: the `photo` column is a name only (an upload to the service brings no photo file), and
    `photo_sha256` is kept as given (still checked to be a SHA-256)."""
    names = observer_files(folder)
    if not names:
        return None
    problems = Problems()
    copies: list[ObserverCopy] = []
    seen: dict[tuple[int, str], str] = {}
    for name in names:
        for row in read_table(folder, name, COLUMNS, problems):
            protocol = _from_row(row)
            if protocol is None:
                continue
            for line, raw in protocol.malformed.items():
                problems.items.append(
                    worded("{value} is not a whole number", row.path, row.number, line, value=repr(raw))
                )
            if protocol.malformed:
                continue
            where = f"{row.path}:{row.number}"
            if protocol.key in seen:
                first = seen[protocol.key]  # the same station and ballot as this row's
                problems.items.append(
                    worded(SECOND_COPY, row.path, row.number, "station", station=protocol.station, first=first)
                )
                continue
            seen[protocol.key] = where
            photo = row.text("photo", required=False)
            digest = (row.text("photo_sha256", required=False) or "").lower() or None
            if digest is not None and not _HEX.fullmatch(digest):
                problems.items.append(
                    worded("is not a SHA-256 (64 hexadecimal digits)", row.path, row.number, "photo_sha256")
                )
                continue
            if photo is not None and photos:
                actual = _photo_hash(folder, photo, problems, row.path, row.number)
                if actual is None:
                    continue
                if digest is not None and digest != actual:
                    problems.say(
                        "does not match the photo {photo} (its SHA-256 is {actual})",
                        row.path,
                        row.number,
                        "photo_sha256",
                        photo=repr(photo),
                        actual=actual,
                    )
                    continue
                digest = actual
            copies.append(ObserverCopy(protocol, row.text("observer", required=False), photo, digest))
    if problems.items:
        raise InputError(problems.items)
    return copies


def _photo_hash(folder: Path, photo: str, problems: Problems, path: str, row: int) -> str | None:
    file = folder / photo
    if not inside(file, folder):
        problems.say("leads out of the election folder: not read", path, row, "photo")
        return None
    if not file.is_file():
        problems.say("{photo}: file is missing", path, row, "photo", photo=repr(photo))
        return None
    try:
        if file.stat().st_size > MAX_FILE_BYTES:
            problems.say("is larger than the limit of {limit} bytes", path, row, "photo", limit=Count(MAX_FILE_BYTES))
            return None
        return hashlib.sha256(file.read_bytes()).hexdigest()
    except OSError as error:
        problems.say("cannot be read: {reason}", path, row, "photo", reason=error.strerror or type(error).__name__)
        return None


def observer_copies_from_text(text: str) -> list[ObserverCopy]:
    """The copies in the text of one observers' file (an upload): read as `observers.csv` of a folder of its
    own, photos by name only; InputError on a problem, or when the text has no copy at all."""
    with tempfile.TemporaryDirectory(prefix="saylau-observers-") as folder:
        (Path(folder) / FILE).write_text(text, encoding="utf-8")
        copies = read_observer_copies(Path(folder), photos=False) or []
    if not copies:
        raise InputError([worded("has no observer's copy (a header and at least one row)", FILE)])
    return copies


__all__ = ["FILE", "FOLDER", "observer_copies_from_text", "observer_files", "read_observer_copies"]
