"""Small helpers of the service tests: users, logins, and the Almaty example's figures as typed."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from tests.service.conftest import ADMIN_PASSWORD

STATION_101_LIST: dict[str, Any] = {
    "registered": 2451,
    "received": 2475,
    "issued": 659,
    "issued_absentee": 6,
    "issued_outside": 16,
    "cancelled": 1816,
    "found": 659,
    "invalid": 20,
    "against_all": 41,
    "votes": {"Amanat": 343, "QHP": 84, "Respublica": 74, "Baytaq": 52, "Aq Jol": 22, "Auyl": 23},
}
"""examples/almaty-2023/protocols/district-01.csv, station 101, list ballot."""
STATION_101_DISTRICT: dict[str, Any] = {
    "registered": 2451,
    "received": 2475,
    "issued": 552,
    "issued_absentee": 5,
    "issued_outside": 13,
    "cancelled": 1923,
    "found": 552,
    "invalid": 12,
    "against_all": 45,
    "votes": {"Аким Турсунов": 224, "District 1 candidate B": 152, "District 1 candidate C": 119},
}
"""examples/almaty-2023/protocols/district-01.csv, station 101, district ballot."""


def login(client: TestClient, name: str, password: str) -> dict[str, str]:
    """Bearer headers of a new session."""
    response = client.post("/api/login", json={"name": name, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def page_login(client: TestClient, name: str, password: str) -> Any:
    """Log in through the `/login` form, as a browser does (its CSRF cookie and field); the answer."""
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)
    assert csrf is not None
    return client.post("/login", data={"name": name, "password": password, "csrf": csrf[1]}, follow_redirects=False)


def admin(client: TestClient) -> dict[str, str]:
    """The first administrator's headers (one session per client)."""
    if not hasattr(client, "admin_headers"):
        client.admin_headers = login(client, "admin", ADMIN_PASSWORD)  # type: ignore[attr-defined]
    headers: dict[str, str] = client.admin_headers  # type: ignore[attr-defined]
    return headers


def user(client: TestClient, name: str, role: str, districts: list[int] | None = None) -> dict[str, str]:
    """Create a user (as admin) and log in as them."""
    body = {"name": name, "password": f"pw-{name}-123", "role": role, "districts": districts or []}
    response = client.post("/api/users", json=body, headers=admin(client))
    assert response.status_code == 201, response.text
    return login(client, name, f"pw-{name}-123")


def with_votes(figures: dict[str, Any], **votes: int) -> dict[str, Any]:
    """The figures with some options' votes replaced."""
    return {**figures, "votes": {**figures["votes"], **votes}}
