"""stations.csv's `previous:` figures as columns, for the projection at a country's size.

Why: `read_station_history` gives a `StationHistory` (and a dictionary of votes) per station; a million
stations take longer to read that way than the count itself. A plain file (every record complete, every
`previous:` party column naming a registered party, every figure ASCII digits, the optional
`previous:registered` and `previous:found` digits or empty) is read here by pyarrow's CSV reader straight into
columns; anything else is read by `read_station_history` with every check and its problems, and then made
columns. Both give the same columns (tests/properties/test_projection_arrays.py).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from saylau.analysis.projection.counted import BoolArray, HistoryColumns
from saylau.analysis.projection.model import FloatArray, IntArray
from saylau.errors import Problem
from saylau.io.protocols import PREVIOUS, read_station_history
from saylau.io.table import Problems, read_text
from saylau.limits import MAX_COUNT

_PLAIN = f"^[0-9]{{1,{len(str(MAX_COUNT)) - 1}}}$"
"""A plain figure: ASCII digits, few enough that the number is within MAX_COUNT (as the row reader's)."""
OPTIONAL = (f"{PREVIOUS}registered", f"{PREVIOUS}found")


def read_history_columns(folder: Path, parties: Sequence[str]) -> tuple[HistoryColumns | None, list[Problem]]:
    """The stations' previous figures as columns (votes in the order of `parties`, the registered parties), or
    None when stations.csv has no `previous:` column; the problems `read_station_history` finds."""
    if not (folder / "stations.csv").is_file():
        return None, []
    plain = _plain(folder, parties)
    if plain is not None:
        return plain, []
    history, problems = read_station_history(folder, parties)
    return (HistoryColumns.of(history, parties) if history is not None else None), problems


def _plain(folder: Path, parties: Sequence[str]) -> HistoryColumns | None:
    """The columns of a plain stations.csv (see the module's docstring); None for anything else."""
    problems = Problems()
    text = read_text(folder, "stations.csv", problems)
    if text is None or problems.items or not text:
        return None
    header = _header(text, set(parties))
    if header is None:
        return None
    try:
        table = pacsv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            parse_options=pacsv.ParseOptions(ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.string()),
                strings_can_be_null=False,
                include_columns=["station", "registered", *(h for h in header if h.startswith(PREVIOUS))],
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None  # a short or long row, a blank line: the row reader says where
    if table.num_rows == 0:
        return None
    named = [h for h in header if h.startswith(PREVIOUS) and h not in OPTIONAL]
    figures = [table.column(h) for h in ("station", "registered", *named)]
    if not all(pc.all(pc.match_substring_regex(c, _PLAIN)).as_py() for c in figures):
        return None
    station, registered, *votes = (np.asarray(pc.cast(c, pa.int64()), np.int64) for c in figures)
    if int(station.min()) < 1:
        return None
    given = {h: _optional(table.column(h)) for h in OPTIONAL if h in table.column_names}
    if any(v is None for v in given.values()):
        return None
    at = {h[len(PREVIOUS) :]: k for k, h in enumerate(named)}
    columns = np.zeros((station.shape[0], len(parties)))
    for k, party in enumerate(parties):
        if party in at:
            columns[:, k] = votes[at[party]]
    summed = np.zeros(station.shape[0], np.int64)
    for column in votes:
        summed += column
    was, found = _or(given.get(OPTIONAL[0]), registered), _or(given.get(OPTIONAL[1]), summed)
    return HistoryColumns(tuple(parties), station, was, found, columns)


def _or(optional: tuple[IntArray, BoolArray] | None, default: IntArray) -> FloatArray:
    """An optional figure where given, else its default."""
    out: FloatArray = (default if optional is None else np.where(optional[1], optional[0], default)).astype(np.float64)
    return out


def _header(text: str, known: set[str]) -> list[str] | None:
    """The header, when it is plain: names as written (no spaces around them, none twice, printable), the
    register's three columns, and at least one `previous:` party column, each a registered party."""
    first = text.split("\n", 1)[0]
    if '"' in first:
        return None
    header = next(csv.reader([first]), [])
    if any(h != h.strip() or not h.isprintable() for h in header) or len(set(header)) != len(header):
        return None
    named = [h for h in header if h.startswith(PREVIOUS) and h not in OPTIONAL]
    if not {"station", "district", "registered"} <= set(header) or not named:
        return None
    return header if all(h[len(PREVIOUS) :] in known for h in named) else None


def _optional(column: pa.ChunkedArray) -> tuple[IntArray, BoolArray] | None:
    """(values, given) of an optional figure: digits or empty in every cell; None for anything else."""
    given = pc.not_equal(column, "")
    plain = pc.or_(pc.invert(given), pc.match_substring_regex(column, _PLAIN))
    if not pc.all(plain).as_py():
        return None
    values = pc.cast(pc.if_else(given, column, "0"), pa.int64())
    return np.asarray(values, np.int64), np.asarray(given, np.bool_)
