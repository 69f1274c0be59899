"""The entry fast path (`saylau.web.entry_path`) answers exactly as FastAPI's route, on SQLite and PostgreSQL.

Two services over two fresh databases of the same example, the same users made in the same order: one as
`create_app` makes it, one without the fast path (every entry through FastAPI's router). The same requests
go to both in the same order, every outcome an entry can have (stored, repeated, different, refused by the
checks, by the role, by the commission, by the state machine, unknown token, unknown contest, a body or a
query the route's types refuse, too large, too deep, text no database stores, a cookie with and without its
CSRF token); each pair of answers must have the same status, the same body and the same headers, and the
fast path must have taken exactly the requests it is meant to take (bearer token, JSON, valid).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from saylau.store.temporary import create_database
from saylau.web import Settings, create_app, entry_path, prepare
from saylau.web.entry_path import EntryFastPath
from saylau.web.limits import MAX_BODY
from tests.service.conftest import ADMIN_PASSWORD, ALMATY
from tests.service.helpers import STATION_101_DISTRICT, STATION_101_LIST, with_votes

USERS = [
    ("op1", "operator", [1]),
    ("op2", "operator", [1]),
    ("op3", "operator", [1]),
    ("op9", "operator", [2]),  # another district commission's operator
    ("coord", "coordinator", [1]),
]


@dataclass
class Service:
    """One service driven in-process, with its users' bearer tokens and CSRF tokens by name."""

    client: TestClient
    tokens: dict[str, str]
    csrf: dict[str, str]


@contextlib.contextmanager
def service(url: str, *, fast: bool) -> Iterator[Service]:
    """The app over a fresh database at `url`, with or without the entry fast path, and its users logged in."""
    settings = Settings(folder=ALMATY, database=url, admin_password=ADMIN_PASSWORD, secure_cookies=False)
    database, _ = prepare(settings)
    app = create_app(settings, database)
    if not fast:
        app.user_middleware = [m for m in app.user_middleware if m.cls is not EntryFastPath]
    assert any(m.cls is EntryFastPath for m in app.user_middleware) is fast
    with contextlib.closing(database), TestClient(app) as client:
        tokens, csrf = {}, {}
        admin = client.post("/api/login", json={"name": "admin", "password": ADMIN_PASSWORD}).json()["token"]
        for name, role, districts in USERS:
            body = {"name": name, "password": f"pw-{name}-123", "role": role, "districts": districts}
            made = client.post("/api/users", json=body, headers={"Authorization": f"Bearer {admin}"})
            assert made.status_code == 201, made.text
            session = client.post("/api/login", json={"name": name, "password": f"pw-{name}-123"}).json()
            tokens[name], csrf[name] = session["token"], session["csrf"]
        client.cookies.clear()  # each request below says who it is
        yield Service(client, tokens, csrf)


@pytest.fixture
def services(database_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[Service, Service]]:
    """(with the fast path, without it), each over its own fresh database of the same backend."""
    if database_url.startswith("sqlite"):
        second = f"sqlite:///{tmp_path / 'route.sqlite'}"
    else:
        second = create_database(request.getfixturevalue("postgres_server"), f"route{os.getpid()}_{tmp_path.name}")
    with service(database_url, fast=True) as fast, service(second, fast=False) as route:
        yield fast, route


def at(station: int | str, ballot: str = "list") -> str:
    return f"/api/protocols/{station}/{ballot}/entries"


Headers = Callable[[Service], dict[str, str]]


def bearer(name: str, **more: str) -> Headers:
    return lambda s: {"Authorization": f"Bearer {s.tokens[name]}", **more}


def fixed(headers: dict[str, str]) -> Headers:
    return lambda _s: headers


def cookie(name: str, with_csrf: bool) -> Headers:
    def headers(s: Service) -> dict[str, str]:
        found = {"Cookie": f"saylau_session={s.tokens[name]}"}
        return {**found, "X-CSRF-Token": s.csrf[name]} if with_csrf else found

    return headers


def raw(value: Any) -> bytes:
    return value if isinstance(value, bytes) else json.dumps(value).encode()


JSON = {"Content-Type": "application/json"}
CHARSET = "application/json; charset=utf-8"
RU = {"Accept-Language": "ru"}
KEY = {"Idempotency-Key": "k-1"}
NOBODY, EMPTY, NONE = fixed({"Authorization": "Bearer nobody"}), fixed({"Authorization": "Bearer "}), fixed({})
MISSING = {k: v for k, v in STATION_101_LIST.items() if k != "found"}
DIFFERENT = with_votes(STATION_101_LIST, QHP=74, Respublica=84)
BLOCKED = with_votes(STATION_101_LIST, Amanat=344)  # P001
DEEP: Any = 1
for _ in range(40):
    DEEP = [DEEP]

CASES: list[tuple[str, int, bool, str, Headers, Any]] = [
    # (what, status, taken by the fast path, path, headers, body)
    ("first entry", 200, True, at(101), bearer("op1"), STATION_101_LIST),
    ("the same entry again", 200, True, at(101), bearer("op1"), STATION_101_LIST),
    ("other figures, same operator", 409, True, at(101), bearer("op1"), DIFFERENT),
    ("second entry, equal: accepted", 200, True, at(101), bearer("op2"), STATION_101_LIST),
    ("a third entry", 409, True, at(101), bearer("op3"), STATION_101_LIST),
    ("first of a pair that differs", 200, True, at(102), bearer("op1"), STATION_101_LIST),
    ("second, different", 200, True, at(102), bearer("op2"), DIFFERENT),
    ("the contest named", 200, True, at(101, "district") + "?contest=election", bearer("op1"), STATION_101_DISTRICT),
    ("an unknown contest", 404, True, at(103) + "?contest=senate", bearer("op1"), STATION_101_LIST),
    ("a blocking error", 422, True, at(103), bearer("op1"), BLOCKED),
    ("a blocking error in Russian", 422, True, at(103), bearer("op1", **RU), BLOCKED),
    ("wrong role", 403, True, at(104), bearer("coord"), STATION_101_LIST),
    ("wrong commission", 403, True, at(104), bearer("op9"), STATION_101_LIST),
    ("no such station", 404, True, at(99999), bearer("op1"), STATION_101_LIST),
    ("unknown token", 401, True, at(104), NOBODY, STATION_101_LIST),
    ("empty token", 401, True, at(104), EMPTY, STATION_101_LIST),
    ("an idempotency key", 200, True, at(105), bearer("op1", **KEY), STATION_101_LIST),
    ("the key again, other figures", 200, True, at(105), bearer("op1", **KEY), DIFFERENT),
    ("a key too long", 422, False, at(106), bearer("op1", **{"Idempotency-Key": "k" * 65}), STATION_101_LIST),
    ("not JSON", 422, False, at(106), bearer("op1"), b'{"registered": 1'),
    ("a field too many", 422, False, at(106), bearer("op1"), {**STATION_101_LIST, "x": 1}),
    ("a figure as text", 422, False, at(106), bearer("op1"), {**STATION_101_LIST, "found": "659"}),
    ("a figure missing", 422, False, at(106), bearer("op1"), MISSING),
    ("not an object", 422, False, at(106), bearer("op1"), [1, 2]),
    ("text no database stores", 422, False, at(106), bearer("op1"), with_votes(STATION_101_LIST, **{"Amanat\x00": 1})),
    ("too large", 413, False, at(106), bearer("op1"), b" " * (MAX_BODY + 1)),
    ("too deep", 422, False, at(106), bearer("op1"), DEEP),
    ("a station past the bound", 422, False, at(2**31), bearer("op1"), STATION_101_LIST),
    ("a station with a leading zero", 200, False, at("0106"), bearer("op1"), STATION_101_LIST),
    ("no such ballot", 422, False, at(106, "senate"), bearer("op1"), STATION_101_LIST),
    ("a contest id the route refuses", 422, False, at(106) + "?contest=Senate", bearer("op1"), STATION_101_LIST),
    ("another query", 422, False, at(106) + "?lang=kk", bearer("op1"), BLOCKED),
    ("a cookie without CSRF", 403, False, at(106), cookie("op1", with_csrf=False), STATION_101_LIST),
    ("a cookie with CSRF", 200, False, at(106), cookie("op1", with_csrf=True), STATION_101_LIST),
    ("no credentials", 401, False, at(107), NONE, STATION_101_LIST),
    ("JSON with a charset", 200, False, at(107), bearer("op1", **{"Content-Type": CHARSET}), STATION_101_LIST),
]


def test_every_kind_of_entry_request_gets_the_routes_answer(
    services: tuple[Service, Service], monkeypatch: pytest.MonkeyPatch
) -> None:
    taken: list[str] = []
    read = entry_path._entry

    def counted(scope: Any) -> Any:
        found = read(scope)
        if found is not None:
            taken.append(scope["path"])
        return found

    monkeypatch.setattr(entry_path, "_entry", counted)
    fast, route = services
    for what, status, expected, path, headers, body in CASES:
        before = len(taken)
        one, two = (s.client.post(path, content=raw(body), headers={**JSON, **headers(s)}) for s in (fast, route))
        assert len(taken) - before == int(expected), what
        assert (one.status_code, one.text) == (two.status_code, two.text), what
        assert one.status_code == status, (what, one.text)
        assert one.headers.multi_items() == two.headers.multi_items(), what
    stored = _states(fast)
    assert stored == _states(route)
    assert stored == {
        "101 list": "accepted",
        "101 district": "first-entry",
        "102 list": "different",
        "105 list": "first-entry",
        "106 list": "first-entry",  # "0106" and the cookie with its CSRF token: the same operator's same entry
        "107 list": "first-entry",
    }


def _states(s: Service) -> dict[str, str]:
    """The protocols' states afterwards (both databases hold the same entries), those entered only."""
    coordinator = {"Authorization": f"Bearer {s.tokens['coord']}"}
    found = s.client.get("/api/protocols", headers=coordinator).json()
    return {f"{p['station']} {p['ballot']}": p["state"] for p in found if p["state"] != "empty"}
