"""Hostile input against every API route of the OpenAPI schema: no 5xx, every refusal a 4xx with code and field.

Hypothesis draws, for every route, path parameters (numbers far out of range, text with markup, control
and right-to-left characters) and bodies (the route's valid body with one field replaced by any JSON
value, dropped, or joined by an unknown one; or any JSON value at all). Bounded and derandomised, so the
suite runs the same few hundred requests every time. Oversized and deeply nested bodies are refused by
the middleware (`saylau.web.limits`) before any route parses them.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saylau.web.limits import MAX_BODY, MAX_DEPTH
from tests.service.helpers import STATION_101_LIST, admin, user
from tests.service.test_roles import TABLE

SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
EXAMPLES = 300

hostile_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            '=HYPERLINK("http://x")',
            "{{Template}}",
            "#set text(red)",
            "a\u202eb",
            "zero\u200bwidth",
            "\x00nul",
            "../../etc/passwd",
            "' OR 1=1 --",
            "9" * 40,
        ]
    ),
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | hostile_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_text, inner, max_size=4),
    max_leaves=12,
)
path_values = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(["101", "201", "list", "district", "Amanat", "1", "0", "-1"]),
    hostile_text.filter(lambda t: t not in ("", ".", "..")),
)


def _mutated(body: Any) -> st.SearchStrategy[Any]:
    """The valid body with one key replaced, dropped, or an unknown key added; or any JSON at all."""
    if not isinstance(body, dict) or not body:
        return json_values
    keys = sorted(body)
    replaced = st.tuples(st.sampled_from(keys), json_values).map(lambda kv: {**body, kv[0]: kv[1]})
    dropped = st.sampled_from(keys).map(lambda k: {x: v for x, v in body.items() if x != k})
    added = st.tuples(hostile_text, json_values).map(lambda kv: {**body, kv[0]: kv[1]})
    return st.one_of(replaced, dropped, added, json_values)


def _fill(route: str, values: dict[str, str]) -> str:
    out = route
    for name, value in values.items():
        out = out.replace("{" + name + "}", value)
    return out


def _quoted(value: str) -> str:
    return quote(value, safe="")


@SQLITE
def test_fuzzing_every_route_gives_no_5xx_and_a_code_and_field_for_every_refusal(
    client: TestClient, record_property: Any
) -> None:
    sessions = {
        "administrator": admin(client),
        "operator": user(client, "fuzz-operator", "operator"),
        "coordinator": user(client, "fuzz-coordinator", "coordinator"),
        "coordinator-city": user(client, "fuzz-chief", "coordinator"),
        "observer": user(client, "fuzz-observer", "observer"),
        "public": {},
    }
    routes = [(method, route, request(101)[2], cells) for method, route, request, cells in TABLE]
    sent: list[str] = []
    server_errors: list[str] = []
    malformed: list[str] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )
    @given(st.data())
    def fuzz(data: st.DataObject) -> None:
        method, route, body, cells = data.draw(st.sampled_from(routes))
        names = [part[1:-1] for part in route.split("/") if part.startswith("{")]
        path = _fill(route, {n: _quoted(data.draw(path_values, label=n)) for n in names})
        role = next((r for r, (own, _) in cells.items() if own == "ok" and r != "public"), "administrator")
        headers = {} if route == "/api/logout" else sessions[role]
        payload = data.draw(_mutated(body), label="body") if method != "GET" else None
        answer = client.request(method, path, json=payload, headers=headers)
        client.cookies.clear()
        sent.append(f"{method} {path}")
        if answer.status_code >= 500:
            server_errors.append(f"{method} {path} {payload!r}: {answer.status_code} {answer.text[:200]}")
        elif answer.status_code >= 400:
            found = answer.json()
            if not isinstance(found.get("code"), str) or "field" not in found:
                malformed.append(f"{method} {path}: {answer.status_code} {answer.text[:200]}")

    fuzz()
    print(
        f"\nfuzzed: {len(sent)} requests, 5xx: {len(server_errors)}, refusals without code and field: {len(malformed)}"
    )
    record_property("fuzzed requests", len(sent))  # for the suite's combined line (tests/conftest.py)
    record_property("5xx", len(server_errors))
    assert server_errors == []
    assert malformed == []
    assert len({s.split(" ")[0] + " " + s.split(" ")[1].split("/")[2] for s in sent}) >= 8


@SQLITE
def test_an_oversized_body_is_refused_before_it_is_read_whole(client: TestClient) -> None:
    headers = user(client, "op1", "operator", [1])
    big = {**STATION_101_LIST, "votes": {f"option {k}": k for k in range(MAX_BODY // 10)}}
    refused = client.post("/api/protocols/101/list/entries", json=big, headers=headers)
    assert refused.status_code == 413 and refused.json()["code"] == "too-large"

    def chunks() -> Any:  # no Content-Length: counted as it arrives
        for _ in range(MAX_BODY // 4096 + 2):
            yield b" " * 4096

    streamed = client.post(
        "/api/protocols/101/list/entries", content=chunks(), headers={**headers, "content-type": "application/json"}
    )
    assert streamed.status_code == 413 and streamed.json()["code"] == "too-large"


@SQLITE
def test_deep_json_is_refused_and_shallow_json_still_works(client: TestClient) -> None:
    headers = {**user(client, "op1", "operator", [1]), "content-type": "application/json"}
    for deep in ("[" * 100_000 + "]" * 100_000, '{"a":' * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1)):
        refused = client.post("/api/protocols/101/list/entries", content=deep, headers=headers)
        assert refused.status_code == 422 and refused.json()["code"] == "too-deep", refused.text
    tricky = {**STATION_101_LIST, "votes": {**STATION_101_LIST["votes"]}}
    named = client.post("/api/protocols/101/list/entries", json=tricky, headers=headers)
    assert named.status_code == 200, named.text
    in_a_string = client.post("/api/login", json={"name": "[" * 60, "password": "{" * 200})
    assert in_a_string.status_code == 401  # brackets inside strings are not nesting
