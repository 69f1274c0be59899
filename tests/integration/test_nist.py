"""The NIST SP 1500-100 v2 export validates against NIST's own schema, and the validator is not a rubber stamp."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from saylau.io import load_election
from saylau.reports.nist import election_report, render_nist
from saylau.result import Result, declare

ROOT = Path(__file__).resolve().parents[2]
# The official schema (shared/data/nist), vendored with the package so the export can be checked offline.
SCHEMA_PATH = Path(__file__).resolve().parents[2] / "src/saylau/reports/schemas/NIST_V2_election_results_reporting.json"
WHEN = datetime(2023, 3, 20, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(schema)  # the schema declares draft-04
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def almaty() -> Result:
    return declare(load_election(ROOT / "examples" / "almaty-2023"))


@pytest.fixture(scope="module")
def report(almaty: Result) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(render_nist(almaty, generated=WHEN))
    return loaded


def _errors(validator: jsonschema.protocols.Validator, doc: dict[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)]


def test_almaty_export_validates(validator: jsonschema.protocols.Validator, report: dict[str, Any]) -> None:
    assert _errors(validator, report) == []


def test_schema_is_draft4(schema: dict[str, Any]) -> None:
    assert jsonschema.validators.validator_for(schema) is jsonschema.Draft4Validator


@pytest.mark.parametrize(
    "breakage",
    ["missing-votes-allowed", "bad-status", "bad-colour", "bad-count-type"],
)
def test_broken_documents_fail(
    validator: jsonschema.protocols.Validator, report: dict[str, Any], breakage: str
) -> None:
    doc = copy.deepcopy(report)
    contests = doc["Election"][0]["Contest"]
    district = next(c for c in contests if c["@type"] == "ElectionResults.CandidateContest")
    if breakage == "missing-votes-allowed":
        del district["VotesAllowed"]
    elif breakage == "bad-status":
        doc["Status"] = "final"
    elif breakage == "bad-colour":
        doc["Party"][0]["Color"] = "blue"
    else:
        district["ContestSelection"][0]["VoteCounts"][0]["Type"] = "votes"
    assert _errors(validator, doc)


def test_content(almaty: Result, report: dict[str, Any]) -> None:
    election = report["Election"][0]
    assert report["Status"] == "unofficial-complete"
    assert report["GeneratedDate"] == "2023-03-20T12:00:00Z"
    assert election["StartDate"] == "2023-03-19"
    city = report["GpUnit"][0]
    assert city["Type"] == "city"
    assert city["TotalSubUnits"] == city["SubUnitsReported"] == 21
    assert len(report["GpUnit"]) == 22
    contests = election["Contest"]
    party_contest = [c for c in contests if c["@type"] == "ElectionResults.PartyContest"]
    districts = [c for c in contests if c["@type"] == "ElectionResults.CandidateContest"]
    assert len(party_contest) == 1 and len(districts) == 21
    assert all(c["NumberElected"] == 1 for c in districts)
    seats = {}
    votes = {}
    for sel in party_contest[0]["ContestSelection"]:
        if sel["@type"] != "ElectionResults.PartySelection":
            assert sel["VoteCounts"][0]["OtherType"] == "against-all"
            assert sel["VoteCounts"][0]["Count"] == 16490
            continue
        counts = {c["Type"]: c["Count"] for c in sel["VoteCounts"]}
        seats[sel["PartyIds"][0]] = counts.get("seats", 0)
        votes[sel["PartyIds"][0]] = counts["total"]
    assert votes["party-Amanat"] == 151531
    assert seats["party-Amanat"] == almaty.composition.party("Amanat").list_seats  # type: ignore[union-attr]
    assert sum(seats.values()) == int(party_contest[0]["ExternalIdentifier"][0]["Value"]) == 21
    rejected = {b["GpUnitId"]: b["BallotsRejected"] for b in election["BallotCounts"]}
    assert rejected["gpu-city"] == 10514
    winners = [c for c in election["Candidate"] if c.get("PostElectionStatus") == "winner"]
    assert len(winners) == almaty.composition.seats_filled


@pytest.mark.parametrize(("status", "expected"), [("partial", "unofficial-partial"), ("certified", "certified")])
def test_status(almaty: Result, status: str, expected: str) -> None:
    assert election_report(almaty, status=status, generated=WHEN)["Status"] == expected


def test_unknown_status_rejected(almaty: Result) -> None:
    with pytest.raises(ValueError, match="unknown results status"):
        election_report(almaty, status="final")


def test_cli_nist(validator: jsonschema.protocols.Validator, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    import saylau.cli.report  # noqa: F401  (registers the command)
    from saylau.cli.app import app

    prefix = ["report"]  # saylau stays a group of commands however few are registered

    target = tmp_path / "nist.json"
    folder = str(ROOT / "examples" / "almaty-2023")
    run = CliRunner().invoke(app, [*prefix, folder, "--format", "nist", "-o", str(target)])
    assert run.exit_code == 0, run.output
    assert _errors(validator, json.loads(target.read_text(encoding="utf-8"))) == []
