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


def blocks(result: Result) -> list[Block]:
    """The holders in left-to-right order, with how many seats each has (empty holders left out)."""
    election, composition = result.election, result.composition
    out = []
    for line in composition.parties:
        party = election.party(line.party)
        out.append(Block(line.party, line.party, line.seats, party.colour if party else INDEPENDENT_COLOUR))
    out.append(Block(INDEPENDENT, "Independents", composition.independents, INDEPENDENT_COLOUR))
    out.append(Block(VACANT, "Vacant", composition.seats_total - composition.seats_filled, VACANT_COLOUR))
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


def render_hemicycle(result: Result) -> str:
    """The hemicycle with its legend and majority line, as a standalone SVG document fragment."""
    composition = result.composition
    holders = blocks(result)
    positions = seat_positions(composition.seats_total)
    rows = max(1, round(math.sqrt(max(composition.seats_total, 1) / 3)))
    dot = min(12.0, (_RADIUS * 0.6 / max(rows, 1)) * 0.4, math.pi * _RADIUS / max(len(positions), 1) * 0.9)
    legend_top = _CENTRE_Y + 30
    height = legend_top + 20 * len(holders) + 10
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="hemicycle" viewBox="0 0 {_WIDTH} {height:.0f}" '
        f'role="img" aria-label="{escape(_description(result))}">',
        f"<title>{escape(_description(result))}</title>",
    ]
    seat = 0
    for block in holders:
        stroke = f' stroke="{_OUTLINE}" stroke-width="1"' if block.holder == VACANT else ""
        for _ in range(block.seats):
            if seat >= len(positions):
                break
            x, y = positions[seat]
            lines.append(
                f'<circle class="seat" data-party="{escape(block.holder)}" cx="{x:.1f}" cy="{y:.1f}" r="{dot:.1f}" '
                f'fill="{escape(block.colour)}"{stroke}><title>{escape(block.label)}</title></circle>'
            )
            seat += 1
    lines.append(
        f'<line class="majority" x1="{_CENTRE_X}" y1="{_CENTRE_Y - _RADIUS - 14:.1f}" x2="{_CENTRE_X}" '
        f'y2="{_CENTRE_Y + 4:.1f}" stroke="#000" stroke-dasharray="4 3" />'
    )
    lines.append(
        f'<text x="{_CENTRE_X}" y="{_CENTRE_Y + 18:.1f}" text-anchor="middle" font-size="13" '
        f'font-family="sans-serif">{composition.majority} seats for a majority of {composition.seats_total}</text>'
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


def _description(result: Result) -> str:
    parts = ", ".join(f"{b.label} {b.seats}" for b in blocks(result))
    return f"{result.election.body.name}: {result.composition.seats_total} seats ({parts})"
