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

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from saylau.domain.day import Contest, ElectionDay
from saylau.reports.nist import AGAINST_ALL_ID, STATUSES, StationCount, election_report
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
    """The day's ElectionReport as indented JSON (`counts`: each contest's stations, as `render_nist` takes)."""
    report = day_report(day, results, counts or {}, status, generated, issuer)
    return indented(report) + "\n"


def indented(value: Any) -> str:
    """`json.dumps(value, ensure_ascii=False, indent=2)` for the values a report holds (dicts with string
    keys, lists, strings, whole numbers, booleans, None), byte for byte.

    Why: with `indent` the standard library encodes in Python, a generator per level; a day's report of
    10,146 stations (86 MB) took it some 5 s. Here each string is escaped by the C function the encoder
    uses and the pieces are gathered in one list."""
    pieces: list[str] = []
    _indent(value, pieces.append, "\n")
    return "".join(pieces)


def _indent(value: Any, add: Callable[[str], None], newline: str) -> None:
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
    elif value is None or isinstance(value, (bool, int)):
        add(
            "null" if value is None else "true" if value is True else "false" if value is False else int.__repr__(value)
        )
    else:
        add(json.dumps(value, ensure_ascii=False))


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
    own = [r["Status"] for _, r in parts]
    partial, certified = STATUSES["partial"], STATUSES["certified"]
    if status is not None:  # the caller's word, as election_report checked it
        report_status = own[0]
    else:
        report_status = partial if partial in own else certified if set(own) == {certified} else STATUSES["complete"]
    first = parts[0][1]
    election = {
        "@type": "ElectionResults.Election",
        "ElectionScopeId": DAY_ID,
        "Name": _text(day.name, day.names),
        "StartDate": day.date.isoformat(),
        "EndDate": day.date.isoformat(),
        "Type": "general",
        "CountStatus": joined.count_status(),
        "Candidate": joined.candidates,
        "Contest": joined.contests,
        "BallotCounts": joined.ballot_counts,
    }
    scope = {
        "@id": DAY_ID,
        "@type": "ElectionResults.ReportingUnit",
        "Type": "other",
        "OtherType": "election-day",
        "Name": _text(day.name, day.names),
        "ComposingGpUnitIds": joined.scopes,
        "VotersRegistered": day.registered,
    }
    return (
        {
            "@type": "ElectionResults.ElectionReport",
            "Format": "precinct-level" if any(r["Format"] == "precinct-level" for _, r in parts) else "summary-contest",
            "GeneratedDate": when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Issuer": issuer,
            "IssuerAbbreviation": issuer,
            "SequenceStart": 1,
            "SequenceEnd": 1,
            "Status": report_status,
            "VendorApplicationId": first["VendorApplicationId"],
            "Election": [election],
            "GpUnit": [scope, *joined.units.values()],
            "Party": list(joined.parties.values()),
            "Office": joined.offices,
        }
        | ({"Person": joined.people} if joined.people else {})
        | ({"Notes": " ".join(day.notes)} if day.notes else {})
    )


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
            names[party["@id"]] = self._party_id(party, prefix)
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

    def _party_id(self, party: dict[str, Any], prefix: str) -> str:
        """One Party for a party whose record is the same in every contest (its scope apart), else its own."""
        kept = self.parties.get(party["@id"])
        if kept is None or _record(kept) == _record(party):
            return str(party["@id"])
        return prefix + str(party["@id"])

    def count_status(self) -> list[dict[str, Any]]:
        return _combined(self.election_states)


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
