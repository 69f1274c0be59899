"""The result as a NIST SP 1500-100 v2 ElectionReport (JSON), the interchange format of US results reporting.

Election offices and aggregators read this format without knowing saylau, so the export sticks to what the
schema (`ElectionResults.*`, JSON Schema draft-04) allows and records the Kazakh specifics it lacks in the
fields the schema leaves open (`OtherType`, `ExternalIdentifier`). docs/nist.md gives the full mapping:

- the city is a `ReportingUnit` of type `city`; each single-member district is one of type `city-council`;
- each district is a `CandidateContest` (one seat, plurality); "against all" is a `CandidateSelection`
  without candidates whose count has `Type` `other`, `OtherType` `against-all`;
- the list tier is a `PartyContest` with one `PartySelection` per party: votes as a `total` count, seats won
  as a `seats` count; the number of list seats, which `PartyContest` has no field for, is an
  `ExternalIdentifier` of `OtherType` `number-elected`;
- invalid ballots are `BallotCounts.BallotsRejected` (the schema's overvotes/undervotes are per-contest
  marks, not spoilt papers), one per ballot: the city's for the list ballot, each district's for its own.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from saylau.domain import Tally
from saylau.result import Result

STATUSES = {
    "partial": "unofficial-partial",
    "complete": "unofficial-complete",
    "certified": "certified",
}
"""saylau's words for how final a result is -> the schema's `ResultsStatus`."""

CITY_ID = "gpu-city"
AGAINST_ALL = "against-all"
LANGUAGE = "en"


def render_nist(
    result: Result,
    status: str = "complete",
    generated: datetime | None = None,
    issuer: str = "saylau",
) -> str:
    """The ElectionReport as indented JSON.

    `status` is `partial`, `complete` or `certified` (or a `ResultsStatus` value itself): saylau cannot know
    whether a commission has certified its figures, so the caller says so. `generated` defaults to now (UTC);
    pass it to get a byte-for-byte reproducible file.
    """
    return json.dumps(election_report(result, status, generated, issuer), ensure_ascii=False, indent=2) + "\n"


def election_report(
    result: Result,
    status: str = "complete",
    generated: datetime | None = None,
    issuer: str = "saylau",
) -> dict[str, Any]:
    """The ElectionReport as a JSON-ready dictionary (what `render_nist` serialises)."""
    election = result.election
    if election.date is None:
        raise ValueError("a NIST ElectionReport needs the election date (StartDate/EndDate are required)")
    results_status = STATUSES.get(status, status)
    if results_status not in {*STATUSES.values(), "correction", "pre-election", "recount"}:
        raise ValueError(f"unknown results status {status!r}; use one of {', '.join(STATUSES)}")
    when = (generated or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    contests: list[dict[str, Any]] = [_district_contest(result, number) for number in _district_numbers(result)]
    if election.results.list_tally is not None:
        contests.insert(0, _list_contest(result, election.results.list_tally))
    election_obj: dict[str, Any] = {
        "@type": "ElectionResults.Election",
        "ElectionScopeId": CITY_ID,
        "Name": _text(election.name),
        "StartDate": election.date.isoformat(),
        "EndDate": election.date.isoformat(),
        "Type": "general",
        "Candidate": _candidates(result),
        "Contest": contests,
        "BallotCounts": _ballot_counts(result),
    }
    return {
        "@type": "ElectionResults.ElectionReport",
        "Format": "summary-contest",
        "GeneratedDate": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "Issuer": issuer,
        "IssuerAbbreviation": issuer,
        "SequenceStart": 1,
        "SequenceEnd": 1,
        "Status": results_status,
        "VendorApplicationId": f"saylau {_version()}",
        "Election": [election_obj],
        "GpUnit": _gp_units(result),
        "Party": _parties(result),
    } | ({"Notes": " ".join(election.notes)} if election.notes else {})


def party_id(short_name: str) -> str:
    """A stable `@id` for a party: the schema wants XML-ID-like strings, so anything else becomes `-`."""
    return "party-" + _slug(short_name)


def district_id(number: int) -> str:
    """The `@id` of district `number`'s ReportingUnit."""
    return f"gpu-district-{number}"


def _slug(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z_.-]+", "-", text).strip("-") or "x"


def _version() -> str:
    try:
        return version("saylau")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "unknown"


def _text(content: str) -> dict[str, Any]:
    return {
        "@type": "ElectionResults.InternationalizedText",
        "Text": [{"@type": "ElectionResults.LanguageString", "Content": content, "Language": LANGUAGE}],
    }


def _count(count: int, gp_unit: str, kind: str = "total", other: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": "ElectionResults.VoteCounts", "Count": count, "GpUnitId": gp_unit, "Type": kind}
    if other is not None:
        out["OtherType"] = other
    return out


def _district_numbers(result: Result) -> list[int]:
    return [d.number for d in result.election.districts]


def _gp_units(result: Result) -> list[dict[str, Any]]:
    election = result.election
    tallies = election.results.district_tallies
    city: dict[str, Any] = {
        "@id": CITY_ID,
        "@type": "ElectionResults.ReportingUnit",
        "Type": "city",
        "Name": _text(election.body.name),
        "IsDistricted": bool(election.districts),
        "ComposingGpUnitIds": [district_id(d.number) for d in election.districts],
        "SubUnitsReported": sum(1 for d in election.districts if d.number in tallies),
        "TotalSubUnits": len(election.districts),
    }
    if election.results.list_tally is not None:
        city["VotersRegistered"] = election.results.list_tally.registered
        city["VotersParticipated"] = election.results.list_tally.took_part
    units = [city]
    for district in election.districts:
        unit: dict[str, Any] = {
            "@id": district_id(district.number),
            "@type": "ElectionResults.ReportingUnit",
            "Type": "city-council",
            "Name": _text(district.name or f"District No. {district.number}"),
            "Number": str(district.number),
        }
        tally = tallies.get(district.number)
        if tally is not None:
            unit["VotersRegistered"] = tally.registered
            unit["VotersParticipated"] = tally.took_part
        units.append(unit)
    return units


def _parties(result: Result) -> list[dict[str, Any]]:
    return [
        {
            "@id": party_id(p.short_name),
            "@type": "ElectionResults.Party",
            "Name": _text(p.full_name),
            "Abbreviation": _text(p.short_name),
            "Color": p.colour.lstrip("#").lower(),
            "PartyScopeGpUnitIds": [CITY_ID],
        }
        for p in result.election.parties_in_registration_order
    ]


def _candidate_id(district: int, index: int) -> str:
    return f"cand-d{district}-{index}"


def _candidates(result: Result) -> list[dict[str, Any]]:
    """District candidates (with their outcome), then list deputies, who stand in no CandidateContest."""
    winners = {d.number: d.winner.name for d in result.composition.districts if d.winner is not None}
    out = []
    for district in result.election.districts:
        for i, candidate in enumerate(district.candidates, 1):
            entry: dict[str, Any] = {
                "@id": _candidate_id(district.number, i),
                "@type": "ElectionResults.Candidate",
                "BallotName": _text(candidate.name),
            }
            if candidate.party:
                entry["PartyId"] = party_id(candidate.party)
            if winners.get(district.number) == candidate.name:
                entry["PostElectionStatus"] = "winner"
            elif district.number in winners:
                entry["PostElectionStatus"] = "defeated"
            out.append(entry)
    for n, deputy in enumerate(d for d in result.composition.deputies if d.district is None):
        entry = {
            "@id": f"cand-list-{n + 1}",
            "@type": "ElectionResults.Candidate",
            "BallotName": _text(deputy.label),
            "PostElectionStatus": "winner",
        }
        if deputy.party:
            entry["PartyId"] = party_id(deputy.party)
        if deputy.list_position is not None:
            entry["ExternalIdentifier"] = [
                {
                    "@type": "ElectionResults.ExternalIdentifier",
                    "Type": "other",
                    "OtherType": "list-position",
                    "Value": str(deputy.list_position),
                }
            ]
        out.append(entry)
    return out


def _district_contest(result: Result, number: int) -> dict[str, Any]:
    election = result.election
    district = next(d for d in election.districts if d.number == number)
    tally = election.results.district_tallies.get(number)
    gp = district_id(number)
    selections: list[dict[str, Any]] = []
    for i, candidate in enumerate(district.candidates, 1):
        selection: dict[str, Any] = {
            "@id": f"sel-d{number}-{i}",
            "@type": "ElectionResults.CandidateSelection",
            "CandidateIds": [_candidate_id(number, i)],
            "SequenceOrder": i,
        }
        if candidate.party:
            selection["EndorsementPartyIds"] = [party_id(candidate.party)]
        if tally is not None:
            selection["VoteCounts"] = [_count(tally.votes.get(candidate.name, 0), gp)]
        selections.append(selection)
    against: dict[str, Any] = {
        "@id": f"sel-d{number}-{AGAINST_ALL}",
        "@type": "ElectionResults.CandidateSelection",
        "SequenceOrder": len(district.candidates) + 1,
    }
    if tally is not None:
        against["VoteCounts"] = [_count(tally.against_all, gp, "other", AGAINST_ALL)]
    selections.append(against)
    return {
        "@id": f"contest-district-{number}",
        "@type": "ElectionResults.CandidateContest",
        "ElectionDistrictId": gp,
        "Name": f"{election.body.name}, {district.name or f'District No. {number}'}",
        "NumberElected": 1,
        "VotesAllowed": 1,
        "VoteVariation": "plurality",
        "SequenceOrder": number + 1,
        "ContestSelection": selections,
    }


def _list_contest(result: Result, tally: Tally) -> dict[str, Any]:
    election, composition = result.election, result.composition
    selections: list[dict[str, Any]] = []
    for i, party in enumerate(election.parties_in_registration_order, 1):
        line = composition.party(party.short_name)
        counts = [_count(tally.votes.get(party.short_name, 0), CITY_ID)]
        if line is not None:
            counts.append(_count(line.list_seats, CITY_ID, "seats"))
        selections.append(
            {
                "@id": f"sel-list-{_slug(party.short_name)}",
                "@type": "ElectionResults.PartySelection",
                "PartyIds": [party_id(party.short_name)],
                "SequenceOrder": i,
                "VoteCounts": counts,
            }
        )
    selections.append(
        {
            "@id": f"sel-list-{AGAINST_ALL}",
            "@type": "ElectionResults.CandidateSelection",
            "SequenceOrder": len(selections) + 1,
            "VoteCounts": [_count(tally.against_all, CITY_ID, "other", AGAINST_ALL)],
        }
    )
    seats = sum(line.list_seats for line in composition.parties)
    return {
        "@id": "contest-list",
        "@type": "ElectionResults.PartyContest",
        "ElectionDistrictId": CITY_ID,
        "Name": f"{election.body.name}, party lists",
        "VoteVariation": "proportional",
        "SequenceOrder": 1,
        "ExternalIdentifier": [
            {
                "@type": "ElectionResults.ExternalIdentifier",
                "Type": "other",
                "OtherType": "number-elected",
                "Value": str(seats),
            }
        ],
        "ContestSelection": selections,
    }


def _ballot_counts(result: Result) -> list[dict[str, Any]]:
    """Ballots taken part and rejected (invalid), per ballot: the list ballot city-wide, each district's own."""
    results = result.election.results
    pairs: list[tuple[str, Tally]] = []
    if results.list_tally is not None:
        pairs.append((CITY_ID, results.list_tally))
    pairs += [(district_id(n), t) for n, t in sorted(results.district_tallies.items())]
    return [
        {
            "@type": "ElectionResults.BallotCounts",
            "GpUnitId": gp,
            "Type": "total",
            "BallotsCast": tally.took_part,
            "BallotsRejected": tally.invalid,
        }
        for gp, tally in pairs
    ]
