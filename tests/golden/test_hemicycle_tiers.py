"""Hemicycles of each tier of the Almaty 2023 council, SVG and PNG.

Expected counts from the seed and spec/almaty-data.md: list seats Amanat 12, QHP 3, Respublica 3, Baytaq 2,
Aq Jol 1; district seats Amanat 13, Respublica 2, Baytaq 1, Aq Jol 1, independents 4.
"""

from __future__ import annotations

import re
from collections import Counter
from io import BytesIO

import pytest
from PIL import Image

from saylau.io import load_election
from saylau.reports.hemicycle import render_hemicycle, render_hemicycle_png
from saylau.result import Result, declare
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def almaty() -> Result:
    return declare(load_election(EXAMPLES / "almaty-2023"))


def seats(svg: str) -> Counter[str]:
    return Counter(re.findall(r'<circle class="seat" data-party="([^"]+)"', svg))


def test_list_tier(almaty: Result) -> None:
    assert seats(render_hemicycle(almaty, "list")) == {
        "Amanat": 12,
        "QHP": 3,
        "Respublica": 3,
        "Baytaq": 2,
        "Aq Jol": 1,
    }


def test_district_tier(almaty: Result) -> None:
    expected = {"Amanat": 13, "Respublica": 2, "Baytaq": 1, "Aq Jol": 1, "independent": 4}
    assert seats(render_hemicycle(almaty, "district")) == expected


def test_png_shows_every_party_colour(almaty: Result) -> None:
    image = Image.open(BytesIO(render_hemicycle_png(almaty))).convert("RGB")
    assert image.size[0] == 800
    colours = {colour for _, colour in image.getcolors(maxcolors=1 << 20) or []}
    for party in ("Amanat", "QHP", "Respublica", "Baytaq", "Aq Jol"):
        hex_colour = almaty.election.party(party).colour  # type: ignore[union-attr]
        assert tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)) in colours
    auyl = almaty.election.party("Auyl").colour  # type: ignore[union-attr]
    assert tuple(int(auyl[i : i + 2], 16) for i in (1, 3, 5)) not in colours  # no seat, no legend swatch
