"""The statistics' speed at a country's size changes none of their figures (issue 25).

- `contests.groups` is `np.unique(values, return_inverse=True)` by a table lookup: the same arrays on any
  numbers (small ones by the lookup, others by `np.unique` itself).
- `digits._digit_tally` counts the last digits of redraws without a one-hot row per redraw: divided by the
  redraws, it is the one-hot rows' mean as the large-sample form wrote it before, to the last bit.
- The contests and the statistics made side by side on threads (`workers`) are the ones made one after
  another, on elections of every path: the counted nulls (a city), the large-sample forms and samples (over
  5,000 stations), stuffed and rounded counts, and the column reader's tables.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.analysis.forensics import contests, examine, examine_contests
from saylau.analysis.forensics.contests import groups
from saylau.analysis.forensics.digits import INNER, MIN_COUNT, _digit_tally
from saylau.analysis.forensics.stuffing import round_off, stuff
from saylau.io import load_election
from saylau.io.columnar import read_past_columns
from saylau.io.writer import write_election
from saylau.reports.forensics import forensics_json
from saylau.synth import SyntheticElection, synthesize
from saylau.tabulation.fast import AcceptedRows

numbers = st.lists(st.integers(0, 60), max_size=300) | st.lists(st.integers(-(2**40), 2**40), max_size=50)


@given(numbers)
@settings(max_examples=200, deadline=None)
def test_groups_are_np_unique_s(values: list[int]) -> None:
    array = np.array(values, np.int64)
    names, inverse = groups(array)
    expected_names, expected_inverse = np.unique(array, return_inverse=True)
    assert names.dtype == np.int64 and inverse.dtype == np.int64
    assert names.tolist() == expected_names.tolist()
    assert inverse.tolist() == expected_inverse.reshape(-1).tolist()


@given(st.integers(1, 6), st.lists(st.integers(0, 400), min_size=1, max_size=60), st.integers(0, 2**32 - 1))
@settings(max_examples=200, deadline=None)
def test_the_digit_tally_is_the_mean_of_one_hot_rows_to_the_last_bit(redraws: int, sizes: list[int], seed: int) -> None:
    rng = np.random.default_rng(seed)
    drawn = rng.integers(0, np.array(sizes) + 1, size=(redraws, len(sizes)))
    one_hot = np.where((drawn >= MIN_COUNT)[..., None], np.eye(10)[drawn % 10], 0.0)  # as the form wrote it
    assert np.array_equal(_digit_tally(drawn[:1]), one_hot[0])
    assert _digit_tally(drawn).tobytes() == (one_hot.sum(axis=0)).tobytes()
    assert (_digit_tally(drawn) / redraws).tobytes() == one_hot.mean(axis=0).tobytes()
    if redraws == INNER:
        assert (_digit_tally(drawn) / INNER).tobytes() == one_hot.mean(axis=0).tobytes()


@cache
def _election(seed: int, stations: int) -> SyntheticElection:
    return synthesize(seed, max(3, stations // 26), stations, 6, heterogeneity=0.3, previous=True)


def _json(found: Any) -> str:
    return json.dumps(forensics_json(found), sort_keys=True)


@pytest.mark.parametrize(
    ("seed", "stations", "fraud"), [(0, 553, "clean"), (1, 553, "stuffed"), (2, 2000, "rounded"), (3, 6000, "stuffed")]
)
def test_statistics_on_threads_are_the_statistics_one_after_another(seed: int, stations: int, fraud: str) -> None:
    election = _election(seed, stations)
    protocols = list(election.protocols)
    if fraud == "stuffed":
        protocols, _ = stuff(protocols, 0.1, seed)
    elif fraud == "rounded":
        protocols, _ = round_off(protocols, 0.1, seed)
    parties_of = {d: dict(c) for d, c in election.candidates.items()}
    alone = examine(protocols, election.previous, parties_of, seed=seed, resamples=99)
    assert any(r.last_digit is not None and r.last_digit.large_sample for r in alone) == (stations > 5000)
    side_by_side = examine(protocols, election.previous, parties_of, seed=seed, resamples=99, workers=3)
    assert _json(side_by_side) == _json(alone)
    made = contests(protocols, election.previous, parties_of, workers=2)
    assert _json(examine_contests(made, seed=seed, resamples=99, workers=2)) == _json(alone)


def test_the_column_reader_s_tables_on_threads_give_the_same_statistics(tmp_path: Path) -> None:
    write_election(tmp_path, synthesize(21, 21, 5000, 6, heterogeneity=0.3, previous=True))  # column reader
    kept: list[Any] = []
    election = load_election(tmp_path, kept=kept)
    accepted = kept[0][1].accepted
    assert isinstance(accepted, AcceptedRows)
    history, problems = read_past_columns(tmp_path, [p.short_name for p in election.parties])
    assert history is not None and not problems
    parties_of = {d.number: {c.name: c.party for c in d.candidates} for d in election.districts}
    alone = examine(accepted, history, parties_of, seed=5, resamples=99)
    side_by_side = examine(accepted, history, parties_of, seed=5, resamples=99, workers=2)
    assert _json(side_by_side) == _json(alone)
    objects = examine(list(accepted), history, parties_of, seed=5, resamples=99)  # one table made of the objects
    assert _json(objects) == _json(alone)
