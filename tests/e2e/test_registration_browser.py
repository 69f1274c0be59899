"""The registration page in headless Chromium: the administrator registers a list with one under-age
candidate and the page refuses it with the same words as `saylau registration check`; a lawful list is
registered, and a withdrawn candidate stays on the page, greyed.

Runs the real server (tests/e2e/test_service_browser.py's fixture). Screenshots land in the test's temporary
folder (and in $SAYLAU_SCREENSHOTS when set).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.conftest import log_in
from tests.e2e.test_browser import ARGS, CHROMIUM
from tests.service.conftest import ADMIN_PASSWORD

sync_api = pytest.importorskip("playwright.sync_api")

UNDER_AGE = "lists.csv:58 [date_of_birth]: Aru Seitova is 19 on 2023-03-19; a mäslihat candidate must be at least 20"
BAYTAQ = "Marat Ospanov; 1970-01-01; m\nAru Seitova; 2004-01-01; f\nDana Li; 1980-05-05; f"


def test_a_list_with_an_under_age_candidate_is_refused_on_the_page(server: str, tmp_path: Path) -> None:
    shots = Path(os.environ.get("SAYLAU_SCREENSHOTS", tmp_path))
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_context().new_page()
            log_in(page, server, "admin", password=ADMIN_PASSWORD)
            page.goto(f"{server}/admin/registration")
            page.select_option("select[name=party]", "Baytaq")
            page.fill("textarea[name=candidates]", BAYTAQ)
            page.click("form.register-list button[type=submit]")
            alert = page.locator("ul.errors li")
            assert alert.count() == 1
            assert alert.inner_text() == UNDER_AGE
            assert alert.get_attribute("data-code") == "registration-min-age"  # the code is for programs
            assert page.input_value("textarea[name=candidates]") == BAYTAQ  # what was typed is kept
            page.screenshot(path=str(shots / "registration-refused.png"), full_page=True)

            page.fill("textarea[name=candidates]", BAYTAQ.replace("2004-01-01", "1990-01-01"))
            page.click("form.register-list button[type=submit]")
            assert "Baytaq: registered" in page.locator("p.message").inner_text()
            rows = page.locator("#list-Baytaq tbody tr")
            assert rows.count() == 3
            page.locator("#list-Baytaq tbody tr").nth(1).locator("button").click()
            greyed = page.locator("#list-Baytaq tbody tr.withdrawn")
            assert greyed.count() == 1 and "Aru Seitova" in greyed.inner_text()
            assert page.eval_on_selector("#list-Baytaq tbody tr.withdrawn", "e => getComputedStyle(e).opacity") != "1"
            page.locator("#district-2 tbody tr").nth(1).locator("button").click()
            assert page.locator("#district-2 tbody tr.withdrawn").count() == 1
            page.screenshot(path=str(shots / "registration-withdrawn.png"), full_page=True)
        finally:
            browser.close()
