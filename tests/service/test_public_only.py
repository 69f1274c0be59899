"""`saylau serve --public-only`: the public's readers in their own processes, off the operators' path (issue 21)."""

from __future__ import annotations

import contextlib

import pytest
from fastapi.testclient import TestClient

from saylau.web import Settings, create_app, prepare
from tests.service.helpers import STATION_101_LIST, admin, user

SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@SQLITE
def test_a_public_only_process_serves_the_public_and_nothing_else(settings: Settings, client: TestClient) -> None:
    public_settings = settings.model_copy(update={"public_only": True})
    database, _ = prepare(public_settings)
    with contextlib.closing(database), TestClient(create_app(public_settings, database)) as public:
        for path in ("/", "/live", "/projector", "/api/public/results.json", "/api/public/results.csv"):
            assert public.get(path).status_code == 200, path
            assert public.get(path).headers["x-frame-options"] == "DENY"
        for method, path in (("post", "/api/login"), ("get", "/staff"), ("get", "/login"), ("get", "/api/users")):
            assert public.request(method, path).status_code == 404, path
        operator = user(client, "op1", "operator", [1])  # the operators' process, over the same database
        client.post("/api/protocols/101/list/entries", json=STATION_101_LIST, headers=operator)
        assert client.get("/api/audit", headers=admin(client)).json()[-1]["action"] == "enter"
        assert public.get("/api/public/results.json").json()["status"] in ("partial", "complete")
