"""One view of a result for every renderer: the rows of every table, built once, in one order.

Every format (terminal, Markdown, CSV, HTML, PDF, hemicycle, JSON, and the wikitext and NIST exports) reads
these rows, so no two formats can disagree on a figure or on the order of the parties.

The order, documented once (docs/reports.md):
- **parties**: most list votes first, then registration order (the ballot's order) for equal votes;
- **ballot lines** under the parties, so the table adds up: "against all", the total the percentages are
  taken of (100%), invalid ballots, ballots cast (voters who took part), registered voters;
- **seat lines** under the parties: independents, open seats (repeat election or tie), districts not yet
  reported, list seats awaiting a decision, then the total;
- **districts**: by number; each with every candidate's votes (most first) and its ballot's totals;
- **deputies**: district deputies by district number, then list deputies party by party in the parties'
  order, each list in the order its seats were filled.

Figures stay exact (`int`, `Fraction`); words and number formats are the renderer's business (`Words`).
Names are localised here once: the folder's `name_kk`, `name_ru`, ... where given, else the name as registered.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction

from saylau.analysis import MajorityChange
from saylau.apportionment import Allocation, ThresholdBase
from saylau.composition import Decision, DistrictOutcome, DistrictStatus, SeatKind
from saylau.domain import BallotAccounting, BallotProgress, Commission, CountStatus, Tally, TieTier, localised
from saylau.result import Result

OTHER_COLOUR = "#9e9e9e"


@dataclass(frozen=True, slots=True)
class PartyRow:
    """One party's figures; None means unknown (previous figures: None with `new` True means "New")."""

    party: str
    """The identifier (the folder's short name)."""
    name: str
    """The short name in the view's language."""
    full_name: str
    leader: str | None
    leader_since: str | None
    colour: str
    registration_order: int
    list_votes: int
    list_percent: Fraction | None
    list_seats: int
    district_seats: int
    seats: int
    previous_seats: int | None
    previous_percent: Fraction | None
    seat_change: int | None
    swing_pp: Fraction | None
    new: bool | None
    """None when there is no previous election to compare with."""


class LineKind(StrEnum):
    """A ballot line under the party rows."""

    AGAINST_ALL = "against_all"
    BLANK = "blank"
    """Blank ballots, where the folder records them (in the base where the rules count them)."""
    SHARE_BASE = "share_base"
    """The ballots the percentages are taken of: their percentages add up to 100."""
    INVALID = "invalid"
    CAST = "cast"
    """Ballots found in the boxes: everyone who took part."""
    REGISTERED = "registered"


@dataclass(frozen=True, slots=True)
class BallotLine:
    """A ballot line of the party table: its count, and its percentage where it is part of the base."""

    kind: LineKind
    count: int
    percent: Fraction | None


class SeatLineKind(StrEnum):
    """A line of seats not held by a party."""

    INDEPENDENTS = "independents"
    VACANT = "vacant"
    """Counted districts whose seat stays open: repeat election, or a tie for the commission."""
    NOT_REPORTED = "not_reported"
    UNDECIDED = "undecided"
    """List seats waiting for the commission to decide a tie."""


@dataclass(frozen=True, slots=True)
class SeatLine:
    """Seats of one kind not held by a party (only kinds with seats are listed)."""

    kind: SeatLineKind
    seats: int


@dataclass(frozen=True, slots=True)
class CandidateRow:
    """One candidate's line in a district."""

    name: str
    party: str | None
    party_name: str | None
    votes: int
    illustrative: bool = False
    """The name is a placeholder the folder marks as illustrative (`Nominee.illustrative`)."""


@dataclass(frozen=True, slots=True)
class DistrictRow:
    """One district: its decision and why, its winner, every candidate's votes and its ballot's totals."""

    number: int
    name: str
    status: DistrictStatus
    decision: Decision
    winner: str | None
    party: str | None
    party_name: str | None
    """The winner's party in the view's language; None for a self-nominated winner or no winner."""
    votes: int | None
    margin: int | None
    top_votes: int
    candidates: tuple[CandidateRow, ...]
    tied: tuple[str, ...]
    lot_seed: int | None
    tally: Tally | None
    quota: Fraction | None = None
    """Single transferable vote: the quota (and `stages`, the number of counts)."""
    stages: int = 0
    winner_illustrative: bool = False
    """The winner's name is a placeholder the folder marks as illustrative."""


@dataclass(frozen=True, slots=True)
class LotRow:
    """A tie the rules leave to the commission: who is tied where, and the drawing of lots that settled it
    (`winners`, when, by whom) or, with no `winners`, that is still required."""

    tier: TieTier
    district: int | None
    constituency: str
    tied: tuple[str, ...]
    """Names in the view's language (party names localised)."""
    votes: tuple[int, ...]
    seats: int
    winners: tuple[str, ...]
    drawn_on: str
    recorded_by: str
    stage: str = ""
    """List tier: "remainder", "average" or "excess" (what is tied); "" for a district."""
    value: Fraction | None = None
    """List tier: the tied remainder or average."""

    @property
    def settled(self) -> bool:
        """A recorded drawing of lots settled it."""
        return bool(self.winners)


@dataclass(frozen=True, slots=True)
class DeputyRow:
    """One elected deputy; `name` is None where the folder does not record the list's candidates."""

    name: str | None
    party: str | None
    party_name: str | None
    kind: SeatKind
    district: int | None
    list_position: int | None
    constituency: str = ""
    """The list constituency whose list elected the deputy ("" for an election with one)."""
    preference_votes: int | None = None
    """Open lists: the deputy's preference votes."""
    illustrative: bool = False
    """The name is a placeholder the folder marks as illustrative (`Nominee.illustrative`)."""


class MajorityState(StrEnum):
    """What can be said of the majority: held by a party, held by none, or (on a partial count) a leader."""

    HELD = "held"
    NONE = "none"
    LEADING = "leading"
    """A partial count: a party leads; no majority is won or lost until every protocol is in."""


@dataclass(frozen=True, slots=True)
class MajorityView:
    """The majority line: the state, the largest party and its seats."""

    state: MajorityState
    party: str | None
    party_name: str | None
    seats: int
    majority: int
    seats_total: int


@dataclass(frozen=True, slots=True)
class ResultView:
    """Everything a report shows, in the order it shows it."""

    lang: str
    election_name: str
    body_name: str
    convocation: int | None
    date: date | None
    status: CountStatus
    progress: tuple[BallotProgress, ...]
    turnout: Fraction | None
    """Turnout in percent, computed from what was counted."""
    published_turnout: Fraction | None
    """The published turnout in percent, only when it differs from the counted one (at its precision)."""
    turnout_change_pp: Fraction | None
    seats_total: int
    seats_filled: int
    majority: MajorityView
    majority_change: MajorityChange | None
    previous_name: str | None
    previous_seats: int | None
    parties: tuple[PartyRow, ...]
    ballot_lines: tuple[BallotLine, ...]
    seat_lines: tuple[SeatLine, ...]
    districts: tuple[DistrictRow, ...]
    deputies: tuple[DeputyRow, ...]
    lots: tuple[LotRow, ...]
    """Ties left to the commission: each settled by a recorded drawing of lots, or waiting for one."""
    allocation: Allocation | None
    share_base: ThresholdBase
    secretary_before: tuple[str, str | None] | None
    secretary_after: tuple[str, str | None] | None
    commission: Commission | None
    commission_name: str | None
    accounting: dict[str, BallotAccounting]
    list_tally: Tally | None
    notes: tuple[str, ...]

    @property
    def compared(self) -> bool:
        """There is a previous election to compare with."""
        return self.previous_name is not None

    @property
    def partial(self) -> bool:
        """The count is not complete: every page must say so."""
        return self.status is CountStatus.PARTIAL

    @property
    def stations(self) -> BallotProgress | None:
        """The progress to quote in one line: the list ballot's, else the first ballot's."""
        return next((p for p in self.progress if p.ballot == "list"), self.progress[0] if self.progress else None)

    def party_name(self, party: str | None) -> str | None:
        """The localised short name of a party identifier (the identifier itself if unknown)."""
        if party is None:
            return None
        return next((row.name for row in self.parties if row.party == party), party)


_MADE: OrderedDict[tuple[int, str], tuple[Result, ResultView]] = OrderedDict()
"""The views made last, by the result's identity and the language: one page renders several parts of one result
(the public page, its fragment, its hemicycle), each asking for the same view."""
_MADE_KEPT = 6
_MADE_LOCK = threading.Lock()


def build_view(result: Result, lang: str = "en") -> ResultView:
    """The view of `result` with names in `lang` (language code; names fall back to the registered ones): the one
    made last for this very result and language where it is still kept (a view is frozen, a result too)."""
    key = (id(result), lang)
    with _MADE_LOCK:
        kept = _MADE.get(key)
    if kept is not None and kept[0] is result:
        return kept[1]
    view = _view(result, lang)
    with _MADE_LOCK:
        _MADE[key] = (result, view)
        _MADE.move_to_end(key)
        while len(_MADE) > _MADE_KEPT:
            _MADE.popitem(last=False)
    return view


def _view(result: Result, lang: str) -> ResultView:
    election, composition = result.election, result.composition
    parties = _party_rows(result, lang)
    names = {row.party: row.name for row in parties}
    made_up = placeholders(result)
    turnout = election.results.turnout
    turnout_pct = None if turnout is None else turnout * 100
    comparison = result.comparison
    majority_change = comparison.majority_change(composition.seats_total, composition.majority) if comparison else None
    return ResultView(
        lang=lang,
        election_name=localised(election.names, lang, election.name),
        body_name=localised(election.body.names, lang, election.body.name),
        convocation=election.body.convocation,
        date=election.date,
        status=result.status,
        progress=tuple(result.progress.values()),
        turnout=turnout_pct,
        published_turnout=_published_turnout(election.results.published_turnout, turnout_pct),
        turnout_change_pp=comparison.turnout_change_pp if comparison else None,
        seats_total=composition.seats_total,
        seats_filled=composition.seats_filled,
        majority=_majority(result, names),
        majority_change=None if result.status is CountStatus.PARTIAL else majority_change,
        previous_name=localised(comparison.previous.names, lang, comparison.previous.name) if comparison else None,
        previous_seats=comparison.previous.seats if comparison else None,
        parties=tuple(parties),
        ballot_lines=_ballot_lines(result),
        seat_lines=_seat_lines(result),
        districts=tuple(_district_row(result, d, names, lang, made_up) for d in composition.districts),
        deputies=_deputy_rows(result, names, [row.party for row in parties]),
        lots=_lot_rows(result, names),
        allocation=composition.list_allocation,
        share_base=_share_base(result),
        secretary_before=_person(election.secretary_before, election.secretary_before_party, names),
        secretary_after=_person(election.secretary_after, election.secretary_after_party, names),
        commission=election.commission,
        commission_name=localised(election.commission.names, lang, election.commission.name)
        if election.commission
        else None,
        accounting=dict(election.results.accounting),
        list_tally=election.results.list_tally,
        notes=election.notes,
    )


def party_rows(result: Result, lang: str = "en") -> list[PartyRow]:
    """The party rows alone, in the view's order (most list votes first, then registration order)."""
    return _party_rows(result, lang)


def _party_rows(result: Result, lang: str) -> list[PartyRow]:
    election, composition, comparison = result.election, result.composition, result.comparison
    changes = {c.party: c for c in comparison.parties} if comparison else {}
    rows = []
    for line in composition.parties:
        party = election.party(line.party)
        change = changes.get(line.party)
        rows.append(
            PartyRow(
                party=line.party,
                name=localised(party.names, lang, line.party) if party else line.party,
                full_name=localised(party.full_names, lang, party.full_name) if party else line.party,
                leader=party.leader if party else None,
                leader_since=party.leader_since if party else None,
                colour=party.colour if party else OTHER_COLOUR,
                registration_order=party.registration_order if party else 0,
                list_votes=line.list_votes,
                list_percent=None if line.list_share is None else line.list_share * 100,
                list_seats=line.list_seats,
                district_seats=line.district_seats,
                seats=line.seats,
                previous_seats=change.previous_seats if change else None,
                previous_percent=change.previous_percent if change else None,
                seat_change=change.seat_change if change else None,
                swing_pp=change.swing_pp if change else None,
                new=change.is_new if change else None,
            )
        )
    return sorted(rows, key=lambda r: (-r.list_votes, r.registration_order))


def _share_base(result: Result) -> ThresholdBase:
    tier = result.election.system.list_tier
    return tier.threshold_base if tier else ThresholdBase.VALID


def _ballot_lines(result: Result) -> tuple[BallotLine, ...]:
    """Against all, blank, the share base (100%), invalid, cast and registered: the lines that make the table
    add up (blank ballots are in the base where the rules count them there, as the threshold does)."""
    tally = result.election.results.list_tally
    if tally is None:
        return ()
    base_kind = _share_base(result)
    in_base = base_kind is not ThresholdBase.PARTY
    tier = result.election.system.list_tier
    blank_in = in_base and bool(tally.blank) and (tier is None or tier.blank_in_base)
    base = base_kind.of(tally.option_votes, tally.against_all + (tally.blank if blank_in else 0), tally.invalid)

    def share(count: int, counted: bool) -> Fraction | None:
        return Fraction(count * 100, base) if counted and base else None

    lines = [BallotLine(LineKind.AGAINST_ALL, tally.against_all, share(tally.against_all, in_base))]
    if tally.blank:
        lines.append(BallotLine(LineKind.BLANK, tally.blank, share(tally.blank, blank_in)))
    if base_kind is ThresholdBase.CAST:
        lines.append(BallotLine(LineKind.INVALID, tally.invalid, share(tally.invalid, True)))
    lines.append(BallotLine(LineKind.SHARE_BASE, base, Fraction(100) if base else None))
    if base_kind is not ThresholdBase.CAST:
        lines.append(BallotLine(LineKind.INVALID, tally.invalid, None))
    lines.append(BallotLine(LineKind.CAST, tally.took_part, None))
    if tally.registered:
        lines.append(BallotLine(LineKind.REGISTERED, tally.registered, None))
    return tuple(lines)


def _seat_lines(result: Result) -> tuple[SeatLine, ...]:
    composition = result.composition
    lines = [
        SeatLine(SeatLineKind.INDEPENDENTS, composition.independents),
        SeatLine(SeatLineKind.VACANT, composition.vacant_seats),
        SeatLine(SeatLineKind.NOT_REPORTED, len(composition.unreported)),
        SeatLine(SeatLineKind.UNDECIDED, composition.undecided_list_seats),
    ]
    return tuple(line for line in lines if line.seats)


def _published_turnout(published: Fraction | None, counted: Fraction | None) -> Fraction | None:
    """The published figure, kept only where it differs from the count at the precision it was published in."""
    if published is None or counted is None:
        return published if counted is None else None
    step = Fraction(1, 10 ** _decimals(published))
    shown = math.floor(counted / step + Fraction(1, 2)) * step
    return None if shown == published else published


def _decimals(value: Fraction) -> int:
    for digits in range(0, 7):
        if (value * 10**digits).denominator == 1:
            return digits
    return 6


def _majority(result: Result, names: dict[str, str]) -> MajorityView:
    composition = result.composition
    largest = max(composition.parties, key=lambda p: p.seats, default=None)
    party, seats = (largest.party, largest.seats) if largest and largest.seats else (None, 0)
    if result.status is CountStatus.PARTIAL:
        state = MajorityState.LEADING if party else MajorityState.NONE
    elif composition.majority_holder is not None:
        party = composition.majority_holder
        holder = composition.party(party)
        seats = holder.seats if holder else 0
        state = MajorityState.HELD
    else:
        state = MajorityState.NONE
    name = names.get(party, party) if party else None
    return MajorityView(state, party, name, seats, composition.majority, composition.seats_total)


def _lot_rows(result: Result, names: dict[str, str]) -> tuple[LotRow, ...]:
    """Every tie left to the commission, with the record of the drawing that settled it (if any)."""
    rows = []
    for tie in result.ties:
        record = None if tie.decision is None else result.election.decisions[tie.decision]
        rows.append(
            LotRow(
                tie.tier,
                tie.district,
                tie.constituency,
                tuple(names.get(n, n) for n in tie.tied),
                tie.votes,
                tie.seats,
                tuple(names.get(n, n) for n in tie.winners),
                record.drawn_on if record else "",
                record.recorded_by if record else "",
                tie.stage,
                tie.value,
            )
        )
    return tuple(rows)


def placeholders(result: Result) -> frozenset[str]:
    """The names the folder marks as placeholders (lists.csv and candidates.csv rows whose `source` begins with
    "illustrative"), which every report marks as such."""
    return frozenset(n.name for n in result.election.registration.nominees if n.illustrative)


def _district_row(
    result: Result, d: DistrictOutcome, names: dict[str, str], lang: str, made_up: frozenset[str]
) -> DistrictRow:
    """A district's row; `made_up`: the placeholder names (found once for every district)."""
    district = next((x for x in result.election.districts if x.number == d.number), None)
    winner_party = d.winner.party if d.winner else None
    return DistrictRow(
        number=d.number,
        name=localised(district.names, lang, district.name) if district else "",
        status=d.status,
        decision=d.decision,
        winner=d.winner.name if d.winner else None,
        party=winner_party,
        party_name=names.get(winner_party, winner_party) if winner_party else None,
        votes=d.standings[0].votes if d.winner and d.standings else None,
        margin=d.margin,
        top_votes=d.top_votes,
        candidates=tuple(
            CandidateRow(
                s.candidate.name,
                s.candidate.party,
                names.get(s.candidate.party, s.candidate.party) if s.candidate.party else None,
                s.votes,
                s.candidate.name in made_up,
            )
            for s in d.standings
        ),
        tied=d.tied,
        lot_seed=d.lot_seed,
        tally=result.election.results.district_tallies.get(d.number),
        quota=d.count.quota if d.count is not None else None,
        stages=len(d.count.stages) if d.count is not None else 0,
        winner_illustrative=d.winner is not None and d.winner.name in made_up,
    )


def _deputy_rows(result: Result, names: dict[str, str], party_order: list[str]) -> tuple[DeputyRow, ...]:
    rank = {p: i for i, p in enumerate(party_order)}
    made_up = placeholders(result)
    deputies = result.composition.deputies
    district = sorted((d for d in deputies if d.kind is SeatKind.DISTRICT), key=lambda d: d.district or 0)
    listed = sorted((d for d in deputies if d.kind is SeatKind.LIST), key=lambda d: rank.get(d.party or "", len(rank)))
    return tuple(
        DeputyRow(
            d.name,
            d.party,
            names.get(d.party, d.party) if d.party else None,
            d.kind,
            d.district,
            d.list_position,
            d.constituency,
            d.preference_votes,
            d.name is not None and d.name in made_up,
        )
        for d in district + listed
    )


def _person(name: str | None, party: str | None, names: dict[str, str]) -> tuple[str, str | None] | None:
    if not name:
        return None
    return name, (names.get(party, party) if party else None)
