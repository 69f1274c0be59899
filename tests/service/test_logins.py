"""Logins that cannot be turned against users (issue 21): limits per client and per name, many clerks behind
one address, equal work for unknown names, the password policy in kk/ru/en, the log of failed logins (which
leaves the public version where it was), and NUL in a login name."""

from __future__ import annotations

import contextlib
import time
import types
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from saylau.service import passwords, users
from saylau.service.errors import Invalid, TooManyAttempts
from saylau.service.permissions import Role
from saylau.store import Database
from saylau.web import Settings, create_app, prepare
from saylau.web.snapshot import head
from tests.service.conftest import ADMIN_PASSWORD
from tests.service.helpers import STATION_101_LIST, admin, page_login, user

SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
OWNER_PASSWORD = "chief-of-almaty-7"


@pytest.fixture
def database(settings: Settings) -> Iterator[Database]:
    """The prepared database (Almaty), with the city coordinator `chief`."""
    found, _ = prepare(settings)
    with found.unit_of_work() as connection:
        users.add(connection, None, "chief", OWNER_PASSWORD, Role.COORDINATOR)
    with contextlib.closing(found):
        yield found


def _try(database: Database, name: str, password: str, client: str, now: float) -> str:
    """'ok', 'wrong' or 'limited': what one login attempt from `client` at `now` got."""
    try:
        with database.unit_of_work() as connection:
            made = users.login(connection, name, password, now=now, client=client)
    except TooManyAttempts:
        return "limited"
    return "ok" if made is not None else "wrong"


def test_one_client_is_slowed_more_and_more_but_other_clients_are_not(database: Database) -> None:
    now = 1_000_000.0
    for _ in range(users.CLIENT_FREE):
        assert _try(database, "chief", "guess-guess-1", "203.0.113.9", now) == "wrong"
    assert _try(database, "chief", OWNER_PASSWORD, "203.0.113.9", now) == "limited"  # even the right one
    assert _try(database, "chief", OWNER_PASSWORD, "198.51.100.1", now) == "ok"  # the owner elsewhere
    waits = []
    for _ in range(4):  # each wrong try doubles the wait: 1, 2, 4, 8 s
        wait = 1
        while _try(database, "chief", "guess-guess-1", "203.0.113.9", now + wait) == "limited":
            wait += 1
        now += wait
        waits.append(wait)
    assert waits == [1, 2, 4, 8]
    with database.unit_of_work() as connection, pytest.raises(TooManyAttempts) as refused:
        users.login(connection, "chief", "guess-guess-1", now=now + 1, client="203.0.113.9")
    assert refused.value.retry_after == 15  # 16 s after the last wrong try


def test_the_lock_out_attempt_leaves_the_owner_in(database: Database) -> None:
    """An attacker with many addresses fails the name over its limit: the owner, from where they logged in
    before, still gets in; an unknown address is kept out until the window has passed."""
    now = 2_000_000.0
    assert _try(database, "chief", OWNER_PASSWORD, "192.0.2.10", now - 86400) == "ok"  # yesterday, the office
    for attempt in range(users.NAME_LIMIT):
        assert _try(database, "chief", f"guess-{attempt}-x", f"203.0.113.{attempt}", now) == "wrong"
    assert _try(database, "chief", "guess-last-x", "203.0.113.200", now) == "limited"
    assert _try(database, "chief", OWNER_PASSWORD, "192.0.2.10", now + 1) == "ok"  # the owner's known client
    assert _try(database, "chief", OWNER_PASSWORD, "198.51.100.7", now + 1) == "limited"  # a new one waits
    assert _try(database, "admin", ADMIN_PASSWORD, "198.51.100.7", now + 1) == "ok"  # other names are not held
    assert _try(database, "chief", OWNER_PASSWORD, "198.51.100.7", now + users.WINDOW + 1) == "ok"


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_an_attacker_hammering_over_http_does_not_lock_the_owner_out(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The service's clock stands still: 40 password hashes on a loaded machine can take longer than the last
    # wait, and the wait would then have passed by the time the right password comes (seen at load 11).
    frozen = time.time()
    monkeypatch.setattr(users, "time", types.SimpleNamespace(time=lambda: frozen))
    database, _ = prepare(settings)
    with database.unit_of_work() as connection:
        users.add(connection, None, "chief", OWNER_PASSWORD, Role.COORDINATOR)
    app = create_app(settings, database)
    with contextlib.closing(database), TestClient(app, client=("203.0.113.66", 4000)) as attacker:
        owner = TestClient(app, client=("192.0.2.10", 5000))
        answers = [attacker.post("/api/login", json={"name": "chief", "password": f"guess-{n}-x"}) for n in range(40)]
        assert {a.status_code for a in answers} == {401, 429}
        wrong = sum(a.status_code == 401 for a in answers)
        assert users.CLIENT_FREE <= wrong <= users.CLIENT_FREE + 4  # the waits double: 2**4 - 1 s is 15 s of tries
        limited = attacker.post("/api/login", json={"name": "chief", "password": OWNER_PASSWORD})
        assert limited.status_code == 429, "the right password, but from the attacking client"
        assert limited.json()["code"] == "too-many-attempts" and int(limited.headers["retry-after"]) >= 1
        assert owner.post("/api/login", json={"name": "chief", "password": OWNER_PASSWORD}).status_code == 200
        failed = attacker.get("/api/audit/logins", headers=admin(owner)).json()
        assert len(failed) == wrong
        assert {(r["name"], r["client"]) for r in failed} == {("chief", "203.0.113.66")}
        assert all(r["at"].endswith("+00:00") for r in failed)
        assert owner.get("/api/audit/logins", headers=user(owner, "watcher", "observer")).status_code == 403
        assert attacker.get("/api/audit/logins").status_code == 401


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_staff_only_writes_leave_the_public_version_where_it_was(client: TestClient) -> None:
    """Adding and disabling a user and setting a password change nothing the public sees: the public results
    keep their version and ETag (a reader's cache stays good), while the audit chain records each write; the
    next protocol entered moves the version on."""
    headers = admin(client)
    before = client.get("/api/public/results.json")
    version, etag = before.json()["version"], before.headers["etag"]
    chain = client.get("/api/audit/verify", headers=headers).json()["rows"]
    body = {"name": "temp", "password": "pw-temp-123", "role": "operator", "districts": [1]}
    assert client.post("/api/users", json=body, headers=headers).status_code == 201
    password = client.post("/api/users/temp/password", json={"password": "pw-temp-456789"}, headers=headers)
    assert password.status_code == 200, password.text
    assert client.post("/api/users/temp/disable", headers=headers).status_code == 200
    assert client.get("/api/audit/verify", headers=headers).json()["rows"] == chain + 3
    after = client.get("/api/public/results.json")
    assert after.json()["version"] == version and after.headers["etag"] == etag
    assert client.get("/api/public/results.json", headers={"If-None-Match": etag}).status_code == 304
    assert head(client.app.state.database) == version  # type: ignore[attr-defined]
    operator = user(client, "op", "operator", [1])
    entered = client.post("/api/protocols/101/list/entries", json=STATION_101_LIST, headers=operator)
    assert entered.status_code == 200, entered.text
    assert head(client.app.state.database) > version  # type: ignore[attr-defined]


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_failed_logins_leave_the_public_version_where_it_was(client: TestClient) -> None:
    """A wrong password is the one write anybody can make: it must not move the version the public results
    carry (their ETag, the published versions), nor write into the audit chain."""
    headers = admin(client)
    before = client.get("/api/public/results.json")
    version, etag = before.json()["version"], before.headers["etag"]
    chain = client.get("/api/audit/verify", headers=headers).json()["rows"]
    attempts = [("admin", "wrong-password-1"), ("nobody-at-all", "wrong-password-2"), ("ad", "x")]
    answers = []
    for n in range(3):  # by the API and by the page, known and unknown names, until the client must wait
        for name, password in attempts:
            answers.append(client.post("/api/login", json={"name": name, "password": password}).status_code)
            answers.append(page_login(client, name, f"{password}-{n}").status_code)
    assert answers.count(401) >= users.CLIENT_FREE and 429 in answers
    elsewhere = TestClient(client.app, client=("192.0.2.7", 5000))  # a right password writes a session only
    assert page_login(elsewhere, "admin", ADMIN_PASSWORD).status_code == 303
    assert elsewhere.post("/api/login", json={"name": "admin", "password": ADMIN_PASSWORD}).status_code == 200
    assert len(client.get("/api/audit/logins", headers=headers).json()) >= users.CLIENT_FREE
    after = client.get("/api/public/results.json")
    assert after.json()["version"] == version and after.headers["etag"] == etag
    assert client.get("/api/public/results.json", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/api/audit/verify", headers=headers).json()["rows"] == chain
    assert "login-failed" not in {r["action"] for r in client.get("/api/audit?limit=1000", headers=headers).json()}


def test_fifty_clerks_behind_one_address_get_in_despite_their_typos(database: Database) -> None:
    """A polling station's router: every clerk has one client address. Right passwords never count, and a
    typo stops counting once its clerk is in, so 50 clerks who each mistype once all get in; only a burst of
    `CLIENT_FREE` typos of clerks not yet in holds the address back, for a second (docs/service.md)."""
    station = "192.0.2.50"
    clerks = [f"clerk{n:02d}" for n in range(50)]
    with database.unit_of_work() as connection:
        for name in clerks:
            users.add(connection, None, name, f"{name}-pass-phrase", Role.OPERATOR)
    now = 4_000_000.0
    assert [_try(database, name, f"{name}-pass-phrase", station, now) for name in clerks] == ["ok"] * 50
    now += users.WINDOW + 1
    for name in clerks:  # one typo each, then the right password, the whole shift within a minute
        assert _try(database, name, f"{name}-pass-phrse", station, now) == "wrong"
        assert _try(database, name, f"{name}-pass-phrase", station, now) == "ok", name
    now += 1
    burst = clerks[: users.CLIENT_FREE]  # five clerks mistype before any of them is in
    assert [_try(database, name, "typo-typo-typo", station, now) for name in burst] == ["wrong"] * len(burst)
    assert _try(database, clerks[40], f"{clerks[40]}-pass-phrase", station, now) == "limited"  # the trade-off
    assert _try(database, clerks[40], f"{clerks[40]}-pass-phrase", "198.51.100.4", now) == "ok"  # elsewhere
    assert _try(database, clerks[40], f"{clerks[40]}-pass-phrase", station, now + 1) == "ok"  # a second later
    for name in burst:  # the five get in, and their typos no longer count
        assert _try(database, name, f"{name}-pass-phrase", station, now + 1) == "ok"
    assert _try(database, clerks[41], "typo-typo-typo", station, now + 1) == "wrong"
    assert _try(database, clerks[41], f"{clerks[41]}-pass-phrase", station, now + 1) == "ok"


def test_an_attacker_behind_the_same_address_cannot_clear_the_delay_with_an_account_of_their_own(
    database: Database,
) -> None:
    """Logging in as oneself clears one's own typos only: the guesses at another name still count."""
    station = "192.0.2.60"
    with database.unit_of_work() as connection:
        users.add(connection, None, "insider", "insider-pass-phrase", Role.OPERATOR)
    now = 5_000_000.0
    for n in range(users.CLIENT_FREE):
        assert _try(database, "chief", f"guess-{n}-x", station, now) == "wrong"
    assert _try(database, "insider", "insider-pass-phrase", station, now) == "limited"
    assert _try(database, "insider", "insider-pass-phrase", station, now + 1) == "ok"
    assert _try(database, "chief", "guess-5-x", station, now + 1) == "wrong"
    assert _try(database, "chief", "guess-6-x", station, now + 1) == "limited"  # the delay doubled, not cleared
    assert _try(database, "chief", OWNER_PASSWORD, station, now + 2) == "limited"


def test_an_unknown_name_costs_the_same_argon2_check_as_a_known_one(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The answer's time cannot tell whether a name exists: both check one argon2id hash of the same cost."""
    checked: list[str] = []
    matches = users._matches

    def counting(hashed: str, password: str) -> bool:
        checked.append(hashed.rsplit("$", 2)[0])  # algorithm, version and cost, without salt and digest
        return matches(hashed, password)

    monkeypatch.setattr(users, "_matches", counting)
    assert _try(database, "chief", "not-the-password", "192.0.2.1", 3_000_000) == "wrong"
    assert _try(database, "nobody-here", "not-the-password", "192.0.2.2", 3_000_000) == "wrong"
    with database.unit_of_work() as connection:
        users.disable(connection, None, "chief")
    assert _try(database, "chief", OWNER_PASSWORD, "192.0.2.3", 3_000_000) == "wrong"
    assert len(checked) == 3 and len(set(checked)) == 1
    assert checked[0].startswith("$argon2id$v=19$m=19456,t=2,p=1")


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("password", "attackers try first"),
        ("Password123!", "attackers try first"),
        ("йцукенгш", "attackers try first"),
        (" " * 8, "characters other than spaces"),
        ("\x00" * 8, "control or invisible"),
        ("pass\u202eword-x", "control or invisible"),
        ("short-1", "characters other than spaces"),
        ("abababababab", "repeat one or two"),
        ("chief-chief", None),
        ("chief", "characters other than spaces"),
    ],
)
def test_the_password_policy(password: str, why: str | None) -> None:
    found = passwords.password_problem(password, "chief")
    assert (found.message if found else None) == why or (why is not None and found and why in found.message)


def test_a_password_equal_to_the_name_is_refused() -> None:
    found = passwords.password_problem("almaty-chief", "almaty-chief")
    assert found is not None and "name" in found.message


@SQLITE
@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "attackers try first"), ("kk", "шабуылдаушылар"), ("ru", "злоумышленники")],
)
def test_weak_passwords_are_refused_in_the_callers_language(client: TestClient, lang: str, words: str) -> None:
    body = {"name": "op9", "password": "qwerty123", "role": "operator", "districts": [1]}
    refused = client.post("/api/users", json=body, headers={**admin(client), "Accept-Language": lang})
    assert refused.status_code == 422
    assert refused.json()["code"] == "weak-password" and refused.json()["field"] == "password"
    assert words in refused.json()["message"]


@SQLITE
def test_users_get_only_districts_that_exist(client: TestClient) -> None:
    body = {"name": "op9", "password": "op9-password-1", "role": "operator", "districts": [1, 99]}
    refused = client.post("/api/users", json=body, headers={**admin(client), "Accept-Language": "ru"})
    assert refused.status_code == 422 and refused.json()["field"] == "districts"
    assert refused.json()["message"] == "в этих выборах нет округа 99"
    huge = client.post("/api/users", json={**body, "districts": [2**63]}, headers=admin(client))
    assert huge.status_code == 422 and huge.json()["field"] == "districts.0"
    assert client.post("/api/users", json={**body, "districts": [1, 21]}, headers=admin(client)).status_code == 201
    with pytest.raises(Invalid):
        users.parse_districts("1,٢")  # Arabic-Indic two is not a number (docs/limits.md)


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_a_nul_in_a_login_name_is_refused_not_a_server_error(client: TestClient) -> None:
    for lang, words in (("en", "cannot be stored"), ("kk", "сақтауға болмайтын"), ("ru", "нельзя сохранить")):
        answer = client.post(
            "/api/login", json={"name": "ad\x00min", "password": "x"}, headers={"Accept-Language": lang}
        )
        assert answer.status_code == 422, answer.text
        assert answer.json()["field"] == "name" and words in answer.json()["message"]
    form = client.post("/login", data={"name": "ad\x00min", "password": "x", "csrf": "t"})
    assert form.status_code == 422 and form.json()["field"] == "name"
    assert client.get("/api/users/ad%00min/disable").status_code in (405, 422)
    assert client.post("/api/users/ad%00min/disable", headers=admin(client)).status_code == 422
    lone = b'{"name": "admin", "password": "\\ud800"}'  # a lone surrogate, as JSON may write it
    answer = client.post("/api/login", content=lone, headers={"Content-Type": "application/json"})
    assert answer.status_code == 422 and answer.json()["field"] == "password"
