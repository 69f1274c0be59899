"""Fixtures of the browser tests: the results service as a real server on a free port of 127.0.0.1, and
headless Chromium (Debian's, `CHROMIUM`)."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from saylau.store.temporary import free_port
from saylau.web import Settings, create_app, prepare
from tests.service.conftest import ADMIN_PASSWORD, ALMATY


@contextlib.contextmanager
def serving(folder: Path, data: Path, port: int) -> Iterator[str]:
    """The service over `folder` with its database in `data`, on `port`, until the block ends; its URL. Started
    again on the same `data` and `port`, it is the same service after a restart."""
    settings = Settings(folder=folder, data=data, admin_password=ADMIN_PASSWORD, port=port)
    database, _ = prepare(settings)
    config = uvicorn.Config(create_app(settings, database), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert running.started, "the server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        running.should_exit = True
        thread.join(timeout=30)
        database.close()


def log_in(page: Any, url: str, name: str, lang: str | None = None, password: str | None = None) -> None:
    """`name` logged in on the staff login page of the service at `url` (in `lang`, where given), by keyboard:
    the password is the tests' own for `name` (`pw-NAME-123`) unless given; returns on the staff page."""
    page.goto(f"{url}/login" + (f"?lang={lang}" if lang else ""))
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password or f"pw-{name}-123")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{url}/staff*")


@pytest.fixture
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The service on a free port; its URL. Over the Almaty example, or (indirect parameter) the folder a
    function writes into the test's temporary folder."""
    folder = request.param(tmp_path) if hasattr(request, "param") else ALMATY
    with serving(folder, tmp_path / "data", free_port()) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium (Debian's, `CHROMIUM`), for the tests of one module."""
    sync_api = pytest.importorskip("playwright.sync_api")
    from tests.e2e.test_browser import ARGS, CHROMIUM

    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield launched
        finally:
            launched.close()
