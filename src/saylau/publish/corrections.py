"""Corrections in the open: a published figure that changes is named, with what it was, what it is, and why.

A station's open data keeps its history (`corrections` in `station/N.json`): each change to a figure a
previous version published, in the version that made it. Two kinds come from protocols:

- `withdrawn`: an accepted protocol was reopened (its figures leave the count until it is accepted again);
  the record keeps the figures it withdrew;
- `changed`: one line of a protocol (a figure, or an option's votes) differs from what was last published,
  whether the protocol was corrected in place or withdrawn and accepted again.

and one from the result: `uncertified` (a certification withdrawn). Each carries the reason the coordinator
typed (the service's audit log: the reopening's or the uncertification's reason; offline, `--reason`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from saylau.tabulation import FIGURES

WITHDRAWN = "withdrawn"
CHANGED = "changed"
UNCERTIFIED = "uncertified"


def _lines(protocol: Mapping[str, Any]) -> dict[str, int]:
    lines = {name: int(protocol[name]) for name in FIGURES}
    lines.update({f"vote:{option}": int(n) for option, n in protocol["votes"].items()})
    return lines


def station_changes(
    version: int,
    previous: Mapping[str, Any] | None,
    protocols: Sequence[Mapping[str, Any]],
    reasons: Mapping[tuple[int, str], str],
    default_reason: str = "",
) -> list[dict[str, Any]]:
    """What this version changes in a station's published figures (`previous`: its last published data)."""
    if previous is None:
        return []
    station = int(previous["station"])
    before = {p["ballot"]: p for p in previous["protocols"]}
    after = {p["ballot"]: p for p in protocols}
    withdrawn: dict[str, Mapping[str, Any]] = {}
    for record in previous.get("corrections", []):
        if record["kind"] == WITHDRAWN:
            withdrawn[record["ballot"]] = record
        elif record["kind"] == CHANGED:
            withdrawn.pop(record["ballot"], None)
    changes: list[dict[str, Any]] = []
    for ballot in sorted(set(before) | set(after)):
        reason = reasons.get((station, ballot))
        old, new = before.get(ballot), after.get(ballot)
        if old is not None and new is None:
            changes.append(
                {
                    "version": version,
                    "station": station,
                    "ballot": ballot,
                    "kind": WITHDRAWN,
                    "before": _lines(old),
                    "reason": reason or default_reason,
                }
            )
            continue
        if new is None:
            continue
        if old is None:
            if ballot not in withdrawn:
                continue  # counted for the first time: news, not a correction
            last = withdrawn[ballot]
            was, reason = dict(last["before"]), reason or last.get("reason") or default_reason
        else:
            was, reason = _lines(old), reason or default_reason
        now = _lines(new)
        for line in [*was, *(k for k in now if k not in was)]:
            if was.get(line) != now.get(line):
                changes.append(
                    {
                        "version": version,
                        "station": station,
                        "ballot": ballot,
                        "kind": CHANGED,
                        "line": line,
                        "before": was.get(line),
                        "after": now.get(line),
                        "reason": reason,
                    }
                )
        if old is None and not any(c["ballot"] == ballot for c in changes):
            changes.append(
                {
                    "version": version,
                    "station": station,
                    "ballot": ballot,
                    "kind": CHANGED,
                    "line": None,
                    "before": None,
                    "after": None,
                    "reason": reason,
                }
            )  # accepted again with the figures it had: the withdrawal is over
    return changes
