"""Running tallies equal a recount from scratch, after every step of random nights, on SQLite and PostgreSQL.

The day is examples/almaty-2023-day (the Mäjilis and the city mäslihat on Almaty's stations, with its tree
of 605 commissions). Random sequences of first and second entries (equal or different), resolutions,
accepted warnings, reopenings and entries again with other figures go through the service's use cases, each
step in a transaction of its own. After each step the running tallies (districts, commissions, stations,
and the protocols in each state per district) are compared with a recount made from the protocols as
stored: `saylau.tabulation.tabulate`, the offline count, for the districts, the progress and the ballot
accounting; plain sums over each commission's stations for the commissions, each for the contests it takes
part in (a district commission its districts' contest, any other the contests it or a commission above it
declares); a count of the protocols by district and state. A transaction rolled back after a change leaves
both as they were.
"""

from __future__ import annotations

import contextlib
import random
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, delete, insert

from saylau.io.protocols import read_protocol_file
from saylau.service import definition, protocols, tallies
from saylau.service.declared import tallied
from saylau.service.errors import ServiceError
from saylau.service.permissions import Actor, Role
from saylau.service.states import Action, EntryState, TransitionRefused
from saylau.store import Database, open_database
from saylau.store import commissions as commissions_store
from saylau.store import protocols as protocols_store
from saylau.store import tallies as tallies_store
from saylau.store.tables import commission_tallies
from saylau.tabulation import FIGURES, tabulate

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DAY = EXAMPLES / "almaty-2023-day"
MIGRATIONS = Path(__import__("saylau.store", fromlist=["x"]).__file__).parent / "migrations"
FOLDERS = {"majilis": DAY / "majilis", "almaty-maslihat": EXAMPLES / "almaty-2023"}

ONE, TWO = Actor("op1", Role.OPERATOR), Actor("op2", Role.OPERATOR)
COORDINATOR = Actor("co", Role.COORDINATOR)


@pytest.fixture
def day(database_url: str) -> Iterator[Database]:
    database = open_database(database_url)
    with database.unit_of_work() as connection:
        definition.install(connection, definition.read_source(DAY))
    yield database
    database.close()


def _paper() -> dict[tuple[int, str, str], dict[str, Any]]:
    """Every protocol of the two contests as the examples record them: (station, contest, ballot) -> figures."""
    out = {}
    for contest, folder in FOLDERS.items():
        for path in sorted((folder / "protocols").glob("*.csv")):
            found, problems = read_protocol_file(folder / "protocols", path.name)
            assert not problems
            for p in found:
                out[(p.station, contest, p.ballot)] = {n: p.figure(n) for n in FIGURES} | {"votes": dict(p.votes)}
    return out


def _other(figures: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The same protocol with some votes moved from one option to another (every check still holds)."""
    votes = dict(figures["votes"])
    given = [o for o, v in votes.items() if v > 0]
    if not given or len(votes) < 2:
        return figures
    source = rng.choice(given)
    target = rng.choice([o for o in votes if o != source])
    moved = rng.randint(1, votes[source])
    votes[source] -= moved
    votes[target] += moved
    return {**figures, "votes": votes}


def _warned(figures: dict[str, Any]) -> dict[str, Any]:
    """The same protocol with one more ballot received and cancelled: valid, with a warning (W004) to accept."""
    return {**figures, "received": figures["received"] + 1, "cancelled": figures["cancelled"] + 1}


def recount(connection: Connection) -> dict[str, Any]:
    """What counting every accepted protocol again gives, from the protocols table, without the tallies."""
    out: dict[str, Any] = {}
    for contest in definition.contest_ids(connection):
        found = definition.current(connection, contest)
        again = tabulate(protocols.accepted(connection, contest), found.election, found.stations)
        out[contest] = (
            again.list_tally,
            dict(again.list_by_district),
            dict(again.district_tallies),
            again.progress,
            again.accounting,
        )
    tree = commissions_store.every(connection)
    by_id = {c.id: c for c in tree}

    def takes_part(commission: Any, contest: str) -> bool:
        if commission.districts:
            return contest in {c for c, _ in commission.districts}
        while commission is not None:
            if contest in commission.declares:
                return True
            commission = by_id.get(commission.parent)
        return False

    sums: dict[tuple[str, str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    stations: dict[tuple[str, int, str], dict[str, Any]] = {}
    for p in protocols_store.listing(connection, state=EntryState.ACCEPTED):
        assert p.record.definitive is not None
        figures = p.record.definitive.figures
        stations[(p.contest, p.station, p.ballot)] = dict(figures)
        register = definition.current(connection, p.contest).station_by_number[p.station].registered
        for commission in tree:
            if p.station not in commission.stations or not takes_part(commission, p.contest):
                continue
            if commission.level != "precinct":  # a precinct's: the station's
                for line, value in (*tallies.lines(figures).items(), ("_register", register)):
                    sums[(commission.id, p.contest, p.ballot, line)][0] += value
                    sums[(commission.id, p.contest, p.ballot, line)][1] += 1
    out["commissions"] = sorted((*k, v, n) for k, (v, n) in sums.items())
    out["stations"] = stations
    out["states"] = {
        contest: {
            district: {state.value: n for state, n in found.items() if state is not EntryState.EMPTY}
            for district, found in protocols_store.states_by_district(connection, contest).items()
            if any(state is not EntryState.EMPTY for state in found)
        }
        for contest in definition.contest_ids(connection)
    }
    return out


def running(connection: Connection) -> dict[str, Any]:
    """The same, as the running tallies have it."""
    out: dict[str, Any] = {}
    for contest in definition.contest_ids(connection):
        found = tallied(connection, contest)[0]
        out[contest] = (
            found.list_tally,
            dict(found.list_by_district),
            dict(found.district_tallies),
            found.progress,
            found.accounting,
        )
    out["commissions"] = tallies.commission_lines(connection)
    out["stations"] = {
        (contest, s.station, s.ballot): dict(s.figures)
        for contest in definition.contest_ids(connection)
        for s in tallies_store.stations_since(connection, contest)
        if s.figures is not None
    }
    out["states"] = {
        contest: tallies_store.states_by_district(connection, contest) for contest in definition.contest_ids(connection)
    }
    return out


def _step(connection: Connection, key: tuple[int, str, str], figures: dict[str, Any], rng: random.Random) -> str:
    """One random action the protocol's state allows, through the service's use cases; what was done."""
    station, contest, ballot = key
    state = protocols_store.find(connection, key)
    assert state is not None
    match state.state:
        case EntryState.EMPTY:
            typed = rng.choice([figures, figures, _other(figures, rng), _warned(figures)])
            protocols.enter(connection, ONE, station, ballot, typed, contest)
            return "first"
        case EntryState.FIRST_ENTRY:
            typed = state.first.figures if state.first and rng.random() < 0.7 else _other(figures, rng)
            protocols.enter(connection, TWO, station, ballot, dict(typed), contest)
            return "second"
        case EntryState.DIFFERENT:
            action = rng.choice([Action.KEEP_FIRST, Action.KEEP_SECOND, Action.DISCARD_SECOND, Action.DISCARD_BOTH])
            protocols.resolve(connection, COORDINATOR, station, ballot, action, contest)
            return action.value
        case EntryState.WARNINGS:
            protocols.accept_warnings(connection, COORDINATOR, station, ballot, "checked on paper", contest)
            return "accept-warnings"
        case EntryState.ACCEPTED:
            protocols.reopen(connection, COORDINATOR, station, ballot, "a mistake on the paper", contest)
            return "reopen"
    raise AssertionError(state)


@pytest.mark.parametrize("seed", [1, 2])
def test_running_tallies_equal_a_recount_after_every_step(day: Database, seed: int) -> None:
    rng = random.Random(seed)
    paper = _paper()
    chosen = rng.sample(sorted(paper), 24)
    done: set[str] = set()
    moves: set[EntryState] = set()
    for _ in range(220):
        key = rng.choice(chosen)
        # A refused step changes nothing (the comparison below checks it).
        with day.unit_of_work() as connection, contextlib.suppress(ServiceError, TransitionRefused):
            done.add(_step(connection, key, paper[key], rng))
        with day.unit_of_work() as connection:
            now = running(connection)
            assert now == recount(connection)
            record = protocols_store.find(connection, key)
            assert record is not None
            moves.add(record.state)
    # The sequences went through every kind of step and left protocols in every state.
    assert {"first", "second", "keep-first", "keep-second", "reopen", "accept-warnings"} <= done
    assert EntryState.ACCEPTED in moves and EntryState.DIFFERENT in moves
    with day.unit_of_work() as connection:
        counted = running(connection)
    assert any(counted["commissions"]) and counted["stations"]


def test_a_rolled_back_change_leaves_protocols_and_tallies_as_they_were(day: Database) -> None:
    paper = _paper()
    keys = sorted(paper)[:6]
    for who in (ONE, TWO):
        with day.unit_of_work() as connection:
            for key in keys:
                protocols.enter(connection, who, key[0], key[2], paper[key], key[1])
    with day.unit_of_work() as connection:
        before = running(connection)
        states = [protocols_store.find(connection, k) for k in keys]
        assert before == recount(connection) and before["stations"]

    class Crash(Exception):
        pass

    with pytest.raises(Crash), day.unit_of_work() as connection:
        for key in keys:
            record = protocols_store.find(connection, key)
            assert record is not None
            if record.state is EntryState.ACCEPTED:
                protocols.reopen(connection, COORDINATOR, key[0], key[2], "mistake", key[1])
            else:
                protocols.accept_warnings(connection, COORDINATOR, key[0], key[2], "checked", key[1])
        assert running(connection) != before  # inside the transaction the tallies moved
        raise Crash
    with day.unit_of_work() as connection:
        assert running(connection) == before == recount(connection)
        assert [protocols_store.find(connection, k) for k in keys] == states


def test_a_snapshot_reads_only_the_stations_that_changed_and_counts_as_a_recount(day: Database) -> None:
    paper = _paper()
    keys = [k for k in sorted(paper) if k[1] == "almaty-maslihat"][:10]
    with day.unit_of_work() as connection:
        found = definition.current(connection, "almaty-maslihat")
        first = tallies.counted(connection, found, "almaty-maslihat")
    assert first.tabulation.accepted == () and first.version == 0
    for who in (ONE, TWO):
        with day.unit_of_work() as connection:
            for key in keys:
                protocols.enter(connection, who, key[0], key[2], paper[key], key[1])
                if who is TWO and protocols_store.find(connection, key).state is EntryState.WARNINGS:  # type: ignore[union-attr]
                    protocols.accept_warnings(connection, COORDINATOR, key[0], key[2], "checked", key[1])
    with day.unit_of_work() as connection:
        second = tallies.counted(connection, found, "almaty-maslihat", first)
        changed = tallies_store.stations_since(connection, "almaty-maslihat", second.version)
        protocols.reopen(connection, COORDINATOR, keys[0][0], keys[0][2], "mistake", keys[0][1])
    assert changed == []  # nothing changed after the version the count read up to
    with day.unit_of_work() as connection:
        since = tallies_store.stations_since(connection, "almaty-maslihat", second.version)
        third = tallies.counted(connection, found, "almaty-maslihat", second)
        again = tabulate(protocols.accepted(connection, "almaty-maslihat"), found.election, found.stations)
    assert [(s.station, s.ballot, s.figures) for s in since] == [(keys[0][0], keys[0][2], None)]
    assert len(second.tabulation.accepted) == len(keys) and len(third.tabulation.accepted) == len(keys) - 1
    assert sorted(third.tabulation.accepted, key=lambda p: p.key) == sorted(again.accepted, key=lambda p: p.key)
    assert third.tabulation.list_tally == again.list_tally
    assert third.tabulation.district_tallies == again.district_tallies


def test_rebuilt_tallies_equal_the_running_ones(day: Database) -> None:
    """What a restore of a backup written before the running tallies does: count them from the protocols."""
    paper = _paper()
    keys = sorted(paper)[::97]
    for who in (ONE, TWO):
        with day.unit_of_work() as connection:
            for key in keys:
                protocols.enter(connection, who, key[0], key[2], paper[key], key[1])
    with day.unit_of_work() as connection:
        before = running(connection)
        tallies_store.clear(connection)
        assert running(connection)["stations"] == {}
        assert tallies.rebuild(connection) == len(before["stations"]) > 0
        assert running(connection) == before == recount(connection)


def test_a_database_counted_under_the_old_rule_loses_its_stale_commission_lines(day: Database) -> None:
    """Migration 0010: commission lines written when every commission above a precinct kept every contest
    (migration 0008's fill, the service before it kept only the contests a commission takes part in) are
    deleted; the lines of the contests each commission takes part in stay, and equal a recount."""
    paper = _paper()
    keys = sorted(paper)[::41]
    for who in (ONE, TWO):
        with day.unit_of_work() as connection:
            for key in keys:
                protocols.enter(connection, who, key[0], key[2], paper[key], key[1])
    with day.unit_of_work() as connection:
        tree = commissions_store.every(connection)
        old: dict[tuple[str, str, str, str], list[int]] = defaultdict(lambda: [0, 0])
        for p in protocols_store.listing(connection, state=EntryState.ACCEPTED):
            assert p.record.definitive is not None
            register = definition.current(connection, p.contest).station_by_number[p.station].registered
            for commission in tree:
                if commission.level != "precinct" and p.station in commission.stations:
                    for line, value in (*tallies.lines(p.record.definitive.figures).items(), ("_register", register)):
                        old[(commission.id, p.contest, p.ballot, line)][0] += value
                        old[(commission.id, p.contest, p.ballot, line)][1] += 1
        connection.execute(delete(commission_tallies))
        keys_ = ("commission", "contest", "ballot", "line")
        connection.execute(
            insert(commission_tallies),
            [dict(zip(keys_, k, strict=True)) | {"value": v, "protocols": n} for k, (v, n) in old.items()],
        )
        stale = running(connection)
        assert stale != recount(connection)  # a Mäjilis district commission holds the mäslihat's lines
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with day.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "h22_district_certifications")  # through 0012's and 0011's downgrades too
        command.upgrade(config, "head")  # the service reads the newest schema (0012's index of contests)
    with day.unit_of_work() as connection:
        now = running(connection)
        assert now == recount(connection)
        assert set(now["commissions"]) < set(stale["commissions"])


def test_a_commission_holding_part_of_a_district_keeps_lines_of_its_own(day: Database) -> None:
    """A commission holding whole districts has its districts' lines summed (none written); one whose area
    splits a district (here half of Mäjilis district 1's stations, under the central commission) keeps lines
    of its own in `commission_tallies`; both equal a recount after every step."""
    with day.unit_of_work() as connection:
        district_1 = sorted(s.number for s in definition.current(connection, "majilis").stations if s.district == 1)
        half = frozenset(district_1[: len(district_1) // 2])
        commissions_store.add_all(
            connection, [commissions_store.StoredCommission("split", "territorial", "cec", "split", half, (), ())]
        )
    commissions_store._trees.clear()  # the stored tree changed behind the service's back (a test only)
    try:
        paper = _paper()
        inside = [k for k in sorted(paper) if k[0] in half and k[1] == "majilis"][:6]
        for who in (ONE, TWO):
            with day.unit_of_work() as connection:
                for key in inside:
                    protocols.enter(connection, who, key[0], key[2], paper[key], key[1])
        with day.unit_of_work() as connection:
            assert running(connection) == recount(connection)
            kept = {row[0] for row in tallies_store.commissions_counted(connection)}
            summed = {row[0] for row in tallies.commission_lines(connection)}
        assert kept == {"split"}  # the only commission that holds a district in part
        assert {"split", "cec", "almaty", "majilis-1"} <= summed
        rng = random.Random(3)
        chosen = inside + rng.sample(sorted(paper), 10)
        for _ in range(60):
            key = rng.choice(chosen)
            with day.unit_of_work() as connection, contextlib.suppress(ServiceError, TransitionRefused):
                _step(connection, key, paper[key], rng)
            with day.unit_of_work() as connection:
                assert running(connection) == recount(connection)
    finally:
        commissions_store._trees.clear()
