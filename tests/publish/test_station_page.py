"""A polling station's page written out in Python (`saylau.publish.station_page`) is the template's, byte for byte.

The publisher writes station pages with `station_page.render`; `templates/station.html.j2` stays the page's
definition. Every station page of these versions is rendered both ways and compared: stations counted and not,
a corrected station (its corrections), scans (pictures and a PDF), a preview, a day's contest.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from markupsafe import Markup

from saylau.publish import FolderTarget, from_folder, publish, station_page
from tests.publish.conftest import HOSTILE, Count, both_ways, hostile_layout
from tests.publish.test_folder_scans import _scans
from tests.service.test_public_day import copy_day
from tests.service.test_scans import PDF, png

WHEN = datetime(2023, 3, 19, 21, 0, tzinfo=UTC)


@pytest.fixture
def compared(monkeypatch: pytest.MonkeyPatch) -> list[Mapping[str, Any]]:
    """Every station page the publisher renders from now on, checked against the template as it is rendered."""
    return both_ways(monkeypatch, station_page, "station.html.j2", "station")


def test_a_corrected_night_with_scans_and_a_preview(count: Count, tmp_path: Path, compared: list[Any]) -> None:
    count.without(103)  # not counted: "no accepted protocol"
    _scans(count.folder, [(101, "list", "101-list.png", png(3, 2), None), (102, "district", "102.pdf", PDF, None)])
    site = FolderTarget(tmp_path / "site")
    publish(site, from_folder(count.folder, WHEN))
    count.swap(101, "Amanat", "Respublica")
    publish(site, from_folder(count.folder, WHEN), reason="typed in the wrong lines")
    publish(FolderTarget(tmp_path / "staff"), from_folder(count.folder, WHEN), preview=True)
    assert {c["lang"] for c in compared} == {"kk", "ru", "en"}
    assert any(not c["protocols"] for c in compared), "a station not counted"
    assert any(c["corrections"] for c in compared), "a corrected station"
    assert any(p["scans"] and not p["scans"][0]["image"] for c in compared for p in c["protocols"]), "a PDF"
    assert any(p["scans"] and p["scans"][0]["image"] for c in compared for p in c["protocols"]), "a picture"
    assert any(c["preview"] for c in compared)


def test_a_day_s_contests(tmp_path: Path, compared: list[Any]) -> None:
    publish(FolderTarget(tmp_path / "site"), from_folder(copy_day(tmp_path), WHEN))
    assert {c["home"].split("contest=")[-1] for c in compared} == {"majilis", "almaty-maslihat"}


def test_hostile_text_is_escaped_as_the_template_escapes_it(count: Count, tmp_path: Path, compared: list[Any]) -> None:
    publish(FolderTarget(tmp_path / "site"), from_folder(count.folder, WHEN))
    context = dict(next(c for c in compared if c["protocols"]))
    context.update(
        **hostile_layout(context),
        station=replace(context["station"], number=7, district=HOSTILE),  # type: ignore[arg-type]
        registered=HOSTILE,
        protocols=[
            {
                "ballot": HOSTILE,
                "lines": [(HOSTILE, HOSTILE), ("registered", 1)],
                "votes": [(HOSTILE, HOSTILE)],
                "scans": [
                    {"href": HOSTILE, "sha256": HOSTILE, "image": True},
                    {"href": HOSTILE, "sha256": HOSTILE, "image": False},
                ],
            },
            {"ballot": "district", "lines": [], "votes": [], "scans": []},
        ],
        corrections=[(3, HOSTILE), (HOSTILE, Markup("<em>kept</em>"))],
        json_href=HOSTILE,
        csv_href=HOSTILE,
    )
    written = station_page.render(context)  # the fixture's check: the template's bytes
    assert "<b>" not in written and "&lt;b&gt;&amp;&lt;/b&gt;" in written and "&#34;жол&#34;" in written
    assert "&#39;x&#39;" in written and "<em>kept</em>" in written
