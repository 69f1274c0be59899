"""The air-gap check (issue 29): while an outside address answers, data entry is refused in kk/ru/en and the
audit log records it; once it stops answering, entry is accepted again.

The "outside address" is a TCP server this test starts and stops on loopback, so nothing leaves the machine.
"""

from __future__ import annotations

import contextlib
import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from saylau.errors import InputError
from saylau.service.airgap import DEFAULT_ADDRESSES, AirGap, addresses_for
from saylau.web import Settings, create_app, prepare
from tests.integration.test_almaty_2023 import run_saylau
from tests.service.conftest import ADMIN_PASSWORD, ALMATY
from tests.service.helpers import STATION_101_LIST, admin, user

ENTRIES = "/api/protocols/101/list/entries"


class Outside:
    """A TCP server on a loopback port that the test brings up and down: the outside world, as far as the
    check can tell."""

    def __init__(self) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self.server: socketserver.TCPServer | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def up(self) -> None:
        socketserver.TCPServer.allow_reuse_address = True
        self.server = socketserver.TCPServer(("127.0.0.1", self.port), socketserver.BaseRequestHandler)
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def down(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


@pytest.fixture
def outside() -> Iterator[Outside]:
    made = Outside()
    try:
        yield made
    finally:
        made.down()


@pytest.fixture
def guarded(tmp_path: Path, outside: Outside) -> Iterator[TestClient]:
    """The service over Almaty with the air-gap check on, asking `outside` at every write."""
    settings = Settings(
        folder=ALMATY,
        data=tmp_path,
        admin_password=ADMIN_PASSWORD,
        secure_cookies=False,
        air_gap=(outside.address,),
        air_gap_interval=0,
    )
    database, _ = prepare(settings)
    with contextlib.closing(database), TestClient(create_app(settings, database)) as client:
        yield client


def test_entry_is_refused_while_the_outside_answers_and_accepted_once_it_does_not(
    guarded: TestClient, outside: Outside
) -> None:
    one, two = user(guarded, "op1", "operator", [1]), user(guarded, "op2", "operator", [1])
    coordinator = user(guarded, "coord", "coordinator")

    outside.up()
    for lang, words in (("en", "Data entry is refused"), ("kk", "Деректерді енгізу"), ("ru", "Ввод данных")):
        refused = guarded.post(f"{ENTRIES}?lang={lang}", json=STATION_101_LIST, headers=one)
        assert refused.status_code == 409, refused.text
        body = refused.json()
        assert body["code"] == "air-gap" and words in body["message"] and outside.address in body["message"]
    by_browser = guarded.post(ENTRIES, json=STATION_101_LIST, headers={**two, "Accept-Language": "ru-RU,ru;q=0.9"})
    assert by_browser.status_code == 409 and "Ввод данных" in by_browser.json()["message"]
    guarded.cookies.set("saylau_lang", "kk")  # the client's cookies also hold the last login's session: coord
    page = guarded.post("/enter/101/list", data={"registered": "2451"})
    assert page.status_code == 409 and "text/html" in page.headers["content-type"]
    assert '<html lang="kk">' in page.text and "Деректерді енгізу" in page.text
    assert guarded.post("/api/login", json={"name": "op1", "password": "pw-op1-123"}).status_code == 200
    assert guarded.get("/api/protocols/101/list", headers=coordinator).json()["state"] == "empty"  # nothing stored

    log = guarded.get("/api/audit", headers=coordinator).json()
    refusals = [row for row in log if row["action"] == "air-gap-refused"]
    assert [(r["user"], r["subject"]) for r in refusals] == [("op1", f"POST {ENTRIES}")] * 3 + [
        ("op2", f"POST {ENTRIES}"),
        ("coord", "POST /enter/101/list"),
    ]
    assert all(r["reason"] == f"{outside.address} is reachable: data entry refused" for r in refusals)

    outside.down()
    assert guarded.post(ENTRIES, json=STATION_101_LIST, headers=one).json() == {"state": "first-entry"}
    outside.up()  # and up again: refused again, the first entry kept as it was
    assert guarded.post(ENTRIES, json=STATION_101_LIST, headers=two).status_code == 409
    assert guarded.get("/api/protocols/101/list", headers=coordinator).json()["state"] == "first-entry"
    outside.down()
    assert guarded.post(ENTRIES, json=STATION_101_LIST, headers=two).json() == {"state": "accepted"}
    assert guarded.get("/api/audit/verify", headers=admin(guarded)).json()["intact"] is True


def test_a_kept_answer_is_renewed_in_the_background(outside: Outside) -> None:
    outside.up()
    check = AirGap([outside.address], interval=0.05)
    assert check.reachable() == outside.address
    outside.down()
    deadline = time.monotonic() + 30
    while check.reachable() is not None:  # the old answer serves until the renewal comes back
        assert time.monotonic() < deadline, "the answer was never renewed"
        time.sleep(0.02)
    outside.up()
    while check.reachable() != outside.address:
        assert time.monotonic() < deadline, "the answer was never renewed"
        time.sleep(0.02)


def test_the_setting() -> None:
    assert addresses_for("auto", "127.0.0.1") == () and addresses_for("auto", "localhost") == ()
    assert addresses_for("auto", "::1") == ()
    assert addresses_for("auto", "0.0.0.0") == DEFAULT_ADDRESSES == addresses_for("auto", "192.168.1.10")
    assert addresses_for("on", "127.0.0.1") == DEFAULT_ADDRESSES and addresses_for("OFF", "0.0.0.0") == ()
    assert addresses_for("10.0.0.1:80, [2001:db8::1]:443", "127.0.0.1") == ("10.0.0.1:80", "[2001:db8::1]:443")
    for bad in ("example.org", "10.0.0.1:0", "10.0.0.1:99999", ":80", "a b:80"):
        with pytest.raises(InputError, match="--air-gap"):
            addresses_for(bad, "0.0.0.0")


def test_serve_refuses_a_setting_it_cannot_read(tmp_path: Path) -> None:
    done = run_saylau("serve", str(ALMATY), "--data", str(tmp_path), "--air-gap", "outside")
    assert done.returncode == 2 and "[--air-gap]: 'outside' is not an address HOST:PORT" in done.stderr
    assert not any(tmp_path.iterdir())  # refused before the database was made
