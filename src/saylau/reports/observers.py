"""The observers' check in every format: text, Markdown, wikitext, CSV, JSON, HTML and PDF.

One `Sheet` (saylau.reports.sheet) is built from the comparison; every format but JSON renders it. The label
says what a difference is: two documents that disagree, not a finding about which is right.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from saylau.analysis.forensics.observers import VOTE, ObserverCheck
from saylau.reports.i18n import N_, Words, words
from saylau.reports.sheet import Sheet, Table
from saylau.tabulation import BallotKind

LINE_LABELS = {
    "registered": N_("Registered voters"),
    "received": N_("Ballots received"),
    "issued": N_("Ballots issued"),
    "issued_absentee": N_("of which: absentee certificates"),
    "issued_outside": N_("of which: outside the polling station"),
    "cancelled": N_("Cancelled ballots"),
    "found": N_("Ballots found in the boxes (took part)"),
    "invalid": N_("Invalid ballots"),
    "against_all": N_("Against all"),
}
BALLOTS = {"list": N_("list ballot"), "district": N_("district ballot")}


def line_label(line: str, w: Words) -> str:
    """A protocol line as the form names it; a `vote:` line as the option's name (data, shown as given)."""
    if line.startswith(VOTE):
        return line[len(VOTE) :]
    return w(LINE_LABELS[line])


def ranges(numbers: Iterable[int]) -> str:
    """Station numbers as runs: 1000–1039, 1041, 1050–1052 (a list a reader can take in at a glance)."""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


def _grouped(keys: Iterable[tuple[int, BallotKind]], w: Words) -> tuple[tuple[str, ...], ...]:
    by_ballot: dict[str, list[int]] = {}
    for station, ballot in keys:
        by_ballot.setdefault(ballot, []).append(station)
    return tuple(
        (w(BALLOTS[b]), ranges(by_ballot[b]), w.fmt.integer(len(by_ballot[b])))
        for b in ("list", "district")
        if b in by_ballot
    )


def _difference(value: int, w: Words) -> str:
    """A line's difference with its sign (+5, -4), or "no difference" in words where the two agree (not "+0")."""
    return w.fmt.signed(value) if value else w("no difference")


def observers_sheet(check: ObserverCheck, lang: str = "en") -> Sheet:
    """The comparison as a document of tables in `lang`."""
    w = words(lang)
    n = w.fmt.integer
    differences = Table(
        "differences",
        w("Where the copy differs from the accepted protocol"),
        (
            w("Polling station"),
            w("District"),
            w("Ballot"),
            w("Line"),
            w("Accepted protocol"),
            w("Observer's copy"),
            w("Difference"),
            w("Observer"),
            w("Photo (SHA-256)"),
        ),
        tuple(
            (
                str(d.station),
                str(d.district),
                w(BALLOTS[d.ballot]),
                line_label(line.line, w),
                n(line.official),
                n(line.observed),
                _difference(line.difference, w),
                d.copy.observer or "—",
                (d.copy.sha256 or "")[:16] or "—",
            )
            for d in check.differences
            for line in d.lines
        ),
        (True, True, False, False, True, True, True, False, False),
        note=w("Largest difference first. A difference is between two documents; it does not say which is right."),
        empty=w("Every copy agrees with the accepted protocol on every line."),
    )
    missing = Table(
        "without-copy",
        w("Accepted protocols with no observer's copy"),
        (w("Ballot"), w("Polling stations"), w("Protocols")),
        _grouped(check.without_copy, w),
        (False, False, True),
        empty=w("Every accepted protocol has an observer's copy."),
    )
    orphans = Table(
        "without-protocol",
        w("Observers' copies with no accepted protocol"),
        (w("Ballot"), w("Polling stations"), w("Protocols")),
        _grouped(check.without_protocol, w),
        (False, False, True),
        empty=w("Every copy has an accepted protocol to compare with."),
    )
    rows = []
    for t in check.totals:
        area = w(BALLOTS["list"]) if t.district is None else w("District No. {number}", number=t.district)
        for line in t.lines:
            rows.append(
                (area, line_label(line.line, w), n(line.official), n(line.observed), _difference(line.difference, w))
            )
        rows.append((area, w("Leader"), t.official_leader or "—", t.observed_leader or "—", ""))
    totals = Table(
        "totals",
        w("Totals if the observers' figures were used where there is a copy"),
        (w("Ballot"), w("Line"), w("Accepted protocols"), w("With observers' figures"), w("Difference")),
        tuple(rows),
        (False, False, True, True, True),
    )
    summary = w(
        "Copies compared: {copies}; agreeing: {matching}; differing: {differing}; accepted protocols with no copy: "
        "{missing}; copies with no accepted protocol: {orphans}.",
        copies=n(check.copies),
        matching=n(check.matching),
        differing=n(len(check.differences)),
        missing=n(len(check.without_copy)),
        orphans=n(len(check.without_protocol)),
    )
    changed = [t for t in check.totals if t.leader_changes]
    notes = [summary]
    if changed:
        notes.append(
            w(
                "With the observers' figures the leader changes in: {areas}.",
                areas=", ".join(
                    w(BALLOTS["list"]) if t.district is None else w("District No. {number}", number=t.district)
                    for t in changed
                ),
            )
        )
    return Sheet(
        w.lang,
        w("Observers' copies against the accepted protocols"),
        w("A comparison of documents, not a finding: an observer's copy can be wrong too."),
        tuple(notes),
        (differences, missing, orphans, totals),
    )


def observers_json(check: ObserverCheck) -> dict[str, Any]:
    """The comparison as JSON (docs/forensics.md, "Observers' copies"); counts are exact integers."""
    return {
        "kind": "observers",
        "copies": check.copies,
        "matching": check.matching,
        "differences": [
            {
                "station": d.station,
                "district": d.district,
                "ballot": d.ballot,
                "observer": d.copy.observer,
                "photo": d.copy.photo,
                "photo_sha256": d.copy.sha256,
                "lines": [
                    {"line": x.line, "official": x.official, "observed": x.observed, "difference": x.difference}
                    for x in d.lines
                ],
            }
            for d in check.differences
        ],
        "without_copy": [{"station": s, "ballot": b} for s, b in check.without_copy],
        "without_protocol": [{"station": s, "ballot": b} for s, b in check.without_protocol],
        "totals": [
            {
                "ballot": t.ballot,
                "district": t.district,
                "official_leader": t.official_leader,
                "observed_leader": t.observed_leader,
                "lines": [
                    {"line": x.line, "official": x.official, "observed": x.observed, "difference": x.difference}
                    for x in t.lines
                ],
            }
            for t in check.totals
        ],
    }
