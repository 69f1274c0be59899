"""Accounts (issue 23): an administrator resets a password (API, page, `saylau users password`), audited,
argon2id as every password, the user's sessions ended; a backup restored without password hashes gives the
administrator a password as a fresh service does (SAYLAU_ADMIN_PASSWORD, or one generated and printed once)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from saylau.service import users
from saylau.store import open_database
from tests.service.conftest import ADMIN_PASSWORD
from tests.service.helpers import admin, login, user
from tests.service.test_backup import saylau

SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def _audit(client: TestClient) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = client.get("/api/audit?limit=1000", headers=admin(client)).json()
    return rows


@SQLITE
def test_an_administrator_sets_a_new_password_and_the_old_sessions_end(client: TestClient, database_url: str) -> None:
    old = user(client, "op1", "operator")
    assert client.get("/api/me", headers=old).status_code == 200
    answer = client.post("/api/users/op1/password", json={"password": "a-new-pass-phrase-9"}, headers=admin(client))
    assert answer.status_code == 200, answer.text
    assert client.get("/api/me", headers=old).status_code == 401  # the old session ended
    refused = client.post("/api/login", json={"name": "op1", "password": "pw-op1-123"})
    assert refused.status_code == 401
    assert client.get("/api/me", headers=login(client, "op1", "a-new-pass-phrase-9")).json()["name"] == "op1"
    row = [r for r in _audit(client) if r["action"] == "set-password"][-1]
    assert (row["subject"], row["user"], row["after"]) == ("op1", "admin", None)
    database = open_database(database_url, migrate=False)
    with database.unit_of_work() as connection:
        stored = connection.execute(text("SELECT password_hash FROM users WHERE name = 'op1'")).scalar_one()
    database.close()
    assert stored.startswith("$argon2id$") and "a-new-pass-phrase-9" not in json.dumps(_audit(client))


@SQLITE
def test_a_weak_or_unknown_password_reset_is_refused_in_the_callers_language(client: TestClient) -> None:
    user(client, "op1", "operator")
    weak = client.post("/api/users/op1/password?lang=ru", json={"password": "op1"}, headers=admin(client))
    assert (weak.status_code, weak.json()["code"]) == (422, "weak-password")
    assert re.search("[а-я]", weak.json()["message"])
    nobody = client.post(
        "/api/users/nobody/password?lang=kk", json={"password": "a-new-pass-phrase-9"}, headers=admin(client)
    )
    assert (nobody.status_code, nobody.json()["message"]) == (404, "nobody пайдаланушысы жоқ")
    assert client.post("/api/login", json={"name": "op1", "password": "pw-op1-123"}).status_code == 200


@SQLITE
def test_the_users_page_resets_a_password(client: TestClient) -> None:
    user(client, "op1", "operator")
    client.post("/api/login", json={"name": "admin", "password": ADMIN_PASSWORD})
    page = client.get("/admin/users?lang=kk")
    assert "Жаңа құпиясөз" in page.text and 'action="/admin/users/op1/password"' in page.text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf is not None
    done = client.post("/admin/users/op1/password?lang=kk", data={"csrf": csrf[1], "password": "a-new-pass-phrase-9"})
    assert done.status_code == 200 and "op1: құпиясөз орнатылды" in done.text
    client.cookies.clear()
    assert client.post("/api/login", json={"name": "op1", "password": "a-new-pass-phrase-9"}).status_code == 200


@SQLITE
def test_saylau_users_password_sets_it_from_the_command_line(
    client: TestClient, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    user(client, "op1", "operator")
    monkeypatch.setenv("SAYLAU_PASSWORD", "a-new-pass-phrase-9")
    assert "password of op1 set" in saylau("users", "password", "op1", "--database", database_url)
    assert client.post("/api/login", json={"name": "op1", "password": "a-new-pass-phrase-9"}).status_code == 200


@SQLITE
def test_a_backup_without_hashes_restores_an_administrator_who_can_log_in(
    client: TestClient, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user(client, "op1", "operator")
    made = tmp_path / "without.json"
    saylau("backup", str(made), "--database", database_url)
    monkeypatch.setenv("SAYLAU_ADMIN_PASSWORD", "restored-admin-pass-7")
    chosen = tmp_path / "chosen"
    out = saylau("restore", str(made), "--data", str(chosen))
    assert "password" not in out.split("audit log intact")[1]  # chosen, so nothing printed
    monkeypatch.delenv("SAYLAU_ADMIN_PASSWORD")
    generated_at = tmp_path / "generated"
    out = saylau("restore", str(made), "--data", str(generated_at))
    printed = re.search(r"administrator: admin, password (\S+) \(shown once", out)
    assert printed is not None
    for folder, password in ((chosen, "restored-admin-pass-7"), (generated_at, printed[1])):
        database = open_database(f"sqlite:///{folder / 'saylau.sqlite'}")
        with database.unit_of_work() as connection:
            assert users.login(connection, "admin", password) is not None
            assert users.login(connection, "op1", "pw-op1-123") is None  # others get new passwords from admin
            assert users.ensure_admin(connection, None) is None  # an administrator can log in: nothing to do
        database.close()
