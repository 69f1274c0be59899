"""Schemathesis against the running service (`saylau serve` in its own process), as each role, on SQLite and
PostgreSQL (issue 21): every answer is documented (status and content type) and none is a server error.

Schemathesis reads the service's own OpenAPI document and draws requests from it, valid and invalid ones
(every operation, every role: the public, an observer, an operator, a district and a city coordinator, the
administrator). Bounded and derandomised: `SAYLAU_SCHEMATHESIS` examples per operation and generation mode.
`make test` runs the smoke (default 3: about 290 requests per role and database); `make fuzz-service`, a
step of CI of its own (`.ci/run`), runs 50 (a few thousand requests per role and database) and prints how
many each role sent.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import content_type_conformance, status_code_conformance

from tests.service.conftest import ADMIN_PASSWORD
from tests.service.live import Server, small_election

EXAMPLES = int(os.environ.get("SAYLAU_SCHEMATHESIS", "3"))
ROLES: dict[str, tuple[str, list[int]] | None] = {
    "public": None,
    "observer": ("observer", []),
    "operator": ("operator", [1]),
    "coordinator-district": ("coordinator", [1]),
    "coordinator-city": ("coordinator", []),
    "administrator": ("administrator", []),
}
SKIPPED = {("POST", "/api/logout")}
"""Ending the role's own session would leave the rest of its run as the public (the public run covers it)."""


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[Server]:
    running = Server(small_election(tmp_path / "election"), database_url, tmp_path / "serve.log")
    running.start()
    try:
        yield running
    finally:
        running.stop()


def _headers(url: str, role: str) -> dict[str, str]:
    made = ROLES[role]
    if made is None:
        return {}
    admin = httpx.post(f"{url}/api/login", json={"name": "admin", "password": ADMIN_PASSWORD}).json()["token"]
    if role == "administrator":
        return {"Authorization": f"Bearer {admin}"}
    kind, districts = made
    password = f"pw-{role}-123"
    body = {"name": role, "password": password, "role": kind, "districts": districts}
    assert httpx.post(f"{url}/api/users", json=body, headers={"Authorization": f"Bearer {admin}"}).status_code == 201
    token = httpx.post(f"{url}/api/login", json={"name": role, "password": password}).json()["token"]
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_schemathesis_finds_no_server_error_and_no_undocumented_answer(server: Server, database_url: str) -> None:
    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
    roles = {role: _headers(server.url, role) for role in ROLES}  # all made before any run can disable them
    failures: list[str] = []
    sent: dict[str, int] = {}
    for role, headers in roles.items():
        sent[role] = 0
        for result in schema.get_all_operations():
            operation = result.ok()
            if (operation.method.upper(), operation.path) in SKIPPED and headers:
                continue
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                sent[role] += _fuzz(operation, mode, server.url, role, headers, failures)
    database = database_url.split(":", 1)[0].split("+", 1)[0]
    for role, count in sent.items():
        print(f"schemathesis {database} {role}: {count} requests")
    print(f"schemathesis {database}: {sum(sent.values())} requests, {len(failures)} failures")
    assert min(sent.values()) >= 10 * EXAMPLES and failures == [], "\n".join(failures[:20])


def _fuzz(
    operation: Any, mode: GenerationMode, url: str, role: str, headers: dict[str, str], failures: list[str]
) -> int:
    """Send `EXAMPLES` drawn requests of `operation` as `role`; each failed check is added to `failures`."""
    sent = 0

    @given(operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck)
    )
    def run(case: Any) -> None:
        nonlocal sent
        response = case.call(base_url=url, headers=headers, timeout=30)
        sent += 1
        try:
            case.validate_response(
                response, checks=[not_a_server_error, status_code_conformance, content_type_conformance]
            )
        except Exception as failed:  # every failure collected, none shrunk
            failures.append(f"{role} {case.method} {case.formatted_path}: {response.status_code}: {failed}")

    try:
        run()
    except Unsatisfiable:  # nothing to make invalid (an operation without parameters or body)
        assert mode is GenerationMode.NEGATIVE
    return sent
