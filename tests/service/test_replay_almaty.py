"""The Almaty example's 553 stations, replayed into the service with typing mistakes, certified and checked.

The certified council must equal `saylau results examples/almaty-2023` (the offline door); `saylau export`
then `saylau results` must give it again; `saylau verify` must say the bundle matches, and must say it does
not once one figure in it is changed. SQLite only: the PostgreSQL paths are the same use cases, covered by
the other service tests on both databases.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from saylau.replay import password_for, replay
from tests.integration.test_almaty_2023 import run_saylau
from tests.service.conftest import ADMIN_PASSWORD, ALMATY
from tests.service.helpers import login


def _council(result: dict[str, Any]) -> dict[str, Any]:
    """What must agree between the service and the offline tools: seats, votes, districts, deputies."""
    keep = ("list_votes", "list_seats", "district_seats", "seats")
    return {  # orders differ between views (registration order, seats): compare by name and number
        "parties": {p["name"]: {k: p[k] for k in keep} for p in result["parties"]},
        "districts": sorted((d["number"], d["status"], d["winner"]) for d in result["districts"]),
        "deputies": sorted((d["name"], d["party"]) for d in result["deputies"]),
    }


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_replay_with_mistakes_certify_export_verify(client: TestClient, tmp_path: Path, database_url: str) -> None:
    report = replay(lambda: client, ALMATY, ADMIN_PASSWORD, operators=1, mistakes=0.05, seed=11)
    assert report.entries == 2 * 553 * 2 and report.mistakes > 20 and report.resolved == report.mistakes
    again = replay(lambda: client, ALMATY, ADMIN_PASSWORD, operators=1)
    assert (again.entries, again.skipped) == (0, 553 * 2)  # a second run skips what is accepted

    coordinator = login(client, "replay-coordinator", password_for("replay-coordinator", ADMIN_PASSWORD))
    certified = client.post("/api/certify", headers=coordinator)
    assert certified.status_code == 200, certified.text
    bundle = client.get("/api/bundle").json()

    offline = run_saylau("results", str(ALMATY), "--json")
    assert offline.returncode == 0, offline.stderr
    expected = _council(json.loads(offline.stdout))
    assert _council(bundle["council"]) == expected
    assert expected["parties"]["Amanat"]["seats"] == 25  # the seed: Amanat 25 of 42

    out = tmp_path / "exported"
    exported = run_saylau("export", str(out), "--database", database_url)
    assert exported.returncode == 0, exported.stderr
    again_offline = run_saylau("results", str(out), "--json")
    assert again_offline.returncode == 0, again_offline.stderr
    assert _council(json.loads(again_offline.stdout)) == expected

    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    verified = run_saylau("verify", str(path))
    assert verified.returncode == 0 and verified.stdout.startswith("matches"), verified.stdout + verified.stderr

    # One figure changed, consistently (the checks still pass): Auyl takes 4,000 more list votes at one station.
    changed = next(p for p in bundle["protocols"] if p["ballot"] == "list")
    for line in ("found", "issued"):
        changed[line] += 4000
    changed["received"] += 4000
    changed["votes"]["Auyl"] += 4000
    path.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    tampered = run_saylau("verify", str(path))
    assert tampered.returncode == 1
    assert "SHA-256 does not match" in tampered.stdout and "council.parties" in tampered.stdout
