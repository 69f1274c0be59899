"""Role x action: every API route, asked by every role, for its own commission and another one.

`OK` means the service let the role act (its answer may still be 404 or 409 for the protocol's state, but
never 401 or 403); 401 and 403 mean it refused who was asking. The table must name every route of the API.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.service.helpers import STATION_101_LIST, admin, user

OK, NO, ANON = "ok", 403, 401
ROLES = ("public", "administrator", "operator", "coordinator", "coordinator-city", "observer")
"""operator and coordinator work for district 1 only; coordinator-city for the whole city."""

Call = tuple[str, str, dict[str, Any] | None]


def _own_other(path: str) -> Callable[[int], Call]:
    return lambda station: ("GET", path.format(station=station), None)


TABLE: list[tuple[str, str, Callable[[int], Call], dict[str, tuple[Any, Any]]]] = []
"""(method, route, request for a station, role -> (own commission, other commission))."""


def row(method: str, route: str, body: dict[str, Any] | None, **cells: Any) -> None:
    """One route; a cell is one answer for both commissions, or a pair (own, other)."""

    def request(station: int) -> Call:
        names = {
            "name": "nobody",
            "party": "Baytaq",
            "district": 1,
            "decision_id": 1,
            "commission": "x",
            "contest": "election",
            "upload": 1,
            "scan_id": 1,
        }
        return method, route.format(station=station, ballot="list", **names), body

    TABLE.append((method, route, request, {r: c if isinstance(c, tuple) else (c, c) for r, c in cells.items()}))


def everyone(value: Any) -> dict[str, Any]:
    return dict.fromkeys(ROLES, value)


staff = {**everyone(OK), "public": ANON}
row("POST", "/api/login", {"name": "watcher", "password": "pw-watcher-123"}, **everyone(OK))
row("GET", "/api/me", None, **staff)
row("GET", "/api/day", None, **everyone(OK))
row("GET", "/api/stations/{station}", None, **{**staff, "operator": (OK, NO), "coordinator": (OK, NO)})
row("GET", "/api/election", None, **everyone(OK))
row("GET", "/api/status", None, **everyone(OK))
row("GET", "/api/public/results.json", None, **everyone(OK))
row("GET", "/api/public/results.csv", None, **everyone(OK))
row("GET", "/api/public/results.nist.json", None, **everyone(OK))
row("GET", "/api/protocols", None, **staff)
row(
    "GET",
    "/api/protocols/{station}/{ballot}",
    None,
    **{**staff, "operator": (OK, NO), "coordinator": (OK, NO)},
)
row(
    "GET",
    "/api/protocols/{station}/{ballot}/form",
    None,
    **{**staff, "operator": (OK, NO), "coordinator": (OK, NO)},
)
writes = {**everyone(NO), "public": ANON}
row("POST", "/api/protocols/{station}/{ballot}/entries", STATION_101_LIST, **{**writes, "operator": (OK, NO)})
# Drafts (issue 23): an operator's own entry in progress; no other role reads or writes one, nor another commission.
typing = {**writes, "operator": (OK, NO)}
row("GET", "/api/protocols/{station}/{ballot}/draft", None, **typing)
row("PUT", "/api/protocols/{station}/{ballot}/draft", {"typed": {"registered": "2 451"}}, **typing)
row("DELETE", "/api/protocols/{station}/{ballot}/draft", None, **typing)
coordinating = {**writes, "coordinator": (OK, NO), "coordinator-city": OK}
row("POST", "/api/protocols/{station}/{ballot}/resolve", {"action": "keep-first"}, **coordinating)
row("POST", "/api/protocols/{station}/{ballot}/accept-warnings", {"reason": "seen"}, **coordinating)
row("POST", "/api/protocols/{station}/{ballot}/reopen", {"reason": "seen"}, **coordinating)
row("POST", "/api/certify", None, **{**writes, "coordinator-city": OK})
row("POST", "/api/uncertify", {"reason": "seen"}, **{**writes, "administrator": OK})
row("POST", "/api/districts/{district}/certify", None, **{**writes, "coordinator-city": OK})  # 404: no tree
row("POST", "/api/districts/{district}/uncertify", {"reason": "seen"}, **{**writes, "administrator": OK})
row("GET", "/api/district-certifications", None, **staff)
row("POST", "/api/publication/release", None, **{**writes, "coordinator-city": OK})
row("GET", "/api/bundle", None, **everyone(OK))
admin_only = {**writes, "administrator": OK}
row("GET", "/api/users", None, **admin_only)
row("POST", "/api/users", {"name": "x", "password": "short", "role": "observer"}, **admin_only)
row("POST", "/api/users/{name}/disable", None, **admin_only)
auditors = {**writes, "administrator": OK, "coordinator": OK, "coordinator-city": OK, "observer": OK}
row("GET", "/api/audit", None, **auditors)
row("GET", "/api/audit/verify", None, **auditors)
row("GET", "/api/audit/logins", None, **admin_only)  # issue 21: wrong passwords, kept apart from the chain
row("GET", "/api/registration", None, **everyone(OK))
day = {"date": "2023-03-01"}
row("PUT", "/api/lists/{party}", {"candidates": []}, **admin_only)
row("PATCH", "/api/lists/{party}/candidates/{name}", {}, **admin_only)
row("POST", "/api/lists/{party}/candidates/{name}/withdraw", day, **admin_only)
row("POST", "/api/lists/{party}/withdraw", day, **admin_only)
row("POST", "/api/districts/{district}/candidates", {"candidate": "X", "party": ""}, **admin_only)
row("PATCH", "/api/districts/{district}/candidates/{name}", {}, **admin_only)
row("POST", "/api/districts/{district}/candidates/{name}/withdraw", day, **admin_only)
row("PUT", "/api/designations/{party}", {"candidates": []}, **{**writes, "coordinator-city": OK})
readers = {**writes, "administrator": OK, "coordinator": OK, "coordinator-city": OK, "observer": OK}
row("GET", "/api/decisions", None, **readers)
drawing = {"tier": "district", "district": 1, "tied": ["X", "Y"], "seats": 1, "winners": ["X"]}
deciders = {**writes, "administrator": OK, "coordinator-city": OK}
row("POST", "/api/decisions", drawing, **deciders)
open_list_drawing = {"tier": "candidate", "tied": ["X", "Y"], "seats": 1, "winners": ["X"]}  # an open list's tie
row("POST", "/api/decisions", open_list_drawing, **deciders)
row("POST", "/api/decisions/{decision_id}/withdraw", {"reason": "seen"}, **deciders)
row("POST", "/api/import", {"format": "x"}, **{**writes, "coordinator": OK, "coordinator-city": OK})
row("GET", "/api/summaries", None, **staff)
summary = "/api/summaries/{commission}/{contest}/{ballot}/{district}"
row("POST", summary + "/entries", STATION_101_LIST, **{**writes, "operator": OK})
row("POST", summary + "/resolve", {"action": "keep-first"}, **{**writes, "coordinator": OK, "coordinator-city": OK})
row("GET", "/api/observer/official", None, **readers)
row("POST", "/api/observer/compare", None, **readers)  # an empty upload: 422 for those who may compare
# issue 23: the protocol PDF as it stands (those who read the count), and an administrator's new password
row("GET", "/api/protocol.pdf", None, **{**staff, "operator": NO})
row("POST", "/api/users/{name}/password", {"password": "a-new-pass-phrase-9"}, **{**writes, "administrator": OK})
row("GET", "/api/observer/copies", None, **readers)
row("GET", "/api/observer/copies/{upload}", None, **readers)  # upload 1 does not exist: 404 for those who may read
# issue 26: scans of the paper protocols (an empty body: 422 for those who may upload; scan 1 does not exist)
row("POST", "/api/protocols/{station}/{ballot}/scans", None, **{**coordinating, "operator": (OK, NO)})
row("GET", "/api/stations/{station}/scans", None, **{**staff, "operator": (OK, NO), "coordinator": (OK, NO)})
row("GET", "/api/scans/{scan_id}", None, **staff)
row("POST", "/api/logout", None, **everyone(OK))  # last: it ends the sessions the other rows use


@pytest.fixture
def sessions(client: TestClient) -> dict[str, dict[str, str]]:
    return {
        "public": {},
        "administrator": admin(client),
        "operator": user(client, "op", "operator", [1]),
        "coordinator": user(client, "coord", "coordinator", [1]),
        "coordinator-city": user(client, "chief", "coordinator"),
        "observer": user(client, "watcher", "observer"),
    }


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_every_cell_of_the_role_table(client: TestClient, sessions: dict[str, dict[str, str]]) -> None:
    schema = client.get("/openapi.json").json()
    api = {(m.upper(), p) for p, item in schema["paths"].items() for m in item if p.startswith("/api/")}
    assert api == {(method, route) for method, route, _, _ in TABLE}, "the role table must name every API route"
    wrong = []
    for _, _, request, cells in TABLE:
        for role, (own, other) in cells.items():
            for station, expected in ((101, own), (201, other)):
                verb, path, body = request(station)
                headers = sessions[role]
                answer = client.request(verb, path, json=body, headers=headers).status_code
                client.cookies.clear()  # only the bearer token says who asks
                refused = answer in (401, 403)
                if (expected == OK and refused) or (expected != OK and answer != expected):
                    wrong.append(f"{role} {verb} {path}: {answer}, expected {expected}")
    assert wrong == []
