"""A station's five ballots in headless Chromium, typed by two operators, one in Kazakh and one in Russian.

The day (written here): station 101 counts three contests, as a station outside the big cities did on
19 March 2023: the Mäjilis (list and district ballots), the regional mäslihat (list and district ballots)
and the district mäslihat (district ballot only), five protocols in all. The first operator opens the
station in Kazakh, the second in Russian; each follows the five entry links of the station page, types each
protocol with the keyboard, and comes back to the station. All five are then accepted. Screenshots of the
station page and of an entry form, at 390 px and 1280 px, land in the test's folder (and $SAYLAU_SCREENSHOTS).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.test_browser import ARGS, CHROMIUM
from tests.e2e.test_service_browser import _type_protocol
from tests.service.conftest import ADMIN_PASSWORD

sync_api = pytest.importorskip("playwright.sync_api")

LINES = {"registered": 1000, "received": 1010, "issued": 500, "issued_absentee": 0, "issued_outside": 0}
LINES |= {"cancelled": 510, "found": 500, "invalid": 10, "against_all": 10}
MIXED = '[system]\npreset = "kazakhstan-2023-maslihat"\n'
CONTESTS = {
    "majilis": (
        'name = "Mäjilis 2023"\nname_kk = "Мәжіліс 2023"\nname_ru = "Мажилис 2023"\ndate = 2023-03-19\n'
        '[body]\nname = "Mäjilis"\nseats = 5\n' + MIXED,
        {"A": 300, "B": 180},
        {"Aruzhan": 250, "Bolat": 230},
    ),
    "oblys": (
        'name = "Regional mäslihat 2023"\nname_kk = "Облыстық мәслихат 2023"\nname_ru = "Областной маслихат 2023"\n'
        'date = 2023-03-19\n[body]\nname = "Regional mäslihat"\nseats = 5\n' + MIXED,
        {"A": 200, "B": 280},
        {"Dana": 300, "Erlan": 180},
    ),
    "audan": (
        'name = "District mäslihat 2023"\nname_kk = "Аудандық мәслихат 2023"\nname_ru = "Районный маслихат 2023"\n'
        'date = 2023-03-19\n[body]\nname = "District mäslihat"\nseats = 1\n'
        '[system]\npreset = "kazakhstan-2023-district-maslihat"\n',
        None,
        {"Gulnar": 260, "Murat": 220},
    ),
}


def _day(tmp_path: Path) -> Path:
    root = tmp_path / "day"
    root.mkdir()
    toml = 'name = "Election day"\ndate = 2023-03-19\n'
    for contest, (election, party_votes, candidate_votes) in CONTESTS.items():
        folder = root / contest
        (folder / "protocols").mkdir(parents=True)  # the night's protocols go to the service, not here
        (folder / "election.toml").write_text(election, encoding="utf-8")
        (folder / "parties.csv").write_text(
            "short_name,full_name,registration_order\nA,Party A,1\nB,Party B,2\n", encoding="utf-8"
        )
        if party_votes is not None:
            lists = "".join(f"{p},{i},{p} list {i}\n" for p in "AB" for i in (1, 2, 3, 4))
            (folder / "lists.csv").write_text("party,position,candidate\n" + lists, encoding="utf-8")
        (folder / "districts.csv").write_text("number,name\n1,One\n", encoding="utf-8")
        candidates = "".join(f"1,{name},{party}\n" for name, party in zip(candidate_votes, "AB", strict=True))
        (folder / "candidates.csv").write_text("district,candidate,party\n" + candidates, encoding="utf-8")
        toml += f'\n[[contests]]\nid = "{contest}"\nfolder = "{contest}"\n'
    (root / "day.toml").write_text(toml, encoding="utf-8")
    (root / "stations.csv").write_text(
        "station,registered,region,district:majilis,district:oblys,district:audan\n101,1000,R,1,1,1\n",
        encoding="utf-8",
    )
    return root


def _figures(contest: str, ballot: str) -> dict[str, Any]:
    _, party_votes, candidate_votes = CONTESTS[contest]
    return {**LINES, "votes": dict(party_votes if ballot == "list" and party_votes else candidate_votes)}


@pytest.mark.parametrize("server", [_day], indirect=True)
def test_a_station_s_five_ballots_by_two_operators_in_kazakh_and_russian(server: str, tmp_path: Path) -> None:
    with httpx.Client(base_url=server) as client:
        token = client.post("/api/login", json={"name": "admin", "password": ADMIN_PASSWORD}).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        for name in ("op1", "op2"):
            body = {"name": name, "password": f"pw-{name}-123", "role": "operator"}
            assert client.post("/api/users", json=body, headers=headers).status_code == 201
    shots = Path(os.environ.get("SAYLAU_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for name, lang in (("op1", "kk"), ("op2", "ru")):
            page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            page.goto(f"{server}/login?lang={lang}")
            page.fill("input[name=name]", name)
            page.fill("input[name=password]", f"pw-{name}-123")
            page.keyboard.press("Enter")
            page.wait_for_url(f"{server}/staff")
            page.goto(f"{server}/staff/station/101")
            links = page.eval_on_selector_all("a.enter", "xs => xs.map(x => x.getAttribute('href'))")
            assert [link.split("?")[0] + "?" + link.split("?")[1].split("&")[0] for link in links] == [
                "/enter/101/list?contest=majilis",
                "/enter/101/district?contest=majilis",
                "/enter/101/list?contest=oblys",
                "/enter/101/district?contest=oblys",
                "/enter/101/district?contest=audan",
            ]
            _shoot(page, shots / f"station-101-{lang}-before")
            for k, link in enumerate(links):
                page.goto(server + link)
                if k == 4:
                    _shoot(page, shots / f"entry-audan-{lang}")
                contest, ballot = link.split("contest=")[1].split("&")[0], link.split("/")[3].split("?")[0]
                _type_protocol(page, _figures(contest, ballot))
                page.wait_for_url(f"{server}/staff/station/101*")
            assert page.locator("a.enter").count() == 0, "the station has nothing left for this operator"
            _shoot(page, shots / f"station-101-{lang}-after")
        browser.close()
    with httpx.Client(base_url=server) as client:
        token = client.post("/api/login", json={"name": "admin", "password": ADMIN_PASSWORD}).json()["token"]
        found = client.get("/api/stations/101", headers={"Authorization": f"Bearer {token}"}).json()["protocols"]
    assert [(p["contest"], p["ballot"], p["state"]) for p in found] == [
        ("majilis", "list", "accepted"),
        ("majilis", "district", "accepted"),
        ("oblys", "list", "accepted"),
        ("oblys", "district", "accepted"),
        ("audan", "district", "accepted"),
    ]


def _shoot(page: Any, stem: Path) -> None:
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{stem}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
