"""What the territorial commission registered about each candidate: the particulars the law checks.

A `Nominee` is one registration: a name on a party's list (with its position) or a candidate in a single-member
district. Its `Particulars` (date of birth, sex, disability, registered and withdrawn dates) are optional in
the folder, so an old election without them still loads; a rule that needs a missing particular is then not
checked rather than failed. A withdrawn nominee or list stays on record and takes no seat.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Sex(StrEnum):
    """Sex as the registration documents record it."""

    FEMALE = "female"
    MALE = "male"


class Ballot(StrEnum):
    """Which ballot a nominee stands on."""

    LIST = "list"
    DISTRICT = "district"


@dataclass(frozen=True, slots=True)
class Particulars:
    """A candidate's particulars; None where the folder does not record them."""

    date_of_birth: date | None = None
    sex: Sex | None = None
    disability: bool | None = None
    registered: date | None = None
    withdrawn: date | None = None

    def age_on(self, day: date) -> int | None:
        """Full years of age on `day` (a birthday on `day` counts), or None without a date of birth."""
        born = self.date_of_birth
        if born is None:
            return None
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def recorded(self) -> bool:
        """True when any particular the quota looks at (sex, date of birth, disability) is recorded."""
        return self.sex is not None or self.date_of_birth is not None or self.disability is not None


@dataclass(frozen=True, slots=True)
class Nominee:
    """One registration: a list candidate (`position` set) or a district candidate (`district` set).

    `row` is the spreadsheet row of lists.csv or candidates.csv that records it, so a refusal can point a
    clerk at it.
    """

    name: str
    party: str | None
    ballot: Ballot
    position: int | None = None
    district: int | None = None
    particulars: Particulars = field(default_factory=Particulars)
    row: int | None = None
    constituency: str = ""
    """The list constituency of a list candidate whose party has a list there ("" for a national list)."""
    illustrative: bool = False
    """The name is a placeholder, not the candidate's: the folder's `source` for the row begins with
    "illustrative" (e.g. "District 12 candidate A" where the real name was not found). Reports mark it."""

    @property
    def withdrawn(self) -> bool:
        """True when the nominee withdrew (or was struck off) after registration."""
        return self.particulars.withdrawn is not None


@dataclass(frozen=True, slots=True)
class Registration:
    """Every registration of an election, in the order the folder records them, and withdrawn lists."""

    nominees: tuple[Nominee, ...] = ()
    withdrawn_lists: Mapping[str, date] = field(default_factory=dict)

    def on_list(self, party: str) -> tuple[Nominee, ...]:
        """The nominees of a party's list, by position."""
        entries = (n for n in self.nominees if n.ballot is Ballot.LIST and n.party == party)
        return tuple(sorted(entries, key=lambda n: n.position or 0))

    def in_districts(self) -> tuple[Nominee, ...]:
        """The district candidates, in the folder's order."""
        return tuple(n for n in self.nominees if n.ballot is Ballot.DISTRICT)

    def withdrawn_from_list(self, party: str) -> frozenset[str]:
        """Names on a party's list that withdrew: they take no seat."""
        return frozenset(n.name for n in self.on_list(party) if n.withdrawn)

    def list_withdrawn(self, party: str) -> bool:
        """True when the party's whole list was withdrawn: it takes no list seat."""
        return party in self.withdrawn_lists
