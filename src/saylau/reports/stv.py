"""A single transferable vote count in words: every count, what moved from whom to whom, who was elected.

The core (`saylau.composition.stv`) returns typed stages; this module turns them into sentences in the
reader's language (catalogue msgids, saylau/locale/*/saylau.po). Figures are shown to five decimals, the
precision Scottish count sheets print (exact fractions underneath).
"""

from __future__ import annotations

from fractions import Fraction

from saylau.composition import Composition
from saylau.composition.stv import StageKind, STVCount
from saylau.reports.i18n import Words, words


def _votes(value: Fraction, w: Words) -> str:
    return w.fmt.decimal(value, 5)


def explain_count(count: STVCount, w: Words | None = None) -> list[str]:
    """Every count of one district, in order, as lines of text."""
    w = w or words("en")
    out = [
        w(
            "Valid poll {valid}, {seats} seats, quota {quota}.",
            valid=w.fmt.integer(count.valid),
            seats=w.fmt.integer(count.seats),
            quota=_votes(count.quota, w),
        )
    ]
    for stage in count.stages:
        if stage.kind is StageKind.FIRST:
            head = w("Count {n}: first preferences.", n=stage.number)
        elif stage.kind is StageKind.SURPLUS:
            head = w(
                "Count {n}: surplus of {candidate} transferred at {value}.",
                n=stage.number,
                candidate=stage.candidate,
                value=_votes(stage.transfer_value or Fraction(0), w),
            )
        elif stage.kind is StageKind.EXCLUSION:
            head = w(
                "Count {n}: {candidate} excluded, every paper transferred.", n=stage.number, candidate=stage.candidate
            )
        else:
            head = w("Count {n}: as many continuing candidates as seats left.", n=stage.number)
        out.append(head)
        if stage.deferred:
            out.append(
                "  "
                + w(
                    "Surplus of {names} not transferred: it could neither elect the highest continuing candidate, "
                    "save the lowest from exclusion, nor bring the lowest past a quarter of the quota.",
                    names=", ".join(stage.deferred),
                )
            )
        if stage.tied:
            out.append("  " + w("Tied: {names}.", names=", ".join(stage.tied)))
        for name, moved in stage.transfers.items():
            sign = "+" if moved > 0 else "−"
            out.append(f"  {name} {sign}{_votes(abs(moved), w)} → {_votes(stage.totals[name], w)}")
        if stage.non_transferable:
            out.append("  " + w("non-transferable {votes}", votes=_votes(stage.non_transferable, w)))
        if stage.lost:
            out.append("  " + w("lost to the truncation of values {votes}", votes=_votes(stage.lost, w)))
        if stage.kind is StageKind.FIRST:
            out += [f"  {name} {_votes(v, w)}" for name, v in stage.totals.items()]
        if stage.elected:
            out.append("  " + w("Elected: {names}.", names=", ".join(stage.elected)))
    if count.undecided:
        out.append(w("Tied for exclusion: {names}; drawing of lots required.", names=", ".join(count.undecided)))
    return out


def explain_counts(composition: Composition, w: Words | None = None) -> list[str]:
    """Every district counted by the single transferable vote, district by district."""
    w = w or words("en")
    out: list[str] = []
    for d in composition.districts:
        if d.count is None:
            continue
        out.append(w("District {number}", number=d.number))
        out += explain_count(d.count, w)
    return out
