"""A canonical text of everything an `Allocation` says, and the inputs of a call as JSON (regression cases).

Why: the scalar allocation was rewritten on integers (issue 14); its seats, its trace and its explanation
must stay byte for byte what they were. `snapshot` walks every public field of the trace by name (with the
type of each value, so a `Fraction` stays a `Fraction`) and appends the explanation and the JSON dict.
"""

from __future__ import annotations

import hashlib
import json
from fractions import Fraction
from typing import Any

from saylau.apportionment import Ballots, Contestant, Method, Threshold, ThresholdBase, TieRule, allocate
from saylau.apportionment.explain import to_dict
from saylau.reports.allocation import explain_allocation


def _v(value: Any) -> str:
    """A value with its type, so an int where a Fraction was (or the reverse) shows."""
    if isinstance(value, tuple):
        return "(" + ", ".join(_v(x) for x in value) + ")"
    return f"{type(value).__name__}:{value!r}"


def snapshot(a: Any) -> str:
    """Every field of the allocation and its trace, then the explanation and the JSON dict."""
    out = [
        "seats " + _v(tuple(a.seats.items())),
        f"total {_v(a.seats_total)} decided {_v(a.seats_decided)} method {_v(a.method)} quota {_v(a.quota)}",
        f"seed {_v(a.seed)} tie_rule {_v(a.tie_rule)} undecided {_v(a.undecided)}",
    ]
    t = a.threshold
    out.append(f"threshold {_v(t.threshold)} base {_v(t.base_votes)} required {_v(t.required_votes)}")
    out.append(f"min_admitted {_v(t.min_admitted)} admitted {_v(t.admitted)}")
    for line in t.lines:
        out.append(
            "tline "
            + " ".join(
                _v(getattr(line, k))
                for k in ("name", "votes", "share", "passed", "margin_pp", "admitted_by_minimum", "admitted")
            )
        )
    for line in a.lines:
        keys = (
            ("name", "votes", "quotas", "integer_seats", "remainder", "seats")
            if hasattr(line, "quotas")
            else ("name", "votes", "seats", "averages")
        )
        out.append(type(line).__name__ + " " + " ".join(_v(getattr(line, k)) for k in keys))
    for label, awards in (("order", a.order), ("withdrawn", a.withdrawn)):
        for award in awards:
            out.append(f"{label} {_v(award.seat)} {_v(award.name)} {_v(award.value)}")
    for tie in a.ties:
        out.append(
            "tie "
            + " ".join(_v(getattr(tie, k)) for k in ("names", "seats", "rule", "winners", "value", "stage", "seed"))
        )
    for cap in a.capped:
        out.append(f"cap {_v(cap.name)} {_v(cap.cap)} {_v(cap.entitled)}")
    out.append("\n".join(explain_allocation(a)))
    out.append(json.dumps(to_dict(a), ensure_ascii=False, sort_keys=True))
    return "\n".join(out)


def outcome(call: dict[str, Any]) -> str:
    """The snapshot of `allocate(**call)`, or the error it raises (type and message)."""
    try:
        return snapshot(allocate(**arguments(call)))
    except Exception as error:  # the error is part of the behaviour being compared
        return f"raises {type(error).__name__}: {error}"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def encode(contestants: Any, seats: Any, method: Any = Method.HARE, **kw: Any) -> dict[str, Any] | None:
    """A call's inputs as JSON, or None when they cannot be replayed (an unseeded drawing of lots)."""
    if TieRule(kw.get("tie", TieRule.REGISTRATION_ORDER)) is TieRule.LOT and kw.get("seed") is None:
        return None
    threshold: Threshold | None = kw.get("threshold")
    ballots: Ballots = kw.get("ballots", Ballots())
    return {
        "contestants": [[c.name, c.votes, c.max_seats] for c in contestants],
        "seats": seats,
        "method": str(Method(method)),
        "threshold": None
        if threshold is None
        else [None if threshold.percent is None else str(threshold.percent), threshold.votes, str(threshold.base)],
        "min_admitted": kw.get("min_admitted", 0),
        "ballots": [ballots.against_all, ballots.invalid],
        "tie": str(TieRule(kw.get("tie", TieRule.REGISTRATION_ORDER))),
        "seed": kw.get("seed"),
    }


def arguments(call: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of `allocate` back from `encode`'s JSON."""
    t = call["threshold"]
    return {
        "contestants": [Contestant(n, v, m) for n, v, m in call["contestants"]],
        "seats": call["seats"],
        "method": Method(call["method"]),
        "threshold": None
        if t is None
        else Threshold(None if t[0] is None else Fraction(t[0]), t[1], ThresholdBase(t[2])),
        "min_admitted": call["min_admitted"],
        "ballots": Ballots(*call["ballots"]),
        "tie": TieRule(call["tie"]),
        "seed": call["seed"],
    }
