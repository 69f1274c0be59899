"""What the hostile-input tests share: the CLI in-process, a deadline, folder surgery, and an exact oracle.

The oracle recounts a folder's accepted protocols with Python integers and decides the council with a
Hare / largest-remainder and plurality written here from the rules' text (spec/kazakhstan-2023.md), so a
wrong sum or a wrong allocation in saylau cannot hide behind the same code computing the expected answer.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from saylau.cli import _COMMANDS
from saylau.cli.app import app
from saylau.domain import Election
from saylau.io.protocols import read_protocols
from saylau.tabulation import check
from tests.conftest import EXAMPLES

for _module in _COMMANDS:
    importlib.import_module(_module)

LOCATED = re.compile(r"^(error|warning): (\S.*?)(:\d+)?( \[[^\]]+\])?: .+", re.DOTALL)
"""A problem line: `error: file:row [field]: message` (row and field where known)."""


@dataclass
class Outcome:
    """What one command did: exit status, output, and the exception that escaped it, if any."""

    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None

    @property
    def traceback(self) -> bool:
        """True when something other than a clean exit left the command."""
        return self.exception is not None and not isinstance(self.exception, SystemExit)


class Hang(Exception):
    """The command ran past its deadline."""


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise Hang inside the block after `seconds` (SIGALRM: Unix, main thread, as pytest and xdist run)."""

    def expire(signum: int, frame: Any) -> None:
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def saylau(*args: str | Path, seconds: float = 30) -> Outcome:
    """Run `saylau ARGS` in this process (typer's CliRunner), within a deadline."""
    runner = CliRunner()
    with deadline(seconds):
        result = runner.invoke(app, [str(a) for a in args])
    if isinstance(result.exception, Hang):
        raise result.exception
    return Outcome(result.exit_code, result.stdout, result.stderr, result.exception)


_DRIVER = """
import json, sys
from tests.hostile import saylau
for args in json.load(sys.stdin):
    o = saylau(*args, seconds=600)
    print(json.dumps([o.exit_code, o.stdout, o.stderr, repr(o.exception) if o.traceback else None]))
"""


def saylau_isolated(cases: list[list[str]], timeout: float) -> list[Outcome]:
    """Run several `saylau ARGS` in one child process killed after `timeout` seconds.

    Why a process: a CPU-bound hang inside one big-integer operation (10**999999999) holds the interpreter,
    so no in-process deadline can stop it; one child for all cases keeps the start-up cost (imports) once.
    """
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", _DRIVER],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=root,
        check=True,
    )
    return [
        Outcome(code, out, err, RuntimeError(exc) if exc else None)
        for code, out, err, exc in map(json.loads, done.stdout.splitlines())
    ]


def almaty_pair(base: Path) -> Path:
    """Copies of the Almaty 2023 folder and of its previous election (2021) under base/elections; the 2023 one."""
    for name in ("almaty-2023", "almaty-2021"):
        shutil.copytree(EXAMPLES / name, base / "elections" / name)
    return base / "elections" / "almaty-2023"


MARKUP = {
    "Auyl": "<script>alert('party')</script>",
    "QHP": '<img src=x onerror="alert(2)">',
    "Baytaq": "{{wikitext}} [[link]] '''bold'''",
    "Aq Jol": '=HYPERLINK("http://x","y")',
    "Respublica": '#import "x.typ": * *bold* $x$ #set text(red)',
    "Аким Турсунов": "<script>alert('winner')</script>",
    "District 1 candidate B": "+1",
    "District 1 candidate C": "-1",
    "Дастан Джантелиев": "@SUM(A1:A2)",
    "District 2 candidate C": "<b onmouseover=alert(4)>bold</b>",
    "Zhansaya Abdumalik": "#set page(fill: red) *list* <i>x</i>",
    "District No. 1": "<svg onload=alert(3)>",
    "District No. 2": "[[Link]] {{Template}} ~~~~",
}
"""Names that are markup in some output (HTML, wikitext, a spreadsheet formula, typst): parties, a district
winner and other candidates, a list candidate, district names. Every report and page must show them as text."""


def markup_folder(base: Path) -> Path:
    """The Almaty pair under `base`, with the names of `MARKUP` in the 2023 folder."""
    folder = almaty_pair(base)
    for old, new in MARKUP.items():
        rename(folder, old, new)
    return folder


def live_markup(page: str) -> list[str]:
    """Elements and attributes of an HTML page that a browser would run, load or render as markup and that
    only a name of `MARKUP` could have put there: an inline <script>, an <img>, <b>, <i> or <svg onload>,
    any `on...` attribute."""
    found: list[str] = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            inline_script = tag == "script" and not any(k == "src" for k, _ in attrs)
            handlers = [k for k, _ in attrs if k.startswith("on")]
            if inline_script or handlers or tag in ("img", "b", "i"):
                found.append(f"<{tag} {attrs}>")

    Parser().feed(page)
    return found


def shown_text(page: str) -> str:
    """What a browser shows of an HTML page: its text, entities decoded (attribute values left out)."""
    parts: list[str] = []

    class Text(HTMLParser):
        def handle_data(self, data: str) -> None:
            parts.append(data)

    Text(convert_charrefs=True).feed(page)
    return "".join(parts)


def refused_cleanly(outcome: Outcome) -> bool:
    """Exit 2, no traceback, and every `error:` line on stderr names where (file, row or field)."""
    lines = [line for line in outcome.stderr.splitlines() if line.startswith("error:")]
    return (
        outcome.exit_code == 2
        and not outcome.traceback
        and "Traceback" not in outcome.stderr + outcome.stdout
        and all(LOCATED.match(line) for line in lines)
    )


def rewrite_csv(path: Path, change: dict[str, str]) -> None:
    """Replace every cell (and header) equal to a key of `change`, keeping CSV quoting right."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    renamed = [[change.get(cell, cell) for cell in row] for row in rows]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(renamed)
    path.write_text(out.getvalue(), encoding="utf-8")


def rename(folder: Path, old: str, new: str) -> None:
    """Rename a party or candidate everywhere in a folder: tables, results, protocol headers, election.toml."""
    for path in folder.rglob("*.csv"):
        rewrite_csv(path, {old: new, f"vote:{old}": f"vote:{new}"})
    toml = folder / "election.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(f'"{old}"', _toml_string(new)), encoding="utf-8")


def _toml_string(text: str) -> str:
    return '"' + "".join(c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04x}" for c in text) + '"'


def append_rows(path: Path, rows: list[dict[str, object]]) -> None:
    """Append rows to a CSV file under its own header (missing columns left empty)."""
    header = next(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    with path.open("a", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, header, lineterminator="\n")
        writer.writerows(rows)


@dataclass
class Council:
    """Seats per party (list and district) and district winners, as the oracle or as saylau declares them."""

    list_votes: dict[str, int] = field(default_factory=dict)
    list_seats: dict[str, int] = field(default_factory=dict)
    winners: dict[int, str | None] = field(default_factory=dict)


def declared(summary: dict[str, Any]) -> Council:
    """The council in `saylau results --json`."""
    return Council(
        {p["name"]: p["list_votes"] for p in summary["parties"]},
        {p["name"]: p["list_seats"] for p in summary["parties"]},
        {d["number"]: d["winner"] for d in summary["districts"]},
    )


def oracle(folder: Path, election: Election) -> Council | None:
    """The council an exact recount of the accepted protocols gives; None for rules the oracle does not know.

    Which protocols are accepted is saylau's check catalogue (tested one rule at a time elsewhere); the sums,
    the quota, the remainders, the threshold and the plurality are computed here, with Python integers.
    """
    tier = election.system.list_tier
    district_tier = election.system.district_tier
    if district_tier is not None and district_tier.tie != "decide":
        return None
    if tier is None or (tier.method, tier.threshold_base, tier.tie, tier.threshold_votes) != (
        "hare",
        "valid",
        "registration-order",
        None,
    ):
        return None
    found = read_protocols([folder])
    rejected = {
        (f.station, f.ballot) for f in check(found.protocols, election, found.stations) if f.severity == "error"
    }
    first: dict[tuple[int, str], Any] = {}
    for p in found.protocols:
        if p.key not in rejected:
            first.setdefault(p.key, p)
    parties = [p.short_name for p in sorted(election.parties, key=lambda p: p.registration_order)]
    votes = dict.fromkeys(parties, 0)
    against_all = 0
    districts: dict[int, dict[str, int]] = {d.number: {} for d in election.districts}
    district_against: dict[int, int] = dict.fromkeys(districts, 0)
    for p in first.values():
        if p.ballot == "list":
            for name, n in p.votes.items():
                votes[name] += n
            against_all += p.against_all
        else:
            for name, n in p.votes.items():
                districts[p.district][name] = districts[p.district].get(name, 0) + n
            district_against[p.district] += p.against_all
    council = Council(votes, _hare(votes, against_all, tier.seats, tier.threshold_percent, tier.min_admitted))
    counted = {p.district for p in first.values() if p.ballot == "district"}
    for d in election.districts:
        if d.number in counted:
            council.winners[d.number] = _plurality(d, districts[d.number], district_against[d.number], election)
        else:
            council.winners[d.number] = None
    lengths = {p: len(election.lists[p].candidates) if p in election.lists else 0 for p in parties}
    if any(lengths[p] < s for p, s in council.list_seats.items()):
        return None  # a list shorter than its seats: the cap rule, not modelled here
    return council


def _hare(
    votes: dict[str, int], against_all: int, seats: int, percent: Fraction | None, min_admitted: int
) -> dict[str, int]:
    """Threshold on valid ballots (votes + against all), at least `min_admitted` lists, Hare quota and largest
    remainders over the admitted lists' votes, ties of remainders to the list registered first."""
    valid = sum(votes.values()) + against_all
    admitted = [p for p, v in votes.items() if percent is None or v * 100 >= percent * valid]
    for p in sorted(votes, key=lambda p: -votes[p]):  # stable: registration order among equal votes
        if len(admitted) >= min_admitted:
            break
        if p not in admitted and votes[p] > 0:
            admitted.append(p)
    admitted = [p for p in admitted if votes[p] > 0]
    total = sum(votes[p] for p in admitted)
    seats_of = dict.fromkeys(votes, 0)
    if total == 0:
        return seats_of
    quotients = {p: Fraction(votes[p] * seats, total) for p in admitted}
    for p in admitted:
        seats_of[p] = int(quotients[p])
    left = seats - sum(seats_of.values())
    order = sorted(admitted, key=lambda p: (-(quotients[p] - int(quotients[p])), list(votes).index(p)))
    for p in order[:left]:
        seats_of[p] += 1
    return seats_of


def _plurality(district: Any, votes: dict[str, int], against_all: int, election: Election) -> str | None:
    """The candidate with the most votes; none when "against all" leads or the leaders tie (preset rules)."""
    if not district.candidates:
        return None
    top = max(votes.get(c.name, 0) for c in district.candidates)
    leaders = [c.name for c in district.candidates if votes.get(c.name, 0) == top]
    tier = election.system.district_tier
    if tier is None or (against_all > top and tier.against_all == "repeat-election"):
        return None
    return leaders[0] if len(leaders) == 1 else None
