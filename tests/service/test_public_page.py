"""The public results page and the projector: served from snapshots, partial until every protocol is in.

The figures the page must show come from examples/almaty-2023/protocols/district-01.csv (station 101's list
ballot, typed in `STATION_101_LIST`), never from saylau's own count.
"""

from __future__ import annotations

import csv
import re
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from saylau.service import tallies
from saylau.store import open_database
from saylau.tabulation import FIGURES
from saylau.web import public
from saylau.web.headers import SecurityHeaders
from saylau.web.public import PATHS
from saylau.web.snapshot import head
from tests.service.conftest import ALMATY
from tests.service.helpers import STATION_101_LIST, user

ENTRIES = "/api/protocols/101/list/entries"


@pytest.fixture(params=["sqlite"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """SQLite only: the snapshot reads the database through the same service layer on both backends."""
    return f"sqlite:///{tmp_path / 'saylau.sqlite'}"


def _fresh(client: TestClient, path: str, since: int, showing: str = "") -> str:
    """The page once its snapshot is newer than version `since` and shows `showing` (rebuilt in the background,
    within seconds). Every write of what the public sees moves the version, each entry of a protocol included, so
    a snapshot built between those writes and the protocol's acceptance is newer without the protocol: wait for
    what the test expects."""
    deadline = time.monotonic() + 30
    while True:
        page = client.get(path).text
        found = re.search(r'data-version="(\d+)"', page)
        if (found and int(found.group(1)) > since and showing in page) or time.monotonic() > deadline:
            return page
        time.sleep(0.1)


def _version(page: str) -> int:
    found = re.search(r'data-version="(\d+)"', page)
    assert found, "the live part carries its snapshot's version"
    return int(found.group(1))


def _accept_station_101(client: TestClient) -> None:
    one, two = user(client, "op1", "operator", [1]), user(client, "op2", "operator", [1])
    assert client.post(ENTRIES, json=STATION_101_LIST, headers=one).status_code in (200, 201)
    accepted = client.post(ENTRIES, json=STATION_101_LIST, headers=two)
    assert accepted.json()["state"] == "accepted", accepted.text


def test_before_any_protocol_the_page_says_partial_and_decides_no_seat(client: TestClient) -> None:
    page = client.get("/?lang=en")
    assert page.status_code == 200
    html = page.text
    assert 'data-status="partial"' in html
    assert "0 of 553 stations" in html
    assert "Vacant" not in html, "a seat is never vacant because its district has not reported"
    assert "Not yet reported: 42" in html
    assert "majority lost" not in html.lower() and "held by" not in html.lower()


def test_an_accepted_protocol_reaches_the_page_and_its_json(client: TestClient) -> None:
    _accept_station_101(client)
    accepted = head(client.app.state.database)  # type: ignore[attr-defined]
    live = _fresh(client, "/live?lang=en", accepted - 1)  # a snapshot made after the acceptance, not before it
    assert "1 of 553 stations" in live
    assert re.search(r'data-party="Amanat".*?data-votes>343<', live, re.S)
    assert 'data-status="partial"' in live
    data = client.get("/api/public/results.json").json()
    assert data["status"] == "partial"
    assert data["progress"]["list"]["stations_reported"] == 1
    assert data["progress"]["list"]["registered_covered"] == STATION_101_LIST["registered"]
    assert {p["name"]: p["list_votes"] for p in data["parties"]}["Amanat"] == 343
    assert data["districts_reported"]["1"]["reported"] == 1
    assert data["bundle_sha256"] is None


def test_readers_who_have_the_snapshot_get_304(client: TestClient) -> None:
    first = client.get("/?lang=ru")
    assert first.headers["etag"] and first.headers["last-modified"]
    again = client.get("/?lang=ru", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    other_language = client.get("/?lang=kk", headers={"If-None-Match": first.headers["etag"]})
    assert other_language.status_code == 200


@pytest.mark.parametrize(
    ("lang", "partial", "progress"),
    [
        ("kk", "Ішінара есеп", "553 учаскенің 0"),
        ("ru", "частичный подсчёт", "0 из 553 участков"),
        ("en", "Partial count", "0 of 553 stations"),
    ],
)
def test_the_page_speaks_the_browsers_language(client: TestClient, lang: str, partial: str, progress: str) -> None:
    html = client.get("/", headers={"Accept-Language": f"{lang}-KZ,{lang};q=0.9"}).text
    assert f'<html lang="{lang}">' in html
    assert partial.lower() in html.lower()
    assert progress in html


def test_downloads_of_the_current_figures(client: TestClient) -> None:
    csv = client.get("/api/public/results.csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    nist = client.get("/api/public/results.nist.json").json()
    assert nist["@type"] == "ElectionResults.ElectionReport" and nist["Status"] == "unofficial-partial"


def test_the_projector_counts_each_districts_protocols_by_state(client: TestClient) -> None:
    one = user(client, "op1", "operator", [1])
    assert client.post(ENTRIES, json=STATION_101_LIST, headers=one).status_code in (200, 201)
    deadline = time.monotonic() + 10
    row = ""
    while time.monotonic() < deadline:
        html = client.get("/projector/live?lang=en").text
        row = re.search(r'<tr data-district="1">(.*?)</tr>', html, re.S).group(1)  # type: ignore[union-attr]
        if re.search(r'<td class="n"[^>]*>1</td>', row):
            break
        time.sleep(0.1)
    cells = [int(n) for n in re.findall(r'<td class="n"[^>]*>(\d+)</td>', row)]
    stations_in_district_1 = 26  # examples/almaty-2023/stations.csv: stations of district 1
    assert cells == [2 * stations_in_district_1 - 1, 1, 0, 0, 0]


def test_certified_page_shows_the_bundles_hash(client: TestClient, database_url: str) -> None:
    _accept_station_101(client)
    database = open_database(database_url, migrate=False)
    with database.unit_of_work() as connection:  # the rest of the count, as if typed: station 101's figures
        typed = connection.execute(text("SELECT definitive FROM protocols WHERE station = 101 AND ballot = 'list'"))
        connection.execute(
            text("UPDATE protocols SET state = 'accepted', definitive = :d WHERE ballot = 'list'"),
            {"d": typed.scalar_one()},
        )
        connection.execute(text("DELETE FROM protocols WHERE ballot = 'district'"))
        tallies.rebuild(connection)  # changed behind the service's back: count the running tallies again
    database.close()
    before = _version(client.get("/live?lang=en").text)
    certified = client.post("/api/certify", headers=user(client, "chief", "coordinator"))
    assert certified.status_code == 200, certified.text
    live = _fresh(client, "/live?lang=en", before, showing='data-status="certified"')
    assert 'data-status="certified"' in live
    assert certified.json()["sha256"] in live
    assert client.get("/api/public/results.json").json()["bundle_sha256"] == certified.json()["sha256"]


def _protocol_row(station: int, ballot: str) -> dict[str, Any]:
    """A protocol as typed from examples/almaty-2023/protocols (read with the csv module, not saylau)."""
    with (ALMATY / "protocols" / "district-01.csv").open(encoding="utf-8") as f:
        row = next(r for r in csv.DictReader(f) if r["station"] == str(station) and r["ballot"] == ballot)
    figures: dict[str, Any] = {line: int(row[line]) for line in FIGURES}
    figures["votes"] = {k[5:]: int(v) for k, v in row.items() if k.startswith("vote:") and v}
    return figures


def test_a_partial_count_shows_a_projection_apart_from_the_counted_figures(client: TestClient) -> None:
    before = _version(client.get("/live?lang=en").text)
    _accept_station_101(client)
    one, two = user(client, "op3", "operator", [1]), user(client, "op4", "operator", [1])
    district = _protocol_row(101, "district")
    client.post("/api/protocols/101/district/entries", json=district, headers=one)
    assert client.post("/api/protocols/101/district/entries", json=district, headers=two).json()["state"] == "accepted"
    deadline, live = time.monotonic() + 10, ""
    while "Projection (not the count)" not in live and time.monotonic() < deadline:
        live = _fresh(client, "/live?lang=en", before)
        time.sleep(0.1)
    assert "Projection (not the count)" in live, "a partial count with both ballots in has a projection"
    counted, projected = live.index('id="h-parties"'), live.index("Projection (not the count)")
    assert counted < projected, "the projection is its own section, after the counted figures"


VARIANTS = [{}, {"Accept-Language": "ru-RU,ru;q=0.9"}, {"Accept-Language": "de, kk;q=0.5"}]


@pytest.mark.parametrize("path", sorted(PATHS))
def test_the_fast_path_answers_exactly_as_the_routes_do(client: TestClient, path: str) -> None:
    routes_only = FastAPI()  # the same routes over the same snapshots, without the fast path in front
    routes_only.state.snapshots = client.app.state.snapshots  # type: ignore[attr-defined]
    routes_only.include_router(public.router)
    routes_only.add_middleware(SecurityHeaders)  # as in front of every answer of the app
    routes = TestClient(routes_only)
    for headers in VARIANTS:
        for query in ("", "?lang=kk", "?lang=xx&lang=en"):
            fast, slow = client.get(path + query, headers=headers), routes.get(path + query, headers=headers)
            assert (fast.status_code, fast.content) == (slow.status_code, slow.content), (path, query, headers)
            assert _headers(fast) == _headers(slow), (path, query, headers)
            again = {**headers, "If-None-Match": fast.headers["etag"]}
            fast, slow = client.get(path + query, headers=again), routes.get(path + query, headers=again)
            assert (fast.status_code, fast.content) == (slow.status_code, slow.content) == (304, b"")
            assert _headers(fast) == _headers(slow)


def _headers(response: Any) -> list[tuple[str, str]]:
    return sorted((k, v) for k, v in response.headers.items() if k not in ("date", "server"))


def test_head_gives_the_headers_without_the_body(client: TestClient) -> None:
    got = client.get("/?lang=kk", headers={"Accept-Encoding": "identity"})  # Content-Length of the plain bytes
    head = client.head("/?lang=kk", headers={"Accept-Encoding": "identity"})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == got.headers["etag"]
    assert head.headers["content-length"] == str(len(got.content))
    assert client.head("/live", headers={"If-None-Match": got.headers["etag"].replace("page", "live")}).status_code in (
        200,
        304,
    )


def test_other_methods_on_public_paths_go_to_the_routes(client: TestClient) -> None:
    assert client.post("/api/public/results.json").status_code == 405
    assert client.post("/api/public/results.json").json()["code"] == "method-not-allowed"
