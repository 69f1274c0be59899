"""Publishing a day of several contests: one version, one pointer, each contest's pages and downloads under its
own folder, a contest switcher, the day's NIST report with every contest, and each contest's gate on its own.

The day is examples/almaty-2023-day (the Mäjilis and the Almaty City Mäslihat). Expected figures are the
examples' protocol CSV files read with the csv module, and the contests' names are the folders' own
(copied by hand into tests/service/test_public_day.py), never saylau's output.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import xmlschema
from typer.testing import CliRunner

import saylau.cli.publish  # noqa: F401  (registers the command)
from saylau.cli.app import app
from saylau.publish import FolderTarget, current, from_folder, publish, release
from tests.service.test_public_day import EXAMPLES, NAMES, copy_day, hold_until

SCHEMAS = Path(__file__).resolve().parents[2] / "src" / "saylau" / "reports" / "schemas"
CONTESTS = ("majilis", "almaty-maslihat")
FOLDERS = {"majilis": EXAMPLES / "almaty-2023-day" / "majilis", "almaty-maslihat": EXAMPLES / "almaty-2023"}


def _rows(contest: str) -> list[dict[str, str]]:
    """Every protocol row of a contest's example folder (the csv module)."""
    rows: list[dict[str, str]] = []
    for path in sorted((FOLDERS[contest] / "protocols").glob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            rows += list(csv.DictReader(handle))
    return rows


def _links(page: Path) -> list[str]:
    return [h for h in re.findall(r'(?:href|src)="([^"]+)"', page.read_text(encoding="utf-8")) if "://" not in h]


def test_a_day_is_published_as_one_version_with_every_contest(tmp_path: Path) -> None:
    day = copy_day(tmp_path)
    site = tmp_path / "site"
    done = CliRunner().invoke(app, ["publish", "folder", str(day), "--to", str(site)])
    assert done.exit_code == 0, done.output
    pointer = current(FolderTarget(site)) or {}
    assert pointer["version"] == 1 and pointer["index"]["kk"] == "v/1/majilis/kk/index.html"
    assert set(pointer["contests"]) == set(CONTESTS)
    assert pointer["contests"]["almaty-maslihat"]["ru"] == "v/1/almaty-maslihat/ru/index.html"
    version = site / "v" / "1"

    for contest in CONTESTS:
        # each contest's station files are its own protocols, station by station
        expected: dict[int, dict[str, dict[str, int]]] = {}
        for row in _rows(contest):
            votes = {k[5:]: int(v) for k, v in row.items() if k.startswith("vote:") and v.strip()}
            expected.setdefault(int(row["station"]), {})[row["ballot"]] = votes
        for station in (101, 102):
            data = json.loads((version / contest / "station" / f"{station}.json").read_text(encoding="utf-8"))
            assert data["contest"] == contest
            assert {p["ballot"]: p["votes"] for p in data["protocols"]} == expected[station]
        summary = json.loads((version / contest / "results.json").read_text(encoding="utf-8"))
        assert summary["contest"] == contest
        assert summary["seats_total"] == {"majilis": 98, "almaty-maslihat": 42}[contest]
        # each contest's page in each language: its own name, and the switcher to both, whose links resolve
        for lang in ("kk", "ru", "en"):
            page = version / contest / lang / "index.html"
            text = page.read_text(encoding="utf-8")
            assert f"<h1>{NAMES[contest][lang]}</h1>" in text
            nav = re.search(r'<nav class="contests"[^>]*>(.*?)</nav>', text, re.S)
            assert nav is not None
            found = re.findall(r'href="([^"]+)" data-contest="([^"]+)"( aria-current="page")?>([^<]+)<', nav[1])
            assert [(c, name, bool(mark)) for _, c, mark, name in found] == [
                (c, NAMES[c][lang], c == contest) for c in CONTESTS
            ]
            for link, other, _, _ in found:
                assert (page.parent / link).resolve() == (version / other / lang / "index.html").resolve()

    # every link of every page of the version leads to a stored file
    pages = sorted(version.rglob("*.html"))
    assert len(pages) > 2 * 3 * 553
    for page in pages[:: max(1, len(pages) // 300)] + [version / c / "en" / "index.html" for c in CONTESTS]:
        for link in _links(page):
            path = urlsplit(link).path
            if path:
                assert (page.parent / path).resolve().is_file(), (page, link)

    # the day's NIST report: one Election, every contest's Contests, valid JSON and XML
    report = json.loads((version / "results.nist.json").read_text(encoding="utf-8"))
    [election] = report["Election"]
    ids = [c["@id"] for c in election["Contest"]]
    assert any(i.startswith("majilis-") for i in ids) and any(i.startswith("almaty-maslihat-") for i in ids)
    schema = json.loads((SCHEMAS / "NIST_V2_election_results_reporting.json").read_text(encoding="utf-8"))
    assert [e.message for e in jsonschema.Draft4Validator(schema).iter_errors(report)] == []
    xsd = xmlschema.XMLSchema(str(SCHEMAS / "NIST_V2_election_results_reporting.xsd"))
    assert [str(e).splitlines()[0] for e in xsd.iter_errors(str(version / "results.nist.xml"))] == []
    assert not (version / "majilis" / "results.nist.json").exists(), "one NIST report for the day"


def test_each_contest_s_gate_holds_only_that_contest(tmp_path: Path) -> None:
    """The city's polls close in the future, the Mäjilis's have closed: the public version counts the Mäjilis
    and none of the city's protocols; the preview counts both; a release publishes the city too."""
    day = copy_day(tmp_path)
    hold_until(day.parent / "almaty-2023", "2099-03-19T20:00:00+06:00")
    hold_until(day / "majilis", "2023-03-19T20:00:00+06:00")
    public, staff = FolderTarget(tmp_path / "site"), FolderTarget(tmp_path / "staff")
    shown, preview = release(public, from_folder(day), staff)
    assert shown is not None and preview is not None
    pointer = current(public) or {}
    assert pointer["held"] == ["almaty-maslihat"] and "preview" not in pointer

    def station_101(site: Path, contest: str, version: int) -> list[dict[str, Any]]:
        manifest = json.loads((site / "v" / str(version) / "manifest.json").read_text(encoding="utf-8"))
        at = manifest["groups"][f"{contest}/station/101"]["at"]
        data = json.loads((site / "v" / str(at) / contest / "station" / "101.json").read_text(encoding="utf-8"))
        return list(data["protocols"])

    assert len(station_101(tmp_path / "site", "majilis", shown.version)) == 2
    assert station_101(tmp_path / "site", "almaty-maslihat", shown.version) == []
    city = json.loads((tmp_path / "site" / "v" / "1" / "almaty-maslihat" / "results.json").read_text())
    assert city["progress"]["list"]["stations_reported"] == 0
    assert (current(staff) or {})["preview"] is True
    assert len(station_101(tmp_path / "staff", "almaty-maslihat", preview.version)) == 2

    released, nothing = release(public, from_folder(day, released=True), staff, now=datetime.now(UTC))
    assert released is not None and released.version == 2 and nothing is None
    assert "held" not in (current(public) or {})
    assert len(station_101(tmp_path / "site", "almaty-maslihat", 2)) == 2
    assert station_101(tmp_path / "site", "majilis", 2) == station_101(tmp_path / "site", "majilis", 1)
    manifest = json.loads((tmp_path / "site" / "v" / "2" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["groups"]["majilis/station/101"]["at"] == 1, "the Mäjilis's unchanged stations are not rewritten"


def test_nothing_is_published_while_every_contest_is_held(tmp_path: Path) -> None:
    day = copy_day(tmp_path)
    for folder in (day.parent / "almaty-2023", day / "majilis"):
        hold_until(folder, "2099-03-19T20:00:00+06:00")
    shown, preview = release(FolderTarget(tmp_path / "site"), from_folder(day))
    assert shown is None and preview is None and not (tmp_path / "site").exists()


def test_a_corrected_station_names_its_contest(tmp_path: Path) -> None:
    day = copy_day(tmp_path)
    site = FolderTarget(tmp_path / "site")
    publish(site, from_folder(day))
    file = day / "majilis" / "protocols" / "almaty.csv"
    text = file.read_text(encoding="utf-8")
    rows = text.splitlines()
    header = rows[0].split(",")
    amanat = header.index("vote:Amanat")
    for i, line in enumerate(rows):
        cells = line.split(",")
        if cells[0] == "101" and cells[2] == "list":
            before = int(cells[amanat])
            cells[amanat] = str(before - 10)
            cells[header.index("invalid")] = str(int(cells[header.index("invalid")]) + 10)
            rows[i] = ",".join(cells)
    file.write_text("\n".join(rows) + "\n", encoding="utf-8")
    second = publish(site, from_folder(day), reason="typed in the wrong line")
    assert second.written < 60, "only the station, its district, the version"
    [entry] = [
        v for v in json.loads((tmp_path / "site" / "versions.json").read_text())["versions"] if v["version"] == 2
    ]
    changes = entry["note"]["changes"]
    assert {c["contest"] for c in changes} == {"majilis"} and all(c["station"] == 101 for c in changes)
    assert any(c.get("before") == before and c.get("after") == before - 10 for c in changes), changes
    page = (tmp_path / "site" / "v" / "2" / "majilis" / "ru" / "corrections.html").read_text(encoding="utf-8")
    assert "typed in the wrong line" in page
    city = (tmp_path / "site" / "v" / "2" / "almaty-maslihat" / "ru" / "corrections.html").read_text(encoding="utf-8")
    assert "typed in the wrong line" not in city
