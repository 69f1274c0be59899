"""Drawings of lots in the service: certification waits for them, the API records them, the bundle replays them.

A small election typed by hand, one station, both ballots tied:
- list tier, 4 seats, `tie = "decide"`: A 195, B 195, C 90 (+ 10 against all + 10 invalid = 500 found);
  quota 480 / 4 = 120; A 1 seat, remainder 75; B the same; C 0, remainder 90. Three seats by the whole
  parts and C's remainder; the fourth is tied between A and B (75 each): left to the commission.
- district 1: X (A) 200, Y (B) 200, Z (C) 80 (+ 10 + 10 = 500): tied.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from saylau.service import protocols
from saylau.service.permissions import Actor, Role
from saylau.service.results import verify
from saylau.service.states import EntryState
from saylau.store import open_database
from saylau.store import protocols as protocols_store
from saylau.web import Settings, create_app, prepare
from tests.integration.test_almaty_2023 import run_saylau
from tests.service.conftest import ADMIN_PASSWORD
from tests.service.helpers import admin, user

FILES = {
    "election.toml": 'name = "Tied"\ndate = 2023-03-19\n[body]\nname = "Tied Council"\nseats = 5\n'
    '[system]\npreset = "kazakhstan-2023-maslihat"\n[system.overrides.list_tier]\ntie = "decide"\n',
    "parties.csv": "short_name,full_name,registration_order\nA,Party A,1\nB,Party B,2\nC,Party C,3\n",
    "lists.csv": "party,position,candidate\n" + "".join(f"{p},{i},{p} list {i}\n" for p in "ABC" for i in (1, 2, 3)),
    "districts.csv": "number,name\n1,One\n",
    "candidates.csv": "district,candidate,party\n1,X,A\n1,Y,B\n1,Z,C\n",
    "stations.csv": "station,district,registered\n1,1,1000\n",
}
LINES = {"registered": 1000, "received": 1010, "issued": 500, "issued_absentee": 0, "issued_outside": 0}
LIST = {**LINES, "cancelled": 510, "found": 500, "invalid": 10, "against_all": 10}
LIST_FIGURES = {**LIST, "votes": {"A": 195, "B": 195, "C": 90}}
DISTRICT_FIGURES = {**LIST, "votes": {"X": 200, "Y": 200, "Z": 80}}


@contextlib.contextmanager
def served(tmp_path: Path, database_url: str, files: dict[str, str]) -> Iterator[TestClient]:
    """The service, in-process, over a folder of these files on this database."""
    folder = tmp_path / "election"
    folder.mkdir()
    for name, content in files.items():
        (folder / name).write_text(content, encoding="utf-8")
    settings = Settings(folder=folder, database=database_url, admin_password=ADMIN_PASSWORD, secure_cookies=False)
    database, _ = prepare(settings)
    with contextlib.closing(database), TestClient(create_app(settings, database)) as client:
        yield client


@pytest.fixture
def tied_client(tmp_path: Path, database_url: str) -> Iterator[TestClient]:
    with served(tmp_path, database_url, FILES) as client:
        yield client


def counted(client: TestClient, typed: dict[str, dict[str, Any]] | None = None) -> dict[str, str]:
    """Both protocols typed twice alike (accepted; default: this file's figures); the whole-city
    coordinator's headers."""
    one, two = user(client, "op1", "operator"), user(client, "op2", "operator")
    for ballot, figures in (typed or {"list": LIST_FIGURES, "district": DISTRICT_FIGURES}).items():
        for who in (one, two):
            answer = client.post(f"/api/protocols/1/{ballot}/entries", json=figures, headers=who)
            assert answer.status_code == 200, answer.text
        assert answer.json()["state"] == "accepted"
    return user(client, "chief", "coordinator")


LIST_DRAW = {"tier": "list", "tied": ["B", "A"], "seats": 1, "winners": ["B"], "drawn_on": "2023-03-21 10:00"}
DISTRICT_DRAW = {"tier": "district", "district": 1, "tied": ["X", "Y"], "seats": 1, "winners": ["X"]}


def test_certification_waits_for_the_drawings_then_the_bundle_replays_them(
    tied_client: TestClient, tmp_path: Path, database_url: str
) -> None:
    client = tied_client
    chief = counted(client)
    refused = client.post("/api/certify", headers=chief)
    assert refused.status_code == 409 and refused.json()["code"] == "lots-required"
    ties = client.get("/api/decisions", headers=chief).json()
    assert [(t["tier"], t["district"], t["tied"], t["votes"], t["seats"]) for t in ties["required"]] == [
        ("list", None, ["A", "B"], [195, 195], 1),
        ("district", 1, ["X", "Y"], [200, 200], 1),
    ]
    recorded = client.post("/api/decisions", json=LIST_DRAW, headers=chief)
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["tied"] == ["A", "B"] and recorded.json()["by"] == "chief"
    assert client.post("/api/certify", headers=chief).json()["code"] == "lots-required", "the district waits"
    assert client.post("/api/decisions", json=DISTRICT_DRAW, headers=admin(client)).status_code == 201
    council = client.get("/api/status", headers=chief).json()["council"]
    assert council["lots_required"] == []
    seats = {p["name"]: (p["list_seats"], p["district_seats"]) for p in council["parties"]}
    assert seats == {"A": (1, 1), "B": (2, 0), "C": (1, 0)}
    assert [(d["tier"], d["winners"]) for d in council["lots_drawn"]] == [("list", ["B"]), ("district", ["X"])]
    certified = client.post("/api/certify", headers=chief)
    assert certified.status_code == 200, certified.text
    assert client.post("/api/decisions", json=DISTRICT_DRAW, headers=chief).json()["code"] == "certified"
    bundle = client.get("/api/bundle").json()
    assert "decisions.csv" in bundle["definition"]
    assert verify(bundle) == []
    changed = json.loads(json.dumps(bundle))
    changed["definition"]["decisions.csv"] = changed["definition"]["decisions.csv"].replace(",B,", ",A,")
    assert any("lots_drawn" in p or "parties" in p for p in verify(changed)), "another winner, another council"
    audit = client.get("/api/audit", headers=chief).json()
    rows = [r for r in (audit if isinstance(audit, list) else audit["rows"]) if r["action"] == "record-lots"]
    assert len(rows) == 2 and rows[0]["after"]["winners"] == ["B"] and rows[0]["after"]["by"] == "chief"
    out = tmp_path / "exported"
    exported = run_saylau("export", "--database", database_url, str(out))
    assert exported.returncode == 0, exported.stderr
    assert "drawn_on" in (out / "decisions.csv").read_text(encoding="utf-8")
    offline = json.loads(run_saylau("results", str(out), "--json").stdout)
    assert {p["name"]: p["seats"] for p in offline["parties"]} == {"A": 2, "B": 2, "C": 1}
    assert [lot["recorded_by"] for lot in offline["lots"]] == ["chief", "admin"]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({**DISTRICT_DRAW, "winners": ["Z"]}, 422, "not-in-tie", "winners"),
        ({**DISTRICT_DRAW, "winners": ["X", "Y"]}, 422, "winners-count", "winners"),
        ({**DISTRICT_DRAW, "tied": ["X", "Z"]}, 422, "other-tie", "tied"),
        ({**LIST_DRAW, "seats": 2, "winners": ["A", "B"]}, 422, "wrong-seats", "seats"),
        ({**LIST_DRAW, "tied": ["A", "C"], "winners": ["C"]}, 422, "other-tie", "tied"),
        ({**DISTRICT_DRAW, "district": 2}, 409, "no-tie", "district"),
        ({**DISTRICT_DRAW, "tier": "runoff"}, 422, "invalid", "tier"),
        ({**DISTRICT_DRAW, "winners": []}, 422, "invalid", "winners"),
    ],
)
def test_an_outcome_that_does_not_fit_the_tie_is_refused(
    tied_client: TestClient, database_url: str, body: dict[str, Any], status: int, code: str, field: str
) -> None:
    chief = counted(tied_client)
    answer = tied_client.post("/api/decisions", json=body, headers=chief)
    assert (answer.status_code, answer.json()["code"], answer.json()["field"]) == (status, code, field), answer.text
    assert tied_client.get("/api/decisions", headers=chief).json()["decided"] == [], "nothing stored"
    assert tied_client.post("/api/decisions", json=DISTRICT_DRAW, headers=chief).status_code == 201
    again = tied_client.post("/api/decisions", json={**DISTRICT_DRAW, "tied": ["Y", "X"]}, headers=chief)
    assert (again.status_code, again.json()["code"]) == (409, "already-decided")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_record_the_figures_no_longer_fit_blocks_certification_until_withdrawn(
    tied_client: TestClient, database_url: str
) -> None:
    client = tied_client
    chief = counted(client)
    for body in (LIST_DRAW, DISTRICT_DRAW):
        assert client.post("/api/decisions", json=body, headers=chief).status_code == 201
    database = open_database(database_url, migrate=False)
    with database.unit_of_work() as connection:  # the protocol reopened and typed again with Y 201
        (found,) = [p for p in protocols_store.listing(connection) if p.ballot == "district"]
        assert found.record.definitive is not None
        figures = dict(found.record.definitive.figures)
        figures["votes"] = {**figures["votes"], "Y": 201, "Z": 79}
        protocols.reopen(connection, Actor("chief", Role.COORDINATOR), found.station, "district", "typed again")
        for name in ("op-a", "op-b"):
            protocols.enter(connection, Actor(name, Role.OPERATOR), found.station, "district", figures)
        if protocols_store.find(connection, (found.station, found.contest, "district")).state is EntryState.WARNINGS:  # type: ignore[union-attr]
            protocols.accept_warnings(connection, Actor("chief", Role.COORDINATOR), found.station, "district", "ok")
    database.close()
    view = client.get("/api/decisions", headers=chief).json()
    (stale,) = view["not_fitting"]
    assert (stale["district"], stale["reason"]) == (1, "no-tie")
    refused = client.post("/api/certify", headers=chief)
    assert (refused.status_code, refused.json()["code"]) == (409, "decision-misfit")
    withdraw = f"/api/decisions/{stale['id']}/withdraw"
    assert client.post(withdraw, json={"reason": " "}, headers=chief).json()["code"] == "invalid"
    assert client.post(withdraw, json={"reason": "protocol 1 corrected"}, headers=chief).status_code == 200
    assert client.post("/api/certify", headers=chief).status_code == 200


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_page_lists_the_tied_standings_and_records_an_outcome(tied_client: TestClient, database_url: str) -> None:
    client = tied_client
    counted(client)
    client.headers.clear()
    login = client.post("/api/login", json={"name": "chief", "password": "pw-chief-123"}).json()
    page = client.get("/staff/lots?lang=ru")
    assert page.status_code == 200
    assert "Требуется жеребьёвка" in page.text and "Победители жеребьёвки" in page.text
    assert page.text.count('class="tie"') == 2 and "<td>195</td>" in page.text and "<td>200</td>" in page.text
    form = {"csrf": login["csrf"], "tier": "district", "district": "1", "tied": ["X", "Y"], "seats": "1"}
    wrong = client.post("/staff/lots", data={**form, "winners": "Z"})
    assert wrong.status_code == 422 and "not-in-tie" in wrong.text, "refused on the page, with its code"
    done = client.post("/staff/lots", data={**form, "winners": "Y", "drawn_on": "2023-03-21"}, follow_redirects=False)
    assert done.status_code == 303
    page = client.get("/staff/lots?lang=en")
    assert page.text.count('class="tie"') == 1, "only the list tie waits"
    assert "Tied remainder: 75" in page.text, "A and B: 195 - 120 = 75 each"
    assert '<td class="winners">Y</td>' in page.text and "chief" in page.text
    forged = client.post("/staff/lots", data={**form, "csrf": "forged", "winners": "X"})
    assert forged.status_code == 403
