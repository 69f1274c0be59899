"""The observers' API on SQLite and PostgreSQL: the official figures as a file, a copy compared with them,
refusals for the public, operators and bad uploads (4xx, nothing stored)."""

from __future__ import annotations

import csv

from fastapi.testclient import TestClient

from tests.service.helpers import STATION_101_LIST, admin, user

ENTRIES = "/api/protocols/101/list/entries"


def _accept_station_101(client: TestClient) -> None:
    one, two = user(client, "op1", "operator", [1]), user(client, "op2", "operator", [1])
    assert client.post(ENTRIES, json=STATION_101_LIST, headers=one).status_code == 200
    assert client.post(ENTRIES, json=STATION_101_LIST, headers=two).json() == {"state": "accepted"}


def test_an_observer_reads_the_official_figures_and_compares_a_copy(client: TestClient) -> None:
    _accept_station_101(client)
    observer = user(client, "watcher", "observer")
    official = client.get("/api/observer/official", headers=observer)
    assert official.status_code == 200 and official.headers["content-type"].startswith("text/csv")
    [row] = list(csv.DictReader(official.text.splitlines()))
    assert (row["station"], row["ballot"], row["found"], row["vote:Amanat"]) == ("101", "list", "659", "343")
    # The observer's copy of the protocol posted at station 101: Amanat 333, not 343, and a photo's hash.
    row["vote:Amanat"] = "333"
    header = [*row, "observer", "photo_sha256"]
    copy = ",".join(header) + "\n" + ",".join([*row.values(), "Aigerim", "ab" * 32]) + "\n"
    answer = client.post(
        "/api/observer/compare", content=copy.encode(), headers={**observer, "content-type": "text/csv"}
    )
    assert answer.status_code == 200, answer.text
    check = answer.json()
    assert check["kind"] == "observers" and check["copies"] == 1 and check["matching"] == 0
    [difference] = check["differences"]
    assert (difference["station"], difference["observer"], difference["photo_sha256"]) == (101, "Aigerim", "ab" * 32)
    assert difference["lines"] == [{"line": "vote:Amanat", "official": 343, "observed": 333, "difference": -10}]
    page = client.post("/api/observer/compare?format=html&lang=kk", content=copy.encode(), headers=observer)
    assert page.status_code == 200 and "Байқаушының көшірмесі" in page.text
    assert client.get("/api/observer/official", headers=observer).text == official.text  # nothing stored


def test_the_public_and_operators_are_refused(client: TestClient) -> None:
    assert client.get("/api/observer/official").status_code == 401
    assert client.post("/api/observer/compare", content=b"station\n").status_code == 401
    operator = user(client, "op", "operator", [1])
    assert client.get("/api/observer/official", headers=operator).status_code == 403
    assert client.post("/api/observer/compare", content=b"x", headers=operator).status_code == 403


def test_a_bad_upload_is_a_4xx_naming_the_row_and_field(client: TestClient) -> None:
    observer = user(client, "watcher", "observer")
    header = "station,district,ballot,registered,received,issued,issued_absentee,issued_outside,cancelled,"
    header += "found,invalid,against_all,vote:Amanat"
    bad = header + "\n101,1,list,2451,2475,659,6,16,1816,six hundred,20,41,343\n"
    answer = client.post("/api/observer/compare", content=bad.encode(), headers=observer)
    assert answer.status_code == 422
    assert answer.json()["field"] == "found" and "observers.csv:2 [found]" in answer.json()["message"]
    latin = client.post("/api/observer/compare", content="station\nÄ\n".encode("latin-1"), headers=observer)
    assert latin.status_code == 422 and "UTF-8" in latin.json()["message"]
    empty = client.post("/api/observer/compare", content=(header + "\n").encode(), headers=observer)
    assert empty.status_code == 422 and "has no observer's copy" in empty.json()["message"]
    lang = client.post("/api/observer/compare?format=html&lang=de", content=bad.encode(), headers=observer)
    assert lang.status_code == 422


def test_the_observers_page_compares_a_pasted_file(client: TestClient) -> None:
    _accept_station_101(client)
    user(client, "watcher", "observer")
    session = client.post("/api/login", json={"name": "watcher", "password": "pw-watcher-123"}).json()
    form = client.get("/staff/observer?lang=ru")  # the session cookie says who asks
    assert form.status_code == 200 and "Сравнить с принятыми протоколами" in form.text
    official = client.get("/api/observer/official").text
    copy = official.replace(",343,", ",300,")  # Amanat's 343 votes at station 101 copied as 300
    assert copy != official
    page = client.post("/staff/observer?lang=ru", data={"copies": copy, "csrf": session["csrf"]})
    assert page.status_code == 200 and "Копия наблюдателя" in page.text and "-43" in page.text
    bad = client.post("/staff/observer?lang=ru", data={"copies": "station\n1\n", "csrf": session["csrf"]})
    assert bad.status_code == 422 and "]: нет столбцов: district, ballot, registered" in bad.text
    english = client.post("/staff/observer?lang=en", data={"copies": "station\n1\n", "csrf": session["csrf"]})
    assert english.status_code == 422 and "missing columns: district, ballot" in english.text
    assert copy.count(",300,") == 1
    not_a_number = copy.replace(",300,", ",three hundred,")
    said = client.post("/staff/observer?lang=kk", data={"copies": not_a_number, "csrf": session["csrf"]})
    assert said.status_code == 422 and "&#39;three hundred&#39; бүтін сан емес" in said.text
    twice = copy + copy.splitlines()[1] + "\n"  # the header's first copy again
    said = client.post("/staff/observer?lang=ru", data={"copies": twice, "csrf": session["csrf"]})
    assert said.status_code == 422
    assert "observers.csv:3 [station]: вторая копия протокола участка № 101 по тому же бюллетеню" in said.text
    latin = {"file": ("observers.csv", "station\nÄ\n".encode("latin-1"), "text/csv"), "csrf": (None, session["csrf"])}
    said = client.post("/staff/observer?lang=kk", files=latin)
    assert said.status_code == 422 and "observers.csv: UTF-8 мәтіні емес (9-байт)" in said.text
    forged = client.post("/staff/observer", data={"copies": copy, "csrf": "forged"})
    assert forged.status_code == 403


def test_an_operator_is_refused_the_observers_page(client: TestClient) -> None:
    user(client, "op", "operator", [1])
    client.post("/api/login", json={"name": "op", "password": "pw-op-123"})
    assert client.get("/staff/observer").status_code == 403


def _copy_of_station_101(client: TestClient, headers: dict[str, str], amanat: str, observer: str) -> str:
    """The accepted protocol of station 101 as an observers' file, with Amanat's votes as the observer saw them."""
    [row] = list(csv.DictReader(client.get("/api/observer/official", headers=headers).text.splitlines()))
    row["vote:Amanat"] = amanat
    return ",".join([*row, "observer"]) + "\n" + ",".join([*row.values(), observer]) + "\n"


def test_uploads_are_stored_and_an_observer_sees_only_their_own(client: TestClient) -> None:
    _accept_station_101(client)
    aigerim, daniyar = user(client, "watcher", "observer"), user(client, "watcher2", "observer")
    coordinator, operator = user(client, "chief", "coordinator"), user(client, "op3", "operator", [1])
    first = client.post(
        "/api/observer/compare", content=_copy_of_station_101(client, aigerim, "333", "Aigerim"), headers=aigerim
    )
    assert first.status_code == 200, first.text
    upload = first.json()["upload"]
    assert (upload["observer"], upload["rows"], len(upload["sha256"])) == ("watcher", 1, 64)
    second = client.post(
        "/api/observer/compare", content=_copy_of_station_101(client, daniyar, "343", "Daniyar"), headers=daniyar
    )
    assert second.status_code == 200 and second.json()["matching"] == 1

    def listed(headers: dict[str, str]) -> list[tuple[int, str, int]]:
        answer = client.get("/api/observer/copies", headers=headers)
        assert answer.status_code == 200, answer.text
        return [(u["id"], u["observer"], u["differences"]) for u in answer.json()["uploads"]]

    ids = upload["id"], second.json()["upload"]["id"]
    assert listed(aigerim) == [(ids[0], "watcher", 1)]
    assert listed(daniyar) == [(ids[1], "watcher2", 0)]
    assert listed(coordinator) == [(ids[0], "watcher", 1), (ids[1], "watcher2", 0)]
    assert listed(admin(client)) == listed(coordinator)
    assert client.get("/api/observer/copies", headers=operator).status_code == 403

    own = client.get(f"/api/observer/copies/{ids[0]}", headers=aigerim)
    assert own.status_code == 200 and own.json()["differences"][0]["lines"][0]["difference"] == -10
    assert client.get(f"/api/observer/copies/{ids[0]}", headers=daniyar).status_code == 404  # not theirs
    assert client.get(f"/api/observer/copies/{ids[0]}", headers=coordinator).json() == own.json()
    assert client.get(f"/api/observer/copies/{ids[0]}", headers=operator).status_code == 403
    assert client.get("/api/observer/copies/999", headers=coordinator).status_code == 404
    page = client.get(f"/api/observer/copies/{ids[0]}?format=html&lang=ru", headers=aigerim)
    assert page.status_code == 200 and "Копия наблюдателя" in page.text
    uploads = [e for e in client.get("/api/audit", headers=coordinator).json() if e["action"] == "observer-upload"]
    assert [e["user"] for e in uploads] == ["watcher", "watcher2"]


def test_a_bad_upload_stores_nothing(client: TestClient) -> None:
    observer = user(client, "watcher", "observer")
    bad = client.post("/api/observer/compare", content=b"station\n1\n", headers=observer)
    assert bad.status_code == 422
    assert client.get("/api/observer/copies", headers=observer).json() == {"uploads": []}


def test_the_observers_page_lists_the_uploads(client: TestClient) -> None:
    _accept_station_101(client)
    user(client, "watcher", "observer")
    session = client.post("/api/login", json={"name": "watcher", "password": "pw-watcher-123"}).json()
    copy = client.get("/api/observer/official").text.replace(",343,", ",300,")
    assert client.post("/staff/observer?lang=kk", data={"copies": copy, "csrf": session["csrf"]}).status_code == 200
    form = client.get("/staff/observer?lang=kk")
    assert "Жүктелген көшірмелер" in form.text and "watcher" in form.text
    [upload] = client.get("/api/observer/copies").json()["uploads"]
    assert f"/api/observer/copies/{upload['id']}?format=html" in form.text and upload["differences"] == 1
