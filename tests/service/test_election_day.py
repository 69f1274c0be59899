"""The service runs a whole election day: two contests on the same stations, in one database.

The day: Almaty's mäslihat (examples/almaty-2023, beside the day, with its own stations.csv) and a second
contest, `majilis`, on the same 553 stations (the same folder without its stations.csv, so its register is
the day's). Each contest is entered, counted, certified and refused on its own; a station's clerk sees all
four of the station's protocols at once; the audit chain covers both. The councils are compared with
`saylau results` on the example folder (the offline loader and count, not the service).
"""

from __future__ import annotations

import contextlib
import csv
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from saylau.io.protocols import read_protocol_file
from saylau.service import audit, protocols
from saylau.service.permissions import Actor, Role
from saylau.service.protocols import FIGURES, Typing
from saylau.store import Database
from saylau.web import Settings, create_app, prepare
from tests.integration.test_almaty_2023 import run_saylau
from tests.service.conftest import ADMIN_PASSWORD, ALMATY
from tests.service.helpers import user

CONTESTS = ("city", "majilis")


@pytest.fixture
def day_folder(tmp_path: Path) -> Path:
    return make_day(tmp_path)


def make_day(tmp_path: Path) -> Path:
    """The day folder under `tmp_path`: Almaty's mäslihat (`city`) and the Mäjilis on the same stations."""
    shutil.copytree(ALMATY, tmp_path / "almaty-2023")
    shutil.copytree(ALMATY.parent / "almaty-2021", tmp_path / "almaty-2021")
    root = tmp_path / "day"
    second = root / "majilis"
    shutil.copytree(ALMATY, second)
    (second / "stations.csv").unlink()
    toml = (second / "election.toml").read_text(encoding="utf-8")
    (second / "election.toml").write_text(re.sub(r"\[previous\][^\[]*", "", toml), encoding="utf-8")
    (root / "day.toml").write_text(
        'name = "Almaty, 19 March 2023"\ndate = 2023-03-19\n\n'
        '[[contests]]\nid = "city"\nfolder = "../almaty-2023"\n\n'
        '[[contests]]\nid = "majilis"\nfolder = "majilis"\n',
        encoding="utf-8",
    )
    with (ALMATY / "stations.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with (root / "stations.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["station", "registered", "region", "district:city", "district:majilis"])
        writer.writerows([r["station"], r["registered"], "Almaty", r["district"], r["district"]] for r in rows)
    return root


@pytest.fixture
def day_client(day_folder: Path, database_url: str) -> Iterator[tuple[TestClient, Database]]:
    settings = Settings(folder=day_folder, database=database_url, admin_password=ADMIN_PASSWORD, secure_cookies=False)
    database, _ = prepare(settings)
    with contextlib.closing(database), TestClient(create_app(settings, database)) as client:
        yield client, database


def _paper() -> list[tuple[int, str, dict[str, Any]]]:
    """Every protocol of the example as typed: (station, ballot, figures)."""
    out = []
    for path in sorted((ALMATY / "protocols").glob("*.csv")):
        found, problems = read_protocol_file(ALMATY / "protocols", path.name)
        assert not problems
        out += [(p.station, p.ballot, {n: p.figure(n) for n in FIGURES} | {"votes": dict(p.votes)}) for p in found]
    return out


def _enter_contest(database: Database, contest: str, skip: frozenset[tuple[int, str]] = frozenset()) -> None:
    """Both operators type every protocol of a contest (except `skip`), through the service's use case."""
    one, two = Actor("op1", Role.OPERATOR), Actor("op2", Role.OPERATOR)
    typed = [(s, b, f) for s, b, f in _paper() if (s, b) not in skip]
    for who in (one, two):
        with database.unit_of_work() as connection:
            outcomes = protocols.enter_all(connection, [Typing(who, s, b, f, contest) for s, b, f in typed])
        assert not [o for o in outcomes if isinstance(o, Exception)]


def test_a_day_of_two_contests_is_entered_counted_and_certified_contest_by_contest(
    day_client: tuple[TestClient, Database],
) -> None:
    client, database = day_client
    assert client.get("/api/day").json() == {
        "name": "Almaty, 19 March 2023",
        "contests": [
            {"id": "city", "name": "2023 Almaty City Mäslihat election", "certified": False},
            {"id": "majilis", "name": "2023 Almaty City Mäslihat election", "certified": False},
        ],
    }
    one, two = user(client, "op1", "operator"), user(client, "op2", "operator")
    coordinator = user(client, "co", "coordinator")

    # Without a contest, a protocol of a day of two is ambiguous: refused, naming the contests.
    refused = client.get("/api/protocols/101/list", headers=one)
    assert refused.status_code == 404 and refused.json()["code"] == "contest"
    assert "city, majilis" in refused.json()["message"]

    # The clerk of station 101 opens it once: four protocols, contest by contest, list before district.
    figures = {(s, b): f for s, b, f in _paper()}
    opened = client.get("/api/stations/101", headers=one).json()["protocols"]
    assert [(p["contest"], p["ballot"], p["state"]) for p in opened] == [
        ("city", "list", "empty"),
        ("city", "district", "empty"),
        ("majilis", "list", "empty"),
        ("majilis", "district", "empty"),
    ]
    for contest in CONTESTS:
        for ballot in ("list", "district"):
            for who in (one, two):
                answer = client.post(
                    f"/api/protocols/101/{ballot}/entries?contest={contest}", json=figures[(101, ballot)], headers=who
                )
                assert answer.status_code == 200, answer.text
    assert {p["state"] for p in client.get("/api/stations/101", headers=one).json()["protocols"]} == {"accepted"}

    # Each contest counts its own protocols: one station of 553 on both ballots of each.
    for contest in CONTESTS:
        progress = client.get(f"/api/status?contest={contest}").json()["progress"]
        assert {b: p["stations_reported"] for b, p in progress.items()} == {"list": 1, "district": 1}

    # The city is counted in full and certified; the Mäjilis, still partial, is not, and takes entries.
    _enter_contest(database, "city", skip=frozenset({(101, "list"), (101, "district")}))
    made = client.post("/api/certify?contest=city", headers=coordinator)
    assert made.status_code == 200, made.text
    incomplete = client.post("/api/certify?contest=majilis", headers=coordinator)
    assert incomplete.status_code == 409 and incomplete.json()["code"] == "incomplete"
    frozen = client.post("/api/protocols/101/list/reopen?contest=city", json={"reason": "x"}, headers=coordinator)
    assert frozen.status_code == 409 and frozen.json()["code"] == "certified"
    reopened = client.post("/api/protocols/101/list/reopen?contest=majilis", json={"reason": "x"}, headers=coordinator)
    assert reopened.status_code == 200 and reopened.json()["state"] == "empty"

    # The certified city council is the one `saylau results` gives on the example folder alone.
    done = run_saylau("results", str(ALMATY), "--json")
    assert done.returncode == 0, done.stderr
    offline = {p["name"]: (p["list_seats"], p["district_seats"]) for p in json.loads(done.stdout)["parties"]}
    council = client.get("/api/bundle?contest=city").json()["council"]
    assert {p["name"]: (p["list_seats"], p["district_seats"]) for p in council["parties"]} == offline
    assert council["seats_total"] == 42 and council["majority"] == 22  # the seed's
    assert client.get("/api/bundle?contest=majilis").status_code == 404
    assert [c["certified"] for c in client.get("/api/day").json()["contests"]] == [True, False]

    # One audit chain covers the whole day: entries of both contests, the certification, the reopening.
    with database.unit_of_work() as connection:
        assert audit.verify(connection).intact
        subjects = {e.subject for e in audit.rows(connection, limit=1000)}
    assert {"station 101 city list", "station 101 majilis district"} <= subjects


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_staff_pages_run_the_day_contest_by_contest(day_client: tuple[TestClient, Database]) -> None:
    client, _ = day_client
    user(client, "op1", "operator")
    user(client, "op2", "operator")
    figures = {(s, b): f for s, b, f in _paper()}
    for name in ("op1", "op2"):
        client.headers.clear()
        client.cookies.clear()
        csrf = client.post("/api/login", json={"name": name, "password": f"pw-{name}-123"}).json()["csrf"]
        home = client.get("/staff?lang=en")
        assert home.status_code == 200 and 'href="/staff?contest=majilis"' in home.text
        station = client.get("/staff/station/101?lang=ru")
        assert station.status_code == 200 and station.text.count('class="enter"') == 4
        for contest in CONTESTS:
            for ballot in ("list", "district"):
                link = f"/enter/101/{ballot}?contest={contest}"
                assert f'href="{link.replace("&", "&amp;")}"' in station.text
                form = client.get(link)
                assert form.status_code == 200
                typed = figures[(101, ballot)]
                values = {"csrf": csrf, **{k: str(v) for k, v in typed.items() if k != "votes"}}
                values |= {f"vote:{o}": str(v) for o, v in typed["votes"].items()}
                done = client.post(link, data=values, follow_redirects=False)
                assert done.status_code == 303 and done.headers["location"].startswith("/staff/station/101")
    client.headers.clear()
    states = client.get("/api/stations/101", headers=user(client, "watcher", "observer")).json()["protocols"]
    assert {(p["contest"], p["ballot"]): p["state"] for p in states} == {
        (c, b): "accepted" for c in CONTESTS for b in ("list", "district")
    }
    page = client.get("/staff?contest=city&lang=en")
    assert page.status_code == 200 and page.text.count("1 / 553") == 2, "both ballots of the city: one station"


def test_serving_sets_start_up_aside_and_collects_the_young_less_often() -> None:
    """`collect_for_serving`: what exists before serving is frozen, the young generation collected every
    `YOUNG_COLLECTION` allocations instead of 700 (restored after, for the tests that follow)."""
    import gc

    from saylau.web.app import YOUNG_COLLECTION, collect_for_serving

    before = gc.get_threshold()
    gc.set_threshold(700, before[1], before[2])
    alive = [["made before serving"]]
    try:
        collect_for_serving()
        assert gc.get_threshold() == (YOUNG_COLLECTION, before[1], before[2])
        assert all(found is not alive[0] for found in gc.get_objects()), "set aside: no collection walks it"
        later = [["made while serving"]]
        assert any(found is later[0] for found in gc.get_objects())
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_the_service_settles_on_a_day_of_several_contests(day_client: tuple[TestClient, Database]) -> None:
    """`saylau serve DAY` loads every contest's definition before serving (it stopped at the day's first)."""
    from saylau.service import definition
    from saylau.web.app import warm

    _, database = day_client
    warm(database)
    with database.unit_of_work() as connection:
        assert [definition.current(connection, c).election.name for c in CONTESTS] == [
            "2023 Almaty City Mäslihat election"
        ] * 2
