"""The council as a value: who holds which seats, and the steps of the list tier that explain them.

Below every module that decides a seat (`council`, `tiers`, `lots` read and make these values; none of them
imports another for its types), so the composition has no import circle, hidden or not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction

from saylau.apportionment import Allocation
from saylau.composition.admission import AdmissionReport
from saylau.composition.deputies import Deputy
from saylau.composition.districts import DistrictOutcome, DistrictStatus
from saylau.composition.preferences import CandidateTieOutcome

NATIONAL = ""
"""The constituency of an election that has one (no constituencies.csv)."""


class StepKind(StrEnum):
    """What a step of the seat arithmetic did; reports turn each into a sentence."""

    APPORTIONED = "apportioned"
    """A constituency's list seats (value: seats) from its population or registered voters."""
    ADMITTED = "admitted"
    """A list took part (detail: the rule that admitted it, AdmittedBy)."""
    FRAGMENT_VOTES = "fragment-votes"
    """Votes added to a party's list votes from its district candidates (value: votes)."""
    PREFERENTIAL_SEAT = "preferential-seat"
    """A minority list won a seat with the preferential quota (value: votes, other: the quota)."""
    ENTITLEMENT = "entitlement"
    """A party's proportional share (value) against its district seats (other)."""
    OVERHANG = "overhang"
    """A party won more districts (other) than its share (value) and keeps them."""
    HOUSE_SIZE = "house-size"
    """The body's size after overhang or leveling (value), from its legal size (other)."""
    NOT_COVERED = "not-covered"
    """District winners of a party not seated for want of second-vote coverage (value: how many)."""
    NOT_HELD = "not-held"
    """District seats that exist in law but were not filled (value: seats); the body keeps its legal size."""
    FILLED_LATER = "filled-later"
    """District seats a party won after the list allocation, in a by-election (value: seats): outside the
    allocation, added to the party and to the body."""
    LIST_EXHAUSTED = "list-exhausted"
    """A list won more seats (value) than it has names left (other); detail: what became of the seats beyond
    (`Exhausted`: shared again, passed on, or vacant)."""
    LIST_SEATS_VACANT = "list-seats-vacant"
    """List seats (value) left vacant in a constituency: lists used up."""
    PREFERENCE = "preference"
    """Open lists: a candidate (detail) elected by preference votes (value) over the threshold (other)."""
    PREFERENCE_TIE = "preference-tie"
    """Open lists: candidates of a list tied on preference votes for its last seats (`tie`: who, how settled)."""
    SEEDED_DIVISOR = "seeded-divisor"
    """A list seat by a divisor counting districts won (value: the party's seats before it, other: the
    average that won it; None when infinite)."""


@dataclass(frozen=True, slots=True)
class Step:
    """One explained step: its kind, where, for whom, and its figures (exact)."""

    kind: StepKind
    constituency: str = NATIONAL
    party: str | None = None
    value: Fraction = Fraction(0)
    other: Fraction | None = None
    detail: str = ""
    tie: CandidateTieOutcome | None = None
    """PREFERENCE_TIE: the tied candidates, the seats at stake and how the tie was settled."""


@dataclass(frozen=True, slots=True)
class ConstituencySeats:
    """One constituency's result: its list seats and, per party, list and seated district seats."""

    name: str
    list_seats_total: int
    list_votes: Mapping[str, int]
    list_seats: Mapping[str, int]
    district_seats: Mapping[str, int]
    allocation: Allocation | None
    admission: AdmissionReport | None


@dataclass(frozen=True, slots=True)
class TierResult:
    """What the composition needs: totals per party, the house size, seats lost to coverage, the steps."""

    list_seats: dict[str, int]
    district_seats: dict[str, int]
    house: int
    constituencies: tuple[ConstituencySeats, ...]
    allocation: Allocation | None
    admission: AdmissionReport | None
    not_seated: frozenset[int] = frozenset()
    """District numbers whose winner is not seated (coverage)."""
    uncovered: dict[str, int] = field(default_factory=dict)
    entitlement: dict[str, int] = field(default_factory=dict)
    steps: tuple[Step, ...] = ()
    vacant_list_seats: int = 0
    """List seats no list had a name left for (`ListTier.exhausted`, or every list used up)."""


@dataclass(frozen=True, slots=True)
class PartySeats:
    """One party's line in the council table."""

    party: str
    list_votes: int
    list_share: Fraction | None
    list_seats: int
    district_seats: int
    uncovered: int = 0
    """District seats won but not seated for want of coverage (Germany from 2025)."""

    @property
    def seats(self) -> int:
        """All seats the party holds."""
        return self.list_seats + self.district_seats


@dataclass(frozen=True, slots=True)
class Composition:
    """The elected council and every decision that made it."""

    seats_total: int
    majority: int
    parties: tuple[PartySeats, ...]
    independents: int
    districts: tuple[DistrictOutcome, ...]
    list_allocation: Allocation | None
    deputies: tuple[Deputy, ...]
    constituencies: tuple[ConstituencySeats, ...] = ()
    """Each list constituency's seats, when the election has several (or a compensation mode is used)."""
    steps: tuple[Step, ...] = ()
    """The explained steps of the list tier beyond one plain allocation (reports put them into words)."""
    admission: AdmissionReport | None = None
    """Which lists took part and by which rule, when the threshold is more than a percentage."""
    not_held: int = 0
    """District seats that exist in law but were not filled (no poll held): vacant, in the body's size."""
    vacant_list_seats: int = 0
    """List seats no list had a name left for (lists used up): vacant, in the body's size."""

    @property
    def vacancies(self) -> tuple[DistrictOutcome, ...]:
        """Districts counted with a seat that stays open: a repeat election, or a tie for the commission (in a
        multi-member district, only its tied seats are open; those elected above the tie hold theirs)."""
        return tuple(d for d in self.districts if d.vacant)

    @property
    def vacant_seats(self) -> int:
        """District seats counted and left open (a district electing several may leave only some open)."""
        return sum(d.vacant for d in self.districts) + self.not_held + self.vacant_list_seats

    @property
    def unreported(self) -> tuple[DistrictOutcome, ...]:
        """Districts with no accepted protocol yet: not yet reported (never vacant)."""
        return tuple(d for d in self.districts if d.status is DistrictStatus.NOT_REPORTED)

    @property
    def undecided_list_seats(self) -> int:
        """List seats left to a human decision of a tie (TieRule.DECIDE), in every constituency."""
        seen: dict[int, Allocation] = {}
        for allocation in (self.list_allocation, *(c.allocation for c in self.constituencies)):
            if allocation is not None:
                seen[id(allocation)] = allocation
        return sum(a.undecided.seats for a in seen.values() if a.undecided is not None)

    @property
    def seats_filled(self) -> int:
        """Seats with a deputy."""
        return sum(p.seats for p in self.parties) + self.independents

    @property
    def majority_holder(self) -> str | None:
        """The party that holds a majority on its own, if any."""
        return next((p.party for p in self.parties if p.seats >= self.majority), None)

    def party(self, name: str) -> PartySeats | None:
        """The line of that party."""
        return next((p for p in self.parties if p.party == name), None)
