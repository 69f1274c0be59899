"""Comparison with the previous election: seat change, swing, turnout change, "New" parties.

Swing is the change of a party's list percentage in percentage points; seat change compares whole-body
seats even where the body changed size (39 seats in 2021, 42 in 2023), as the commission's tables do.
A party that did not stand last time is "New" (None here); its predecessor under another name counts as
the same party when the folder maps it (Nur Otan -> Amanat).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from saylau.composition import Composition
from saylau.domain import Election, PreviousElection, PreviousParty


@dataclass(frozen=True, slots=True)
class PartyChange:
    """One party against its previous result; None fields mean "New"."""

    party: str
    seats: int
    percent: Fraction | None
    previous_seats: int | None
    previous_percent: Fraction | None

    @property
    def is_new(self) -> bool:
        """The party did not stand at the previous election."""
        return self.previous_seats is None

    @property
    def seat_change(self) -> int | None:
        """Seats now minus seats then; None for a new party."""
        return None if self.previous_seats is None else self.seats - self.previous_seats

    @property
    def swing_pp(self) -> Fraction | None:
        """List percentage now minus then, in percentage points; None where either is unknown."""
        if self.percent is None or self.previous_percent is None:
            return None
        return self.percent - self.previous_percent


@dataclass(frozen=True, slots=True)
class MajorityChange:
    """The largest party before and now, and whether each held a majority on its own."""

    party_before: str
    seats_before: int
    held_before: bool | None
    party_now: str
    seats_now: int
    held_now: bool

    @property
    def same_party(self) -> bool:
        """The largest party stayed the same (renamings followed)."""
        return self.party_before == self.party_now


@dataclass(frozen=True, slots=True)
class Comparison:
    """The whole comparison, for the tables and the infobox."""

    previous: PreviousElection
    parties: tuple[PartyChange, ...]
    turnout: Fraction | None
    """Turnout now, in percent."""

    @property
    def turnout_change_pp(self) -> Fraction | None:
        """Turnout now minus then, in percentage points."""
        if self.turnout is None or self.previous.turnout is None:
            return None
        return self.turnout - self.previous.turnout

    @property
    def previous_largest(self) -> PreviousParty | None:
        """The party that held the most seats before."""
        return max(self.previous.parties, key=lambda p: p.seats, default=None)

    def majority_change(self, seats_total: int, majority: int) -> MajorityChange | None:
        """How the largest party's standing changed; None when either election had no party seats."""
        before = self.previous_largest
        now = max(self.parties, key=lambda p: p.seats, default=None)
        if before is None or now is None or not now.seats:
            return None
        held_before = None if self.previous.majority is None else before.seats >= self.previous.majority
        name_before = self.previous.successors.get(before.name, before.name)
        return MajorityChange(name_before, before.seats, held_before, now.party, now.seats, now.seats >= majority)

    @property
    def gone(self) -> tuple[PreviousParty, ...]:
        """Previous parties that did not stand this time (under any name)."""
        standing = {c.party for c in self.parties}
        return tuple(p for p in self.previous.parties if self.previous.successors.get(p.name, p.name) not in standing)


def compare(election: Election, composition: Composition) -> Comparison | None:
    """Compare with the folder's previous election; None when the folder names none."""
    previous = election.previous
    if previous is None:
        return None
    changes = []
    for line in composition.parties:
        before = previous.party(line.party)
        percent = None if line.list_share is None else line.list_share * 100
        changes.append(
            PartyChange(
                line.party,
                line.seats,
                percent,
                before.seats if before else None,
                before.percent if before else None,
            )
        )
    turnout = election.results.turnout
    return Comparison(previous, tuple(changes), None if turnout is None else turnout * 100)


def summarize_previous(
    election: Election, composition: Composition, successors: dict[str, str] | None = None
) -> PreviousElection:
    """What a later election needs of this one: published figures where recorded, computed ones otherwise."""
    published = election.results
    parties = []
    for line in composition.parties:
        percent = published.published_percent.get(line.party)
        if percent is None and line.list_share is not None:
            percent = line.list_share * 100
        seats = published.published_seats.get(line.party, line.seats)
        parties.append(PreviousParty(line.party, percent, seats))
    turnout = published.turnout
    return PreviousElection(
        election.name,
        election.body.seats,
        None if turnout is None else turnout * 100,
        tuple(parties),
        successors or {},
        election.secretary_after,
        election.secretary_after_party,
        election.body.majority,
        election.names,
    )
