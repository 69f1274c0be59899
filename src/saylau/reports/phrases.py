"""The words every report shares: a view's typed facts said in the reader's language.

The core says *what* happened (`Decision.AGAINST_ALL_LED` with its figures, `MajorityState.LEADING`,
`CountStatus.PARTIAL`); this module says it, once, so the terminal, Markdown, HTML, PDF and chart say it
alike. Every text is a catalogue msgid with `{named}` figures (saylau/locale/*/saylau.po).
"""

from __future__ import annotations

from fractions import Fraction

from saylau.composition import Decision, Deputy, SeatKind
from saylau.composition.deputies import unrecorded
from saylau.domain import BallotProgress, CountStatus, TieTier
from saylau.errors import Phrase
from saylau.reports import counted
from saylau.reports.allocation import TIE_STAGES
from saylau.reports.i18n import N_, Words
from saylau.reports.problems import said
from saylau.reports.view import DeputyRow, DistrictRow, LineKind, LotRow, MajorityState, ResultView, SeatLineKind

STATUS = {
    CountStatus.PARTIAL: N_("Partial count: not every protocol is in"),
    CountStatus.COMPLETE: N_("Complete count"),
    CountStatus.CERTIFIED: N_("Certified result"),
}
BALLOTS = {"list": N_("list ballot"), "district": N_("district ballot")}
LINES = {
    LineKind.AGAINST_ALL: N_("Against all"),
    LineKind.BLANK: N_("Blank ballots"),
    LineKind.SHARE_BASE: N_("Total (100%)"),
    LineKind.INVALID: N_("Invalid ballots"),
    LineKind.CAST: N_("Ballots cast"),
    LineKind.REGISTERED: N_("Registered voters"),
}
SEAT_LINES = {
    SeatLineKind.INDEPENDENTS: N_("Independents"),
    SeatLineKind.VACANT: N_("Vacant (repeat election or tie)"),
    SeatLineKind.NOT_REPORTED: N_("Not yet reported"),
    SeatLineKind.UNDECIDED: N_("List seats awaiting a decision"),
}


def status(view: ResultView, w: Words) -> str:
    """ "Partial count: not every protocol is in (276 of 553 stations, 49.1% of registered voters)"."""
    text = w(STATUS[view.status])
    if view.stations is not None and view.status is CountStatus.PARTIAL:
        text += " (" + progress(view.stations, w) + ")"
    return text


def progress(p: BallotProgress, w: Words) -> str:
    """ "276 of 553 stations, 49.10% of registered voters" for one ballot."""
    covered = Fraction(p.registered_covered * 100, p.registered_expected) if p.registered_expected else None
    return w(
        "{stations}, {covered} of registered voters",
        stations=counted.of_stations(w, p.stations_reported, p.stations_expected),
        covered=w.fmt.percent(covered),
    )


def progress_lines(view: ResultView, w: Words) -> list[tuple[str, str]]:
    """One (ballot, progress) pair per ballot counted from protocols."""
    return [(w(BALLOTS.get(p.ballot, p.ballot)), progress(p, w)) for p in view.progress]


def turnout(view: ResultView, w: Words) -> str:
    """ "25.15% (-5.00 pp)", with the published figure beside it when it differs from the count."""
    text = w.fmt.percent(view.turnout)
    if view.turnout_change_pp is not None and view.status is not CountStatus.PARTIAL:
        text += " (" + w("{change} pp", change=w.fmt.signed(view.turnout_change_pp)) + ")"
    if view.status is CountStatus.PARTIAL:
        text += " " + w("(stations counted so far)")
    if view.published_turnout is not None:
        text += "; " + w("published: {percent}", percent=w.fmt.percent(view.published_turnout))
    return text


def majority(view: ResultView, w: Words) -> str:
    """The majority line; on a partial count a party is only ever "leading", with the stations in."""
    m = view.majority
    if m.state is MajorityState.HELD:
        return w(
            "Majority ({majority} of {total}): held by {party} with {seats}.",
            majority=m.majority,
            total=m.seats_total,
            party=m.party_name,
            seats=counted.seats(w, m.seats),
        )
    if m.state is MajorityState.LEADING:
        stations = view.stations
        return w(
            "Partial count: {party} leading with {seats} ({majority} needed for a majority); {stations} in.",
            party=m.party_name,
            seats=counted.of_seats(w, m.seats, m.seats_total),
            majority=m.majority,
            stations=counted.of_stations(
                w, stations.stations_reported if stations else 0, stations.stations_expected if stations else 0
            ),
        )
    return w("No party holds a majority ({seats} needed).", seats=counted.of_seats(w, m.majority, m.seats_total))


def majority_change(view: ResultView, w: Words) -> str | None:
    """ "Amanat: 29 of 39 (majority) -> 25 of 42 (majority): majority kept"; None on a partial count."""
    change = view.majority_change
    if change is None or view.previous_seats is None:
        return None

    def held(flag: bool | None) -> str:
        return "" if flag is None else " (" + (w("majority") if flag else w("no majority")) + ")"

    if change.same_party and change.held_before and change.held_now:
        verdict = N_("majority kept")
    elif change.held_now and not change.held_before:
        verdict = N_("majority won")
    elif change.held_before and not change.held_now:
        verdict = N_("majority lost")
    else:
        verdict = N_("largest party") if change.same_party else "new largest party"
    before = w(
        "{party} {seats} of {total}",
        party=view.party_name(change.party_before),
        seats=change.seats_before,
        total=view.previous_seats,
    ) + held(change.held_before)
    now = w(
        "{party} {seats} of {total}",
        party=view.party_name(change.party_now),
        seats=change.seats_now,
        total=view.seats_total,
    ) + held(change.held_now)
    return f"{before} → {now}: {w(verdict)}"


def decision(d: DistrictRow, w: Words) -> str:
    """Why a district stands as it does, in words with its figures."""
    names = ", ".join(d.tied)
    tied = next((c.votes for c in d.candidates if c.name in d.tied), 0)  # the votes each tied candidate has
    texts = {
        Decision.PLURALITY: lambda: w("plurality"),
        Decision.LOT: lambda: w.n(
            "tie at {n} vote between {names}; drawn by lot (seed {seed})",
            "tie at {n} votes between {names}; drawn by lot (seed {seed})",
            d.top_votes,
            names=names,
            seed=d.lot_seed,
        ),
        Decision.AGAINST_ALL_LED: lambda: w(
            "against all ({against}) led every candidate (best {best}): repeat election",
            against=w.fmt.integer(d.tally.against_all if d.tally else 0),
            best=w.fmt.integer(d.top_votes),
        ),
        Decision.NO_CANDIDATES: lambda: w("no candidates: repeat election"),
        Decision.TIE: lambda: w.n(
            "tie at {n} vote between {names}: the commission must decide",
            "tie at {n} votes between {names}: the commission must decide",
            d.top_votes,
            names=names,
        ),
        Decision.NOT_REPORTED: lambda: w("not yet reported"),
        Decision.RUNOFF_PENDING: lambda: w(
            "no majority in round one: run-off between {names}", names=", ".join(c.name for c in d.candidates[:2])
        ),
        Decision.RUNOFF: lambda: w("run-off"),
        Decision.MULTI_MEMBER: lambda: w("multi-member plurality"),
        Decision.TIE_LAST_SEAT: lambda: w.n(
            "tie at {n} vote for the last seat between {names}: the commission must decide",
            "tie at {n} votes for the last seat between {names}: the commission must decide",
            tied,
            names=names,
        ),
        Decision.STV: lambda: w.n(
            "single transferable vote: quota {quota}, {n} count",
            "single transferable vote: quota {quota}, {n} counts",
            d.stages,
            quota=w.fmt.decimal(d.quota, 2) if d.quota is not None else "—",
        ),
        Decision.DRAWN: lambda: w.n(
            "tie at {n} vote between {names}: decided by the drawing of lots held by the commission",
            "tie at {n} votes between {names}: decided by the drawing of lots held by the commission",
            tied,
            names=names,
        ),
    }
    return texts[d.decision]()


def lot(row: LotRow, w: Words) -> str:
    """A tie left to the commission in one sentence: where, who, for how many seats, and the drawing."""
    if row.tier is TieTier.DISTRICT:
        where = w("district {number}", number=row.district)
    else:
        head = w("Preference votes") if row.tier is TieTier.CANDIDATE else w("List seats")
        where = head + (f" ({row.constituency})" if row.constituency else "")
    tied = ", ".join(f"{n} ({w.fmt.integer(v)})" for n, v in zip(row.tied, row.votes, strict=True))
    head = w.n(
        "{where}: {tied} tied for {n} seat", "{where}: {tied} tied for {n} seats", row.seats, where=where, tied=tied
    )
    if row.value is not None:
        stage = w(TIE_STAGES.get(row.stage, row.stage))
        head += " " + w("(tie of {stage} at {value})", stage=stage, value=w.fmt.decimal(row.value, 4))
    if not row.settled:
        return head + "; " + w("drawing of lots required")
    held = w("drawing of lots held by the commission")
    if row.drawn_on:
        held += " " + w("on {when}", when=row.drawn_on)
    if row.recorded_by:
        held += " " + w("(recorded by {who})", who=row.recorded_by)
    return head + "; " + held + ": " + w("won by {names}", names=", ".join(row.winners))


def illustrative(view: ResultView, w: Words) -> str | None:
    """A warning in the reader's language when the folder's notes (data, in the folder's own words) say some
    figures or names are illustrative; None when none are."""
    if not any("illustrative" in note.lower() for note in view.notes):
        return None
    return w("Some data in this election folder are illustrative, not official: the sources below say which.")


def party_of(name: str | None, w: Words) -> str:
    """A party's name, or "self-nominated"."""
    return name if name else w("self-nominated")


def seat(d: DeputyRow, w: Words) -> str:
    """ "district 3" or "list No. 2"."""
    if d.kind is SeatKind.DISTRICT:
        return w("district {number}", number=d.district)
    listed = w("list No. {position}", position=d.list_position if d.list_position else "?")
    if d.constituency:
        listed = w("{seat}, {constituency}", seat=listed, constituency=d.constituency)
    if d.preference_votes is not None:
        listed = w.n("{seat}, {n} preference vote", "{seat}, {n} preference votes", d.preference_votes, seat=listed)
    return listed


def marked(name: str, illustrative: bool, w: Words) -> str:
    """A candidate's name, marked as a placeholder where the folder says it is illustrative."""
    return w("{name} (placeholder name)", name=name) if illustrative else name


def deputy_name(d: DeputyRow, w: Words) -> str:
    """The deputy's name (marked where it is a placeholder), or the seat described where the list's candidates
    were not recorded (the core's `Deputy.label`, its party by the name the view gives it)."""
    if not d.name:
        return said(unrecorded(d.party_name or ""), w.lang)
    return marked(d.name, d.illustrative, w)


def deputy_label(d: Deputy, w: Words, party_name: str | None = None) -> str:
    """`Deputy.label` in the reader's language: the name, or the seat described where the list's candidates were
    not recorded, the party as `party_name` gives it (its short name by default)."""
    label = d.label
    if not isinstance(label, Phrase):
        return label
    return said(label if party_name is None else unrecorded(party_name), w.lang)


def district_name(d: DistrictRow, w: Words) -> str:
    """The district's name, or "district N" where the folder gives none."""
    return d.name or w("district {number}", number=d.number)


def signed_or_new(value: int | Fraction | None, w: Words, new: bool | None) -> str:
    """A change with its sign, "New" for a party that did not stand, blank when unknown."""
    if value is None:
        return w("New") if new else ""
    return w.fmt.signed(value)


def district_cells(d: DistrictRow, w: Words) -> list[str]:
    """One district's line: number, winner, party, votes, margin, decision."""
    return [
        str(d.number),
        marked(d.winner, d.winner_illustrative, w) if d.winner else "—",
        party_of(d.party_name, w) if d.winner else "",
        w.fmt.integer(d.votes) if d.votes is not None else "",
        w.fmt.integer(d.margin) if d.margin is not None else "",
        decision(d, w),
    ]


def infobox(view: ResultView, w: Words) -> list[tuple[str, str]]:
    """The headline figures as (label, value) rows: status, body, progress, date, seats, turnout, comparison."""
    rows = [(w("Status"), status(view, w)), (w("Body"), view.body_name)]
    rows += progress_lines(view, w)
    if view.date:
        rows.append((w("Date"), w.fmt.date(view.date)))
    rows += [(w("Seats"), str(view.seats_total)), (w("Majority"), str(view.majority.majority))]
    if view.turnout is not None:
        rows.append((w("Turnout"), turnout(view, w)))
    if view.previous_name:
        rows.append((w("Previous election"), view.previous_name))
    change = majority_change(view, w)
    if change:
        rows.append((w("Largest party"), change))
    for label, person in ((w("Secretary before"), view.secretary_before), (w("Secretary after"), view.secretary_after)):
        if person:
            rows.append((label, person[0] + (f" ({person[1]})" if person[1] else "")))
    return rows


def party_table(view: ResultView, w: Words) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """The party table's header and rows, each row with its kind (`party`, `line`, `seats`, `total`)."""
    header = [w("Party"), w("List votes"), "%", w("List seats"), w("District seats"), w("Seats")]
    if view.compared:
        header += [w("Seat change"), w("Swing, pp")]
    pad = [""] * (2 if view.compared else 0)
    rows: list[tuple[str, list[str]]] = []
    for row in view.parties:
        cells = [
            row.name,
            w.fmt.integer(row.list_votes),
            w.fmt.percent(row.list_percent),
            str(row.list_seats),
            str(row.district_seats),
            str(row.seats),
        ]
        if view.compared:
            cells += [signed_or_new(row.seat_change, w, row.new), signed_or_new(row.swing_pp, w, row.new)]
        rows.append(("party", cells))
    for line in view.ballot_lines:
        percent = w.fmt.percent(line.percent) if line.percent is not None else ""
        rows.append(("line", [w(LINES[line.kind]), w.fmt.integer(line.count), percent, "", "", "", *pad]))
    for seats in view.seat_lines:
        rows.append(("seats", [w(SEAT_LINES[seats.kind]), "", "", "", "", str(seats.seats), *pad]))
    rows.append(("total", [w("Total seats"), "", "", "", "", str(view.seats_total), *pad]))
    return header, rows
