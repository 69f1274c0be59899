"""A correction in words, in the reader's language: what changed, from what, to what, and why.

The records are `saylau.publish.corrections`'s (`station/N.json`'s `corrections`); the reason is shown as the
coordinator typed it, in whatever language they typed it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from saylau.reports.i18n import N_, Words

LINE_WORDS = {
    "registered": N_("registered voters"),
    "received": N_("ballots received"),
    "issued": N_("ballots issued"),
    "issued_absentee": N_("ballots issued with absentee certificates"),
    "issued_outside": N_("ballots issued outside the polling room"),
    "cancelled": N_("ballots cancelled"),
    "found": N_("ballots found in the boxes"),
    "invalid": N_("invalid ballots"),
    "against_all": N_("votes against all"),
}
BALLOT_WORDS = {"list": N_("list ballot"), "district": N_("district ballot")}


def describe(change: Mapping[str, Any], w: Words) -> str:
    """One change in words, with its reason: what changed, from what, to what and why."""
    kind = change["kind"]
    if kind == "uncertified":
        text = w("The certification of the result was withdrawn.")
    else:
        station = str(change["station"])
        ballot = w(BALLOT_WORDS.get(change["ballot"], change["ballot"]))
        if kind == "withdrawn":
            text = w(
                "Polling station {station}, {ballot}: the protocol was withdrawn for correction.",
                station=station,
                ballot=ballot,
            )
        elif change.get("line") is None:
            text = w(
                "Polling station {station}, {ballot}: the protocol was accepted again unchanged.",
                station=station,
                ballot=ballot,
            )
        else:
            line = str(change["line"])
            what = (
                w("votes for {option}", option=line[5:]) if line.startswith("vote:") else w(LINE_WORDS.get(line, line))
            )
            text = w(
                "Polling station {station}, {ballot}: {line} changed from {before} to {after}.",
                station=station,
                ballot=ballot,
                line=what,
                before=_figure(change.get("before"), w),
                after=_figure(change.get("after"), w),
            )
    reason = str(change.get("reason") or "").strip()
    return f"{text} {w('Reason: {reason}', reason=reason)}" if reason else text


def _figure(value: object, w: Words) -> str:
    return "—" if value is None else w.fmt.integer(int(str(value)))
