"""A published version's open data: NIST SP 1500-100 v2 as JSON and XML, each valid against NIST's own schema
(the XML against the official XSD, v2.0.3), summing station by station to the totals; station files that
read back as the folder's protocols; the command line.

Expected figures are the folder's protocol CSV files read here with the csv module, never saylau's count.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import jsonschema
import pytest
import xmlschema
from typer.testing import CliRunner

import saylau.cli.publish  # noqa: F401  (registers the command)
from saylau.cli.app import app
from saylau.publish import FolderTarget, current, from_folder, publish
from saylau.publish.publisher import manifest_key
from tests.publish.conftest import ALMATY

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "src" / "saylau" / "reports" / "schemas"
NS = {"n": "http://itl.nist.gov/ns/voting/1500-100/v2"}
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Almaty example published once; the version's folder."""
    site = tmp_path_factory.mktemp("site")
    publish(FolderTarget(site), from_folder(ALMATY))
    return site / "v" / "1"


def _protocol_rows() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in sorted((ALMATY / "protocols").glob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            rows += list(csv.DictReader(handle))
    return rows


def test_nist_xml_is_valid_against_the_official_schema(published: Path) -> None:
    schema = xmlschema.XMLSchema(str(SCHEMAS / "NIST_V2_election_results_reporting.xsd"))
    errors = [str(e).splitlines()[0] for e in schema.iter_errors(str(published / "results.nist.xml"))]
    assert errors == []


def test_a_broken_nist_xml_fails_the_schema(published: Path) -> None:
    """The validation can fail: a count without its reporting unit is refused."""
    schema = xmlschema.XMLSchema(str(SCHEMAS / "NIST_V2_election_results_reporting.xsd"))
    text = (published / "results.nist.xml").read_text(encoding="utf-8")
    broken = re.sub(r"(<VoteCounts>.*?)<GpUnitId>[^<]*</GpUnitId>", r"\1", text, count=1, flags=re.S)
    assert broken != text
    assert not schema.is_valid(broken)


def test_nist_json_is_valid(published: Path) -> None:
    schema = json.loads((SCHEMAS / "NIST_V2_election_results_reporting.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema)
    report = json.loads((published / "results.nist.json").read_text(encoding="utf-8"))
    assert [e.message for e in validator.iter_errors(report)] == []
    assert report["Format"] == "precinct-level"


def test_nist_xml_sums_by_station(published: Path) -> None:
    """Every polling station is a `ReportingUnit` (precinct); its counts are the folder's protocol figures,
    and summing a party's station counts gives the city's count."""
    root = ET.parse(published / "results.nist.xml").getroot()
    precincts = {
        unit.get("ObjectId"): unit
        for unit in root.findall("n:GpUnit", NS)
        if unit.get(XSI_TYPE) == "ReportingUnit" and unit.findtext("n:Type", namespaces=NS) == "precinct"
    }
    rows = _protocol_rows()
    assert set(precincts) == {f"gpu-station-{r['station']}" for r in rows}
    expected: dict[str, Counter[str]] = {}
    for row in rows:
        if row["ballot"] == "list":
            votes = {k[5:]: int(v) for k, v in row.items() if k.startswith("vote:") and v}
            expected[f"gpu-station-{row['station']}"] = Counter(votes)
    abbreviations = {
        party.get("ObjectId"): party.findtext("n:Abbreviation/n:Text[@Language='en']", namespaces=NS)
        for party in root.findall("n:Party", NS)
    }
    contest = next(c for c in root.iter(f"{{{NS['n']}}}Contest") if c.get("ObjectId") == "contest-list")
    checked = 0
    for selection in contest.findall("n:ContestSelection", NS):
        party = selection.findtext("n:PartyIds", namespaces=NS)
        if not party:
            continue  # against all
        name = abbreviations[party]
        counts = {
            c.findtext("n:GpUnitId", namespaces=NS): int(float(c.findtext("n:Count", namespaces=NS) or "nan"))
            for c in selection.findall("n:VoteCounts", NS)
            if c.findtext("n:Type", namespaces=NS) == "total"
        }
        by_station = {unit: n for unit, n in counts.items() if unit in precincts}
        assert by_station == {unit: votes[name] for unit, votes in expected.items()}, name
        total = sum(votes[name] for votes in expected.values())
        assert (sum(by_station.values()), counts["gpu-city"]) == (total, total), name
        checked += 1
    assert checked == 6


def test_station_files_are_the_accepted_protocols(published: Path) -> None:
    """Each district's bulk CSV is the folder's own protocol format: together, the same rows, line for line, as
    the folder's files; the version's index names each file with its SHA-256 and size, and each district's JSON
    lists every station of the district."""
    index = json.loads((published / "stations-by-district.json").read_text(encoding="utf-8"))
    site = published.parent.parent
    rows: list[dict[str, str]] = []
    with (ALMATY / "stations.csv").open(encoding="utf-8") as handle:
        registered = {int(r["station"]): int(r["registered"]) for r in csv.DictReader(handle)}
    listed: dict[int, int] = {}
    for entry in index["districts"]:
        for kind in ("csv", "json"):
            body = (site / entry[kind]["file"]).read_bytes()
            assert (hashlib.sha256(body).hexdigest(), len(body)) == (entry[kind]["sha256"], entry[kind]["size"])
        with (site / entry["csv"]["file"]).open(encoding="utf-8") as handle:
            found = list(csv.DictReader(handle))
        assert {int(r["district"]) for r in found} == {entry["district"]}
        rows += found
        stations = json.loads((site / entry["json"]["file"]).read_text(encoding="utf-8"))
        assert len(stations) == entry["stations"] and {s["district"] for s in stations} == {entry["district"]}
        listed.update({s["station"]: s["registered"] for s in stations})
    assert listed == registered
    key = lambda r: (int(r["station"]), r["ballot"])  # noqa: E731
    folder = {key(r): r for r in _protocol_rows()}
    assert sorted(key(r) for r in rows) == sorted(folder)
    for row in rows:
        original = folder[key(row)]
        for column, value in row.items():
            assert value == (original.get(column) or ""), (key(row), column)
    station = json.loads((published / "station" / "101.json").read_text(encoding="utf-8"))
    assert station["registered"] == 2451 and [p["ballot"] for p in station["protocols"]] == ["district", "list"]
    single = list(csv.DictReader(io.StringIO((published / "station" / "101.csv").read_text(encoding="utf-8"))))
    assert [(r["station"], r["ballot"], r["found"]) for r in single] == [
        ("101", "district", "552"),
        ("101", "list", "659"),
    ]


def test_pages_in_every_language(published: Path) -> None:
    for lang, word in (
        ("kk", "Сайлау учаскесі 101"),
        ("ru", "Избирательный участок 101"),
        ("en", "Polling station 101"),
    ):
        page = (published / lang / "station" / "101.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in page and word in page
        assert re.search(r"<span data-registered>2[\u00a0\u202f ,]451</span>", page), lang
    for lang in ("kk", "ru", "en"):
        for name in ("index.html", "projector.html", "district/1.html"):
            assert (published / lang / name).is_file()
        index = (published / lang / "index.html").read_text(encoding="utf-8")
        assert "/api/" not in index  # every link is relative: the pages work from any host and folder


def test_command_line(tmp_path: Path) -> None:
    runner = CliRunner()
    site = tmp_path / "site"
    done = runner.invoke(app, ["publish", "folder", str(ALMATY), "--to", str(site)])
    assert done.exit_code == 0, done.output
    assert done.output.startswith("version 1: ")
    again = runner.invoke(app, ["publish", "folder", str(ALMATY), "--to", str(site)])
    assert again.exit_code == 0 and again.output.startswith("version 1: already published"), again.output
    changed = tmp_path / "almaty"
    shutil.copytree(ALMATY, changed)
    protocols = changed / "protocols" / "district-21.csv"
    lines = protocols.read_text(encoding="utf-8").splitlines(keepends=True)
    protocols.write_text("".join(lines[:-2]), encoding="utf-8")  # the district's last station unreported
    moved = runner.invoke(app, ["publish", "folder", str(changed), "--to", str(site)])
    assert moved.exit_code == 0 and moved.output.startswith("version 2: "), moved.output
    listed = runner.invoke(app, ["publish", "versions", "--to", str(site)])
    lines = [line.split() for line in listed.output.splitlines()]
    assert [row[0] for row in lines] == ["1", "*"]  # version 1, then version 2, the current one
    assert (lines[0][2], lines[1][1], lines[1][3]) == ("complete", "2", "partial")
    back = runner.invoke(app, ["publish", "rollback", "1", "--to", str(site)])
    assert back.exit_code == 0, back.output
    pointer: dict[str, Any] = current(FolderTarget(site)) or {}
    assert pointer["version"] == 1 and (site / manifest_key(2)).is_file()
    wrong = runner.invoke(app, ["publish", "rollback", "7", "--to", str(site)])
    assert wrong.exit_code != 0 and "version 7 was never published here" in wrong.output
