"""The public page of a day of several contests: every contest, a contest switcher in kk/ru/en, each gate alone.

The service runs examples/almaty-2023-day (the Mäjilis and the Almaty City Mäslihat on Almaty's stations).
The contests' names the switcher must show are the folders' own (`name_kk`, `name_ru` in each election.toml,
copied here by hand); station 101's Mäjilis figures are read from the example's protocol file with the csv
module, never from saylau's count.
"""

from __future__ import annotations

import contextlib
import csv
import json
import re
import shutil
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from saylau.io.protocols import read_protocol_file
from saylau.service import protocols
from saylau.service.permissions import Actor, Role
from saylau.service.protocols import FIGURES, Typing
from saylau.store import Database
from saylau.web import Settings, create_app, prepare
from tests.service.conftest import ADMIN_PASSWORD
from tests.service.helpers import user

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NAMES = {  # examples/almaty-2023-day/majilis/election.toml and examples/almaty-2023/election.toml
    "majilis": {"kk": "2023 жылғы Мәжіліс сайлауы", "ru": "Выборы в Мажилис 2023 года", "en": "2023 Mäjilis election"},
    "almaty-maslihat": {
        "kk": "Алматы қалалық мәслихатының 2023 жылғы сайлауы",
        "ru": "Выборы в маслихат города Алматы 2023 года",
        "en": "2023 Almaty City Mäslihat election",
    },
}


def copy_day(root: Path) -> Path:
    """examples/almaty-2023-day with the folders beside it that it names, copied under `root`."""
    for name in ("almaty-2023-day", "almaty-2023", "almaty-2021"):
        shutil.copytree(EXAMPLES / name, root / name)
    return root / "almaty-2023-day"


def hold_until(folder: Path, close: str) -> None:
    """Give a contest's election.toml a close of polls (the publish gate)."""
    toml = folder / "election.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + f"\n[publication]\npolls_close = {close}\n", encoding="utf-8")


MAJILIS = EXAMPLES / "almaty-2023-day" / "majilis" / "protocols"
CITY = EXAMPLES / "almaty-2023" / "protocols"


def paper(folder: Path, name: str, station: int) -> dict[str, dict[str, Any]]:
    """A station's protocols (by ballot) as typed in an example's protocol file."""
    found, problems = read_protocol_file(folder, name)
    assert not problems
    return {
        p.ballot: {n: p.figure(n) for n in FIGURES} | {"votes": dict(p.votes)} for p in found if p.station == station
    }


def list_votes_101(folder: Path, name: str) -> dict[str, int]:
    """Station 101's list votes read from the example's CSV with the csv module (not saylau's reader)."""
    with (folder / name).open(encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["station"] == "101" and r["ballot"] == "list")
    return {k[5:]: int(v) for k, v in row.items() if k.startswith("vote:") and v != ""}


@pytest.fixture
def day_service(tmp_path: Path) -> Iterator[tuple[TestClient, Database, Path]]:
    folder = copy_day(tmp_path)
    hold_until(folder.parent / "almaty-2023", "2099-03-19T20:00:00+06:00")  # the city's polls never close here
    settings = Settings(
        folder=folder,
        database=f"sqlite:///{tmp_path / 'day.sqlite'}",
        admin_password=ADMIN_PASSWORD,
        secure_cookies=False,
    )
    database, _ = prepare(settings)
    with contextlib.closing(database), TestClient(create_app(settings, database)) as client:
        yield client, database, folder


def enter(database: Database, contest: str, station: int, figures: dict[str, dict[str, Any]]) -> None:
    """Two operators type a station's protocols of one contest (accepted when they agree)."""
    for name in ("op1", "op2"):
        typed(database, name, contest, station, figures)


def typed(database: Database, name: str, contest: str, station: int, figures: dict[str, dict[str, Any]]) -> None:
    """One operator types a station's protocols of one contest."""
    with database.unit_of_work() as connection:
        outcomes = protocols.enter_all(
            connection, [Typing(Actor(name, Role.OPERATOR), station, b, f, contest) for b, f in figures.items()]
        )
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes


def fresh(client: TestClient, path: str, test: Any) -> Any:
    """The answer once `test(answer)` holds (the snapshot is rebuilt in the background, within seconds)."""
    deadline = time.monotonic() + 10
    while True:
        answer = client.get(path)
        if test(answer) or time.monotonic() > deadline:
            return answer
        time.sleep(0.2)


def switcher(page: str) -> list[tuple[str, str, bool]]:
    """The contest switcher's links: (href, name, current)."""
    nav = re.search(r'<nav class="contests"[^>]*>(.*?)</nav>', page, re.S)
    assert nav is not None, "no contest switcher"
    return [
        (href.replace("&amp;", "&"), name, bool(current))
        for href, current, name in re.findall(
            r'<a href="([^"]+)" data-contest="[^"]+"( aria-current="page")?>([^<]+)</a>', nav[1]
        )
    ]


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_every_contest_of_the_day_has_its_public_page_and_a_switcher(day_service: Any, lang: str) -> None:
    client, _, _ = day_service
    first = client.get(f"/?lang={lang}")
    assert first.status_code == 200
    assert switcher(first.text) == [
        (f"/?lang={lang}&contest=majilis", NAMES["majilis"][lang], True),
        (f"/?lang={lang}&contest=almaty-maslihat", NAMES["almaty-maslihat"][lang], False),
    ], "the day's first contest without ?contest="
    city = client.get(f"/?lang={lang}&contest=almaty-maslihat")
    assert f"<h1>{NAMES['almaty-maslihat'][lang]}</h1>" in city.text
    assert [current for _, _, current in switcher(city.text)] == [False, True]
    # every link of the city's page keeps the city: languages, the live fragment, projector, downloads
    assert 'data-live="/live?lang=' + lang + '&amp;contest=almaty-maslihat"' in city.text
    for other in ("kk", "ru", "en"):
        assert f'href="?lang={other}&amp;contest=almaty-maslihat"' in city.text
    assert 'href="/api/public/results.csv?contest=almaty-maslihat"' in city.text
    assert f'href="/projector?lang={lang}&amp;contest=almaty-maslihat"' in city.text
    assert f'href="/statistics?lang={lang}&amp;contest=almaty-maslihat"' in city.text
    projector = client.get(f"/projector?lang={lang}&contest=almaty-maslihat")
    assert [href for href, _, _ in switcher(projector.text)] == [
        f"/projector?lang={lang}&contest=majilis",
        f"/projector?lang={lang}&contest=almaty-maslihat",
    ]
    assert "contest=almaty-maslihat" in projector.text.split('data-live="')[1].split('"')[0]
    # the Mäjilis and the mäslihat are different councils: 98 seats against 42
    assert client.get("/api/public/results.json?contest=majilis").json()["seats_total"] == 98
    assert client.get("/api/public/results.json?contest=almaty-maslihat").json()["seats_total"] == 42


def test_an_unknown_contest_is_a_404_naming_the_day_s_contests(day_service: Any) -> None:
    client, _, _ = day_service
    for path in ("/?contest=senate", "/live?contest=senate", "/api/public/results.json?contest=senate"):
        answer = client.get(path)
        assert answer.status_code == 404 and answer.json()["code"] == "contest", path
        assert "majilis, almaty-maslihat" in answer.json()["message"]


def test_each_contest_counts_its_own_protocols_and_its_own_gate(day_service: Any) -> None:
    """Station 101's Mäjilis protocols are accepted, and its city protocols too; the Mäjilis has no gate, the
    city's polls close in 2099: the Mäjilis page counts station 101, the city page counts nothing until a
    coordinator releases the city alone."""
    client, database, _ = day_service
    enter(database, "majilis", 101, paper(MAJILIS, "almaty.csv", 101))
    enter(database, "almaty-maslihat", 101, paper(CITY, "district-01.csv", 101))
    majilis = fresh(
        client, "/api/public/results.json?contest=majilis", lambda a: a.json()["progress"]["list"]["stations_reported"]
    ).json()
    assert majilis["progress"]["list"]["stations_reported"] == 1 and majilis["contest"] == "majilis"
    votes = {p["name"]: p["list_votes"] for p in majilis["parties"]}
    assert votes == list_votes_101(MAJILIS, "almaty.csv")
    city = client.get("/api/public/results.json?contest=almaty-maslihat").json()
    assert city["progress"]["list"]["stations_reported"] == 0, "the city's gate holds its figures"

    coordinator = user(client, "co", "coordinator")
    assert client.post("/api/publication/release?contest=almaty-maslihat", headers=coordinator).status_code == 200
    again = client.post("/api/publication/release?contest=almaty-maslihat", headers=coordinator)
    assert again.status_code == 409 and again.json()["code"] == "released"
    city = fresh(
        client,
        "/api/public/results.json?contest=almaty-maslihat",
        lambda a: a.json()["progress"]["list"]["stations_reported"],
    ).json()
    assert city["progress"]["list"]["stations_reported"] == 1
    operator = user(client, "op9", "operator")
    refused = client.post("/api/publication/release?contest=majilis", headers=operator)
    assert refused.status_code == 403


def test_the_service_s_day_is_published_contest_by_contest_each_behind_its_gate(
    day_service: Any, tmp_path: Path
) -> None:
    """`saylau publish service` on the day: one version, both contests; the city held by its gate publicly
    (station 101 counted nowhere), counted in the staff preview; after its release, public too."""
    from saylau.publish import FolderTarget, current, from_database, release

    client, database, _ = day_service
    enter(database, "majilis", 101, paper(MAJILIS, "almaty.csv", 101))
    enter(database, "almaty-maslihat", 101, paper(CITY, "district-01.csv", 101))
    public, staff = FolderTarget(tmp_path / "site"), FolderTarget(tmp_path / "staff")

    def ballots_101(site: Path, contest: str) -> list[str]:
        pointer = current(FolderTarget(site)) or {}
        manifest = json.loads((site / pointer["manifest"]).read_text(encoding="utf-8"))
        at = manifest["groups"][f"{contest}/station/101"]["at"]
        data = json.loads((site / "v" / str(at) / contest / "station" / "101.json").read_text(encoding="utf-8"))
        return sorted(p["ballot"] for p in data["protocols"])

    shown, preview = release(public, from_database(database), staff)
    assert shown is not None and preview is not None
    assert ballots_101(tmp_path / "site", "majilis") == ["district", "list"]
    assert ballots_101(tmp_path / "site", "almaty-maslihat") == []
    assert ballots_101(tmp_path / "staff", "almaty-maslihat") == ["district", "list"]
    report = json.loads((tmp_path / "site" / "v" / str(shown.version) / "results.nist.json").read_text())
    assert len(report["Election"]) == 1 and len(report["Election"][0]["Contest"]) > 2

    coordinator = user(client, "co", "coordinator")
    assert client.post("/api/publication/release?contest=almaty-maslihat", headers=coordinator).status_code == 200
    after, _ = release(public, from_database(database), staff)
    assert after is not None and after.version > shown.version
    assert ballots_101(tmp_path / "site", "almaty-maslihat") == ["district", "list"]


def test_a_watch_publishes_the_last_state_whatever_came_in_while_it_read(
    day_service: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pass of `saylau publish service --watch` reads the day's contests one after the other while the night
    goes on. Here station 101's Mäjilis protocols are accepted just after the pass read the Mäjilis and before it
    read the city: the pass shows the Mäjilis without them at the city's (newer) version. The watch must publish
    again until every contest shows what the database holds; it took the pass's newest version for what it had
    published, waited for the head to move past it, and after the night's last protocol it never did (the
    published pointer said "partial" for good)."""
    from saylau.publish import FolderTarget, current, release
    from saylau.publish import source as sources
    from saylau.publish.watch import watch
    from saylau.web.snapshot import build, head

    _, database, _ = day_service
    site = tmp_path / "site"
    late = {"majilis": paper(MAJILIS, "almaty.csv", 101)}

    def read_then_accept(*args: Any, **kwargs: Any) -> Any:
        snapshot = build(*args, **kwargs)
        if snapshot.contest in late:  # the write lands between this contest's read and the next one's
            enter(database, snapshot.contest, 101, late.pop(snapshot.contest))
        return snapshot

    monkeypatch.setattr(sources, "build", read_then_accept)
    stop = threading.Event()
    watching = threading.Thread(
        target=watch, args=(database, lambda s: release(FolderTarget(site), s), lambda: 0, 0.1, stop)
    )
    watching.start()
    try:
        deadline = time.monotonic() + 240  # two versions of the day, each many seconds on a loaded machine
        while time.monotonic() < deadline:
            pointer = current(FolderTarget(site)) or {}
            if not late and pointer.get("version") == head(database):
                break
            time.sleep(0.1)
    finally:
        stop.set()
        watching.join(timeout=30)
    assert not late, "the pass read the Mäjilis"
    assert (current(FolderTarget(site)) or {}).get("version") == head(database), "the last write is not published"
    manifest = json.loads((site / (current(FolderTarget(site)) or {})["manifest"]).read_text(encoding="utf-8"))
    at = manifest["groups"]["majilis/station/101"]["at"]
    data = json.loads((site / "v" / str(at) / "majilis" / "station" / "101.json").read_text(encoding="utf-8"))
    assert sorted(p["ballot"] for p in data["protocols"]) == ["district", "list"]


def test_a_close_of_polls_with_no_write_is_published_and_the_next_write_too(day_service: Any, tmp_path: Path) -> None:
    """The city's polls close while nothing is written: the audit head, which numbers the versions of the
    service's count, stays where the version that held the city was published. The city's figures must go
    public all the same (it published nothing until the next write: that version was "already out"), as a
    version of its own numbered after it that names its head; and the next write's version, whose head is that
    number, must not be taken for it (it was not published either)."""
    from saylau.publish import FolderTarget, current, from_database, release, versions
    from saylau.web.snapshot import head

    _, database, _ = day_service
    site = FolderTarget(tmp_path / "site")
    enter(database, "almaty-maslihat", 101, paper(CITY, "district-01.csv", 101))
    majilis_list = {"list": paper(MAJILIS, "almaty.csv", 101)["list"]}
    typed(database, "op1", "majilis", 101, majilis_list)  # the Mäjilis's list protocol typed once: not counted
    before = datetime(2099, 3, 19, 13, 0, tzinfo=UTC)  # the city's polls close at 14:00 UTC (fixture)
    after = datetime(2099, 3, 19, 14, 1, tzinfo=UTC)

    def ballots_101(contest: str) -> list[str]:
        pointer = current(site) or {}
        manifest = json.loads((tmp_path / "site" / pointer["manifest"]).read_text(encoding="utf-8"))
        at = manifest["groups"][f"{contest}/station/101"]["at"]
        data = json.loads((tmp_path / "site" / "v" / str(at) / contest / "station" / "101.json").read_text())
        return sorted(p["ballot"] for p in data["protocols"])

    held, _ = release(site, from_database(database), now=before)
    assert held is not None and held.version == head(database)
    assert (current(site) or {})["held"] == ["almaty-maslihat"] and ballots_101("almaty-maslihat") == []

    opened, _ = release(site, from_database(database), now=after)
    assert opened is not None and opened.new, "the close of polls published nothing"
    assert opened.version == held.version + 1
    pointer = current(site) or {}
    assert "held" not in pointer and pointer["head"] == head(database) == held.version
    assert ballots_101("almaty-maslihat") == ["district", "list"]

    typed(database, "op2", "majilis", 101, majilis_list)  # typed again: accepted, one write
    assert head(database) == opened.version, "the write this test is about: its head is the version out"
    written, _ = release(site, from_database(database), now=after)
    assert written is not None and written.new, "the next write was taken for the version of the close of polls"
    assert written.version > opened.version and (current(site) or {})["head"] == head(database)
    assert ballots_101("majilis") == ["list"]
    assert [v["version"] for v in versions(site)] == [held.version, opened.version, written.version]
