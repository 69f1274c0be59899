"""Keystrokes and seconds per protocol for a keyboard-only clerk (issue 23), against the floor.

What it does: starts `saylau serve examples/almaty-2023` as its own process on a free port of 127.0.0.1
(SQLite in a temporary folder), adds an operator, and drives Debian's Chromium (Playwright,
`/usr/bin/chromium`) as a clerk with the paper in front of them and only the keyboard: for each of the first
`--stations` stations of the example (the list and the district protocol of each, read from
`examples/almaty-2023/protocols/*.csv` with the csv module), type the station number into the staff page's
box and Enter; Enter on the first protocol to enter; each line's figure and Enter; Enter on "finalise";
Enter on the next protocol; and so on. Every key goes through `page.keyboard` and is counted, with a fixed
delay between keys (`--delay`, ms: a clerk's steady pace), so the seconds are the typing plus the service's
own time (page loads, saving the draft, finalising).

It prints, per ballot, the keystrokes per protocol beside the floor the issue sets (the digits to type + one
key per line + one key to finish), the opening keys (the station number + Enter, shared by the station's
protocols, and the Enter that opens each form), and the seconds per protocol from opening the station to
the saved entry. The peer is Abacus's documented flow (kiesraad/abacus-documentatie, "Stembureau invoeren"):
the station number, then the paper's sections as pages, Enter from field to field, Shift+Enter from page to
page (recount question, voters and votes, differences, one page per list) and a check-and-save page; it is
quoted in docs/data-entry.md, not run here (Abacus is not installed on this machine).

    .venv/bin/python benchmarks/clerk_keystrokes.py [--stations 10] [--delay 30]
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

import _operators  # benchmarks/_operators.py, beside this file: the server and its staff
from saylau.store.temporary import free_port

ROOT = Path(__file__).resolve().parent.parent
ALMATY = ROOT / "examples" / "almaty-2023"
CHROMIUM = "/usr/bin/chromium"
LINES = ("registered", "received", "issued", "issued_absentee", "issued_outside", "cancelled", "found")
LINES += ("invalid", "against_all")


@dataclass
class Counted:
    """The keys one ballot's protocols took, and the time."""

    protocols: int = 0
    keys: int = 0
    floor: int = 0
    opening: float = 0.0
    seconds: float = 0.0
    digits: list[int] = field(default_factory=list)


class Keyboard:
    """The page's keyboard, counting every key it sends, at a fixed pace."""

    def __init__(self, page: Any, delay_ms: int) -> None:
        self.page, self.delay, self.count = page, delay_ms, 0

    def type(self, text: str) -> None:
        self.page.keyboard.type(text, delay=self.delay)
        self.count += len(text)

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.page.wait_for_timeout(self.delay)
        self.count += 1


def _paper(stations: int) -> list[tuple[int, dict[str, dict[str, str]]]]:
    """The first `stations` stations of the example: station -> ballot -> the paper's figures (as text)."""
    found: dict[int, dict[str, dict[str, str]]] = {}
    for path in sorted((ALMATY / "protocols").glob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                found.setdefault(int(row["station"]), {})[row["ballot"]] = row
    return sorted(found.items())[:stations]


def _operator(url: str) -> str:
    """The clerk, an operator made by the administrator: the password the browser types."""
    _operators.staff(url, [("clerk", "operator")])
    return _operators.password("clerk")


def _clerk(url: str, password: str, stations: int, delay: int) -> dict[str, Counted]:
    counted = {"list": Counted(), "district": Counted()}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--headless=new"])
        page = browser.new_page()
        page.goto(f"{url}/login?lang=kk")
        page.fill("input[name=name]", "clerk")
        page.fill("input[name=password]", password)
        page.keyboard.press("Enter")
        page.wait_for_url(f"{url}/staff*")
        keys = Keyboard(page, delay)
        for station, ballots in _paper(stations):
            start = time.perf_counter()
            keys.count = 0
            keys.type(str(station))  # the number on the paper, into the focused station box
            keys.press("Enter")
            page.wait_for_url(f"{url}/staff/station/{station}*")
            opening, shared = time.perf_counter() - start, keys.count
            for ballot in ("list", "district"):
                row = ballots[ballot]
                began, keys.count = time.perf_counter(), 0
                page.wait_for_function("document.activeElement && document.activeElement.matches('a.enter')")
                href = page.evaluate("document.activeElement.getAttribute('href') || ''")
                assert href.startswith(f"/enter/{station}/{ballot}"), f"the focus is not on {ballot}: {href!r}"
                keys.press("Enter")
                page.wait_for_url(f"{url}/enter/{station}/{ballot}*")
                opened = keys.count
                options = page.eval_on_selector_all("input.vote", "xs => xs.map(x => x.name)")
                figures = [row[line] for line in LINES] + [row[o] for o in options]
                for figure in figures:
                    keys.type(figure)
                    keys.press("Enter")
                keys.press("Enter")  # on "finalise"
                page.wait_for_url(f"{url}/staff/station/{station}?done=*")
                c = counted[ballot]
                c.protocols += 1
                c.keys += keys.count - opened
                c.floor += sum(len(f) for f in figures) + len(figures) + 1
                c.opening += opened + shared / 2
                c.seconds += time.perf_counter() - began + opening / 2
            keys.count = 0
            page.wait_for_function("document.activeElement && document.activeElement.id === 'go-station'")
        browser.close()
    return counted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stations", type=int, default=10, help="stations of the example to type (two ballots each)")
    parser.add_argument("--delay", type=int, default=30, help="milliseconds between keys")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        server = _operators.serve(ALMATY, port, data=Path(tmp))
        try:
            url = f"http://127.0.0.1:{port}"
            counted = _clerk(url, _operator(url), args.stations, args.delay)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"clerk_keystrokes: {args.stations} stations of examples/almaty-2023, one key every {args.delay} ms")
    print(f"{'ballot':<9}{'keys/protocol':>14}{'floor':>8}{'ratio':>7}{'+opening':>10}{'s/protocol':>12}")
    for ballot, c in counted.items():
        n = c.protocols
        print(
            f"{ballot:<9}{c.keys / n:>14.1f}{c.floor / n:>8.1f}{c.keys / c.floor:>7.3f}"
            f"{c.opening / n:>10.1f}{c.seconds / n:>12.2f}"
        )
    print("floor = the digits on the paper + one key per line + one key to finish (issue 23);")
    print("+opening = the station number and Enter (shared by its two protocols) + the Enter that opens the form;")
    print("s/protocol = from the station number typed to the entry saved, typing included.")


if __name__ == "__main__":
    main()
