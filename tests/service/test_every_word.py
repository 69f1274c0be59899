"""Every word the service says on a Kazakh or Russian page, and in every API refusal, is Kazakh or Russian.

The test walks every staff page (as an administrator, a coordinator, an operator and an observer, with
protocols in every state) and provokes the API's refusals (4xx) one by one, with `?lang=kk` and `?lang=ru`.
It fails on any Latin word that is not a name of the election (parties, candidates, users: read from the
folder, not from the code under test), a check code (P001, W004) or one of the few words in `ALLOWED`.
"""

from __future__ import annotations

import contextlib
import csv
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from saylau.composition.lots import Misfit, Refusal, Tie
from saylau.domain import TieTier
from saylau.io.decisions import misfit_message
from saylau.web import Settings, create_app, prepare
from saylau.web.bounds import say
from tests.service.conftest import ADMIN_PASSWORD, ALMATY
from tests.service.helpers import STATION_101_LIST, login, user, with_votes
from tests.service.test_up_the_tree import _paper_summary, territorial, tree_day

ALLOWED = frozenset({"saylau", "SHA", "JSON", "CSV", "PDF", "ID", "kk", "ru", "en", "YYYY", "MM", "DD", "HH", "No"})
"""Latin words a Kazakh or Russian page may show besides names and codes: the product, formats, the language
switch, a date's pattern. ("No" heads the list position column of the registration page: a name of the
column in the folder's lists.csv; to be replaced by "№" when the registration page is next touched.)"""
CODE = re.compile(r"^[A-Z]{1,2}\d{3}$")
"""A check's code (P001, W004): the same in every language, as on the paper's instructions."""
LATIN = re.compile(r"[A-Za-z][A-Za-z0-9'’-]*[A-Za-z0-9]|[A-Za-z]")
LITERAL = re.compile(r"«(?:saylau [a-z -]+|[A-Za-z0-9_.-]+)»|'[A-Za-z0-9_.-]+'|\b[a-z0-9_-]+\.(?:csv|toml|json)\b")
"""What a reader types or reads as it stands: a quoted value of a field ('list', «f»), a quoted command
(«saylau vacancy») or a folder's file name."""
USERS = ("admin", "op1", "op2", "chief", "obs", "nobody")


def _names() -> frozenset[str]:
    """Every word of every name in the Almaty folder: parties, list and district candidates, users."""
    found: set[str] = set(USERS)
    for file, columns in (
        ("parties.csv", ("short_name", "full_name", "name_kk", "name_ru", "full_name_kk", "full_name_ru")),
        ("lists.csv", ("party", "candidate")),
        ("candidates.csv", ("party", "candidate")),
    ):
        with (ALMATY / file).open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                for column in columns:
                    found.update(LATIN.findall(row.get(column) or ""))
    return frozenset(found)


NAMES = _names()


class _Text(HTMLParser):
    """What a reader sees of a page: its text, its buttons' values, placeholders, titles and labels."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        shown = dict(attrs)
        for key in ("placeholder", "title", "aria-label", "alt"):
            if shown.get(key):
                self.parts.append(str(shown[key]))
        if tag == "input" and shown.get("type") in ("submit", "button") and shown.get("value"):
            self.parts.append(str(shown["value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def english(text: str) -> list[str]:
    """The Latin words of `text` that are neither names, codes nor `ALLOWED`."""
    found = LATIN.findall(LITERAL.sub(" ", text))
    return [w for w in found if w not in NAMES and w not in ALLOWED and not CODE.match(w)]


def page_words(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return english(" ".join(parser.parts))


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Any]:
    """The service over the Almaty example on SQLite (the words do not depend on the database)."""
    settings = Settings(folder=ALMATY, data=tmp_path / "data", admin_password=ADMIN_PASSWORD, secure_cookies=False)
    database, _ = prepare(settings)
    with contextlib.closing(database):
        yield create_app(settings, database)


def _browser(app: Any, name: str, password: str) -> TestClient:
    """A client carrying `name`'s session cookie, as a browser would after logging in."""
    client = TestClient(app)
    assert client.post("/api/login", json={"name": name, "password": password}).status_code == 200
    return client


def _day(app: Any) -> dict[str, Any]:
    """Users of every role, and protocols in every state (accepted, different, entered once, with warnings)."""
    with TestClient(app) as api:
        op1 = user(api, "op1", "operator")
        op2 = user(api, "op2", "operator")
        chief = user(api, "chief", "coordinator")
        user(api, "obs", "observer")
        enter = "/api/protocols/{}/list/entries"
        assert api.post(enter.format(101), json=STATION_101_LIST, headers=op1).status_code == 200
        swapped = with_votes(STATION_101_LIST, QHP=74, Respublica=84)
        assert api.post(enter.format(101), json=swapped, headers=op2).json()["state"] == "different"
        reserve = {**STATION_101_LIST, "received": 2476, "cancelled": 1817}  # W004: one ballot over the reserve
        assert api.post(enter.format(103), json=reserve, headers=op1).json()["state"] == "first-entry"
        return {"op1": op1, "op2": op2, "chief": chief, "admin": login(api, "admin", ADMIN_PASSWORD)}


PAGES = {
    "admin": ["/staff", "/admin/users", "/admin/registration", "/staff/lots", "/staff/import", "/audit"],
    "chief": [
        "/staff",
        "/staff?state=different",
        "/protocols/101/list",
        "/protocols/103/list",
        "/staff/lots",
        "/staff/import",
        "/certify",
        "/staff/districts",
        "/staff/districts/1",
        "/audit",
        "/audit?station=101&action=enter",
        "/audit?since=2000-01-01T00:00&page=2",
        "/audit?station=x",
        "/no-such-page",
    ],
    "op1": ["/staff", "/staff/station/101", "/staff/station/102", "/enter/102/list", "/enter/101/district"],
    "obs": ["/staff", "/protocols/101/list", "/staff/observer", "/audit"],
}
REFUSED = {
    "chief": [
        ("/certify", {}),
        ("/certify", {"confirm": "yes", "seen": "0" * 64}),
        ("/protocols/101/list/reopen", {"reason": ""}),
        ("/protocols/101/list/discard-both", {"reason": "x"}),
        ("/protocols/101/list/nowhere", {}),
        ("/audit", {}),
    ],
    "admin": [("/admin/users", {"name": "x", "password": "x", "role": "operator"}), ("/admin/users/admin/disable", {})],
    "op1": [("/enter/102/list", {"registered": "1 2 3"}), ("/certify", {})],
}
"""Forms each role sends that the service refuses: the page that says so is in the page's language too."""


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_page_speaks_the_language(app: Any, lang: str) -> None:
    _day(app)
    said: dict[str, list[str]] = {}
    with TestClient(app) as anonymous:
        for path in ("/login", "/staff"):
            response = anonymous.get(f"{path}?lang={lang}")
            said[f"anonymous {path}"] = page_words(response.text)
        token = re.search(r'name="csrf" value="([^"]+)"', anonymous.get(f"/login?lang={lang}").text)
        assert token is not None
        failed = anonymous.post(f"/login?lang={lang}", data={"name": "op1", "password": "wrong", "csrf": token[1]})
        assert failed.status_code == 401
        said["login failed"] = page_words(failed.text)
    for name, paths in PAGES.items():
        with _browser(app, name, ADMIN_PASSWORD if name == "admin" else f"pw-{name}-123") as browser:
            for path in paths:
                joiner = "&" if "?" in path else "?"
                response = browser.get(f"{path}{joiner}lang={lang}")
                assert response.status_code < 500, (path, response.text)
                said[f"{name} {path}"] = page_words(response.text)
            csrf = re.search(r'name="csrf" value="([^"]+)"', browser.get("/staff").text)
            assert csrf is not None
            for path, form in REFUSED.get(name, []):
                response = browser.post(f"{path}?lang={lang}", data={**form, "csrf": csrf[1]})
                assert 400 <= response.status_code < 500, (path, response.status_code)
                said[f"{name} POST {path}"] = page_words(response.text)
    english_words = {where: found for where, found in said.items() if found}
    assert not english_words, english_words


def _refusals(app: Any, lang: str) -> Iterator[tuple[str, Any]]:
    """Every kind of API refusal, each as (what was asked, the response)."""
    headers = _day(app)
    q = f"?lang={lang}"
    with TestClient(app) as api:
        op1, chief, admin = headers["op1"], headers["chief"], headers["admin"]
        yield "login failed", api.post(f"/api/login{q}", json={"name": "op1", "password": "wrong-one"})
        yield "unauthenticated", api.get(f"/api/protocols{q}")
        yield "expired token", api.get(f"/api/protocols{q}", headers={"Authorization": "Bearer nope"})
        yield "role", api.post(f"/api/certify{q}", headers=op1)
        yield "not found", api.get(f"/api/protocols/99999/list{q}", headers=chief)
        yield "no such ballot", api.get(f"/api/protocols/101/neither/form{q}", headers=op1)
        yield "validation", api.post(f"/api/protocols/102/list/entries{q}", json={"registered": "x"}, headers=op1)
        blocking = with_votes(STATION_101_LIST, Amanat=1)
        yield "blocking", api.post(f"/api/protocols/102/list/entries{q}", json=blocking, headers=op1)
        yield "transition", api.post(f"/api/protocols/101/list/reopen{q}", json={"reason": "x"}, headers=chief)
        yield "incomplete", api.post(f"/api/certify{q}", headers=chief)
        yield "reason", api.post(f"/api/uncertify{q}", json={"reason": " "}, headers=admin)
        yield (
            "weak password",
            api.post(f"/api/users{q}", json={"name": "x1", "password": "x1", "role": "operator"}, headers=admin),
        )
        yield (
            "exists",
            api.post(
                f"/api/users{q}",
                json={"name": "op1", "password": "pw-long-enough-9", "role": "operator"},
                headers=admin,
            ),
        )
        yield (
            "no district",
            api.post(
                f"/api/users{q}",
                json={"name": "x2", "password": "pw-long-enough-9", "role": "operator", "districts": [99]},
                headers=admin,
            ),
        )
        yield "disable yourself", api.post(f"/api/users/admin/disable{q}", headers=admin)
        yield "no user", api.post(f"/api/users/nobody/disable{q}", headers=admin)
        yield "no path", api.get(f"/api/nothing-here{q}")
        yield "method", api.delete(f"/api/certify{q}", headers=chief)
        yield "no party", api.post(f"/api/lists/Ешкім/withdraw{q}", json={"date": "2023-03-01"}, headers=admin)
        yield (
            "not registered",
            api.post(f"/api/lists/Amanat/candidates/Ешкім/withdraw{q}", json={"date": "2023-03-01"}, headers=admin),
        )
        yield (
            "registration closed",
            api.post(f"/api/districts/1/candidates{q}", json={"candidate": "Жаңа Үміткер"}, headers=admin),
        )
        yield (
            "no tie",
            api.post(
                f"/api/decisions{q}",
                json={"tier": "nowhere", "tied": ["a", "b"], "seats": 1, "winners": ["a"]},
                headers=chief,
            ),
        )
        yield (
            "a drawing that fits no tie",
            api.post(
                f"/api/decisions{q}",
                json={"tier": "district", "district": 1, "tied": TIED_1, "seats": 1, "winners": TIED_1[:1]},
                headers=chief,
            ),
        )
        yield "bundle not certified", api.get(f"/api/bundle{q}")
        yield "no district commission", api.post(f"/api/districts/1/certify{q}", headers=chief)
        yield "district not certified", api.post(f"/api/districts/1/uncertify{q}", json={"reason": "x"}, headers=admin)
    with _browser(app, "chief", "pw-chief-123") as browser:
        yield "csrf", browser.post(f"/api/certify{q}")


TIED_1 = ["Аким Турсунов", "District 1 candidate B"]
"""Two candidates of district 1 (examples/almaty-2023/candidates.csv), whose votes are not tied."""


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_api_refusal_speaks_the_language(app: Any, lang: str) -> None:
    said: dict[str, Any] = {}
    for asked, response in _refusals(app, lang):
        assert 400 <= response.status_code < 500, (asked, response.status_code, response.text)
        body = response.json()
        messages = [body["message"]] + [e["message"] for e in body.get("errors", [])]
        found = [w for m in messages for w in english(m)]
        if found:
            said[asked] = (found, body["message"])
    assert not said, said


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_misfit_drawing_says_the_tie_there_in_the_language(lang: str) -> None:
    """A recorded drawing that names other candidates than the tie there: the reason and the tie, both said."""
    tie = Tie(TieTier.DISTRICT, ("Аким Турсунов", "District 1 candidate C"), 1, (1200, 1200), district=1)
    said = say(misfit_message(Refusal(0, Misfit.OTHER_TIE, "tied", tie)), lang)
    assert english(said) == [] and "Аким Турсунов (1\xa0200)" in said and "1" in said  # grouped as kk, ru write it
    listed = Tie(TieTier.LIST, ("Amanat", "Respublica"), 2, (900, 900), constituency="Алматы")
    said = say(misfit_message(Refusal(0, Misfit.SEATS, "seats", listed)), lang)
    assert english(said) == [] and "Алматы" in said
    assert {"kk": "2 орын", "ru": "2 места"}[lang] in said


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_summary_protocol_refused_in_its_state_speaks_the_language(lang: str, tmp_path: Path) -> None:
    """A paper summary protocol imported from a district commission waits for its typed entry: a coordinator's
    keep-first is refused by the state machine, on the API and on the page, in the page's language."""
    day = tree_day(tmp_path / "tree")
    with territorial(day, tmp_path) as (client, made):
        assert client.post("/api/import", json=made, headers=user(client, "chief", "coordinator")).status_code == 201
        chief = login(client, "chief", "pw-chief-123")
        summary = "/summaries/dec-a/city/list/0"
        refused = client.post(f"/api{summary}/resolve?lang={lang}", json={"action": "keep-first"}, headers=chief)
        assert (refused.status_code, refused.json()["code"]) == (409, "transition-refused")
        assert english(refused.json()["message"]) == [], refused.json()["message"]
        client.headers.clear()
        csrf = client.post("/api/login", json={"name": "chief", "password": "pw-chief-123"}).json()["csrf"]
        page = client.post(f"/staff{summary}/resolve?lang={lang}", data={"action": "keep-first", "csrf": csrf})
        commissions = set(LATIN.findall((day / "commissions.csv").read_text(encoding="utf-8")))  # names, ids
        found = [w for w in page_words(page.text) if w not in commissions]
        assert page.status_code == 409 and found == [], found


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_paper_summary_names_the_parties_and_groups_the_figures_in_the_language(lang: str, tmp_path: Path) -> None:
    """The operator's paper summary form labels each party by its name in the page's language (parties.csv
    `name_kk`, `name_ru`), as the entry form does, not by its Latin short name; the coordinator's side by side
    groups the figures as the public pages do (151 531, a no-break space between the groups)."""
    with (ALMATY / "parties.csv").open(encoding="utf-8") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda r: int(r["registration_order"]))
    day = tree_day(tmp_path / "tree")
    with territorial(day, tmp_path) as (client, made):
        assert client.post("/api/import", json=made, headers=user(client, "chief", "coordinator")).status_code == 201
        user(client, "typist", "operator")
        client.headers.clear()
        page = client.get(f"/staff/summaries/dec-a/city/list/0?lang={lang}")
        assert page.status_code == 200
        labels = re.findall(r'<label for="v-\d+">([^<]+)</label>', page.text)
        assert labels == [r[f"name_{lang}"] for r in rows]
        assert not {"Auyl", "QHP", "Baytaq", "Aq Jol"} & set(labels)  # the short names, Latin
        typed = _paper_summary("dec-a", "list", 0)
        typed = {**typed, "found": typed["found"] + 1}  # a typing slip: the coordinator sees both side by side
        typist = login(client, "typist", "pw-typist-123")
        entered = client.post("/api/summaries/dec-a/city/list/0/entries", json=typed, headers=typist)
        assert entered.json() == {"state": "different"}
        client.headers.clear()
        login(client, "chief", "pw-chief-123")
        client.headers.clear()
        both = client.get(f"/staff/summaries/dec-a/city/list/0?lang={lang}").text
        found = typed["found"]
        assert found >= 1000
        grouped = [f"{n:,}".replace(",", "\xa0") for n in (found - 1, found, typed["registered"])]
        assert f'<td class="n">{grouped[0]}</td><td class="n">{grouped[1]}</td>' in both
        assert f'<td class="n">{grouped[2]}</td><td class="n">{grouped[2]}</td>' in both
        shown = re.findall(r'<tr class="[^"]*" data-line="vote:[^"]+"><td>([^<]+)</td>', both)
        assert sorted(shown) == sorted(r[f"name_{lang}"] for r in rows)  # in the order the bundle lists them


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_api_names_a_protocols_warnings_in_words(app: Any, lang: str) -> None:
    """W004 in the API's `warnings` list: a short title in the caller's language, not a formula."""
    headers = _day(app)
    reserve = {**STATION_101_LIST, "received": 2476, "cancelled": 1817}
    with TestClient(app) as api:
        assert api.post("/api/protocols/103/list/entries", json=reserve, headers=headers["op2"]).status_code == 200
        (found,) = api.get(f"/api/protocols?state=warnings&lang={lang}", headers=headers["chief"]).json()
        one = api.get(f"/api/protocols/103/list?lang={lang}", headers=headers["chief"]).json()
    assert [w["code"] for w in found["warnings"]] == ["W004"] and one["warnings"] == found["warnings"]
    said = found["warnings"][0]["message"]
    assert "floor" not in said and "!=" not in said, said
    expected = {"en": "ballots received", "kk": "алынған бюллетеньдер", "ru": "полученных бюллетеней"}[lang]
    assert expected in said and (lang == "en" or english(said) == []), said
