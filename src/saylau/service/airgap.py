"""The air-gap check: no data entry while the server can reach a network outside the commission.

A commission's results server should be cut off from every outside network while protocols are typed (as
abacus requires of its users). `AirGap` tries to open a TCP connection to a few outside addresses; while any
of them answers, every write to the service except logging in and out is refused, in the user's language,
and the audit log records each refusal (`record`). Entry is accepted again as soon as none answers.

`saylau serve --air-gap` sets it (docs/service.md, "The air-gap check"): `auto` (the default) checks the
`DEFAULT_ADDRESSES` when the service listens beyond loopback (a commission's deployment on the room's
network) and not on loopback (the demo, `make serve`); `on` and `off` say so; a list `HOST:PORT,...`
checks those addresses instead.

Probing never holds up an entry for long: the first answer is waited for, then each answer is kept for
`interval` seconds and renewed by a background thread while the old one is still used (`interval` 0: a
probe for every question, as the tests use).
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from saylau.errors import InputError, worded
from saylau.service import audit
from saylau.service.permissions import Actor

DEFAULT_ADDRESSES = ("1.1.1.1:443", "8.8.8.8:443", "9.9.9.9:443")
"""Public resolvers' HTTPS ports, by number (an air-gapped machine has no DNS to look names up with)."""

ACTION = "air-gap-refused"
"""The audit log's action for a write refused while an outside address answered."""


@dataclass(frozen=True, slots=True)
class Address:
    """One outside address to try: a host (name, IPv4 or IPv6) and a TCP port."""

    host: str
    port: int

    def __str__(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


def parse_address(text: str) -> Address:
    """`host:port` or `[ipv6]:port` as an Address; InputError naming `--air-gap` otherwise."""
    host, _, port = text.strip().rpartition(":")
    host = host.removeprefix("[").removesuffix("]")
    if not host or not port.isdigit() or not 0 < int(port) < 65536 or any(c.isspace() for c in host):
        raise InputError(
            [worded("{address} is not an address HOST:PORT", field="--air-gap", address=repr(text.strip()))]
        )
    return Address(host, int(port))


def addresses_for(setting: str, listen_host: str) -> tuple[str, ...]:
    """The addresses `--air-gap SETTING` checks for a service listening on `listen_host` (empty: no check)."""
    value = setting.strip().lower()
    if value == "off":
        return ()
    if value == "on":
        return DEFAULT_ADDRESSES
    if value == "auto":
        return () if _loopback(listen_host) else DEFAULT_ADDRESSES
    return tuple(str(parse_address(part)) for part in setting.split(",") if part.strip()) or DEFAULT_ADDRESSES


def _loopback(host: str) -> bool:
    if host.strip().lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class AirGap:
    """Whether this machine can reach any of `addresses` now; see the module's docstring for the timing."""

    def __init__(self, addresses: Sequence[str], *, timeout: float = 1.0, interval: float = 10.0) -> None:
        self.addresses = tuple(parse_address(a) for a in addresses)
        self.timeout, self.interval = timeout, interval
        self._known: tuple[float, str | None] | None = None  # (when probed, the address that answered)
        self._lock = threading.Lock()
        self._renewing = False

    def reachable(self) -> str | None:
        """The first outside address that answers (`host:port`), or None: the gap holds."""
        known = self._known
        if self.interval <= 0 or known is None:
            return self._probe()
        if time.monotonic() - known[0] > self.interval:
            with self._lock:
                start, self._renewing = not self._renewing, True
            if start:
                threading.Thread(target=self._renew, name="saylau-air-gap", daemon=True).start()
        return known[1]

    def _renew(self) -> None:
        try:
            self._probe()
        finally:
            self._renewing = False

    def _probe(self) -> str | None:
        reached = None
        for address in self.addresses:
            try:
                with socket.create_connection((address.host, address.port), timeout=self.timeout):
                    reached = str(address)
                    break
            except OSError:  # refused, unreachable, timed out, no such name: not reached
                continue
        self._known = (time.monotonic(), reached)
        return reached


def record(connection: Connection, actor: Actor | None, request: str, reached: str) -> None:
    """Append the refusal of `request` (e.g. `POST /api/protocols/1/list/entries`) to the audit log."""
    audit.append(connection, actor, ACTION, request, reason=REASON.format(address=reached))


REASON = "{address} is reachable: data entry refused"
"""The refusal's reason as the audit log stores it: English, the same text as before, so that every chain written
so far still verifies; the audit page says it in its reader's language (`saylau.web.audit_page.reason`)."""
