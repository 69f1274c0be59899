"""Constituencies and the explained steps of compensation, thresholds and coverage, as words and JSON.

The core (`saylau.composition.tiers`) returns typed steps; this module is where they become sentences in the
reader's language (catalogue msgids with `{named}` figures, saylau/locale/*/saylau.po) and JSON objects.
Nothing is printed for an election that uses none of these rules, so a plain one-constituency result reads
exactly as before. Every renderer (terminal, Markdown, HTML) reads the rows built here, in one order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from rich.table import Table
from rich.text import Text

from saylau.composition import Composition
from saylau.composition.admission import AdmittedBy
from saylau.composition.preferences import CandidateTieOutcome, TieSettled
from saylau.composition.result import NATIONAL, ConstituencySeats, Step, StepKind
from saylau.composition.stv import STVCount
from saylau.reports.i18n import N_, Words, words
from saylau.reports.numbers import as_float
from saylau.reports.safe import terminal
from saylau.reports.view import ResultView

Name = Callable[[str], str]
"""A party identifier -> the name the reader sees (the view's localised short name)."""

ADMITTED = {
    AdmittedBy.DISTRICTS.value: N_(
        "{party} takes part in the list seats by the districts it won (threshold alternative)"
    ),
    AdmittedBy.EXEMPT.value: N_("{party} takes part in the list seats as exempt from the threshold"),
    AdmittedBy.MINIMUM.value: N_("{party} takes part in the list seats to reach the minimum number of lists"),
}


EXHAUSTED = {
    "recompute": (
        "{party}: its list has {names}; {n} seat beyond them shared again among the other lists",
        "{party}: its list has {names}; {n} seats beyond them shared again among the other lists",
    ),
    "pass-on": (
        "{party}: its list has {names}; {n} seat beyond them passed on to the next lists",
        "{party}: its list has {names}; {n} seats beyond them passed on to the next lists",
    ),
    "vacant": (
        "{party}: its list has {names}; {n} seat beyond them stays vacant",
        "{party}: its list has {names}; {n} seats beyond them stay vacant",
    ),
    "individual": (
        "{party}: an individual candidate is elected once; {n} seat more goes to the others",
        "{party}: an individual candidate is elected once; {n} seats more go to the others",
    ),
}
"""A list run out of names, by what the rules do with the seats beyond it: counted by those seats, `{names}`
the names it has left (a counted phrase of its own, "{n} name left")."""


def _same(party: str) -> str:
    return party


def party_names(view: ResultView) -> Name:
    """The view's party names (localised short names), for the sentences and tables here."""
    return lambda party: view.party_name(party) or party


def _n(value: Fraction | None, w: Words) -> str:
    """A figure of a step: a whole number with the locale's grouping, else two decimals."""
    if value is None:
        return "—"
    return w.fmt.integer(int(value)) if value.denominator == 1 else w.fmt.decimal(value, 2)


def _who(step: Step, w: Words, name: Name) -> str:
    """The party, and the constituency where the step happened when it is not the whole election."""
    party = name(step.party or "")
    if step.constituency == NATIONAL:
        return party
    return w("{party} in {constituency}", party=party, constituency=step.constituency)


def _place(step: Step, w: Words) -> str:
    """Where a step without a party happened: its constituency, or the whole election."""
    return step.constituency if step.constituency != NATIONAL else w("Districts")


def _independent(step: Step, w: Words) -> str:
    """Independents, in the constituency of the step when it is not the whole election."""
    who = w("Independents")
    if step.constituency == NATIONAL:
        return who
    return w("{party} in {constituency}", party=who, constituency=step.constituency)


@dataclass(frozen=True, slots=True)
class _Said:
    """What every step's sentence is said with: the step, the words of one language, the party as named."""

    step: Step
    w: Words
    who: str
    name: Name

    def n(self, value: Fraction | None) -> str:
        return _n(value, self.w)

    def counted(self, singular: str, plural: str, value: Fraction | None, **figures: object) -> str:
        """A counted phrase for a step's figure (a fraction takes the form of 2, shown as it is)."""
        whole = value is not None and value.denominator == 1
        count = int(value) if whole and value is not None else 2
        return self.w.n(singular, plural, count, n=self.n(value), **figures)


def _apportioned(s: _Said) -> str:
    return s.counted(
        "{constituency}: {n} list seat apportioned",
        "{constituency}: {n} list seats apportioned",
        s.step.value,
        constituency=s.step.constituency,
    )


def _admitted(s: _Said) -> str:
    if s.step.detail in ADMITTED:
        return s.w(ADMITTED[s.step.detail], party=s.who)
    return s.w("{party} takes part in the list seats", party=s.who)


def _fragment_votes(s: _Said) -> str:
    return s.counted(
        "{party}: {n} fragment vote from the districts added to its list votes",
        "{party}: {n} fragment votes from the districts added to its list votes",
        s.step.value,
        party=s.who,
    )


def _preferential_seat(s: _Said) -> str:
    return s.counted(
        "{party}: {n} vote reaches the preferential quota of {quota}: one seat",
        "{party}: {n} votes reach the preferential quota of {quota}: one seat",
        s.step.value,
        party=s.who,
        quota=s.n(s.step.other),
    )


def _entitlement(s: _Said) -> str:
    """Counted by the share (a share with decimals takes the form of 2: 2,5 места), the districts won apart."""
    return s.counted(
        "{party}: proportional share {n} seat, {won}",
        "{party}: proportional share {n} seats, {won}",
        s.step.value,
        party=s.who,
        won=s.counted("{n} won in districts", "{n} won in districts", s.step.other),
    )


def _overhang(s: _Said) -> str:
    extra = (s.step.other or 0) - s.step.value
    return s.counted(
        "{party}: won {n} district against a share of {share}: {overhang}",
        "{party}: won {n} districts against a share of {share}: {overhang}",
        s.step.other,
        party=s.who,
        share=s.n(s.step.value),
        overhang=s.counted("overhang of {n} seat", "overhang of {n} seats", Fraction(int(extra))),
    )


def _house_size(s: _Said) -> str:
    return s.counted(
        "The body has {n} seat instead of {legal}",
        "The body has {n} seats instead of {legal}",
        s.step.value,
        legal=s.n(s.step.other),
    )


def _not_covered(s: _Said) -> str:
    return s.counted(
        "{party}: {n} district winner not seated, its second votes cover {cover}",
        "{party}: {n} district winners not seated, its second votes cover {cover}",
        s.step.value,
        party=s.who,
        cover=s.counted("{n} seat", "{n} seats", s.step.other),
    )


def _preference(s: _Said) -> str:
    return s.counted(
        "{candidate} ({party}) elected by {n} preference vote, the threshold {threshold}",
        "{candidate} ({party}) elected by {n} preference votes, the threshold {threshold}",
        s.step.value,
        candidate=s.step.detail,
        party=s.who,
        threshold=s.n(s.step.other),
    )


def _preference_tie_step(s: _Said) -> str:
    if s.step.tie is None:
        return _list_seat(s)
    return _preference_tie(s.step.tie, s.who, s.w)


def _list_exhausted(s: _Said) -> str:
    singular, plural = EXHAUSTED.get(s.step.detail, EXHAUSTED["recompute"])
    names = s.counted("{n} name left", "{n} names left", s.step.other)
    return s.counted(singular, plural, s.step.value, party=s.who, names=names)


def _list_seats_vacant(s: _Said) -> str:
    if s.step.constituency == NATIONAL:
        return s.counted(
            "{n} list seat vacant, the lists used up", "{n} list seats vacant, the lists used up", s.step.value
        )
    return s.counted(
        "{place}: {n} list seat vacant, the lists used up",
        "{place}: {n} list seats vacant, the lists used up",
        s.step.value,
        place=_place(s.step, s.w),
    )


def _not_held(s: _Said) -> str:
    return s.counted(
        "{place}: {n} district seat not filled, vacant",
        "{place}: {n} district seats not filled, vacant",
        s.step.value,
        place=_place(s.step, s.w),
    )


def _filled_later(s: _Said) -> str:
    return s.counted(
        "{party}: {n} district seat filled by a by-election after the list seats were shared",
        "{party}: {n} district seats filled by a by-election after the list seats were shared",
        s.step.value,
        party=_who(s.step, s.w, s.name) if s.step.party else _independent(s.step, s.w),
    )


def _list_seat(s: _Said) -> str:
    """A list seat of the tiers' highest averages (an unbounded average: a first seat under Adams, Huntington-Hill)."""
    if s.step.other is None:
        return s.counted(
            "{party}: list seat at an unbounded average, holding {n} seat (districts counted)",
            "{party}: list seat at an unbounded average, holding {n} seats (districts counted)",
            s.step.value,
            party=s.who,
        )
    return s.counted(
        "{party}: list seat at average {average}, holding {n} seat (districts counted)",
        "{party}: list seat at average {average}, holding {n} seats (districts counted)",
        s.step.value,
        party=s.who,
        average=s.n(s.step.other),
    )


_SENTENCES: dict[StepKind, Callable[[_Said], str]] = {
    StepKind.APPORTIONED: _apportioned,
    StepKind.ADMITTED: _admitted,
    StepKind.FRAGMENT_VOTES: _fragment_votes,
    StepKind.PREFERENTIAL_SEAT: _preferential_seat,
    StepKind.ENTITLEMENT: _entitlement,
    StepKind.OVERHANG: _overhang,
    StepKind.HOUSE_SIZE: _house_size,
    StepKind.NOT_COVERED: _not_covered,
    StepKind.PREFERENCE: _preference,
    StepKind.PREFERENCE_TIE: _preference_tie_step,
    StepKind.LIST_EXHAUSTED: _list_exhausted,
    StepKind.LIST_SEATS_VACANT: _list_seats_vacant,
    StepKind.NOT_HELD: _not_held,
    StepKind.FILLED_LATER: _filled_later,
}
"""Each kind of step and its sentence; any other kind is a list seat by the highest averages (`_list_seat`)."""


def sentence(step: Step, w: Words | None = None, name: Name = _same) -> str:
    """One step in words, in the language of `w` (English when none is given)."""
    w = w or words("en")
    said = _Said(step, w, _who(step, w, name), name)
    return _SENTENCES.get(step.kind, _list_seat)(said)


SETTLED = {
    TieSettled.LIST_ORDER: N_("the earlier place on the list: {winners}"),
    TieSettled.STATIONS: N_(
        "more polling stations where each had more votes than the others tied ({stations}): {winners}"
    ),
    TieSettled.DRAWN: N_("the drawing of lots held by the commission: {winners}"),
    TieSettled.LOT: N_("drawing of lots (seed {seed}): {winners}"),
    TieSettled.UNDECIDED: N_("drawing of lots required"),
}
"""How a tie of preference votes was settled (composition.preferences.TieSettled)."""


def _preference_tie(tie: CandidateTieOutcome, who: str, w: Words) -> str:
    """An open list's candidates tied on preference votes for its last seats, and how the tie was settled."""
    head = w.n(
        "{party}: {names} tied at {value} preference votes for {n} seat",
        "{party}: {names} tied at {value} preference votes for {n} seats",
        tie.seats,
        party=who,
        names=", ".join(tie.tied),
        value=w.fmt.integer(tie.votes),
        n=w.fmt.integer(tie.seats),
    )
    stations = ", ".join(f"{name} {w.fmt.integer(k)}" for name, k in zip(tie.tied, tie.stations, strict=False))
    how = w(SETTLED[tie.settled], winners=", ".join(tie.winners), stations=stations, seed=tie.seed)
    return head + "; " + how


def sentences(composition: Composition, w: Words | None = None, name: Name = _same) -> list[str]:
    """Every step of the composition in words, in order."""
    return [sentence(step, w, name) for step in composition.steps]


def _tie_json(step: Step) -> dict[str, Any]:
    """A preference-vote tie's figures for the JSON step (nothing for other steps)."""
    if step.tie is None:
        return {}
    tie = step.tie
    return {
        "tied": list(tie.tied),
        "winners": list(tie.winners),
        "settled": tie.settled.value,
        "stations": list(tie.stations) or None,
        "seed": tie.seed,
    }


def _named(composition: Composition) -> list[ConstituencySeats]:
    return [c for c in composition.constituencies if c.name != NATIONAL]


def constituency_rows(composition: Composition, w: Words | None = None, name: Name = _same) -> list[list[str]]:
    """Header, one row per constituency (seats per party, list + district) and the total; [] for one."""
    w = w or words("en")
    named = _named(composition)
    if not named:
        return []
    parties = [p.party for p in composition.parties if p.seats]
    rows = [[w("Constituency"), *(name(p) for p in parties), w("Seats")]]
    for c in named:
        cells = [c.list_seats.get(p, 0) + c.district_seats.get(p, 0) for p in parties]
        rows.append([c.name, *(w.fmt.integer(n) for n in cells), w.fmt.integer(sum(cells))])
    totals = [p.seats for p in composition.parties if p.seats]
    rows.append([w("Total"), *(w.fmt.integer(n) for n in totals), w.fmt.integer(sum(totals))])
    return rows


@dataclass(frozen=True, slots=True)
class ConstituencyDetail:
    """One constituency's own table: its list seats and, per party, list votes, list and district seats."""

    name: str
    list_seats_total: int
    seats: int
    """List and district seats filled in the constituency."""
    rows: list[list[str]]
    """Party, list votes, list seats, district seats, seats; the last row is the constituency's total."""


def _stands(c: ConstituencySeats, party: str) -> bool:
    """A party has a line in a constituency's table when it had votes or seats there."""
    return bool(c.list_votes.get(party) or c.list_seats.get(party) or c.district_seats.get(party))


def constituency_details(
    composition: Composition, w: Words | None = None, name: Name = _same
) -> list[ConstituencyDetail]:
    """Each constituency's party table (parties with votes or seats there, in the composition's order, then any
    others), [] for one."""
    w = w or words("en")
    order = [p.party for p in composition.parties]
    details = []
    for c in _named(composition):
        present = {p for p in (*c.list_votes, *c.list_seats, *c.district_seats) if _stands(c, p)}
        parties = [p for p in order if p in present] + sorted(p for p in present - set(order) if p)
        rows = []
        for p in parties:
            listed, won = c.list_seats.get(p, 0), c.district_seats.get(p, 0)
            votes = c.list_votes.get(p)
            rows.append(
                [name(p), w.fmt.integer(votes), w.fmt.integer(listed), w.fmt.integer(won), w.fmt.integer(listed + won)]
            )
        listed = sum(c.list_seats.values())
        won = sum(c.district_seats.values())
        votes_total = sum(c.list_votes.values()) if c.list_votes else None
        rows.append(
            [
                w("Total"),
                w.fmt.integer(votes_total),
                w.fmt.integer(listed),
                w.fmt.integer(won),
                w.fmt.integer(listed + won),
            ]
        )
        details.append(ConstituencyDetail(c.name, c.list_seats_total, listed + won, rows))
    return details


def constituency_table(composition: Composition, w: Words | None = None, name: Name = _same) -> Table | None:
    """The constituency rows as a terminal table, or None for a one-constituency result."""
    w = w or words("en")
    rows = constituency_rows(composition, w, name)
    if not rows:
        return None
    table = Table(title=w("Constituencies"), title_style="bold")
    for i, header in enumerate(rows[0]):
        table.add_column(Text(terminal(header)), justify="left" if i == 0 else "right")
    for row in rows[1:-1]:
        table.add_row(*(Text(terminal(cell)) for cell in row))
    table.add_row(*(Text(terminal(cell)) for cell in rows[-1]), style="bold")
    return table


def _count_json(number: int, count: STVCount) -> dict[str, Any]:
    """One single transferable vote count, every stage, figures as exact fractions in text ("1017763/3125")."""
    return {
        "district": number,
        "valid": count.valid,
        "quota": str(count.quota),
        "elected": list(count.elected),
        "undecided": list(count.undecided),
        "stages": [
            {
                "count": s.number,
                "kind": s.kind.value,
                "candidate": s.candidate,
                "transfer_value": str(s.transfer_value) if s.transfer_value is not None else None,
                "transfers": {n: str(v) for n, v in s.transfers.items()},
                "non_transferable": str(s.non_transferable),
                "lost": str(s.lost),
                "totals": {n: str(v) for n, v in s.totals.items()},
                "elected": list(s.elected),
                "excluded": list(s.excluded),
                **({"deferred": list(s.deferred)} if s.deferred else {}),
            }
            for s in count.stages
        ],
    }


def tiers_json(composition: Composition) -> dict[str, Any]:
    """`constituencies`, `steps`, `admission` and `stv` (each district's count) for the JSON result, only
    those that apply."""
    out: dict[str, Any] = {}
    counts = [_count_json(d.number, d.count) for d in composition.districts if d.count is not None]
    if counts:
        out["stv"] = counts
    named = [c for c in composition.constituencies if c.name != NATIONAL]
    if named:
        out["constituencies"] = [
            {
                "name": c.name,
                "list_seats_total": c.list_seats_total,
                "parties": [
                    {
                        "name": p,
                        "list_votes": c.list_votes.get(p, 0),
                        "list_seats": c.list_seats.get(p, 0),
                        "district_seats": c.district_seats.get(p, 0),
                    }
                    for p in sorted(set(c.list_seats) | set(c.district_seats) | set(c.list_votes))
                    if p
                ],
            }
            for c in named
        ]
    if composition.steps:
        out["steps"] = [
            {
                "kind": s.kind.value,
                "constituency": s.constituency or None,
                "party": s.party,
                "value": as_float(s.value),
                "other": as_float(s.other) if s.other is not None else None,
                "detail": s.detail or None,
                **_tie_json(s),
                "text": sentence(s),
            }
            for s in composition.steps
        ]
    if composition.admission is not None:
        out["admission"] = [
            {"party": a.party, "by": a.by.value, "required_percent": as_float(a.required_percent)}
            for a in composition.admission.admissions
        ]
    if any(p.uncovered for p in composition.parties):
        out["not_covered"] = {p.party: p.uncovered for p in composition.parties if p.uncovered}
    return out
