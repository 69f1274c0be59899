"""The publish gate: no figure goes out before the close of polls, or before a coordinator releases it.

A contest's election.toml may hold its results back (`[publication]`, read by `saylau.io.config`):

    [publication]
    polls_close = 2023-03-19T20:00:00+06:00   # the close of polls, with its UTC offset (a TOML date-time)
    hold = true                               # held until a coordinator releases it, whatever the time

Kazakhstan spans two time zones and a country's results wait until its last polls close; each contest's
folder says when its own close. Before the gate opens, `saylau publish` writes nothing to the public target;
staff may get a preview on another target (`--preview-to`), every page of it marked as a preview. The gate
decides *when* figures go out, never *which*: a version only ever shows accepted protocols
(`Snapshot.accepted`), preview or not.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import ValidationError

from saylau.errors import InputError
from saylau.io.config import PublicationConfig
from saylau.rules.presets import validation_problems


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

    def describe(self) -> str:
        if self.hold:
            return "held until a coordinator releases it"
        if self.polls_close is not None:
            return f"held until the polls close at {self.polls_close.isoformat()}"
        return "open"


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
