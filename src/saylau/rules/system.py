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

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from saylau.apportionment import Method, ThresholdBase, TieRule
from saylau.errors import Phrase
from saylau.limits import MAX_COUNT, MAX_SEATS
from saylau.rules.numbers import ExactNumber
from saylau.rules.registration import RegistrationRules


def _percentage(value: Fraction) -> Fraction:
    if not 0 <= value <= 100:
        raise ValueError(Phrase("must be a percentage from 0 to 100"))
    return value


class SeatHolders(StrEnum):
    """Who takes a party's list seats."""

    LIST_ORDER = "list-order"
    DESIGNATION = "designation"
    """The party designates candidates of its list (Kazakhstan: within 10 days); list order fills the rest."""


class Exhausted(StrEnum):
    """What happens to a list seat when the list has no name left for it (docs/compensation.md)."""

    RECOMPUTE = "recompute"
    """The list is disregarded from then on and the seat is shared again among the others by the same method
    (a quota recomputed without it): Scotland Act 1998 s.8(6) for the additional-member mode."""
    PASS_ON = "pass-on"
    """The seat passes to the next list in the method's own order, the quota kept (for a divisor method the
    same as `recompute`)."""
    VACANT = "vacant"
    """The seat stays vacant (Germany, Federal Elections Act s.6: seats beyond a Land list's names stay
    unfilled)."""


class _Rules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)


class PreferenceBase(StrEnum):
    """What an open list's preference threshold is measured against."""

    QUOTA = "quota"
    """A share of the electoral quota (the constituency's valid list votes / its seats): the Netherlands, 25%."""
    LIST = "list"
    """A share of the list's own votes."""
    VOTES = "votes"
    """An absolute number of preference votes (0: no threshold, the most votes win: Poland)."""


class PreferenceRest(StrEnum):
    """Who takes a list's seats left after the candidates over the preference threshold."""

    LIST_ORDER = "list-order"
    """The others in list order (the Netherlands, Kieswet P 17)."""
    PREFERENCE = "preference"
    """The others by preference votes (with no threshold: every seat by votes, Poland)."""


class CandidateTie(StrEnum):
    """Who goes first among a list's candidates with equal preference votes, where it decides a seat."""

    LIST_ORDER = "list-order"
    """The earlier place on the list (Poland's Sejm electoral law of 1993, art. 111(2))."""
    MORE_STATIONS = "more-stations"
    """The candidate who received more votes than the other tied in more polling districts (obwody); equal
    numbers of them: a drawing of lots (Poland, Electoral Code of 2011, art. 232 s.2). Needs the preference
    votes per polling station (protocols, or results/preferences.csv `station`)."""
    LOT = "lot"
    """A drawing of lots (the Netherlands, Kieswet P 15(2): equal votes, the lot decides)."""


class OpenList(_Rules):
    """Open lists: who takes a list's seats, by the candidates' preference votes (results/preferences.csv).

    Candidates with at least the threshold are elected first, most votes first (equal votes: list order);
    the list's other seats go by `rest`.
    """

    base: PreferenceBase = PreferenceBase.VOTES
    share: ExactNumber = Fraction(0)
    """The threshold as a fraction of the quota or of the list's votes (`base` quota or list): 1/4 is 25%."""
    votes: int = Field(default=0, ge=0, le=MAX_COUNT)
    """The threshold in preference votes (`base` votes)."""
    rest: PreferenceRest = PreferenceRest.LIST_ORDER
    tie: CandidateTie = CandidateTie.LIST_ORDER
    """Equal preference votes where they decide a seat (a lot: the commission's recorded drawing, decisions.csv
    tier `candidate`; else `tie_seed`'s replayable draw; else the seat waits for the drawing)."""
    tie_seed: int | None = None


class STVQuota(StrEnum):
    """The quota of a single transferable vote count."""

    DROOP = "droop"
    """floor(valid / (seats + 1)) + 1: reaching it elects (Ireland, Scotland)."""
    DROOP_EXACT = "droop-exact"
    """valid / (seats + 1), unrounded: more than it elects."""
    HARE = "hare"
    """valid / seats: reaching it elects."""


class SurplusTransfer(StrEnum):
    """How an elected candidate's surplus passes on (composition/stv.py explains each)."""

    WEIGHTED_INCLUSIVE = "weighted-inclusive-gregory"
    """Every paper, at its value x surplus / the candidate's total (Scottish councils)."""
    INCLUSIVE = "inclusive-gregory"
    """Every paper, at surplus / the number of the candidate's papers."""
    LAST_PARCEL = "last-parcel"
    """The parcel that elected the candidate, at surplus / its value: Ireland's rules as an exact deterministic
    variant (fractions of every paper where Ireland draws whole papers at random)."""


class STVRules(_Rules):
    """A single transferable vote count in every multi-member district (results/rankings.csv)."""

    quota: STVQuota = STVQuota.DROOP
    surplus: SurplusTransfer = SurplusTransfer.WEIGHTED_INCLUSIVE
    decimals: int | None = Field(default=None, ge=0, le=12)
    """Transfer values truncated to this many decimals, as the law says (Scotland: 5); None: exact."""
    defer_surplus: bool = False
    """Ireland (Electoral Act 1992 s.121, as the Dáil count applies it): a surplus, with every other surplus
    not yet transferred, is not transferred while it could neither elect the highest continuing candidate, nor
    lift the lowest above the next lowest (save it from exclusion), nor bring the lowest past a quarter of the
    quota (the recoupment of expenses, s.48(1)(e)); the lowest is excluded instead."""


class AgainstAllRule(StrEnum):
    """What happens when "against all" has more votes than every candidate of a district."""

    REPEAT_ELECTION = "repeat-election"
    LEADING_CANDIDATE = "leading-candidate"


DISTRICT_TIE_RULES = frozenset({TieRule.DECIDE, TieRule.LOT})
"""The tie rules a district takes (the one `TieRule` of both tiers): candidates tied for a district seat have
no registration order or vote count between them, so the commission decides (`decide`, the seat stays open
until its drawing of lots is recorded) or a seeded drawing of lots that anyone can replay (`lot`)."""


def _district_tie(value: object) -> object:
    """Refuses, before the enum reads it, a rule a district cannot take, in the words every enum error has."""
    if not isinstance(value, str) or value not in DISTRICT_TIE_RULES:  # a StrEnum member equals its text
        raise ValueError(Phrase("must be one of {known}", known=", ".join(sorted(DISTRICT_TIE_RULES))))
    return value


class Combination(StrEnum):
    """How the list tier and the district tier combine (docs/compensation.md explains each with its law)."""

    PARALLEL = "parallel"
    """Each tier on its own; a party's seats are its list seats plus its district seats (Kazakhstan, Lithuania)."""
    COMPENSATORY = "compensatory"
    """MMP: the body is shared proportionally, list seats top each party up to its share (New Zealand)."""
    ADDITIONAL_MEMBER = "additional-member"
    """A fixed number of list seats per constituency, by a divisor that counts the districts each party won
    there (Scotland: modified D'Hondt, divisor = districts won + list seats won + 1)."""
    COVERAGE = "coverage"
    """The body is shared proportionally and a party's district winners take its seats only as far as its
    share covers them, best first; the rest are not seated (Germany from 2025)."""


class Overhang(StrEnum):
    """What a compensatory system does when a party wins more districts than its proportional share."""

    GROW = "grow"
    """The party keeps them and the body grows by the difference (New Zealand)."""
    ABSORB = "absorb"
    """The party keeps them; the other parties share what is left of the body's fixed size."""
    LEVEL = "level"
    """The body grows until every party's proportional share covers its districts (Germany 2013-2021)."""


class Scope(StrEnum):
    """Where a rule is applied when the election has several constituencies."""

    NATIONAL = "national"
    CONSTITUENCY = "constituency"
    BOTH = "both"
    """Thresholds only: a list must pass both nationally and in the constituency."""


class ApportionBy(StrEnum):
    """How the list seats are shared among constituencies."""

    FIXED = "fixed"
    """Each constituency's seats are given in constituencies.csv."""
    POPULATION = "population"
    REGISTERED = "registered"


class FragmentVotes(StrEnum):
    """Which district votes are added to the parties' list votes (Hungary: "fragment votes")."""

    NONE = "none"
    LOSERS = "losers"
    """Votes of every losing district candidate go to the candidate's party."""
    LOSERS_AND_SURPLUS = "losers-and-surplus"
    """Also the winner's votes beyond the runner-up's plus one (Hungary since 2014)."""


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
    """A party takes at most as many seats as its list has names left (not elected in a district, not
    withdrawn); what happens to the seats beyond is `exhausted`. False: lists are never short (names unrecorded
    are "candidate not recorded")."""
    open_list: OpenList | None = None
    """Open lists: a list's seats go to its candidates by preference votes (None: closed lists)."""
    exhausted: Exhausted = Exhausted.RECOMPUTE
    """A list used up: its seats shared again, passed on, or left vacant. When every list is used up, the seats
    left are declared vacant, never refused."""
    threshold_districts: int | None = Field(default=None, ge=1)
    """Alternative: a list that won at least this many districts passes whatever its share (NZ 1, Germany 3)."""
    threshold_exempt: tuple[str, ...] = ()
    """Lists exempt from the threshold (parties of national minorities: Germany's SSW)."""
    joint_list_thresholds: dict[int, ExactNumber] = Field(default_factory=dict)
    """Percent required of a joint list by its number of member parties (Hungary {2: 10, 3: 15}); a list
    uses the entry of the largest member count not above its own (parties.csv `members`)."""
    threshold_scope: Scope = Scope.NATIONAL
    """With several constituencies: the threshold is taken nationally, in each constituency, or both."""
    blank_in_base: bool = True
    """Blank votes (the `blank` column of ballots.csv) count in the `valid` and `cast` bases."""
    apportion_by: ApportionBy = ApportionBy.FIXED
    """With several constituencies: how their list seats are fixed."""
    apportion_method: Method = Method.HARE
    apportion_minimum: int = Field(default=0, ge=0)
    """Seats every apportioned constituency gets before the rest is shared (Spain: 2)."""
    preferential_quota: ExactNumber | None = None
    """Minority lists (parties.csv `minority`) win one seat with this fraction of (all list votes / list
    seats) before the others share the rest (Hungary: 1/4)."""


class DistrictRounds(StrEnum):
    """How many rounds a district may take."""

    ONE = "one"
    """Plurality: the most votes win."""
    TWO = "two"
    """A majority in round one, else a run-off between the top two (results/runoff.csv)."""


class MajorityBase(StrEnum):
    """What the round-one majority is a majority of."""

    VALID = "valid"
    """Votes for candidates plus "against all" and blank votes."""
    CAST = "cast"
    """Everyone who took part, invalid ballots included (Lithuania)."""


class DistrictTier(_Rules):
    """Districts won by plurality (one or more seats each) or in two rounds."""

    against_all: AgainstAllRule = AgainstAllRule.REPEAT_ELECTION
    rounds: DistrictRounds = DistrictRounds.ONE
    majority_base: MajorityBase = MajorityBase.VALID
    low_turnout_percent: ExactNumber | None = None
    """Two rounds: below this turnout (percent of registered voters) round one is won not by a majority but
    by the most votes with at least `low_turnout_share` of the registered voters (Lithuania: 40, 1/5)."""
    low_turnout_share: ExactNumber | None = None
    tie: Annotated[TieRule, BeforeValidator(_district_tie)] = TieRule.DECIDE
    """How a tie between the leading candidates is settled: `decide` or `lot` (`DISTRICT_TIE_RULES`)."""
    tie_seed: int | None = None
    stv: STVRules | None = None
    """Count every district by the single transferable vote from its ranked ballots (None: plurality)."""


class ElectoralSystem(_Rules):
    """The whole system: its preset's name, the tiers and how they combine."""

    preset: str | None = None
    description: str = ""
    list_tier: ListTier | None = None
    district_tier: DistrictTier | None = None
    combination: Combination = Combination.PARALLEL
    overhang: Overhang = Overhang.ABSORB
    compensation_scope: Scope = Scope.NATIONAL
    """Compensatory and coverage systems: compensate over the whole country or in each constituency."""
    fragment_votes: FragmentVotes = FragmentVotes.NONE
    registration: RegistrationRules = Field(default_factory=RegistrationRules)
    """What registration checks (age, one candidacy, list shape, period, quota) and how ballots order lines."""

    @property
    def is_mixed(self) -> bool:
        """True when both tiers elect deputies."""
        return self.list_tier is not None and self.district_tier is not None
