"""Races, with real concurrent HTTP requests to a served app, repeated, on SQLite and PostgreSQL.

Each race ends in one of the states docs/data-entry.md ("Races") documents, never in two at once:
  two operators type the same protocol at the same instant -> one is entry 1, the other entry 2;
  the same operator submits twice at once                  -> one entry 1, the other refused (409);
  a coordinator resolves while an operator re-enters       -> resolve first: entry 2 is compared (200);
                                                              entry first: refused (409), resolve applies;
  certification races a late entry or a reopen             -> exactly one of them wins; a certified result
                                                              never holds a protocol that is not accepted;
  two coordinators resolve the same difference             -> one applies (200), the other is refused (409).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from saylau.replay import figures
from saylau.web import Settings, create_app, prepare
from tests.service.conftest import ADMIN_PASSWORD, BACKENDS
from tests.service.live import add_user, free_port, login, protocols_of, small_election

REPEATS = 8
REASON = {"reason": "checked against the paper"}


@pytest.fixture
def served(database_url: str, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The app over a small election, served by uvicorn on a free 127.0.0.1 port in this process."""
    folder = small_election(tmp_path / "election", per_district=1)
    settings = Settings(folder=folder, database=database_url, admin_password=ADMIN_PASSWORD, secure_cookies=False)
    database, _ = prepare(settings)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings, database), host="127.0.0.1", port=port, log_level="error")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        thread.join(0.02)
    try:
        yield f"http://127.0.0.1:{port}", folder
    finally:
        server.should_exit = True
        thread.join(30)
        database.close()


def at_once(*calls: Callable[[httpx.Client], httpx.Response]) -> list[httpx.Response]:
    """Send the requests from separate threads released together; their answers in the same order."""
    barrier = threading.Barrier(len(calls))
    answers: list[Any] = [None] * len(calls)

    def send(k: int) -> None:
        with httpx.Client(timeout=60) as client:
            barrier.wait()
            answers[k] = calls[k](client)

    threads = [threading.Thread(target=send, args=(k,)) for k in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(a is not None and a.status_code < 500 for a in answers), [a.text for a in answers]
    return answers


class Desk:
    """Operators, coordinators and an administrator of one served election."""

    def __init__(self, url: str, folder: Path) -> None:
        self.url = url
        self.admin = login(url, "admin", ADMIN_PASSWORD)
        self.ops = [add_user(url, self.admin, f"op{k}", "operator") for k in range(3)]
        self.chief, self.deputy = (add_user(url, self.admin, n, "coordinator") for n in ("chief", "deputy"))
        self.paper = {(p.station, p.ballot): figures(p) for p in protocols_of(folder)}

    def post(self, path: str, body: Any, who: dict[str, str]) -> Callable[[httpx.Client], httpx.Response]:
        return lambda client: client.post(f"{self.url}{path}", json=body, headers=who)

    def do(self, path: str, body: Any, who: dict[str, str], ok: int = 200) -> Any:
        answer = httpx.post(f"{self.url}{path}", json=body, headers=who, timeout=60)
        assert answer.status_code == ok, answer.text
        return answer.json()

    def view(self, station: int, ballot: str) -> Any:
        return httpx.get(f"{self.url}/api/protocols/{station}/{ballot}", headers=self.chief, timeout=60).json()

    def empty(self, station: int, ballot: str) -> None:
        """Bring a protocol back to `empty` (reopen, or discard both)."""
        state = self.view(station, ballot)["state"]
        base = f"/api/protocols/{station}/{ballot}"
        if state in ("accepted", "warnings"):
            self.do(f"{base}/reopen", REASON, self.chief)
        elif state == "different":
            self.do(f"{base}/resolve", {"action": "discard-both", "reason": "typed again"}, self.chief)
        elif state == "first-entry":
            self.do(f"{base}/entries", _swapped(self.paper[(station, ballot)]), self.ops[2])
            self.do(f"{base}/resolve", {"action": "discard-both", "reason": "typed again"}, self.chief)

    def accept(self, station: int, ballot: str) -> None:
        """Bring a protocol from `empty` to accepted (typed twice from the paper, warnings accepted)."""
        base, typed = f"/api/protocols/{station}/{ballot}", self.paper[(station, ballot)]
        self.do(f"{base}/entries", typed, self.ops[0])
        if self.do(f"{base}/entries", typed, self.ops[1])["state"] == "warnings":
            self.do(f"{base}/accept-warnings", REASON, self.chief)


def _swapped(typed: dict[str, Any]) -> dict[str, Any]:
    """The entry with its first two options' votes swapped: every check passes, only double entry sees it."""
    votes = dict(typed["votes"])
    a, b = list(votes)[:2]
    votes[a], votes[b] = votes[b] + 1, votes[a] - 1
    return {**typed, "votes": votes}


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
def test_races_end_in_one_documented_state(served: tuple[str, Path]) -> None:
    desk = Desk(*served)
    keys = sorted(desk.paper)
    seen: dict[str, set[tuple[Any, ...]]] = {}
    for k in range(REPEATS):
        station, ballot = keys[k % 4]
        base, typed = f"/api/protocols/{station}/{ballot}", desk.paper[(station, ballot)]
        seen.setdefault("two operators", set()).add(_two_operators(desk, station, ballot, base, typed))
        seen.setdefault("one operator twice", set()).add(_one_operator_twice(desk, station, ballot, base, typed))
        seen.setdefault("resolve vs re-entry", set()).add(_resolve_against_entry(desk, station, ballot, base, typed))
        seen.setdefault("two coordinators", set()).add(_two_coordinators(desk, station, ballot, base, typed))
    for station, ballot in keys:
        if desk.view(station, ballot)["state"] != "accepted":
            desk.empty(station, ballot)
            desk.accept(station, ballot)
    for k in range(REPEATS):
        station, ballot = keys[4 + k % 8]
        seen.setdefault("certify vs late entry", set()).add(_certify_against_entry(desk, station, ballot))
        seen.setdefault("certify vs reopen", set()).add(_certify_against_reopen(desk, station, ballot))
    audit = httpx.get(f"{desk.url}/api/audit/verify", headers=desk.chief, timeout=60).json()
    assert audit["intact"], audit
    print("\nraces:", "; ".join(f"{name}: {sorted(outcomes)}" for name, outcomes in seen.items()))


def _two_operators(desk: Desk, station: int, ballot: str, base: str, typed: Any) -> tuple[Any, ...]:
    desk.empty(station, ballot)
    one, two = at_once(
        desk.post(f"{base}/entries", typed, desk.ops[0]), desk.post(f"{base}/entries", typed, desk.ops[1])
    )
    assert (one.status_code, two.status_code) == (200, 200), (one.text, two.text)
    states = sorted([one.json()["state"], two.json()["state"]])
    assert states in (["accepted", "first-entry"], ["first-entry", "warnings"]), states
    view = desk.view(station, ballot)
    assert {view["first"]["by"], view["second"]["by"]} == {"op0", "op1"}
    assert view["state"] == states[0 if states[0] != "first-entry" else 1]
    return ("both 200", view["state"])


def _one_operator_twice(desk: Desk, station: int, ballot: str, base: str, typed: Any) -> tuple[Any, ...]:
    desk.empty(station, ballot)
    answers = at_once(
        desk.post(f"{base}/entries", typed, desk.ops[0]), desk.post(f"{base}/entries", typed, desk.ops[0])
    )
    assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
    view = desk.view(station, ballot)
    assert view["state"] == "first-entry" and view["second"] is None
    return ("200+409", view["state"])


def _resolve_against_entry(desk: Desk, station: int, ballot: str, base: str, typed: Any) -> tuple[Any, ...]:
    desk.empty(station, ballot)
    desk.do(f"{base}/entries", typed, desk.ops[0])
    assert desk.do(f"{base}/entries", _swapped(typed), desk.ops[1])["state"] == "different"
    resolve, enter = at_once(
        desk.post(f"{base}/resolve", {"action": "discard-second", "reason": "typed again"}, desk.chief),
        desk.post(f"{base}/entries", typed, desk.ops[2]),
    )
    assert resolve.status_code == 200 and resolve.json()["state"] == "first-entry", resolve.text
    view = desk.view(station, ballot)
    if enter.status_code == 200:  # the resolution came first; the re-entry is compared with entry 1
        assert view["state"] in ("accepted", "warnings") and view["second"]["by"] == "op2"
    else:  # the re-entry came first and was refused; the resolution applied
        assert enter.status_code == 409 and enter.json()["code"] == "transition-refused", enter.text
        assert view["state"] == "first-entry" and view["first"]["by"] == "op0"
    return (resolve.status_code, enter.status_code, view["state"])


def _two_coordinators(desk: Desk, station: int, ballot: str, base: str, typed: Any) -> tuple[Any, ...]:
    desk.empty(station, ballot)
    desk.do(f"{base}/entries", typed, desk.ops[0])
    desk.do(f"{base}/entries", _swapped(typed), desk.ops[1])
    keep_first, keep_second = at_once(
        desk.post(f"{base}/resolve", {"action": "keep-first"}, desk.chief),
        desk.post(f"{base}/resolve", {"action": "keep-second"}, desk.deputy),
    )
    codes = (keep_first.status_code, keep_second.status_code)
    assert sorted(codes) == [200, 409], (keep_first.text, keep_second.text)
    view = desk.view(station, ballot)
    winner = "op0" if codes[0] == 200 else "op1"  # keep-first keeps op0's entry, keep-second op1's
    assert view["definitive"]["by"] == winner and view["state"] in ("accepted", "warnings")
    return ("one 200, one 409", view["state"])


def _certify_against_entry(desk: Desk, station: int, ballot: str) -> tuple[Any, ...]:
    base, typed = f"/api/protocols/{station}/{ballot}", desk.paper[(station, ballot)]
    desk.do(f"{base}/reopen", REASON, desk.chief)
    desk.do(f"{base}/entries", typed, desk.ops[0])
    certify, enter = at_once(
        desk.post("/api/certify", None, desk.chief), desk.post(f"{base}/entries", typed, desk.ops[1])
    )
    assert enter.status_code == 200, enter.text
    if enter.json()["state"] == "warnings":
        assert certify.status_code == 409
        desk.do(f"{base}/accept-warnings", REASON, desk.chief)
    outcome = _certified_or_not(desk, certify)
    return ("entry 200", outcome)


def _certify_against_reopen(desk: Desk, station: int, ballot: str) -> tuple[Any, ...]:
    base = f"/api/protocols/{station}/{ballot}"
    certify, reopen = at_once(
        desk.post("/api/certify", None, desk.chief), desk.post(f"{base}/reopen", REASON, desk.chief)
    )
    assert sorted([certify.status_code, reopen.status_code]) == [200, 409], (certify.text, reopen.text)
    outcome = _certified_or_not(desk, certify)
    if reopen.status_code == 200:
        desk.accept(station, ballot)
    return ("one 200, one 409", outcome)


def _certified_or_not(desk: Desk, certify: httpx.Response) -> str:
    """After a certification race: a certified result holds only accepted protocols; reopen it for the next round."""
    status = httpx.get(f"{desk.url}/api/status", timeout=60).json()
    if certify.status_code == 200:
        assert status["certified"] and set(k for k, v in status["protocols"].items() if v) == {"accepted"}, status
        desk.do("/api/uncertify", REASON, desk.admin)
        return "certified"
    assert certify.status_code == 409 and certify.json()["code"] in ("incomplete",), certify.text
    assert not status["certified"]
    return "refused: incomplete"
