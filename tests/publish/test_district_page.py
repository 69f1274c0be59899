"""A district's page written out in Python (`saylau.publish.district_page`) is the template's, byte for byte.

The publisher writes district pages with `district_page.render`; `templates/district.html.j2` stays the page's
definition. Every district page of these versions is rendered both ways and compared: districts with stations
counted and not, a winner and none, a corrected night, a preview, a day's contests, and hostile text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from markupsafe import Markup

from saylau.publish import FolderTarget, district_page, from_folder, publish
from tests.publish.conftest import HOSTILE, Count, both_ways, hostile_layout
from tests.service.test_public_day import copy_day

WHEN = datetime(2023, 3, 19, 21, 0, tzinfo=UTC)


@pytest.fixture
def compared(monkeypatch: pytest.MonkeyPatch) -> list[Mapping[str, Any]]:
    """Every district page the publisher renders from now on, checked against the template as it is rendered."""
    return both_ways(monkeypatch, district_page, "district.html.j2", "number")


def test_a_corrected_night_and_a_preview(count: Count, tmp_path: Path, compared: list[Any]) -> None:
    count.without(103)  # not counted: "–" in its row
    site = FolderTarget(tmp_path / "site")
    publish(site, from_folder(count.folder, WHEN))
    count.swap(101, "Amanat", "Respublica")
    publish(site, from_folder(count.folder, WHEN), reason="typed in the wrong lines")
    publish(FolderTarget(tmp_path / "staff"), from_folder(count.folder, WHEN), preview=True)
    assert {c["lang"] for c in compared} == {"kk", "ru", "en"}
    assert any(s["found"] is None for c in compared for s in c["stations"]), "a station not counted"
    assert any(c["winner"] for c in compared), "a district with a winner"
    assert any(c["candidates"] for c in compared)
    assert any(c["preview"] for c in compared)


def test_a_day_s_contests(tmp_path: Path, compared: list[Any]) -> None:
    publish(FolderTarget(tmp_path / "site"), from_folder(copy_day(tmp_path), WHEN))
    assert {c["home"].split("contest=")[-1] for c in compared} == {"majilis", "almaty-maslihat"}


def test_hostile_text_is_escaped_as_the_template_escapes_it(count: Count, tmp_path: Path, compared: list[Any]) -> None:
    publish(FolderTarget(tmp_path / "site"), from_folder(count.folder, WHEN))
    context = dict(next(c for c in compared if c["candidates"]))
    candidate = context["candidates"][0][0]
    named = replace(candidate, name=HOSTILE)
    context.update(
        **hostile_layout(context),
        number=HOSTILE,
        name=HOSTILE,
        progress=HOSTILE,
        candidates=[(named, HOSTILE), (candidate, 7), (replace(candidate, name=Markup("<em>kept</em>")), "1")],
        winner=HOSTILE,
        stations=[
            {"number": HOSTILE, "href": HOSTILE, "registered": HOSTILE, "found": HOSTILE, "ballots": HOSTILE},
            {"number": 7, "href": "x", "registered": 1, "found": None, "ballots": 0},
        ],
        bulk_csv=HOSTILE,
        bulk_json=HOSTILE,
    )
    written = district_page.render(context)  # the fixture's check: the template's bytes
    assert "<b>" not in written and "&lt;b&gt;&amp;&lt;/b&gt;" in written and "&#34;жол&#34;" in written
    assert "&#39;x&#39;" in written and "<em>kept</em>" in written and " ✓</th>" in written
    context.update(name="", candidates=[])  # no name: "District N"; no candidate: no table
    assert '<table class="candidates">' not in district_page.render(context)
