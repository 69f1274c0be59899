"""Commissions as a tree: what a user may do follows from the commission they belong to.

The day of test_election_day (Almaty's mäslihat `city` and `majilis` on the same 553 stations) with its
tree: the central commission `cec` declares the Mäjilis; the territorial commission `tec` (region Almaty)
declares the city mäslihat; district commissions `dec-1` and `dec-2` cover the stations of the city's
districts 1 and 2 (station 101 lies in district 1, station 201 in district 2). Every action is asked by a
user of each commission, on what is theirs and on what is another's: every cross-commission action is
refused with 403 `commission`, and every action on their own is not refused for who asks (it may still be
404, 409 or 422 for the protocol's state or the body).
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from saylau.store import Database
from saylau.web import Settings, create_app, prepare
from tests.service.conftest import ADMIN_PASSWORD
from tests.service.helpers import STATION_101_LIST, admin, login
from tests.service.test_election_day import day_folder  # noqa: F401  (the fixture)

TREE = [
    ["cec", "central", "", "Central Election Commission", "", "", "", "", "majilis"],
    ["tec", "territorial", "cec", "Almaty City TEC", "Almaty", "", "", "", "city"],
    ["dec-1", "district", "tec", "District 1 EC", "", "", "city", "1", ""],
    ["dec-2", "district", "tec", "District 2 EC", "", "", "city", "2", ""],
]
STATION_201_LIST = {**STATION_101_LIST, "registered": 2003}


@pytest.fixture
def tree_client(day_folder: Path, database_url: str) -> Iterator[tuple[TestClient, Database]]:  # noqa: F811
    with (day_folder / "commissions.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "level", "parent", "name", "region", "stations", "contest", "districts", "declares"])
        writer.writerows(TREE)
    settings = Settings(folder=day_folder, database=database_url, admin_password=ADMIN_PASSWORD, secure_cookies=False)
    database, _ = prepare(settings)
    with contextlib.closing(database), TestClient(create_app(settings, database)) as client:
        yield client, database


def _member(client: TestClient, name: str, role: str, commission: str) -> dict[str, str]:
    body = {"name": name, "password": f"pw-{name}-123", "role": role, "commission": commission}
    made = client.post("/api/users", json=body, headers=admin(client))
    assert made.status_code == 201, made.text
    assert made.json()["commission"] == commission
    return login(client, name, f"pw-{name}-123")


Ask = tuple[str, str, dict[str, Any] | None]


def _protocol_actions(station: int, contest: str) -> list[Ask]:
    base = f"/api/protocols/{station}/list"
    return [
        ("GET", f"{base}?contest={contest}", None),
        ("GET", f"{base}/form?contest={contest}", None),
        ("POST", f"{base}/resolve?contest={contest}", {"action": "keep-first"}),
        ("POST", f"{base}/accept-warnings?contest={contest}", {"reason": "seen"}),
        ("POST", f"{base}/reopen?contest={contest}", {"reason": "seen"}),
        ("GET", f"/api/stations/{station}", None),
    ]


def _declaring_actions(contest: str) -> list[Ask]:
    drawing = {"tier": "district", "district": 1, "tied": ["X", "Y"], "seats": 1, "winners": ["X"]}
    return [
        ("POST", f"/api/certify?contest={contest}", None),
        ("POST", f"/api/decisions?contest={contest}", drawing),
        ("PUT", f"/api/designations/Amanat?contest={contest}", {"candidates": []}),
    ]


def test_every_cross_commission_action_is_refused(tree_client: tuple[TestClient, Database]) -> None:
    client, _ = tree_client
    people = {
        "op-1": _member(client, "op-1", "operator", "dec-1"),
        "op-2": _member(client, "op-2", "operator", "dec-2"),
        "co-1": _member(client, "co-1", "coordinator", "dec-1"),
        "co-tec": _member(client, "co-tec", "coordinator", "tec"),
        "co-cec": _member(client, "co-cec", "coordinator", "cec"),
        "admin-1": _member(client, "admin-1", "administrator", "dec-1"),
    }
    # (who, request, whether it is their own): own is never 401/403, another's always 403 `commission`.
    table: list[tuple[str, Ask, bool]] = []
    for contest in ("city", "majilis"):
        for who, own, other in (("op-1", 101, 201), ("op-2", 201, 101)):
            entries = STATION_101_LIST if own == 101 else STATION_201_LIST
            table.append((who, ("POST", f"/api/protocols/{own}/list/entries?contest={contest}", entries), True))
            other_entry = STATION_201_LIST if other == 201 else STATION_101_LIST
            table.append((who, ("POST", f"/api/protocols/{other}/list/entries?contest={contest}", other_entry), False))
        table += [("co-1", ask, True) for ask in _protocol_actions(101, contest)]
        table += [("co-1", ask, False) for ask in _protocol_actions(201, contest)]
        table += [("co-1", ask, False) for ask in _declaring_actions(contest)]
    table += [("co-tec", ask, True) for ask in _declaring_actions("city")]
    table += [("co-tec", ask, False) for ask in _declaring_actions("majilis")]
    table += [("co-cec", ask, True) for ask in _declaring_actions("majilis")]
    table += [("co-cec", ask, False) for ask in _declaring_actions("city")]
    for contest, own in (("city", False), ("majilis", False)):
        table.append(("admin-1", ("PUT", f"/api/lists/Amanat?contest={contest}", {"candidates": []}), own))
        table.append(("admin-1", ("POST", f"/api/uncertify?contest={contest}", {"reason": "seen"}), own))
    new_user = {"name": "x-tec", "password": "pw-x-tec-123", "role": "observer", "commission": "tec"}
    table.append(("admin-1", ("POST", "/api/users", new_user), False))
    inside = {"name": "x-dec1", "password": "pw-x-dec1-123", "role": "observer", "commission": "dec-1"}
    table.append(("admin-1", ("POST", "/api/users", inside), True))

    wrong = []
    for who, (verb, path, body), own in table:
        answer = client.request(verb, path, json=body, headers=people[who])
        client.cookies.clear()
        code = (
            answer.json().get("code") if answer.headers.get("content-type", "").startswith("application/json") else None
        )
        if own and answer.status_code in (401, 403):
            wrong.append(f"{who} {verb} {path}: refused {answer.status_code} {answer.text[:120]}")
        if not own and (answer.status_code != 403 or code != "commission"):
            wrong.append(f"{who} {verb} {path}: {answer.status_code} {code}, expected 403 commission")
    assert wrong == []
    assert len(table) == 56  # every row above was asked


def test_a_commission_sees_only_its_own_stations(tree_client: tuple[TestClient, Database]) -> None:
    client, _ = tree_client
    mine = _member(client, "op-1", "operator", "dec-1")
    listed = client.get("/api/protocols?contest=city", headers=mine).json()
    assert listed and {p["district"] for p in listed} == {1}
    everything = client.get("/api/protocols?contest=city", headers=admin(client)).json()
    assert {p["district"] for p in everything} == set(range(1, 22))
    assert client.get("/api/me", headers=mine).json()["commission"] == "dec-1"
    unknown = client.post(
        "/api/users",
        json={"name": "y", "password": "pw-y-12345", "role": "operator", "commission": "nowhere"},
        headers=admin(client),
    )
    assert unknown.status_code == 404 and "cec, tec, dec-1, dec-2" in unknown.json()["message"]
