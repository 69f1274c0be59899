"""The staff list on a day of thousands of stations (issue 23): paged, filtered with controls by district,
commission and state, searched by station number; every protocol a page or a station number away.

The day is `saylau synth --day` with 2,000 stations (every station counts the Mäjilis and its region's
mäslihat, two ballots each: 8,000 protocols), served from SQLite.
"""

from __future__ import annotations

import contextlib
import re
import tomllib
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from saylau.io.day_writer import write_day
from saylau.synth import synthesize_day
from saylau.web import Settings, create_app, prepare
from tests.service.conftest import ADMIN_PASSWORD
from tests.service.helpers import admin, login

STATIONS = 2000
ROW = re.compile(
    r'<tr data-station="(\d+)" data-ballot="(\w+)" class="([\w-]+)">\s*<td[^>]*><a[^>]*>\d+</a></td><td[^>]*>(\d+)</td>'
)


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("synth") / "day"
    write_day(folder, synthesize_day(5, stations=STATIONS))
    url = f"sqlite:///{folder.parent / 'saylau.sqlite'}"
    settings = Settings(folder=folder, database=url, admin_password=ADMIN_PASSWORD, secure_cookies=False)
    database, _ = prepare(settings)
    with contextlib.closing(database), TestClient(create_app(settings, database)) as client:
        yield client


def _rows(html: str) -> list[tuple[int, str, str, int]]:
    return [(int(s), b, st, int(d)) for s, b, st, d in ROW.findall(html)]


def _as(client: TestClient, name: str, role: str, commission: str | None = None) -> None:
    body = {"name": name, "password": f"pw-{name}-123", "role": role, "commission": commission}
    client.post("/api/users", json=body, headers=admin(client))
    client.cookies.clear()
    login(client, name, f"pw-{name}-123")  # the page session is the cookie this login sets


def test_the_whole_day_pages_and_every_page_is_a_link_away(day: TestClient) -> None:
    _as(day, "chief", "coordinator")
    first = day.get("/staff?lang=ru")
    assert first.status_code == 200
    total = len(day.get("/api/protocols").json())
    assert total == 4 * STATIONS
    assert f"Протоколы 1–50 из {total}" in first.text and "Страница 1 из 160" in first.text
    assert len(_rows(first.text)) == 50 and "…" not in first.text
    # The pager's links walk on; the last page holds the last rows, and a page past the end is the last one.
    following = re.search(r'<a rel="next" href="([^"]+)"', first.text)
    assert following is not None and day.get(unquote(following.group(1)).replace("&amp;", "&")).status_code == 200
    last = day.get("/staff?page=160")
    rows = _rows(last.text)
    assert len(rows) == 50 and rows[-1][0] == max(s for s, *_ in _rows(day.get("/staff?page=9999").text))
    assert 'rel="next"' not in last.text


def test_filters_are_controls_and_combine(day: TestClient) -> None:
    _as(day, "chief", "coordinator")
    every = {p["station"] for p in day.get("/api/protocols").json()}
    page = day.get("/staff?lang=kk").text
    for control in ('<select name="district">', '<select name="commission">', '<select name="state">'):
        assert control in page
    assert '<input id="go-station" name="station"' in page
    # By district (of every contest: the Mäjilis's and the mäslihats' district 3), walking every page.
    seen: list[tuple[int, str, str, int]] = []
    for number in range(1, 1000):
        rows = _rows(day.get(f"/staff?district=3&page={number}").text)
        seen += rows
        if len(rows) < 50:
            break
    assert seen and {d for *_, d in seen} == {3}
    assert len(seen) == len(day.get("/api/protocols?district=3").json())
    # By commission: a territorial commission's stations only, and all of them.
    commission = re.search(r'<option value="(tec-[a-z-]+)"', page)
    assert commission is not None
    tec = commission.group(1)
    stations = set()
    for number in range(1, 1000):
        rows = _rows(day.get(f"/staff?commission={tec}&page={number}").text)
        stations |= {s for s, *_ in rows}
        if len(rows) < 50:
            break
    _as(day, "clerk-" + tec, "operator", tec)
    theirs = {p["station"] for p in day.get("/api/protocols").json()}
    assert stations == theirs and 0 < len(theirs) < STATIONS
    # Their own list holds their commission's protocols only; another commission is refused with the reason.
    assert {s for s, *_ in _rows(day.get("/staff").text)} <= theirs
    outside = min(every - theirs)
    refused = day.get(f"/staff/go?station={outside}&lang=ru")
    assert refused.status_code == 403 and str(outside) in refused.text


def test_a_station_number_opens_the_station_and_its_first_form(day: TestClient) -> None:
    _as(day, "chief", "coordinator")
    station = _rows(day.get("/staff?page=77").text)[0][0]
    _as(day, "typist", "operator")
    found = day.get(f"/staff?station={station}").text
    assert {s for s, *_ in _rows(found)} == {station} and len(_rows(found)) == 4
    went = day.get(f"/staff/go?station={station}", follow_redirects=False)
    assert went.status_code == 303 and went.headers["location"] == f"/staff/station/{station}"
    opened = day.get(went.headers["location"] + "?lang=kk").text
    links = re.findall(r'<a class="enter" href="([^"]+)"( autofocus)?', opened)
    assert len(links) == 4 and links[0][1] == " autofocus" and not any(a for _, a in links[1:])
    assert day.get(links[0][0].replace("&amp;", "&")).status_code == 200
    unknown = day.get("/staff/go?station=999999&lang=kk")
    assert unknown.status_code == 404 and "999999" in unknown.text
    typo = day.get("/staff/go?station=12a&lang=ru")
    assert typo.status_code == 422 and "цифр" in typo.text


def test_a_stations_protocols_come_in_the_papers_order(day: TestClient) -> None:
    """Station by station, the day's contests in day.toml's order and in each the party-list ballot before the
    district ballot, as each voter gets them (spec/kazakhstan-2023.md, "The ballots"): on the page and the API."""
    _as(day, "chief", "coordinator")
    folder = day.app.state.settings.folder  # type: ignore[attr-defined]
    order = [c["id"] for c in tomllib.loads((folder / "day.toml").read_text(encoding="utf-8"))["contests"]]
    listed = day.get("/api/protocols").json()
    stations = list(dict.fromkeys(p["station"] for p in listed))
    assert stations == sorted(stations)
    for station in stations[:300]:
        papers = [(p["contest"], p["ballot"]) for p in listed if p["station"] == station]
        counted = list(dict.fromkeys(c for c, _ in papers))
        assert counted == [c for c in order if c in counted]
        assert papers == [(c, b) for c in counted for b in ("list", "district")], station
    for number in (1, 2, 77):
        rows = _rows(day.get(f"/staff?page={number}").text)
        whole = [s for s in dict.fromkeys(s for s, *_ in rows) if s not in (rows[0][0], rows[-1][0])]  # not cut
        assert whole
        for station in whole:
            assert [b for s, b, *_ in rows if s == station] == ["list", "district", "list", "district"]


def test_the_commission_filter_reads_the_tree_once(day: TestClient) -> None:
    """The commission filter's choices and the chosen commission come from the tree read once per day's tree,
    not per request: a page of the staff list runs no statement on the commissions table."""
    _as(day, "chief", "coordinator")
    tec = re.search(r'<option value="(tec-[a-z-]+)"', day.get("/staff").text)
    assert tec is not None
    engine = day.app.state.database.engine  # type: ignore[attr-defined]
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        for path in ("/staff", f"/staff?commission={tec.group(1)}", f"/staff?commission={tec.group(1)}&page=2"):
            assert day.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert statements, "the pages ran no statement at all: the listener saw nothing"
    assert not [s for s in statements if re.search(r"\bFROM commissions\b", s)]


@pytest.mark.parametrize(
    ("lang", "name"),
    [
        ("en", "Central Election Commission"),
        ("kk", "Орталық сайлау комиссиясы"),
        ("ru", "Центральная избирательная комиссия"),
    ],
)
def test_the_central_commission_is_named_in_the_pages_language(day: TestClient, lang: str, name: str) -> None:
    """The commission filter names the central commission by the law's term in the page's language (issue 25:
    the name a day without commissions.csv gives it, and the one `saylau synth --day` writes)."""
    _as(day, "chief", "coordinator")
    assert f'<option value="cec">{name}</option>' in day.get(f"/staff?lang={lang}").text


def test_the_whole_days_list_names_each_protocols_contest(day: TestClient) -> None:
    """Unfiltered, the day's list holds every contest's protocols, and a station's two list ballots look alike:
    each row names its contest (as the contest links above name it, in the page's language); a list of one
    contest does not repeat it."""
    _as(day, "chief", "coordinator")
    page = day.get("/staff?lang=ru").text
    names = dict(re.findall(r'<li><a href="/staff\?contest=([\w-]+)"[^>]*>([^<]+)</a>', page))
    assert len(names) > 1 and "<th>Выборы</th>" in page
    cells = re.findall(r'<td class="contest" data-contest="([\w-]+)">([^<]*)</td>', page)
    assert len(cells) == len(_rows(page)) == 50
    assert all(name == names[contest] for contest, name in cells)
    assert len({contest for contest, _ in cells}) > 1
    one = day.get(f"/staff?lang=ru&contest={cells[0][0]}").text
    assert len(_rows(one)) == 50 and 'class="contest"' not in one and "<th>Выборы</th>" not in one
