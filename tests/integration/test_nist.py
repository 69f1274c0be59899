"""The NIST SP 1500-100 v2 export: valid against NIST's own schema, and a consumer can sum it.

The sums are checked against the folder's CSV files read here with the csv module (the station protocols
and the published totals in results/), never through saylau's tabulation.
"""

from __future__ import annotations

import copy
import csv
import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from saylau.errors import InputError
from saylau.io import load_election
from saylau.io.count import count_folder
from saylau.reports.nist import Ids, StationCount, election_report, language, render_nist
from saylau.result import Result, declare

ROOT = Path(__file__).resolve().parents[2]
ALMATY = ROOT / "examples" / "almaty-2023"
# The official schema (shared/data/nist), vendored with the package so the export can be checked offline.
SCHEMA_PATH = ROOT / "src/saylau/reports/schemas/NIST_V2_election_results_reporting.json"
WHEN = datetime(2023, 3, 20, 12, 0, tzinfo=UTC)
Doc = dict[str, Any]


@pytest.fixture(scope="module")
def schema() -> Doc:
    loaded: Doc = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="module")
def validator(schema: Doc) -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(schema)  # the schema declares draft-04
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _export(folder: Path) -> tuple[Result, Doc]:
    result = declare(load_election(folder))
    counted = count_folder(folder, result.election)
    count = StationCount(counted[0], counted[1].accepted) if counted else None
    doc: Doc = json.loads(render_nist(result, generated=WHEN, count=count))
    return result, doc


@pytest.fixture(scope="module")
def almaty_export() -> tuple[Result, Doc]:
    return _export(ALMATY)


@pytest.fixture(scope="module")
def report(almaty_export: tuple[Result, Doc]) -> Doc:
    return almaty_export[1]


def _errors(validator: jsonschema.protocols.Validator, doc: Doc) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)]


def test_almaty_export_validates(validator: jsonschema.protocols.Validator, report: Doc) -> None:
    assert _errors(validator, report) == []


def test_schema_is_draft4(schema: Doc) -> None:
    assert jsonschema.validators.validator_for(schema) is jsonschema.Draft4Validator


@pytest.fixture(scope="module")
def summary_report(almaty_export: tuple[Result, Doc]) -> Doc:
    """The export without polling stations (what a folder of published totals gives): small and quick."""
    return election_report(almaty_export[0], generated=WHEN)


def test_summary_export_validates(validator: jsonschema.protocols.Validator, summary_report: Doc) -> None:
    assert summary_report["Format"] == "summary-contest"
    assert _errors(validator, summary_report) == []


@pytest.mark.parametrize("breakage", ["missing-votes-allowed", "bad-status", "bad-colour", "bad-count-type"])
def test_broken_documents_fail(validator: jsonschema.protocols.Validator, summary_report: Doc, breakage: str) -> None:
    doc = copy.deepcopy(summary_report)
    district = next(c for c in _contests(doc) if c["@type"] == "ElectionResults.CandidateContest")
    if breakage == "missing-votes-allowed":
        del district["VotesAllowed"]
    elif breakage == "bad-status":
        doc["Status"] = "final"
    elif breakage == "bad-colour":
        doc["Party"][0]["Color"] = "blue"
    else:
        district["ContestSelection"][0]["VoteCounts"][0]["Type"] = "votes"
    assert _errors(validator, doc)


# -- what the folder says, read with the csv module -------------------------------------------------------


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f)


def _folder_sums(folder: Path, ballot: str) -> dict[str, Counter[str]]:
    """GpUnit id -> option (or `against all`, `invalid`, `found`) -> sum, over the protocols of one ballot."""
    sums: dict[str, Counter[str]] = defaultdict(Counter)
    for path in sorted((folder / "protocols").glob("*.csv")):
        for row in _rows(path):
            if row["ballot"] != ballot:
                continue
            figures = Counter({k[5:]: int(v) for k, v in row.items() if k.startswith("vote:") and v != ""})
            figures.update({"against all": int(row["against_all"]), "invalid": int(row["invalid"])})
            figures["found"] = int(row["found"])
            units = [f"gpu-station-{row['station']}", f"gpu-district-{row['district']}"]
            if ballot == "list":
                units.append("gpu-city")
            for unit in units:
                sums[unit].update(figures)
    return sums


def _contests(doc: Doc) -> list[Doc]:
    contests: list[Doc] = doc["Election"][0]["Contest"]
    return contests


def _names(doc: Doc) -> dict[str, str]:
    """Selection-referenced id -> the name a consumer would show (party abbreviation, candidate ballot name)."""
    names = {p["@id"]: p["Abbreviation"]["Text"][0]["Content"] for p in doc["Party"]}
    names |= {c["@id"]: c["BallotName"]["Text"][0]["Content"] for c in doc["Election"][0]["Candidate"]}
    return names


def _exported(doc: Doc, contest: Doc) -> dict[str, Counter[str]]:
    """GpUnit id -> option name -> the `total` count the export gives for it."""
    names, out = _names(doc), defaultdict(Counter)
    for selection in contest["ContestSelection"]:
        ref = (selection.get("PartyIds") or selection.get("CandidateIds"))[0]
        name = "against all" if ref == "cand-against-all" else names[ref]
        for count in selection["VoteCounts"]:
            if count["Type"] == "total":
                out[count["GpUnitId"]][name] += count["Count"]
    return out


def _options(sums: Counter[str]) -> Counter[str]:
    return Counter({k: v for k, v in sums.items() if k not in ("invalid", "found")})


def test_list_counts_add_up_to_the_protocols_at_every_level(report: Doc) -> None:
    expected = _folder_sums(ALMATY, "list")
    exported = _exported(report, next(c for c in _contests(report) if c["@id"] == "contest-list"))
    assert set(exported) == set(expected) and len(expected) == 1 + 21 + 553
    for unit, sums in expected.items():
        assert +exported[unit] == +_options(sums), unit


def test_city_totals_are_the_published_ones(report: Doc) -> None:
    """Summing `total` over the list contest gives party votes + "against all" = the valid ballots published."""
    published = {r["party"]: int(r["votes"]) for r in _rows(ALMATY / "results" / "list.csv")}
    ballots = next(r for r in _rows(ALMATY / "results" / "ballots.csv") if r["ballot"] == "list")
    city = _exported(report, _contests(report)[0])["gpu-city"]
    assert city["against all"] == int(ballots["against_all"]) == 16490
    assert {k: v for k, v in city.items() if k != "against all"} == published
    assert sum(city.values()) == int(ballots["took_part"]) - int(ballots["invalid"]) == 302270 - 10514


def test_district_counts_add_up_to_the_protocols_and_published_totals(report: Doc) -> None:
    expected = _folder_sums(ALMATY, "district")
    published: dict[str, Counter[str]] = defaultdict(Counter)
    for row in _rows(ALMATY / "results" / "districts.csv"):
        published[f"gpu-district-{row['district']}"][row["candidate"]] += int(row["votes"])
    for row in _rows(ALMATY / "results" / "ballots.csv"):
        if row["ballot"] == "district":
            published[f"gpu-district-{row['district']}"]["against all"] += int(row["against_all"])
    district_total = 0
    for contest in _contests(report)[1:]:
        exported = _exported(report, contest)
        district = contest["ElectionDistrictId"]
        units = {u for u in expected if u == district or (u.startswith("gpu-station-") and district in _parents(u))}
        assert set(exported) == units
        for unit in units:
            assert +exported[unit] == +_options(expected[unit]), unit
        assert +exported[district] == +published[district]
        district_total += sum(exported[district].values())
    ballots = [r for r in _rows(ALMATY / "results" / "ballots.csv") if r["ballot"] == "district"]
    assert district_total == sum(int(r["took_part"]) - int(r["invalid"]) for r in ballots)


_STATION_DISTRICT = {
    f"gpu-station-{r['station']}": f"gpu-district-{r['district']}" for r in _rows(ALMATY / "stations.csv")
}


def _parents(unit: str) -> set[str]:
    return {_STATION_DISTRICT[unit]}


def test_ballot_counts_per_ballot_and_level(report: Doc) -> None:
    for ballot in ("list", "district"):
        expected = _folder_sums(ALMATY, ballot)
        counts = [b for b in report["Election"][0]["BallotCounts"] if b["OtherType"] == f"{ballot}-ballot"]
        got = {b["GpUnitId"]: (b["BallotsCast"], b["BallotsRejected"]) for b in counts}
        assert got == {u: (s["found"], s["invalid"]) for u, s in expected.items()}
        assert all(b["Type"] == "other" for b in counts)


def test_every_level_rolls_up(report: Doc) -> None:
    """For every selection, stations sum to their district and districts to the city, as a consumer would check."""
    children: dict[str, list[str]] = {u["@id"]: u.get("ComposingGpUnitIds", []) for u in report["GpUnit"]}
    checked = 0
    for contest in _contests(report):
        for selection in contest["ContestSelection"]:
            counts = {c["GpUnitId"]: c["Count"] for c in selection["VoteCounts"] if c["Type"] == "total"}
            for unit, count in counts.items():
                if children[unit] and all(child in counts for child in children[unit]):
                    assert sum(counts[child] for child in children[unit]) == count
                    checked += 1
    assert checked == 7 * 22 + sum(len(c["ContestSelection"]) for c in _contests(report)[1:])


def test_content(almaty_export: tuple[Result, Doc]) -> None:
    almaty, report = almaty_export
    election = report["Election"][0]
    assert report["Status"] == "unofficial-complete" and report["Format"] == "precinct-level"
    assert election["CountStatus"][0]["Status"] == "completed"
    assert report["GeneratedDate"] == "2023-03-20T12:00:00Z"
    assert election["StartDate"] == "2023-03-19"
    units = {u["Type"]: 0 for u in report["GpUnit"]} | Counter(u["Type"] for u in report["GpUnit"])
    assert units == {"city": 1, "city-council": 21, "precinct": 553}
    city = report["GpUnit"][0]
    assert city["Name"]["Text"][0]["Content"] == "Almaty"  # the territory, not the council
    assert city["ElectionAdministration"]["Name"] == "Almaty City Territorial Electoral Commission"
    assert city["TotalSubUnits"] == city["SubUnitsReported"] == 21
    assert [o["@id"] for o in report["Office"]][:2] == ["office-list", "office-district-1"]
    party_contest, districts = _contests(report)[0], _contests(report)[1:]
    assert party_contest["SubUnitsReported"] == party_contest["TotalSubUnits"] == 553
    assert len(districts) == 21 and all(c["NumberElected"] == 1 for c in districts)
    seats = {
        s["PartyIds"][0]: c["Count"]
        for s in party_contest["ContestSelection"]
        if "PartyIds" in s
        for c in s["VoteCounts"]
        if c["Type"] == "seats"
    }
    assert seats["party-Amanat"] == almaty.composition.party("Amanat").list_seats  # type: ignore[union-attr]
    assert sum(seats.values()) == int(party_contest["ExternalIdentifier"][0]["Value"]) == 21
    candidates = election["Candidate"]
    winners = [c for c in candidates if c.get("PostElectionStatus") == "winner"]
    assert len(winners) == almaty.composition.seats_filled == 42
    listed = [c for c in candidates if c["@id"].startswith("cand-list-")]
    lists_csv = list(_rows(ALMATY / "lists.csv"))
    assert len(listed) == len(lists_csv) and all("PartyId" in c for c in listed)


def test_language_follows_the_script(report: Doc) -> None:
    assert language("Аким Турсунов", "ru") == "ru"
    assert language("Аким Турсунов", "kk") == "kk"
    assert language("Аким Турсунов") == "und-Cyrl"
    assert language("Қасым-Жомарт Тоқаев", "ru") == "kk"  # Kazakh letters say so whatever the folder says
    assert language("Meyirjan Otynşiev", "ru") == "en"
    tags = {
        c["BallotName"]["Text"][0]["Content"]: c["BallotName"]["Text"][0]["Language"]
        for c in report["Election"][0]["Candidate"]
    }
    assert tags["Аким Турсунов"] == "ru" and tags["Zhansaya Abdumalik"] == "en"


# -- ids --------------------------------------------------------------------------------------------------


def _ids_and_references(doc: Any) -> tuple[list[str], set[str]]:
    ids: list[str] = []
    refs: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "@id":
                    ids.append(value)
                elif key.endswith("Id") and key != "VendorApplicationId" and isinstance(value, str):
                    refs.add(value)
                elif key.endswith("Ids") and isinstance(value, list):
                    refs.update(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(doc)
    return ids, refs


def test_almaty_ids_unique_and_resolved(report: Doc) -> None:
    ids, refs = _ids_and_references(report)
    assert len(ids) == len(set(ids))
    assert refs <= set(ids)


HOSTILE = ["Нұр Отан", "Ақ жол", "against all", "Against-All", "sel-list-against-all"]


def test_hostile_party_names_give_unique_ids(tmp_path: Path, validator: jsonschema.protocols.Validator) -> None:
    """Cyrillic short names (no ASCII to slug), a party called "against all", names shaped like our ids."""
    folder = tmp_path / "almaty-2021"
    folder.mkdir()
    source = ROOT / "examples" / "almaty-2021"
    (folder / "election.toml").write_text((source / "election.toml").read_text(encoding="utf-8"), encoding="utf-8")
    originals = [r["short_name"] for r in _rows(source / "parties.csv")]
    assert len(originals) == len(HOSTILE)
    renamed = dict(zip(originals, HOSTILE, strict=True))
    for name in ("parties.csv", "results/list.csv", "results/ballots.csv"):
        rows = list(_rows(source / name))
        key = "short_name" if name == "parties.csv" else "party"
        for row in rows:
            if key in row:
                row[key] = renamed.get(row[key], row[key])
        (folder / name).parent.mkdir(exist_ok=True)
        with (folder / name).open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    result = declare(load_election(folder, follow_previous=False))
    doc = election_report(result, generated=WHEN)
    ids, refs = _ids_and_references(doc)
    assert len(ids) == len(set(ids)) and refs <= set(ids)
    assert {p["@id"] for p in doc["Party"]} == {
        "party",
        "party-2",
        "party-against-all",
        "party-Against-All",
        "party-sel-list-against-all",
    }
    assert _errors(validator, json.loads(json.dumps(doc))) == []


def test_ids_never_repeat() -> None:
    ids = Ids()
    given = [ids.new("party", n) for n in ("A B", "A-B", "A-B-2", "Аманат", "Ауыл", "")]
    assert given == ["party-A-B", "party-A-B-2", "party-A-B-2-2", "party", "party-2", "party-3"]


# -- status -----------------------------------------------------------------------------------------------


def test_partial_count_is_marked(almaty_copy: Path, validator: jsonschema.protocols.Validator) -> None:
    files = sorted((almaty_copy / "protocols").glob("*.csv"))
    for path in files[: len(files) // 2]:
        path.unlink()
    result, doc = _export(almaty_copy)
    assert doc["Status"] == "unofficial-partial"
    assert doc["Election"][0]["CountStatus"][0]["Status"] == "in-process"
    contest = _contests(doc)[0]
    reported = result.progress["list"].stations_reported
    assert (contest["SubUnitsReported"], contest["TotalSubUnits"]) == (reported, 553) and reported < 553
    assert contest["CountStatus"][0]["Status"] == "in-process"
    statuses = Counter(u["CountStatus"][0]["Status"] for u in doc["GpUnit"] if u["Type"] == "precinct")
    assert statuses == {"completed": reported, "not-processed": 553 - reported}
    expected = _folder_sums(almaty_copy, "list")
    assert +_exported(doc, contest)["gpu-city"] == +_options(expected["gpu-city"])
    assert _errors(validator, doc) == []


@pytest.mark.parametrize(("status", "expected"), [("partial", "unofficial-partial"), ("certified", "certified")])
def test_status_override(almaty_export: tuple[Result, Doc], status: str, expected: str) -> None:
    assert election_report(almaty_export[0], status=status, generated=WHEN)["Status"] == expected


def test_unknown_status_rejected(almaty_export: tuple[Result, Doc]) -> None:
    with pytest.raises(InputError, match="unknown results status"):
        election_report(almaty_export[0], status="final")


def test_cli_nist(report: Doc, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    import saylau.cli.report  # noqa: F401  (registers the command)
    from saylau.cli.app import app

    prefix = ["report"]  # saylau stays a group of commands however few are registered
    target = tmp_path / "nist.json"
    run = CliRunner().invoke(app, [*prefix, str(ALMATY), "--format", "nist", "-o", str(target)])
    assert run.exit_code == 0, run.output
    written = json.loads(target.read_text(encoding="utf-8"))
    written["GeneratedDate"] = report["GeneratedDate"]
    assert written == report  # the command exports the stations too


def test_localised_names_are_tagged_by_the_folders_columns(report: Doc) -> None:
    """`name_kk` / `name_ru` columns become LanguageStrings of their own (read from the folder's CSV here)."""
    party = next(r for r in _rows(ALMATY / "parties.csv") if r["short_name"] == "Amanat")
    text = next(p for p in report["Party"] if p["@id"] == "party-Amanat")["Name"]["Text"]
    assert [(t["Content"], t["Language"]) for t in text] == [
        ("Amanat", "en"),
        (party["full_name_kk"], "kk"),
        (party["full_name_ru"], "ru"),
    ]
    district = next(r for r in _rows(ALMATY / "districts.csv") if r["number"] == "1")
    unit = next(u for u in report["GpUnit"] if u["@id"] == "gpu-district-1")
    assert {t["Language"]: t["Content"] for t in unit["Name"]["Text"]} == {
        "en": "District No. 1",
        "kk": district["name_kk"],
        "ru": district["name_ru"],
    }


def test_commission_officers_and_blank_ballots(
    almaty_export: tuple[Result, Doc], validator: jsonschema.protocols.Validator
) -> None:
    """Officers become Persons the commission names; blank ballots (valid, for no option) are undervotes."""
    import dataclasses

    result = almaty_export[0]
    election = result.election
    assert election.commission is not None and election.results.list_tally is not None
    commission = dataclasses.replace(election.commission, chair="Ә. Chair", secretary="S. Secretary")
    tally = dataclasses.replace(
        election.results.list_tally, blank=7, took_part=election.results.list_tally.took_part + 7
    )
    results = dataclasses.replace(election.results, list_tally=tally)
    changed = dataclasses.replace(
        result, election=dataclasses.replace(election, commission=commission, results=results)
    )
    doc = election_report(changed, generated=WHEN)
    persons = {p["@id"]: p for p in doc["Person"]}
    assert set(persons) == {"person-commission-chair", "person-commission-secretary"}
    assert persons["person-commission-chair"]["FullName"]["Text"][0] == {
        "@type": "ElectionResults.LanguageString",
        "Content": "Ә. Chair",
        "Language": "kk",
    }
    city = doc["GpUnit"][0]
    assert city["ElectionAdministration"]["ElectionOfficialPersonIds"] == list(persons)
    assert _contests(doc)[0]["OtherCounts"] == [
        {"@type": "ElectionResults.OtherCounts", "GpUnitId": "gpu-city", "Undervotes": 7}
    ]
    ids, refs = _ids_and_references(doc)
    assert refs <= set(ids)
    assert _errors(validator, doc) == []
