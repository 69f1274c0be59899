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

from tests.e2e.test_browser import ARGS, CHROMIUM
from tests.e2e.test_service_browser import _log_in
from tests.service.conftest import ADMIN_PASSWORD
from tests.service.test_decisions import DISTRICT_FIGURES, FILES, LIST_FIGURES

sync_api = pytest.importorskip("playwright.sync_api")


def tied_folder(root: Path) -> Path:
    folder = root / "tied"
    folder.mkdir()
    for name, content in FILES.items():
        (folder / name).write_text(content, encoding="utf-8")
    return folder


def _count(url: str) -> None:
    """Users, and both protocols typed twice alike through the API (accepted)."""
    with httpx.Client(base_url=url) as client:
        token = client.post("/api/login", json={"name": "admin", "password": ADMIN_PASSWORD}).json()["token"]
        for name, role in (("op1", "operator"), ("op2", "operator"), ("chief", "coordinator")):
            body = {"name": name, "password": f"pw-{name}-123", "role": role, "districts": []}
            assert client.post("/api/users", json=body, headers={"Authorization": f"Bearer {token}"}).status_code == 201
        for name in ("op1", "op2"):
            login = client.post("/api/login", json={"name": name, "password": f"pw-{name}-123"}).json()
            headers = {"Authorization": f"Bearer {login['token']}"}
            for ballot, figures in (("list", LIST_FIGURES), ("district", DISTRICT_FIGURES)):
                answer = client.post(f"/api/protocols/1/{ballot}/entries", json=figures, headers=headers)
                assert answer.status_code == 200, answer.text
            client.cookies.clear()


@pytest.mark.parametrize("server", [tied_folder], indirect=True)
def test_the_coordinator_records_the_lots_drawn_and_certifies(server: str, tmp_path: Path) -> None:
    _count(server)
    shots = Path(os.environ.get("SAYLAU_SCREENSHOTS", tmp_path))
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_context().new_page()
        _log_in(page, server, "chief")
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
