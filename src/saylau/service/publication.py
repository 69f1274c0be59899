"""Publication: the publish gate, a coordinator's release past it, and what the publisher reads besides the count.

A contest's election.toml may hold its results back (`[publication]`, read by `saylau.io.config`):

    [publication]
    polls_close = 2023-03-19T20:00:00+06:00   # the close of polls, with its UTC offset (a TOML date-time)
    hold = true                               # held until a coordinator releases it, whatever the time

Kazakhstan has spanned two time zones and a country's results wait until its last polls close; each contest's
folder says when its own close. While the gate is closed the service's public page shows no figure (its
snapshot counts no protocol) and `saylau publish` writes nothing to the public target, only a preview for
staff. The gate decides *when* figures go out, never *which*: only accepted protocols are ever counted.
Releasing is a write like any other: audited, with who did it and when. The publisher (`saylau publish
service`) reads the release, the definition's `[publication]` table, and the reasons typed when protocols
were reopened or a certification withdrawn, which its corrections name (`saylau.publish`).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import ValidationError
from sqlalchemy import Connection

from saylau.errors import InputError, Phrase
from saylau.io.config import PublicationConfig
from saylau.rules.presets import validation_problems
from saylau.service import audit
from saylau.service.definition import DEFAULT_CONTEST, contest_of, current, writable
from saylau.service.errors import Conflict
from saylau.service.permissions import Actor, Permission, require
from saylau.store import audit as audit_store

RELEASE = "release"
"""The audit action of a coordinator's release (once per contest; subject `publication`, or `publication of C`
on a day of several contests)."""
_SUBJECT = re.compile(r"station (\d+) (?:(\S+) )?(\w+)")


@dataclass(frozen=True, slots=True)
class PublicationState:
    """What the publisher needs besides the count."""

    election_toml: str
    released: datetime | None
    reasons: Mapping[tuple[int, str], str]
    uncertified: str | None


@dataclass(frozen=True, slots=True)
class Gate:
    """When a contest's figures may be public."""

    polls_close: datetime | None = None
    hold: bool = False
    released: datetime | None = None
    """When a coordinator released the results (the service's audit log, or `--release` offline)."""

    def is_open(self, now: datetime) -> bool:
        if self.released is not None:
            return True
        if self.hold:
            return False
        return self.polls_close is None or now >= self.polls_close

    def describe(self) -> Phrase:
        """The gate in words (a `Phrase`: English as it reads, kk and ru through the catalogues)."""
        if self.hold:
            return Phrase("held until a coordinator releases it")
        if self.polls_close is not None:
            return Phrase("held until the polls close at {time}", time=self.polls_close.isoformat())
        return Phrase("open")


def gate_of(election_toml: str, released: datetime | None = None) -> Gate:
    """The gate an election.toml sets (its `[publication]` table); open when it sets none."""
    table = tomllib.loads(election_toml).get("publication")
    if table is None:
        return Gate(released=released)
    try:
        config = PublicationConfig.model_validate(table)
    except ValidationError as error:
        raise InputError(validation_problems(error, PublicationConfig, "election.toml", "publication")) from None
    close = config.polls_close.astimezone(UTC) if config.polls_close else None
    return Gate(close, config.hold, released)


def _subject(contest: str | None) -> str:
    return "publication" if contest in (None, DEFAULT_CONTEST) else f"publication of {contest}"


def released(connection: Connection, contest: str | None = None, after: int = 0) -> datetime | None:
    """When a coordinator released a contest's results (a day of one contest: `contest` None), or None;
    looking only at the audit rows after number `after` (a snapshot knows what the rows before it said)."""
    subject = _subject(contest)
    rows = [r for r in audit_store.of_actions(connection, [RELEASE], after) if r.subject == subject]
    return datetime.fromisoformat(rows[0].at) if rows else None


def release(connection: Connection, actor: Actor, contest: str | None = None) -> None:
    """Release a contest's results past the publish gate (the coordinator who may certify it); refused when
    released, and when certified (a certified result is past the gate). Each contest is released on its own."""
    contest = contest_of(connection, contest)
    writable(connection, contest)  # a certified result is public already, and refuses every write
    require(actor, Permission.CERTIFY, contest=contest)
    if released(connection, contest) is not None:
        raise Conflict("the results are already released", code="released")
    audit.append(connection, actor, RELEASE, _subject(contest))


def corrected(connection: Connection, since: int = 0) -> set[str]:
    """The contests whose published figures a reopening or an uncertification recorded after entry `since` corrects
    (a watching publisher makes their projections again rather than carry them: `saylau.publish.source`)."""
    found = set()
    for row in audit_store.of_actions(connection, ["reopen", "uncertify"], since):
        subject = _SUBJECT.fullmatch(row.subject)
        if row.action == "reopen" and subject:
            found.add(subject[2] or DEFAULT_CONTEST)
        elif row.action == "uncertify":
            found.add(row.subject.removeprefix("result of ") if row.subject != "result" else DEFAULT_CONTEST)
    return found


def states(
    connection: Connection, releases: Mapping[str, datetime | None], since: int = 0
) -> dict[str, PublicationState]:
    """Each contest's election.toml, release and the reasons recorded for it after entry `since` (`releases`: the
    contests of the day, each with its release as its snapshot read it, `web.snapshot.Snapshot.released`), from one
    read of the audit log for the whole day. Read contest by contest, with each contest's release looked for from
    the log's start, these took a watching publisher's pass over a counted 10,146-station night 1.1 CPU seconds
    on SQLite (0.01 s so): the log holds a row for every entry of the night, and the action has no index."""
    rows = audit_store.of_actions(connection, ["reopen", "uncertify"], since)
    found = {}
    for asked, released_at in releases.items():
        contest = contest_of(connection, asked)
        reasons: dict[tuple[int, str], str] = {}
        uncertified = None
        result_subject = "result" if contest == DEFAULT_CONTEST else f"result of {contest}"
        for row in rows:
            subject = _SUBJECT.fullmatch(row.subject)
            if row.action == "reopen" and subject and (subject[2] or DEFAULT_CONTEST) == contest:
                reasons[int(subject[1]), subject[3]] = row.reason or ""
            elif row.action == "uncertify" and row.subject == result_subject:
                uncertified = row.reason or ""
        election_toml = current(connection, contest).files.get("election.toml", "")
        found[asked] = PublicationState(election_toml, released_at, reasons, uncertified)
    return found
