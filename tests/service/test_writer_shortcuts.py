"""What a group of entries skips or reads more narrowly, and that each shortcut gives what the long way gives.

- The store finds a group's protocols, districts' certifications and drafts by their whole keys
  (`store.tables.by_whole_keys`), a statement per `KEYS_AT_ONCE` keys: exactly the rows asked for, on SQLite
  and PostgreSQL, however many statements the keys take.
- A record's audit text is put together from its entries' texts (`store.protocols.record_text`): the bytes
  `json.dumps` makes of the record as the audit log stored it before.
- A protocol just accepted moves its tallies by each of its lines once (`service.tallies._change`): what the
  long way (`_moved_by`: the figures before taken away, those after added, line by line) gives.
- A district's row of running tallies on SQLite, moved by a change to exactly its lines, is summed where its
  lines stand (`store.tallies._summed`): the text the long way (`_merged`: decoded, merged by name, sorted,
  encoded again) writes; and on either database a district's rows, moved by any sequence of changes, hold the
  sums of the changes line by line.
- `BodyLimits` walks a JSON body's strings for a NUL or a lone surrogate only where its bytes can hold one,
  and parses a query only where it can decode to a NUL; the entry fast path reads a plain `contest=` query
  without `parse_qsl`. Each is checked here against the long way on any input.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.service import tallies as service_tallies
from saylau.service.states import Entry, EntryState, Record
from saylau.store import Database, certifications, contests, drafts, open_database, protocols, stations, tables
from saylau.store import tallies as tally_store
from saylau.store.certifications import DistrictCertification
from saylau.store.protocols import Blank
from saylau.store.stations import StoredStation
from saylau.web import entry_path, limits
from saylau.web.bounds import texts


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    found = open_database(database_url)
    yield found
    found.close()


def _day(database: Database) -> None:
    with database.unit_of_work() as connection:
        contests.create_day(connection, "Day", {}, "0")
        for k, contest in enumerate(["majilis", "city"]):
            contests.create(connection, contest, k, contest, {}, "0")
        stations.add_all(connection, [StoredStation(n, 100) for n in (1, 2, 3)])
        blanks = [Blank(n, c, b, n) for n in (1, 2, 3) for c in ("majilis", "city") for b in ("list", "district")]
        protocols.create_all(connection, blanks)


def test_a_groups_rows_are_found_by_their_whole_keys_however_many_statements_they_take(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _day(database)
    entry = Entry({"found": 7, "votes": {"Ä": 7}}, "op1")
    for (station, contest, ballot), user in (((1, "city", "list"), "op1"), ((2, "city", "list"), "op2")):
        with database.unit_of_work() as connection:
            drafts.save(connection, user, (station, contest, ballot), {"found": "7"}, "2023-03-19T20:00:00")
    with database.unit_of_work() as connection:
        protocols.save_all(connection, {(2, "city", "list"): Record(EntryState.FIRST_ENTRY, first=entry)})
        for contest, district in (("city", 2), ("majilis", 3)):
            found = DistrictCertification(contest, district, "dec", {"status": "won"}, "chief", "2023-03-20")
            certifications.add(connection, found)
    for at_once in (1000, 2, 1):  # one statement; several, the last one short; one a key
        monkeypatch.setattr(tables, "KEYS_AT_ONCE", at_once)
        for module in (protocols, certifications, drafts):
            monkeypatch.setattr(module, "KEYS_AT_ONCE", at_once)
        with database.unit_of_work() as connection:
            asked = [(2, "city", "list"), (1, "majilis", "list"), (3, "city", "district"), (9, "city", "list")]
            found_protocols = protocols.lock_all(connection, asked)
            assert sorted(found_protocols) == [(1, "majilis", "list"), (2, "city", "list"), (3, "city", "district")]
            assert found_protocols[(2, "city", "list")] == Record(EntryState.FIRST_ENTRY, first=entry)
            assert found_protocols[(1, "majilis", "list")] == Record()
            wanted = [("city", 2), ("city", 3), ("majilis", 2), ("majilis", 3), ("other", 1)]
            assert certifications.certified_among(connection, wanted) == {("city", 2), ("majilis", 3)}
            assert certifications.certified_among(connection, [("city", 1)]) == frozenset()
    with database.unit_of_work() as connection:  # only the (user, protocol) named: op1's other drafts stay
        drafts.remove_all(connection, [("op1", (2, "city", "list")), ("op2", (2, "city", "list"))])
        assert drafts.find(connection, "op2", (2, "city", "list")) is None
        assert drafts.find(connection, "op1", (1, "city", "list")) is not None


NAMES = st.text(max_size=12)
FIGURES = st.fixed_dictionaries(
    {"found": st.integers(0, 10**9), "votes": st.dictionaries(NAMES, st.integers(0, 10**9), max_size=5)}
)
ENTRIES = st.builds(Entry, FIGURES, NAMES, st.lists(NAMES, max_size=2).map(tuple))


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(list(EntryState)), st.one_of(st.none(), ENTRIES), st.one_of(st.none(), ENTRIES))
def test_a_records_audit_text_is_the_json_of_the_record(state: EntryState, first: Any, second: Any) -> None:
    for definitive in (None, first, second):
        record = Record(state, first, second, definitive)
        as_stored = {  # the record as `service.protocols` gives it to the audit log, and as `audit.as_json` stores it
            "state": record.state.value,
            "first": protocols.entry_json(record.first),
            "second": protocols.entry_json(record.second),
            "definitive": protocols.entry_json(record.definitive),
        }
        expected = json.dumps(as_stored, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        texts_ = protocols.EntryTexts()
        assert protocols.record_text(record, texts_) == expected
        assert protocols.record_text(record, texts_) == expected  # the second time from the texts made
        if first is not None:
            assert texts_(first) == protocols.entry_text(first)


PROTOCOL_FIGURES = st.builds(
    lambda lines, votes: {**lines, "votes": votes},
    st.fixed_dictionaries({name: st.integers(-(10**9), 10**9) for name in service_tallies.FIGURES}),
    st.dictionaries(NAMES, st.integers(-(10**9), 10**9), max_size=9),
)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.none(), PROTOCOL_FIGURES), st.one_of(st.none(), PROTOCOL_FIGURES), st.integers(0, 10**6))
def test_a_protocols_change_to_the_tallies_is_the_long_ways(was: Any, now: Any, registered: int) -> None:
    """`service.tallies._change` takes a protocol just accepted (no figures before) the short way: each of its
    lines once at its value, counted once; the long way (`_moved_by`) gives the same, in the same order."""
    found = service_tallies._change(was, now, registered)
    expected = service_tallies._moved_by(was, now, registered)
    assert found == expected and list(found) == list(expected)


LINES = st.lists(st.text(max_size=8), min_size=1, max_size=8, unique=True)
MOVES = st.tuples(st.integers(-(10**12), 10**12), st.integers(-3, 3))


def _change(lines: list[str], moves: list[tuple[int, int]]) -> dict[str, list[int]]:
    return {line: list(moved) for line, moved in zip(lines, moves, strict=False)}


@settings(max_examples=200, deadline=None)
@given(LINES, st.lists(st.lists(MOVES, min_size=8, max_size=8), min_size=1, max_size=4), st.booleans(), st.data())
def test_a_tally_row_moved_by_its_own_lines_is_summed_as_the_long_way_writes_it(
    lines: list[str], moves: list[list[tuple[int, int]]], shuffled: bool, data: st.DataObject
) -> None:
    stored = tally_store._merged(None, _change(lines, moves[0]))
    for step in moves[1:]:
        change = _change(lines, step)
        if shuffled:  # a change's lines come in the protocol's order, not the row's
            change = dict(data.draw(st.permutations(list(change.items()))))
        assert tally_store._summed(stored, change) == tally_store._merged(stored, change)
        stored = tally_store._merged(stored, change)
    other = data.draw(st.lists(st.text(max_size=8), min_size=1, max_size=8, unique=True))
    if sorted(other) != sorted(lines):  # another set of lines: only the long way merges it
        assert tally_store._summed(stored, _change(other, moves[0])) is None


def test_a_districts_tally_rows_hold_the_sums_of_their_changes_line_by_line(database: Database) -> None:
    _day(database)
    rng = random.Random(22)
    keys = [("city", "list", 1), ("city", "district", 2), ("majilis", "list", 2)]
    names = ["found", "vote:Ä", 'vote:"q"', "vote:Z", tally_store.REGISTER]
    expected: dict[tuple[str, str, int], dict[str, list[int]]] = {}
    for _ in range(30):
        changes: dict[tuple[str, str, int], dict[str, list[int]]] = {}
        for key in rng.sample(keys, rng.randint(1, len(keys))):
            carried = names if rng.random() < 0.8 else rng.sample(names, rng.randint(1, len(names)))  # mostly all
            changes[key] = {line: [rng.randint(-(10**10), 10**10), rng.choice([-1, 1])] for line in carried}
            tally_store.move(expected.setdefault(key, {}), changes[key].keys(), changes[key].values())
        with database.unit_of_work() as connection:
            tally_store.add(connection, changes, {})
        with database.unit_of_work() as connection:
            found = {
                (contest, line.ballot, line.district, line.line): [line.value, line.protocols]
                for contest in ("city", "majilis")
                for line in tally_store.totals(connection, contest)
            }
        assert found == {
            (key[0], key[1], key[2], line): total
            for key, lines in expected.items()
            for line, total in lines.items()
            if total[1] > 0
        }


def _walked(body: bytes) -> tuple[str, str] | None:
    """What the long way finds in a body: every string of its JSON value walked (None: not JSON, or nothing)."""
    try:
        value = json.loads(body)
    except ValueError:
        return None
    return limits._bad_text(texts(value))


TRICKY = st.sampled_from(["\x00", "\ud800", "\udfff", "\ud83d", "한", "\ufeff", "\\", '"', "Ә"])
STRINGS = st.text(st.one_of(st.characters(), TRICKY), max_size=8)
VALUES = st.recursive(
    st.one_of(st.none(), st.integers(), STRINGS),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(STRINGS, inner, max_size=3)),
    max_leaves=8,
)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])


@settings(max_examples=150, deadline=None)
@given(VALUES, st.booleans(), ENCODINGS)
def test_a_json_body_is_walked_wherever_a_string_of_it_can_hold_what_no_database_stores(
    value: Any, ascii_only: bool, encoding: str
) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only)
    body = text.encode(encoding, "surrogatepass")
    if _walked(body) is not None:
        assert limits._json_may_hold_bad(body), body


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=24) | st.sampled_from([b"\xed\xa0\x80", b'"\xed\xa0\x80"', b'["\\u0000"]', b"\xff\xfe\x00"]))
def test_any_body_bytes_that_hold_a_bad_string_are_walked(body: bytes) -> None:
    if _walked(body) is not None:
        assert limits._json_may_hold_bad(body), body


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=24) | st.sampled_from([b"a=%00", b"%00=b", b"a=\x00", b"state=%ED%A0%80", b"contest=m"]))
def test_a_query_is_parsed_wherever_it_can_decode_to_a_nul(query: bytes) -> None:
    found = limits._bad_text(parse_qsl(query.decode("latin-1"), keep_blank_values=True))
    if found is not None:
        assert limits._may_hold_bad(query), query


def _contest_as_parsed(query: bytes) -> tuple[bool, str | None]:
    """The fast path's reading of a query as `parse_qsl` gives it (the way it read every query before)."""
    if not query:
        return True, None
    pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
    if len(pairs) != 1 or pairs[0][0] != "contest" or not entry_path._CONTEST.fullmatch(pairs[0][1]):
        return False, None
    return True, pairs[0][1]


QUERIES = st.one_of(
    st.binary(max_size=20),
    st.from_regex(rb"\Acontest=[a-z0-9_%+&=-]{0,70}\Z"),
    st.sampled_from([b"contest=majilis", b"contest=maj%69lis", b"contest=a+b", b"contest=", b"contest=-a"]),
)


@settings(max_examples=150, deadline=None)
@given(QUERIES)
def test_the_fast_paths_contest_is_what_parse_qsl_reads(query: bytes) -> None:
    assert entry_path._contest(query) == _contest_as_parsed(query)
