"""Almaty's night (examples/almaty-2023-day): the Mäjilis and the city mäslihat, declared and exported together.

Golden figures come from the seed (the mäslihat) and from the Central Election Commission's published final
results of 27 March 2023 (the Mäjilis: inform.kz "Six political parties admitted to Majilis", astanatimes.com
"Six parties elected to parliament according to final results", newtimes.kz), never from saylau; the protocol
sums are read with the csv module.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

import saylau.cli.report
import saylau.cli.results  # noqa: F401  (the modules register their commands)
from saylau.cli.app import app
from saylau.cli.quick import arguments
from saylau.io.day import load_day
from saylau.result_day import DayResult, declare_day

ROOT = Path(__file__).resolve().parents[2]
DAY = ROOT / "examples" / "almaty-2023-day"
ALMATY = ROOT / "examples" / "almaty-2023"
SCHEMA = ROOT / "src/saylau/reports/schemas/NIST_V2_election_results_reporting.json"

# The seed (shared/seed): seats per party, and the 21 list seats by party (Amanat won 12 of 21).
SEED_SEATS = {"Amanat": 25, "QHP": 3, "Respublica": 5, "Baytaq": 3, "Aq Jol": 2, "Auyl": 0}
SEED_LIST_SEATS = {"Amanat": 12, "QHP": 3, "Respublica": 3, "Baytaq": 2, "Aq Jol": 1, "Auyl": 0}
# The CEC's final Mäjilis results: list votes, "against all", list seats; Amanat 62 seats in all (40 + 22 districts).
CEC_VOTES = {
    "Amanat": 3_431_510,
    "Auyl": 693_938,
    "Respublica": 547_154,
    "Aq Jol": 535_139,
    "QHP": 432_920,
    "NSDP": 331_058,
    "Baytaq": 146_431,
}
CEC_AGAINST_ALL = 248_291
CEC_TOOK_PART = 6_366_441
CEC_LIST_SEATS = {"Amanat": 40, "Auyl": 8, "Respublica": 6, "Aq Jol": 6, "QHP": 5, "NSDP": 4, "Baytaq": 0}


@pytest.fixture(scope="module")
def declared() -> DayResult:
    return declare_day(load_day(DAY))


def run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args), terminal_width=100)


def test_the_day_holds_both_contests_on_almatys_stations(declared: DayResult) -> None:
    day = declared.day
    assert [c.id for c in day.contests] == ["majilis", "almaty-maslihat"]
    with (ALMATY / "stations.csv").open(encoding="utf-8") as handle:
        almaty = {int(r["station"]) for r in csv.DictReader(handle)}
    maslihat, majilis = day.contest("almaty-maslihat"), day.contest("majilis")
    assert maslihat is not None and majilis is not None
    assert maslihat.stations == almaty and almaty < majilis.stations
    assert all([c.id for c in day.contests_at(n)] == ["majilis", "almaty-maslihat"] for n in almaty)
    assert day.declarer("majilis") == day.root and day.declarer("almaty-maslihat") == day.commission("almaty")


def test_the_maslihat_council_is_the_seeds(declared: DayResult) -> None:
    composition = declared.results["almaty-maslihat"].composition
    assert {p.party: p.seats for p in composition.parties} == SEED_SEATS
    assert {p.party: p.list_seats for p in composition.parties} == SEED_LIST_SEATS
    assert composition.independents == 42 - sum(SEED_SEATS.values())


def test_the_majilis_is_the_cecs(declared: DayResult) -> None:
    result = declared.results["majilis"]
    tally = result.election.results.list_tally
    assert tally is not None and dict(tally.votes) == CEC_VOTES and tally.against_all == CEC_AGAINST_ALL
    assert tally.valid == CEC_TOOK_PART  # the CEC's "took part" is party votes + against all
    composition = result.composition
    assert {p.party: p.list_seats for p in composition.parties} == CEC_LIST_SEATS
    assert composition.seats_total == 98 and composition.party("Amanat").seats == 62  # type: ignore[union-attr]
    assert composition.independents == 7


def test_the_majilis_protocols_add_up_to_the_published_figures() -> None:
    """Read with the csv module: Almaty's stations plus the aggregate stations give the CEC's national figures;
    each Almaty station's Mäjilis ballots are at most the voters it registered once, for both contests."""
    sums: Counter[str] = Counter()
    with (DAY / "stations.csv").open(encoding="utf-8") as handle:
        registered = {int(r["station"]): int(r["registered"]) for r in csv.DictReader(handle)}
    for path in sorted((DAY / "majilis" / "protocols").glob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                assert int(row["found"]) <= registered[int(row["station"])]
                if row["ballot"] == "list":
                    sums.update({p: int(row[f"vote:{p}"]) for p in CEC_VOTES})
                    sums["against all"] += int(row["against_all"])
    assert dict(sums) == CEC_VOTES | {"against all": CEC_AGAINST_ALL}


def test_one_contest_of_the_day_reports_exactly_as_its_folder() -> None:
    alone = run("results", str(ALMATY))
    of_day = run("results", str(DAY), "--contest", "almaty-maslihat")
    assert alone.exit_code == 0 and of_day.exit_code == 0
    assert of_day.stdout == alone.stdout
    assert arguments(["results", str(DAY), "--contest", "majilis"]) is not None  # the quick path reads it too


@pytest.mark.parametrize("fmt", ["text", "markdown", "wikitext", "csv", "json", "html", "svg"])
def test_every_format_works_per_contest(fmt: str) -> None:
    alone = run("report", str(ALMATY), "-f", fmt, "--lang", "ru" if fmt in ("text", "markdown", "html") else "en")
    of_day = run(
        "report",
        str(DAY),
        "--contest",
        "almaty-maslihat",
        "-f",
        fmt,
        "--lang",
        "ru" if fmt in ("text", "markdown", "html") else "en",
    )
    assert of_day.exit_code == 0, of_day.output
    assert of_day.stdout == alone.stdout
    majilis = run("report", str(DAY), "--contest", "majilis", "-f", fmt)
    assert majilis.exit_code == 0 and "Amanat" in majilis.stdout


def test_the_nist_export_of_one_contest_is_its_folders() -> None:
    alone = json.loads(run("report", str(ALMATY), "-f", "nist").stdout)
    of_day = json.loads(run("report", str(DAY), "--contest", "almaty-maslihat", "-f", "nist").stdout)
    assert {k: v for k, v in of_day.items() if k != "GeneratedDate"} == {
        k: v for k, v in alone.items() if k != "GeneratedDate"
    }
    majilis = json.loads(run("report", str(DAY), "--contest", "majilis", "-f", "nist").stdout)
    assert majilis["Format"] == "precinct-level"  # its stations come from the day's register
    assert sum(1 for u in majilis["GpUnit"] if u["Type"] == "precinct") == 553 + 25


@pytest.mark.parametrize("fmt", ["pdf", "png"])
def test_binary_formats_work_per_contest(fmt: str, tmp_path: Path) -> None:
    target = tmp_path / f"majilis.{fmt}"
    assert run("report", str(DAY), "--contest", "majilis", "-f", fmt, "-o", str(target), "--lang", "kk").exit_code == 0
    assert target.stat().st_size > 1000


def test_the_json_carries_every_contest() -> None:
    whole = run("results", str(DAY), "--json")
    assert whole.exit_code == 0
    data = json.loads(whole.stdout)
    assert [c["id"] for c in data["contests"]] == ["majilis", "almaty-maslihat"]
    assert data["stations"] == 553 + 25 and data["date"] == "2023-03-19"
    for contest in data["contests"]:
        alone = json.loads(run("results", str(DAY), "--contest", contest["id"], "--json").stdout)
        assert contest["result"] == alone
    assert data["contests"][1]["declared_by"] == "almaty" and data["contests"][0]["declared_by"] == "cec"
    assert json.loads(run("report", str(DAY), "-f", "json").stdout) == data


def test_a_one_contest_format_asks_for_the_contest_in_the_readers_language() -> None:
    refused = run("report", str(DAY), "-f", "html", "--lang", "kk")
    assert refused.exit_code == 2
    assert "--contest арқылы атаңыз" in refused.output and "majilis, almaty-maslihat" in refused.output
    unknown = run("results", str(DAY), "--contest", "senate", "--lang", "ru")
    assert unknown.exit_code == 2 and "неизвестные выборы senate" in unknown.output


@pytest.fixture(scope="module")
def nist(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    target = tmp_path_factory.mktemp("nist") / "day.json"
    assert run("report", str(DAY), "-f", "nist", "-o", str(target)).exit_code == 0
    loaded: dict[str, Any] = json.loads(target.read_text(encoding="utf-8"))
    return loaded


def test_the_nist_export_is_one_election_with_every_contest_and_valid(nist: dict[str, Any]) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    assert [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(nist)] == []
    assert len(nist["Election"]) == 1
    contests = nist["Election"][0]["Contest"]
    assert len(contests) == (1 + 29) + (1 + 21)  # each contest's list race and district races
    ids = [item["@id"] for part in ("GpUnit", "Party", "Office") for item in nist[part]]
    ids += [item["@id"] for item in contests] + [c["@id"] for c in nist["Election"][0]["Candidate"]]
    assert len(ids) == len(set(ids))
    units = {u["@id"]: u for u in nist["GpUnit"]}
    composing = [u["@id"] for u in nist["GpUnit"] if "gpu-station-101" in u.get("ComposingGpUnitIds", [])]
    assert len(composing) == 2  # one district of each contest holds station 101, a unit listed once
    referenced = {i for u in nist["GpUnit"] for i in u.get("ComposingGpUnitIds", [])}
    assert referenced <= set(units)


def test_the_nist_export_sums_to_each_contests_figures(nist: dict[str, Any]) -> None:
    """A consumer summing the Mäjilis list race's counts on its scope gets the CEC's figures."""
    contest = next(c for c in nist["Election"][0]["Contest"] if c["@id"] == "majilis-contest-list")
    scope = contest["ElectionDistrictId"]
    total = sum(
        v["Count"]
        for s in contest["ContestSelection"]
        for v in s["VoteCounts"]
        if v["GpUnitId"] == scope and v["Type"] == "total"
    )
    assert total == CEC_TOOK_PART
    maslihat = next(c for c in nist["Election"][0]["Contest"] if c["@id"] == "almaty-maslihat-contest-list")
    scope = maslihat["ElectionDistrictId"]
    amanat = next(s for s in maslihat["ContestSelection"] if s.get("PartyIds") == ["party-Amanat"])
    assert [v["Count"] for v in amanat["VoteCounts"] if v["GpUnitId"] == scope and v["Type"] == "total"] == [151_531]
