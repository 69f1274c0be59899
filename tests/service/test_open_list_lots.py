"""Drawings of lots for an open list's candidates (tier `candidate`) in the service, on both databases.

A small election typed by hand, one station, its list seats shared by open lists whose seats go to the
candidates with the most preference votes, equal votes by lot (`open_list`: rest `preference`, tie `lot`):
- list tier, 4 seats: A 290, B 100, C 90 (+ 10 against all + 10 invalid = 500 found); quota 480 / 4 = 120:
  A 2 seats (remainder 50), then B (100) and C (90) one each by their remainders.
- the service takes no preference votes, so every candidate has none: each list's seats are a tie of all its
  names at 0 for the seats it won (A's three names for 2 seats, B's and C's three for 1), left to the
  commission; district 1 (X 200, Y 150, Z 130) has no tie.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from saylau.service.results import verify
from tests.service import test_decisions as tied

FILES = {
    "election.toml": 'name = "Open"\ndate = 2023-03-19\n[body]\nname = "Open Council"\nseats = 5\n'
    '[system]\npreset = "kazakhstan-2023-maslihat"\n'
    '[system.overrides.list_tier.open_list]\nrest = "preference"\ntie = "lot"\n',
    **{k: v for k, v in tied.FILES.items() if k != "election.toml"},
}
FIGURES = {
    "list": {**tied.LIST, "votes": {"A": 290, "B": 100, "C": 90}},
    "district": {**tied.LIST, "votes": {"X": 200, "Y": 150, "Z": 130}},
}
NAMES = {p: [f"{p} list {i}" for i in (1, 2, 3)] for p in "ABC"}
DRAW_B = {"tier": "candidate", "tied": NAMES["B"], "seats": 1, "winners": ["B list 3"], "drawn_on": "2023-03-21"}
DRAW_A = {"tier": "candidate", "tied": NAMES["A"], "seats": 2, "winners": ["A list 2", "A list 3"]}
DRAW_C = {"tier": "candidate", "tied": NAMES["C"], "seats": 1, "winners": ["C list 1"]}


@pytest.fixture
def open_client(tmp_path: Path, database_url: str) -> Iterator[TestClient]:
    with tied.served(tmp_path, database_url, FILES) as client:
        yield client


def counted(client: TestClient) -> dict[str, str]:
    """Both protocols typed twice alike (accepted); the whole-city coordinator's headers."""
    return tied.counted(client, FIGURES)


def test_an_open_list_tie_waits_for_the_commission_s_drawing_then_certifies(open_client: TestClient) -> None:
    client = open_client
    chief = counted(client)
    assert client.post("/api/certify", headers=chief).json()["code"] == "lots-required"
    required = client.get("/api/decisions", headers=chief).json()["required"]
    assert [(t["tier"], t["party"], t["district"], t["tied"], t["votes"], t["seats"]) for t in required] == [
        ("candidate", "A", None, NAMES["A"], [0, 0, 0], 2),
        ("candidate", "B", None, NAMES["B"], [0, 0, 0], 1),
        ("candidate", "C", None, NAMES["C"], [0, 0, 0], 1),
    ]
    recorded = client.post("/api/decisions", json={**DRAW_B, "tied": NAMES["B"][::-1]}, headers=chief)
    assert recorded.status_code == 201, recorded.text
    assert (recorded.json()["tier"], recorded.json()["tied"]) == ("candidate", NAMES["B"]), "stored in list order"
    for body in (DRAW_A, DRAW_C):
        assert client.post("/api/decisions", json=body, headers=chief).status_code == 201
    council = client.get("/api/status", headers=chief).json()["council"]
    assert council["lots_required"] == []
    deputies = {d["name"] for d in council["deputies"]}
    assert deputies == {"A list 2", "A list 3", "B list 3", "C list 1", "X"}
    assert client.post("/api/certify", headers=chief).status_code == 200
    bundle = client.get("/api/bundle").json()
    assert "candidate,,,B list 1;B list 2;B list 3,1,B list 3," in bundle["definition"]["decisions.csv"]
    assert verify(bundle) == []


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({**DRAW_B, "winners": ["A list 1"]}, 422, "not-in-tie", "winners"),
        ({**DRAW_B, "winners": ["B list 1", "B list 2"]}, 422, "winners-count", "winners"),
        ({**DRAW_B, "tied": ["B list 1", "B list 2"], "winners": ["B list 1"]}, 422, "other-tie", "tied"),
        ({**DRAW_A, "seats": 1, "winners": ["A list 1"]}, 422, "wrong-seats", "seats"),
        ({**DRAW_B, "tier": "district", "district": 1}, 409, "no-tie", "district"),
    ],
)
def test_an_open_list_drawing_that_fits_no_tie_is_refused(
    open_client: TestClient, body: dict[str, Any], status: int, code: str, field: str
) -> None:
    chief = counted(open_client)
    answer = open_client.post("/api/decisions", json=body, headers=chief)
    assert (answer.status_code, answer.json()["code"], answer.json()["field"]) == (status, code, field), answer.text
    assert open_client.get("/api/decisions", headers=chief).json()["decided"] == [], "nothing stored"
    assert open_client.post("/api/decisions", json=DRAW_B, headers=chief).status_code == 201
    again = open_client.post("/api/decisions", json=DRAW_B, headers=chief)
    assert (again.status_code, again.json()["code"]) == (409, "already-decided")


def test_an_unknown_tier_is_refused_in_the_caller_s_language(open_client: TestClient) -> None:
    client = open_client
    chief = counted(client)
    refused = client.post("/api/decisions", json={**DRAW_B, "tier": "runoff"}, headers=chief)
    assert (refused.status_code, refused.json()["field"]) == (422, "tier"), "the API's schema names the three tiers"
    client.headers.clear()
    login = client.post("/api/login", json={"name": "chief", "password": "pw-chief-123"}).json()
    form = {"csrf": login["csrf"], "tier": "runoff", "tied": NAMES["B"], "seats": "1", "winners": "B list 1"}
    for lang, said in (
        ("ru", "«runoff» — не список, не округ и не кандидат (list, district, candidate)"),
        ("kk", "«runoff» — тізім де, округ те, кандидат та емес (list, district, candidate)"),
        ("en", "runoff is not one of list, district, candidate"),
    ):
        page = client.post(f"/staff/lots?lang={lang}", data=form)
        assert page.status_code == 422 and said in page.text, lang
    assert client.get("/api/decisions", headers=chief).json()["decided"] == [], "nothing stored"


def test_the_page_shows_an_open_list_tie_and_records_its_drawing(open_client: TestClient) -> None:
    client = open_client
    counted(client)
    client.headers.clear()
    login = client.post("/api/login", json={"name": "chief", "password": "pw-chief-123"}).json()
    for lang, word in (("ru", "Открытый список"), ("kk", "Ашық тізім"), ("en", "Open list")):
        page = client.get(f"/staff/lots?lang={lang}")
        assert page.status_code == 200 and page.text.count(word) == 3, lang
        assert page.text.count('data-tier="candidate"') == 3
    form = {"csrf": login["csrf"], "tier": "candidate", "tied": NAMES["B"], "seats": "1"}
    wrong = client.post("/staff/lots?lang=ru", data={**form, "winners": "A list 1"})
    assert wrong.status_code == 422 and "not-in-tie" in wrong.text, "refused on the page, with its code"
    done = client.post("/staff/lots", data={**form, "winners": "B list 2"}, follow_redirects=False)
    assert done.status_code == 303
    page = client.get("/staff/lots?lang=ru")
    assert page.text.count('class="tie"') == 2, "A's and C's ties still wait"
    assert '<td class="winners">B list 2</td>' in page.text and page.text.count("Открытый список") == 3
