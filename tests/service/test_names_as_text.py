"""Names that are markup (tests.hostile.MARKUP) are text on every page of the service, public and staff.

The service runs over the Almaty folder with those names; station 101's two ballots are entered (the list
one twice alike, the district one twice differently, so the coordinator's side-by-side page has both), a
district candidate called `<img src=y onerror=alert(5)>` is registered through the API, and then every page
is read with an HTML parser: no element or event handler from a name, and the names shown as written.
A name with an invisible character is refused through the API as it is in a folder (one rule: the loader's).
"""

from __future__ import annotations

import contextlib
import csv
import io
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from saylau.web import Settings, create_app, prepare
from tests.hostile import MARKUP, live_markup, markup_folder, rename, shown_text
from tests.service import test_decisions as decisions
from tests.service.conftest import ADMIN_PASSWORD
from tests.service.helpers import STATION_101_DISTRICT, STATION_101_LIST, admin, user

REGISTERED = "<img src=y onerror=alert(5)>"
WINNER, SECOND, THIRD = MARKUP["Аким Турсунов"], MARKUP["District 1 candidate B"], MARKUP["District 1 candidate C"]
MARKED_101 = {**STATION_101_DISTRICT, "votes": {MARKUP[n]: v for n, v in STATION_101_DISTRICT["votes"].items()}}
"""examples/almaty-2023/protocols/district-01.csv, station 101, district ballot, under the MARKUP names."""
PARTY_VOTES = {"Amanat": 343, MARKUP["QHP"]: 84, MARKUP["Respublica"]: 74, MARKUP["Baytaq"]: 52}
LIST_101 = {**STATION_101_LIST, "votes": {**PARTY_VOTES, MARKUP["Aq Jol"]: 22, MARKUP["Auyl"]: 23}}


@pytest.fixture(params=["sqlite"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """SQLite only: pages are rendered the same over either database."""
    return f"sqlite:///{tmp_path / 'saylau.sqlite'}"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """The service over the Almaty folder whose names are markup."""
    folder = markup_folder(tmp_path / "folder")
    return Settings(folder=folder, database=database_url, admin_password=ADMIN_PASSWORD, secure_cookies=False)


def _fresh_public_page(client: TestClient) -> str:
    """The public page once its snapshot (rebuilt in the background) has station 101's list ballot."""
    deadline = time.monotonic() + 15
    while True:
        page = client.get("/?lang=en").text
        if "343" in shown_text(page) or time.monotonic() > deadline:
            return page
        time.sleep(0.1)


def test_every_page_shows_markup_names_as_text(client: TestClient) -> None:
    chief = admin(client)
    lawful = {"candidate": REGISTERED, "party": "Amanat", "date_of_birth": "1980-01-01", "sex": "f"}
    assert client.post("/api/districts/3/candidates", json=lawful, headers=chief).status_code == 201
    one, two = user(client, "op1", "operator", [1]), user(client, "op2", "operator", [1])
    coordinator = user(client, "coord", "coordinator", [1])
    for headers in (one, two):
        done = client.post("/api/protocols/101/list/entries", json=LIST_101, headers=headers)
        assert done.status_code == 200, done.text
    client.post("/api/protocols/101/district/entries", json=MARKED_101, headers=one)
    different = {**MARKED_101, "votes": {WINNER: 152, SECOND: 224, THIRD: 119}}
    assert client.post("/api/protocols/101/district/entries", json=different, headers=two).json()["state"] == (
        "different"
    )
    public = _fresh_public_page(client)
    pages = {
        "/": (public, [*PARTY_VOTES]),
        "/live": (client.get("/live?lang=en").text, [*PARTY_VOTES]),
        "/projector": (client.get("/projector?lang=en").text, []),
        "/projector/live": (client.get("/projector/live?lang=en").text, []),
        "/login": (client.get("/login").text, []),
        "/staff": (client.get("/staff", headers=chief).text, []),
        # Station 102 (district 1, as 101): its forms are still open to op1, who entered 101's already.
        "/enter/102/list": (client.get("/enter/102/list", headers=one).text, [MARKUP["Auyl"], MARKUP["QHP"]]),
        "/enter/102/district": (client.get("/enter/102/district", headers=one).text, [WINNER, SECOND, THIRD]),
        "/protocols/101/district": (client.get("/protocols/101/district", headers=coordinator).text, [WINNER]),
        "/admin/users": (client.get("/admin/users", headers=chief).text, []),
        "/admin/registration": (
            client.get("/admin/registration", headers=chief).text,
            [REGISTERED, MARKUP["Zhansaya Abdumalik"], MARKUP["Baytaq"]],
        ),
    }
    for path, (page, names) in pages.items():
        assert live_markup(page) == [], path
        shown = shown_text(page)
        for name in names:
            assert name in shown, (path, name)
    for path in ("/api/public/results.csv", "/api/public/results.json", "/api/public/results.nist.json"):
        download = client.get(path)
        assert download.status_code == 200 and "text/html" not in download.headers["content-type"], path
    cells = {cell for row in csv.reader(io.StringIO(client.get("/api/public/results.csv").text)) for cell in row}
    assert "'" + MARKUP["Aq Jol"] in cells and MARKUP["Aq Jol"] not in cells


def test_a_name_with_an_invisible_character_is_refused_through_the_api(client: TestClient) -> None:
    twin = {"candidate": "Аким\u200b Турсунов", "party": "Amanat", "date_of_birth": "1980-01-01", "sex": "m"}
    answer = client.post("/api/districts/3/candidates", json=twin, headers=admin(client))
    assert answer.status_code == 422, answer.text
    assert [(e["code"], e["field"]) for e in answer.json()["errors"]] == [("invisible-character", "candidate")]
    assert "invisible character U+200B" in answer.text


TIED = {"A": "<script>alert('A')</script>", "B": '<img src=x onerror="alert(1)">', "X": "{{X}} <b>x</b>", "Y": "=1+2"}
"""tests/service/test_decisions.py's tied election, its parties A and B and candidates X and Y renamed."""


def test_the_drawing_of_lots_page_shows_tied_markup_names_as_text(tmp_path: Path, database_url: str) -> None:
    folder = tmp_path / "tied"
    folder.mkdir()
    for name, content in decisions.FILES.items():
        (folder / name).write_text(content, encoding="utf-8")
    for old, new in TIED.items():
        rename(folder, old, new)
    settings = Settings(folder=folder, database=database_url, admin_password=ADMIN_PASSWORD, secure_cookies=False)
    database, _ = prepare(settings)
    with contextlib.closing(database), TestClient(create_app(settings, database)) as client:
        one, two = user(client, "op1", "operator"), user(client, "op2", "operator")
        for ballot, figures in (("list", decisions.LIST_FIGURES), ("district", decisions.DISTRICT_FIGURES)):
            renamed = {**figures, "votes": {TIED.get(k, k): v for k, v in figures["votes"].items()}}
            for who in (one, two):
                assert client.post(f"/api/protocols/1/{ballot}/entries", json=renamed, headers=who).status_code == 200
        chief = user(client, "chief", "coordinator")
        drawn = {"tier": "district", "district": 1, "tied": [TIED["X"], TIED["Y"]], "seats": 1, "winners": [TIED["Y"]]}
        assert client.post("/api/decisions", json=drawn, headers=chief).status_code in (200, 201)
        page = client.get("/staff/lots?lang=en", headers=chief).text
        public = client.get("/?lang=en").text
    assert live_markup(page) == [] and live_markup(public) == []
    for name in TIED.values():
        assert name in shown_text(page), name
