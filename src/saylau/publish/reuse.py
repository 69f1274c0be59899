"""Writing a version's NIST report (JSON and XML) again after a few stations changed, reusing the bytes of
every part of it that did not change.

A precinct-level report of 10,000 stations is some 50 MB in the two forms, most of it long lists of small
items (a station's reporting unit, a count of one option at one unit, a station's ballot count); a correction
changes a handful of them. `Written` keeps the last report this process wrote as a tree whose long lists are
cut into runs of CHUNK items, each run with its text in both forms. The next report is compared with it run
by run (a run of items equal to the last report's same run, compared as lists by Python itself, keeps its
text), and only the changed runs are written again. Equal items are written alike because the report's
writer makes each kind of item with the same keys in the same order and the same types. The bytes are those
of `json.dumps(report, ensure_ascii=False, separators=(",", ":"))` and of `render_nist_xml(report)` whatever
was kept (`tests/publish/test_reuse.py` holds them equal byte for byte).

Where the tree is cut: a list of CHUNK dictionaries or more is cut into runs unless an item holds such a list
itself (a contest's counts): then it is followed item by item, as is every dictionary or short list on the way
to one; everything else is written whole.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from saylau.reports.nist import StationCount, made
from saylau.reports.nist_columns import lazy_report
from saylau.reports.nist_xml import ElementWriter, render_nist_xml
from saylau.result import Result

CHUNK = 64
"""Items of a long list compared and written together (and the length from which a list is cut)."""
KEPT_UNITS = 200_000
"""Reporting units from which a report is not kept for the next (kept, 10,000 stations' report takes some
260 MB of memory: a million stations' would take some 26 GB)."""

_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _long(value: list[Any]) -> bool:
    return len(value) >= CHUNK and all(type(v) is dict for v in value)


def _composite(value: Any) -> bool:
    """Whether `value` is followed part by part: a long list of dictionaries, or a container holding one."""
    if type(value) is list:
        return _long(value) or any(type(v) in (list, dict) and _composite(v) for v in value)
    if type(value) is dict:
        return any(type(v) in (list, dict) and _composite(v) for v in value.values())
    return False


class _Run(Mapping[str, Any]):
    """CHUNK items of a long list with their text: JSON (the items, comma-separated) and XML (by the
    element's name, type and depth). A Mapping, so that the XML writer hands it to `_Reusing.element`."""

    __slots__ = ("json", "members", "xml")

    def __init__(self, members: list[Any]) -> None:
        self.members = members
        self.json: str | None = None
        self.xml: dict[tuple[str, str, int], str] = {}

    def text(self) -> str:
        if self.json is None:
            self.json = _JSON(self.members)[1:-1]
        return self.json

    def __getitem__(self, key: str) -> Any:
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


class _Runs(list[_Run]):
    """A long list as its runs."""


class _Parts(dict[str, Any]):
    """A dictionary followed part by part."""


class _Items(list[Any]):
    """A list followed item by item."""


class Made:
    """The NIST report of a count, as `election_report` makes it (the same dictionary), made by the column
    export (`saylau.reports.nist_columns`: each station's lines written from columns) and each line read back
    once: a line the last report had is the last report's own dictionary (an unchanged station's unit and
    counts are then the very objects `Written` compares first)."""

    def __init__(self) -> None:
        self.lines: dict[str, Any] = {}

    def report(
        self, result: Result, status: str | None, generated: datetime | None, count: StationCount | None
    ) -> dict[str, Any]:
        fresh: dict[str, Any] = {}
        known = self.lines

        def read(lines: list[str]) -> list[Any]:
            found: list[Any] = list(map(known.get, lines))
            if None in found:
                found = [json.loads(line) if f is None else f for line, f in zip(lines, found, strict=True)]
            fresh.update(zip(lines, found, strict=True))
            return found

        plain = made(lazy_report(result, status, generated, "saylau", count), read)
        keep = len(count.stations) < KEPT_UNITS if count is not None else True
        self.lines = fresh if keep else {}
        assert isinstance(plain, dict)
        return plain


class Written:
    """The last report written by this process (see the module): `write(report)` writes the next one."""

    def __init__(self) -> None:
        self.last: Any = None

    def write(self, report: Mapping[str, Any]) -> tuple[bytes, bytes]:
        """The report as compact JSON and as NIST XML (UTF-8), reusing the last report's unchanged runs."""
        view = _view(dict(report), self.last)
        pieces: list[str] = []
        _json(view, pieces)
        xml = render_nist_xml(view, _Reusing)
        self.last = view if len(report.get("GpUnit", ())) < KEPT_UNITS else None
        return "".join(pieces).encode(), xml


def _view(new: Any, old: Any) -> Any:
    """`new` (a composite) as parts: long lists as runs (an unchanged run: the last report's own)."""
    if type(new) is dict:
        olds = old if type(old) is _Parts else {}
        return _Parts({k: _part(v, olds.get(k)) for k, v in new.items()})
    if len(new) >= CHUNK and type(old) is not _Items:
        runs = _runs(new, old if type(old) is _Runs else None)
        if runs is not None:
            return runs
    items = old if type(old) is _Items else []
    return _Items(_part(v, items[i] if i < len(items) else None) for i, v in enumerate(new))


def _part(value: Any, old: Any) -> Any:
    if type(old) in (_Parts, _Runs, _Items) or (type(value) in (list, dict) and _composite(value)):
        return _view(value, old) if type(value) in (list, dict) else value
    return value


def _runs(new: list[Any], old: _Runs | None) -> _Runs | None:
    """The list as runs, each unchanged one the old one; None when an item is not a dictionary or holds a long
    list itself."""
    out = _Runs()
    for k, start in enumerate(range(0, len(new), CHUNK)):
        members = new[start : start + CHUNK]
        kept = old[k] if old is not None and k < len(old) else None
        if kept is not None and kept.members == members:
            out.append(kept)
            continue
        if any(type(v) is not dict or _composite(v) for v in members):
            return None
        out.append(_Run(members))
    return out


def _json(view: Any, out: list[str]) -> None:
    kind = type(view)
    if kind is _Parts:
        comma = "{"
        for k, v in view.items():
            out.append(f"{comma}{_JSON(k)}:")
            _json(v, out)
            comma = ","
        out.append("}" if comma == "," else "{}")
    elif kind is _Runs:
        out.append("[" + ",".join(run.text() for run in view) + "]")
    elif kind is _Items:
        comma = "["
        for v in view:
            out.append(comma)
            _json(v, out)
            comma = ","
        out.append("]" if comma == "," else "[]")
    else:
        out.append(_JSON(view))


class _Reusing(ElementWriter):
    """The XML writer, writing a run's items once and taking an unchanged run's elements from its text."""

    def element(self, name: str, declared: str, value: Mapping[str, Any], depth: int, extra: str = "") -> None:
        if type(value) is not _Run:
            super().element(name, declared, value, depth, extra)
            return
        key = (name, declared, depth)
        text = value.xml.get(key)
        if text is None:
            start = len(self.out)
            for item in value.members:
                super().element(name, declared, item, depth, extra)
            text = value.xml[key] = "".join(self.out[start:])
            del self.out[start:]
        self.out.append(text)
