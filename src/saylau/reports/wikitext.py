"""The result as Wikipedia wikitext: an `{{Infobox legislative election}}` and a results wikitable.

The infobox uses only the parameters documented for `{{Infobox legislative election}}` on the English
Wikipedia (Template:Infobox legislative election/doc; the list is kept in tests/golden/test_wikitext.py):
per party that won seats (by list percentage, independents last) its name and article (`partyN`,
`partyN_link`), leader, colour, list percentage, seats and seats at the last election (`last_election`; the
template works out the change itself). Parameters of the other template, `{{Infobox election}}` (`type`,
`previous_year`, `next_year`, `popular_vote1`, `seat_change1`, `swing1`, ...), are never written.

The table below it adds up: the parties' list votes, "against all", valid, invalid and total ballots, and
registered voters; changes are `{{increase}}` / `{{decrease}}` / `{{steady}}`, as election articles write them.

Every value that comes from the folder is data, never markup: `escape` turns the characters that wikitext
reads as syntax (`{ } [ ] | < > &`, doubled quotes, `~~~`, `__`, a line-opening `* # : ; = - !`, line breaks)
into HTML entities, which MediaWiki shows as the characters themselves; a link target that could not be a
page title is written as plain text instead of a link.
"""

from __future__ import annotations

import re
from datetime import date
from fractions import Fraction

from saylau.domain import CountStatus, Party
from saylau.reports.numbers import rounded
from saylau.reports.view import BallotLine, LineKind, PartyRow, SeatLineKind, build_view, party_rows
from saylau.result import Result

TEMPLATE = "Infobox legislative election"
INDEPENDENTS_ARTICLE = "Independent politician"

_ENTITIES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "{": "&#123;",
    "}": "&#125;",
    "[": "&#91;",
    "]": "&#93;",
    "|": "&#124;",
}
_RUNS = (("''", "'&#39;"), ("__", "_&#95;"), ("~~~", "~~&#126;"), ("!!", "!&#33;"), ("://", "&#58;//"))
_LINE_START = {"*": "&#42;", "#": "&#35;", ":": "&#58;", ";": "&#59;", "=": "&#61;", "-": "&#45;", "!": "&#33;"}
_NOT_IN_TITLES = re.compile(r"[#<>\[\]|{}\x00-\x1f\x7f]|~{3}|^\s*$")


def escape(text: str) -> str:
    """`text` as wikitext that shows exactly `text`: syntax characters become entities, breaks become spaces."""
    flat = " ".join(re.sub(r"[\x00-\x1f\x7f]", " ", text).split())
    out = "".join(_ENTITIES.get(c, c) for c in flat)
    for run, replacement in _RUNS:
        out = out.replace(run, replacement)
    if out and out[0] in _LINE_START:
        out = _LINE_START[out[0]] + out[1:]
    return out


def link(title: str | None, text: str) -> str:
    """`[[title|text]]`, or the escaped text alone when `title` could not be a page title."""
    if title is None or _NOT_IN_TITLES.search(title):
        return escape(text)
    target, shown = title.strip().replace("&", "&amp;"), escape(text)
    return f"[[{target}]]" if target == shown else f"[[{target}|{shown}]]"


def render_wikitext(result: Result) -> str:
    """The infobox followed by the results table (and a note when the count is partial)."""
    return _infobox(result) + "\n" + _status_note(result) + _table(result)


def _infobox(result: Result) -> str:
    election, composition, comparison = result.election, result.composition, result.comparison
    partial = result.status is CountStatus.PARTIAL
    fields: list[tuple[str, str]] = [("election_name", escape(election.name))]
    if election.country:
        fields.append(("country", escape(election.country)))
    fields.append(("ongoing", "yes" if partial else "no"))
    if partial and (share := _stations_share(result)) is not None:
        fields.append(("reporting", str(rounded(share * 100))))
    if comparison:
        fields.append(("previous_election", link(comparison.previous.name, comparison.previous.name)))
    if election.date:
        fields.append(("election_date", _start_date(election.date)))
    body = link(election.body.name, election.body.name)
    fields += [
        ("seats_for_election", f"All {composition.seats_total} seats in the {body}"),
        ("majority_seats", str(composition.majority)),
    ]
    if (turnout := _turnout(result)) is not None:
        fields.append(("turnout", turnout))
    rows = [row for row in party_rows(result) if row.seats]
    for i, row in enumerate(rows, start=1):
        fields += _party_fields(i, row, election.party(row.party))
    if composition.independents:
        n = len(rows) + 1
        fields += [(f"party{n}", "Independents"), (f"party{n}_link", INDEPENDENTS_ARTICLE)]
        fields.append((f"seats{n}", str(composition.independents)))
    fields += _secretary(result)
    lines = ["{{" + TEMPLATE]
    lines += [f"| {name} = {value}" for name, value in fields]
    lines.append("}}")
    return "\n".join(lines) + "\n"


def _party_fields(i: int, row: PartyRow, party: Party | None) -> list[tuple[str, str]]:
    fields = [(f"party{i}", escape(row.full_name))]
    title = party.wikipedia if party and party.wikipedia else row.full_name
    if not _NOT_IN_TITLES.search(title):
        fields.append((f"party{i}_link", title.strip().replace("&", "&amp;")))
    if row.leader:
        fields.append((f"leader{i}", escape(row.leader)))
    fields.append((f"colour{i}", row.colour))
    if row.list_percent is not None:
        fields.append((f"percentage{i}", str(rounded(row.list_percent))))
    fields.append((f"seats{i}", str(row.seats)))
    if row.new:
        fields.append((f"last_election{i}", "new"))
    elif row.previous_seats is not None:
        fields.append((f"last_election{i}", str(row.previous_seats)))
    return fields


def _secretary(result: Result) -> list[tuple[str, str]]:
    election = result.election
    if not (election.secretary_before or election.secretary_after):
        return []
    return [
        ("title", "Secretary"),
        ("before_election", escape(election.secretary_before or "")),
        ("before_party", _party_link(result, election.secretary_before_party)),
        ("after_election", escape(election.secretary_after or "")),
        ("after_party", _party_link(result, election.secretary_after_party)),
    ]


def _start_date(day: date) -> str:
    return f"{{{{Start date|{day.year}|{day.month:02d}|{day.day:02d}|df=y}}}}"


def _turnout(result: Result) -> str | None:
    """Turnout as counted (on a partial count: of the stations in) with its change since the last election."""
    view = build_view(result)
    if view.turnout is None:
        return None
    shown = f"{rounded(view.turnout)}%"
    return shown if view.turnout_change_pp is None else f"{shown} ({_change(view.turnout_change_pp)}pp)"


def _stations_share(result: Result) -> Fraction | None:
    """Share of polling-station protocols in, over both ballots (the infobox's `reporting`, in percent)."""
    expected = sum(p.stations_expected for p in result.progress.values())
    reported = sum(p.stations_reported for p in result.progress.values())
    return Fraction(reported, expected) if expected else None


def _status_note(result: Result) -> str:
    if result.status is not CountStatus.PARTIAL:
        return ""
    parts = [
        f"{p.stations_reported:,} of {p.stations_expected:,} polling stations ({b} ballot)"
        for b, p in sorted(result.progress.items(), key=lambda item: item[0] != "list")
    ]
    return "'''Partial count''': " + "; ".join(parts) + ". The figures below will change.\n\n"


def _change(value: int | Fraction | None) -> str:
    """A change as election articles print it: {{increase}} 4, {{decrease}} 16.17, {{steady}} 0."""
    if value is None:
        return "New"
    shown = str(abs(value)) if isinstance(value, int) else str(abs(rounded(value)))
    if value > 0:
        return "{{increase}} " + shown
    if value < 0:
        return "{{decrease}} " + shown
    return "{{steady}} " + shown


SEAT_LABELS = {
    SeatLineKind.INDEPENDENTS: "Independents",
    SeatLineKind.VACANT: "Vacant",
    SeatLineKind.NOT_REPORTED: "Not yet reported",
    SeatLineKind.UNDECIDED: "List seats awaiting a decision",
}
BALLOT_LABELS = {
    LineKind.AGAINST_ALL: "Against all",
    LineKind.BLANK: "Blank votes",
    LineKind.SHARE_BASE: "Total",
    LineKind.INVALID: "Invalid ballots",
    LineKind.CAST: "Total ballots",
    LineKind.REGISTERED: "Registered voters/turnout",
}


def _table(result: Result) -> str:
    """The parties, the seats no party holds, then the view's ballot lines, so the % column adds up."""
    view = build_view(result)
    header = ["Party", "List votes", "%", "List seats", "District seats", "Total seats"]
    if view.compared:
        header.append("+/–")
    lines = ['{| class="wikitable" style="text-align:right"', "! " + " !! ".join(header)]
    for row in view.parties:
        party = result.election.party(row.party)
        name = link(party.wikipedia if party and party.wikipedia else row.full_name, row.full_name)
        cells = [
            f'style="text-align:left" | {name}',
            f"{row.list_votes:,}",
            "" if row.list_percent is None else str(rounded(row.list_percent)),
            str(row.list_seats),
            str(row.district_seats),
            str(row.seats),
        ]
        if view.compared:
            cells.append(_change(row.seat_change))
        lines += ["|-", "| " + " || ".join(cells)]
    for seat_line in view.seat_lines:
        seats = str(seat_line.seats)
        lines += _row(SEAT_LABELS[seat_line.kind], ["", "", "", seats, seats], view.compared)
    for ballot_line in view.ballot_lines:
        lines += _ballot_row(result, ballot_line, view.compared)
    if not view.ballot_lines:  # published seats without a list tally: the seat totals alone
        lines += _row("Total", ["", "", *_seat_totals(result)], view.compared, header=True)
    lines.append("|}")
    return "\n".join(lines) + "\n"


def _ballot_row(result: Result, line: BallotLine, compared: bool) -> list[str]:
    """One ballot line; the share base is the bold total row that also carries the seat totals."""
    tally = result.election.results.list_tally
    share = "" if line.percent is None else str(rounded(line.percent))
    if tally is not None and line.percent is None:  # as election articles print them: of ballots cast, turnout
        whole = {LineKind.INVALID: tally.took_part, LineKind.CAST: tally.took_part}.get(line.kind, 0)
        share = _share(tally.took_part, line.count) if line.kind is LineKind.REGISTERED else _share(line.count, whole)
    if line.kind is LineKind.SHARE_BASE:
        return _row("Total", [f"{line.count:,}", share, *_seat_totals(result)], compared, header=True)
    return _row(BALLOT_LABELS[line.kind], [f"{line.count:,}", share], compared)


def _seat_totals(result: Result) -> list[str]:
    composition = result.composition
    list_seats = sum(p.list_seats for p in composition.parties)
    return [str(list_seats), str(composition.seats_total - list_seats), str(composition.seats_total)]


def _row(label: str, cells: list[str], compared: bool, header: bool = False) -> list[str]:
    """One table row: a left-aligned label, the cells, blanks to the table's width."""
    width = 6 if compared else 5
    values = [f'style="text-align:left" | {label}', *cells, *[""] * (width - len(cells))]
    return ["|-", "! " + " !! ".join(values) if header else "| " + " || ".join(values)]


def _share(part: int, whole: int) -> str:
    return "" if not whole else str(rounded(Fraction(part, whole) * 100))


def _party_link(result: Result, short_name: str | None) -> str:
    if short_name is None:
        return ""
    party = result.election.party(short_name)
    if party is None:
        return escape(short_name)
    return link(party.wikipedia or party.full_name, party.full_name)
