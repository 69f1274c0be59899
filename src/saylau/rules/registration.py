"""Registration rules as configuration: who may stand, how a list must be made, and how ballots order lines.

The Kazakhstan 2023 values live in the presets (`rules/presets.py`), each with how sure we are of it
(../shared/spec/kazakhstan-2023.md); every field here can be overridden under `[system.overrides.registration]`.
Everything defaults to "not checked", so a system without registration rules checks nothing.
"""

from __future__ import annotations

from enum import StrEnum
from fractions import Fraction

from pydantic import BaseModel, ConfigDict, Field, model_validator

from saylau.errors import Phrase
from saylau.rules.numbers import ExactNumber

CLOSES_BEFORE_OPENING = "registration would close before it opens (opens_days_before < closes_days_before)"


class QuotaGroup(StrEnum):
    """Groups the list quota counts (Kazakhstan: women, young people, people with disabilities, together)."""

    WOMEN = "women"
    YOUNG = "young"
    DISABILITY = "disability"


class BallotOrder(StrEnum):
    """The order of parties and candidates on the ballot paper."""

    REGISTRATION = "registration-order"
    LOT = "lot"
    """A drawing of lots, replayable from `ballot_seed`, which the ballots print."""


class _Rules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)


class Quota(_Rules):
    """At least `share_percent` of each list (and of each block of `block` positions) are in `groups`."""

    share_percent: ExactNumber = Field(default=Fraction(30), gt=0, le=100)
    groups: tuple[QuotaGroup, ...] = (QuotaGroup.WOMEN, QuotaGroup.YOUNG, QuotaGroup.DISABILITY)
    young_under: int = Field(default=29, ge=1)
    """A "young" candidate is younger than this on election day."""
    block: int | None = Field(default=None, ge=1)
    """Also check each full block of this many consecutive positions (1..N, N+1..2N, ...); None: off."""
    designations: bool = False
    """Also check the candidates a party designates for its seats."""


class RegistrationRules(_Rules):
    """What registration checks; None switches a check off."""

    min_age: int | None = Field(default=None, ge=0)
    """Minimum age on election day (Kazakhstan: 20 for a mäslihat, 25 for the Mäjilis)."""
    dual_candidacy: bool = True
    """May one person stand on a list and in a district at once (Kazakhstan: no)."""
    list_min: int | None = Field(default=None, ge=1)
    list_max: int | None = Field(default=None, ge=1)
    opens_days_before: int | None = Field(default=None, ge=0)
    """Registration opens this many days before election day."""
    closes_days_before: int | None = Field(default=None, ge=0)
    """Registration closes this many days before election day."""
    quota: Quota | None = None
    ballot_order: BallotOrder = BallotOrder.REGISTRATION
    ballot_seed: int | None = None

    @model_validator(mode="after")
    def _consistent(self) -> RegistrationRules:
        if self.list_min is not None and self.list_max is not None and self.list_min > self.list_max:
            raise ValueError(Phrase("list_min is above list_max"))
        if (
            self.opens_days_before is not None
            and self.closes_days_before is not None
            and self.opens_days_before < self.closes_days_before
        ):
            raise ValueError(Phrase(CLOSES_BEFORE_OPENING))
        if self.ballot_order is BallotOrder.LOT and self.ballot_seed is None:
            raise ValueError(Phrase("ballot_order = 'lot' needs a ballot_seed to record"))
        return self
