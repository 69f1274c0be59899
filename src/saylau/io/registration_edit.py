"""Registration edits as changes to the folder's own CSV text (lists.csv, candidates.csv, parties.csv,
designations.csv), so the service keeps the definition in the very files the offline loader reads.

Each function takes a file's text (empty: the file does not exist yet) and returns the new text; columns the
file already has are kept, new columns are added at the end (before `source`, when there is one).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence

Row = dict[str, str]

LIST_COLUMNS = ("party", "position", "candidate")
CANDIDATE_COLUMNS = ("district", "candidate", "party")


def read_rows(text: str) -> tuple[list[str], list[Row]]:
    """The header and rows of a CSV text (an empty text has neither)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    return header, [{k: (v or "") for k, v in row.items() if isinstance(k, str)} for row in reader]


def write_rows(header: Sequence[str], rows: Sequence[Mapping[str, str]]) -> str:
    """CSV text with `header` and `rows` (values missing from a row are empty)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, list(header), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _header(existing: Sequence[str], required: Sequence[str], rows: Sequence[Mapping[str, str]]) -> list[str]:
    header = list(existing) or list(required)
    new = [k for row in rows for k in row if k not in header]
    seen: list[str] = []
    for name in new:
        if name not in seen:
            seen.append(name)
    if "source" in header:
        at = header.index("source")
        return header[:at] + seen + header[at:]
    return header + seen


def replace_rows(
    text: str, required: Sequence[str], keep: Callable[[Row], bool], added: Sequence[Row], *, at_end: bool = True
) -> str:
    """The text with the rows `keep` rejects removed and `added` put in their place (or at the end)."""
    header, rows = read_rows(text)
    kept: list[Row] = []
    placed = False
    for row in rows:
        if keep(row):
            kept.append(row)
        elif not placed and not at_end:
            kept += list(added)
            placed = True
    if not placed:
        kept += list(added)
    return write_rows(_header(header, required, added), kept)


def update_rows(
    text: str, required: Sequence[str], match: Callable[[Row], bool], changes: Mapping[str, str]
) -> tuple[str, int]:
    """The text with `changes` applied to every row `match` accepts, and how many rows matched."""
    header, rows = read_rows(text)
    found = 0
    for row in rows:
        if match(row):
            row.update(changes)
            found += 1
    return write_rows(_header(header, required, [dict(changes)]), rows), found


def set_list(text: str, party: str, candidates: Sequence[Row]) -> str:
    """lists.csv with the list of `party` replaced by `candidates` (positions 1..n in the order given)."""
    rows = [{"party": party, "position": str(i), **c} for i, c in enumerate(candidates, 1)]
    return replace_rows(text, LIST_COLUMNS, lambda r: r.get("party", "").strip() != party, rows, at_end=False)


def set_designations(text: str, party: str, names: Sequence[str]) -> str:
    """designations.csv with the designation of `party` replaced by `names`, in that order."""
    rows = [{"party": party, "candidate": n} for n in names]
    return replace_rows(text, ("party", "candidate"), lambda r: r.get("party", "").strip() != party, rows)
