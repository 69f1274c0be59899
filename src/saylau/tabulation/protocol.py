"""The polling-station protocol and the station register: what a precinct commission reports.

A station's commission counts each ballot (the party-list ballot and the district ballot) separately and
signs one protocol per ballot (Kazakhstan, Constitutional Law "On Elections", 2023 form as inferred in
spec/kazakhstan-2023.md: the control relations between its lines are checked in `saylau.tabulation.checks`).
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeVar, overload

_Item = TypeVar("_Item")
"""What a `LazySequence` holds."""

BallotKind = Literal["list", "district"]
"""`list`: the city-wide party-list ballot; `district`: the single-member district ballot."""

BALLOT_KINDS: tuple[BallotKind, ...] = ("list", "district")

FIGURES: tuple[str, ...] = (
    "registered",
    "received",
    "issued",
    "issued_absentee",
    "issued_outside",
    "cancelled",
    "found",
    "invalid",
    "against_all",
)
"""The numbered lines of a protocol, in the order of the form and of the CSV columns."""


@dataclass(frozen=True, slots=True)
class Station:
    """A polling station as the territorial commission registered it: its district and its voters."""

    number: int
    district: int
    registered: int


@dataclass(frozen=True, slots=True)
class StationHistory:
    """A station's list ballot at the previous election (stations.csv `previous:` columns).

    Why: where stations report in a biased order, how a station voted last time says much about how it votes
    now; the election-night projection uses it as a covariate (docs/projection.md).
    """

    registered: int
    found: int
    votes: Mapping[str, int]
    """Votes by the *current* party short name (a renamed party under its new name)."""


@dataclass(frozen=True, slots=True)
class Protocol:
    """One station's protocol for one ballot.

    `found` (ballots found in the boxes) is the number of voters who took part. `votes` maps each option
    (a party's short name on the list ballot, a candidate's name on the district ballot) to its votes.

    `malformed` keeps, by line name, what the clerk wrote where a whole number was expected; that line reads 0
    here, and the check P006 rejects the protocol. Keeping it lets one unreadable protocol be reported
    without stopping the others. `source` and `row` say where it was read; they take no part in equality,
    so two copies of the same figures compare equal whichever file they came from.
    """

    station: int
    district: int
    ballot: BallotKind
    registered: int
    received: int
    issued: int
    issued_absentee: int
    issued_outside: int
    cancelled: int
    found: int
    invalid: int
    against_all: int
    votes: Mapping[str, int]
    malformed: Mapping[str, str] = field(default_factory=dict)
    source: str | None = field(default=None, compare=False)
    row: int | None = field(default=None, compare=False)

    @property
    def key(self) -> tuple[int, BallotKind]:
        """What identifies a protocol: one per station and ballot."""
        return (self.station, self.ballot)

    def figure(self, name: str) -> int:
        """The number on the line called `name` (one of FIGURES)."""
        value = getattr(self, name)
        assert isinstance(value, int)
        return value


def make_protocol(
    station: int, district: int, ballot: BallotKind, lines: Mapping[str, int], votes: Mapping[str, int]
) -> Protocol:
    """A Protocol from its lines by name (FIGURES) and its votes."""
    return Protocol(
        station,
        district,
        ballot,
        registered=lines["registered"],
        received=lines["received"],
        issued=lines["issued"],
        issued_absentee=lines["issued_absentee"],
        issued_outside=lines["issued_outside"],
        cancelled=lines["cancelled"],
        found=lines["found"],
        invalid=lines["invalid"],
        against_all=lines["against_all"],
        votes=votes,
    )


class LazySequence(Sequence[_Item]):
    """Records in order, made when first read: the service's accepted protocols (`service.tallies.Accepted`),
    the column reader's rows (`tabulation.fast.AcceptedRows`) and its station register
    (`tabulation.fast.StationRows`). A subclass gives `_items()` (made once and kept) and may answer `len`
    without making them. Equal to any sequence of the same records in the same order (a list or a tuple
    included), so unhashable."""

    __slots__ = ()

    @abstractmethod
    def _items(self) -> Sequence[_Item]:
        """Every record in order, made on the first call and kept."""

    def __len__(self) -> int:
        return len(self._items())

    @overload
    def __getitem__(self, index: int) -> _Item: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[_Item]: ...

    def __getitem__(self, index: int | slice) -> _Item | Sequence[_Item]:
        return self._items()[index]

    def __iter__(self) -> Iterator[_Item]:
        return iter(self._items())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return tuple(self._items()) == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


LazyProtocols = LazySequence[Protocol]
"""A count's protocols in order, made when first read."""
