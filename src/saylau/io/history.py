"""stations.csv's `previous:` figures as the projection's columns (`HistoryColumns`: a column per party, in
the order asked for).

Read by the one reader of those columns, `io.columnar.read_past_columns` (the forensics read them there too):
a plain file straight into columns by pyarrow, anything else by `read_station_history` with every check and
its problems. Both give the same columns (tests/properties/test_projection_arrays.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from saylau.analysis.projection.counted import HistoryColumns
from saylau.errors import Problem
from saylau.io.columnar import read_past_columns


def read_history_columns(folder: Path, parties: Sequence[str]) -> tuple[HistoryColumns | None, list[Problem]]:
    """The stations' previous figures as columns (votes in the order of `parties`, the registered parties; 0
    for a party without a column), or None when stations.csv has no `previous:` column (or no station with
    previous figures); the problems `read_station_history` finds."""
    past, problems = read_past_columns(folder, parties)
    if past is None:
        return None, problems
    none = np.zeros(len(past))
    votes = np.column_stack([past.votes.get(p, none) for p in parties]) if parties else np.zeros((len(past), 0))
    return HistoryColumns(tuple(parties), past.station, past.registered, past.found, votes), problems
