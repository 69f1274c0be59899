"""Every input bounded where it enters (issue 21): query and path integers, form numbers, text without NUL,
security headers, cookies behind TLS, idempotent withdrawals, and an OpenAPI document with every answer."""

from __future__ import annotations

import contextlib
import inspect
import re
import typing
from collections.abc import Iterator, Sequence
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic.fields import FieldInfo
from starlette.routing import BaseRoute

from saylau.web import Settings, create_app, prepare
from saylau.web.bounds import MAX_NUMBER
from saylau.web.headers import CSP
from tests.hostile import almaty_pair
from tests.service.conftest import ADMIN_PASSWORD
from tests.service.helpers import STATION_101_LIST, admin, user
from tests.service.live import Server

SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
HUGE = ["2147483648", "9223372036854775808", "99999999999999999999999999", "-1"]


@BOTH
def test_query_and_path_integers_beyond_the_database_are_refused_naming_the_field(client: TestClient) -> None:
    headers = admin(client)
    for value in HUGE:
        for path, field in (
            (f"/api/protocols?district={value}", "district"),
            (f"/api/audit?after={value}", "after"),
            (f"/api/protocols/{value}/list", "station"),
            (f"/api/protocols/{value}/list/form", "station"),
            (f"/api/decisions/{value}/withdraw", "decision_id"),
        ):
            method = client.post if path.endswith("withdraw") else client.get
            body = {"json": {"reason": "x"}} if path.endswith("withdraw") else {}
            answer = method(path, headers={**headers, "Accept-Language": "ru"}, **body)
            assert answer.status_code == 422, (path, answer.text)
            assert answer.json()["field"] == field, path
            assert re.search("не больше|не меньше", answer.json()["message"]), answer.json()
    assert client.get("/api/protocols?district=2147483647", headers=headers).json() == []
    assert client.get("/api/audit?after=2147483647", headers=headers).json() == []


def test_every_number_a_route_takes_is_bounded(settings: Settings) -> None:
    """Walks every route of the app (pages included): no int from a path, a query or a form without bounds.

    A route added later with a plain `int` fails here: use `saylau.web.bounds.PathNumber` and its kin.
    """
    database, _ = prepare(settings)
    app = create_app(settings, database)
    unbounded, checked = [], 0
    for route in _routes(app.routes):
        for name, parameter in inspect.signature(route.endpoint).parameters.items():
            hint = typing.get_type_hints(route.endpoint, include_extras=True).get(name, parameter.annotation)
            args = typing.get_args(hint)
            inner = args[0] if typing.get_origin(hint) is typing.Annotated else hint
            if int not in (inner, *typing.get_args(inner)):
                continue
            checked += 1
            info = [a for a in args[1:] if isinstance(a, FieldInfo)]
            bounds = [m for i in info for m in i.metadata if hasattr(m, "le") or hasattr(m, "lt")]
            if not bounds or any(getattr(m, "le", getattr(m, "lt", None)) > MAX_NUMBER for m in bounds):
                unbounded.append(f"{route.path} {name}")
    database.close()
    assert unbounded == [] and checked >= 15


def _routes(routes: Sequence[BaseRoute]) -> Iterator[APIRoute]:
    """Every APIRoute, also inside included routers (FastAPI keeps those as `_IncludedRouter`)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):
            yield from _routes(route.original_router.routes)


@BOTH
def test_pages_refuse_superscript_and_foreign_digits_and_never_answer_500(client: TestClient) -> None:
    user(client, "op1", "operator", [1])
    client.post("/api/login", json={"name": "op1", "password": "pw-op1-123"})  # the cookie, as a browser
    for value in ("²", "①", "١", "１", "2147483648", "9223372036854775808"):
        page = client.get("/staff", params={"district": value, "lang": "kk"})
        assert page.status_code == 422, (value, page.text[-300:])
        assert 'data-field="District"' in page.text and ("0-9" in page.text or "ең көбі" in page.text)
    assert client.get("/staff", params={"district": "1"}).status_code == 200
    form = client.get("/enter/101/list").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form)
    assert csrf is not None
    typed = {k: str(v) for k, v in STATION_101_LIST.items() if k != "votes"}
    typed |= {f"vote:{k}": str(v) for k, v in STATION_101_LIST["votes"].items()}
    for value in ("²", "٢٤٥١", "２４５１", "2451²", "1,5", "24 51"):
        answer = client.post("/enter/101/list?lang=ru", data={**typed, "registered": value, "csrf": csrf[1]})
        assert answer.status_code == 422, value
        assert 'data-field="registered"' in answer.text and "цифрами 0-9" in answer.text
    assert client.get("/api/protocols/101/list").json()["state"] == "empty"
    answer = client.post("/enter/101/list", data={**typed, "registered": "2 451", "csrf": csrf[1]})
    assert answer.status_code == 200 and client.get("/api/protocols/101/list").json()["state"] == "first-entry"


@BOTH
def test_nul_in_a_query_a_path_a_form_or_a_body_is_a_422(client: TestClient) -> None:
    headers = admin(client)
    for method, path, kwargs, field in (
        ("get", "/api/protocols?state=%00", {}, "state"),
        ("post", "/api/users", {"json": {"name": "x", "password": "p\x00ssword-long", "role": "observer"}}, "password"),
        ("put", "/api/lists/Auyl", {"json": {"candidates": [{"candidate": "A\x00"}]}}, "candidates.0.candidate"),
        ("post", "/api/protocols/101/list/reopen", {"json": {"reason": "\x00"}}, "reason"),
        ("post", "/api/lists/Au%00yl/withdraw", {"json": {"date": "2023-03-01"}}, "path"),
    ):
        answer = client.request(method, path, headers=headers, **kwargs)
        assert answer.status_code == 422 and answer.json()["field"] == field, (path, answer.text)
        assert answer.json()["code"] == "invalid-text"


@SQLITE
def test_every_answer_carries_the_security_headers_and_no_page_runs_inline_script(client: TestClient) -> None:
    client.post("/api/login", json={"name": "admin", "password": ADMIN_PASSWORD})
    for path in ("/", "/live", "/projector", "/login", "/staff", "/admin/users", "/api/status", "/api/nowhere"):
        answer = client.get(path)
        assert answer.headers["content-security-policy"] == CSP, path
        assert answer.headers["x-frame-options"] == "DENY" and answer.headers["referrer-policy"] == "no-referrer"
        assert (
            "frame-ancestors 'none'" in CSP
            and "script-src 'self'" in CSP
            and "unsafe-inline" not in CSP.split("style-src")[0]
        )
        if answer.headers["content-type"].startswith("text/html"):
            scripts = _Scripts()
            scripts.feed(answer.text)
            assert scripts.inline == [], path


class _Scripts(HTMLParser):
    """Inline script of a page: a <script> with a body, or an on* attribute, or a javascript: link."""

    def __init__(self) -> None:
        super().__init__()
        self.inline: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.inline.append(f"{tag} {name}")

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline.append(data[:40])

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False


@SQLITE
def test_every_cookie_is_secure_behind_tls(settings: Settings) -> None:
    plain = settings.model_copy(update={"secure_cookies": False})
    database, _ = prepare(plain)
    app = create_app(plain, database)
    with contextlib.closing(database):
        for base, secure in (("https://results.example", True), ("http://testserver", False)):
            with TestClient(app, base_url=base) as client:
                cookies = [client.get("/login?lang=kk").headers.get_list("set-cookie")]
                cookies.append(
                    client.post("/api/login", json={"name": "admin", "password": ADMIN_PASSWORD}).headers.get_list(
                        "set-cookie"
                    )
                )
                found = [c.lower() for group in cookies for c in group]
                assert len(found) == 3  # the language, the login form's CSRF token, the session
                assert all(("; secure" in c) is secure and "httponly" in c and "samesite=strict" in c for c in found)
                assert ("strict-transport-security" in client.get("/").headers) is secure


@SQLITE
def test_withdrawing_twice_changes_nothing_the_second_time(client: TestClient) -> None:
    headers = admin(client)

    def audited() -> int:
        return len(client.get("/api/audit", headers=headers).json())

    first = client.post("/api/lists/Auyl/withdraw", json={"date": "2023-03-10"}, headers=headers)
    rows = audited()
    again = client.post("/api/lists/Auyl/withdraw", json={"date": "2023-03-10"}, headers=headers)
    assert first.status_code == again.status_code == 200 and first.json() == again.json()
    assert audited() == rows
    other = client.post("/api/lists/Auyl/withdraw", json={"date": "2023-03-11"}, headers=headers)
    assert other.status_code == 409 and other.json()["code"] == "already-withdrawn" and "2023-03-10" in other.text
    name = "Beibit Äpsenbetov"
    path = f"/api/lists/Baytaq/candidates/{name}/withdraw"
    assert client.post(path, json={"date": "2023-03-01"}, headers=headers).status_code == 200
    rows = audited()
    assert client.post(path, json={"date": "2023-03-01"}, headers=headers).status_code == 200
    assert audited() == rows
    assert client.post(path, json={"date": "2023-03-02"}, headers=headers).status_code == 409
    district = "/api/districts/1/candidates/Аким Турсунов/withdraw"  # examples/almaty-2023/candidates.csv
    assert client.post(district, json={"date": "2023-03-01"}, headers=headers).json() == {"status": "withdrawn"}
    rows = audited()
    assert client.post(district, json={"date": "2023-03-01"}, headers=headers).json() == {"status": "withdrawn"}
    assert audited() == rows
    assert client.post(district, json={"date": "2023-03-02"}, headers=headers).json()["code"] == "already-withdrawn"


@SQLITE
def test_the_openapi_document_lists_every_refusal_and_media_type(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    operations = [(p, m, o) for p, ms in document["paths"].items() for m, o in ms.items()]
    assert len(operations) > 30
    for path, method, operation in operations:
        answers = operation["responses"]
        assert {"401", "403", "404", "409", "422"} <= set(answers), (path, method)
        assert ("413" in answers) == ("requestBody" in operation), (path, method)
        assert answers["422"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert "429" in document["paths"]["/api/login"]["post"]["responses"]
    csv = document["paths"]["/api/public/results.csv"]["get"]["responses"]
    assert list(csv["200"]["content"]) == ["text/csv"] and "304" in csv
    assert "HTTPValidationError" not in document["components"]["schemas"]


@SQLITE
def test_error_lines_escape_line_breaks_and_bidi_controls_in_names(client: TestClient) -> None:
    """A field or name the caller chose comes back on one line: its U+2028, line break or U+202E escaped."""
    body = {"name": "x", "password": "op9-password-1", "role": "observer", "x\u2028error: forged\u202e": 1}
    answer = client.post("/api/users", json=body, headers=admin(client))
    assert answer.status_code == 422
    assert answer.json()["field"] == "x\\u2028error: forged\\u202e"
    assert "\u2028" not in answer.text and "\u202e" not in answer.text


@SQLITE
def test_a_page_cannot_be_made_to_show_a_forged_error_line(client: TestClient) -> None:
    """The pages' error lines escape what the caller typed as the API's do: a column name or a cell with a line
    separator or a right-to-left override in an observer's pasted file is shown escaped, on one line."""
    user(client, "watcher", "observer")
    session = client.post("/api/login", json={"name": "watcher", "password": "pw-watcher-123"}).json()
    header = "station,district,ballot,registered,received,issued,issued_absentee,issued_outside,cancelled,found,"
    header += "invalid,against_all,vote:Amanat"
    row = "101,1,list,2451,2475,659,6,16,1816,659,20,41,343"
    forged = "li\u2028error: forged"
    for copies, shown in (
        (f"{header},vote:X\u2028error: forged\u202e\n{row},5\n", "[vote:X\\u2028error: forged\\u202e]"),
        (f"{header}\n{row.replace('list', forged)}\n", "li\\u2028error: forged"),
    ):
        page = client.post("/staff/observer?lang=ru", data={"copies": copies, "csrf": session["csrf"]})
        assert page.status_code == 422
        errors = page.text.split('<ul class="errors"', 1)[1].split("</ul>", 1)[0]
        assert errors.count("<li>") == 1 and shown in errors, errors
        assert "\u2028" not in errors and "\u202e" not in errors and "\n" not in errors


def test_serve_warns_when_published_totals_disagree_with_the_protocols(tmp_path: Path) -> None:
    folder = almaty_pair(tmp_path)
    path = folder / "protocols" / "district-01.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "vote:Аким Турсунов,vote:District 1 candidate B", "vote:District 1 candidate B,vote:Аким Турсунов"
        ),
        encoding="utf-8",
    )
    server = Server(folder, f"sqlite:///{tmp_path / 'saylau.sqlite'}", tmp_path / "serve.log")
    server.start()
    server.stop()
    log = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert "warning: results/districts.csv:2 [votes]: district 1, Аким Турсунов: 5,780 published here" in log
    assert "counted from protocols/district-01.csv" in log
