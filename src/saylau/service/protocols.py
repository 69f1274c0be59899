"""Use cases of double data entry: enter, resolve, accept warnings, reopen, and what each role may see.

Each function takes the unit of work's connection and the acting user, checks role and commission
(`permissions.require`), checks the certified result is not frozen, moves the protocol through the state
machine (`states.apply`) and appends the change, with the figures before and after, to the audit log.
Entries are checked with the same catalogue as the offline tools (`saylau.tabulation.check`).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import attrgetter
from typing import Any, NoReturn

from sqlalchemy import Connection

from saylau.domain.day import CommissionLevel
from saylau.errors import Count
from saylau.reports.checks import clerk, title
from saylau.service import audit, districts, tallies
from saylau.service.definition import (
    DEFAULT_CONTEST,
    Definition,
    contest_of,
    current,
    kinds,
    writable,
    writable_all,
)
from saylau.service.errors import BlockingErrors, Conflict, Invalid, LineError, NotFound, ServiceError, Term
from saylau.service.permissions import Actor, Permission, can, require
from saylau.service.states import Action, Entry, EntryState, Record, TransitionRefused, allowed, apply
from saylau.store import commissions, drafts
from saylau.store import protocols as store
from saylau.store.protocols import entry_json as _entry_json
from saylau.tabulation import BALLOT_KINDS, FIGURES, BallotKind, Protocol
from saylau.tabulation.checks import Ballots, Finding, ballots_of, findings_of
from saylau.tabulation.protocol import make_protocol

MAX_FIGURE = 10**9
"""No line of a station's protocol comes near this; larger numbers are typing mistakes."""


@dataclass(frozen=True, slots=True)
class Form:
    """What the paper form of one station and ballot asks for, in the paper's order, and what to expect."""

    station: int
    district: int
    ballot: BallotKind
    contest: str
    lines: tuple[str, ...]
    options: tuple[str, ...]
    registered: int
    """The station register's figure (shown to a coordinator, never to the operators who type the paper)."""
    names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Each option's name in other languages, where the folder gives one (a party's `name_kk`, `name_ru`)."""


def ballots(definition: Definition) -> tuple[BallotKind, ...]:
    """The ballots this election has: the list ballot (a list tier and parties), the district ballot (a
    district tier and districts)."""
    return tuple("list" if kind == "list" else "district" for kind in kinds(definition))


def form(connection: Connection, actor: Actor | None, station: int, ballot: str, contest: str | None = None) -> Form:
    """The form of one protocol, for an operator of its district (or anyone who may read entries)."""
    contest = contest_of(connection, contest)
    definition = current(connection, contest)
    found = _station(definition, station, ballot)
    if not _may(actor, Permission.ENTER, found.district, station):
        require(actor, Permission.READ_ENTRIES, found.district, station=station)
    options = _options(definition, found.district, ballot)
    names = {p.short_name: p.names for p in definition.election.parties if ballot == "list" and p.names}
    return Form(station, found.district, _kind(ballot), contest, FIGURES, options, found.registered, names)


def open_entry(
    connection: Connection, actor: Actor | None, station: int, ballot: str, contest: str | None = None
) -> Form:
    """The form an operator is about to type, refused before any typing when the entry would be refused:
    not this operator's commission, a certified result, a protocol this operator has entered already, or one
    that waits for nobody's entry (issue 23)."""
    contest = contest_of(connection, contest)
    definition = writable(connection, contest)
    found = _station(definition, station, ballot)
    require(actor, Permission.ENTER, found.district, station=station)
    assert actor is not None
    record = _load(connection, (station, contest, ballot))
    if record.first is not None and record.first.by == actor.name and record.state is EntryState.FIRST_ENTRY:
        raise Conflict(
            "station {station}: you have entered this protocol already; the second entry must be typed by "
            "another operator",
            "station",
            code="entered-by-you",
            values={"station": station},
        )
    if Action.ENTER not in allowed(record.state):
        raise Conflict(
            "station {station}: this protocol waits for no entry now",
            "station",
            code="no-entry-expected",
            values={"station": station},
        )
    return form(connection, actor, station, ballot, contest)


@dataclass(frozen=True, slots=True)
class Typing:
    """One operator's entry of one protocol as submitted: who typed it, which protocol, the figures."""

    actor: Actor
    station: int
    ballot: str
    figures: Mapping[str, Any]
    contest: str | None = None
    """The contest of the ballot; None: the day's only contest."""
    key: str | None = None
    """The form's idempotency key: the same key sent again is answered with the saved state (issue 23)."""


def enter(
    connection: Connection,
    actor: Actor,
    station: int,
    ballot: str,
    figures: Mapping[str, Any],
    contest: str | None = None,
    key: str | None = None,
) -> EntryState:
    """Store one operator's entry; BlockingErrors (the clerk's wording, by line) when a check P00x fails."""
    (outcome,) = enter_all(connection, [Typing(actor, station, ballot, figures, contest, key)])
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


def enter_all(connection: Connection, typings: Sequence[Typing | Exception]) -> list[EntryState | Exception]:
    """Store entries in order, in the caller's transaction, as if each were entered alone after the one before.

    One outcome per typing: the protocol's new state, or the refusal of that typing alone (nothing of it
    stored); an exception given in place of a typing (its session was refused) is its own outcome. The
    protocols are locked in one query, in key order, and the audit rows appended with one lock of the
    chain's head, so a group of entries costs a handful of statements instead of a handful each.

    Idempotent (issue 23): a typing whose form key was finalised already by the same operator for the same
    protocol, or whose figures equal an entry this operator already holds in the protocol, changes nothing
    and is answered with the protocol's saved state. A stored entry deletes its operator's draft.
    """
    found = writable_all(connection, {t.contest for t in typings if isinstance(t, Typing)})
    contests = {asked: f[0] for asked, f in found.items() if not isinstance(f, ServiceError)}
    definitions = {asked: f if isinstance(f, ServiceError) else f[1] for asked, f in found.items()}
    outcomes: list[EntryState | Exception] = []
    entries: list[Entry | None] = []
    district_ballots: dict[int, tuple[str, int]] = {}  # typing -> (contest, district) of a district ballot
    for k, typing in enumerate(typings):
        try:
            if isinstance(typing, Exception):
                raise typing
            definition = definitions[typing.contest]
            if isinstance(definition, ServiceError):
                raise copy.copy(definition)  # one exception object per request
            checked = _checked(definition, typing)
            if typing.ballot == "district":
                district_ballots[k] = (contests[typing.contest], definition.station_by_number[typing.station].district)
            entries.append(checked)
            outcomes.append(EntryState.EMPTY)  # replaced below
        except (ServiceError, TransitionRefused) as refused:
            entries.append(None)
            outcomes.append(refused)
    frozen = districts.frozen_among(connection, set(district_ballots.values())) if district_ballots else frozenset()
    for k, (contest, district) in district_ballots.items():
        if (contest, district) in frozen:  # its district commission certified it: refused, nothing stored
            entries[k] = None
            outcomes[k] = districts.refuse_frozen(contest, district)
    keys = {
        (t.station, contests[t.contest], t.ballot)
        for t, e in zip(typings, entries, strict=True)
        if isinstance(t, Typing) and e
    }
    records = store.lock_all(connection, keys)
    originals = dict(records)
    changed: dict[store.Key, Record] = {}
    changes: list[audit.Change] = []
    texts = store.EntryTexts()  # each entry's text made once, for its row and the audit's before and after
    receipts: dict[str, tuple[str, store.Key]] = {}
    finished: list[tuple[str, store.Key]] = []
    for k, (typing, entry) in enumerate(zip(typings, entries, strict=True)):
        if entry is None:
            continue
        assert isinstance(typing, Typing)
        key = (typing.station, contests[typing.contest], typing.ballot)
        try:
            before = records.get(key) or _missing(key)
            if _replayed(connection, typing, key, entry, before, receipts):
                outcomes[k] = before.state
                continue
            after = apply(before, Action.ENTER, entry=entry, by=typing.actor.name)
        except (ServiceError, TransitionRefused) as refused:
            outcomes[k] = refused
            continue
        records[key] = changed[key] = after
        if typing.key:
            receipts[typing.key] = (typing.actor.name, key)
        finished.append((typing.actor.name, key))
        subject = _subject(key)
        was, now = _record_text(before, texts), _record_text(after, texts)
        changes.append(audit.Change(typing.actor, Action.ENTER.value, subject, was, now))
        outcomes[k] = after.state
    version = audit.append_all(connection, changes)
    by_contest = {contests[c]: d for c, d in definitions.items() if isinstance(d, Definition) and c in contests}
    moved = [
        tallies.Moved(key, by_contest[key[1]].station_by_number[key[0]].district, originals[key], after)
        for key, after in changed.items()
    ]
    store.save_all(connection, changed, tallies.stamped(moved), version or 0, texts)  # each row once, stamp too
    drafts.keep_receipts(connection, receipts, _now())
    drafts.remove_all(connection, finished)
    tallies.record(connection, moved, by_contest, version, stamp=False)
    return outcomes


def _replayed(
    connection: Connection,
    typing: Typing,
    key: store.Key,
    entry: Entry,
    record: Record,
    receipts: Mapping[str, tuple[str, store.Key]],
) -> bool:
    """Whether the typing repeats what its operator already finalised: its form key (a double click, a resent
    page), or an entry of the protocol by the same operator with the same figures (an API call sent twice)."""
    mine = (typing.actor.name, key)
    if typing.key and (receipts.get(typing.key) == mine or drafts.receipt(connection, typing.key) == mine):
        return True
    held = (record.first, record.second, record.definitive)
    return any(e is not None and e.by == typing.actor.name and e.figures == entry.figures for e in held)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


DRAFT_TEXT = 32
"""The longest text a draft keeps for one field (`1 234 567` fits many times over)."""


def save_draft(
    connection: Connection,
    actor: Actor | None,
    station: int,
    ballot: str,
    typed: Mapping[str, str],
    contest: str | None = None,
) -> None:
    """Keep what an operator has typed so far into a protocol's form (issue 23): only the form's own fields
    (its lines, `vote:<option>`), as typed; never an entry. Only an operator of the station's commission, and
    not once they hold an entry of the protocol."""
    contest = contest_of(connection, contest)
    found = _draft_form(connection, actor, station, ballot, contest)
    assert actor is not None
    record = _load(connection, (station, contest, ballot))
    if any(e is not None and e.by == actor.name for e in (record.first, record.second)):
        raise Conflict(  # a save that arrives after its form was finalised keeps no draft behind
            "station {station}: you have entered this protocol already",
            "station",
            code="entered-by-you",
            values={"station": station},
        )
    fields = set(found.lines) | {f"vote:{o}" for o in found.options}
    kept: dict[str, str] = {}
    for name, text in typed.items():
        if name not in fields:
            raise Invalid("{field}: not a field of this form", name, values={"field": name})
        if len(text) > DRAFT_TEXT:
            raise Invalid("{field}: at most {limit} characters", name, values={"field": name, "limit": DRAFT_TEXT})
        kept[name] = text
    drafts.save(connection, actor.name, (station, contest, ballot), kept, _now())


def read_draft(
    connection: Connection, actor: Actor | None, station: int, ballot: str, contest: str | None = None
) -> dict[str, str]:
    """What the acting operator has typed so far into a protocol's form ({} if nothing): their own draft only."""
    contest = contest_of(connection, contest)
    _draft_form(connection, actor, station, ballot, contest, write=False)
    assert actor is not None
    found = drafts.find(connection, actor.name, (station, contest, ballot))
    return dict(found.typed) if found else {}


def discard_draft(
    connection: Connection, actor: Actor | None, station: int, ballot: str, contest: str | None = None
) -> None:
    """Delete the acting operator's draft of a protocol (their own only)."""
    contest = contest_of(connection, contest)
    _draft_form(connection, actor, station, ballot, contest)
    assert actor is not None
    drafts.remove(connection, actor.name, (station, contest, ballot))


def _draft_form(
    connection: Connection, actor: Actor | None, station: int, ballot: str, contest: str, *, write: bool = True
) -> Form:
    """The form a draft belongs to, for an operator of its commission; a write refused once certified."""
    definition = writable(connection, contest) if write else current(connection, contest)
    found = _station(definition, station, ballot)
    require(actor, Permission.ENTER, found.district, station=station)
    return form(connection, actor, station, ballot, contest)


def _checked(definition: Definition, typing: Typing) -> Entry:
    """The typing as an entry with its warnings, after role, commission and the blocking checks."""
    found = _station(definition, typing.station, typing.ballot)
    require(typing.actor, Permission.ENTER, found.district, station=typing.station)
    protocol = _protocol(definition, typing.station, found.district, _kind(typing.ballot), typing.figures)
    findings = findings_of(protocol, _ballots(definition), definition.station_by_number)
    errors = [LineError(f.code, f.field, clerk(f.code), f.fields, f) for f in findings if f.severity == "error"]
    if errors:
        raise BlockingErrors(errors)
    return Entry(_figures_of(protocol), typing.actor.name, tuple(sorted({f.code for f in findings})))


def _ballots(definition: Definition) -> Ballots:
    """The options of every ballot, built once per definition (checking an entry then costs its own size)."""
    found = _ballots_by_hash.get(definition.sha256)
    if found is None:
        found = _ballots_by_hash[definition.sha256] = ballots_of(definition.election)
    return found


_ballots_by_hash: dict[str, Ballots] = {}


def resolve(
    connection: Connection,
    actor: Actor,
    station: int,
    ballot: str,
    action: Action,
    contest: str | None = None,
    reason: str = "",
) -> EntryState:
    """The coordinator's one step on two different entries: keep one, or discard one or both. Discarding
    throws typed work away, so it needs the coordinator's written reason, which the audit log keeps."""
    if action not in (Action.KEEP_FIRST, Action.KEEP_SECOND, *_DISCARDS):
        raise Invalid(
            "{action} is not a way to resolve a difference", "action", values={"action": Term(action.value, "action")}
        )
    contest = contest_of(connection, contest)
    definition = writable(connection, contest)
    district = _station(definition, station, ballot).district
    require(actor, Permission.RESOLVE, district, station=station)
    why = _reason(reason) if action in _DISCARDS else (reason.strip() or None)
    return _move(connection, actor, (station, contest, ballot), district, action, reason=why)


_DISCARDS = (Action.DISCARD_FIRST, Action.DISCARD_SECOND, Action.DISCARD_BOTH)


def accept_warnings(
    connection: Connection, actor: Actor, station: int, ballot: str, reason: str, contest: str | None = None
) -> EntryState:
    """Accept the figures the checks warn about, with the coordinator's written reason."""
    contest = contest_of(connection, contest)
    definition = writable(connection, contest)
    district = _station(definition, station, ballot).district
    require(actor, Permission.ACCEPT_WARNINGS, district, station=station)
    return _move(
        connection, actor, (station, contest, ballot), district, Action.ACCEPT_WARNINGS, reason=_reason(reason)
    )


def reopen(
    connection: Connection, actor: Actor, station: int, ballot: str, reason: str, contest: str | None = None
) -> EntryState:
    """Send a protocol back to empty (a mistake found after acceptance); the audit keeps what it replaces."""
    contest = contest_of(connection, contest)
    definition = writable(connection, contest)
    district = _station(definition, station, ballot).district
    require(actor, Permission.REOPEN, district, station=station)
    return _move(connection, actor, (station, contest, ballot), district, Action.REOPEN, reason=_reason(reason))


def view(
    connection: Connection, actor: Actor | None, station: int, ballot: str, contest: str | None = None
) -> dict[str, Any]:
    """A protocol as `actor` may see it: operators see its state only (never another operator's figures)."""
    contest = contest_of(connection, contest)
    definition = current(connection, contest)
    found = _station(definition, station, ballot)
    key = (station, contest, ballot)
    if not _may(actor, Permission.READ_ENTRIES, found.district, station):
        require(actor, Permission.READ_STATES, found.district, station=station)
        record = _load(connection, key)
        assert actor is not None
        return _summary(key, found.district, record, actor)
    record = _load(connection, key)
    out = _summary(key, found.district, record, actor)
    out["first"] = _entry_json(record.first)
    out["second"] = _entry_json(record.second)
    out["definitive"] = _entry_json(record.definitive)
    out["differences"] = differences(record)
    return out


def findings(
    connection: Connection, actor: Actor | None, station: int, ballot: str, contest: str | None = None
) -> list[Finding]:
    """The checks' findings, with their figures, on the entry a coordinator decides on (the definitive one,
    else the first): what the coordinator's page says of each (`saylau.reports.checks.for_clerk`)."""
    contest = contest_of(connection, contest)
    definition = current(connection, contest)
    found = _station(definition, station, ballot)
    require(actor, Permission.READ_ENTRIES, found.district, station=station)
    record = _load(connection, (station, contest, ballot))
    entry = record.definitive or record.first
    if entry is None:
        return []
    protocol = _protocol(definition, station, found.district, _kind(ballot), entry.figures)
    return findings_of(protocol, _ballots(definition), definition.station_by_number)


def typed_findings(
    connection: Connection,
    actor: Actor | None,
    station: int,
    ballot: str,
    figures: Mapping[str, Any],
    contest: str | None = None,
) -> list[Finding]:
    """What the checks find in figures an operator has typed but not finalised (issue 23: the clerk sees the
    warnings at their lines before pressing finalise): the same findings an entry of them would get, with
    their figures; nothing is stored. Only an operator of the station's commission, as for entering. The
    warnings (W001-W004) compare the typed lines with one another (the typed registered voters, not the
    register's), so the form shows no register figure an operator could copy."""
    contest = contest_of(connection, contest)
    definition = current(connection, contest)
    found = _station(definition, station, ballot)
    require(actor, Permission.ENTER, found.district, station=station)
    protocol = _protocol(definition, station, found.district, _kind(ballot), figures)
    return findings_of(protocol, _ballots(definition), definition.station_by_number)


def listing(
    connection: Connection,
    actor: Actor | None,
    *,
    state: str | None = None,
    district: int | None = None,
    contest: str | None = None,
    station: int | None = None,
) -> list[dict[str, Any]]:
    """The protocols `actor` may see (their districts'), with their states; filtered by state or district, by
    contest (None: every contest of the day) and by station (a station's clerk's ballots, every contest)."""
    require(actor, Permission.READ_STATES, district)
    assert actor is not None
    districts = {district} if district is not None else None if actor.city_wide else actor.districts
    found = store.listing(
        connection,
        contest,
        state=None if state is None else EntryState(state),
        districts=districts,
        stations=None if station is None else {station},
    )
    found = [p for p in found if actor.covers_station(p.station)]
    return [_summary((p.station, p.contest, p.ballot), p.district, p.record, actor) for p in found]


@dataclass(frozen=True, slots=True)
class Page:
    """One page of the staff list: its protocols (as `listing` gives them), how many match in all, where the page
    starts and how many a page holds."""

    protocols: list[dict[str, Any]]
    total: int
    offset: int
    size: int


@dataclass(frozen=True, slots=True)
class Filters:
    """What the staff list is narrowed to: a state, a district, a contest (None: every contest of the day), a
    station, a commission of the tree (each None: any)."""

    state: str | None = None
    district: int | None = None
    contest: str | None = None
    station: int | None = None
    commission: str | None = None


def page(connection: Connection, actor: Actor | None, filters: Filters, offset: int = 0, size: int = 50) -> Page:
    """A page of the protocols `actor` may see, filtered as `listing` is and by a commission of the tree below
    the actor's; counted and sliced by the database, so a day of thousands of stations pages as fast as ten."""
    state, district, contest = filters.state, filters.district, filters.contest
    station, commission = filters.station, filters.commission
    require(actor, Permission.READ_STATES, district)
    assert actor is not None
    districts = {district} if district is not None else None if actor.city_wide else actor.districts
    stations: frozenset[int] | None = None if actor.commission is None else actor.commission.stations
    if commission is not None:
        chosen = next((c for c in commissions.tree(connection) if c.id == commission), None)
        if chosen is None:
            raise NotFound("no commission {commission}", "commission", values={"commission": commission})
        stations = chosen.stations if stations is None else stations & chosen.stations
    if station is not None:
        stations = frozenset({station}) if stations is None else stations & {station}
    wanted = None if state is None else EntryState(state)
    total = store.count(connection, contest, state=wanted, districts=districts, stations=stations)
    offset = max(0, min(offset, max(0, total - 1) // size * size))
    found = store.listing(
        connection, contest, state=wanted, districts=districts, stations=stations, offset=offset, limit=size
    )
    rows = [_summary((p.station, p.contest, p.ballot), p.district, p.record, actor) for p in found]
    return Page(rows, total, offset, size)


def commission_choices(connection: Connection, actor: Actor | None) -> list[commissions.StoredCommission]:
    """The commissions the staff list can be filtered by: those above the polling stations whose area lies in
    the actor's (a station's own commission is found by its number)."""
    require(actor, Permission.READ_STATES)
    assert actor is not None
    mine = actor.commission
    return [
        c
        for c in commissions.tree(connection)
        if c.level != CommissionLevel.PRECINCT.value and (mine is None or c.stations <= mine.stations)
    ]


def station(connection: Connection, actor: Actor | None, number: int) -> list[dict[str, Any]]:
    """A polling station as its clerk opens it, once for the whole night: every protocol it enters, contest by
    contest in the day's order, ballot by ballot, with their states; only those of the actor's commission."""
    require(actor, Permission.READ_STATES)
    assert actor is not None
    found = store.listing(connection, stations={number})
    if not found:
        raise NotFound("station {station} is not in the station register", "station", values={"station": number})
    mine = [p for p in found if actor.covers(p.district) and actor.covers_station(p.station)]  # paper order
    if not mine:
        require(actor, Permission.READ_STATES, found[0].district, station=number)  # Forbidden: not its commission
    return [_summary((p.station, p.contest, p.ballot), p.district, p.record, actor) for p in mine]


def differences(record: Record) -> list[str]:
    """The lines where the two entries differ (`votes:<option>` for an option)."""
    if record.first is None or record.second is None:
        return []
    a, b = record.first.figures, record.second.figures
    lines = [name for name in FIGURES if a.get(name) != b.get(name)]
    votes_a, votes_b = a.get("votes", {}), b.get("votes", {})
    assert isinstance(votes_a, dict) and isinstance(votes_b, dict)
    return lines + [f"votes:{o}" for o in sorted(set(votes_a) | set(votes_b)) if votes_a.get(o) != votes_b.get(o)]


def accepted(connection: Connection, contest: str | None = None) -> list[Protocol]:
    """Every accepted protocol of a contest, as the core counts them."""
    contest = contest_of(connection, contest)
    definition = current(connection, contest)
    return [
        _protocol(definition, p.station, p.district, _kind(p.ballot), p.figures)
        for p in store.accepted(connection, contest)
    ]


def _move(
    connection: Connection,
    actor: Actor,
    key: store.Key,
    district: int,
    action: Action,
    *,
    entry: Entry | None = None,
    reason: str | None = None,
) -> EntryState:
    if key[2] == "district" and district in districts.frozen(connection, key[1]):
        raise districts.refuse_frozen(key[1], district)
    before = _load(connection, key, lock=True)
    after = apply(before, action, entry=entry, by=actor.name)
    store.save_all(connection, {key: after})
    audit.append(
        connection,
        actor,
        action.value,
        _subject(key),
        before=_record_json(before),
        after=_record_json(after),
        reason=reason,
    )
    tallies.record(connection, [tallies.Moved(key, district, before, after)])
    return after.state


def _load(connection: Connection, key: store.Key, *, lock: bool = False) -> Record:
    found = store.find(connection, key, lock=lock)
    if found is None:
        _missing(key)
    return found


def _missing(key: store.Key) -> NoReturn:
    station, contest, ballot = key
    if contest == DEFAULT_CONTEST:
        values: dict[str, object] = {"station": station, "ballot": Term(ballot, "ballot")}
        raise NotFound("station {station} has no protocol of the {ballot}", "station", values=values)
    values = {"station": station, "ballot": Term(ballot, "ballot"), "contest": contest}
    raise NotFound("station {station} has no protocol of the {ballot} of {contest}", "station", values=values)


def _subject(key: store.Key) -> str:
    """The audit log's name of a protocol: `station 101 list` (`station 101 majilis list` on a day of several)."""
    station, contest, ballot = key
    return f"station {station} {ballot}" if contest == DEFAULT_CONTEST else f"station {station} {contest} {ballot}"


def _record_text(record: Record, texts: store.EntryTexts) -> audit.Canonical:
    """`_record_json`'s canonical text, put together from the entries' texts (`store.record_text`)."""
    return audit.Canonical(store.record_text(record, texts))


def _record_json(record: Record) -> dict[str, Any]:
    return {
        "state": record.state.value,
        "first": _entry_json(record.first),
        "second": _entry_json(record.second),
        "definitive": _entry_json(record.definitive),
    }


def _summary(key: store.Key, district: int, record: Record, actor: Actor | None) -> dict[str, Any]:
    station, contest, ballot = key
    mine = actor is not None and record.first is not None and record.first.by == actor.name
    warnings = list(record.definitive.warnings) if record.definitive else []
    return {
        "station": station,
        "contest": contest,
        "district": district,
        "ballot": ballot,
        "state": record.state.value,
        "first_entry_is_yours": mine,
        "warnings": [{"code": c, "message": title(c)} for c in warnings],
        "actions": [a.value for a in allowed(record.state)],
    }


def _station(definition: Definition, station: int, ballot: str) -> Any:
    found = definition.station_by_number.get(station)
    if found is None:
        raise NotFound("station {station} is not in the station register", "station", values={"station": station})
    if ballot not in BALLOT_KINDS:
        raise NotFound("{ballot} is neither a list nor a district ballot", "ballot", values={"ballot": ballot[:64]})
    return found


def _kind(ballot: str) -> BallotKind:
    return "list" if ballot == "list" else "district"


def _options(definition: Definition, district: int, ballot: str) -> tuple[str, ...]:
    """The options a protocol of `ballot` in `district` must give votes for, in the paper's order: the parties
    by registration, or the district's candidates (none for a district the contest does not have). Made once
    per definition, district and ballot: each entry looked for its district among the contest's every one."""
    listed = ballot == "list"
    key = (definition.sha256, 0 if listed else district, listed)
    found = _options_by_key.get(key)
    if found is None:
        election = definition.election
        if listed:
            found = tuple(p.short_name for p in election.parties_in_registration_order)
        else:
            held = next((d for d in election.districts if d.number == district), None)
            found = tuple(c.name for c in held.candidates) if held else ()
        _options_by_key[key] = found
    return found


_options_by_key: dict[tuple[str, int, bool], tuple[str, ...]] = {}


def _protocol(
    definition: Definition, station: int, district: int, ballot: BallotKind, figures: Mapping[str, Any]
) -> Protocol:
    """The typed figures as a Protocol; a missing line or option is refused naming it."""
    values: dict[str, int] = {}
    for name in FIGURES:
        values[name] = _number(figures.get(name), name)
    votes = figures.get("votes")
    if not isinstance(votes, Mapping):
        raise Invalid("votes must be an object of option: votes", "votes")
    expected = _options(definition, district, ballot)
    for option in expected:
        if option not in votes:
            raise Invalid("the votes for {option} are missing", f"votes.{option}", values={"option": option})
    counted = {
        str(o): v if type(v) is int and -MAX_FIGURE <= v <= MAX_FIGURE else _number(v, f"votes.{o}")
        for o, v in votes.items()
    }
    return make_protocol(station, district, ballot, values, counted)


def _number(value: Any, field: str) -> int:
    if type(value) is int and -MAX_FIGURE <= value <= MAX_FIGURE:  # what nearly every line is: checked at once
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid("must be a whole number", field)
    if abs(value) > MAX_FIGURE:
        raise Invalid("must be at most {limit}", field, values={"limit": Count(MAX_FIGURE)})
    return value


def _figures_of(protocol: Protocol) -> dict[str, Any]:
    """A protocol's figures as an entry keeps them: each line of FIGURES in order (read at once), then the votes."""
    out: dict[str, Any] = dict(zip(FIGURES, _LINES_OF(protocol), strict=True))
    out["votes"] = dict(protocol.votes)
    return out


_LINES_OF = attrgetter(*FIGURES)


def _reason(text: str) -> str:
    text = text.strip()
    if not text:
        raise Invalid("write the reason", "reason")
    if len(text) > 2000:
        raise Invalid("a reason has at most 2,000 characters", "reason")
    return text


def _may(actor: Actor | None, permission: Permission, district: int, station: int) -> bool:
    return can(actor, permission, district, station=station)
