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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from saylau.domain.day import Contest, ElectionDay
from saylau.reports.nist import AGAINST_ALL_ID, STATUSES, StationCount, election_report
from saylau.result import Result

DAY_ID = "gpu-day"
SHARED_PREFIXES = ("gpu-station-",)
"""Ids that name the same thing in every contest: the polling stations."""
_KEPT_STATUSES = {*STATUSES.values(), "correction"}
"""Statuses a kept part may be given in place of its own (a contest's part differs in nothing else)."""


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
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


def day_report(
    day: ElectionDay,
    results: Sequence[tuple[Contest, Result]],
    counts: Mapping[str, StationCount | None],
    status: str | None = None,
    generated: datetime | None = None,
    issuer: str = "saylau",
    parts: Parts | None = None,
) -> dict[str, Any]:
    """The day's ElectionReport as a JSON-ready dictionary.

    `parts` (the publisher's) keeps each contest's part of the report from one call to the next: a contest
    whose key (what the caller says its count is made of) is unchanged, with its parties named as before, is
    neither exported nor renamed again, and its part is the same objects as before (what the publisher's
    writer reuses byte for byte), its `Status` apart. The report is the same with or without it."""
    if day.date is None:
        raise ValueError("a NIST ElectionReport needs the day's date (StartDate/EndDate are required)")
    when = (generated or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    joined = _Joined()
    reports = []
    for contest, result in results:
        key = (parts.keys.get(contest.id), issuer) if parts is not None else None
        kept = parts.made.get(contest.id) if parts is not None else None
        shown = STATUSES.get(status or str(result.status), status or "")  # the part's Status, as exported
        if (
            kept is not None
            and key is not None
            and key[0] is not None
            and kept.key == key
            and (shown == kept.report["Status"] or shown in _KEPT_STATUSES)
            and joined.fits(kept)
        ):
            part = kept if shown == kept.report["Status"] else replace(kept, report=kept.report | {"Status": shown})
        else:
            own_report = election_report(result, status, when, issuer, counts.get(contest.id))
            part = joined.part(contest, own_report, key)
        if parts is not None:
            parts.made[contest.id] = part
        joined.add(part)
        reports.append((contest, part.report))
    own = [r["Status"] for _, r in reports]
    partial, certified = STATUSES["partial"], STATUSES["certified"]
    if status is not None:  # the caller's word, as election_report checked it
        report_status = own[0]
    else:
        report_status = partial if partial in own else certified if set(own) == {certified} else STATUSES["complete"]
    first = reports[0][1]
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
            "Format": "precinct-level"
            if any(r["Format"] == "precinct-level" for _, r in reports)
            else "summary-contest",
            "GeneratedDate": when.strftime("%Y-%m-%dT%H:%M:%SZ"),  # a kept part's own is an earlier one
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


@dataclass(frozen=True, slots=True)
class Part:
    """One contest's part of the day's report: its report renamed for the day, what it was made from (`key`),
    and how its parties were named (`originals`: its own Party records; `parties`: own id -> the day's)."""

    contest: Contest
    key: Any
    report: dict[str, Any]
    originals: tuple[dict[str, Any], ...]
    parties: Mapping[str, str]


@dataclass(slots=True)
class Parts:
    """Each contest's part as a call of `day_report` made it, for the next call: `keys` (set by the caller
    before each call) says what each contest's count is made of; a contest without a key is made anew."""

    keys: dict[str, str] = field(default_factory=dict)
    made: dict[str, Part] = field(default_factory=dict)


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

    def part(self, contest: Contest, report: dict[str, Any], key: Any = None) -> Part:
        """A contest's report with its ids given the contest's id in front (stations and "against all" apart)
        and its parties named as the day's (one Party where its record is the same as a contest's before)."""
        prefix = f"{contest.id}-"
        names: dict[str, str] = {}
        for ident in _ids(report):
            if ident.startswith(SHARED_PREFIXES) or ident == AGAINST_ALL_ID:
                continue
            names[ident] = prefix + ident
        parties = {}
        for party in report.get("Party", []):
            names[party["@id"]] = parties[party["@id"]] = self._party_id(party, prefix)
        originals = tuple(report.get("Party", []))
        return Part(contest, key, _renamed(report, names), originals, parties)

    def fits(self, part: Part) -> bool:
        """Whether a kept part names its parties as this day does now (the contests before it may differ)."""
        prefix = f"{part.contest.id}-"
        return all(self._party_id(p, prefix) == part.parties[p["@id"]] for p in part.originals)

    def add(self, part: Part) -> None:
        """Gather a contest's part; the part itself is left as it is (a later call may reuse it)."""
        contest, report = part.contest, part.report
        election = report["Election"][0]
        self.scopes.append(election["ElectionScopeId"])
        self.election_states.append(election["CountStatus"][0]["Status"])
        for party in report.get("Party", []):
            if party["@id"] in self.parties:
                kept = self.parties[party["@id"]]
                scopes = kept["PartyScopeGpUnitIds"]
                added = [s for s in party["PartyScopeGpUnitIds"] if s not in scopes]
                self.parties[party["@id"]] = kept | {"PartyScopeGpUnitIds": [*scopes, *added]}
            else:
                self.parties[party["@id"]] = party
        for unit in report["GpUnit"]:
            if unit["@id"] in self.units:  # a station counting several contests
                self.station_states[unit["@id"]].append(unit["CountStatus"][0]["Status"])
                combined = _combined(self.station_states[unit["@id"]])
                self.units[unit["@id"]] = self.units[unit["@id"]] | {"CountStatus": combined}
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
