"""The paper summary protocol typed in headless Chromium, in Kazakh and in Russian, as the second entry.

The day of test_station_browser (station 101 counts the Mäjilis, the regional and the district mäslihat)
with a tree: the territorial commission `tec` and below it the district commission `dec-1`, whose area is
station 101. `dec-1` runs its own instance: both its operators type the station's five protocols, and it
exports its signed bundle. The territorial commission (the server under test) trusts its key and imports
the bundle: five summary protocols wait for their second entry. An operator in Kazakh types two of them on
the page, as on paper (the first keyboard only: Enter moves from line to line, as on the entry form): they
are accepted. An operator in Russian types two more (the first keyboard only), one with a vote that differs
from the imported figures: that one waits for the coordinator, who sees both side by side in Russian and keeps
the imported figures. Screenshots of the form and of the resolution, at 390 px and 1280 px, land in the
test's folder (and $SAYLAU_SCREENSHOTS).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import httpx
import pytest

from saylau.service import protocols, transfer
from saylau.service.permissions import Actor, Role
from saylau.service.protocols import Typing
from saylau.store import open_database
from saylau.store.database import database_url
from saylau.web import Settings, prepare
from tests.e2e.conftest import log_in
from tests.e2e.test_browser import ARGS, CHROMIUM
from tests.e2e.test_station_browser import CONTESTS, _day, _figures, _shoot
from tests.service.conftest import ADMIN_PASSWORD

sync_api = pytest.importorskip("playwright.sync_api")

KEYS = [(c, b) for c, (_, parties, _) in CONTESTS.items() for b in (("list", "district") if parties else ("district",))]


def _tree_day(tmp_path: Path) -> Path:
    root = _day(tmp_path)
    (root / "commissions.csv").write_text(
        "id,level,parent,name,region,stations,contest,districts,declares\n"
        "tec,territorial,,Territorial commission,R,,,,majilis oblys audan\n"
        "dec-1,district,tec,District commission 1,,,audan,1,\n",
        encoding="utf-8",
    )
    return root


def _bundle_of_dec_1(day: Path, data: Path) -> dict[str, Any]:
    """dec-1's own instance: its operators type station 101's five protocols; its signed bundle."""
    database, _ = prepare(Settings(folder=day, data=data, admin_password=ADMIN_PASSWORD))
    with contextlib.closing(database):
        with database.unit_of_work() as connection:
            key = transfer.make_key(connection, "dec-1")
        for name in ("op1", "op2"):
            with database.unit_of_work() as connection:
                typed = [Typing(Actor(name, Role.OPERATOR), 101, b, _figures(c, b), c) for c, b in KEYS]
                assert not [o for o in protocols.enter_all(connection, typed) if isinstance(o, Exception)]
        with database.unit_of_work() as connection:
            made = transfer.export(connection)
    return made | {"_key": key}


def _summary_path(contest: str, ballot: str) -> str:
    return f"/staff/summaries/dec-1/{contest}/{ballot}/{0 if ballot == 'list' else 1}"


def _type_summary(page: Any, figures: dict[str, Any]) -> None:
    """Each line and each option's votes typed into its field, then the button."""
    for line, value in figures.items():
        if line != "votes":
            page.fill(f"#f-{line}", str(value))
    for field in page.query_selector_all("input.vote"):
        field.fill(str(figures["votes"][field.get_attribute("name")[len("vote:") :]]))
    page.click("#finalise")


def _key_in_summary(page: Any, figures: dict[str, Any]) -> None:
    """Keyboard only, as on the entry form: from the focused first line, each figure and Enter, which moves
    to the next line and from the last one to the button; Enter there finalises."""
    assert page.evaluate("document.activeElement.id") == "f-registered"
    for name in page.eval_on_selector_all("input.figure", "xs => xs.map(x => x.name)"):
        value = figures["votes"][name[len("vote:") :]] if name.startswith("vote:") else figures[name]
        page.keyboard.type(str(value))
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.name") != name, f"Enter did not move on from {name}"
    assert page.evaluate("document.activeElement.id") == "finalise"
    page.keyboard.press("Enter")


@pytest.mark.parametrize("server", [_tree_day], indirect=True)
def test_the_paper_summary_protocol_is_typed_in_kazakh_and_russian(server: str, tmp_path: Path) -> None:
    day = tmp_path / "day"
    bundle = _bundle_of_dec_1(day, tmp_path / "dec-1")
    key = bundle.pop("_key")
    upper = open_database(database_url(tmp_path / "data", None), migrate=False)  # the server's own database
    with contextlib.closing(upper), upper.unit_of_work() as connection:
        transfer.make_key(connection, "tec")
        transfer.trust(connection, "dec-1", key)
    with httpx.Client(base_url=server) as client:
        token = client.post("/api/login", json={"name": "admin", "password": ADMIN_PASSWORD}).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        for name, role in (("op-kk", "operator"), ("op-ru", "operator"), ("chief", "coordinator")):
            body = {"name": name, "password": f"pw-{name}-123", "role": role}
            assert client.post("/api/users", json=body, headers=headers).status_code == 201
        chief = client.post("/api/login", json={"name": "chief", "password": "pw-chief-123"}).json()["token"]
        imported = client.post("/api/import", json=bundle, headers={"Authorization": f"Bearer {chief}"})
        assert imported.status_code == 201, imported.text
    shots = Path(os.environ.get("SAYLAU_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        kk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        log_in(kk, server, "op-kk", "kk")
        kk.goto(f"{server}/staff/import")
        links = kk.eval_on_selector_all("a.summary", "xs => xs.map(x => x.getAttribute('href'))")
        assert sorted(links) == sorted(_summary_path(c, b) for c, b in KEYS)
        assert "Жиынтық хаттамалар" in kk.inner_text("main")
        kk.goto(server + _summary_path("majilis", "list"))
        assert "Қағаз жиынтық хаттама" in kk.inner_text("h1")
        assert kk.input_value("#f-registered") == "", "the imported figures are never shown to the typist"
        _shoot(kk, shots / "summary-form-kk")
        _key_in_summary(kk, _figures("majilis", "list"))
        kk.wait_for_url(f"{server}/staff/import?done=*")
        assert "қабылданды" in kk.inner_text(".message")
        kk.goto(server + _summary_path("majilis", "district"))
        wrong = _figures("majilis", "district") | {"found": "99 999 999 999"}
        _type_summary(kk, wrong)  # past any count: the form again, the line named, nothing stored
        assert kk.locator("#f-found.bad").count() == 1
        _type_summary(kk, _figures("majilis", "district"))
        kk.wait_for_url(f"{server}/staff/import?done=*")

        ru = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        log_in(ru, server, "op-ru", "ru")
        ru.goto(server + _summary_path("oblys", "list"))
        assert "Бумажный сводный протокол" in ru.inner_text("h1")
        _shoot(ru, shots / "summary-form-ru")
        _key_in_summary(ru, _figures("oblys", "list"))
        ru.wait_for_url(f"{server}/staff/import?done=*")
        differing = _figures("oblys", "district")
        differing["votes"] = {**differing["votes"], "Dana": differing["votes"]["Dana"] - 1}
        differing["votes"]["Erlan"] += 1
        ru.goto(server + _summary_path("oblys", "district"))
        _type_summary(ru, differing)
        ru.wait_for_url(f"{server}/staff/import?done=*")
        assert "вводы расходятся" in ru.inner_text(".message")

        coordinator = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        log_in(coordinator, server, "chief", "ru")
        coordinator.goto(server + _summary_path("oblys", "district"))
        assert coordinator.locator("tr.differs").count() == 2  # Dana and Erlan
        _shoot(coordinator, shots / "summary-resolve-ru")
        coordinator.click("button[value=keep-first]")
        coordinator.wait_for_url(f"{server}/staff/import?done=*")
        assert "принят" in coordinator.inner_text(".message")
        coordinator.goto(f"{server}/staff/import?lang=kk")
        _shoot(coordinator, shots / "summary-list-kk")
        browser.close()
    with httpx.Client(base_url=server) as client:
        states = {
            (s["contest"], s["ballot"]): s["state"]
            for s in client.get("/api/summaries", headers={"Authorization": f"Bearer {chief}"}).json()
        }
    assert states == {
        ("majilis", "list"): "accepted",
        ("majilis", "district"): "accepted",
        ("oblys", "list"): "accepted",
        ("oblys", "district"): "accepted",
        ("audan", "district"): "first-entry",
    }
