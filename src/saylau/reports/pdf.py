"""The results protocol as a PDF: the paper the territorial commission signs and posts.

Typst (the `typst` package: a self-contained compiler with bundled fonts that cover Kazakh Cyrillic) lays
out `templates/protocol.typ`. The data travel as one JSON string in `sys.inputs`, never spliced into the
source, so a candidate called `#emph[x]` or `*bold*` prints as written instead of becoming markup.

What it carries, in the order of a commission's protocol: the count's status (a partial count is marked on
every page), the election's figures, the ballot accounting of each ballot (received, issued with its "of
which" lines, cancelled, found, invalid, "against all"), the party lists with the ballot lines, the
threshold and quota steps, every district's candidates with their votes and its ballot totals, the deputies,
and the commission with its officers' signature lines. The party lists follow the ballot: numbered and
ordered as registered (the ballot's order), as the ballots and the threshold page are; the signature block
carries the figures it signs (votes and seats by list, the ballot lines, the total) so that it never stands
alone on a page. The title names the commission in the genitive where the language needs it (`grammar`).
Every label comes from the `lang` catalogue; every
number is in that language's format. Column widths are fractions of the page, so long Kazakh or Russian
headers wrap inside their column instead of pushing into the next one.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from importlib.resources import files
from typing import Any

import typst

from saylau.apportionment import QuotaLine
from saylau.reports import counted, phrases
from saylau.reports.grammar import genitive
from saylau.reports.i18n import N_, Words, words
from saylau.reports.view import DistrictRow, PartyRow, ResultView, build_view
from saylau.result import Result

DEFAULT_MEMBERS = 5
"""Blank signature lines for commission members besides the chair, the deputy chair and the secretary."""


def render_pdf(
    result: Result,
    members: int = DEFAULT_MEMBERS,
    timestamp: datetime | None = None,
    lang: str = "en",
    certified: str | None = None,
) -> bytes:
    """The signed-protocol PDF as bytes, in `lang` (en, kk or ru).

    `timestamp` fixes the PDF's creation date (default: the election date at noon UTC, so that the same
    result always gives the same file, which an archive can checksum). `certified`: when the results
    service certified the result, and the bundle's SHA-256 (then every page is marked certified).
    """
    template = files("saylau.reports").joinpath("templates", "protocol.typ").read_bytes()
    made = protocol_data(result, members, lang)
    if certified is not None:  # the status line says it too: certified, not only complete
        made["status"] = words(lang)("Certified result")
        made["certified"] = f"{made['status']} · {certified}"
    data = json.dumps(made, ensure_ascii=False)
    election = result.election
    when = timestamp or (
        datetime(election.date.year, election.date.month, election.date.day, 12, tzinfo=UTC)
        if election.date
        else datetime(2000, 1, 1, tzinfo=UTC)
    )
    pdf = typst.compile(template, format="pdf", sys_inputs={"data": data}, timestamp=when)
    if not isinstance(pdf, bytes):  # a multi-file result only happens for PNG/SVG output
        raise TypeError("typst returned pages, not one PDF")
    return pdf


def protocol_data(result: Result, members: int = DEFAULT_MEMBERS, lang: str = "en") -> dict[str, Any]:
    """Everything the template prints, already worded and formatted (Typst does no arithmetic here)."""
    w = words(lang)
    view = build_view(result, w.lang)
    commission = view.commission
    officers = [
        (w("Chair"), commission.chair if commission else None),
        (w("Deputy chair"), commission.deputy_chair if commission else None),
        (w("commission|Secretary"), commission.secretary if commission else None),
    ]
    commission_name = view.commission_name or w("Territorial electoral commission")
    return {
        "lang": w.lang,
        "title": view.election_name,
        "heading": w("PROTOCOL"),
        "commission": commission_name,
        "commission_title": _of_commission(commission_name, w),
        "subtitle": w("on the results of the election"),
        "partial": view.partial,
        "status": phrases.status(view, w),
        "labels": _labels(w),
        "body": view.body_name,
        "facts": _facts(view, w),
        "accounting": _accounting(result, view, w),
        "parties": _parties(view, w),
        "threshold": _threshold(view, w),
        "quota": _quota(view, w),
        "lots": [phrases.lot(row, w) for row in view.lots],
        "districts": [_district(d, w) for d in view.districts],
        "deputies": [
            [str(i), phrases.deputy_name(d, w), phrases.party_of(d.party_name, w), phrases.seat(d, w)]
            for i, d in enumerate(view.deputies, 1)
        ],
        "signed": _signed(view, w),
        "signatures": [[role, name or ""] for role, name in officers]
        + [[w("Member {n}", n=i), ""] for i in range(1, members + 1)],
    }


def _of_commission(name: str, w: Words) -> str:
    """The title's "of the commission": the name in the genitive where the language needs it (ru, kk), else
    the name after "Commission:" (a form that needs no case)."""
    if w.lang == "en":
        return w("of the {commission}", commission=name)
    inflected = genitive(name, w.lang)
    if inflected is None:
        return w("Commission: {commission}", commission=name)
    return w("of the {commission}", commission=inflected)


def _in_ballot_order(view: ResultView) -> list[PartyRow]:
    """The parties as the ballot lists them (registration order), each numbered as on the ballot."""
    return sorted(view.parties, key=lambda row: row.registration_order)


def _signed(view: ResultView, w: Words) -> list[list[str]]:
    """The figures the signatures sign, kept on their page: each list's votes and seats in ballot order,
    the ballot lines, then the seats no party holds and the total."""
    rows = [
        [str(row.registration_order), row.name, w.fmt.integer(row.list_votes), str(row.seats)]
        for row in _in_ballot_order(view)
    ]
    rows += [["", w(phrases.LINES[line.kind]), w.fmt.integer(line.count), ""] for line in view.ballot_lines]
    rows += [["", w(phrases.SEAT_LINES[s.kind]), "", str(s.seats)] for s in view.seat_lines]
    rows.append(["", w("Total seats"), "", str(view.seats_total)])
    return rows


def _labels(w: Words) -> dict[str, str]:
    keys = {
        "no": N_("No."),
        "party": N_("Party"),
        "votes": N_("Votes"),
        "list_seats": N_("List seats"),
        "district_seats": N_("District seats"),
        "seats": N_("Seats"),
        "candidate": N_("Candidate"),
        "nominated_by": N_("Nominated by"),
        "deputy": N_("Deputy"),
        "seat": N_("Seat"),
        "line": N_("Line"),
        "accounting": N_("Ballot accounting"),
        "party_lists": N_("Party lists"),
        "threshold": N_("Threshold"),
        "quota": N_("Electoral quota and seats"),
        "lots": N_("Drawings of lots"),
        "share": N_("Share, %"),
        "result": N_("Result"),
        "quotas": N_("Quotas"),
        "whole": N_("Whole seats"),
        "remainder": N_("Remainder"),
        "remainder_seat": N_("Remainder seat"),
        "districts": N_("Single-member districts"),
        "deputies": N_("Deputies elected"),
        "signatures": N_("Signatures"),
        "signed": N_("The results the commission signs"),
        "name": N_("(name)"),
        "signature": N_("(signature)"),
        "date_signed": N_("Date of signing"),
        "stamp": N_("Stamp (seal)"),
        "list_ballot": N_("list ballot"),
        "district_ballot": N_("district ballot"),
    }
    return {key: w(label) for key, label in keys.items()}


def _facts(view: ResultView, w: Words) -> list[list[str]]:
    facts = [[w("Status"), phrases.status(view, w)], [w("Body"), view.body_name]]
    if view.convocation:
        facts.append([w("Convocation"), str(view.convocation)])
    facts.append([w("Election day"), w.fmt.date(view.date)])
    if phrases.illustrative(view, w) is not None:
        facts.append([w("Sources"), w("Some data in this election folder are illustrative, not official.")])
    facts += [[ballot, progress] for ballot, progress in phrases.progress_lines(view, w)]
    if view.turnout is not None:
        facts.append([w("Turnout"), phrases.turnout(view, w)])
    facts += [
        [w("Seats"), str(view.seats_total)],
        [w("Seats filled"), str(view.seats_filled)],
        [w("Majority"), str(view.majority.majority)],
        [w("Results"), phrases.majority(view, w)],
    ]
    return facts


_ACCOUNTING = (
    (N_("Registered voters"), "tally", "registered"),
    (N_("Ballots received"), "form", "received"),
    (N_("Ballots issued"), "form", "issued"),
    (N_("of which: absentee certificates"), "form", "issued_absentee"),
    (N_("of which: outside the polling station"), "form", "issued_outside"),
    (N_("Cancelled ballots"), "form", "cancelled"),
    (N_("Ballots found in the boxes (took part)"), "tally", "took_part"),
    (N_("Invalid ballots"), "tally", "invalid"),
    (N_("Against all"), "tally", "against_all"),
)
"""The lines of the ballot accounting: from the protocols' forms (only when counted from protocols) or tallies."""


def _accounting(result: Result, view: ResultView, w: Words) -> list[list[str]]:
    """One row per line of the form, one column per ballot (list, then the districts summed)."""
    results = result.election.results
    tallies = {
        "list": [results.list_tally] if results.list_tally else [],
        "district": list(results.district_tallies.values()),
    }

    def cell(ballot: str, source: str, line: str) -> str:
        if source == "form":
            accounting = view.accounting.get(ballot)
            return "—" if accounting is None else w.fmt.integer(getattr(accounting, line))
        counted = tallies[ballot]
        return "—" if not counted else w.fmt.integer(sum(getattr(t, line) for t in counted))

    return [
        [w(label), cell("list", source, line), cell("district", source, line)] for label, source, line in _ACCOUNTING
    ]


def _parties(view: ResultView, w: Words) -> list[list[str]]:
    rows = [
        [
            str(row.registration_order),
            row.name,
            w.fmt.integer(row.list_votes),
            w.fmt.percent(row.list_percent),
            str(row.list_seats),
            str(row.district_seats),
            str(row.seats),
        ]
        for row in _in_ballot_order(view)
    ]
    for line in view.ballot_lines:
        percent = "" if line.percent is None else w.fmt.percent(line.percent)
        rows.append(["", w(phrases.LINES[line.kind]), w.fmt.integer(line.count), percent, "", "", ""])
    for seats in view.seat_lines:
        rows.append(["", w(phrases.SEAT_LINES[seats.kind]), "", "", "", "", str(seats.seats)])
    rows.append(["", w("Total seats"), "", "", "", "", str(view.seats_total)])
    return rows


def _threshold(view: ResultView, w: Words) -> dict[str, Any] | None:
    a = view.allocation
    if a is None:
        return None
    t = a.threshold
    rule = (
        w(
            "Threshold {share}: {required} votes needed.",
            share=w.n(
                "{percent} of {n} ballot",
                "{percent} of {n} ballots",
                t.base_votes,
                percent=w.fmt.percent(t.threshold.percent, 0 if t.threshold.percent.denominator == 1 else 2),
            ),
            required=w.fmt.decimal(t.required_votes, 2),
        )
        if t.threshold is not None and t.threshold.percent is not None
        else w("No threshold.")
    )
    rows = [
        [
            view.party_name(line.name) or line.name,
            w.fmt.integer(line.votes),
            w.fmt.decimal(line.share * 100, 4),
            w("passed") if line.passed else w("admitted (minimum)") if line.admitted_by_minimum else w("out"),
        ]
        for line in t.lines
    ]
    return {"rule": rule, "rows": rows}


def _quota(view: ResultView, w: Words) -> dict[str, Any] | None:
    a = view.allocation
    if a is None or not a.method.is_quota or a.quota is None:
        return None
    lines = [line for line in a.lines if isinstance(line, QuotaLine)]
    won = {s.name for s in a.order}
    rows = [
        [
            view.party_name(line.name) or line.name,
            w.fmt.integer(line.votes),
            w.fmt.decimal(line.quotas, 4),
            str(line.integer_seats),
            w.fmt.decimal(line.remainder, 2),
            "+1" if line.name in won else "",
            str(line.seats),
        ]
        for line in lines
    ]
    rule = w(
        "{method}: quota {quota} votes per seat ({votes} of the lists that passed / {seats}).",
        method=w(a.method.label),
        quota=w.fmt.decimal(a.quota, 4),
        votes=counted.votes(w, sum(line.votes for line in lines)),
        seats=counted.seats(w, a.seats_total),
    )
    return {"rule": rule, "rows": rows}


def _district(d: DistrictRow, w: Words) -> dict[str, Any]:
    tally = d.tally
    totals = (
        w(
            "Against all: {against}; invalid: {invalid}; took part: {cast}; registered voters: {registered}.",
            against=w.fmt.integer(tally.against_all),
            invalid=w.fmt.integer(tally.invalid),
            cast=w.fmt.integer(tally.took_part),
            registered=w.fmt.integer(tally.registered),
        )
        if tally
        else ""
    )
    outcome = (
        w(
            "Elected: {name} ({decision}).",
            name=phrases.marked(d.winner, d.winner_illustrative, w),
            decision=phrases.decision(d, w),
        )
        if d.winner
        else phrases.decision(d, w) + "."
    )
    return {
        "heading": f"{d.number}. {d.name}" if d.name else w("District No. {number}", number=d.number),
        "candidates": [
            [phrases.marked(c.name, c.illustrative, w), phrases.party_of(c.party_name, w), w.fmt.integer(c.votes)]
            for c in d.candidates
        ],
        "totals": totals,
        "outcome": outcome,
    }
