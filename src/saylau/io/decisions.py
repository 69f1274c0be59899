"""`decisions.csv`: drawings of lots the commission held for ties the rules leave to it (docs/election-folder.md).

    tier,constituency,district,tied,seats,winners,drawn_on,recorded_by,note
    list,,,Respublica;Ak Zhol,1,Ak Zhol,2023-03-21,Commission secretary,minutes No. 7
    district,,12,Candidate A;Candidate B,1,Candidate B,2023-03-21 10:30,Commission secretary,

`tier` is `list`, `district` or `candidate` (an open list's candidates tied on preference votes); `district`
is the district's number (district tier only); `constituency` a list constituency of an election that has
several (empty otherwise); `tied` every name in the tie and `winners` those the lot gave the `seats` to, each
separated by `;`. Each row must settle exactly one tie of
the count: a row that fits none is refused with its row and field (`misfit_problems`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from saylau.composition.lots import Misfit, Refusal, Tie
from saylau.domain import Constituency, District, LotDecision, Party, TieTier
from saylau.errors import Count, Phrase, Problem, worded
from saylau.io.table import Problems, Row, read_table
from saylau.reports.i18n import N_

FILE = "decisions.csv"
COLUMNS = ("tier", "constituency", "district", "tied", "seats", "winners", "drawn_on", "recorded_by", "note")
REQUIRED = ("tier", "tied", "seats", "winners")
SEPARATOR = ";"
UNKNOWN_TIER = "{tier} is not one of list, district, candidate"
IN_DISTRICT = "a candidate in district {district}"
NO_TIE = ("{n} seat for {tied} tied is no tie", "{n} seats for {tied} tied is no tie")
TIED = "{name} ({votes})"
"""One of a tie's contestants with its votes (a msgid, so that the count is grouped as its reader writes it)."""
WINNERS_FOR_SEATS = ("names {n} winner; seats at stake: {seats}", "names {n} winners; seats at stake: {seats}")
"""A tier that names none of TieTier's: the folder's and the service's refusal (a msgid of the catalogues)."""


def read_decisions(
    folder: Path,
    parties: Sequence[Party],
    districts: Sequence[District],
    constituencies: Sequence[Constituency],
    problems: Problems,
) -> tuple[LotDecision, ...]:
    """The recorded drawings of lots (none when the file is missing); each bad cell is a problem."""
    names = {p.short_name for p in parties}
    candidates = {d.number: {c.name for c in d.candidates} for d in districts}
    places = {c.name for c in constituencies}
    out = []
    for row in read_table(folder, FILE, REQUIRED, problems, required=False):
        found = _decision(row, names, candidates, places)
        if found is not None:
            out.append(found)
    return tuple(out)


def _decision(row: Row, parties: set[str], candidates: dict[int, set[str]], places: set[str]) -> LotDecision | None:
    before = len(row.problems.items)
    raw = row.text("tier")
    tier = next((t for t in TieTier if t.value == raw), None)
    if raw is not None and tier is None:
        row.problems.items.append(worded(UNKNOWN_TIER, row.path, row.number, "tier", tier=raw))
    district = _place(row, tier, candidates, places)
    constituency = row.text("constituency", required=False) or ""
    known = parties if tier is TieTier.LIST else candidates.get(district or 0, set())
    what = Phrase("a registered list") if tier is TieTier.LIST else Phrase(IN_DISTRICT, district=district)
    # an open list's candidates (tier candidate) are checked against the tie itself (composition.lots.misfits)
    tied = _names(row, "tied", known if tier not in (None, TieTier.CANDIDATE) else None, what)
    seats = row.integer("seats", minimum=1)
    winners = _names(row, "winners", set(tied) if tied else None, Phrase("among the tied"))
    if tied and len(tied) < 2:
        row.problems.say("a tie needs at least two names (separated by ';')", row.path, row.number, "tied")
    if seats is not None and tied and seats >= len(tied):
        no_tie = Phrase(*NO_TIE, n=Count(seats), tied=Count(len(tied)))
        row.problems.add(no_tie, row.path, row.number, "seats")
    elif seats is not None and winners and len(winners) != seats:
        named = Phrase(*WINNERS_FOR_SEATS, n=Count(len(winners)), seats=Count(seats))
        row.problems.add(named, row.path, row.number, "winners")
    if len(row.problems.items) > before or tier is None or seats is None:
        return None
    return LotDecision(
        tier,
        tuple(tied),
        seats,
        tuple(winners),
        district,
        constituency,
        row.text("drawn_on", required=False) or "",
        row.text("recorded_by", required=False) or "",
        row.text("note", required=False) or "",
    )


def _place(row: Row, tier: TieTier | None, candidates: dict[int, set[str]], places: set[str]) -> int | None:
    """The district (district tier) and the constituency, checked against the election."""
    constituency = row.text("constituency", required=False)
    if constituency is not None and (tier is TieTier.DISTRICT or constituency not in places):
        row.problems.say(
            "{name} is for the list tier only" if tier is TieTier.DISTRICT else "{name} is not a list constituency",
            row.path,
            row.number,
            "constituency",
            name=repr(constituency),
        )
    if tier in (TieTier.LIST, TieTier.CANDIDATE):
        if row.text("district", required=False) is not None:
            row.problems.say("must be empty for a list tie", row.path, row.number, "district")
        return None
    if tier is None:
        return None
    number = row.integer("district", minimum=1)
    if number is not None and number not in candidates:
        row.problems.say("there is no district {number}", row.path, row.number, "district", number=number)
        return None
    return number


def _names(row: Row, field: str, known: set[str] | None, what: Phrase) -> list[str]:
    raw = row.text(field)
    if raw is None:
        return []
    names = [n.strip() for n in raw.split(SEPARATOR) if n.strip()]
    if len(set(names)) < len(names):
        row.problems.say("names someone twice", row.path, row.number, field)
        return []
    unknown = [n for n in names if known is not None and n not in known]
    if unknown:
        unknown_name = Phrase("{name} is not {what}", name=repr(unknown[0]), what=what)
        row.problems.add(unknown_name, row.path, row.number, field)
        return []
    return names


def decision_rows(folder: Path) -> list[int]:
    """The row number of each decision `read_decisions` returned, in order (the file was read without fault)."""
    return [row.number for row in read_table(folder, FILE, REQUIRED, Problems(), required=False)]


def misfit_problems(refusals: Sequence[Refusal], rows: Sequence[int]) -> list[Problem]:
    """One line per recorded drawing that settles no tie, naming decisions.csv's row and field."""
    return [Problem(misfit_message(r), FILE, rows[r.index] if r.index < len(rows) else None, r.field) for r in refusals]


MISFITS: dict[Misfit, str] = {
    Misfit.NO_TIE: N_("no tie is left to the commission there: this drawing of lots settles nothing"),
    Misfit.OTHER_TIE: N_("the tied names are not those of the tie there"),
    Misfit.SEATS: N_("the seats at stake are not those of the tie there"),
    Misfit.NOT_TIED: N_("a winner is not among the tied"),
    Misfit.WINNERS: N_("the number of winners is not the number of seats at stake"),
    Misfit.TWICE: N_("an earlier row already settles this tie"),
}
"""Why a recorded drawing of lots fits no tie, by misfit (msgids of the catalogues)."""


def misfit_message(refusal: Refusal) -> Phrase:
    """Why a recorded drawing of lots was refused, with the tie that is there (what would fit): English as it
    reads, kk or ru through the catalogues (a `Phrase`)."""
    reason = Phrase(MISFITS[refusal.misfit])
    if refusal.tie is None:
        return reason
    return Phrase(N_("{reason} (the tie there: {tie})"), reason=reason, tie=describe(refusal.tie))


def describe(tie: Tie) -> Phrase:
    """A tie in one line: `A (1,200), B (1,200) for 1 seat in district 12` (a `Phrase`: said in kk or ru too, each
    count grouped as the reader's language writes it: 1 200)."""
    tied = tuple(Phrase(TIED, name=n, votes=Count(v)) for n, v in zip(tie.tied, tie.votes, strict=True))
    if tie.tier is TieTier.DISTRICT:
        one, many = N_("{tied} for {n} seat in district {district}"), N_("{tied} for {n} seats in district {district}")
        return Phrase(one, many, tied=tied, n=tie.seats, district=tie.district)
    if tie.tier is TieTier.CANDIDATE and not tie.constituency:
        one, many = N_("{tied} for {n} seat in an open list"), N_("{tied} for {n} seats in an open list")
        return Phrase(one, many, tied=tied, n=tie.seats)
    if tie.tier is TieTier.CANDIDATE:
        one = N_("{tied} for {n} seat in an open list in {constituency}")
        many = N_("{tied} for {n} seats in an open list in {constituency}")
        return Phrase(one, many, tied=tied, n=tie.seats, constituency=tie.constituency)
    if not tie.constituency:
        one, many = N_("{tied} for {n} seat of the list tier"), N_("{tied} for {n} seats of the list tier")
        return Phrase(one, many, tied=tied, n=tie.seats)
    one = N_("{tied} for {n} seat of the list tier in {constituency}")
    many = N_("{tied} for {n} seats of the list tier in {constituency}")
    return Phrase(one, many, tied=tied, n=tie.seats, constituency=tie.constituency)


def decisions_csv(decisions: Sequence[LotDecision]) -> str:
    """decisions.csv's text for these records (the service's export and results bundle write it)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for d in decisions:
        writer.writerow(
            [
                d.tier.value,
                d.constituency,
                "" if d.district is None else d.district,
                SEPARATOR.join(d.tied),
                d.seats,
                SEPARATOR.join(d.winners),
                d.drawn_on,
                d.recorded_by,
                d.note,
            ]
        )
    return out.getvalue()
