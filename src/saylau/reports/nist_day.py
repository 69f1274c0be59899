"""An election day as one NIST SP 1500-100 v2 ElectionReport: one `Election`, a `Contest` for every ballot race.

Each contest is exported as `saylau.reports.nist` exports it alone; the reports are then joined into one:
- every `@id` of a contest (and every reference to it) is given the contest's id in front (`majilis-contest-list`,
  `almaty-maslihat-gpu-district-3`), so two contests' district 3 or list contest never collide;
- a polling station is one `ReportingUnit` (`gpu-station-N`) shared by every contest it counts (it composes
  each contest's districts), its `CountStatus` `completed` only when every contest's protocols are in;
- a party standing in several contests is one `Party` where its record is the same in each (its
  `PartyScopeGpUnitIds` then name every contest's area); "against all" is one `Candidate`;
- the `Election` covers the day (`ElectionScopeId` `gpu-day`, a `ReportingUnit` of `Type` `other`, `OtherType`
  `election-day`, composed of each contest's area), and `BallotCounts.OtherType` names the contest
  (`majilis/list-ballot`), since a station counts several contests' ballots.
docs/nist.md says the same for a consumer.
"""

from __future__ import annotations

import io
import itertools
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple, TextIO

import numpy as np

from saylau.domain.day import Contest, ElectionDay
from saylau.reports.nist import (
    AGAINST_ALL_ID,
    STATUSES,
    Block,
    Export,
    Lazy,
    Raw,
    StationCount,
    Write,
    election_report,
    report_of,
    stream,
)
from saylau.reports.nist_columns import ColumnExport, DayPart, Int64Array, export_of
from saylau.result import Result

DAY_ID = "gpu-day"
SHARED_PREFIXES = ("gpu-station-",)
"""Ids that name the same thing in every contest: the polling stations."""


def render_nist_day(
    day: ElectionDay,
    results: Sequence[tuple[Contest, Result]],
    counts: Mapping[str, StationCount | None] | None = None,
    status: str | None = None,
    generated: datetime | None = None,
    issuer: str = "saylau",
) -> str:
    """The day's ElectionReport as indented JSON (`counts`: each contest's stations, as `render_nist` takes):
    `indented(day_report(...))` and a line break, as `write_nist_day` writes it."""
    out = io.StringIO()
    write_nist_day(out, day, results, counts or {}, status, generated, issuer)
    return out.getvalue()


def write_nist_day(
    out: TextIO,
    day: ElectionDay,
    results: Sequence[tuple[Contest, Result]],
    counts: Mapping[str, StationCount | None],
    status: str | None = None,
    generated: datetime | None = None,
    issuer: str = "saylau",
) -> None:
    """Write the day's ElectionReport to `out` as a stream: what `render_nist_day` returns, byte for byte.

    Why: a day's report holds every contest's stations (a national day: a million, each in several contests);
    built as one dictionary per contest and joined it took 1 GB at 10,146 stations. Here each contest's
    export is made once (`saylau.reports.nist_columns`, its stations' lines from columns, a chunk at a time,
    indented as the day's report is) and the day's sections are written contest by contest, each item renamed
    as `joined_report` renames it as it is written; only the small parts (parties, candidates, offices) and
    each station's status over the day are held."""
    if day.date is None:
        raise ValueError("a NIST ElectionReport needs the day's date (StartDate/EndDate are required)")
    when = (generated or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    streamed = _Streamed()
    for contest, result in results:
        streamed.add(contest, result, counts.get(contest.id), status, when, issuer)
    streamed.share_stations()
    stream(out, streamed.report(day, status, when, issuer), lambda value, write: _indent(value, write, "\n"))


def indented(value: Any) -> str:
    """`json.dumps(value, ensure_ascii=False, indent=2)` for the values a report holds (dicts with string
    keys, lists, strings, whole numbers, booleans, None), byte for byte.

    Why: with `indent` the standard library encodes in Python, a generator per level; a day's report of
    10,146 stations (86 MB) took it some 5 s. Here each string is escaped by the C function the encoder
    uses and the pieces are gathered in one list."""
    pieces: list[str] = []
    _indent(value, lambda piece: pieces.append(piece if isinstance(piece, str) else str(piece, "utf-8")), "\n")
    return "".join(pieces)


def _indent(value: Any, add: Write, newline: str) -> None:
    if type(value) is str:
        add(_escaped(value))
    elif isinstance(value, dict):
        if not value:
            add("{}")
            return
        inner, opening = newline + "  ", "{"
        for key, item in value.items():
            if type(key) is not str:
                raise TypeError(f"a report's keys are strings, not {key!r}")
            add(opening + inner + _escaped(key) + ": ")
            opening = ","
            _indent(item, add, inner)
        add(newline + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            add("[]")
            return
        inner, opening = newline + "  ", "["
        for item in value:
            add(opening + inner)
            opening = ","
            _indent(item, add, inner)
        add(newline + "]")
    elif isinstance(value, Lazy):
        _indent_lazy(value, add, newline)
    elif value is None or isinstance(value, (bool, int)):
        add(
            "null" if value is None else "true" if value is True else "false" if value is False else int.__repr__(value)
        )
    else:
        add(json.dumps(value, ensure_ascii=False))


def _indent_lazy(value: Lazy, add: Write, newline: str) -> None:
    """A `Lazy` list as `_indent` writes a list: a `Block`'s items come indented already, a `Raw` is read."""
    inner, opening = newline + "  ", "["
    separator = ("," + inner).encode()
    for item in value:
        if isinstance(item, Block):
            data = item.join(separator)
            if data:
                add(opening + inner)
                add(data)
                opening = ","
            continue
        add(opening + inner)
        opening = ","
        _indent(json.loads(item) if isinstance(item, Raw) else item, add, inner)
    add("[]" if opening == "[" else newline + "]")


_escaped: Callable[[str], str] = json.encoder.encode_basestring


def day_report(
    day: ElectionDay,
    results: Sequence[tuple[Contest, Result]],
    counts: Mapping[str, StationCount | None],
    status: str | None = None,
    generated: datetime | None = None,
    issuer: str = "saylau",
) -> dict[str, Any]:
    """The day's ElectionReport as a JSON-ready dictionary: each contest's part (`contest_report`), joined
    (`joined_report`)."""
    if day.date is None:
        raise ValueError("a NIST ElectionReport needs the day's date (StartDate/EndDate are required)")
    when = (generated or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    parts = [
        (contest, contest_report(result, counts.get(contest.id), status, when, issuer)) for contest, result in results
    ]
    return joined_report(day, parts, status, when, issuer)


def contest_report(
    result: Result, count: StationCount | None, status: str | None, when: datetime, issuer: str = "saylau"
) -> dict[str, Any]:
    """One contest's part of the day's report: its own ElectionReport, made alone from its result and its
    stations' count. Joining does not change it, so a caller may keep a contest's part and give it to
    `joined_report` again while nothing the contest shows has changed (its `GeneratedDate` is not the day's)."""
    return election_report(result, status, when, issuer, count)


def joined_report(
    day: ElectionDay,
    parts: Sequence[tuple[Contest, Mapping[str, Any]]],
    status: str | None,
    when: datetime,
    issuer: str = "saylau",
) -> dict[str, Any]:
    """The day's ElectionReport from its contests' parts (`contest_report`, in the day's order), generated
    `when`; `status` as each part was made with (None: the least final of the parts')."""
    if day.date is None:
        raise ValueError("a NIST ElectionReport needs the day's date (StartDate/EndDate are required)")
    joined = _Joined()
    for contest, report in parts:
        joined.add(contest, report)
    return _day_report(
        day,
        when,
        issuer,
        _DayFields(
            status=_day_status([r["Status"] for _, r in parts], status),
            precinct=any(r["Format"] == "precinct-level" for _, r in parts),
            vendor=parts[0][1]["VendorApplicationId"],
            count_status=joined.count_status(),
            candidates=joined.candidates,
            contests=joined.contests,
            ballot_counts=joined.ballot_counts,
            scopes=joined.scopes,
            units=lambda scope: [scope, *joined.units.values()],
            parties=list(joined.parties.values()),
            offices=joined.offices,
            people=joined.people,
        ),
    )


class _DayFields(NamedTuple):
    """What the day's ElectionReport takes from its contests' parts: the joined report has them as lists, the
    streamed one partly as `Lazy` (made as they are written); `units` gives the GpUnit list from the day's own
    scope."""

    status: str
    precinct: bool
    vendor: Any
    count_status: Any
    candidates: Any
    contests: Any
    ballot_counts: Any
    scopes: Any
    units: Callable[[dict[str, Any]], Any]
    parties: list[Any]
    offices: Any
    people: Any


def _day_report(day: ElectionDay, when: datetime, issuer: str, fields: _DayFields) -> dict[str, Any]:
    """The day's ElectionReport: one Election (the day, every contest in it), the day's own scope first among
    the GpUnits; the one home of its shape for the joined and the streamed report."""
    assert day.date is not None
    election = {
        "@type": "ElectionResults.Election",
        "ElectionScopeId": DAY_ID,
        "Name": _text(day.name, day.names),
        "StartDate": day.date.isoformat(),
        "EndDate": day.date.isoformat(),
        "Type": "general",
        "CountStatus": fields.count_status,
        "Candidate": fields.candidates,
        "Contest": fields.contests,
        "BallotCounts": fields.ballot_counts,
    }
    scope = {
        "@id": DAY_ID,
        "@type": "ElectionResults.ReportingUnit",
        "Type": "other",
        "OtherType": "election-day",
        "Name": _text(day.name, day.names),
        "ComposingGpUnitIds": fields.scopes,
        "VotersRegistered": day.registered,
    }
    return (
        {
            "@type": "ElectionResults.ElectionReport",
            "Format": "precinct-level" if fields.precinct else "summary-contest",
            "GeneratedDate": when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Issuer": issuer,
            "IssuerAbbreviation": issuer,
            "SequenceStart": 1,
            "SequenceEnd": 1,
            "Status": fields.status,
            "VendorApplicationId": fields.vendor,
            "Election": [election],
            "GpUnit": fields.units(scope),
            "Party": fields.parties,
            "Office": fields.offices,
        }
        | ({"Person": fields.people} if fields.people else {})
        | ({"Notes": " ".join(day.notes)} if day.notes else {})
    )


def _day_status(own: Sequence[str], status: str | None) -> str:
    """The day's `Status` from its contests' (`status`: the caller's word, as `election_report` checked it, each
    part's own; None: the least final of the parts')."""
    partial, certified = STATUSES["partial"], STATUSES["certified"]
    if status is not None:
        return own[0]
    return partial if partial in own else certified if set(own) == {certified} else STATUSES["complete"]


def _text(content: str, names: Mapping[str, str]) -> dict[str, Any]:
    strings = [(content, "en"), *((name, lang) for lang, name in names.items() if lang != "en")]
    return {
        "@type": "ElectionResults.InternationalizedText",
        "Text": [{"@type": "ElectionResults.LanguageString", "Content": c, "Language": lang} for c, lang in strings],
    }


def _is_reference(key: str) -> bool:
    return key == "@id" or key.endswith(("Id", "Ids"))


def _renamed(value: Any, names: Mapping[str, str], key: str = "") -> Any:
    """The value with every id under an id key (`@id`, `...Id`, `...Ids`) renamed through `names`."""
    if isinstance(value, dict):
        return {k: _renamed(v, names, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_renamed(v, names, key) for v in value]
    if isinstance(value, str) and _is_reference(key):
        return names.get(value, value)
    return value


def _ids(value: Any) -> list[str]:
    """Every `@id` the value defines."""
    found: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("@id"), str):
                found.append(item["@id"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


class _Joined:
    """The parts of the day's report, gathered contest by contest."""

    def __init__(self) -> None:
        self.units: dict[str, dict[str, Any]] = {}
        self.station_states: dict[str, list[str]] = {}
        self.parties: dict[str, dict[str, Any]] = {}
        self.candidates: list[dict[str, Any]] = []
        self.contests: list[dict[str, Any]] = []
        self.ballot_counts: list[dict[str, Any]] = []
        self.offices: list[dict[str, Any]] = []
        self.people: list[dict[str, Any]] = []
        self.scopes: list[str] = []
        self.election_states: list[str] = []

    def add(self, contest: Contest, report: Mapping[str, Any]) -> None:
        prefix = f"{contest.id}-"
        names: dict[str, str] = {}
        for ident in _ids(report):
            if ident.startswith(SHARED_PREFIXES) or ident == AGAINST_ALL_ID:
                continue
            names[ident] = prefix + ident
        for party in report.get("Party", []):
            names[party["@id"]] = _party_id(self.parties, party, prefix)
        report = _renamed(report, names)
        election = report["Election"][0]
        self.scopes.append(election["ElectionScopeId"])
        self.election_states.append(election["CountStatus"][0]["Status"])
        for party in report.get("Party", []):
            if party["@id"] in self.parties:
                scopes = self.parties[party["@id"]]["PartyScopeGpUnitIds"]
                scopes += [s for s in party["PartyScopeGpUnitIds"] if s not in scopes]
            else:
                self.parties[party["@id"]] = party
        for unit in report["GpUnit"]:
            if unit["@id"] in self.units:  # a station counting several contests
                self.station_states[unit["@id"]].append(unit["CountStatus"][0]["Status"])
                self.units[unit["@id"]]["CountStatus"] = _combined(self.station_states[unit["@id"]])
            else:
                self.units[unit["@id"]] = unit
                self.station_states[unit["@id"]] = [unit["CountStatus"][0]["Status"]] if "CountStatus" in unit else []
        known = {c["@id"] for c in self.candidates}
        self.candidates += [c for c in election["Candidate"] if c["@id"] not in known]
        for item in election["Contest"]:
            self.contests.append(item | {"SequenceOrder": len(self.contests) + 1})
        for counts in election["BallotCounts"]:
            self.ballot_counts.append(counts | {"OtherType": f"{contest.id}/{counts['OtherType']}"})
        self.offices += report["Office"]
        self.people += report.get("Person", [])

    def count_status(self) -> list[dict[str, Any]]:
        return _combined(self.election_states)


def _party_id(parties: Mapping[str, Mapping[str, Any]], party: Mapping[str, Any], prefix: str) -> str:
    """One Party for a party whose record is the same in every contest (its scope apart), else its own."""
    kept = parties.get(party["@id"])
    if kept is None or _record(kept) == _record(party):
        return str(party["@id"])
    return prefix + str(party["@id"])


def _record(party: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in party.items() if k not in ("@id", "PartyScopeGpUnitIds")}


def _combined(states: Sequence[str]) -> list[dict[str, Any]]:
    """`completed` when every part is, `not-processed` when none has begun, else `in-process`."""
    if all(s == "completed" for s in states):
        status = "completed"
    elif all(s == "not-processed" for s in states):
        status = "not-processed"
    else:
        status = "in-process"
    return [{"@type": "ElectionResults.CountStatus", "Status": status, "Type": "total"}]


class _Streamed:
    """The day's report as `joined_report` makes it, its long lists written contest by contest as they are
    made: each contest's export made once, its items renamed (`_adjusted`) as they are written."""

    def __init__(self) -> None:
        self.parts: list[_Part] = []
        self.parties: dict[str, dict[str, Any]] = {}
        self.candidates: list[dict[str, Any]] = []
        self.offices: list[dict[str, Any]] = []
        self.people: list[dict[str, Any]] = []

    def add(
        self,
        contest: Contest,
        result: Result,
        count: StationCount | None,
        status: str | None,
        when: datetime,
        issuer: str,
    ) -> None:
        names: dict[str, str] = {}
        export = export_of(result, count, DayPart(lambda item: _adjusted(item, names, contest.id)))
        report = report_of(lambda _r, _c: export, result, status, when, issuer, count)
        prefix = f"{contest.id}-"
        for ident in _defined(report):
            if not (ident.startswith(SHARED_PREFIXES) or ident == AGAINST_ALL_ID):
                names[ident] = prefix + ident
        for party in report.get("Party", []):
            names[party["@id"]] = _party_id(self.parties, party, prefix)
        for party in _adjusted(report.get("Party", []), names, contest.id):
            if party["@id"] in self.parties:
                scopes = self.parties[party["@id"]]["PartyScopeGpUnitIds"]
                scopes += [s for s in party["PartyScopeGpUnitIds"] if s not in scopes]
            else:
                self.parties[party["@id"]] = party
        election = _adjusted(report["Election"][0], names, contest.id)
        known = {c["@id"] for c in self.candidates}
        self.candidates += [c for c in election["Candidate"] if c["@id"] not in known]
        self.offices += _adjusted(report["Office"], names, contest.id)
        self.people += _adjusted(report.get("Person", []), names, contest.id)
        self.parts.append(_Part(contest, export, report, election, names))

    def share_stations(self) -> None:
        """Each station's status over the day, and which contest writes its unit (the first that has it)."""
        units = [part.unit_states() for part in self.parts]
        numbers = np.concatenate([n for n, _ in units]) if units else np.zeros(0, np.int64)
        if not numbers.size:
            return
        states = np.concatenate([s for _, s in units])
        owner = np.repeat(np.arange(len(units)), [n.size for n, _ in units])
        order = np.argsort(numbers, kind="stable")
        _, starts, inverse = np.unique(numbers[order], return_index=True, return_inverse=True)
        low, high = np.minimum.reduceat(states[order], starts), np.maximum.reduceat(states[order], starts)
        combined = np.where(low == 2, 2, np.where(high == 0, 0, 1))
        first = owner[order][starts]
        at = np.empty(numbers.size, np.int64)
        at[order] = inverse
        ends = np.cumsum([n.size for n, _ in units])
        for k, part in enumerate(self.parts):
            mine = at[ends[k] - units[k][0].size : ends[k]]
            part.share(first[mine] == k, combined[mine])

    def report(self, day: ElectionDay, status: str | None, when: datetime, issuer: str) -> dict[str, Any]:
        parts = self.parts
        return _day_report(
            day,
            when,
            issuer,
            _DayFields(
                status=_day_status([part.report["Status"] for part in parts], status),
                precinct=any(part.report["Format"] == "precinct-level" for part in parts),
                vendor=parts[0].report["VendorApplicationId"],
                count_status=_combined([part.election["CountStatus"][0]["Status"] for part in parts]),
                candidates=self.candidates,
                contests=Lazy(self.contests),
                ballot_counts=Lazy(lambda: itertools.chain(*(part.election["BallotCounts"] for part in parts))),
                scopes=[part.election["ElectionScopeId"] for part in parts],
                units=lambda scope: Lazy(lambda: itertools.chain([scope], *(part.units() for part in parts))),
                parties=list(self.parties.values()),
                offices=self.offices,
                people=self.people,
            ),
        )

    def contests(self) -> Iterator[dict[str, Any]]:
        numbered = 0
        for part in self.parts:
            for item in part.election["Contest"]:
                numbered += 1
                yield item | {"SequenceOrder": numbered}


class _Part:
    """One contest of the day: its export, its report (as made, and its `Election` renamed) and its ids' names."""

    def __init__(
        self, contest: Contest, export: Export, report: dict[str, Any], election: dict[str, Any], names: dict[str, str]
    ) -> None:
        self.contest, self.export, self.report, self.election, self.names = contest, export, report, election, names
        self.shared: dict[int, tuple[bool, int]] = {}
        """A station unit the definition writes: whether this contest writes it, and its status over the day."""

    def unit_states(self) -> tuple[Int64Array, Int64Array]:
        """The stations whose units this contest's report writes, in its order, and each one's own status."""
        export = self.export
        if isinstance(export, ColumnExport):
            return export.numbers[export.unit_positions()], export.unit_states()
        numbers, states = [], []
        needed = len(export.ballots())
        for district in export.election.districts:
            for station in export.stations_of.get(district.number, []):
                protocols = sum((station.number, b) in export.by_station for b in ("list", "district"))
                numbers.append(station.number)
                states.append(2 if protocols >= needed else 1 if protocols else 0)
        return np.array(numbers, np.int64), np.array(states, np.int64)

    def share(self, writes: Any, status: Int64Array) -> None:
        export = self.export
        if isinstance(export, ColumnExport):
            assert export.part is not None
            at = export.unit_positions()
            export.part.writes = np.zeros(export.numbers.size, np.bool_)
            export.part.status = np.zeros(export.numbers.size, np.int64)
            export.part.writes[at], export.part.status[at] = writes, status
        else:
            numbers = self.unit_states()[0].tolist()
            self.shared = dict(zip(numbers, zip(writes.tolist(), status.tolist(), strict=True), strict=True))

    def units(self) -> Iterator[Any]:
        """The contest's reporting units, renamed; a station's written by the first contest that has it."""
        for unit in _adjusted(self.report["GpUnit"], self.names, self.contest.id):
            if isinstance(unit, dict) and unit["@id"].startswith(SHARED_PREFIXES) and self.shared:
                writes, status = self.shared[int(unit["@id"].removeprefix(SHARED_PREFIXES[0]))]
                if not writes:
                    continue
                unit = unit | {"CountStatus": _combined([_WORDS[status]])}
            yield unit


_WORDS = ("not-processed", "in-process", "completed")


def _adjusted(value: Any, names: Mapping[str, str], contest: str, key: str = "") -> Any:
    """`_renamed`, a `Lazy` list renamed as it is made (a `Block`'s lines are renamed by their format, a `Raw`
    read), and a BallotCounts' `OtherType` given the contest's id, as `joined_report` gives it."""
    if isinstance(value, dict):
        out = {k: _adjusted(v, names, contest, k) for k, v in value.items()}
        if out.get("@type") == "ElectionResults.BallotCounts":
            out["OtherType"] = f"{contest}/{out['OtherType']}"
        return out
    if isinstance(value, list):
        return [_adjusted(v, names, contest, key) for v in value]
    if isinstance(value, Lazy):
        return Lazy(lambda: (_adjusted_item(v, names, contest, key) for v in value))
    if isinstance(value, str) and _is_reference(key):
        return names.get(value, value)
    return value


def _adjusted_item(item: Any, names: Mapping[str, str], contest: str, key: str) -> Any:
    if isinstance(item, Block):
        return item
    return _adjusted(json.loads(item) if isinstance(item, Raw) else item, names, contest, key)


def _defined(report: Mapping[str, Any]) -> list[str]:
    """Every `@id` the report (as `report_of` makes it) defines: its long lists hold none but the reporting
    units' (districts, and stations whose ids are shared), so only `GpUnit` is gone through, its dictionaries."""
    found: list[str] = []
    stack: list[Any] = [report]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("@id"), str):
                found.append(item["@id"])
            stack.extend(v for k, v in item.items() if not isinstance(v, Lazy) or k == "GpUnit")
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, Lazy):
            stack.extend(v for v in item if isinstance(v, dict))
    return found
