"""The council as a hemicycle: one circle per seat in concentric arcs, a block of colour per party.

An SVG string (no script, no external reference) that the HTML report inlines and a user can save as is,
and a PNG drawn from the very same positions. Seats run from the left end of the arcs to the right in the
view's party order (most list votes first, then registration order), then independents, open seats (repeat
election or tie), and seats of districts not yet reported.

Read by people who cannot tell the colours apart: every seat has a dark outline (so a pale party colour
still stands out from the page, contrast >= 3:1) and every party after the first a pattern of its own,
repeated in the legend. The majority is marked by a line that runs *between* seats, in the gaps between
the rows, so that the first `majority` seats lie on its left; it never crosses a seat. Each circle carries
`class="seat"` and `data-party`, so a page or a test can count and style them.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from functools import cache
from html import escape
from importlib.resources import files
from io import BytesIO
from typing import Literal

from PIL import Image, ImageDraw, ImageFont

from saylau.domain import CountStatus
from saylau.reports.i18n import Words, words
from saylau.reports.view import build_view
from saylau.result import Result

INDEPENDENT = "independent"
VACANT = "vacant"
NOT_REPORTED = "not-reported"
INDEPENDENT_COLOUR = "#9e9e9e"
VACANT_COLOUR = "#ffffff"
NOT_REPORTED_COLOUR = "#eeeeee"
_OUTLINE = "#333333"

_WIDTH = 400
_RADIUS = 180.0
_CENTRE_X = _WIDTH / 2
_CENTRE_Y = 220.0
_LEGEND_TOP = _CENTRE_Y + 40

PATTERNS = ("solid", "stripes", "dots", "cross", "rows", "columns", "checks")
"""The pattern of each party block in order (the first party is plain); independents and open seats none."""


@dataclass(frozen=True, slots=True)
class Block:
    """A run of seats of one holder: a party, the independents, the open or unreported seats."""

    holder: str
    label: str
    seats: int
    colour: str
    pattern: str = "solid"


Tier = Literal["all", "list", "district"]
"""Which seats a chart shows: the whole council, the list tier or the district tier."""


@dataclass(frozen=True, slots=True)
class Seat:
    """One seat's place: centre, and the row and angle it sits at (rows counted from the inside)."""

    x: float
    y: float
    row: int
    angle: float
    radius: float


def tier_seats(result: Result, tier: Tier = "all") -> int:
    """How many seats the chart of that tier has (open seats included)."""
    composition, system = result.composition, result.election.system
    if tier == "list":
        return system.list_tier.seats if system.list_tier else 0
    if tier == "district":
        return len(composition.districts)
    return composition.seats_total


def blocks(result: Result, tier: Tier = "all", w: Words | None = None) -> list[Block]:
    """The holders in left-to-right order, with how many seats each has (empty holders left out)."""
    w = w or words()
    view = build_view(result, w.lang)
    out = []
    for i, row in enumerate(view.parties):
        seats = {"all": row.seats, "list": row.list_seats, "district": row.district_seats}[tier]
        out.append(Block(row.party, row.name, seats, row.colour, PATTERNS[i % len(PATTERNS)]))
    composition = result.composition
    independents = 0 if tier == "list" else composition.independents
    out.append(Block(INDEPENDENT, w("Independents"), independents, INDEPENDENT_COLOUR))
    unreported = 0 if tier == "list" else len(composition.unreported)
    if tier != "district" and composition.list_allocation is None and result.status is CountStatus.PARTIAL:
        unreported += tier_seats(result, "list")  # no list protocol counted yet: no list seat is decided
    filled = sum(b.seats for b in out)
    open_seats = tier_seats(result, tier) - filled - unreported
    out.append(
        Block(
            VACANT, w("Vacant (repeat election or tie)") if tier != "list" else w("Vacant"), open_seats, VACANT_COLOUR
        )
    )
    out.append(Block(NOT_REPORTED, w("Not yet reported"), unreported, NOT_REPORTED_COLOUR))
    return [b for b in out if b.seats > 0]


def _rows(seats: int) -> int:
    return max(1, round(math.sqrt(seats / 3)))


def layout(seats: int) -> list[Seat]:
    """Every seat's place on concentric half-rings, ordered from the left end of the arcs to the right end.

    Outer rows are longer, so each row takes seats in proportion to its radius; sorting all the seats by
    angle then makes each party a wedge from the inner row to the outer one, as parliament diagrams do.
    """
    if seats <= 0:
        return []
    rows = _rows(seats)
    inner = _RADIUS * (0.4 if rows > 1 else 0.7)
    radii = [inner + (_RADIUS - inner) * i / max(1, rows - 1) for i in range(rows)]
    counts = [int(seats * r / sum(radii)) for r in radii]
    for i in range(seats - sum(counts)):
        counts[-1 - i % rows] += 1
    places: list[tuple[float, float, int]] = []
    for row, (radius, count) in enumerate(zip(radii, counts, strict=True)):
        for j in range(count):
            angle = math.pi / 2 if count == 1 else math.pi * (1 - j / (count - 1))
            places.append((angle, radius, row))
    places.sort(key=lambda c: (-round(c[0], 9), c[1]))
    return [Seat(_CENTRE_X + r * math.cos(a), _CENTRE_Y - r * math.sin(a), row, a, r) for a, r, row in places]


def seat_positions(seats: int) -> list[tuple[float, float]]:
    """Centres of `seats` circles, ordered from the left end of the arcs to the right end."""
    return [(s.x, s.y) for s in layout(seats)]


def dot_radius(total: int) -> float:
    """Circle radius: as large as fits both along the rows and between them."""
    rows = _rows(max(total, 1))
    return min(12.0, (_RADIUS * 0.6 / rows) * 0.4, math.pi * _RADIUS / max(total, 1) * 0.9)


def majority_path(total: int, majority: int) -> list[tuple[float, float]]:
    """The majority line as points: the first `majority` seats on its left, through the gaps between seats.

    In each row it runs radially through the gap between that row's last seat of the majority and its first
    seat beyond it; between rows it follows the arc midway between them, where no seat lies.
    """
    seats = layout(total)
    if not 0 < majority < total:
        return []
    rows = sorted({s.row for s in seats})
    radii = {s.row: s.radius for s in seats}
    gap = dot_radius(total) * 1.6
    edges = []  # per row: the angle of the gap
    for row in rows:
        inside = [s.angle for i, s in enumerate(seats) if s.row == row and i < majority]
        outside = [s.angle for i, s in enumerate(seats) if s.row == row and i >= majority]
        row_seats = sorted(s.angle for s in seats if s.row == row)
        step = (row_seats[-1] - row_seats[0]) / max(1, len(row_seats) - 1) or math.pi / 2
        if inside and outside:
            edges.append((min(inside) + max(outside)) / 2)
        elif inside:
            edges.append(min(inside) - step / 2)
        else:
            edges.append(max(outside) + step / 2)
    bounds = [radii[rows[0]] - gap]
    bounds += [(radii[a] + radii[b]) / 2 for a, b in itertools.pairwise(rows)]
    bounds.append(radii[rows[-1]] + gap)
    points: list[tuple[float, float]] = []
    for k, angle in enumerate(edges):
        points += [_point(bounds[k], angle), _point(bounds[k + 1], angle)]
        if k + 1 < len(edges):  # along the arc between rows k and k+1, to the next row's gap
            steps = max(2, int(abs(edges[k + 1] - angle) * bounds[k + 1] / 4))
            points += [_point(bounds[k + 1], angle + (edges[k + 1] - angle) * t / steps) for t in range(1, steps)]
    return points


def _point(radius: float, angle: float) -> tuple[float, float]:
    return _CENTRE_X + radius * math.cos(angle), _CENTRE_Y - radius * math.sin(angle)


def _seats(result: Result, tier: Tier, holders: list[Block]) -> list[tuple[Block, Seat]]:
    """Every seat with its holder and place, left to right."""
    owners = [b for b in holders for _ in range(b.seats)]
    return list(zip(owners, layout(tier_seats(result, tier)), strict=False))


def caption(result: Result, tier: Tier, w: Words) -> str:
    """ "22 seats for a majority of 42", or the tier's size."""
    composition = result.composition
    if tier == "all":
        return w.n(
            "{n} seat for a majority of {total}",
            "{n} seats for a majority of {total}",
            composition.majority,
            total=composition.seats_total,
        )
    label = w("list tier") if tier == "list" else w("district tier")
    return w.n("{tier}: {n} seat", "{tier}: {n} seats", tier_seats(result, tier), tier=label)


def description(result: Result, tier: Tier = "all", w: Words | None = None) -> str:
    """The text alternative: the body, its seats and every holder's count, and the count's status."""
    w = w or words()
    view = build_view(result, w.lang)
    parts = ", ".join(f"{b.label} {b.seats}" for b in blocks(result, tier, w))
    name = (
        view.body_name
        if tier == "all"
        else f"{view.body_name}, {w('list tier') if tier == 'list' else w('district tier')}"
    )
    text = w.n(
        "{name}: {n} seat ({parts})", "{name}: {n} seats ({parts})", tier_seats(result, tier), name=name, parts=parts
    )
    if tier == "all":
        text += ". " + caption(result, tier, w)
    if view.partial:
        text += ". " + w("Partial count: not every protocol is in")
    return text


def _defs() -> str:
    """SVG patterns drawn over a party's colour: dark and white strokes, readable on any colour."""
    shapes = {
        "stripes": '<path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" stroke="#000" stroke-opacity=".55" '
        'stroke-width="1.4"/>',
        "dots": '<circle cx="3" cy="3" r="1.3" fill="#000" fill-opacity=".55"/>',
        "cross": '<path d="M0,0 l6,6 M6,0 l-6,6" stroke="#000" stroke-opacity=".5" stroke-width="1"/>',
        "rows": '<path d="M0,3 h6" stroke="#000" stroke-opacity=".55" stroke-width="1.4"/>',
        "columns": '<path d="M3,0 v6" stroke="#fff" stroke-opacity=".8" stroke-width="1.6"/>',
        "checks": '<rect width="3" height="3" fill="#fff" fill-opacity=".6"/><rect x="3" y="3" width="3" height="3" '
        'fill="#fff" fill-opacity=".6"/>',
    }
    patterns = "".join(
        f'<pattern id="saylau-{name}" width="6" height="6" patternUnits="userSpaceOnUse">{shape}</pattern>'
        for name, shape in shapes.items()
    )
    return f"<defs>{patterns}</defs>"


def render_hemicycle(result: Result, tier: Tier = "all", lang: str = "en") -> str:
    """The hemicycle with its legend, caption and text alternative as an SVG fragment, in `lang`."""
    w = words(lang)
    holders = blocks(result, tier, w)
    total = tier_seats(result, tier)
    dot = dot_radius(total)
    height = _LEGEND_TOP + 20 * len(holders) + 10
    text = escape(description(result, tier, w))
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="hemicycle" viewBox="0 0 {_WIDTH} {height:.0f}" '
        f'role="img" aria-label="{text}">',
        f"<title>{text}</title>",
        _defs(),
    ]
    for block, seat in _seats(result, tier, holders):
        dash = ' stroke-dasharray="2 2"' if block.holder == NOT_REPORTED else ""
        circle = f'cx="{seat.x:.1f}" cy="{seat.y:.1f}" r="{dot:.1f}"'
        lines.append(
            f'<circle class="seat" data-party="{escape(block.holder)}" {circle} fill="{escape(block.colour)}" '
            f'stroke="{_OUTLINE}" stroke-width="1"{dash}><title>{escape(block.label)}</title></circle>'
        )
        if block.pattern != "solid":
            lines.append(f'<circle {circle} fill="url(#saylau-{block.pattern})" pointer-events="none"/>')
    if tier == "all":
        lines += _majority_svg(result, total)
    lines.append(
        f'<text x="{_CENTRE_X}" y="{_CENTRE_Y + 22:.1f}" text-anchor="middle" font-size="13" '
        f'font-family="sans-serif">{escape(caption(result, tier, w))}</text>'
    )
    for i, block in enumerate(holders):
        y = _LEGEND_TOP + 20 * i
        swatch = f'x="20" y="{y:.0f}" width="12" height="12"'
        lines.append(f'<rect {swatch} fill="{escape(block.colour)}" stroke="{_OUTLINE}" />')
        if block.pattern != "solid":
            lines.append(f'<rect {swatch} fill="url(#saylau-{block.pattern})" />')
        lines.append(
            f'<text class="legend" data-party="{escape(block.holder)}" x="40" y="{y + 11:.0f}" font-size="13" '
            f'font-family="sans-serif">{escape(block.label)}: {block.seats}</text>'
        )
    lines.append("</svg>")
    return "\n".join(lines) + "\n"


def _majority_svg(result: Result, total: int) -> list[str]:
    majority = result.composition.majority
    points = majority_path(total, majority)
    if not points:
        return []
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    top_x, top_y = points[-1]
    return [
        f'<polyline class="majority" points="{path}" fill="none" stroke="#000" stroke-width="1.5" '
        'stroke-dasharray="4 2" />',
        f'<text class="majority-count" x="{top_x:.1f}" y="{top_y - 4:.1f}" text-anchor="middle" font-size="12" '
        f'font-weight="bold" font-family="sans-serif">{majority}</text>',
    ]


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    """DejaVu Sans (vendored, covers Kazakh and Russian Cyrillic) at `size` pixels."""
    path = files("saylau.reports").joinpath("fonts", "DejaVuSans.ttf")
    with path.open("rb") as handle:
        return ImageFont.truetype(BytesIO(handle.read()), size)


def render_hemicycle_png(result: Result, tier: Tier = "all", scale: int = 2, lang: str = "en") -> bytes:
    """The same seats as a PNG (for slides and social media): circles, patterns, majority line, legend.

    Drawn with Pillow from the same positions as the SVG, so both charts always agree.
    """
    w = words(lang)
    holders = blocks(result, tier, w)
    total = tier_seats(result, tier)
    dot = dot_radius(total) * scale
    height = int((_LEGEND_TOP + 20 * len(holders) + 10) * scale)
    image = Image.new("RGB", (_WIDTH * scale, height), "white")
    draw = ImageDraw.Draw(image)
    for block, seat in _seats(result, tier, holders):
        box = (seat.x * scale - dot, seat.y * scale - dot, seat.x * scale + dot, seat.y * scale + dot)
        draw.ellipse(box, fill=block.colour, outline=_OUTLINE, width=max(1, scale // 2))
        _pattern(image, box, block.pattern)
    if tier == "all":
        points = majority_path(total, result.composition.majority)
        if points:
            draw.line([(x * scale, y * scale) for x, y in points], fill="black", width=scale)
            top_x, top_y = points[-1]
            draw.text(
                (top_x * scale, (top_y - 4) * scale),
                str(result.composition.majority),
                fill="black",
                font=_font(12 * scale),
                anchor="ms",
            )
    draw.text(
        (_CENTRE_X * scale, (_CENTRE_Y + 22) * scale),
        caption(result, tier, w),
        fill="black",
        font=_font(13 * scale),
        anchor="ms",
    )
    for i, block in enumerate(holders):
        y = (_LEGEND_TOP + 20 * i) * scale
        box = (20 * scale, y, 32 * scale, y + 12 * scale)
        draw.rectangle(box, fill=block.colour, outline=_OUTLINE)
        _pattern(image, box, block.pattern, circle=False)
        draw.text((40 * scale, y - scale), f"{block.label}: {block.seats}", fill="black", font=_font(13 * scale))
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _pattern(image: Image.Image, box: tuple[float, float, float, float], pattern: str, circle: bool = True) -> None:
    """Draw `pattern` inside the box, clipped to a circle (seats) or the box itself (legend swatches)."""
    if pattern == "solid":
        return
    left, top, right, bottom = (int(v) for v in box)
    size = (right - left + 1, bottom - top + 1)
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    pen = ImageDraw.Draw(layer)
    dark, light = (0, 0, 0, 140), (255, 255, 255, 200)
    step = max(4, size[0] // 4)
    for k in range(-size[1], size[0] + size[1], step):
        if pattern in ("stripes", "cross"):
            pen.line((k, size[1], k + size[1], 0), fill=dark, width=2)
        if pattern == "cross":
            pen.line((k, 0, k + size[1], size[1]), fill=dark, width=2)
    for k in range(step // 2, max(size), step):
        if pattern == "rows":
            pen.line((0, k, size[0], k), fill=dark, width=2)
        if pattern == "columns":
            pen.line((k, 0, k, size[1]), fill=light, width=2)
        if pattern == "dots":
            for j in range(step // 2, size[1], step):
                pen.ellipse((k - 1.5, j - 1.5, k + 1.5, j + 1.5), fill=dark)
        if pattern == "checks":
            for j in range(0, size[1], step):
                if (k // step + j // step) % 2 == 0:
                    pen.rectangle((k - step // 2, j, k, j + step // 2), fill=light)
    mask = Image.new("L", size, 0 if circle else 255)
    if circle:
        ImageDraw.Draw(mask).ellipse((1, 1, size[0] - 2, size[1] - 2), fill=255)
    alpha = Image.composite(layer.getchannel("A"), Image.new("L", size, 0), mask)
    layer.putalpha(alpha)
    image.paste(layer, (left, top), layer)
