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

Loading validates everything and raises one `InputError` listing every problem; nothing is half-loaded.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

from saylau.domain import (
    Body,
    Candidate,
    District,
    Election,
    Party,
    PartyList,
    PreviousElection,
    Results,
    Tally,
)
from saylau.errors import InputError, Problem
from saylau.io.config import ElectionConfig, PreviousConfig, read_config
from saylau.io.nominees import read_registration
from saylau.io.table import Problems, Row, inside, read_table
from saylau.rules import resolve_system

SELF_NOMINATED = {"", "self-nominated", "independent", "-"}


def load_election(
    folder: str | Path,
    *,
    follow_previous: bool = True,
    count_protocols: bool = True,
    allow_previous: str | Path | None = None,
    notices: list[Problem] | None = None,
) -> Election:
    """Load and validate an election folder; raise InputError naming every problem found.

    When the folder has `protocols/` (and `stations.csv`), the tallies are counted from the accepted
    polling-station protocols instead of the totals in `results/`; each protocol left out of that count is
    added to `notices` (when given), so a caller can say the count is partial.
    `[previous] folder` must lie inside `allow_previous` (default: the folder's parent), links followed.
    """
    root = Path(folder)
    if not root.is_dir():
        raise InputError([Problem("is not a folder", str(folder))])
    problems = Problems()
    config = read_config(root, problems)
    if config is None:
        raise InputError(problems.items)
    parties = _parties(root, problems)
    known = {p.short_name for p in parties}
    lists = _lists(root, known, problems)
    districts = _districts(root, known, problems)
    body = Body(config.body.name, config.body.seats, config.body.convocation, config.body.majority_fraction)
    system = None
    try:
        system = resolve_system(
            config.system.preset,
            config.system.overrides,
            list_seats=body.seats - len(districts),
            has_districts=bool(districts),
        )
    except InputError as error:
        problems.items += error.problems
    results = _results(root, config, known, districts, problems)
    designations = _designations(root, lists, problems)
    registration = read_registration(root, problems)
    if system:
        _check_shape(body, system.list_tier.seats if system.list_tier else 0, districts, system, problems)
    previous = None
    if follow_previous and config.previous is not None:
        previous = _previous(root, config.previous, Path(allow_previous or root.resolve().parent), problems)
    if problems.items or system is None:
        raise InputError(problems.items)
    secretary = config.secretary
    election = Election(
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
        registration=registration,
        country=config.country,
        territory=config.territory,
        commission=config.commission.name,
        cyrillic=config.names.cyrillic,
    )
    if not count_protocols:
        return election
    from saylau.io.protocols import results_from_protocols

    counted = results_from_protocols(root, election, notices)
    return dataclasses.replace(election, results=counted) if counted is not None else election


def _parties(root: Path, problems: Problems) -> list[Party]:
    columns = ("short_name", "full_name", "registration_order")
    parties: list[Party] = []
    seen: dict[str, int] = {}
    orders: dict[int, int] = {}
    for row in read_table(root, "parties.csv", columns, problems):
        name, order = row.text("short_name"), row.integer("registration_order", minimum=1)
        if name in seen:
            problems.add(
                f"party {name!r} is listed twice (first on row {seen[name]})",
                row.path,
                row.number,
                "short_name",
            )
            continue
        if order is not None and order in orders:
            problems.add(
                f"registration order {order} is used twice (first on row {orders[order]})",
                row.path,
                row.number,
                "registration_order",
            )
        if name is None or order is None:
            continue
        seen[name], orders[order] = row.number, row.number
        parties.append(
            Party(
                short_name=name,
                full_name=row.text("full_name", required=False) or name,
                registration_order=order,
                colour=_colour(row),
                leader=row.text("leader", required=False),
                leader_since=row.text("leader_since", required=False),
                list_leader=row.text("list_leader", required=False),
                registration_date=row.day("registration_date"),
                wikipedia=row.text("wikipedia", required=False),
            )
        )
    return parties


def _colour(row: Row) -> str:
    colour = row.text("colour", required=False) or "#888888"
    hexdigits = colour.lstrip("#")
    if (
        not colour.startswith("#")
        or len(hexdigits) not in (3, 6)
        or any(c not in "0123456789abcdefABCDEF" for c in hexdigits)
    ):
        row.problems.add(f"{colour!r} is not a colour like #1f77b4", row.path, row.number, "colour")
        return "#888888"
    return colour


def _unknown_party(row: Row, party: str | None, known: set[str], field: str = "party") -> bool:
    if party is not None and party not in known:
        row.problems.add(f"unknown party {party!r} (not in parties.csv)", row.path, row.number, field)
        return True
    return party is None


def _lists(root: Path, known: set[str], problems: Problems) -> dict[str, PartyList]:
    positions: dict[str, dict[int, tuple[str, int]]] = {}
    for row in read_table(root, "lists.csv", ("party", "position", "candidate"), problems, required=False):
        party, position, candidate = (
            row.text("party"),
            row.integer("position", minimum=1),
            row.text("candidate"),
        )
        if _unknown_party(row, party, known) or position is None or candidate is None:
            continue
        assert party is not None
        entries = positions.setdefault(party, {})
        if position in entries:
            problems.add(
                f"duplicate list position {position} for {party} (first on row {entries[position][1]})",
                row.path,
                row.number,
                "position",
            )
            continue
        entries[position] = (candidate, row.number)
    lists = {}
    for party, entries in positions.items():  # one list only and positions 1..n: registration rules
        lists[party] = PartyList(party, tuple(entries[p][0] for p in sorted(entries)))
    return lists


def _districts(root: Path, known: set[str], problems: Problems) -> list[District]:
    names: dict[int, str] = {}
    for row in read_table(root, "districts.csv", ("number",), problems, required=False):
        number = row.integer("number", minimum=1)
        if number is None:
            continue
        if number in names:
            problems.add(f"district {number} is listed twice", row.path, row.number, "number")
            continue
        names[number] = row.text("name", required=False) or ""
    candidates: dict[int, dict[str, Candidate]] = {n: {} for n in names}  # by name: one lookup per row
    for row in read_table(root, "candidates.csv", ("district", "candidate", "party"), problems, required=bool(names)):
        number, name = row.integer("district", minimum=1), row.text("candidate")
        party = (row.values.get("party") or "").strip()
        if number is None or name is None:
            continue
        if number not in candidates:
            problems.add(f"unknown district {number} (not in districts.csv)", row.path, row.number, "district")
            continue
        if party.lower() in SELF_NOMINATED:
            party = ""
        elif _unknown_party(row, party, known):
            continue
        if name in candidates[number]:
            problems.add(f"candidate {name!r} is listed twice in district {number}", row.path, row.number, "candidate")
            continue
        candidates[number][name] = Candidate(name, party or None)
    return [District(n, tuple(candidates[n].values()), names[n]) for n in sorted(names)]


def _designations(root: Path, lists: Mapping[str, PartyList], problems: Problems) -> dict[str, tuple[str, ...]]:
    chosen: dict[str, list[str]] = {}
    for row in read_table(root, "designations.csv", ("party", "candidate"), problems, required=False):
        party, candidate = row.text("party"), row.text("candidate")
        if party is None or candidate is None:
            continue
        if party not in lists:
            problems.add(f"party {party!r} has no registered list", row.path, row.number, "party")
            continue
        if candidate not in lists[party].candidates:
            problems.add(f"{candidate!r} is not on the list of {party}", row.path, row.number, "candidate")
            continue
        if candidate in chosen.setdefault(party, []):
            problems.add(f"{candidate!r} is designated twice", row.path, row.number, "candidate")
            continue
        chosen[party].append(candidate)
    return {p: tuple(c) for p, c in chosen.items()}


def _results(
    root: Path, config: ElectionConfig, known: set[str], districts: list[District], problems: Problems
) -> Results:
    ballots = _ballots(root, {d.number for d in districts}, problems)
    list_votes: dict[str, int] = {}
    percent: dict[str, Fraction] = {}
    seats: dict[str, int] = {}
    has_list = "list" in ballots
    for row in read_table(root, "results/list.csv", ("party", "votes"), problems, required=has_list):
        party = row.text("party")
        if _unknown_party(row, party, known):
            continue
        assert party is not None
        if party in list_votes:
            problems.add(f"party {party!r} has two result rows", row.path, row.number, "party")
            continue
        votes = row.integer("votes")
        if votes is not None:
            list_votes[party] = votes
        published = row.number_("published_percent", required=False)
        if published is not None:
            percent[party] = published
        seat_count = row.integer("published_seats", required=False)
        if seat_count is not None:
            seats[party] = seat_count
    if has_list:
        for party in sorted(known - set(list_votes)):
            problems.add(f"no list votes for registered party {party!r}", "results/list.csv", field="party")
    district_votes = _district_votes(root, districts, problems)
    list_tally = _tally(ballots.get("list"), list_votes, "list ballot", problems) if has_list else None
    tallies = {
        n: tally
        for n, votes in district_votes.items()
        if (tally := _tally(ballots.get(f"district {n}"), votes, f"district {n} ballot", problems)) is not None
    }
    for n in sorted(set(district_votes) ^ {int(k.split()[1]) for k in ballots if k.startswith("district")}):
        problems.add(f"district {n} has votes or ballot totals but not both", "results/ballots.csv", field="district")
    return Results(list_tally, tallies, percent, seats, config.results.published_turnout)


def _ballots(root: Path, districts: set[int], problems: Problems) -> dict[str, tuple[Row, dict[str, int]]]:
    columns = ("ballot", "district", "registered", "took_part", "against_all", "invalid")
    found: dict[str, tuple[Row, dict[str, int]]] = {}
    for row in read_table(root, "results/ballots.csv", columns, problems, required=False):
        ballot = (row.text("ballot") or "").lower()
        if ballot not in ("list", "district"):
            problems.add(f"{ballot!r} is neither 'list' nor 'district'", row.path, row.number, "ballot")
            continue
        key = "list"
        if ballot == "district":
            number = row.integer("district", minimum=1)
            if number is None:
                continue
            if number not in districts:
                problems.add(f"unknown district {number}", row.path, row.number, "district")
                continue
            key = f"district {number}"
        if key in found:
            problems.add(
                f"the {key} ballot has two rows (first on row {found[key][0].number})",
                row.path,
                row.number,
                "ballot",
            )
            continue
        figures = {c: row.integer(c) for c in columns[2:]}
        if all(v is not None for v in figures.values()):
            found[key] = (row, {k: v for k, v in figures.items() if v is not None})
    return found


def _district_votes(root: Path, districts: list[District], problems: Problems) -> dict[int, dict[str, int]]:
    standing = {d.number: {c.name for c in d.candidates} for d in districts}
    votes: dict[int, dict[str, int]] = {}
    for row in read_table(
        root, "results/districts.csv", ("district", "candidate", "votes"), problems, required=bool(districts)
    ):
        number, name, count = row.integer("district", minimum=1), row.text("candidate"), row.integer("votes")
        if number is None or name is None or count is None:
            continue
        if number not in standing:
            problems.add(f"unknown district {number}", row.path, row.number, "district")
            continue
        if name not in standing[number]:
            problems.add(f"{name!r} is not a candidate in district {number}", row.path, row.number, "candidate")
            continue
        if name in votes.setdefault(number, {}):
            problems.add(f"{name!r} has two result rows in district {number}", row.path, row.number, "candidate")
            continue
        votes[number][name] = count
    return votes


def _tally(
    entry: tuple[Row, dict[str, int]] | None, votes: dict[str, int], what: str, problems: Problems
) -> Tally | None:
    if entry is None:
        problems.add(f"no totals for the {what} (registered, took_part, against_all, invalid)", "results/ballots.csv")
        return None
    row, figures = entry
    tally = Tally(dict(votes), figures["against_all"], figures["invalid"], figures["took_part"], figures["registered"])
    counted = tally.valid + tally.invalid
    if counted != tally.took_part:
        problems.add(
            f"totals do not add up for the {what}: votes {tally.option_votes:,} + against all "
            f"{tally.against_all:,} + invalid {tally.invalid:,} = {counted:,}, but took part = {tally.took_part:,}",
            row.path,
            row.number,
            "took_part",
        )
    if tally.took_part > tally.registered:
        problems.add(
            f"more voters took part ({tally.took_part:,}) than are registered ({tally.registered:,}) for the {what}",
            row.path,
            row.number,
            "registered",
        )
    return tally


def _check_shape(body: Body, list_seats: int, districts: list[District], system: Any, problems: Problems) -> None:
    district_seats = len(districts) if system.district_tier is not None else 0
    if system.combination == "parallel" and list_seats + district_seats != body.seats:
        problems.add(
            f"the body has {body.seats} seats but the rules give {list_seats} list seats + "
            f"{district_seats} districts = {list_seats + district_seats}",
            "election.toml",
            field="body.seats",
        )
    if system.district_tier is not None and not districts:
        problems.add("the rules have a district tier but districts.csv lists no district", "districts.csv")


def _previous(root: Path, previous: PreviousConfig, allowed: Path, problems: Problems) -> PreviousElection | None:
    """The previous election, read only from inside `allowed`; an error never says what lies outside it."""
    folder = root / previous.folder
    if not inside(folder, allowed):
        problems.add(
            f"must lie inside {allowed} (give another root with --allow-previous)",
            "election.toml",
            field="previous.folder",
        )
        return None
    if not folder.is_dir():
        problems.add(
            f"previous election folder {previous.folder!r} does not exist", "election.toml", field="previous.folder"
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
