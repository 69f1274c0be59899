"""The council as a hemicycle: one circle per seat in concentric arcs, a block of colour per party.

An SVG string (no script, no external reference) that the HTML report inlines and a user can save as is.
Seats run from the left end of the arcs to the right in a stable order: parties in registration order
(the ballot's order, since saylau knows no left-right placement), then independents, then open seats.
Each circle carries `class="seat"` and `data-party`, so a page or a test can count and style them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from io import BytesIO
from typing import Literal

from PIL import Image, ImageDraw, ImageFont

from saylau.result import Result

INDEPENDENT = "independent"
VACANT = "vacant"
INDEPENDENT_COLOUR = "#9e9e9e"
VACANT_COLOUR = "#ffffff"
_OUTLINE = "#555555"

_WIDTH = 400
_RADIUS = 180.0
_CENTRE_X = _WIDTH / 2
_CENTRE_Y = 200.0


@dataclass(frozen=True, slots=True)
class Block:
    """A run of seats of one holder: a party, the independents, or the open seats."""

    holder: str
    label: str
    seats: int
    colour: str


Tier = Literal["all", "list", "district"]
"""Which seats a chart shows: the whole council, the list tier or the district tier."""


def tier_seats(result: Result, tier: Tier = "all") -> int:
    """How many seats the chart of that tier has (open seats included)."""
    composition, system = result.composition, result.election.system
    if tier == "list":
        return system.list_tier.seats if system.list_tier else 0
    if tier == "district":
        return len(composition.districts)
    return composition.seats_total


def blocks(result: Result, tier: Tier = "all") -> list[Block]:
    """The holders in left-to-right order, with how many seats each has (empty holders left out)."""
    election, composition = result.election, result.composition
    out = []
    for line in composition.parties:
        party = election.party(line.party)
        seats = {"all": line.seats, "list": line.list_seats, "district": line.district_seats}[tier]
        out.append(Block(line.party, line.party, seats, party.colour if party else INDEPENDENT_COLOUR))
    independents = 0 if tier == "list" else composition.independents
    out.append(Block(INDEPENDENT, "Independents", independents, INDEPENDENT_COLOUR))
    filled = sum(b.seats for b in out)
    out.append(Block(VACANT, "Vacant", tier_seats(result, tier) - filled, VACANT_COLOUR))
    return [b for b in out if b.seats > 0]


def seat_positions(seats: int) -> list[tuple[float, float]]:
    """Centres of `seats` circles on concentric half-rings, ordered from the left end to the right end.

    Outer rows are longer, so each row takes seats in proportion to its radius; sorting all the centres
    by angle then makes each party a wedge from the inner row to the outer one, as parliament diagrams do.
    """
    if seats <= 0:
        return []
    rows = max(1, round(math.sqrt(seats / 3)))
    inner = _RADIUS * (0.4 if rows > 1 else 0.7)
    radii = [inner + (_RADIUS - inner) * i / max(1, rows - 1) for i in range(rows)]
    counts = [int(seats * r / sum(radii)) for r in radii]
    for i in range(seats - sum(counts)):
        counts[-1 - i % rows] += 1
    centres: list[tuple[float, float]] = []
    for radius, count in zip(radii, counts, strict=True):
        for j in range(count):
            angle = math.pi / 2 if count == 1 else math.pi * (1 - j / (count - 1))
            centres.append((angle, radius))
    centres.sort(key=lambda c: (-round(c[0], 9), c[1]))
    return [(_CENTRE_X + r * math.cos(a), _CENTRE_Y - r * math.sin(a)) for a, r in centres]


def _dot(total: int) -> float:
    """Circle radius: as large as fits both along the rows and between them."""
    rows = max(1, round(math.sqrt(max(total, 1) / 3)))
    return min(12.0, (_RADIUS * 0.6 / rows) * 0.4, math.pi * _RADIUS / max(total, 1) * 0.9)


def _seats(result: Result, tier: Tier) -> list[tuple[Block, float, float]]:
    """Every seat with its holder and centre, left to right."""
    positions = seat_positions(tier_seats(result, tier))
    holders = [b for b in blocks(result, tier) for _ in range(b.seats)]
    return [(b, x, y) for b, (x, y) in zip(holders, positions, strict=False)]


def _caption(result: Result, tier: Tier) -> str:
    composition = result.composition
    if tier == "all":
        return f"{composition.majority} seats for a majority of {composition.seats_total}"
    return f"{tier} tier: {tier_seats(result, tier)} seats"


def render_hemicycle(result: Result, tier: Tier = "all") -> str:
    """The hemicycle with its legend and caption (the majority, for the whole council) as an SVG fragment."""
    holders = blocks(result, tier)
    dot = _dot(tier_seats(result, tier))
    legend_top = _CENTRE_Y + 30
    height = legend_top + 20 * len(holders) + 10
    description = escape(_description(result, tier))
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="hemicycle" viewBox="0 0 {_WIDTH} {height:.0f}" '
        f'role="img" aria-label="{description}">',
        f"<title>{description}</title>",
    ]
    for block, x, y in _seats(result, tier):
        stroke = f' stroke="{_OUTLINE}" stroke-width="1"' if block.holder == VACANT else ""
        lines.append(
            f'<circle class="seat" data-party="{escape(block.holder)}" cx="{x:.1f}" cy="{y:.1f}" r="{dot:.1f}" '
            f'fill="{escape(block.colour)}"{stroke}><title>{escape(block.label)}</title></circle>'
        )
    if tier == "all":
        lines.append(
            f'<line class="majority" x1="{_CENTRE_X}" y1="{_CENTRE_Y - _RADIUS - 14:.1f}" x2="{_CENTRE_X}" '
            f'y2="{_CENTRE_Y + 4:.1f}" stroke="#000" stroke-dasharray="4 3" />'
        )
    lines.append(
        f'<text x="{_CENTRE_X}" y="{_CENTRE_Y + 18:.1f}" text-anchor="middle" font-size="13" '
        f'font-family="sans-serif">{escape(_caption(result, tier))}</text>'
    )
    for i, block in enumerate(holders):
        y = legend_top + 20 * i
        lines.append(
            f'<rect x="20" y="{y:.0f}" width="12" height="12" fill="{escape(block.colour)}" stroke="{_OUTLINE}" />'
            f'<text class="legend" data-party="{escape(block.holder)}" x="40" y="{y + 11:.0f}" font-size="13" '
            f'font-family="sans-serif">{escape(block.label)}: {block.seats}</text>'
        )
    lines.append("</svg>")
    return "\n".join(lines) + "\n"


def render_hemicycle_png(result: Result, tier: Tier = "all", scale: int = 2) -> bytes:
    """The same seats as a PNG (for slides and social media): circles, majority line and legend swatches.

    Drawn with Pillow from the same positions as the SVG, so both charts always agree; the legend uses
    Pillow's bundled font (Latin script); the SVG and the HTML page render any script.
    """
    holders = blocks(result, tier)
    dot = _dot(tier_seats(result, tier)) * scale
    height = int((_CENTRE_Y + 30 + 20 * len(holders) + 10) * scale)
    image = Image.new("RGB", (_WIDTH * scale, height), "white")
    draw = ImageDraw.Draw(image)
    for block, x, y in _seats(result, tier):
        box = (x * scale - dot, y * scale - dot, x * scale + dot, y * scale + dot)
        draw.ellipse(box, fill=block.colour, outline=_OUTLINE if block.holder == VACANT else None)
    if tier == "all":
        top, bottom = (_CENTRE_Y - _RADIUS - 14) * scale, (_CENTRE_Y + 4) * scale
        draw.line((_CENTRE_X * scale, top, _CENTRE_X * scale, bottom), fill="black", width=scale)
    font = ImageFont.load_default(size=13 * scale)
    for i, block in enumerate(holders):
        y = (_CENTRE_Y + 30 + 20 * i) * scale
        draw.rectangle((20 * scale, y, 32 * scale, y + 12 * scale), fill=block.colour, outline=_OUTLINE)
        draw.text((40 * scale, y - scale), f"{block.label}: {block.seats}", fill="black", font=font)
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _description(result: Result, tier: Tier = "all") -> str:
    parts = ", ".join(f"{b.label} {b.seats}" for b in blocks(result, tier))
    name = result.election.body.name + ("" if tier == "all" else f", {tier} tier")
    return f"{name}: {tier_seats(result, tier)} seats ({parts})"
