"""Reading an election folder's protocol files again after a few rows changed (a corrected protocol), parsing
only the rows that changed: `saylau.publish.source` counts a folder again for each version it publishes.

A full read of 10,000 stations' protocols (20,000 rows of a few hundred columns) takes about a second; the
same file with one row changed is compared line by line with the last reading and only that row is read.
"""

from __future__ import annotations

import csv
from collections import OrderedDict
from pathlib import Path

from saylau.errors import Problem
from saylau.io.protocols import _from_row, read_protocol_file
from saylau.io.table import Problems, Row, read_text
from saylau.tabulation import Protocol

KEPT = 64
"""Files whose last reading is kept (an election folder's protocol files; a day's, of every contest)."""

SHARE = 10
"""At most one line in SHARE changed: the changed rows are read alone, else the file is read whole."""


class Reread:
    """Reads protocol files as `read_protocol_file` reads them (the same protocols, the same problems), keeping
    the last reading of each file, so that the file read again after a few of its rows changed costs a
    comparison of its lines and the reading of the changed rows only; the other rows give the protocols the same
    lines gave.

    The shortcut is taken only where it cannot differ from a full read: a CSV file read before without a
    problem, whose header line and number of lines are the same, with no quote character (so that every record
    is one line, row N being line N), and whose changed lines are each blank or a whole record (one cell per
    column) that reads without a problem. Anything else is read whole. The lines themselves are compared, so
    a file is never mistaken for its last reading; the newest readings of KEPT files are kept.
    """

    def __init__(self) -> None:
        self._files: OrderedDict[tuple[str, str, bool], tuple[list[str], list[Protocol]]] = OrderedDict()

    def __call__(self, folder: Path, name: str, *, confined: bool = True) -> tuple[list[Protocol], list[Problem]]:
        key = (str(folder.absolute()), name, confined)
        if name.lower().endswith(".json"):
            return read_protocol_file(folder, name, confined=confined)
        problems = Problems()
        text = read_text(folder, name, problems, confined=confined)
        if text is None:
            self._files.pop(key, None)
            return [], problems.items
        lines = text.split("\n")
        known = self._files.get(key)
        quick = _changed(name, known, lines) if known is not None and '"' not in text else None
        if quick is not None:
            self._keep(key, lines, quick)
            return list(quick), []
        protocols, found = read_protocol_file(folder, name, confined=confined)
        # kept only when what was read is the text compared next time (the file may change between two reads)
        if found or '"' in text or read_text(folder, name, Problems(), confined=confined) != text:
            self._files.pop(key, None)
        else:
            self._keep(key, lines, protocols)
        return list(protocols), found

    def _keep(self, key: tuple[str, str, bool], lines: list[str], protocols: list[Protocol]) -> None:
        self._files[key] = (lines, protocols)
        self._files.move_to_end(key)
        while len(self._files) > KEPT:
            self._files.popitem(last=False)


def _changed(name: str, known: tuple[list[str], list[Protocol]], lines: list[str]) -> list[Protocol] | None:
    """The file's protocols from the last reading and its changed lines, or None where a full read is needed."""
    before, protocols = known
    if len(lines) != len(before) or lines[0] != before[0]:
        return None
    changed = [i for i, (line, was) in enumerate(zip(lines, before, strict=True)) if line != was]
    if not changed:
        return protocols
    if len(changed) * SHARE > len(lines):
        return None
    header = [h.strip() for h in next(csv.reader([lines[0]]))]
    by_row = {p.row: p for p in protocols if p.row is not None}
    if len(by_row) != len(protocols):
        return None
    for i in changed:
        number = i + 1  # the header is row 1, as read_table numbers rows
        by_row.pop(number, None)
        try:
            cells = next(csv.reader([lines[i]]), [])
        except csv.Error:
            return None
        if not any(c.strip() for c in cells[: len(header)]):
            continue  # a blank row, skipped as read_table skips it
        if len(cells) != len(header):
            return None
        row = Row(name, number, dict(zip(header, cells, strict=True)), Problems())
        protocol = _from_row(row)
        if protocol is None or row.problems.items:
            return None
        by_row[number] = protocol
    return [by_row[n] for n in sorted(by_row)]
