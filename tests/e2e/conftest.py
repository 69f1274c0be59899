"""Fixtures of the browser tests: the results service as a real server on a free port of 127.0.0.1."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from saylau.web import Settings, create_app, prepare
from tests.service.conftest import ADMIN_PASSWORD, ALMATY


@pytest.fixture
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The service on a free port; its URL. Over the Almaty example, or (indirect parameter) the folder a
    function writes into the test's temporary folder."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    folder = request.param(tmp_path) if hasattr(request, "param") else ALMATY
    settings = Settings(folder=folder, data=tmp_path / "data", admin_password=ADMIN_PASSWORD, port=port)
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
