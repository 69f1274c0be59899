"""Crash test: `saylau serve` killed with SIGKILL at random moments while operators type; nothing acknowledged is lost.

Each backend's server is killed `CYCLES` times while four pairs of operators type every protocol of a small
copy of the Almaty example twice. After each kill the server is started again and the operators carry on
from whatever state they find. At the end: every entry the server acknowledged is still there with the same
figures, no protocol is half-written (its row is what its last audit row says), the audit chain verifies,
and certification gives the council the uninterrupted count of the same folder gives.
"""

from __future__ import annotations

import json
import random
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from saylau.replay import figures
from saylau.service import audit, definition
from saylau.service.results import council, count
from saylau.store import open_database
from saylau.store.tables import audit as audit_table
from saylau.store.tables import protocols as protocols_table
from tests.service.conftest import ADMIN_PASSWORD, BACKENDS
from tests.service.live import Server, add_user, login, protocols_of, small_election

CYCLES = 10
"""Kills per backend (two backends: 20 in all)."""
PAIRS = 4


class Typists:
    """Pairs of operators and a coordinator bringing every protocol to accepted through any number of crashes."""

    def __init__(self, url: str, folder: Path) -> None:
        self.url = url
        admin = login(url, "admin", ADMIN_PASSWORD)
        self.pairs = [
            (add_user(url, admin, f"op{k}a", "operator"), add_user(url, admin, f"op{k}b", "operator"))
            for k in range(PAIRS)
        ]
        self.coordinator = add_user(url, admin, "chief", "coordinator")
        self.todo = protocols_of(folder)
        self.acknowledged: list[tuple[int, str, str, dict[str, Any]]] = []
        self.server_errors: list[str] = []
        self.lock = threading.Lock()

    def run(self) -> list[threading.Thread]:
        threads = [threading.Thread(target=self._work, args=(k,), daemon=True) for k in range(PAIRS)]
        for t in threads:
            t.start()
        return threads

    def _work(self, k: int) -> None:
        names = (f"op{k}a", f"op{k}b")
        with httpx.Client(base_url=self.url, timeout=30) as client:
            for protocol in self.todo[k::PAIRS]:
                path = f"/api/protocols/{protocol.station}/{protocol.ballot}"
                while not self._step(client, path, protocol.station, protocol.ballot, figures(protocol), names, k):
                    pass

    def _step(
        self, client: httpx.Client, path: str, station: int, ballot: str, typed: dict[str, Any], names: Any, k: int
    ) -> bool:
        """One move towards accepted; True once accepted. A dropped connection (the kill) just means: look again."""
        try:
            view = client.get(path, headers=self.coordinator)
            self._no_5xx(view)
            if view.status_code != 200:
                return False
            found = view.json()
            if found["state"] == "accepted":
                return True
            if found["state"] in ("empty", "first-entry"):
                side = 1 if found["first"] and found["first"]["by"] == names[0] else 0
                answer = client.post(f"{path}/entries", json=typed, headers=self.pairs[k][side])
                self._no_5xx(answer)
                if answer.status_code == 200:
                    with self.lock:
                        self.acknowledged.append((station, ballot, names[side], typed))
            elif found["state"] == "warnings":
                reason = {"reason": "the paper protocol says so"}
                self._no_5xx(client.post(f"{path}/accept-warnings", json=reason, headers=self.coordinator))
            else:
                with self.lock:
                    self.server_errors.append(f"{path}: unexpected state {found['state']}")
                return True
        except httpx.TransportError:
            time.sleep(0.05)
        return False

    def _no_5xx(self, response: httpx.Response) -> None:
        if response.status_code >= 500:
            with self.lock:
                self.server_errors.append(f"{response.request.url}: {response.status_code} {response.text[:200]}")


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
def test_killing_the_server_loses_no_acknowledged_entry(database_url: str, tmp_path: Path) -> None:
    folder = small_election(tmp_path / "election", per_district=1)
    server = Server(folder, database_url, tmp_path / "serve.log")
    server.start()
    try:
        typists = Typists(server.url, folder)
        threads = typists.run()
        rng = random.Random(12)
        for _ in range(CYCLES):
            time.sleep(rng.uniform(0.05, 0.6))
            server.kill()
            server.start()
        for t in threads:
            t.join(timeout=300)
        assert not any(t.is_alive() for t in threads), "the operators did not finish"
        assert typists.server_errors == []
        lost = _lost(typists, server.url)
        certified = httpx.post(f"{server.url}/api/certify", headers=typists.coordinator, timeout=60)
        assert certified.status_code == 200, certified.text
        bundle = httpx.get(f"{server.url}/api/bundle", timeout=60).json()
    finally:
        server.stop()
    print(f"\ncrash cycles: {CYCLES}, acknowledged entries: {len(typists.acknowledged)}, lost: {len(lost)}")
    assert lost == []
    _check_database(database_url)
    uninterrupted = _uninterrupted_council(folder, database_url)
    assert bundle["council"] == uninterrupted


def _lost(typists: Typists, url: str) -> list[str]:
    """Acknowledged entries that are not in their protocol, by the same operator with the same figures."""
    lost = []
    for station, ballot, name, typed in typists.acknowledged:
        view = httpx.get(f"{url}/api/protocols/{station}/{ballot}", headers=typists.coordinator, timeout=30).json()
        kept = [e for e in (view["first"], view["second"]) if e is not None and e["by"] == name]
        if len(kept) != 1 or kept[0]["figures"] != typed:
            lost.append(f"station {station} {ballot} by {name}")
    return lost


def _check_database(url: str) -> None:
    """Every protocol whole: accepted, both entries equal and definitive, and what its last audit row says."""
    database = open_database(url, migrate=False)
    try:
        with database.unit_of_work() as connection:
            assert audit.verify(connection).intact
            last: dict[str, Any] = {}
            for row in connection.execute(audit_table.select().order_by(audit_table.c.id)).mappings():
                last[row["subject"]] = json.loads(row["after"]) if row["after"] else None
            for row in connection.execute(protocols_table.select()).mappings():
                assert row["state"] == "accepted", dict(row)
                first, second, final = (json.loads(row[k]) for k in ("first", "second", "definitive"))
                assert first["figures"] == second["figures"] == final["figures"] and first["by"] != second["by"]
                after = last[f"station {row['station']} {row['ballot']}"]
                assert after == {"state": row["state"], "first": first, "second": second, "definitive": final}
    finally:
        database.close()


def _uninterrupted_council(folder: Path, url: str) -> dict[str, Any]:
    """The council the same folder's protocols give when counted in one go by the offline core."""
    database = open_database(url, migrate=False)
    try:
        with database.unit_of_work() as connection:
            stored = definition.current(connection)
    finally:
        database.close()
    return council(count(stored, protocols_of(folder))[1])
