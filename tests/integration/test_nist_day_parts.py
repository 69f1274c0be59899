"""The day's NIST report is made contest by contest (`contest_report`) and joined (`joined_report`): a part
made earlier and kept, given again, makes the same day's report, and joining never changes a part (the
publisher may reuse an unchanged contest's part in a later version)."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from saylau.io.count import count_folder
from saylau.io.day import contest_stations, load_day
from saylau.reports.nist import StationCount
from saylau.reports.nist_day import contest_report, day_report, indented, joined_report, render_nist_day
from saylau.result_day import declare_day

DAY = Path(__file__).resolve().parents[2] / "examples" / "almaty-2023-day"
WHEN = datetime(2023, 3, 20, 12, 0, tzinfo=UTC)
LATER = datetime(2023, 3, 21, 9, 30, tzinfo=UTC)


def test_parts_made_apart_and_kept_join_into_the_days_report() -> None:
    declared = declare_day(load_day(DAY))
    counts: dict[str, StationCount | None] = {}
    for contest, result in declared.contests:
        counted = count_folder(DAY / contest.folder, result.election, contest_stations(declared.day, contest))
        counts[contest.id] = None if counted is None else StationCount(counted[0], counted[1].accepted)
    assert all(counts.values())
    whole = day_report(declared.day, declared.contests, counts, generated=WHEN)
    text = render_nist_day(declared.day, declared.contests, counts, generated=WHEN)
    assert text == json.dumps(whole, ensure_ascii=False, indent=2) + "\n"

    parts = [(c, contest_report(r, counts[c.id], None, WHEN)) for c, r in declared.contests]
    kept = copy.deepcopy(parts)
    assert joined_report(declared.day, parts, None, WHEN) == whole
    assert parts == kept  # joining changed no part

    # a later version: the first contest made anew, the second's part reused as it was kept
    (first, result), (second, _) = declared.contests
    later = [(first, contest_report(result, counts[first.id], None, LATER)), kept[1]]
    joined = joined_report(declared.day, later, None, LATER)
    assert joined["GeneratedDate"] == "2023-03-21T09:30:00Z"
    assert {k: v for k, v in joined.items() if k != "GeneratedDate"} == {
        k: v for k, v in whole.items() if k != "GeneratedDate"
    }
    assert [c["@id"] for c in joined["Election"][0]["Contest"]][-1].startswith(f"{second.id}-")


def test_the_indented_writer_is_the_standard_librarys() -> None:
    value: dict[str, Any] = {
        "empty": {},
        "none": [],
        "tuple": (1, "two", None),
        "text": 'Нұр Отан "quoted" \\ back\nline\t\u0001 – ñ',
        "figures": [0, -7, 2**70, 1.5, True, False, None],
        "nested": [{"a": [{}], "b": {"c": [[], [1, [2, {"d": "e"}]]]}}],
    }
    assert indented(value) == json.dumps(value, ensure_ascii=False, indent=2)
    assert indented([]) == "[]" and indented("x") == '"x"'
    with pytest.raises(TypeError):
        indented({1: "a number as a key"})
