"""Sessions, CSRF, the login limit, disabled users, and the users/audit commands (SQLite)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from saylau.web import Settings, create_app, prepare
from tests.service.conftest import ADMIN_PASSWORD, ALMATY
from tests.service.helpers import STATION_101_LIST, admin, user

SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@SQLITE
def test_the_session_cookie_is_secure_httponly_strict(settings: Settings) -> None:
    secure = settings.model_copy(update={"secure_cookies": True})
    database, _ = prepare(secure)
    with TestClient(create_app(secure, database), base_url="https://testserver") as client:
        response = client.post("/api/login", json={"name": "admin", "password": ADMIN_PASSWORD})
        cookie = response.headers["set-cookie"].lower()
        assert "httponly" in cookie and "secure" in cookie and "samesite=strict" in cookie
    database.close()


@SQLITE
def test_a_cookie_borne_write_needs_the_csrf_token(client: TestClient) -> None:
    user(client, "op1", "operator", [1])
    login = client.post("/api/login", json={"name": "op1", "password": "pw-op1-123"}).json()
    forged = client.post("/api/protocols/101/list/entries", json=STATION_101_LIST)  # the cookie alone
    assert forged.status_code == 403 and forged.json()["code"] == "csrf"
    sent = client.post(
        "/api/protocols/101/list/entries", json=STATION_101_LIST, headers={"X-CSRF-Token": login["csrf"]}
    )
    assert sent.json() == {"state": "first-entry"}


@SQLITE
def test_disabling_a_user_ends_their_sessions(client: TestClient) -> None:
    headers = user(client, "op1", "operator", [1])
    assert client.get("/api/me", headers=headers).status_code == 200
    assert client.post("/api/users/op1/disable", headers=admin(client)).status_code == 200
    assert client.get("/api/me", headers=headers).status_code == 401
    assert client.post("/api/login", json={"name": "op1", "password": "pw-op1-123"}).status_code == 401


def _saylau(*args: str, password: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SAYLAU_PASSWORD": password or ""}
    return subprocess.run([sys.executable, "-m", "saylau", *args], capture_output=True, text=True, env=env, timeout=120)


def test_users_and_audit_commands(tmp_path: Path) -> None:
    data = tmp_path / "data"
    database, generated = prepare(Settings(folder=ALMATY, data=data))
    database.close()
    assert generated is not None and len(generated) >= 12  # no SAYLAU_ADMIN_PASSWORD: generated, shown once
    added = _saylau(
        "users", "add", "anna", "--role", "operator", "--districts", "1,2", "--data", str(data), password="pw-anna-123"
    )
    assert added.returncode == 0, added.stderr
    unknown = _saylau("users", "add", "bob", "--role", "typist", "--data", str(data), password="pw-bob-1234")
    assert unknown.returncode == 2 and "unknown role 'typist'" in unknown.stderr
    assert _saylau("users", "disable", "anna", "--data", str(data)).returncode == 0
    listed = _saylau("users", "list", "--data", str(data)).stdout.splitlines()
    assert listed == ["admin\tadministrator\tcity\tactive", "anna\toperator\t1,2\tdisabled"]
    verified = _saylau("audit", "verify", "--data", str(data))
    assert verified.returncode == 0 and verified.stdout.startswith("audit log intact: 4 rows")
    missing = _saylau("audit", "verify", "--data", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "is not a folder" in missing.stderr


def test_a_database_that_cannot_be_opened_is_one_line_without_the_password() -> None:
    done = _saylau("audit", "verify", "--database", "postgresql+psycopg://saylau:secret@127.0.0.1:1/none")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "cannot open the database" in done.stderr and "secret" not in done.stderr
