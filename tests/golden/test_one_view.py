"""One view, many renderers: every format lists the parties in the same order, and every table adds up.

The order is the documented one (docs/reports.md): most list votes first, then registration order, wherever
a table ranks; the PDF protocol, which follows the ballot, lists them in the ballot's order. Expected
figures are the seed's (shared/seed/000_6f5d0e82cda8ae51.txt): Amanat 151,531, QHP 38,563, Respublica 38,369,
Baytaq 23,266, Aq Jol 15,273, Auyl 8,264; "against all" 16,490; 302,270 took part.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
from fractions import Fraction

import pytest

from saylau.io import load_election
from saylau.reports.csv_report import render_csv
from saylau.reports.hemicycle import blocks, dot_radius, layout, majority_path, render_hemicycle
from saylau.reports.html import render_html
from saylau.reports.markdown import render_markdown
from saylau.reports.pdf import protocol_data
from saylau.reports.summary import summary
from saylau.reports.text import render_text
from saylau.reports.view import LineKind, build_view
from saylau.result import Result, declare
from tests.conftest import EXAMPLES
from tests.real.test_real_elections import HERE as REAL

SEED_ORDER = ["Amanat", "QHP", "Respublica", "Baytaq", "Aq Jol", "Auyl"]
BALLOT_ORDER = ["Amanat", "Auyl", "Respublica", "QHP", "Baytaq", "Aq Jol"]
"""The ballot's order: the seed's parties table (registration order, examples/almaty-2023/parties.csv)."""


@pytest.fixture(scope="module")
def almaty() -> Result:
    return declare(load_election(EXAMPLES / "almaty-2023"))


def _order(text: str, names: list[str]) -> list[str]:
    """The names in the order they first appear in `text`."""
    return sorted(names, key=lambda n: text.index(n))


def test_every_format_lists_the_parties_in_one_order(almaty: Result) -> None:
    party_table = render_text(almaty, width=200).split("Parties", 1)[1]
    assert _order(party_table, SEED_ORDER) == SEED_ORDER
    assert _order(render_markdown(almaty).split("## Parties", 1)[1], SEED_ORDER) == SEED_ORDER
    assert _order(render_html(almaty).split('class="parties"', 1)[1], SEED_ORDER) == SEED_ORDER
    assert [row["party"] for row in csv.DictReader(io.StringIO(render_csv(almaty))) if row["kind"] == "party"] == (
        SEED_ORDER
    )
    assert [p["name"] for p in summary(almaty)["parties"]] == SEED_ORDER
    # the signed protocol follows the ballot (issue 24): lists numbered and ordered as registered
    assert [row[1] for row in protocol_data(almaty)["parties"][:6]] == BALLOT_ORDER
    seated = [b.holder for b in blocks(almaty) if b.holder in SEED_ORDER]
    assert seated == [p for p in SEED_ORDER if p != "Auyl"]  # Auyl holds no seat


def test_the_party_table_adds_up(almaty: Result) -> None:
    """Party percentages plus "against all" make 100% of the base; base + invalid = ballots cast."""
    view = build_view(almaty)
    lines = {line.kind: line for line in view.ballot_lines}
    against_all, base = lines[LineKind.AGAINST_ALL], lines[LineKind.SHARE_BASE]
    assert against_all.count == 16_490 and lines[LineKind.CAST].count == 302_270
    assert sum(row.list_votes for row in view.parties) + against_all.count == base.count
    assert sum((row.list_percent or Fraction(0)) for row in view.parties) + (against_all.percent or 0) == 100
    assert base.count + lines[LineKind.INVALID].count == lines[LineKind.CAST].count
    rows = list(csv.DictReader(io.StringIO(render_csv(almaty))))
    shown = sum(float(r["list_percent"]) for r in rows if r["kind"] in ("party", "against_all"))
    assert shown == pytest.approx(100, abs=0.01 * 7)  # each row rounded to 2 decimals
    seats = sum(int(r["seats"]) for r in rows if r["kind"] in ("party", "independents"))
    assert seats == next(int(r["seats"]) for r in rows if r["kind"] == "total") == 42


def test_blank_ballots_have_their_line_and_the_table_still_adds_up() -> None:
    """Spain 2023: blank ballots count in the 3% base, so they have a line with their share, inside the 100%.

    Expected figures are the ministry's (tests/real/spain-2023): blank 200,673, valid 24,688,087 (blank
    included), null 264,360, cast 24,952,447.
    """
    spain = declare(load_election(REAL / "spain-2023"))
    view = build_view(spain)
    lines = {line.kind: line for line in view.ballot_lines}
    blank, base = lines[LineKind.BLANK], lines[LineKind.SHARE_BASE]
    assert (blank.count, base.count, lines[LineKind.INVALID].count) == (200_673, 24_688_087, 264_360)
    assert sum(row.list_votes for row in view.parties) + blank.count == base.count
    assert sum((row.list_percent or Fraction(0)) for row in view.parties) + (blank.percent or 0) == 100
    assert base.count + lines[LineKind.INVALID].count == lines[LineKind.CAST].count == 24_952_447
    rows = list(csv.DictReader(io.StringIO(render_csv(spain))))
    assert [(r["list_votes"], r["list_percent"]) for r in rows if r["kind"] == "blank"] == [("200673", "0.81")]


class TestMajorityMark:
    @pytest.mark.parametrize(("total", "majority"), [(42, 22), (39, 20), (21, 11), (150, 76), (5, 3), (11, 6)])
    def test_the_line_crosses_no_seat(self, total: int, majority: int) -> None:
        seats, dot = layout(total), dot_radius(total)
        points = majority_path(total, majority)
        assert points
        for (x1, y1), (x2, y2) in itertools.pairwise(points):
            for t in (i / 20 for i in range(21)):
                x, y = x1 + (x2 - x1) * t, y1 + (y2 - y1) * t
                assert all(math.hypot(x - s.x, y - s.y) > dot for s in seats)

    @pytest.mark.parametrize(("total", "majority"), [(42, 22), (150, 76)])
    def test_the_first_majority_seats_lie_on_its_left(self, total: int, majority: int) -> None:
        """Per row, the line's angle lies between the row's last majority seat and its first other seat."""
        seats = layout(total)
        points = majority_path(total, majority)
        centre_x, centre_y = 200, seats[0].y
        angles = [math.atan2(centre_y - y, x - centre_x) for x, y in points]
        for row in {s.row for s in seats}:
            inside = [s.angle for i, s in enumerate(seats) if s.row == row and i < majority]
            outside = [s.angle for i, s in enumerate(seats) if s.row == row and i >= majority]
            if inside and outside:
                assert any(min(inside) > a > max(outside) for a in angles)

    def test_svg_marks_the_majority_not_the_half(self, almaty: Result) -> None:
        svg = render_hemicycle(almaty)
        assert re.search(r'class="majority-count"[^>]*>22<', svg)
        assert 'class="majority"' in svg and "<line" not in svg
