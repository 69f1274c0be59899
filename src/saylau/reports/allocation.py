"""The list seats, step by step: an allocation's trace in words, like the annex of a commission's protocol.

The core keeps the trace as typed data (`saylau.apportionment.trace`: the threshold table, the quota or the
averages, the order in which seats fell, caps and ties); this module says it in Kazakh, Russian or English.
Exact figures are rounded half-up only here, as commissions publish them, in the reader's number format.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from saylau.apportionment import Allocation, DivisorLine, QuotaLine, ThresholdBase
from saylau.apportionment.methods import Method
from saylau.reports import counted
from saylau.reports.i18n import N_, Words, words

_BASES = {
    ThresholdBase.VALID: N_("party votes + against all"),
    ThresholdBase.PARTY: N_("party votes"),
    ThresholdBase.CAST: N_("party votes + against all + invalid"),
}
TIE_STAGES = {
    "remainder": N_("remainders"),
    "average": N_("averages"),
    "excess": N_("remainders, giving back a seat"),
}
_TIE_RULES = {
    "registration-order": N_("registration order"),
    "more-votes": N_("more votes"),
    "lot": N_("drawing of lots"),
    "decide": N_("decision of the commission"),
}


def explain_allocation(a: Allocation, w: Words | None = None, name: Callable[[str], str] = lambda n: n) -> list[str]:
    """The whole trace as lines of text: threshold table, quota or averages, remainder seats, caps, ties.

    `name` turns a contestant's identifier into the name the reader knows (a party's localised name).
    """
    w = w or words()
    out = [w("Seats to fill: {seats}. Method: {method}.", seats=a.seats_total, method=w(a.method.label))]
    out += _threshold(a, w, name)
    out.append("")
    out += _quota(a, w, name) if a.method.is_quota else _averages(a, w, name)
    for cap in a.capped:
        text = w.n(
            "Cap: {name} holds at most {n} seat; further seats go to the others.",
            "Cap: {name} holds at most {n} seats; further seats go to the others.",
            cap.cap,
            name=name(cap.name),
        )
        if cap.entitled is not None:
            text += " " + w.n("(entitled to {n})", "(entitled to {n})", cap.entitled)
        out.append(text)
    for tie in a.ties:
        value = "" if tie.value is None else " " + w("at {value}", value=w.fmt.decimal(tie.value, 4))
        verdict = (
            w("won by {names}", names=", ".join(map(name, tie.winners))) if tie.winners else w("left to the commission")
        )
        if tie.drawn:
            verdict = w(
                "won by {names} in the drawing of lots held by the commission", names=", ".join(map(name, tie.winners))
            )
        out.append(
            w.n(
                "Tie of {stage}{value}: {names} for {n} seat; rule: {rule}{seed}: {verdict}.",
                "Tie of {stage}{value}: {names} for {n} seats; rule: {rule}{seed}: {verdict}.",
                tie.seats,
                stage=w(TIE_STAGES.get(tie.stage, tie.stage)),
                value=value,
                names=", ".join(map(name, tie.names)),
                rule=w(_TIE_RULES.get(tie.rule.value, tie.rule.value)),
                seed="" if tie.seed is None else " " + w("(seed {seed})", seed=tie.seed),
                verdict=verdict,
            )
        )
    if a.undecided is not None:
        out.append(
            w.n(
                "Undecided: {n} seat among {names} awaits a decision.",
                "Undecided: {n} seats among {names} await a decision.",
                a.undecided.seats,
                names=", ".join(map(name, a.undecided.names)),
            )
        )
    out.append("")
    out.append(w("Result: {seats}.", seats=", ".join(f"{name(n)} {s}" for n, s in a.seats.items())))
    return out


def _threshold(a: Allocation, w: Words, name: Callable[[str], str]) -> list[str]:
    t = a.threshold
    base = w(_BASES[t.threshold.base if t.threshold else ThresholdBase.VALID])
    out = []
    if t.threshold is None:
        out.append(w("No threshold. Share base: {base} = {votes}.", base=base, votes=w.fmt.integer(t.base_votes)))
    else:
        rule = []
        if t.threshold.percent is not None:
            rule.append(
                w(
                    "{percent} of {base} ({votes})",
                    percent=w.fmt.percent(t.threshold.percent, 0 if t.threshold.percent.denominator == 1 else 2),
                    base=base,
                    votes=w.fmt.integer(t.base_votes),
                )
            )
        if t.threshold.votes is not None:
            rule.append(counted.votes(w, t.threshold.votes))
        out.append(
            w(
                "Threshold: {rule}; required {votes} votes (reaching it passes).",
                rule=w(" and ").join(rule),
                votes=w.fmt.decimal(t.required_votes, 2),
            )
        )
    rows = []
    for line in t.lines:
        status = "passed" if line.passed else ("admitted (minimum)" if line.admitted_by_minimum else "out")
        rows.append(
            [
                name(line.name),
                w.fmt.integer(line.votes),
                w.fmt.decimal(line.share * 100, 4),
                w.fmt.signed(line.margin_pp, 4),
                w(status),
            ]
        )
    out += _table([w("Contestant"), w("Votes"), w("Share, %"), w("Margin, pp"), w("Result")], rows)
    if t.min_admitted and any(line.admitted_by_minimum for line in t.lines):
        out.append(
            w(
                "Fewer than {n} passed: the next largest are admitted until {n} take part.",
                n=t.min_admitted,
            )
        )
    return out


def _quota(a: Allocation, w: Words, name: Callable[[str], str]) -> list[str]:
    quota_lines = [line for line in a.lines if isinstance(line, QuotaLine)]
    capped = {c.name for c in a.capped}
    shared_votes = sum(line.votes for line in quota_lines if line.name not in capped)
    shared_seats = a.seats_total - sum(line.seats for line in quota_lines if line.name in capped)
    out = []
    if a.quota is not None:
        out.append(
            w(
                "Quota from the admitted lists' votes: {votes} / {seats} = {quota} votes per seat.",
                votes=counted.votes(w, shared_votes),
                seats=counted.seats(w, shared_seats),
                quota=w.fmt.decimal(a.quota, 6),
            )
        )
    rows = [
        [
            name(line.name),
            w.fmt.integer(line.votes),
            w.fmt.decimal(line.quotas, 6),
            str(line.integer_seats),
            w.fmt.decimal(line.remainder, 4),
            w.fmt.decimal(line.remainder / a.quota, 6) if a.quota else "—",
            str(line.seats),
        ]
        for line in quota_lines
    ]
    header = [
        N_("Contestant"),
        N_("Votes"),
        N_("Quotas"),
        N_("Whole seats"),
        N_("Remainder"),
        N_("Rem. / quota"),
        N_("Seats"),
    ]
    out += _table([w(h) for h in header], rows)
    if a.order:
        out.append(w("Seats by largest remainder, in order:"))
        out += [_award(w, s.seat, name(s.name), s.value) for s in a.order]
    if a.withdrawn:
        out.append(w("The quotas gave more seats than exist; taken back from the smallest remainders:"))
        out += [_award(w, s.seat, name(s.name), s.value) for s in a.withdrawn]
    return out


def _award(w: Words, seat: int, name: str, value: Fraction | None) -> str:
    return "  " + w(
        "{seat}. {name} (remainder {votes} votes)", seat=seat, name=name, votes=w.fmt.decimal(value or 0, 4)
    )


def _averages(a: Allocation, w: Words, name: Callable[[str], str]) -> list[str]:
    divisor_lines = [line for line in a.lines if isinstance(line, DivisorLine)]
    out = [
        w("Averages (squared: votes² / (s(s+1))); ∞ is a first seat of infinite priority:")
        if a.method is Method.HUNTINGTON_HILL
        else w("Averages; ∞ is a first seat of infinite priority:")
    ]
    rows = [
        [
            name(line.name),
            w.fmt.integer(line.votes),
            str(line.seats),
            _avg(w, line.averages[-2]) if line.seats else "—",
            _avg(w, line.averages[-1]),
        ]
        for line in divisor_lines
    ]
    out += _table([w("Contestant"), w("Votes"), w("Seats"), w("Last winning average"), w("Next average")], rows)
    out.append(w("Seats in the order they fell:"))
    out += [f"  {s.seat}. {name(s.name)} ({_avg(w, s.value)})" for s in a.order]
    return out


def _avg(w: Words, value: Fraction | None) -> str:
    return "∞" if value is None else w.fmt.decimal(value, 4)


def _table(header: list[str], rows: list[list[str]], indent: str = "  ") -> list[str]:
    """A plain-text table: the first column left-aligned, the figures right-aligned."""
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    out = []
    for row in [header, *rows]:
        cells = [
            c.ljust(width) if i == 0 else c.rjust(width) for i, (c, width) in enumerate(zip(row, widths, strict=True))
        ]
        out.append(indent + "  ".join(cells).rstrip())
    return out
