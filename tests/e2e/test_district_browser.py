"""District certification on its page (issue 22), in headless Chromium, in Kazakh and in Russian.

The day of tests/service/test_election_day (Almaty's mäslihat `city` and the Mäjilis on the same stations)
with the tree of tests/service/test_commissions: the district commission `dec-1` establishes district 1 of
the city mäslihat. With every protocol entered, dec-1's coordinator opens the district certification page
from the staff list, sees district 1's figures and who is elected (the winner of the offline count of
examples/almaty-2023, not the service's), is refused without the confirmation (in the page's language, no
browser message), confirms and certifies. Screenshots at 390 and 1280 px land in the test's folder (and in
$SAYLAU_SCREENSHOTS).
"""

from __future__ import annotations

import contextlib
import csv
import os
from pathlib import Path
from typing import Any

import httpx
import pytest

from saylau.store import open_database
from saylau.store.database import database_url
from tests.e2e.fit import overflows, sideways
from tests.service.conftest import ADMIN_PASSWORD
from tests.service.test_commissions import TREE
from tests.service.test_district_certification import _winners
from tests.service.test_election_day import _enter_contest, make_day

sync_api = pytest.importorskip("playwright.sync_api")

REFUSED = {"kk": "көрсетілген округ қорытындысын тексергеніңізді растаңыз", "ru": "подтвердите, что вы проверили"}
CERTIFIED = {"kk": "бекітілген қорытынды", "ru": "утверждённые итоги"}
"""The page's words (the catalogues): the refusal without confirmation, and the state `certified`."""


def _tree_day(tmp_path: Path) -> Path:
    root = make_day(tmp_path)
    with (root / "commissions.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "level", "parent", "name", "region", "stations", "contest", "districts", "declares"])
        writer.writerows(TREE)
    return root


def _shoot(page: Any, stem: Path) -> None:
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert sideways(page) == 0 and overflows(page) == [], (stem.name, width)
        page.screenshot(path=f"{stem}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.parametrize("server", [_tree_day], indirect=True)
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_district_commission_certifies_its_district_on_the_page(
    server: str, lang: str, browser: Any, tmp_path: Path
) -> None:
    shots = Path(os.environ.get("SAYLAU_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    with httpx.Client(base_url=server) as client:
        token = client.post("/api/login", json={"name": "admin", "password": ADMIN_PASSWORD}).json()["token"]
        body = {"name": "co-1", "password": "pw-co-1-123", "role": "coordinator", "commission": "dec-1"}
        made = client.post("/api/users", json=body, headers={"Authorization": f"Bearer {token}"})
        assert made.status_code == 201, made.text
    database = open_database(database_url(tmp_path / "data", None), migrate=False)  # the server's own database
    with contextlib.closing(database):
        _enter_contest(database, "city")
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{server}/login?lang={lang}")
    page.fill("input[name=name]", "co-1")
    page.fill("input[name=password]", "pw-co-1-123")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server}/staff*")
    page.click("p.districts-link a")
    page.wait_for_url(f"{server}/staff/districts*")
    assert page.eval_on_selector_all("tr[data-district]", "xs => xs.map(x => x.dataset.district)") == ["1"]
    _shoot(page, shots / f"district-list-{lang}")
    page.click("tr[data-district='1'] a")
    page.wait_for_url(f"{server}/staff/districts/1*")
    assert page.eval_on_selector_all("tr.elected", "xs => xs.map(x => x.dataset.candidate)") == _winners(1)
    assert ", ".join(_winners(1)) in page.inner_text("p.district-outcome")
    _shoot(page, shots / f"district-certify-{lang}")
    page.click("form.confirm button[type=submit]")  # without the confirmation: refused, in the page's words
    page.wait_for_load_state("load")
    assert REFUSED[lang] in page.inner_text(".errors")
    page.check("input[name=confirm]")
    page.click("form.confirm button[type=submit]")
    page.wait_for_url(f"{server}/staff/districts?*done=*")
    assert CERTIFIED[lang] in page.inner_text(".message")
    assert CERTIFIED[lang] in page.inner_text("tr[data-district='1'] td.state")
    _shoot(page, shots / f"district-certified-{lang}")
