"""`saylau replay`: play an election folder's protocols into a running service, as pairs of operators would.

Each protocol is typed twice, by the two operators of a pair; with `mistakes`, that share of second entries
swaps two options' votes (a line typed into the wrong row: every check still passes, so only the double
entry catches it), and the replay's coordinator resolves the difference in one step by keeping the entry
that matches the paper. Warnings are accepted with a written reason. Protocols already accepted are
skipped, so running it again after an interruption (even a killed server) completes the count.

The users it creates (`replay-op-<k>a`, `replay-op-<k>b`, `replay-coordinator`) get passwords derived from
the administrator's, so a second run can log in as them again.
"""

from __future__ import annotations

import hashlib
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from saylau.errors import InputError, Phrase
from saylau.io.protocols import read_protocols
from saylau.tabulation import FIGURES, Protocol

REASON = "replay: the figures are those of the signed paper protocol"


class ReplayError(Exception):
    """The service answered something the replay cannot go on from (a `Phrase`: the request, who made it and
    the service's answer as it came)."""


AS_USER = "{request} as {user}: {status} {answer}"
NO_LOGIN = "cannot log in as {user}: {status} {answer}"


@dataclass
class Account:
    """One logged-in user of the service, over one HTTP client."""

    client: httpx.Client
    name: str
    headers: dict[str, str] = field(default_factory=dict)

    def call(self, method: str, path: str, body: Any = None, ok: Sequence[int] = (200, 201)) -> httpx.Response:
        """One request; ReplayError unless the status is one of `ok`."""
        response = self.client.request(method, path, json=body, headers=self.headers)
        if response.status_code not in ok:
            request, answer = f"{method} {path}", response.text[:300]
            said = Phrase(AS_USER, request=request, user=self.name, status=response.status_code, answer=answer)
            raise ReplayError(said)
        return response


def login(client: httpx.Client, name: str, password: str) -> Account:
    """Log in and keep the bearer token."""
    response = client.post("/api/login", json={"name": name, "password": password})
    if response.status_code != 200:
        said = Phrase(NO_LOGIN, user=name, status=response.status_code, answer=response.text[:300])
        raise ReplayError(said)
    return Account(client, name, {"Authorization": f"Bearer {response.json()['token']}"})


def password_for(name: str, admin_password: str) -> str:
    """The password the replay gives its user `name` (derived, so a later run can log in again)."""
    return hashlib.sha256(f"saylau-replay:{admin_password}:{name}".encode()).hexdigest()[:24]


@dataclass
class Report:
    """What a replay did."""

    entries: int = 0
    skipped: int = 0
    mistakes: int = 0
    resolved: int = 0
    warnings_accepted: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)

    def add(self, other: Report) -> None:
        """Merge a pair's report into this one."""
        self.entries += other.entries
        self.mistakes += other.mistakes
        self.resolved += other.resolved
        self.warnings_accepted += other.warnings_accepted
        self.latencies += other.latencies


def replay(
    connect: Callable[[], httpx.Client],
    folder: Path,
    admin_password: str,
    *,
    operators: int = 2,
    rate: float | None = None,
    mistakes: float = 0.0,
    seed: int = 0,
) -> Report:
    """Play `folder`'s protocols into the service `connect()` reaches; `operators` pairs work at once."""
    found = read_protocols([folder])
    if found.problems:
        raise InputError(found.problems)
    admin = login(connect(), "admin", admin_password)
    names = [f"replay-op-{k}{side}" for k in range(1, operators + 1) for side in "ab"]
    for name in [*names, "replay-coordinator"]:
        role = "coordinator" if name == "replay-coordinator" else "operator"
        body = {"name": name, "password": password_for(name, admin_password), "role": role, "districts": []}
        admin.call("POST", "/api/users", body, ok=(201, 409))
    coordinator = login(connect(), "replay-coordinator", password_for("replay-coordinator", admin_password))
    states = {(p["station"], p["ballot"]): p["state"] for p in coordinator.call("GET", "/api/protocols").json()}
    report = Report()
    todo = [p for p in found.protocols if states.get((p.station, p.ballot)) != "accepted"]
    report.skipped = len(found.protocols) - len(todo)
    started = time.perf_counter()
    pairs = [
        (login(connect(), a, password_for(a, admin_password)), login(connect(), b, password_for(b, admin_password)))
        for a, b in zip(names[::2], names[1::2], strict=True)
    ]
    shares = [todo[k :: len(pairs)] for k in range(len(pairs))]
    per_pair = None if rate is None else rate / len(pairs)
    results = [Report() for _ in pairs]
    rng = random.Random(seed)
    mistaken = {(p.station, p.ballot) for p in todo if rng.random() < mistakes}

    def work(k: int) -> None:
        first, second = pairs[k]
        pair_coordinator = Account(
            coordinator.client if len(pairs) == 1 else connect(), coordinator.name, coordinator.headers
        )
        for protocol in shares[k]:
            _one(
                protocol,
                states.get((protocol.station, protocol.ballot), "empty"),
                (first, second),
                pair_coordinator,
                (protocol.station, protocol.ballot) in mistaken,
                results[k],
                per_pair,
            )

    if len(pairs) == 1:
        work(0)
    else:
        failures: list[Exception] = []

        def guarded(k: int) -> None:  # a pair that fails (a killed server) must fail the replay, not vanish
            try:
                work(k)
            except Exception as error:  # re-raised below, in the caller's thread
                failures.append(error)

        threads = [threading.Thread(target=guarded, args=(k,)) for k in range(len(pairs))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if failures:
            raise failures[0]
    for r in results:
        report.add(r)
    report.seconds = time.perf_counter() - started
    return report


def _one(
    protocol: Protocol,
    state: str,
    pair: tuple[Account, Account],
    coordinator: Account,
    mistaken: bool,
    report: Report,
    rate: float | None,
) -> None:
    """Bring one protocol to accepted, from whatever state an earlier run left it in."""
    path = f"/api/protocols/{protocol.station}/{protocol.ballot}"
    truth = figures(protocol)
    first, second = pair
    if state == "empty":
        _enter(first, path, truth, report, rate)
        state = "first-entry"
    if state == "first-entry":
        typed = _mistake(truth) if mistaken else truth
        report.mistakes += typed is not truth
        response = _enter(second, path, typed, report, rate, ok=(200, 409))
        if response.status_code == 409:  # this operator typed entry 1 in an earlier run: the other types entry 2
            response = _enter(first, path, typed, report, rate)
        state = response.json()["state"]
    if state == "different":
        view = coordinator.call("GET", path).json()
        keep = "keep-first" if view["first"]["figures"] == truth else "keep-second"
        if view["first"]["figures"] != truth and view["second"]["figures"] != truth:
            keep = "discard-both"
        state = coordinator.call("POST", f"{path}/resolve", {"action": keep}).json()["state"]
        report.resolved += 1
        if state == "empty":
            return _one(protocol, state, pair, coordinator, False, report, rate)
    if state == "warnings":
        coordinator.call("POST", f"{path}/accept-warnings", {"reason": REASON})
        report.warnings_accepted += 1


def _enter(
    account: Account, path: str, body: dict[str, Any], report: Report, rate: float | None, ok: Sequence[int] = (200,)
) -> httpx.Response:
    started = time.perf_counter()
    response = account.call("POST", f"{path}/entries", body, ok=ok)
    elapsed = time.perf_counter() - started
    report.latencies.append(elapsed)
    report.entries += 1
    if rate:
        time.sleep(max(0.0, 1 / rate - elapsed))
    return response


def figures(protocol: Protocol) -> dict[str, Any]:
    """A protocol as the entry form's JSON."""
    out: dict[str, Any] = {name: protocol.figure(name) for name in FIGURES}
    out["votes"] = dict(protocol.votes)
    return out


def _mistake(truth: dict[str, Any]) -> dict[str, Any]:
    """Swap the votes of the first two options that differ: a line typed into the wrong row."""
    votes = dict(truth["votes"])
    options = list(votes)
    for a in options:
        for b in options:
            if votes[a] != votes[b]:
                votes[a], votes[b] = votes[b], votes[a]
                return {**truth, "votes": votes}
    return {**truth, "registered": truth["registered"] + 1}
