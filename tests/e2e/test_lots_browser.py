"""The drawing-of-lots page in headless Chromium: certification waits for two ties; the coordinator sees the
tied standings, records what the commission drew, and certifies.

The election is tests/service/test_decisions.py's, typed by hand: the last list seat tied between A and B
(remainders 75 each), district 1 tied between X and Y (200 each). Screenshots land in the test's temporary
folder (and in $SAYLAU_SCREENSHOTS when set).
"""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import log_in
from tests.e2e.fit import overflows, sideways
from tests.e2e.test_browser import ARGS, CHROMIUM
from tests.service import test_open_list_lots as open_lists
from tests.service.conftest import ADMIN_PASSWORD
from tests.service.test_decisions import DISTRICT_FIGURES, FILES, LIST_FIGURES

sync_api = pytest.importorskip("playwright.sync_api")


def tied_folder(root: Path) -> Path:
    folder = root / "tied"
    folder.mkdir()
    for name, content in FILES.items():
        (folder / name).write_text(content, encoding="utf-8")
    return folder


def open_list_folder(root: Path) -> Path:
    """tests/service/test_open_list_lots.py's election: each open list's seats tied among its names."""
    folder = root / "open"
    folder.mkdir()
    for name, content in open_lists.FILES.items():
        (folder / name).write_text(content, encoding="utf-8")
    return folder


def _count(url: str, figures: dict[str, dict[str, object]] | None = None) -> None:
    """Users, and both protocols typed twice alike through the API (accepted)."""
    with httpx.Client(base_url=url) as client:
        token = client.post("/api/login", json={"name": "admin", "password": ADMIN_PASSWORD}).json()["token"]
        for name, role in (("op1", "operator"), ("op2", "operator"), ("chief", "coordinator")):
            body = {"name": name, "password": f"pw-{name}-123", "role": role, "districts": []}
            assert client.post("/api/users", json=body, headers={"Authorization": f"Bearer {token}"}).status_code == 201
        for name in ("op1", "op2"):
            login = client.post("/api/login", json={"name": name, "password": f"pw-{name}-123"}).json()
            headers = {"Authorization": f"Bearer {login['token']}"}
            typed = figures or {"list": LIST_FIGURES, "district": DISTRICT_FIGURES}
            for ballot, lines in typed.items():
                answer = client.post(f"/api/protocols/1/{ballot}/entries", json=lines, headers=headers)
                assert answer.status_code == 200, answer.text
            client.cookies.clear()


@pytest.mark.parametrize("server", [tied_folder], indirect=True)
def test_the_coordinator_records_the_lots_drawn_and_certifies(server: str, tmp_path: Path) -> None:
    _count(server)
    shots = Path(os.environ.get("SAYLAU_SCREENSHOTS", tmp_path))
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_context().new_page()
        log_in(page, server, "chief")
        page.click("a.certify")  # the council to certify, or why it cannot be certified yet
        page.screenshot(path=str(shots / "lots-certify-refused.png"), full_page=True)
        assert "a drawing of lots is required for 2 ties" in page.inner_text(".errors")
        page.click("main a[href='/staff/lots']")
        page.wait_for_url(f"{server}/staff/lots")
        assert page.locator("section.tie").count() == 2
        district = page.locator("section.tie[data-tier=district]")
        assert district.locator("table.standings").inner_text().split() == ["Tied", "Votes", "X", "200", "Y", "200"]
        page.screenshot(path=str(shots / "lots-en.png"), full_page=True)
        district.locator("input[name=winners][value=Y]").check()
        district.locator("input[name=drawn_on]").fill("2023-03-21 10:30")
        district.locator("button").click()
        page.wait_for_url(f"{server}/staff/lots?done=*")
        listed = page.locator("section.tie[data-tier=list]")
        listed.locator("input[name=winners][value=B]").check()
        listed.locator("button").click()
        page.wait_for_url(f"{server}/staff/lots?done=*")
        assert page.locator("section.tie").count() == 0
        assert page.locator("table.decided td.winners").all_inner_texts() == ["B", "Y"]
        page.goto(f"{server}/staff/lots?lang=kk")
        page.screenshot(path=str(shots / "lots-kk.png"), full_page=True)
        assert "Тіркелген жеребе нәтижелері" in page.inner_text("main")
        page.goto(f"{server}/staff?lang=en")
        page.click("a.certify")
        page.check("form.confirm input[name=confirm]")
        page.click("form.confirm button")
        assert "certified: SHA-256" in page.inner_text(".message")
        browser.close()


@pytest.mark.parametrize("server", [open_list_folder], indirect=True)
def test_the_coordinator_records_an_open_list_s_drawing_in_kazakh_and_russian(server: str, tmp_path: Path) -> None:
    """Three open lists' candidates tied on preference votes (none collected: 0 each); the coordinator sees
    them as open lists' ties in kk and ru at 390 and 1280 px, records B's and A's drawings, and C's waits."""
    _count(server, open_lists.FIGURES)
    shots = Path(os.environ.get("SAYLAU_SCREENSHOTS", tmp_path))
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_context().new_page()
        log_in(page, server, "chief")
        for lang, word in (("kk", "Ашық тізім"), ("ru", "Открытый список")):
            for width in (390, 1280):
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(f"{server}/staff/lots?lang={lang}")
                assert page.locator("section.tie[data-tier=candidate]").count() == 3
                assert page.locator("section.tie h3").all_inner_texts()[1].startswith(f"{word}: B — ")
                assert (sideways(page), overflows(page)) == (0, []), (lang, width)
                page.screenshot(path=str(shots / f"lots-open-list-{lang}-{width}.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{server}/staff/lots?lang=ru")
        b = page.locator("section.tie[data-tier=candidate]").nth(1)
        assert b.locator("table.standings tbody").inner_text().split() == [
            "B",
            "list",
            "1",
            "0",
            "B",
            "list",
            "2",
            "0",
            "B",
            "list",
            "3",
            "0",
        ]
        b.locator("input[name=winners][value='B list 3']").check()
        b.locator("input[name=drawn_on]").fill("2023-03-21 10:30")
        b.locator("button").click()
        page.wait_for_url(f"{server}/staff/lots?done=*")
        a = page.locator("section.tie[data-tier=candidate]").first
        for name in ("A list 1", "A list 3"):
            a.locator(f"input[name=winners][value='{name}']").check()
        a.locator("button").click()
        page.wait_for_url(f"{server}/staff/lots?done=*")
        assert page.locator("section.tie").count() == 1, "C's tie still waits"
        assert page.locator("table.decided td.winners").all_inner_texts() == ["A list 1, A list 3", "B list 3"]
        page.goto(f"{server}/staff/lots?lang=kk")
        page.set_viewport_size({"width": 390, "height": 900})
        assert (sideways(page), overflows(page)) == (0, [])
        page.screenshot(path=str(shots / "lots-open-list-recorded-kk-390.png"), full_page=True)
        browser.close()
