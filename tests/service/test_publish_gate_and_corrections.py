"""The publish gate and corrections in the open, through the results service.

The gate: with `[publication] hold = true`, nothing reaches the public target until a city coordinator
releases the results; staff see a preview, marked on every page; an entry that is not an accepted protocol
is never published, preview or not. A correction: station 101's list protocol, accepted with two parties'
votes swapped, is reopened with a reason and accepted again with the paper's figures; the versions feed names
the change (from what, to what) and the reason in kk, ru and en, and NIST marks the version a correction.

Station 101's figures are examples/almaty-2023/protocols/district-01.csv as typed in `STATION_101_LIST`.
"""

from __future__ import annotations

import contextlib
import csv
import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient

from saylau.publish import FolderTarget, current, from_database, publish, release
from saylau.tabulation import FIGURES
from saylau.web import Settings, create_app, prepare
from tests.service.conftest import ADMIN_PASSWORD, ALMATY
from tests.service.helpers import STATION_101_LIST, user, with_votes

REASON = "Typist swapped Amanat and QHP (paper protocol checked by the chair)"


@pytest.fixture
def held(tmp_path: Path) -> Iterator[TestClient]:
    """The service over an Almaty folder whose results are held until a coordinator releases them."""
    folder = tmp_path / "almaty"
    shutil.copytree(ALMATY, folder)
    toml = folder / "election.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[publication]\nhold = true\n", encoding="utf-8")
    settings = Settings(
        folder=folder,
        database=f"sqlite:///{tmp_path / 'saylau.sqlite'}",
        admin_password=ADMIN_PASSWORD,
        secure_cookies=False,
    )
    database, _ = prepare(settings)
    with contextlib.closing(database), TestClient(create_app(settings, database)) as client:
        yield client


@pytest.fixture(params=["sqlite"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'saylau.sqlite'}"


def _enter(client: TestClient, station: int, figures: dict[str, Any], names: tuple[str, ...]) -> str:
    """Typed by each of `names` (operators of district 1) in turn; the protocol's state after the last."""
    state = ""
    for name in names:
        headers = user(client, name, "operator", [1])
        response = client.post(f"/api/protocols/{station}/list/entries", json=figures, headers=headers)
        assert response.status_code in (200, 201), response.text
        state = response.json()["state"]
    return state


def _protocol_row(station: int) -> dict[str, Any]:
    """A list protocol as typed from examples/almaty-2023/protocols (read with the csv module, not saylau)."""
    with (ALMATY / "protocols" / "district-01.csv").open(encoding="utf-8") as f:
        row = next(r for r in csv.DictReader(f) if r["station"] == str(station) and r["ballot"] == "list")
    figures: dict[str, Any] = {line: int(row[line]) for line in FIGURES}
    figures["votes"] = {k[5:]: int(v) for k, v in row.items() if k.startswith("vote:") and v}
    return figures


def _files(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) if site.exists() else []


def test_the_gate_holds_until_a_coordinator_releases(held: TestClient, tmp_path: Path) -> None:
    database = held.app.state.database  # type: ignore[attr-defined]
    public, staff = FolderTarget(tmp_path / "public"), FolderTarget(tmp_path / "staff")
    assert _enter(held, 101, STATION_101_LIST, ("op1", "op2")) == "accepted"
    assert _enter(held, 102, _protocol_row(102), ("op3",)) == "first-entry"  # typed once: not accepted

    # The service's own public page is held too: it counts no protocol before the release.
    assert held.get("/api/public/results.json").json()["progress"]["list"]["stations_reported"] == 0
    assert "0 of 553 stations" in held.get("/?lang=en").text

    done, preview = release(public, from_database(database), staff)
    assert done is None and preview is not None
    assert _files(tmp_path / "public") == []  # nothing readable before the release
    pointer = current(staff) or {}
    assert pointer["preview"] is True
    manifest = json.loads((tmp_path / "staff" / pointer["manifest"]).read_text())
    for group in manifest["groups"].values():
        for path in group["files"]:
            if path.endswith(".html"):
                page = (tmp_path / "staff" / "v" / str(group["at"]) / path).read_text(encoding="utf-8")
                assert "data-preview" in page, f"{path} is not marked as a preview"
    assert json.loads((tmp_path / "staff" / "v" / str(pointer["version"]) / "results.json").read_text())["preview"]
    kk = (tmp_path / "staff" / pointer["index"]["kk"]).read_text(encoding="utf-8")
    assert "Алдын ала қарау: жарияланбаған" in kk

    operator = user(held, "op9", "operator", [1])
    assert held.post("/api/publication/release", headers=operator).status_code == 403
    local = user(held, "local", "coordinator", [1])
    assert held.post("/api/publication/release", headers=local).status_code == 403
    chief = user(held, "chief", "coordinator")
    assert held.post("/api/publication/release", headers=chief).json() == {"released": True}
    assert held.post("/api/publication/release", headers=chief).status_code == 409

    deadline = time.monotonic() + 10
    while held.get("/api/public/results.json").json()["progress"]["list"]["stations_reported"] != 1:
        assert time.monotonic() < deadline, "the public page did not show the released count"
        time.sleep(0.1)

    done, preview = release(public, from_database(database), staff)
    assert done is not None and preview is None
    pointer = current(public) or {}
    assert "preview" not in pointer
    site = tmp_path / "public"
    manifest = json.loads((site / pointer["manifest"]).read_text())
    for group in manifest["groups"].values():
        for path in group["files"]:
            body = (site / "v" / str(group["at"]) / path).read_bytes()
            assert b"data-preview" not in body, path
    station = json.loads(
        (site / "v" / str(manifest["groups"]["station/101"]["at"]) / "station" / "101.json").read_text()
    )
    assert station["protocols"][0]["votes"] == STATION_101_LIST["votes"]
    # Station 102 was typed once, never accepted: neither the preview nor the release shows its figures.
    for root in (tmp_path / "staff", site):
        found = list(root.rglob("102.json"))
        assert found and all(json.loads(path.read_text())["protocols"] == [] for path in found)
        for path in root.rglob("stations.csv"):
            assert not any(line.startswith("102,") for line in path.read_text().splitlines())


def test_a_correction_is_published_with_its_reason_in_every_language(client: TestClient, tmp_path: Path) -> None:
    database = client.app.state.database  # type: ignore[attr-defined]
    target, site = FolderTarget(tmp_path / "site"), tmp_path / "site"
    paper = STATION_101_LIST["votes"]
    swapped = with_votes(STATION_101_LIST, Amanat=paper["QHP"], QHP=paper["Amanat"])
    assert _enter(client, 101, swapped, ("op1", "op2")) == "accepted"
    first = publish(target, from_database(database))

    chief = user(client, "chief", "coordinator")
    reopened = client.post("/api/protocols/101/list/reopen", json={"reason": REASON}, headers=chief)
    assert reopened.status_code == 200, reopened.text
    withdrawn = publish(target, from_database(database, since=first.version))
    assert _enter(client, 101, STATION_101_LIST, ("op3", "op4")) == "accepted"
    corrected = publish(target, from_database(database, since=withdrawn.version))
    assert first.version < withdrawn.version < corrected.version

    entries = {e["version"]: e for e in json.loads((site / "versions.json").read_text())["versions"]}
    [withdrawal] = entries[withdrawn.version]["note"]["changes"]
    assert (withdrawal["kind"], withdrawal["station"], withdrawal["ballot"], withdrawal["reason"]) == (
        "withdrawn",
        101,
        "list",
        REASON,
    )
    changes = {c["line"]: (c["before"], c["after"], c["reason"]) for c in entries[corrected.version]["note"]["changes"]}
    assert changes == {
        "vote:Amanat": (paper["QHP"], paper["Amanat"], REASON),
        "vote:QHP": (paper["Amanat"], paper["QHP"], REASON),
    }

    words = {
        "kk": ("«Amanat» үшін берілген дауыстар 84 орнына 343 болып өзгерді", "Себебі: " + REASON),
        "ru": ("голоса за «Amanat» — изменено с 84 на 343", "Причина: " + REASON),
        "en": ("votes for Amanat changed from 84 to 343", "Reason: " + REASON),
    }
    for lang, (change, reason) in words.items():
        atom = ET.parse(site / f"feed.{lang}.atom").getroot()
        ns = {"a": "http://www.w3.org/2005/Atom"}
        entry = next(
            e
            for e in atom.findall("a:entry", ns)
            if e.findtext("a:id", namespaces=ns).endswith(f":{corrected.version}")
        )
        content = entry.findtext("a:content", namespaces=ns) or ""
        assert change in content and reason in content, (lang, content)
        feed = json.loads((site / f"feed.{lang}.json").read_text())
        item = next(i for i in feed["items"] if i["_saylau"]["version"] == corrected.version)
        assert change in item["content_text"] and reason in item["content_text"]
        page = (site / "v" / str(corrected.version) / lang / "corrections.html").read_text(encoding="utf-8")
        assert change in page.replace("\u00a0", " ") and reason in page

    report = json.loads((site / "v" / str(corrected.version) / "results.nist.json").read_text())
    assert report["Status"] == "correction"
    earlier = json.loads((site / "v" / str(first.version) / "results.nist.json").read_text())
    assert earlier["Status"] == "unofficial-partial"
    station = json.loads((site / "v" / str(corrected.version) / "station" / "101.json").read_text())
    assert [c["kind"] for c in station["corrections"]] == ["withdrawn", "changed", "changed"]
    assert station["protocols"][0]["votes"] == paper
