"""The election folder: a human-editable description of one election (see docs/election-folder.md).

    election.toml          the body, date, rules (preset + overrides), previous election, secretary
    parties.csv            registered parties and their lists' registration order
    lists.csv              party lists, candidates in order            (optional for old elections)
    districts.csv          single-member districts                     (mixed systems)
    candidates.csv         district candidates and their party         (mixed systems)
    designations.csv       candidates a party designated for its seats (optional)
    results/ballots.csv    per ballot: registered, took part, against all, invalid
    results/list.csv       list votes per party (+ published percent and seats, optional)
    results/districts.csv  district votes per candidate
    constituencies.csv     list constituencies and their seats/population (optional: several constituencies)
    results/runoff.csv     run-off votes of two-round districts (optional)
    results/district_seats.csv   district seats won per party, when district votes are not recorded (optional)
    results/fragment_votes.csv   fragment votes per party, when district votes are not recorded (optional)

Loading validates everything and raises one `InputError` listing every problem; nothing is half-loaded.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from saylau.domain import (
    Body,
    Candidate,
    Commission,
    Constituency,
    District,
    Election,
    Party,
    PartyList,
    PreviousElection,
    RankedBallot,
    Results,
    Tally,
)
from saylau.errors import Count, InputError, Phrase, Problem, SaylauError, worded
from saylau.io.config import CommissionConfig, ElectionConfig, PreviousConfig, read_config
from saylau.io.decisions import read_decisions
from saylau.io.nominees import read_registration
from saylau.io.preference_protocols import Preferences, StationPreferences, protocol_preferences
from saylau.io.table import Problems, Row, inside, read_table
from saylau.rules import resolve_system

NOT_A_CANDIDATE = "{name} is not a candidate in district {number}"
UNKNOWN_CONSTITUENCY = "unknown constituency {name} (not in constituencies.csv)"
BODY_VS_RULES = (
    "the body has {n} seat but the rules give {list} list seats + {districts} districts = {total}",
    "the body has {n} seats but the rules give {list} list seats + {districts} districts = {total}",
)
CONSTITUENCY_SEATS = (
    "constituencies' seats add up to {n}, but the list tier has {list}",
    "constituencies' seats add up to {n}, but the list tier has {list}",
)
"""Counted sentences (singular, plural): {n} picks the form; the other figures stand after a label."""

if TYPE_CHECKING:
    from saylau.io.count import StationsCount
    from saylau.tabulation import Station

SELF_NOMINATED = {"", "self-nominated", "independent", "-"}


class Loading(TypedDict, total=False):
    """`load_election`'s options, one record (PEP 692: each is a keyword, and mypy checks every caller's names
    and types against this). An option left out takes its default: the folder read as `saylau results` reads
    it. The last three are sinks: lists the loader appends to, for a caller that wants more than the election.
    """

    follow_previous: bool
    """Load the `[previous] folder` too (default True)."""
    count_protocols: bool
    """Count `protocols/` where the folder has them (default True); False: the definition and results/ only."""
    allow_previous: str | Path | None
    """`[previous] folder` must lie inside this (default: the folder's parent), links followed."""
    stations: Sequence[Station] | None
    """The station register when the folder has no stations.csv (an election day's, see io/day.py)."""
    pending: bool
    """A contest of an election day whose folder has neither results/ nor protocols/ yet (a fresh night): no
    result file is required, and nothing is counted (default False)."""
    notices: list[Problem] | None
    """Each protocol left out of the count is added here, so a caller can say the count is partial."""
    differences: list[Problem] | None
    """Where the folder also carries published totals, each one the complete count does not give is added
    here (`saylau.io.crosscheck`), naming the published file and the protocol files."""
    kept: list[StationsCount] | None
    """The stations' count with every accepted protocol is appended here (`results_from_protocols`), for a
    command that needs each station's figures too: the protocols are read once."""


def load_election(folder: str | Path, **loading: Unpack[Loading]) -> Election:
    """Load and validate an election folder; raise InputError naming every problem found.

    When the folder has `protocols/` (and `stations.csv`), the tallies are counted from the accepted
    polling-station protocols instead of the totals in `results/`. The options (`Loading`) say what else to
    read and where to report it. Two steps: the definition with its results files (`_definition`), then the
    count of its protocols (`_counted`).
    """
    root = Path(folder)
    if not root.is_dir():
        raise InputError([worded("is not a folder", str(folder))])
    pending = loading.get("pending", False) and not (root / "results").is_dir() and not (root / "protocols").is_dir()
    previous = None
    if loading.get("follow_previous", True):
        previous = Path(loading.get("allow_previous") or root.resolve().parent)
    election = _definition(root, previous, pending=pending)
    if not loading.get("count_protocols", True):
        return election
    return _counted(root, election, loading)


def _definition(root: Path, allow_previous: Path | None, *, pending: bool) -> Election:
    """The election the folder defines, with the tallies of its results files (none counted from protocols).
    `allow_previous`: the folder `[previous] folder` must lie inside (None: the previous election is not read)."""
    problems = Problems()
    config = read_config(root, problems)
    if config is None:
        raise InputError(problems.items)
    parties = _parties(root, problems)
    known = {p.short_name for p in parties}
    constituencies = _constituencies(root, problems)
    names = _Names(known, {p.short_name for p in parties if p.list_ballot}, {c.name for c in constituencies})
    lists, constituency_lists = _lists(root, known, problems, names.constituencies)
    declared = _district_seats(root, known, names.constituencies, problems)
    districts = _districts(root, known, names.constituencies, problems, declared)
    b = config.body
    body = Body(b.name, b.seats, b.convocation, b.majority_fraction, b.by_language)
    system = None
    try:
        district_seats = sum(d.seats for d in districts) + declared.total
        system = resolve_system(
            config.system.preset,
            config.system.overrides,
            list_seats=body.seats - district_seats,
            has_districts=bool(districts) or bool(declared.total),
        )
    except InputError as error:
        problems.items += error.problems
    results = _results(root, config, names, districts, problems, pending=pending)
    results = dataclasses.replace(
        results,
        district_seats=declared.elected,
        districts_not_held=declared.not_held,
        later_seats=declared.later,
        fragment_votes=_fragment_votes(root, known, problems),
    )
    preferences, preference_stations = _preferences(
        root, known, lists, constituency_lists, names.constituencies, problems
    )
    designations = _designations(root, lists, problems)
    registration = read_registration(root, problems)
    decisions = read_decisions(root, parties, districts, constituencies, problems)
    if system:
        _check_shape(body, districts, declared, constituencies, system, problems)
        _check_exempt(system, known, problems)
        _check_fragments(root, system, results, problems, pending=pending)
    previous = None
    if allow_previous is not None and config.previous is not None:
        previous = _previous(root, config.previous, allow_previous, problems)
    if problems.items or system is None:
        raise InputError(problems.items)
    secretary = config.secretary
    return Election(
        name=config.name or body.name,
        body=body,
        system=system,
        parties=tuple(parties),
        lists=lists,
        districts=tuple(districts),
        results=results,
        date=config.date,
        designations=designations,
        previous=previous,
        secretary_before=secretary.before,
        secretary_before_party=secretary.before_party,
        secretary_after=secretary.after,
        secretary_after_party=secretary.after_party,
        notes=tuple(config.notes),
        names=config.by_language,
        commission=_commission(config.commission),
        constituencies=tuple(constituencies),
        registration=registration,
        country=config.country,
        territory=config.territory,
        cyrillic=config.names.cyrillic,
        decisions=decisions,
        constituency_lists=constituency_lists,
        preferences=preferences,
        preference_stations=preference_stations,
    )


def _counted(root: Path, election: Election, loading: Loading) -> Election:
    """The election with the tallies counted from the folder's accepted protocols (as they are without
    protocols/), its preference votes from the protocols that carry them, and the sinks of `loading` filled."""
    from saylau.io.count import results_from_protocols

    rejected: set[int] = set()
    counted = results_from_protocols(
        root, election, loading.get("notices"), loading.get("stations"), loading.get("kept"), rejected
    )
    if counted is None:
        return election
    differences = loading.get("differences")
    if differences is not None:
        from saylau.io.crosscheck import published_differences

        differences += published_differences(root, election.results, counted)
    election = dataclasses.replace(election, results=counted)
    from_protocols = protocol_preferences(root, election, rejected)
    if from_protocols is None:
        return election
    return dataclasses.replace(election, preferences=from_protocols[0], preference_stations=from_protocols[1])


def _commission(config: CommissionConfig | None) -> Commission | None:
    """The optional `[commission]`: its name (and `name_kk`, ...), chair, deputy chair, secretary."""
    if config is None:
        return None
    return Commission(
        config.name, config.by_language, config.chair, config.deputy_chair, config.secretary, config.time_zone
    )


def _row_names(row: Row, key: str) -> dict[str, str]:
    """The `<key>_kk`, `<key>_ru`, ... columns of a CSV row that are filled in (names: visible)."""
    return {
        k[-2:]: value
        for k in row.values
        if k.startswith(key + "_") and len(k) == len(key) + 3 and (value := row.name(k, required=False))
    }


def _parties(root: Path, problems: Problems) -> list[Party]:
    columns = ("short_name", "full_name", "registration_order")
    parties: list[Party] = []
    seen: dict[str, int] = {}
    orders: dict[int, int] = {}
    for row in read_table(root, "parties.csv", columns, problems):
        name, order = row.name("short_name"), row.integer("registration_order", minimum=1)
        if name in seen:
            problems.say(
                "party {party} is listed twice (first on row {first})",
                row.path,
                row.number,
                "short_name",
                party=repr(name),
                first=seen[name],
            )
            continue
        if order is not None and order in orders:
            problems.say(
                "registration order {order} is used twice (first on row {first})",
                row.path,
                row.number,
                "registration_order",
                order=order,
                first=orders[order],
            )
        if name is None or order is None:
            continue
        seen[name], orders[order] = row.number, row.number
        parties.append(
            Party(
                short_name=name,
                full_name=row.name("full_name", required=False) or name,
                registration_order=order,
                colour=_colour(row),
                leader=row.name("leader", required=False),
                leader_since=row.text("leader_since", required=False),
                list_leader=row.name("list_leader", required=False),
                registration_date=row.day("registration_date"),
                names=_row_names(row, "name"),
                full_names=_row_names(row, "full_name"),
                members=row.integer("members", required=False, minimum=1) or 1,
                minority=_flag(row, "minority"),
                aggregate=_flag(row, "aggregate"),
                list_ballot=_flag(row, "list_ballot", default=True),
                individual=_flag(row, "individual"),
                wikipedia=row.text("wikipedia", required=False),
            )
        )
    return parties


def _flag(row: Row, name: str, *, default: bool = False) -> bool:
    """A yes/no column: no, false, 0 are no; yes, true, 1 are yes; empty is `default`; else a problem."""
    value = (row.text(name, required=False) or ("yes" if default else "no")).lower()
    if value in ("yes", "true", "1", "y"):
        return True
    if value not in ("no", "false", "0", "n"):
        row.problems.say("{value} is neither yes nor no", row.path, row.number, name, value=repr(value))
        return default
    return False


def _constituencies(root: Path, problems: Problems) -> list[Constituency]:
    """constituencies.csv: name, and seats (fixed) or population / registered (apportioned)."""
    found: dict[str, int] = {}
    out = []
    for row in read_table(root, "constituencies.csv", ("name",), problems, required=False):
        name = row.name("name")
        if name is None:
            continue
        if name in found:
            problems.say(
                "constituency {name} is listed twice (first on row {first})",
                row.path,
                row.number,
                "name",
                name=repr(name),
                first=found[name],
            )
            continue
        found[name] = row.number
        out.append(
            Constituency(
                name,
                row.integer("seats", required=False),
                row.integer("population", required=False),
                row.integer("registered", required=False),
            )
        )
    return out


def _constituency_of(row: Row, known: set[str], column: str = "constituency", *, optional: bool = False) -> str | None:
    """The row's constituency: "" for an election with one; a known name when there are several (or "" for
    the whole election where `optional`: a national list beside the constituencies' lists)."""
    name = (row.values.get(column) or "").strip()
    if optional and not name:
        return ""
    if not known:
        if name:
            row.problems.say(
                "constituency {name} given but constituencies.csv lists none",
                row.path,
                row.number,
                column,
                name=repr(name),
            )
            return None
        return ""
    if name not in known:
        if name:
            row.problems.say(UNKNOWN_CONSTITUENCY, row.path, row.number, column, name=repr(name))
        else:
            row.problems.say("is empty", row.path, row.number, column)
        return None
    return name


DISTRICT_SEAT_STATUS = ("elected", "by-election", "not-held")
"""results/district_seats.csv `status`: won at the election (default), filled by a by-election after the list
allocation, or not filled at all (no poll held; party left empty)."""


@dataclass
class DeclaredSeats:
    """results/district_seats.csv, by status: each per constituency ("" for one) and party ("" independents)."""

    elected: dict[str, dict[str, int]] = field(default_factory=dict)
    later: dict[str, dict[str, int]] = field(default_factory=dict)
    not_held: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Every district seat the file declares, filled or not: the district tier's legal size."""
        return sum(sum(sum(p.values()) for p in table.values()) for table in (self.elected, self.later)) + sum(
            self.not_held.values()
        )


def _district_seats(root: Path, known: set[str], constituencies: set[str], problems: Problems) -> DeclaredSeats:
    """results/district_seats.csv: district seats won per party (party empty or independent: independents),
    with an optional `status` (DISTRICT_SEAT_STATUS)."""
    declared = DeclaredSeats()
    for row in read_table(root, "results/district_seats.csv", ("party", "seats"), problems, required=False):
        where = _constituency_of(row, constituencies)
        status = (row.text("status", required=False) or "elected").lower()
        if status not in DISTRICT_SEAT_STATUS:
            statuses = ", ".join(DISTRICT_SEAT_STATUS)
            problems.say(
                "{value} is not one of {known}", row.path, row.number, "status", value=repr(status), known=statuses
            )
            continue
        party = (row.values.get("party") or "").strip()
        if status == "not-held":
            if party:
                problems.say(
                    "a district not held has no party, not {party}", row.path, row.number, "party", party=repr(party)
                )
                continue
        elif party.lower() in SELF_NOMINATED:
            party = ""
        elif _unknown_party(row, party, known):
            continue
        count = row.integer("seats")
        if where is None or count is None:
            continue
        if status == "not-held":
            declared.not_held[where] = declared.not_held.get(where, 0) + count
            continue
        table = declared.elected if status == "elected" else declared.later
        if party in table.setdefault(where, {}):
            if party:
                problems.say("party {party} has two rows here", row.path, row.number, "party", party=repr(party))
            else:
                problems.say("the independents have two rows here", row.path, row.number, "party")
            continue
        table[where][party] = count
    return declared


def _fragment_votes(root: Path, known: set[str], problems: Problems) -> dict[str, int]:
    """results/fragment_votes.csv: fragment votes per party, as the commission published them."""
    votes: dict[str, int] = {}
    for row in read_table(root, "results/fragment_votes.csv", ("party", "votes"), problems, required=False):
        party, count = row.text("party"), row.integer("votes")
        if _unknown_party(row, party, known) or count is None:
            continue
        assert party is not None
        if party in votes:
            problems.say("party {party} has two rows", row.path, row.number, "party", party=repr(party))
            continue
        votes[party] = count
    return votes


def _colour(row: Row) -> str:
    colour = row.text("colour", required=False) or "#888888"
    hexdigits = colour.lstrip("#")
    if (
        not colour.startswith("#")
        or len(hexdigits) not in (3, 6)
        or any(c not in "0123456789abcdefABCDEF" for c in hexdigits)
    ):
        row.problems.say("{value} is not a colour like #1f77b4", row.path, row.number, "colour", value=repr(colour))
        return "#888888"
    return colour


def _unknown_party(row: Row, party: str | None, known: set[str], field: str = "party") -> bool:
    if party is not None and party not in known:
        row.problems.say("unknown party {party} (not in parties.csv)", row.path, row.number, field, party=repr(party))
        return True
    return party is None


def _lists(
    root: Path,
    known: set[str],
    problems: Problems,
    constituencies: set[str] = frozenset(),  # type: ignore[assignment]
) -> tuple[dict[str, PartyList], dict[str, dict[str, PartyList]]]:
    """lists.csv: the national lists (no `constituency`) and, where a row names one, each constituency's."""
    positions: dict[tuple[str, str], dict[int, tuple[str, int]]] = {}
    for row in read_table(root, "lists.csv", ("party", "position", "candidate"), problems, required=False):
        party, position, candidate = (
            row.text("party"),
            row.integer("position", minimum=1),
            row.name("candidate"),
        )
        where = _constituency_of(row, constituencies, optional=True)
        if _unknown_party(row, party, known) or position is None or candidate is None or where is None:
            continue
        assert party is not None
        entries = positions.setdefault((where, party), {})
        if position in entries:
            first = entries[position][1]
            problems.say(
                DUPLICATE_POSITION_IN if where else DUPLICATE_POSITION,
                row.path,
                row.number,
                "position",
                position=position,
                party=party,
                where=where,
                first=first,
            )
            continue
        entries[position] = (candidate, row.number)
    lists: dict[str, PartyList] = {}
    local: dict[str, dict[str, PartyList]] = {}
    for (where, party), entries in positions.items():  # one list only and positions 1..n: registration rules
        made = PartyList(party, tuple(entries[p][0] for p in sorted(entries)))
        if where:
            local.setdefault(where, {})[party] = made
        else:
            lists[party] = made
    return lists, local


def _districts(
    root: Path, known: set[str], constituencies: set[str], problems: Problems, declared: DeclaredSeats
) -> list[District]:
    """districts.csv and candidates.csv. A district whose `status` is `not-held` (DISTRICT_SEAT_STATUS) has no
    poll: it is left out of the districts and its seats go to `declared.not_held` (vacant, in the body's legal
    size); `by-election`: its result is that of a by-election held after the list allocation."""
    names: dict[int, str] = {}
    localised: dict[int, dict[str, str]] = {}
    shape: dict[int, tuple[str, int]] = {}
    later: set[int] = set()
    not_held: set[int] = set()
    for row in read_table(root, "districts.csv", ("number",), problems, required=False):
        number = row.integer("number", minimum=1)
        if number is None:
            continue
        if number in names or number in not_held:
            problems.say("district {number} is listed twice", row.path, row.number, "number", number=number)
            continue
        status = (row.text("status", required=False) or "elected").lower()
        if status not in DISTRICT_SEAT_STATUS:
            statuses = ", ".join(DISTRICT_SEAT_STATUS)
            problems.say(
                "{value} is not one of {known}", row.path, row.number, "status", value=repr(status), known=statuses
            )
            continue
        where = _constituency_of(row, constituencies) or ""
        seats = row.integer("seats", required=False, minimum=1) or 1
        if status == "not-held":
            not_held.add(number)
            declared.not_held[where] = declared.not_held.get(where, 0) + seats
            continue
        if status == "by-election":
            later.add(number)
        names[number] = row.name("name", required=False) or ""
        localised[number] = _row_names(row, "name")
        shape[number] = (where, seats)
    candidates: dict[int, dict[str, Candidate]] = {n: {} for n in names}  # by name: one lookup per row
    for row in read_table(root, "candidates.csv", ("district", "candidate", "party"), problems, required=bool(names)):
        number, name = row.integer("district", minimum=1), row.name("candidate")
        party = (row.values.get("party") or "").strip()
        if number is None or name is None:
            continue
        if number in not_held:
            problems.say(
                "district {number} was not held (districts.csv status)", row.path, row.number, "district", number=number
            )
            continue
        if number not in candidates:
            problems.say(
                "unknown district {number} (not in districts.csv)", row.path, row.number, "district", number=number
            )
            continue
        if party.lower() in SELF_NOMINATED:
            party = ""
        elif _unknown_party(row, party, known):
            continue
        if name in candidates[number]:
            problems.say(
                "candidate {name} is listed twice in district {number}",
                row.path,
                row.number,
                "candidate",
                name=repr(name),
                number=number,
            )
            continue
        candidates[number][name] = Candidate(name, party or None)
    return [
        District(n, tuple(candidates[n].values()), names[n], *shape[n], names=localised[n], by_election=n in later)
        for n in sorted(names)
    ]


def _preferences(
    root: Path,
    known: set[str],
    lists: Mapping[str, PartyList],
    local: Mapping[str, Mapping[str, PartyList]],
    constituencies: set[str],
    problems: Problems,
) -> tuple[Preferences, StationPreferences]:
    """results/preferences.csv: preference votes per candidate of a list (open lists), by constituency; with a
    `station` column, one row per polling station and candidate, summed (and kept per station for the tie
    rule of Poland's art. 232 s.2)."""
    votes: Preferences = {}
    stations: StationPreferences = {}
    columns = ("party", "candidate", "votes")
    for row in read_table(root, "results/preferences.csv", columns, problems, required=False):
        where = _constituency_of(row, constituencies)
        party, candidate, count = row.text("party"), row.name("candidate"), row.integer("votes")
        station = row.integer("station", required=False, minimum=1)
        if _unknown_party(row, party, known) or where is None or candidate is None or count is None:
            continue
        assert party is not None
        party_list = (local.get(where, {}).get(party) if where else None) or lists.get(party)
        if party_list is None or candidate not in party_list.candidates:
            problems.say(
                NOT_ON_THE_LIST_IN if where else NOT_ON_THE_LIST,
                row.path,
                row.number,
                "candidate",
                candidate=repr(candidate),
                party=party,
                where=where,
            )
            continue
        lines = votes.setdefault(where, {}).setdefault(party, {})
        if station is not None:
            at = stations.setdefault(where, {}).setdefault(party, {}).setdefault(station, {})
            if candidate in at:
                problems.say(
                    "{candidate} has two rows at station {station}",
                    row.path,
                    row.number,
                    "candidate",
                    candidate=repr(candidate),
                    station=station,
                )
                continue
            at[candidate] = count
            lines[candidate] = lines.get(candidate, 0) + count
            continue
        if candidate in lines:
            problems.say("{candidate} has two rows", row.path, row.number, "candidate", candidate=repr(candidate))
            continue
        lines[candidate] = count
    return votes, stations


def _designations(root: Path, lists: Mapping[str, PartyList], problems: Problems) -> dict[str, tuple[str, ...]]:
    chosen: dict[str, list[str]] = {}
    for row in read_table(root, "designations.csv", ("party", "candidate"), problems, required=False):
        party, candidate = row.text("party"), row.text("candidate")
        if party is None or candidate is None:
            continue
        if party not in lists:
            problems.say("party {party} has no registered list", row.path, row.number, "party", party=repr(party))
            continue
        if candidate not in lists[party].candidates:
            problems.say(
                "{candidate} is not on the list of {party}",
                row.path,
                row.number,
                "candidate",
                candidate=repr(candidate),
                party=party,
            )
            continue
        if candidate in chosen.setdefault(party, []):
            problems.say(
                "{candidate} is designated twice", row.path, row.number, "candidate", candidate=repr(candidate)
            )
            continue
        chosen[party].append(candidate)
    return {p: tuple(c) for p, c in chosen.items()}


_Ballots = dict[str, tuple[Row, dict[str, int]]]
"""results/ballots.csv by ballot ("list", "list <constituency>", "district <n>", "runoff <n>"): row and lines."""


@dataclass(frozen=True, slots=True)
class _Names:
    """The names a results file may use: the registered parties, those on the list ballot, the constituencies."""

    parties: set[str]
    listed: set[str]
    constituencies: set[str]


@dataclass
class _ListFile:
    """results/list.csv: the votes per constituency ("" for one) and party, and what the commission published."""

    votes: dict[str, dict[str, int]] = field(default_factory=dict)
    percent: dict[str, Fraction] = field(default_factory=dict)
    seats: dict[str, int] = field(default_factory=dict)


def _results(
    root: Path, config: ElectionConfig, names: _Names, districts: list[District], problems: Problems, *, pending: bool
) -> Results:
    """results/: the ballots' lines, the list votes and the district votes, as tallies (each step its own
    function: the list file, the list tallies, the district races)."""
    ballots = _ballots(root, {d.number for d in districts}, problems, names.constituencies)
    has_list = any(k.startswith("list") for k in ballots)
    listed = _list_file(root, names, problems, required=has_list)
    list_tally, local = _list_tallies(ballots, listed, names, problems, has_list=has_list)
    rankings = _rankings(root, districts, problems)
    district_votes = _district_votes(root, districts, problems, ranked=bool(rankings), pending=pending)
    for number, ranked in rankings.items():  # first preferences, where the district votes are not given
        if number not in district_votes:
            district_votes[number] = _first_preferences(ranked)
    runoffs = _runoffs(root, districts, ballots, problems)
    tallies = _district_tallies(ballots, district_votes, rankings, problems)
    return Results(
        list_tally,
        tallies,
        listed.percent,
        listed.seats,
        config.results.published_turnout,
        local,
        runoffs,
        rankings=rankings,
    )


def _list_file(root: Path, names: _Names, problems: Problems, *, required: bool) -> _ListFile:
    """results/list.csv: one row per party (and constituency), a party on the list ballot, each once."""
    found = _ListFile()
    for row in read_table(root, "results/list.csv", ("party", "votes"), problems, required=required):
        party = row.text("party")
        where = _constituency_of(row, names.constituencies)
        if _unknown_party(row, party, names.parties) or where is None:
            continue
        assert party is not None
        if party not in names.listed:
            problems.say(
                "party {party} is on district ballots only (parties.csv list_ballot = no)",
                row.path,
                row.number,
                "party",
                party=repr(party),
            )
            continue
        list_votes = found.votes.setdefault(where, {})
        if party in list_votes:
            problems.say("party {party} has two result rows", row.path, row.number, "party", party=repr(party))
            continue
        votes = row.integer("votes")
        if votes is not None:
            list_votes[party] = votes
        published = row.number_("published_percent", required=False)
        if published is not None:
            found.percent[party] = published
        seat_count = row.integer("published_seats", required=False)
        if seat_count is not None:
            found.seats[party] = seat_count
    if required and not names.constituencies:
        for party in sorted(names.listed - set(found.votes.get("", {}))):
            problems.say(
                "no list votes for registered party {party}", "results/list.csv", field="party", party=repr(party)
            )
    return found


def _list_tallies(
    ballots: _Ballots, listed: _ListFile, names: _Names, problems: Problems, *, has_list: bool
) -> tuple[Tally | None, dict[str, Tally]]:
    """The list ballot's tally (the whole election's, or the sum of the constituencies') and each
    constituency's; with no ballot lines, the votes alone."""
    list_votes = listed.votes.get("", {})
    list_tally = None
    if not names.constituencies and has_list:
        list_tally = _tally(ballots.get("list"), list_votes, _ballot("list"), problems)
    elif not names.constituencies and list_votes:
        list_tally = _votes_only(list_votes)
    local: dict[str, Tally] = {}
    for name in sorted(names.constituencies):
        if f"list {name}" not in ballots and name not in listed.votes:
            continue
        lines = listed.votes.get(name, {})
        counted = (
            _tally(ballots.get(f"list {name}"), lines, _ballot(f"list {name}"), problems)
            if has_list
            else _votes_only(lines)
        )
        if counted is not None:
            local[name] = counted
    if local:
        list_tally = _sum_tallies(local.values())
    return list_tally, local


def _district_tallies(
    ballots: _Ballots,
    district_votes: dict[int, dict[str, int]],
    rankings: dict[int, tuple[RankedBallot, ...]],
    problems: Problems,
) -> dict[int, Tally]:
    """Each district's tally: its votes with its ballot lines (ranked ballots without totals: the valid poll);
    a district with one and not the other is a problem."""
    tallies = {}
    for n, lines in district_votes.items():
        entry = ballots.get(f"district {n}")
        if entry is None and n in rankings:  # ranked ballots without totals: the valid poll only
            tallies[n] = Tally(dict(lines), took_part=sum(lines.values()))
        elif (tally := _tally(entry, lines, _ballot(f"district {n}"), problems)) is not None:
            tallies[n] = tally
    for n in sorted(set(district_votes) ^ {int(k.split()[1]) for k in ballots if k.startswith("district")}):
        if n not in rankings:
            problems.say(
                "district {number} has votes or ballot totals but not both",
                "results/ballots.csv",
                field="district",
                number=n,
            )
    return tallies


def _rankings(root: Path, districts: list[District], problems: Problems) -> dict[int, tuple[RankedBallot, ...]]:
    """results/rankings.csv: district, count, ranking (the district's candidates best first, separated by ;)."""
    standing = {d.number: {c.name for c in d.candidates} for d in districts}
    out: dict[int, list[RankedBallot]] = {}
    for row in read_table(root, "results/rankings.csv", ("district", "count", "ranking"), problems, required=False):
        number, count = row.integer("district", minimum=1), row.integer("count", minimum=1)
        text = row.text("ranking") or ""
        if number is None or count is None:
            continue
        if number not in standing:
            problems.say("unknown district {number}", row.path, row.number, "district", number=number)
            continue
        names = tuple(n.strip() for n in text.split(";"))
        unknown = [n for n in names if n not in standing[number]]
        if unknown:
            problems.say(NOT_A_CANDIDATE, row.path, row.number, "ranking", name=repr(unknown[0]), number=number)
            continue
        if len(set(names)) != len(names):
            twice = next(n for n in names if names.count(n) > 1)
            problems.say("{name} is ranked twice", row.path, row.number, "ranking", name=repr(twice))
            continue
        out.setdefault(number, []).append(RankedBallot(names, count))
    return {n: tuple(b) for n, b in out.items()}


def _first_preferences(ballots: tuple[RankedBallot, ...]) -> dict[str, int]:
    votes: dict[str, int] = {}
    for b in ballots:
        votes[b.ranking[0]] = votes.get(b.ranking[0], 0) + b.count
    return votes


def _votes_only(votes: dict[str, int]) -> Tally:
    """A list ballot whose totals (registered, invalid) the folder does not record: votes only."""
    return Tally(dict(votes), took_part=sum(votes.values()))


def _sum_tallies(tallies: Any) -> Tally:
    """The national list ballot: the sum of every constituency's."""
    votes: dict[str, int] = {}
    total = Tally({})
    for t in tallies:
        for p, v in t.votes.items():
            votes[p] = votes.get(p, 0) + v
        total = Tally(
            {},
            total.against_all + t.against_all,
            total.invalid + t.invalid,
            total.took_part + t.took_part,
            total.registered + t.registered,
            total.blank + t.blank,
        )
    return dataclasses.replace(total, votes=votes)


def _runoffs(
    root: Path, districts: list[District], ballots: Mapping[str, tuple[Row, dict[str, int]]], problems: Problems
) -> dict[int, Tally]:
    """results/runoff.csv: the run-off votes of two-round districts, with a `runoff` row in ballots.csv."""
    by_number = {d.number: d for d in districts}
    votes: dict[int, dict[str, int]] = {}
    for row in read_table(root, "results/runoff.csv", ("district", "candidate", "votes"), problems, required=False):
        number, name, count = row.integer("district", minimum=1), row.text("candidate"), row.integer("votes")
        if number is None or name is None or count is None:
            continue
        district = by_number.get(number)
        if district is None or district.candidate(name) is None:
            problems.say(NOT_A_CANDIDATE, row.path, row.number, "candidate", name=repr(name), number=number)
            continue
        votes.setdefault(number, {})[name] = count
    out = {}
    for number, lines in votes.items():
        tally = _tally(ballots.get(f"runoff {number}"), lines, _ballot(f"runoff {number}"), problems)
        if tally is not None:
            out[number] = tally
    return out


def _ballots(
    root: Path,
    districts: set[int],
    problems: Problems,
    constituencies: set[str] = frozenset(),  # type: ignore[assignment]
) -> _Ballots:
    columns = ("ballot", "district", "registered", "took_part", "against_all", "invalid")
    found: _Ballots = {}
    for row in read_table(root, "results/ballots.csv", columns, problems, required=False):
        ballot = (row.text("ballot") or "").lower()
        if ballot not in ("list", "district", "runoff"):
            problems.say(
                "{ballot} is not 'list', 'district' or 'runoff'", row.path, row.number, "ballot", ballot=repr(ballot)
            )
            continue
        key = "list"
        if ballot == "list" and constituencies:
            where = _constituency_of(row, constituencies)
            if where is None:
                continue
            key = f"list {where}"
        if ballot in ("district", "runoff"):
            number = row.integer("district", minimum=1)
            if number is None:
                continue
            if number not in districts:
                problems.say("unknown district {number}", row.path, row.number, "district", number=number)
                continue
            key = f"{ballot} {number}"
        if key in found:
            twice = Phrase(
                "{ballot} has two rows (first on row {first})", ballot=_ballot(key), first=found[key][0].number
            )
            problems.add(twice, row.path, row.number, "ballot")
            continue
        figures = {c: row.integer(c) for c in columns[3:]}
        # Registered voters may be left empty where the commission does not publish them per ballot (0: unknown).
        figures["registered"] = row.integer("registered", required=False) or 0
        figures["blank"] = row.integer("blank", required=False) or 0
        if all(v is not None for v in figures.values()):
            found[key] = (row, {k: v for k, v in figures.items() if v is not None})
    return found


def _district_votes(
    root: Path, districts: list[District], problems: Problems, *, ranked: bool = False, pending: bool = False
) -> dict[int, dict[str, int]]:
    standing = {d.number: {c.name for c in d.candidates} for d in districts}
    votes: dict[int, dict[str, int]] = {}
    for row in read_table(
        root,
        "results/districts.csv",
        ("district", "candidate", "votes"),
        problems,
        # protocols/ counted instead, or none yet (`pending`)
        required=bool(districts) and not ranked and not pending and not (root / "protocols").is_dir(),
    ):
        number, name, count = row.integer("district", minimum=1), row.text("candidate"), row.integer("votes")
        if number is None or name is None or count is None:
            continue
        if number not in standing:
            problems.say("unknown district {number}", row.path, row.number, "district", number=number)
            continue
        if name not in standing[number]:
            problems.say(NOT_A_CANDIDATE, row.path, row.number, "candidate", name=repr(name), number=number)
            continue
        if name in votes.setdefault(number, {}):
            problems.say(
                "{name} has two result rows in district {number}",
                row.path,
                row.number,
                "candidate",
                name=repr(name),
                number=number,
            )
            continue
        votes[number][name] = count
    return votes


def _tally(
    entry: tuple[Row, dict[str, int]] | None, votes: dict[str, int], what: Phrase, problems: Problems
) -> Tally | None:
    if entry is None:
        problems.add(Phrase(NO_TOTALS, what=what), "results/ballots.csv")
        return None
    row, figures = entry
    tally = Tally(
        dict(votes),
        figures["against_all"],
        figures["invalid"],
        figures["took_part"],
        figures["registered"],
        figures.get("blank", 0),
    )
    counted = tally.valid + tally.invalid
    if counted != tally.took_part:
        unequal = Phrase(
            NOT_ADDING_UP_WITH_BLANK if tally.blank else NOT_ADDING_UP,
            what=what,
            votes=Count(tally.option_votes),
            against=Count(tally.against_all),
            blank=Count(tally.blank),
            invalid=Count(tally.invalid),
            counted=Count(counted),
            took_part=Count(tally.took_part),
        )
        problems.add(unequal, row.path, row.number, "took_part")
    if tally.registered and tally.took_part > tally.registered:
        took_part, registered = Count(tally.took_part), Count(tally.registered)
        more = Phrase(MORE_THAN_REGISTERED, what=what, took_part=took_part, registered=registered)
        problems.add(more, row.path, row.number, "registered")
    return tally


NO_TOTALS = "no totals for the {what} (registered, took_part, against_all, invalid)"
NOT_ADDING_UP = (
    "totals do not add up for the {what}: votes {votes} + against all {against} + invalid {invalid} = {counted}, "
    "but took part = {took_part}"
)
NOT_ADDING_UP_WITH_BLANK = (
    "totals do not add up for the {what}: votes {votes} + against all {against} + blank {blank} + invalid "
    "{invalid} = {counted}, but took part = {took_part}"
)
MORE_THAN_REGISTERED = "more voters took part ({took_part}) than are registered ({registered}) for the {what}"
DUPLICATE_POSITION = "duplicate list position {position} for {party} (first on row {first})"
DUPLICATE_POSITION_IN = "duplicate list position {position} for {party} in {where} (first on row {first})"
NOT_ON_THE_LIST = "{candidate} is not on the list of {party}"
NOT_ON_THE_LIST_IN = "{candidate} is not on the list of {party} in {where}"
"""The folder's sentences (msgids of the catalogues); a ballot (`_ballot`) is said in the reader's language too."""


def _ballot(key: str) -> Phrase:
    """A ballot of results/ballots.csv by its key (`list`, `list NAME`, `district N`, `runoff N`), as words."""
    kind, _, rest = key.partition(" ")
    if kind == "list":
        return Phrase("list ballot in {constituency}", constituency=rest) if rest else Phrase("list ballot")
    if kind == "runoff":
        return Phrase("district {number} run-off", number=int(rest))
    return Phrase("district {number} ballot", number=int(rest))


def _check_exempt(system: Any, known: set[str], problems: Problems) -> None:
    """A list exempt from the threshold by name must be a registered party (a typo would exempt nobody)."""
    for name in system.list_tier.threshold_exempt if system.list_tier else ():
        if name not in known:
            problems.say(
                "{name} is not a party in parties.csv",
                "election.toml",
                field="system.list_tier.threshold_exempt",
                name=repr(name),
            )


def _check_fragments(root: Path, system: Any, results: Results, problems: Problems, *, pending: bool = False) -> None:
    """Fragment votes (Hungary) come from the district votes or from fragment_votes.csv: a folder that gives
    neither is refused, naming both, rather than shared as if no district vote had been cast."""
    if system.fragment_votes == "none" or system.list_tier is None:
        return
    if pending or results.district_tallies or results.fragment_votes or (root / "protocols").is_dir():
        return
    preset = Phrase("the preset {preset}", preset=repr(system.preset)) if system.preset else Phrase("the rules")
    no_fragments = Phrase(
        "{rules}: fragment votes ({mode}) are added to the list votes, but the folder gives neither district votes "
        "(results/districts.csv) nor fragment votes (results/fragment_votes.csv: party, votes)",
        rules=preset,
        mode=system.fragment_votes,
    )
    problems.add(no_fragments, "results/fragment_votes.csv", field="votes")


def _check_shape(
    body: Body,
    districts: list[District],
    declared: DeclaredSeats,
    constituencies: list[Constituency],
    system: Any,
    problems: Problems,
) -> None:
    """The seats the rules give must add up to the body; constituencies must be able to share the list seats."""
    list_seats = system.list_tier.seats if system.list_tier else 0
    district_seats = 0
    if system.district_tier is not None:
        district_seats = sum(d.seats for d in districts) + declared.total
    if system.combination in ("parallel", "additional-member") and list_seats + district_seats != body.seats:
        total, listed, in_districts = Count(list_seats + district_seats), Count(list_seats), Count(district_seats)
        body_size = Phrase(*BODY_VS_RULES, n=Count(body.seats), list=listed, districts=in_districts, total=total)
        problems.add(body_size, "election.toml", field="body.seats")
    if system.district_tier is not None and not districts and not declared.total:
        problems.say("the rules have a district tier but districts.csv lists no district", "districts.csv")
    if not constituencies or system.list_tier is None:
        return
    shares_fixed_seats = system.combination in ("parallel", "additional-member") or (
        system.combination == "compensatory" and system.compensation_scope == "constituency"
    )
    if system.list_tier.apportion_by == "fixed" and shares_fixed_seats:
        missing = [c.name for c in constituencies if c.seats is None]
        if missing:
            problems.say(
                "no seats for constituency {name} (list_tier.apportion_by is fixed)",
                "constituencies.csv",
                field="seats",
                name=repr(missing[0]),
            )
        elif (
            system.combination in ("parallel", "additional-member")
            and sum(c.seats or 0 for c in constituencies) != list_seats
        ):
            summed = Count(sum(c.seats or 0 for c in constituencies))
            unequal = Phrase(*CONSTITUENCY_SEATS, n=summed, list=Count(list_seats))
            problems.add(unequal, "constituencies.csv", field="seats")
    elif shares_fixed_seats:
        column = system.list_tier.apportion_by
        for c in constituencies:
            if c.seats is None and getattr(c, column) is None:
                problems.say(
                    "constituency {name} has no {column} to apportion seats by",
                    "constituencies.csv",
                    field=column,
                    name=repr(c.name),
                    column=column,
                )


def _previous(root: Path, previous: PreviousConfig, allowed: Path, problems: Problems) -> PreviousElection | None:
    """The previous election, read only from inside `allowed`; an error never says what lies outside it."""
    folder = root / previous.folder
    if not inside(folder, allowed):
        problems.say(
            "must lie inside {allowed} (give another root with --allow-previous)",
            "election.toml",
            field="previous.folder",
            allowed=allowed,
        )
        return None
    if not folder.is_dir():
        problems.say(
            "previous election folder {folder} does not exist",
            "election.toml",
            field="previous.folder",
            folder=repr(previous.folder),
        )
        return None
    try:
        earlier = load_election(folder, follow_previous=False)
    except InputError as error:
        problems.items += [Problem(p.message, f"{previous.folder}/{p.path}", p.row, p.field) for p in error.problems]
        return None
    from saylau.analysis import summarize_previous
    from saylau.composition import compose

    return summarize_previous(earlier, compose(earlier), dict(previous.successors))


def folder_differences(folder: Path) -> list[Problem]:
    """The differences of `folder` (empty when it does not load: its loader reports why elsewhere)."""
    found: list[Problem] = []
    try:
        load_election(folder, follow_previous=False, differences=found)
    except SaylauError:
        return []
    return found
