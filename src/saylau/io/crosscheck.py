"""Published totals against the count of the protocols, where a folder carries both (issue 21).

A folder may hold what the commission published (`results/list.csv`, `results/districts.csv`,
`results/ballots.csv`) beside the polling-station protocols that `saylau results` counts instead. When the
count of a ballot is complete, every published figure it also counts is compared with it, and each
difference is one problem naming both files: the published file with its row and column, and the protocol
files the counted figure comes from. Swapping two candidates' `vote:` headers in one district's protocols
keeps every control relation and changes the winner; the district's published votes then disagree.

The commands print the differences as warnings (`--strict`: errors); a partial count is not compared (its
totals are bound to differ until the last protocol is in).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from saylau.domain import CountStatus, Results, Tally
from saylau.errors import Count, Phrase, Problem
from saylau.io.protocols import read_protocols
from saylau.io.table import Problems, read_table

CODE = "published-differs"
SHOWN_FILES = 3
DIFFERS = "{name}: {published} published here, {counted} counted from {files}"
AND_MORE = ("{files} and {n} more", "{files} and {n} more")
"""The difference's sentence and its list of protocol files (msgids of the catalogues)."""


def published_differences(root: Path, published: Results, counted: Results) -> list[Problem]:
    """Every published figure of `root` that the complete count of its protocols does not give."""
    complete = {b for b, p in counted.progress.items() if p.status is CountStatus.COMPLETE}
    rows = _published_rows(root)
    pending: list[tuple[str, int | None, str, str, int, int, tuple[str, int | None]]] = []
    if "list" in complete and published.list_tally is not None and counted.list_tally is not None:
        pending += _compare(published.list_tally, counted.list_tally, rows, "list", None)
    if "district" in complete:
        for number, tally in sorted(published.district_tallies.items()):
            if number in counted.district_tallies:
                pending += _compare(tally, counted.district_tallies[number], rows, "district", number)
    if not pending:
        return []
    sources = _sources(root)
    problems = []
    for path, row, field, name, was, now, ballot in sorted(pending, key=lambda p: (p[0], p[1] or 0, p[2])):
        files = sorted(sources.get(ballot, ()))
        shown: str = ", ".join(files[:SHOWN_FILES]) or "protocols/"
        if len(files) > SHOWN_FILES:
            shown = Phrase(*AND_MORE, files=shown, n=Count(len(files) - SHOWN_FILES))
        message = Phrase(DIFFERS, name=name, published=Count(was), counted=Count(now), files=shown)
        problems.append(Problem(message, path, row, field, CODE))
    return problems


_Rows = dict[tuple[str, ...], tuple[str, int]]


def _compare(
    published: Tally, counted: Tally, rows: _Rows, ballot: str, district: int | None
) -> list[tuple[str, int | None, str, str, int, int, tuple[str, int | None]]]:
    """The differing figures of one ballot: (file, row, column, what, published, counted, (ballot, district))."""
    key = (ballot, district)
    out = []
    where = "" if district is None else str(district)
    for option in sorted(published.votes):
        was, now = published.votes[option], counted.votes.get(option, 0)
        if was != now:
            path, row = rows.get(
                (ballot, where, option), ("results/list.csv" if district is None else "results/districts.csv", 0)
            )
            label = (
                option if district is None else Phrase("district {number}, {option}", number=district, option=option)
            )
            out.append((path, row or None, "votes", label, was, now, key))
    if (ballot, where) in rows:  # the ballot's line in results/ballots.csv: its other figures are published
        path, row = rows[ballot, where]
        for line, was, now in (
            ("against_all", published.against_all, counted.against_all),
            ("invalid", published.invalid, counted.invalid),
        ):
            if was != now:
                label = Phrase("list ballot") if district is None else Phrase("district {number}", number=district)
                out.append((path, row, line, label, was, now, key))
    return out


def _published_rows(root: Path) -> _Rows:
    """Where each published figure is: (ballot, district, option) or (ballot, district) -> (file, row)."""
    found: _Rows = {}
    ignored = Problems()  # the loader has reported every problem of these files already

    def note(name: str, columns: tuple[str, ...], key: Callable[[dict[str, str]], tuple[str, ...]]) -> None:
        for row in read_table(root, name, columns, ignored, required=False):
            found.setdefault(key({k: v.strip() for k, v in row.values.items()}), (name, row.number))

    note("results/list.csv", ("party", "votes"), lambda r: ("list", "", r["party"]))
    note(
        "results/districts.csv",
        ("district", "candidate", "votes"),
        lambda r: ("district", _number(r["district"]), r["candidate"]),
    )
    note(
        "results/ballots.csv",
        ("ballot", "district"),
        lambda r: (r["ballot"].lower(), _number(r["district"]) if r["ballot"].lower() != "list" else ""),
    )
    return found


def _number(text: str) -> str:
    """A district number as the count names it ("03" is 3)."""
    return str(int(text)) if text.isascii() and text.isdigit() and len(text) < 12 else text


def _sources(root: Path) -> dict[tuple[str, int | None], set[str]]:
    """The protocol files that hold each ballot's protocols: ("list", None), ("district", number)."""
    found: dict[tuple[str, int | None], set[str]] = {}
    for p in read_protocols([root]).protocols:
        if p.source is not None:
            found.setdefault((p.ballot, None if p.ballot == "list" else p.district), set()).add(p.source)
    return found
