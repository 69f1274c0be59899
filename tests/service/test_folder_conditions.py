"""No route answers 5xx because of what a folder lacks (issue 21, item 1: "a 4xx ... never a 500").

A folder without a `date` (as `saylau synth` writes it) cannot have a NIST report: the public download said
500, through the fast path and through FastAPI's route alike. It is now `409 no-date` in the reader's
language, and the public page offers no NIST link for such an election. Then every GET route of the app,
pages included, is asked by each role over a date-less folder, a `saylau synth` folder and a folder without
protocols: none answers 5xx.
"""

from __future__ import annotations

import contextlib
import csv
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute

from saylau.web import Settings, create_app, prepare
from tests.service.conftest import ADMIN_PASSWORD
from tests.service.helpers import page_login
from tests.service.live import small_election

SAYLAU = [sys.executable, "-m", "saylau"]
NIST = "/api/public/results.nist.json"
NO_DATE = {
    "kk": "сайлаудың күні көрсетілмеген",
    "ru": "у этих выборов не указана дата",
    "en": "this election has no date",
}
"""The refusal's words in each catalogue (src/saylau/locale), as a reader sees them."""


def _undated(folder: Path) -> Path:
    """`small_election` with the `date = ...` line of election.toml removed."""
    small_election(folder)
    toml = folder / "election.toml"
    text = toml.read_text(encoding="utf-8")
    undated = re.sub(r"(?m)^date\s*=.*\n", "", text)
    assert undated != text
    toml.write_text(undated, encoding="utf-8")
    return folder


def _synth(folder: Path) -> Path:
    made = subprocess.run(
        [*SAYLAU, "synth", str(folder), "--seed", "3", "--districts", "3", "--stations", "12", "--parties", "3"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    assert "date" not in (folder / "election.toml").read_text(encoding="utf-8").split("[", 1)[0]
    return folder


def _without_protocols(folder: Path) -> Path:
    small_election(folder)
    for path in (folder / "protocols").iterdir():
        path.unlink()
    (folder / "protocols").rmdir()
    return folder


@contextlib.contextmanager
def _app(folder: Path, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(
        folder=folder,
        database=f"sqlite:///{tmp_path / (folder.name + '.sqlite')}",
        admin_password=ADMIN_PASSWORD,
        secure_cookies=False,
    )
    database, _ = prepare(settings)
    with contextlib.closing(database), TestClient(create_app(settings, database), raise_server_exceptions=False) as c:
        yield c


def test_the_nist_download_of_an_election_without_a_date_is_a_409_in_the_readers_language(tmp_path: Path) -> None:
    with _app(_undated(tmp_path / "undated"), tmp_path) as client:
        for lang, words in NO_DATE.items():
            for asked in ({"params": {"lang": lang}}, {"headers": {"Accept-Language": lang}}):
                answer = client.get(NIST, **asked)  # type: ignore[arg-type]
                assert answer.status_code == 409, answer.text
                assert answer.json()["code"] == "no-date" and answer.json()["field"] == "date"
                assert words in answer.json()["message"], answer.json()
        assert client.get("/api/public/results.json").status_code == 200
        assert client.get("/api/public/results.csv").status_code == 200
        page = client.get("/?lang=kk")
        assert page.status_code == 200 and "results.csv" in page.text and "results.nist.json" not in page.text


def test_an_election_with_a_date_still_offers_and_serves_its_nist_report(tmp_path: Path) -> None:
    with _app(small_election(tmp_path / "dated"), tmp_path) as client:
        answer = client.get(NIST)
        assert answer.status_code == 200 and answer.json()["@type"] == "ElectionResults.ElectionReport"
        assert "results.nist.json" in client.get("/").text


def _get_paths(routes: list[BaseRoute], prefix: str = "") -> Iterator[str]:
    """Every GET path of the app, routers included (FastAPI keeps an included router's routes apart)."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from _get_paths(included.routes, prefix + (getattr(route.include_context, "prefix", "") or ""))
        elif "GET" in (getattr(route, "methods", None) or set()):
            yield prefix + route.path  # type: ignore[attr-defined]


def _filled(path: str, station: str) -> list[str]:
    """`path` with its parameters filled by values that exist in the folder (each ballot for `{ballot}`)."""
    values = {"station": station, "commission": "city", "contest": "main", "district": "1", "upload": "1"}
    values["scan_id"] = "1"
    ballots = ["list", "district"] if "{ballot}" in path else [""]
    out = []
    for ballot in ballots:
        filled = path.replace("{ballot}", ballot)
        for name, value in values.items():
            filled = filled.replace("{" + name + "}", value)
        out.append(filled)
    return out


ROLES = {
    "public": None,
    "admin": (ADMIN_PASSWORD, "administrator", []),
    "chief": ("chief-pass-123", "coordinator", []),
    "operator": ("operator-pass-123", "operator", [1]),
    "observer": ("observer-pass-123", "observer", []),
}


@pytest.mark.parametrize("kind", ["undated", "synth", "without-protocols"])
def test_no_get_route_answers_5xx_for_any_role_on_an_odd_folder(tmp_path: Path, kind: str) -> None:
    make = {"undated": _undated, "synth": _synth, "without-protocols": _without_protocols}[kind]
    folder = make(tmp_path / kind)
    with (folder / "stations.csv").open(encoding="utf-8", newline="") as handle:
        station = next(csv.DictReader(handle))["station"]
    with _app(folder, tmp_path) as client:
        token = client.post("/api/login", json={"name": "admin", "password": ADMIN_PASSWORD}).json()["token"]
        paths = sorted({p for path in _get_paths(client.app.routes) for p in _filled(path, station)})  # type: ignore[attr-defined]
        assert len(paths) > 40 and NIST in paths and "/staff" in paths
        failures, asked = [], 0
        for role, made in ROLES.items():
            headers = {}
            if made is not None:
                password, kind_of, districts = made
                if role != "admin":
                    body = {"name": role, "password": password, "role": kind_of, "districts": districts}
                    added = client.post("/api/users", json=body, headers={"Authorization": f"Bearer {token}"})
                    assert added.status_code == 201, added.text
                login = client.post("/api/login", json={"name": role, "password": password})
                headers = {"Authorization": f"Bearer {login.json()['token']}"}
                assert page_login(client, role, password).status_code == 303  # the pages' cookie
            for path in paths:
                for query in ("", "?lang=kk&district=1&page=2"):
                    answer = client.get(path + query, headers=headers)
                    asked += 1
                    if answer.status_code >= 500:
                        failures.append(f"{role} GET {path}{query}: {answer.status_code}")
            client.cookies.clear()
    assert asked > 400 and failures == [], "\n".join(failures)
