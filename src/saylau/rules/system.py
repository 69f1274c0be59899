"""The electoral system of one election, as validated configuration.

A mixed system has a list tier (seats shared among party lists over one constituency) and a district tier
(single-member districts by plurality). `combination` says how they meet: `parallel` (the Kazakh mixed
system: each tier on its own) or `compensatory` (MMP: list seats top each party up to its proportional
share of the whole body).
"""

from __future__ import annotations

from enum import StrEnum
from fractions import Fraction
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from saylau.apportionment import Method, ThresholdBase, TieRule
from saylau.limits import MAX_COUNT, MAX_SEATS
from saylau.rules.numbers import ExactNumber
from saylau.rules.registration import RegistrationRules


def _percentage(value: Fraction) -> Fraction:
    if not 0 <= value <= 100:
        raise ValueError("must be a percentage from 0 to 100")
    return value


class SeatHolders(StrEnum):
    """Who takes a party's list seats."""

    LIST_ORDER = "list-order"
    DESIGNATION = "designation"
    """The party designates candidates of its list (Kazakhstan: within 10 days); list order fills the rest."""


class AgainstAllRule(StrEnum):
    """What happens when "against all" has more votes than every candidate of a district."""

    REPEAT_ELECTION = "repeat-election"
    LEADING_CANDIDATE = "leading-candidate"


class DistrictTieRule(StrEnum):
    """How a tie between the leading district candidates is settled."""

    DECIDE = "decide"
    """A human (the commission) must decide, e.g. by a drawing of lots it records; the seat stays open."""
    LOT = "lot"
    """A seeded drawing of lots that the result records so anyone can replay it."""


class Combination(StrEnum):
    """How the list tier and the district tier combine."""

    PARALLEL = "parallel"
    COMPENSATORY = "compensatory"


class _Rules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)


class ListTier(_Rules):
    """Seats shared among party lists in one constituency."""

    seats: int = Field(ge=1, le=MAX_SEATS)
    method: Method = Method.HARE
    threshold_percent: Annotated[ExactNumber, AfterValidator(_percentage)] | None = Fraction(5)
    threshold_votes: int | None = Field(default=None, ge=0, le=MAX_COUNT)
    threshold_base: ThresholdBase = ThresholdBase.VALID
    min_admitted: int = Field(default=2, ge=0)
    tie: TieRule = TieRule.REGISTRATION_ORDER
    tie_seed: int | None = None
    seat_holders: SeatHolders = SeatHolders.LIST_ORDER
    cap_at_list_length: bool = True
    """A party takes at most as many seats as its list has candidates; the rest go on by the same method."""


class DistrictTier(_Rules):
    """Single-member districts won by plurality."""

    against_all: AgainstAllRule = AgainstAllRule.REPEAT_ELECTION
    tie: DistrictTieRule = DistrictTieRule.DECIDE
    tie_seed: int | None = None


class ElectoralSystem(_Rules):
    """The whole system: its preset's name, the tiers and how they combine."""

    preset: str | None = None
    description: str = ""
    list_tier: ListTier | None = None
    district_tier: DistrictTier | None = None
    combination: Combination = Combination.PARALLEL
    registration: RegistrationRules = Field(default_factory=RegistrationRules)
    """What registration checks (age, one candidacy, list shape, period, quota) and how ballots order lines."""

    @property
    def is_mixed(self) -> bool:
        """True when both tiers elect deputies."""
        return self.list_tier is not None and self.district_tier is not None
