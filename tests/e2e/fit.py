"""What "fits" means for a page in Chromium (issue 24): no sideways scroll, no table wider than its box.

`overflows(page)` lists, for the page as it is laid out now, every table whose content is wider than the box
it sits in (its scrolling wrapper or its parent), and every table cell whose content is wider than the
cell (a figure or a word spilling out); `sideways(page)` is how far the page itself scrolls sideways.
"""

from __future__ import annotations

from typing import Any

_OVERFLOWS = """() => {
  const out = [];
  for (const table of document.querySelectorAll('table')) {
    const box = table.parentElement;
    const name = (table.className || 'table') + ' in ' + (box.className || box.tagName.toLowerCase());
    if (table.getBoundingClientRect().width > box.clientWidth + 1 || box.scrollWidth > box.clientWidth + 1) {
      out.push(name + ': ' + Math.round(table.getBoundingClientRect().width) + ' px in a box of ' + box.clientWidth);
    }
    for (const cell of table.querySelectorAll('th, td')) {
      const head = cell.closest('thead');
      if (head && head.getBoundingClientRect().height <= 1) { continue; }  // read by screen readers, not shown
      if (cell.getClientRects().length && cell.scrollWidth > cell.clientWidth + 1) {
        out.push(name + ': cell "' + cell.innerText.slice(0, 40) + '" needs ' + cell.scrollWidth + ' px of '
          + cell.clientWidth);
      }
    }
  }
  return out;
}"""


def overflows(page: Any) -> list[str]:
    """Every table wider than its box and every cell whose content spills out of it."""
    found: list[str] = page.evaluate(_OVERFLOWS)
    return found


def sideways(page: Any) -> int:
    """How many pixels the page scrolls sideways (0 when it fits its viewport)."""
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))
