"""Running tallies: each accepted, reopened or imported protocol moves its contest's totals as it happens.

Why: counting by re-reading every accepted protocol made every rebuild of the public snapshot cost the whole
count (4.4 s at 100,000 stations), and the night O(n^2). Here a protocol's change of state updates, in the
same transaction, its district's lines, the lines of every commission whose area holds its station and that
takes part in its contest (`parts`: a Mäjilis district commission keeps no mäslihat's figures), and the
stamp on the protocol's own row, the change's audit version (`saylau.store.tallies`); a count reads the
districts' lines (`tabulation`), and a snapshot reads only the stations' protocols that changed since the
snapshot before it (`counted`).

`record` is called by every use case that changes a protocol's record (entering, resolving, accepting
warnings, reopening, a summary accepted or replaced from the commission below), after the change's audit
row is appended: the protocol's row is stamped with that audit version, which no snapshot can have seen
before the transaction commits (the audit head is locked until then); and the count of the district's
protocols in each state moves with the protocol's state (`store.tallies.states_by_district`: the
commission's entry progress).

The checks ran when each protocol was accepted (`saylau.service.protocols`), so the tallies count every
accepted protocol; tests/service/test_tallies.py proves, after each step of random sequences of entering,
resolving, reopening and re-entering on SQLite and PostgreSQL, that they equal a recount from scratch
(`saylau.tabulation.tabulate` over the accepted protocols), and that a rolled-back transaction changes
neither.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import Connection

from saylau.domain import BallotAccounting, Tally
from saylau.service.definition import Definition, contest_ids, current
from saylau.service.states import EntryState, Record
from saylau.store import audit as audit_store
from saylau.store import commissions as commissions_store
from saylau.store import tallies as store
from saylau.store.commissions import StoredCommission
from saylau.store.tallies import REGISTER, VOTE, TallyLine
from saylau.tabulation import FIGURES, BallotKind, Progress, Protocol, Tabulation
from saylau.tabulation.protocol import LazyProtocols, make_protocol


@dataclass(frozen=True, slots=True)
class Moved:
    """A protocol whose record changed in this transaction: (station, contest, ballot), its district in the
    contest, and its record before and after."""

    key: tuple[int, str, str]
    district: int
    before: Record
    after: Record


def record(
    connection: Connection,
    moved: Iterable[Moved],
    definitions: Mapping[str, Definition] | None = None,
    version: int | None = None,
    *,
    stamp: bool = True,
) -> None:
    """Move the running tallies by the protocols that entered or left the accepted state (or were accepted
    again with other figures); call it after the change's audit row is appended, in the same transaction.
    `version`: the audit version that append left (`audit.append_all` returns it), else read here. `stamp`
    off: the caller wrote the protocols of `stamped(moved)` with that version already (`store.protocols.
    save_all`), so their rows are not written again."""
    districts: dict[store.RowKey, dict[str, list[int]]] = {}
    by_commission: dict[store.CommissionKey, list[int]] = {}
    marks: list[tuple[int, str, str]] = []
    states: dict[store.StateKey, int] = {}
    found = dict(definitions or {})
    covering: Covering | None = None
    for m in moved:
        station, contest, ballot = m.key
        if m.before.state is not m.after.state:
            for sign, state in ((-1, m.before.state), (1, m.after.state)):
                if state is not EntryState.EMPTY:  # the empty ones: the district's protocols less the others
                    k = (contest, m.district, state.value)
                    states[k] = states.get(k, 0) + sign
        was = _counted(m.before)
        now = _counted(m.after)
        if was == now:
            continue
        if contest not in found:
            found[contest] = current(connection, contest)
        register = found[contest].station_by_number.get(station)
        registered = register.registered if register is not None else 0
        if covering is None:
            covering = _covering(connection)
        change = _change(was, now, registered)
        store.move(districts.setdefault((contest, ballot, m.district), {}), change.keys(), change.values())
        for commission in covering.moved.get((station, contest), ()):
            store.move(by_commission, [(commission, contest, ballot, line) for line in change], change.values())
        marks.append(m.key)
    store.move_states(connection, states)
    if not marks:
        return
    store.add(
        connection,
        districts,
        {k: (v, n) for k, (v, n) in by_commission.items()},
    )
    if stamp:
        store.mark(connection, marks, audit_store.version(connection) if version is None else version)


def _change(was: Mapping[str, Any] | None, now: Mapping[str, Any] | None, registered: int) -> dict[str, list[int]]:
    """Line -> [value, protocols] a protocol moves its tallies by, from the figures it counted with to those it
    counts with now (None: it did not, or does not, count), the register's voters beside each."""
    if was is None and now is not None:  # accepted: nearly every change of a night, each line once, as it is
        change = {line: [value, 1] for line, value in lines(now).items()}
        change[REGISTER] = [registered, 1]
        return change
    return _moved_by(was, now, registered)


def _moved_by(was: Mapping[str, Any] | None, now: Mapping[str, Any] | None, registered: int) -> dict[str, list[int]]:
    """`_change` the long way, for any change: each line of the figures before taken away, of those after added
    (tests/service/test_writer_shortcuts.py holds `_change`'s shortcut equal to it)."""
    change: dict[str, list[int]] = {}
    for sign, figures in ((-1, was), (1, now)):
        if figures is None:
            continue
        for line, value in (*lines(figures).items(), (REGISTER, registered)):
            moved_by = change.get(line)
            if moved_by is None:
                change[line] = [sign * value, sign]
            else:
                moved_by[0] += sign * value
                moved_by[1] += sign
    return change


def stamped(moved: Iterable[Moved]) -> set[tuple[int, str, str]]:
    """The protocols among `moved` whose counted figures change (entered or left the accepted state, or were
    accepted again with other figures): those `record` stamps with the change's audit version."""
    return {m.key for m in moved if _counted(m.before) != _counted(m.after)}


def rebuild(connection: Connection) -> int:
    """Count every accepted protocol into fresh running tallies, and every protocol's state into the entry
    states (a backup written before they existed was restored); the protocols counted."""
    from saylau.store import protocols as protocols_store

    store.clear(connection)
    found = [p for p in protocols_store.listing(connection) if p.record.state is not EntryState.EMPTY]
    record(connection, (Moved((p.station, p.contest, p.ballot), p.district, Record(), p.record) for p in found))
    return sum(p.record.state is EntryState.ACCEPTED for p in found)


def _counted(record: Record) -> Mapping[str, Any] | None:
    """The figures a protocol counts with: its definitive entry's once accepted, none before."""
    if record.state is not EntryState.ACCEPTED or record.definitive is None:
        return None
    return record.definitive.figures


def lines(figures: Mapping[str, Any]) -> dict[str, int]:
    """A protocol's figures as tally lines: each numbered line by name, each option as `vote:NAME`."""
    out = {name: int(figures[name]) for name in FIGURES}
    out.update({VOTE + str(option): int(votes) for option, votes in figures["votes"].items()})
    return out


@dataclass(frozen=True, slots=True)
class Covering:
    """Which commissions' lines a protocol moves, and which commissions' lines are their districts' sums."""

    moved: Mapping[tuple[int, str], tuple[str, ...]]
    """(station, contest) -> the commissions whose lines of the contest are kept in `commission_tallies`."""
    summed: Mapping[tuple[str, str], frozenset[int]]
    """(commission, contest) -> the contest's districts the commission's area holds whole: its lines are
    those districts' lines summed (`commission_lines`), never written."""


def _covering(connection: Connection) -> Covering:
    """The commissions above a precinct whose area holds a station and that take part in its contest
    (`parts`), built once per day's tree and process, not per transaction (a country's tree has some 10,000
    commissions). A commission whose area holds each of the contest's districts it touches whole (a district
    commission; a territorial commission for its mäslihat and for the Mäjilis districts inside its region;
    the central commission) keeps no lines of its own for that contest: they are its districts' lines summed,
    so a protocol moves one set of lines (its district's) rather than one per commission above it."""
    tree = commissions_store.tree(connection)  # the same object while the tree is the same
    held = _trees.get(id(tree))
    if held is not None and held[0] is tree:
        return held[1]
    contests = contest_ids(connection)
    taking = parts(tree, contests)
    districts = {c: {s.number: s.district for s in current(connection, c).stations} for c in contests}
    moved: dict[tuple[int, str], list[str]] = defaultdict(list)
    summed: dict[tuple[str, str], frozenset[int]] = {}
    for commission in tree:
        if commission.level == "precinct":  # one station's commission: its tally is the station's own row
            continue
        for contest in taking[commission.id]:
            whole = _whole(commission.stations, districts[contest])
            if whole is not None:
                summed[(commission.id, contest)] = whole
                continue
            for station in commission.stations:
                moved[(station, contest)].append(commission.id)
    found = Covering({k: tuple(ids) for k, ids in moved.items()}, summed)
    _trees[id(tree)] = (tree, found)
    return found


def prepare(connection: Connection) -> None:
    """Build the view of the day's tree the running tallies move by (`_covering`), before serving."""
    _covering(connection)


def _whole(area: frozenset[int], district_of: Mapping[int, int]) -> frozenset[int] | None:
    """The contest's districts an area's stations make up, if it holds each district it touches whole."""
    touched = {district_of[s] for s in area if s in district_of}
    inside = sum(1 for s in area if s in district_of)
    every = sum(1 for d in district_of.values() if d in touched)
    return frozenset(touched) if inside == every else None


def commission_lines(connection: Connection) -> list[tuple[str, str, str, str, int, int]]:
    """Every commission's lines some accepted protocol carries: (commission, contest, ballot, line, value,
    protocols), in key order; those kept in `commission_tallies` and those summed from the districts' lines."""
    covering = _covering(connection)
    out = list(store.commissions_counted(connection))
    by_contest: dict[str, list[TallyLine]] = {}
    for (commission, contest), districts in covering.summed.items():
        if contest not in by_contest:
            by_contest[contest] = store.totals(connection, contest)
        sums: dict[tuple[str, str], list[int]] = {}
        for row in by_contest[contest]:
            if row.district in districts:
                total = sums.setdefault((row.ballot, row.line), [0, 0])
                total[0] += row.value
                total[1] += row.protocols
        out += [(commission, contest, b, ln, v, n) for (b, ln), (v, n) in sums.items()]
    return sorted(out)


def parts(tree: Sequence[StoredCommission], contests: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """The contests each commission keeps running tallies of on its stations, by commission id, in the day's
    order: a district commission its districts' contest; any other commission those it declares or a
    commission above it declares (a territorial commission's Mäjilis figures go up to the central commission;
    a mäslihat's stay with the territorial commission that declares it). In a tree that names no declarations
    every commission keeps every contest's."""
    by_id = {c.id: c for c in tree}
    declaring = any(c.declares for c in tree)
    out: dict[str, tuple[str, ...]] = {}
    for commission in tree:
        if commission.districts:
            own = {c for c, _ in commission.districts}
        elif not declaring:
            own = set(contests)
        else:
            own = set()
            above: StoredCommission | None = commission
            while above is not None:  # the tree's depth: central, territorial, district, precinct
                own.update(above.declares)
                above = by_id.get(above.parent) if above.parent else None
        out[commission.id] = tuple(c for c in contests if c in own)
    return out


_trees: dict[int, tuple[tuple[StoredCommission, ...], Covering]] = {}
"""The covering of each tree `store.commissions.tree` has given, by the tree object's identity."""


def states_by_district(connection: Connection, contest: str) -> dict[int, dict[str, int]]:
    """How many protocols of each district of a contest are in each state other than empty (the commission's
    entry progress): a few rows per district, moved with each protocol's state."""
    return store.states_by_district(connection, contest)


def tabulation(connection: Connection, definition: Definition, contest: str) -> Tabulation:
    """A contest's count from its running tallies: the same totals and progress `tabulate` makes of its
    accepted protocols (without the protocols themselves: `counted` has them)."""
    return tabulated(definition, store.totals(connection, contest))


def tabulated(definition: Definition, found: Sequence[TallyLine], accepted: Sequence[Protocol] = ()) -> Tabulation:
    """The count the tally lines make: districts' tallies per ballot, the list ballot's sum (every party,
    0 where none voted for it yet) and how far each ballot is counted."""
    by_area: dict[tuple[str, int], dict[str, int]] = defaultdict(dict)
    stations: dict[str, int] = defaultdict(int)
    covered: dict[str, int] = defaultdict(int)
    for row in found:
        by_area[(row.ballot, row.district)][row.line] = row.value
        if row.line == REGISTER:
            stations[row.ballot] += row.protocols
            covered[row.ballot] += row.value
    per_ballot: dict[str, dict[int, Tally]] = defaultdict(dict)
    for (ballot, district), values in sorted(by_area.items()):
        per_ballot[ballot][district] = _tally(values)
    election = definition.election
    ballots: list[BallotKind] = []
    if election.parties:
        ballots.append("list")
    if election.districts:
        ballots.append("district")
    list_by_district = per_ballot.get("list", {}) if "list" in ballots else {}
    list_tally = None
    if list_by_district:
        summed = _sum(list_by_district.values())
        votes = {p.short_name: summed.votes.get(p.short_name, 0) for p in election.parties}
        list_tally = Tally(votes, summed.against_all, summed.invalid, summed.took_part, summed.registered)
    expected = sum(s.registered for s in definition.stations)
    progress = {b: Progress(b, stations[b], len(definition.stations), covered[b], expected) for b in ballots}
    accounting: dict[str, BallotAccounting] = {b: _accounting(by_area, b) for b in ballots}  # from the lines
    return Tabulation(list_tally, list_by_district, per_ballot.get("district", {}), progress, accepted, (), accounting)


ACCOUNTING = tuple(f.name for f in fields(BallotAccounting))
"""The ballot accounting's lines (received, issued and its "of which" lines, cancelled, found)."""


def _accounting(by_area: Mapping[tuple[str, int], Mapping[str, int]], ballot: str) -> BallotAccounting:
    """A ballot's accounting lines summed over its districts' tallies (what `account` sums over protocols)."""
    sums = dict.fromkeys(ACCOUNTING, 0)
    for (kind, _district), values in by_area.items():
        if kind == ballot:
            for line in ACCOUNTING:
                sums[line] += values.get(line, 0)
    return BallotAccounting(**sums)


def _tally(values: Mapping[str, int]) -> Tally:
    votes = {line[len(VOTE) :]: v for line, v in sorted(values.items()) if line.startswith(VOTE)}
    return Tally(votes, values["against_all"], values["invalid"], values["found"], values["registered"])


def _sum(tallies: Iterable[Tally]) -> Tally:
    votes: dict[str, int] = defaultdict(int)
    against_all = invalid = took_part = registered = 0
    for t in tallies:
        for option, count in t.votes.items():
            votes[option] += count
        against_all += t.against_all
        invalid += t.invalid
        took_part += t.took_part
        registered += t.registered
    return Tally(dict(votes), against_all, invalid, took_part, registered)


@dataclass(frozen=True, slots=True)
class Counted:
    """A contest's count from the running tallies, with its stations' accepted protocols as of `version`
    (the audit version of the last station change read): what the next snapshot starts from."""

    contest: str
    definition_sha256: str
    version: int
    protocols: Mapping[tuple[int, str], Protocol]
    tabulation: Tabulation
    reported: Mapping[str, Mapping[int, int]]
    """Ballot -> district -> protocols counted (from the tallies' register line: no protocol is read)."""


def counted(connection: Connection, definition: Definition, contest: str, previous: Counted | None = None) -> Counted:
    """The count now: the districts' tallies, and the stations' protocols of `previous` with only those
    that changed since it read again (every one when there is no previous count of this definition)."""
    same = previous is not None and (previous.contest, previous.definition_sha256) == (contest, definition.sha256)
    protocols = dict(previous.protocols) if same and previous is not None else {}
    since = previous.version if same and previous is not None else 0
    changed = store.stations_since(connection, contest, since)
    for s in changed:
        if s.figures is None:
            protocols.pop((s.station, s.ballot), None)
        else:
            protocols[(s.station, s.ballot)] = _protocol(s.station, s.district, s.ballot, s.figures)
    version = max((since, *(s.version for s in changed)))
    accepted = Accepted(protocols)
    lines_ = store.totals(connection, contest)
    reported: dict[str, dict[int, int]] = defaultdict(dict)
    for row in lines_:
        if row.line == REGISTER:
            reported[row.ballot][row.district] = row.protocols
    return Counted(contest, definition.sha256, version, protocols, tabulated(definition, lines_, accepted), reported)


class Accepted(LazyProtocols):
    """A count's accepted protocols in key order (station, ballot), put in order when first read: a snapshot
    built every second asks only how many there are, so it costs what changed; the projection (every
    `web.snapshot.PROJECTION_EVERY` seconds) and publishing read them. Equal to any sequence of the same
    protocols in the same order (a tuple included)."""

    __slots__ = ("_by_key", "_ordered")

    def __init__(self, by_key: Mapping[tuple[int, str], Protocol]) -> None:
        self._by_key = by_key  # never changed after: the next count copies it
        self._ordered: tuple[Protocol, ...] | None = None

    def _items(self) -> tuple[Protocol, ...]:
        if self._ordered is None:  # two threads may both sort: the same tuple either way
            self._ordered = tuple(self._by_key[k] for k in sorted(self._by_key))
        return self._ordered

    def __len__(self) -> int:
        return len(self._by_key)

    def __repr__(self) -> str:
        return f"Accepted({len(self)} protocols)"


def _protocol(station: int, district: int, ballot: str, figures: Mapping[str, Any]) -> Protocol:
    kind: BallotKind = "list" if ballot == "list" else "district"
    lines_ = {name: int(figures[name]) for name in FIGURES}
    return make_protocol(station, district, kind, lines_, {str(o): int(v) for o, v in figures["votes"].items()})
