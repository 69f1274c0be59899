"""Domain objects of one election.

Names follow the law and the commissions' forms: a `Body` (the mäslihat) is elected by `Party` lists
(`PartyList`) in one list constituency and by candidates in single-member `District`s; counted ballots are
`Tally`s (one for the list ballot, one per district ballot).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from saylau.domain.count import BallotAccounting, BallotProgress, CountStatus, count_status
from saylau.domain.decisions import LotDecision
from saylau.domain.registration import Registration
from saylau.rules import ElectoralSystem

AGAINST_ALL = "against all"
"""The line every 2023 ballot carries (Kazakhstan, new in 2023); never a contestant for seats."""

Names = Mapping[str, str]
"""A name in other languages, by language code (`kk`, `ru`, ...): the folder's `name_kk`, `name_ru` columns."""


def localised(names: Names, lang: str, name: str) -> str:
    """The name in `lang` where the folder gives one, else the name as registered."""
    return names.get(lang) or name


@dataclass(frozen=True, slots=True)
class Body:
    """The elected body: its name, convocation and size."""

    name: str
    seats: int
    convocation: int | None = None
    majority_fraction: Fraction = Fraction(1, 2)
    names: Names = field(default_factory=dict)

    @property
    def majority(self) -> int:
        """Seats needed for a majority: more than `majority_fraction` of all seats (floor(S/2)+1 by default)."""
        return int(self.seats * self.majority_fraction) + 1


@dataclass(frozen=True, slots=True)
class Party:
    """A party whose list the territorial commission registered; `short_name` is its identifier."""

    short_name: str
    full_name: str
    registration_order: int
    colour: str = "#888888"
    leader: str | None = None
    leader_since: str | None = None
    list_leader: str | None = None
    registration_date: date | None = None
    names: Names = field(default_factory=dict)
    """`short_name` in other languages."""
    full_names: Names = field(default_factory=dict)
    """`full_name` in other languages."""
    wikipedia: str | None = None
    """The title of the party's Wikipedia article (the wikitext report links it); None: link the full name."""
    members: int = 1
    """Parties on a joint list (a coalition's list may face a higher threshold)."""
    minority: bool = False
    """A list of a national minority (threshold exemptions, preferential seats are configured by name/rule)."""
    aggregate: bool = False
    """An aggregated row ("Others"): its votes count in every base, it never passes a threshold or takes a seat."""
    individual: bool = False
    """An individual candidate standing in a list tier (Scotland's individual regional candidates): a list of
    one, `full_name` is the candidate; elected at most once (Scotland Act 1998 s.8(3)); votes in every base."""
    list_ballot: bool = True
    """False for a party on district ballots only: it has no list votes and no list seats, its district seats
    count (parties.csv `list_ballot = no`)."""


@dataclass(frozen=True, slots=True)
class Constituency:
    """A list constituency (a region, province or Land); one election may have several.

    `seats` is its list seats when fixed by law; `population` / `registered` apportion them otherwise.
    """

    name: str
    seats: int | None = None
    population: int | None = None
    registered: int | None = None


@dataclass(frozen=True, slots=True)
class PartyList:
    """A party's registered list, candidates in list order (position 1 first)."""

    party: str
    candidates: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A district candidate; `party` is None for a self-nominated (independent) candidate."""

    name: str
    party: str | None = None


@dataclass(frozen=True, slots=True)
class District:
    """A single-member district and its registered candidates."""

    number: int
    candidates: tuple[Candidate, ...]
    name: str = ""
    constituency: str = ""
    """The list constituency the district lies in ("" when the election has one)."""
    seats: int = 1
    """Seats the district elects: more than one is multi-member plurality (the most-voted candidates win)."""
    names: Names = field(default_factory=dict)
    by_election: bool = False
    """Filled by a by-election held after the list allocation (districts.csv status `by-election`): its votes
    are the by-election's, and its winner is added after the allocation, as the law adds them (New Zealand
    2023, Port Waikato: the House from 122 to 123)."""

    def candidate(self, name: str) -> Candidate | None:
        """The candidate of that name standing here, if any."""
        return next((c for c in self.candidates if c.name == name), None)


@dataclass(frozen=True, slots=True)
class Tally:
    """Counted ballots of one ballot (list or district) over one area.

    The control relation of every protocol holds: took_part = sum(votes) + against_all + blank + invalid.
    """

    votes: Mapping[str, int]
    against_all: int = 0
    invalid: int = 0
    took_part: int = 0
    registered: int = 0
    blank: int = 0
    """Blank ballots: valid, for no option; never a reason for a repeat election (unlike "against all")."""

    @property
    def option_votes(self) -> int:
        """Votes for parties or candidates, "against all" excluded."""
        return sum(self.votes.values())

    @property
    def valid(self) -> int:
        """Valid ballots: option votes plus "against all" and blank votes (the Kazakh percentage base)."""
        return self.option_votes + self.against_all + self.blank

    @property
    def turnout(self) -> Fraction | None:
        """Share of registered voters who took part, exact; None when registered voters are unknown."""
        return Fraction(self.took_part, self.registered) if self.registered else None


@dataclass(frozen=True, slots=True)
class RankedBallot:
    """`count` identical ranked ballots (single transferable vote): candidates best first."""

    ranking: tuple[str, ...]
    count: int


@dataclass(frozen=True, slots=True)
class Results:
    """The counted ballots of an election: the list ballot and each district's ballot.

    `published_percent` and `published_seats` keep figures as the commission published them, where the
    folder records them, so a comparison can use the official rounding and a check can flag a difference.
    """

    list_tally: Tally | None = None
    district_tallies: Mapping[int, Tally] = field(default_factory=dict)
    published_percent: Mapping[str, Fraction] = field(default_factory=dict)
    published_seats: Mapping[str, int] = field(default_factory=dict)
    published_turnout: Fraction | None = None
    constituency_tallies: Mapping[str, Tally] = field(default_factory=dict)
    """The list ballot per constituency, when there are several; `list_tally` is then their sum."""
    runoff_tallies: Mapping[int, Tally] = field(default_factory=dict)
    """Run-off ballots of two-round districts."""
    district_seats: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    """Declared district seats per constituency and party ("" for independents), for folders that record
    who won the districts but not the district votes (results/district_seats.csv)."""
    districts_not_held: Mapping[str, int] = field(default_factory=dict)
    """District seats per constituency that exist in law but were not filled (no poll held): the body keeps
    its legal size and majority; they are vacant (results/district_seats.csv, status `not-held`)."""
    rankings: Mapping[int, tuple[RankedBallot, ...]] = field(default_factory=dict)
    """Ranked ballots per district (results/rankings.csv), for a single transferable vote count."""
    later_seats: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    """District seats per constituency and party filled after the list allocation (a by-election): outside
    the allocation, added to the party's seats and to the body (results/district_seats.csv, `by-election`)."""
    fragment_votes: Mapping[str, int] = field(default_factory=dict)
    """Declared fragment votes per party (results/fragment_votes.csv), when district votes are not recorded."""
    progress: Mapping[str, BallotProgress] = field(default_factory=dict)
    certified: bool = False
    accounting: Mapping[str, BallotAccounting] = field(default_factory=dict)
    """Per ballot (`list`, `district`): the ballot accounting summed over the accepted protocols."""

    @property
    def status(self) -> CountStatus:
        """Partial while protocols are missing; complete for published totals or a full count; certified."""
        return count_status(self.progress, certified=self.certified)

    @property
    def turnout(self) -> Fraction | None:
        """Turnout as a fraction, computed from what was counted; the published figure only without a count.

        On a partial count it is the turnout of the stations counted (took part / their registered voters).
        """
        counted = self.list_tally.turnout if self.list_tally else None
        if counted is not None:
            return counted
        return None if self.published_turnout is None else self.published_turnout / 100


@dataclass(frozen=True, slots=True)
class PreviousParty:
    """One party's result at the previous election, as the comparison needs it."""

    name: str
    percent: Fraction | None
    seats: int


@dataclass(frozen=True, slots=True)
class PreviousElection:
    """What the comparison needs of the previous election: its name, size, turnout and party results.

    `successors` maps a previous party's name to the current party that continues it (Nur Otan -> Amanat).
    """

    name: str
    seats: int
    turnout: Fraction | None
    parties: tuple[PreviousParty, ...]
    successors: Mapping[str, str] = field(default_factory=dict)
    secretary: str | None = None
    secretary_party: str | None = None
    majority: int | None = None
    """Seats a majority needed then (the body may have had another size)."""
    names: Names = field(default_factory=dict)

    def party(self, current_name: str) -> PreviousParty | None:
        """The previous result of the party now named `current_name`, following renamings."""
        for p in self.parties:
            if self.successors.get(p.name, p.name) == current_name:
                return p
        return None


@dataclass(frozen=True, slots=True)
class Commission:
    """The commission that establishes the result and signs its protocol, with its officers (names or None)."""

    name: str
    names: Names = field(default_factory=dict)
    chair: str | None = None
    deputy_chair: str | None = None
    secretary: str | None = None
    time_zone: str | None = None
    """The IANA time zone the commission sits in (`Asia/Almaty`); None: times are shown in UTC."""


@dataclass(frozen=True, slots=True)
class Election:
    """One election: the body, its rules, the contestants and the counted ballots."""

    name: str
    body: Body
    system: ElectoralSystem
    parties: tuple[Party, ...]
    lists: Mapping[str, PartyList]
    districts: tuple[District, ...]
    results: Results
    date: date | None = None
    designations: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    previous: PreviousElection | None = None
    secretary_before: str | None = None
    secretary_before_party: str | None = None
    secretary_after: str | None = None
    secretary_after_party: str | None = None
    notes: tuple[str, ...] = ()
    names: Names = field(default_factory=dict)
    commission: Commission | None = None
    constituencies: tuple[Constituency, ...] = ()
    """List constituencies; empty for an election with one (the common case)."""
    registration: Registration = field(default_factory=Registration)
    """Candidates' particulars and withdrawals, where the folder records them."""
    country: str | None = None
    territory: str | None = None
    """The area the body serves (the city), where it is not the body's own name."""
    cyrillic: str | None = None
    """The language (`kk` or `ru`) of the folder's names written in Cyrillic, for exports that tag languages."""
    decisions: tuple[LotDecision, ...] = ()
    """Drawings of lots the commission held for ties the rules leave to it, with their outcomes."""
    constituency_lists: Mapping[str, Mapping[str, PartyList]] = field(default_factory=dict)
    """Party lists per list constituency (constituency -> party -> list), where each constituency has its own
    (lists.csv `constituency`); a party without one there uses its national list in `lists`."""
    preferences: Mapping[str, Mapping[str, Mapping[str, int]]] = field(default_factory=dict)
    """Preference votes per constituency ("" for one), party and candidate (open lists:
    results/preferences.csv, or summed from the polling-station protocols)."""
    preference_stations: Mapping[str, Mapping[str, Mapping[int, Mapping[str, int]]]] = field(default_factory=dict)
    """The same per polling station: constituency -> party -> station -> candidate -> votes, where the folder
    gives them (results/preferences.csv `station`, or the protocols): Poland's tie rule reads them."""

    def list_of(self, party: str, constituency: str = "") -> PartyList | None:
        """The party's list in that constituency: its own list there, else its national list, else None."""
        local = self.constituency_lists.get(constituency, {}).get(party) if constituency else None
        return local if local is not None else self.lists.get(party)

    def party(self, short_name: str) -> Party | None:
        """The party of that short name, if registered."""
        return next((p for p in self.parties if p.short_name == short_name), None)

    @property
    def parties_in_registration_order(self) -> tuple[Party, ...]:
        """Parties sorted by registration order: the order ballots list them and ties may be broken by."""
        return tuple(sorted(self.parties, key=lambda p: p.registration_order))
