"""The results protocol as a PDF: the paper the territorial commission signs and posts.

Typst (the `typst` package: a self-contained compiler with bundled fonts that cover Kazakh Cyrillic) lays
out `templates/protocol.typ`. The data travel as one JSON string in `sys.inputs`, never spliced into the
source, so a candidate called `#emph[x]` or `*bold*` prints as written instead of becoming markup.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from importlib.resources import files
from typing import Any

import typst

from saylau.reports.i18n import translator
from saylau.reports.numbers import percent
from saylau.result import Result

DEFAULT_MEMBERS = 5
"""Blank signature lines for commission members besides the chair and the secretary."""


def render_pdf(
    result: Result, members: int = DEFAULT_MEMBERS, timestamp: datetime | None = None, lang: str = "en"
) -> bytes:
    """The signed-protocol PDF as bytes, its labels in `lang` (en, kk or ru).

    `timestamp` fixes the PDF's creation date (default: the election date at noon UTC, so that the same
    result always gives the same file, which an archive can checksum).
    """
    template = files("saylau.reports").joinpath("templates", "protocol.typ").read_bytes()
    data = json.dumps(protocol_data(result, members, lang), ensure_ascii=False)
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
    """Everything the template prints, already formatted as strings (Typst does no arithmetic here).

    Every label goes through the `lang` catalogue; a msgid written `context|Label` keeps apart a word the
    catalogue already translates differently (the mäslihat's secretary vs. the commission's) and prints
    as `Label` where it has no translation.
    """
    translate = translator(lang)

    def _(label: str) -> str:
        text = translate(label)
        return text.split("|", 1)[-1] if text == label else text

    election, composition = result.election, result.composition
    facts = [(_("Body"), election.body.name)]
    if election.body.convocation:
        facts.append((_("Convocation"), str(election.body.convocation)))
    facts.append((_("Election day"), election.date.isoformat() if election.date else "—"))
    tally = election.results.list_tally
    if tally is not None:
        facts += [
            (_("Registered voters"), f"{tally.registered:,}"),
            (_("Voters who took part"), f"{tally.took_part:,}"),
        ]
    turnout = election.results.turnout
    if turnout is not None:
        facts.append((_("Turnout"), percent(turnout * 100)))
    if tally is not None:
        facts += [
            (_("Against all (list ballot)"), f"{tally.against_all:,}"),
            (_("Invalid ballots"), f"{tally.invalid:,}"),
        ]
    facts += [
        (_("Seats"), str(composition.seats_total)),
        (_("Seats filled"), str(composition.seats_filled)),
        (_("Majority"), str(composition.majority)),
    ]
    parties = [
        [
            str(i),
            line.party,
            f"{line.list_votes:,}",
            percent(line.list_share * 100) if line.list_share is not None else "—",
            str(line.list_seats),
            str(line.district_seats),
            str(line.seats),
        ]
        for i, line in enumerate(composition.parties, 1)
    ]
    districts = [
        [
            str(d.number),
            d.winner.name if d.winner else f"— ({d.reason})" if d.reason else "—",
            (d.winner.party or _("self-nominated")) if d.winner else "",
            f"{d.standings[0].votes:,}" if d.winner and d.standings else "",
            f"{d.margin:,}" if d.margin is not None else "",
        ]
        for d in composition.districts
    ]
    deputies = [
        [
            str(i),
            dep.label,
            dep.party or _("self-nominated"),
            f"{_('district')} {dep.district}" if dep.district else f"{_('list No.')} {dep.list_position or '?'}",
        ]
        for i, dep in enumerate(composition.deputies, 1)
    ]
    return {
        "lang": lang.strip().replace("-", "_").split(".")[0].split("_")[0].lower(),  # translator checked it
        "title": election.name,
        "heading": _("PROTOCOL"),
        "subtitle": _("of the territorial electoral commission on the results of the election"),
        "labels": {
            "no": _("No."),
            "party": _("Party"),
            "votes": _("Votes"),
            "list_seats": _("List seats"),
            "district_seats": _("District seats"),
            "seats": _("Seats"),
            "district": _("District"),
            "elected": _("Elected"),
            "nominated_by": _("Nominated by"),
            "margin": _("Margin"),
            "deputy": _("Deputy"),
            "seat": _("Seat"),
            "party_lists": _("Party lists"),
            "districts": _("Single-member districts"),
            "deputies": _("Deputies elected"),
            "signatures": _("Signatures"),
            "name": _("(name)"),
            "date_signed": _("Date of signing"),
            "stamp": _("Stamp (seal)"),
        },
        "body": election.body.name,
        "facts": facts,
        "parties": parties,
        "districts": districts,
        "deputies": deputies,
        "signatures": [_("Chair"), _("commission|Secretary")] + [f"{_('Member')} {i}" for i in range(1, members + 1)],
    }
