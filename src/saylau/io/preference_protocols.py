"""Preference votes in the polling-station protocols (open lists, docs/protocols.md).

The list ballot's protocol of a station carries each list candidate's preference votes (Poland's protocol
lists the votes of every candidate of every list; so does the Dutch proces-verbaal): one column per candidate,
`pref:<party>:<candidate>`, on the `list` rows of protocols/*.csv (empty on `district` rows), or
`"preferences": {"<party>": {"<candidate>": n}}` in a JSON protocol. Tabulation sums them over the accepted
list protocols, per constituency (the station's district's), into what the open-list rule reads
(`Election.preferences`), and keeps them per station for Poland's tie rule (art. 232 s.2).

A column for an unknown party or for a name not on that party's list there, a cell that is not a whole
number, and a party whose candidates have more preference votes than the party's votes on that protocol are
folder errors naming the file, the row and the column; nothing is summed then.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from pathlib import Path

from saylau.domain import Election
from saylau.errors import Count, InputError
from saylau.io.protocols import VOTE
from saylau.io.table import Problems, Row, read_header, read_table, read_text

PREF = "pref:"
"""The prefix of a preference-vote column: `pref:<party>:<candidate>`."""

Preferences = dict[str, dict[str, dict[str, int]]]
"""Preference votes: constituency ("" for one) -> party -> candidate -> votes."""
StationPreferences = dict[str, dict[str, dict[int, dict[str, int]]]]
"""The same per polling station: constituency -> party -> station -> candidate -> votes."""

NOT_ON_A_LIST = "{candidate} is not on a list of {party}"
NOT_ON_A_LIST_IN = "{candidate} is not on a list of {party} in {where}"
PREFERENCES_OVER = "the preference votes of {party}'s candidates ({given}) exceed {party}'s votes ({votes})"
"""The preference protocols' sentences (msgids of the catalogues)."""


def protocol_preferences(
    folder: Path, election: Election, rejected: Collection[int] = ()
) -> tuple[Preferences, StationPreferences] | None:
    """The preference votes of the folder's list protocols, summed per constituency and kept per station, over
    the stations whose list protocol was accepted (`rejected`: those left out of the count); None when no
    protocol carries any. Raises InputError naming every bad cell."""
    problems = Problems()
    found = False
    sums = _Sums(election, rejected, problems)
    for path in sorted((folder / "protocols").glob("*.csv")):
        name = path.relative_to(folder).as_posix()
        columns = [c for c in read_header(folder, name) or [] if c.startswith(PREF)]
        if not columns:
            continue
        found = True
        for row in read_table(folder, name, (), problems):
            if (row.values.get("ballot") or "").strip().lower() == "list":
                sums.add(row, _cells(row, columns))
    for path in sorted((folder / "protocols").glob("*.json")):
        found = _json(folder, path.relative_to(folder).as_posix(), sums, problems) or found
    if problems.items:
        raise InputError(problems.items)
    return (sums.votes, sums.stations) if found else None


def _cells(row: Row, columns: list[str]) -> dict[str, str]:
    """The filled preference cells of a row, by column."""
    return {c: row.values[c].strip() for c in columns if (row.values.get(c) or "").strip()}


def _json(folder: Path, name: str, sums: _Sums, problems: Problems) -> bool:
    """The `preferences` objects of a JSON protocol file (the file's other faults are the count's to report)."""
    text = read_text(folder, name, Problems())
    if text is None or '"preferences"' not in text:  # most protocols carry none: not parsed a second time
        return False
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return False
    found = False
    for number, item in enumerate(data if isinstance(data, list) else [], start=1):
        if not isinstance(item, dict) or "preferences" not in item:
            continue
        found = True
        given = item["preferences"]
        if not isinstance(given, dict) or not all(isinstance(v, dict) for v in given.values()):
            problems.say("must be an object of party: {{candidate: votes}}", name, number, "preferences")
            continue
        if str(item.get("ballot", "")).lower() != "list":
            continue
        cells = {f"{PREF}{p}:{c}": str(n) for p, names in given.items() for c, n in names.items()}
        values = {k: str(item.get(k, "")) for k in ("station", "district")}
        values |= {f"{VOTE}{k}": str(v) for k, v in (item.get("votes") or {}).items()} | cells
        sums.add(Row(name, number, values, problems), cells)
    return found


class _Sums:
    """Preference votes summed per constituency and kept per station, each cell checked."""

    def __init__(self, election: Election, rejected: Collection[int], problems: Problems) -> None:
        self.election = election
        self.rejected = set(rejected)
        self.problems = problems
        self.where = {d.number: d.constituency for d in election.districts}
        self.votes: Preferences = {}
        self.stations: StationPreferences = {}
        self.seen: set[int] = set()

    def add(self, row: Row, cells: dict[str, str]) -> None:
        """One list protocol's preference cells (an identical station counted once; a left-out one not at all)."""
        station, district = row.integer("station", minimum=1), row.integer("district", minimum=1)
        if station is None or district is None:
            return
        constituency = self.where.get(district, "")
        counted: dict[str, dict[str, int]] = {}
        for column in cells:
            party, _, candidate = column[len(PREF) :].partition(":")
            party, candidate = party.strip(), candidate.strip()
            party_list = self.election.list_of(party, constituency)
            if party_list is None or candidate not in party_list.candidates:
                self.problems.say(
                    NOT_ON_A_LIST_IN if constituency else NOT_ON_A_LIST,
                    row.path,
                    row.number,
                    column,
                    candidate=repr(candidate),
                    party=repr(party),
                    where=constituency,
                )
                continue
            n = row.integer(column)
            if n is not None:
                counted.setdefault(party, {})[candidate] = n
        for party, names in counted.items():
            votes = row.integer(f"{VOTE}{party}", required=False)
            given = sum(names.values())
            if votes is not None and given > votes:
                over, field = Count(given), f"{VOTE}{party}"
                self.problems.say(
                    PREFERENCES_OVER, row.path, row.number, field, party=party, given=over, votes=Count(votes)
                )
        if station in self.rejected or station in self.seen:
            return
        self.seen.add(station)
        for party, names in counted.items():
            summed = self.votes.setdefault(constituency, {}).setdefault(party, {})
            for candidate, n in names.items():
                summed[candidate] = summed.get(candidate, 0) + n
            self.stations.setdefault(constituency, {}).setdefault(party, {})[station] = names
