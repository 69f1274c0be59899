"""A district commission certifies its district's result, and nobody else can; the territorial commission's
declaration of the mäslihat rests on those certifications.

The day and tree of test_commissions: `dec-1` and `dec-2` establish districts 1 and 2 of the city mäslihat,
`tec` declares it, `cec` declares the Mäjilis. The winners certified are compared with the offline count of
examples/almaty-2023 (`load_election` + `declare`: not the service's running tallies).
"""

from __future__ import annotations

import csv
import re
from typing import Any

from fastapi.testclient import TestClient

from saylau.io import load_election
from saylau.result import declare
from saylau.service import protocols
from saylau.service.permissions import Actor, Role
from saylau.store import Database
from tests.service.conftest import ALMATY
from tests.service.helpers import admin, user
from tests.service.test_commissions import _member, tree_client  # noqa: F401  (the fixture)
from tests.service.test_election_day import _enter_contest, _paper, day_folder  # noqa: F401  (the fixture)

CERTIFY_1 = "/api/districts/1/certify?contest=city"


def _winners(district: int) -> list[str]:
    """The district's winner in the offline count of the example folder."""
    outcome = next(d for d in declare(load_election(ALMATY)).composition.districts if d.number == district)
    return [c.name for c in outcome.winners] or ([outcome.winner.name] if outcome.winner else [])


def _code(answer: Any) -> tuple[int, str | None]:
    return answer.status_code, answer.json().get("code") if answer.status_code != 200 else None


def test_only_the_district_commission_certifies_its_district_and_the_city_waits_for_it(
    tree_client: tuple[TestClient, Database],  # noqa: F811
) -> None:
    client, database = tree_client
    people = {
        name: _member(client, name, role, commission)
        for name, role, commission in (
            ("co-1", "coordinator", "dec-1"),
            ("co-2", "coordinator", "dec-2"),
            ("op-1", "operator", "dec-1"),
            ("co-tec", "coordinator", "tec"),
            ("co-cec", "coordinator", "cec"),
        )
    }
    boss = admin(client)
    assert _code(client.post(CERTIFY_1, headers=people["co-1"])) == (409, "incomplete")
    _enter_contest(database, "city")

    # Role x action by commission: every one but dec-1's coordinator is refused district 1.
    refused = {
        "co-2": (403, "commission"),
        "co-tec": (403, "commission"),
        "co-cec": (403, "commission"),
        "op-1": (403, "role"),
    }
    for who, expected in refused.items():
        assert _code(client.post(CERTIFY_1, headers=people[who])) == expected, who
    assert _code(client.post(CERTIFY_1, headers=boss)) == (403, "role")
    top = user(client, "co-top", "coordinator")  # of no commission: the top of the tree
    assert _code(client.post(CERTIFY_1, headers=top)) == (403, "commission")
    assert _code(client.post("/api/districts/2/certify?contest=city", headers=people["co-1"])) == (403, "commission")
    assert _code(client.post("/api/districts/1/certify?contest=majilis", headers=people["co-1"])) == (
        404,
        "no-district-commission",
    )
    assert _code(client.post("/api/certify?contest=city", headers=people["co-tec"])) == (
        409,
        "districts-not-certified",
    )

    made = client.post(CERTIFY_1, headers=people["co-1"])
    assert made.status_code == 200, made.text
    assert made.json()["winners"] == _winners(1) and made.json()["commission"] == "dec-1"
    assert made.json()["by"] == "co-1" and made.json()["stations"] > 0
    assert _code(client.post(CERTIFY_1, headers=people["co-1"])) == (409, "certified")

    # District 1's district ballot is frozen; its list ballot is the city's and still takes corrections.
    reopen = "/api/protocols/101/{ballot}/reopen?contest=city"
    frozen = client.post(reopen.format(ballot="district"), json={"reason": "x"}, headers=people["co-1"])
    assert _code(frozen) == (409, "district-certified")
    typed = {(s, b): f for s, b, f in _paper()}
    with database.unit_of_work() as connection:
        refusal = protocols.enter_all(
            connection,
            [protocols.Typing(Actor("op9", Role.OPERATOR), 101, "district", typed[(101, "district")], "city")],
        )
    assert getattr(refusal[0], "code", None) == "district-certified"
    assert client.post(reopen.format(ballot="list"), json={"reason": "x"}, headers=people["co-1"]).status_code == 200
    for name in ("op-a", "op-b"):
        with database.unit_of_work() as connection:
            protocols.enter(connection, Actor(name, Role.OPERATOR), 101, "list", typed[(101, "list")], "city")

    # An administrator of the declaring commission withdraws a certification, with a reason; it is made again.
    assert client.post("/api/districts/2/certify?contest=city", headers=people["co-2"]).status_code == 200
    withdraw = "/api/districts/2/uncertify?contest=city"
    assert _code(client.post(withdraw, json={"reason": "x"}, headers=people["co-2"])) == (403, "role")
    assert _code(client.post(withdraw, json={"reason": " "}, headers=boss)) == (422, "invalid")
    assert client.post(withdraw, json={"reason": "a protocol to correct"}, headers=boss).status_code == 200
    listed = {d["district"]: d for d in client.get("/api/district-certifications?contest=city", headers=boss).json()}
    assert {d: (x["commission"], x["certified"]) for d, x in listed.items()} == {
        1: ("dec-1", True),
        2: ("dec-2", False),
    }
    assert client.post("/api/districts/2/certify?contest=city", headers=people["co-2"]).status_code == 200

    # The territorial commission declares the mäslihat on its districts' certifications, carried in the bundle.
    certified = client.post("/api/certify?contest=city", headers=people["co-tec"])
    assert certified.status_code == 200, certified.text
    bundle = client.get("/api/bundle?contest=city").json()
    assert [(d["district"], d["commission"], d["winners"]) for d in bundle["districts_certified"]] == [
        (1, "dec-1", _winners(1)),
        (2, "dec-2", _winners(2)),
    ]
    assert _code(client.post(withdraw, json={"reason": "late"}, headers=boss)) == (409, "certified")
    actions = [(r["action"], r["user"], r["subject"]) for r in _audit(client, boss)]
    assert ("certify-district", "co-1", "district 1 of city") in actions
    assert ("uncertify-district", "admin", "district 2 of city") in actions
    assert [a for a in actions if a[0] == "certify-district"][-1] == ("certify-district", "co-2", "district 2 of city")


def _audit(client: TestClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    after = 0
    while True:
        found = client.get(f"/api/audit?after={after}&limit=1000", headers=headers).json()
        if not found:
            return rows
        rows += found
        after = found[-1]["id"]


def test_the_district_commission_certifies_on_a_page_that_shows_what_it_certifies(
    tree_client: tuple[TestClient, Database],  # noqa: F811
) -> None:
    """Issue 22's page: dec-1's coordinator sees district 1's result (its winner from the offline count, every
    candidate's votes) in Russian and Kazakh, and certifies it only by confirming what was shown."""
    client, database = tree_client
    for name, commission in (("co-1", "dec-1"), ("co-2", "dec-2")):
        _member(client, name, "coordinator", commission)
    client.headers.clear()
    client.cookies.clear()
    csrf = client.post("/api/login", json={"name": "co-1", "password": "pw-co-1-123"}).json()["csrf"]
    home = client.get("/staff?lang=kk").text
    assert 'href="/staff/districts"' in home and "Округтің қорытындысын бекіту" in home
    listed = client.get("/staff/districts?lang=kk")
    assert listed.status_code == 200 and re.findall(r'<tr data-district="(\d+)"', listed.text) == ["1"]
    early = client.get("/staff/districts/1?contest=city&lang=kk")
    assert early.status_code == 409 and "әлі қабылданған жоқ" in early.text and 'name="seen"' not in early.text
    _enter_contest(database, "city")
    page = client.get("/staff/districts/1?contest=city&lang=ru")
    assert page.status_code == 200 and "Утверждение итогов по округу" in page.text
    elected = re.findall(r'<tr data-candidate="([^"]+)" class="elected">', page.text)
    assert elected == _winners(1)
    shown = re.findall(
        r'<tr data-candidate="[^"]+"[^>]*><th scope="row">[^<]+</th><td>[^<]*</td><td class="n">([\d\xa0]+)', page.text
    )
    votes = [int(v.replace("\xa0", "")) for v in shown]
    assert len(votes) >= 2 and votes == sorted(votes, reverse=True)
    # Figures grouped as the public pages group them in Russian and Kazakh: 12 345, a no-break space between.
    assert shown == [f"{v:,}".replace(",", "\xa0") for v in votes] and max(votes) >= 1000
    with (ALMATY / "stations.csv").open(encoding="utf-8") as handle:
        registered = sum(int(r["registered"]) for r in csv.DictReader(handle) if r["district"] == "1")
    assert f'<td class="n">{registered:,}</td>'.replace(",", "\xa0") in page.text
    seen = re.search(r'name="seen" value="([0-9a-f]{64})"', page.text)
    assert seen is not None
    form = "/staff/districts/1?contest=city&lang=ru"
    unconfirmed = client.post(form, data={"csrf": csrf, "seen": seen[1]})
    assert unconfirmed.status_code == 422 and "подтвердите" in unconfirmed.text
    stale = client.post(form, data={"csrf": csrf, "seen": "0" * 64, "confirm": "yes"})
    assert stale.status_code == 409 and "изменились" in stale.text
    assert not client.get("/api/district-certifications?contest=city").json()[0]["certified"]
    done = client.post(form, data={"csrf": csrf, "seen": seen[1], "confirm": "yes"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].startswith("/staff/districts?contest=city&done=")
    (first, _) = client.get("/api/district-certifications?contest=city").json()
    assert (first["district"], first["certified"], first["by"], first["result"]["winners"]) == (
        1,
        True,
        "co-1",
        _winners(1),
    )
    again = client.get("/staff/districts/1?contest=city&lang=kk").text
    assert "co-1" in again and "бекітті" in again and 'name="confirm"' not in again
    client.cookies.clear()
    csrf = client.post("/api/login", json={"name": "co-2", "password": "pw-co-2-123"}).json()["csrf"]
    other = client.post(
        "/staff/districts/2?contest=city&lang=ru", data={"csrf": csrf, "seen": "1" * 64, "confirm": "yes"}
    )
    assert other.status_code == 409 and "изменились" in other.text, "dec-2's own district: the figures shown count"
    refused = client.get("/staff/districts/1?contest=city&lang=ru")
    assert "co-1" in refused.text and 'name="confirm"' not in refused.text
