"""The result as Wikipedia wikitext an editor can paste: `{{Infobox election}}` and `{{Election results}}`.

`render_wikitext` (the default, `--template election`) writes what election articles use and what the
seed's infobox is: `{{Infobox election}}` with the election (type, previous and next year, seats, majority,
turnout with its change, date), one column per party that holds seats now or held seats before (image from
the folder's `images/`, leader, leader since, last election "29 seats, 68.11%", seats, seat change, popular
vote, percentage, swing) and the secretary before and after; then the results as `{{Election results}}`:
each party's list votes, swing, list and district seats (two seat columns) and seat change, "against all"
and independents as rows, invalid ballots and registered voters. Only parameters documented for each
template are written (Template:Infobox election/doc and Template:Election results/doc; the lists and their
sources are kept in tests/golden/test_wikitext_election.py).

`render_legislative` (`--template legislative`) is the older form: `{{Infobox legislative election}}`
(Template:Infobox legislative election/doc; the list is kept in tests/golden/test_wikitext.py):
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


def render_legislative(result: Result) -> str:
    """`{{Infobox legislative election}}` followed by the results wikitable (and a note on a partial count)."""
    return _infobox(result) + "\n" + _status_note(result) + _table(result)


def render_wikitext(
    result: Result,
    template: str = "election",
    images: dict[str, str] | None = None,
    next_year: int | None = None,
) -> str:
    """The infobox and the results: `{{Infobox election}}` and `{{Election results}}` (`template="election"`),
    or `render_legislative` (`template="legislative"`). `images`: a party's short name -> the file name of its
    image (the folder's `images/`); `next_year`: the year of the next election, where it is known."""
    if template == "legislative":
        return render_legislative(result)
    return _election_infobox(result, images or {}, next_year) + "\n" + _status_note(result) + _results(result)


ELECTION_TEMPLATE = "Infobox election"
RESULTS_TEMPLATE = "Election results"
_YEAR = re.compile(r"\b(1[89]\d\d|2\d\d\d)\b")


def _template(name: str, fields: list[tuple[str, str]]) -> str:
    lines = ["{{" + name, *(f"| {key} = {value}" for key, value in fields), "}}"]
    return "\n".join(lines) + "\n"


def _election_infobox(result: Result, images: dict[str, str], next_year: int | None) -> str:
    """`{{Infobox election}}`: the seed's infobox, parameter by parameter."""
    election, composition, comparison = result.election, result.composition, result.comparison
    partial = result.status is CountStatus.PARTIAL
    fields: list[tuple[str, str]] = [("election_name", escape(election.name))]
    place = election.territory or election.country
    if place:
        fields.append(("country", escape(place)))
    fields += [("type", "parliamentary"), ("ongoing", "yes" if partial else "no")]
    if partial and (share := _stations_share(result)) is not None:
        fields.append(("reporting", str(rounded(share * 100))))
    if comparison:
        fields.append(("previous_election", link(comparison.previous.name, comparison.previous.name)))
        if found := _YEAR.search(comparison.previous.name):
            fields.append(("previous_year", found.group()))
    if next_year is not None:
        fields.append(("next_year", str(next_year)))
    body = link(election.body.name, election.body.name)
    fields += [
        ("seats_for_election", f"All {composition.seats_total} seats in the {body}"),
        ("majority_seats", str(composition.majority)),
    ]
    if (turnout := _turnout(result)) is not None:
        fields.append(("turnout", turnout))
    if election.date:
        fields.append(("election_date", _start_date(election.date)))
    rows = [row for row in party_rows(result) if row.seats or row.previous_seats]
    mixed = any(row.district_seats for row in rows) and any(row.list_seats for row in rows)
    for i, row in enumerate(rows, start=1):
        fields += _election_party(i, row, election.party(row.party), images, mixed and not partial)
    fields += _secretary(result)
    return _template(ELECTION_TEMPLATE, fields)


def _election_party(
    i: int, row: PartyRow, party: Party | None, images: dict[str, str], mixed: bool
) -> list[tuple[str, str]]:
    """One party's column: image, leader, party (linked), leader since, last election, seats, change, votes."""
    fields: list[tuple[str, str]] = []
    image = images.get(row.party)
    if image and not _NOT_IN_TITLES.search(image):
        fields.append((f"image{i}", escape(image)))
    fields.append((f"colour{i}", row.colour))
    if row.leader:
        fields.append((f"leader{i}", escape(row.leader)))
    title = party.wikipedia if party and party.wikipedia else row.full_name
    fields.append((f"party{i}", link(title, row.full_name)))
    if row.leader_since:
        fields.append((f"leader_since{i}", escape(row.leader_since)))
    if row.new:
        fields.append((f"last_election{i}", "New"))
    elif row.previous_seats is not None:
        last = f"{row.previous_seats} seat{'s' if row.previous_seats != 1 else ''}"
        if row.previous_percent is not None:
            last += f", {rounded(row.previous_percent)}%"
        fields.append((f"last_election{i}", last))
    fields.append((f"seats{i}", str(row.seats)))
    if row.new or row.seat_change is not None:
        fields.append((f"seat_change{i}", "New" if row.new else _change(row.seat_change)))
    fields.append((f"popular_vote{i}", f"{row.list_votes:,}"))
    if row.list_percent is not None:
        fields.append((f"percentage{i}", f"{rounded(row.list_percent)}%" + (" (PR)" if mixed else "")))
    if row.new or row.swing_pp is not None:
        fields.append((f"swing{i}", "New" if row.new else _change(row.swing_pp) + "pp"))
    return fields


def _results(result: Result) -> str:
    """`{{Election results}}`: parties by list votes with both seat tiers, then "against all", independents,
    invalid ballots and registered voters, so the template's totals and percentages match the count."""
    view = build_view(result)
    tally = result.election.results.list_tally
    fields: list[tuple[str, str]] = [("caption", escape(f"Results of the {view.election_name}"))]
    tiers = any(row.district_seats for row in view.parties)
    if tiers:
        fields += [("seattype1", "Party list"), ("seattype2", "Districts")]
    n = 0
    for row in view.parties:
        n += 1
        party = result.election.party(row.party)
        fields.append(
            (f"party{n}", link(party.wikipedia if party and party.wikipedia else row.full_name, row.full_name))
        )
        fields.append((f"color{n}", row.colour))
        fields.append((f"votes{n}", str(row.list_votes)))
        if row.swing_pp is not None:
            fields.append((f"sw{n}", str(rounded(row.swing_pp))))
        if tiers:
            fields += [(f"st{n}t1", str(row.list_seats)), (f"st{n}t2", str(row.district_seats))]
        fields.append((f"seats{n}", str(row.seats)))
        if view.compared:
            fields.append((f"sc{n}", "New" if row.new else str(row.seat_change if row.seat_change is not None else "")))
    if tally is not None and tally.against_all:
        n += 1
        fields += [(f"row{n}", "Against all"), (f"votes{n}", str(tally.against_all))]
    for line in view.seat_lines:
        n += 1
        fields += [(f"row{n}", SEAT_LABELS[line.kind]), (f"seats{n}", str(line.seats))]
        if tiers and line.kind is SeatLineKind.INDEPENDENTS:
            fields += [(f"st{n}t1", "0"), (f"st{n}t2", str(line.seats))]
    if tally is not None:
        fields.append(("invalid", str(tally.invalid)))
        if tally.registered:
            fields.append(("electorate", str(tally.registered)))
    if result.election.notes:
        fields.append(("source", escape(" ".join(result.election.notes))))
    return _template(RESULTS_TEMPLATE, fields)


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
