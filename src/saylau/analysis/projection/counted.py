"""The station register and the count so far as arrays: what the projection's model reads.

Why arrays from tables: a national count is a million stations, two protocols each. The column reader keeps
the accepted protocols as tables (`tabulation.fast.AcceptedRows`); they are scattered here into a few arrays,
table by table and column by column, without making a `Protocol` object per row (a million objects, and a
dictionary each, cost ten times the count). Protocol objects (a city's count, read one by one) are made into
one table first (`ProtocolTable.of`), so there is one path.

The district ballot is kept narrow: a station's row holds its own district's candidates (in ballot order, 0
past the last), then "against all" and invalid, not a column for every candidate of the city (at a million
stations and seventy candidates that is half a gigabyte of zeros). `CountArrays.candidate_column` says where
each candidate sits in its district's rows. The list ballot has a column per party. Whole numbers of votes
are held as float64, exact below 2**53.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from saylau.analysis.projection.model import FloatArray, IntArray
from saylau.domain import Election
from saylau.tabulation import Protocol, Station, StationHistory
from saylau.tabulation.fast import AcceptedRows, ProtocolTable, StationRows

BoolArray = npt.NDArray[np.bool_]

LIST, DISTRICT = 0, 1
"""`ProtocolTable.ballot`'s codes."""


@dataclass(frozen=True, slots=True)
class HistoryColumns:
    """Stations' list ballot at the previous election (stations.csv `previous:` columns) as columns: one row
    per station with a history, the votes in the order of the parties asked for (0 for a party not given)."""

    parties: tuple[str, ...]
    station: IntArray
    registered: FloatArray
    found: FloatArray
    votes: FloatArray
    """(n, P): a column per party of `parties`."""

    @classmethod
    def of(cls, history: Mapping[int, StationHistory], parties: Sequence[str]) -> HistoryColumns:
        """The columns of a history read station by station (`io.protocols.read_station_history`)."""
        n = len(history)
        figures = np.array(
            [[h.registered, h.found, *(h.votes.get(p, 0) for p in parties)] for h in history.values()], np.float64
        ).reshape(n, 2 + len(parties))
        station = np.fromiter(history, np.int64, n)
        return cls(tuple(parties), station, figures[:, 0], figures[:, 1], figures[:, 2:])

    def of_parties(self, parties: Sequence[str]) -> HistoryColumns:
        """The same history with a column per party of `parties`, in that order (0 for a party not here)."""
        if tuple(parties) == self.parties:
            return self
        votes = np.zeros((len(self), len(parties)))
        for k, party in enumerate(parties):
            if party in self.parties:
                votes[:, k] = self.votes[:, self.parties.index(party)]
        return replace(self, parties=tuple(parties), votes=votes)

    def __len__(self) -> int:
        return int(self.station.shape[0])


@dataclass(frozen=True, slots=True)
class BallotCount:
    """One ballot at every station: counted or not, and if counted its votes, "against all" and invalid."""

    counted: BoolArray
    votes: FloatArray
    """(S, K + 2): the options (see `CountArrays`), then "against all", then invalid; 0 where not counted."""
    found: FloatArray = field(init=False, repr=False, compare=False)
    """(S,) ballots found: the sum of each row (summed once; the model reads it a dozen times)."""

    def __post_init__(self) -> None:
        # One matrix-vector product (whole numbers below 2**53: exact in any order), a tenth of `sum(axis=1)`'s
        # time on a million short rows.
        object.__setattr__(self, "found", self.votes @ np.ones(self.votes.shape[1]))

    @property
    def options(self) -> int:
        """K: the option columns (before "against all" and invalid)."""
        return int(self.votes.shape[1]) - 2

    def only(self, shown: BoolArray) -> BallotCount:
        """The count as if only the `shown` stations had reported."""
        return BallotCount(self.counted & shown, np.where(shown[:, None], self.votes, 0.0))


@dataclass(frozen=True, slots=True)
class CountArrays:
    """The station register and what has been counted, as arrays (S stations, D districts)."""

    registered: FloatArray
    district: IntArray
    """Index 0..D-1 into `districts`."""
    districts: tuple[int, ...]
    parties: tuple[str, ...]
    candidates: tuple[tuple[str, str | None, int], ...]
    """(name, party, district index) of every district candidate, district by district in ballot order."""
    candidate_column: IntArray
    """Each candidate's column in `district_ballot.votes`: its place on its district's ballot."""
    list_ballot: BallotCount | None
    """Columns: every party of `parties`, "against all", invalid."""
    district_ballot: BallotCount | None
    """Columns: the station's district's candidates in ballot order (0 past the last), "against all", invalid."""
    history: FloatArray | None
    """(S, 1 + P): previous turnout, then each party's previous share; None without previous figures."""
    size: FloatArray
    """(S, 2) the register's size, standardised, as a log and as a plain count: the covariates every station
    has (two shapes, so that neither a curve nor a line is taken for granted when extrapolating)."""

    def only(self, shown: BoolArray) -> CountArrays:
        """The count as if only the `shown` stations (a mask over the register) had reported: a rehearsal."""
        return replace(
            self,
            list_ballot=self.list_ballot.only(shown) if self.list_ballot is not None else None,
            district_ballot=self.district_ballot.only(shown) if self.district_ballot is not None else None,
        )


def count_arrays(
    election: Election,
    stations: Sequence[Station],
    counted: Iterable[Protocol] | AcceptedRows,
    history: Mapping[int, StationHistory] | HistoryColumns | None = None,
) -> CountArrays:
    """Arrays of the register and of the accepted protocols (those of stations not in the register are ignored;
    where a station reports a ballot twice, the last protocol counts)."""
    tables = counted.tables() if isinstance(counted, AcceptedRows) else [ProtocolTable.of(list(counted))]
    numbers, station_districts, registered = register_columns(stations)
    # The election's districts first (the council's order), then any district only the register names.
    known = sorted(d.number for d in election.districts)
    districts = tuple(known + np.setdiff1d(station_districts, np.array(known, np.int64)).tolist())
    keys = np.array(districts, np.int64)
    order = np.argsort(keys)
    district = order[np.searchsorted(keys[order], station_districts)] if keys.shape[0] else station_districts
    parties = tuple(p.short_name for p in election.parties_in_registration_order)
    ordered = sorted(election.districts, key=lambda d: d.number)
    by_district = [tuple(c.name for c in d.candidates) for d in ordered]
    candidates = tuple((c.name, c.party, k) for k, d in enumerate(ordered) for c in d.candidates)
    where = _Where(numbers)
    list_ballot = district_ballot = None
    if election.system.list_tier is not None and parties:
        list_ballot = _ballot(tables, where, LIST, [parties], np.zeros(len(stations), np.int64))
    if election.system.district_tier is not None and candidates:
        district_ballot = _ballot(tables, where, DISTRICT, by_district, district)
    return CountArrays(
        registered=registered,
        district=district.astype(np.int64),
        districts=districts,
        parties=parties,
        candidates=candidates,
        candidate_column=np.array([k for names in by_district for k in range(len(names))], np.int64),
        list_ballot=list_ballot,
        district_ballot=district_ballot,
        history=_history(numbers, parties, _columns(history, parties)) if history else None,
        size=_size(registered),
    )


def register_columns(stations: Sequence[Station]) -> tuple[IntArray, IntArray, FloatArray]:
    """(numbers, districts, registered voters) of the register, in its order: the column reader's arrays
    (`StationRows`) as they are, a list of stations column by column."""
    if isinstance(stations, StationRows):
        return stations.numbers, stations.districts, stations.registered.astype(np.float64)
    n = len(stations)
    numbers = np.fromiter((s.number for s in stations), np.int64, n)
    districts = np.fromiter((s.district for s in stations), np.int64, n)
    return numbers, districts, np.fromiter((s.registered for s in stations), np.float64, n)


class _Where:
    """Station numbers -> places in an array of them (searchsorted over the sorted numbers; any numbers); a
    number given twice is found at its last place, as a dictionary of them keeps it."""

    def __init__(self, numbers: IntArray) -> None:
        if _rising(numbers):  # the register's own order (the column reader's): each number once, in order
            self.order, self.sorted = np.arange(numbers.shape[0], dtype=np.int64), numbers
            return
        last = numbers.shape[0] - 1 - np.unique(numbers[::-1], return_index=True)[1]  # sorted by number
        self.order = last.astype(np.int64)
        self.sorted = numbers[self.order]

    def __call__(self, stations: IntArray) -> tuple[IntArray, BoolArray]:
        """Each station's place in the register, and whether it is in the register at all."""
        if not self.sorted.shape[0]:
            return np.zeros(stations.shape[0], np.int64), np.zeros(stations.shape[0], np.bool_)
        if np.array_equal(stations, self.sorted):  # the register itself (the previous figures of stations.csv)
            return self.order, np.ones(stations.shape[0], np.bool_)
        at = np.minimum(np.searchsorted(self.sorted, stations), self.sorted.shape[0] - 1)
        found = self.sorted[at] == stations
        out: IntArray = self.order[at]
        return out, found


def _ballot(
    tables: Sequence[ProtocolTable], where: _Where, ballot: int, options: Sequence[tuple[str, ...]], group: IntArray
) -> BallotCount:
    """One ballot's votes by station: station i's row holds `options[group[i]]` (0 past its last, and for a
    group without options), then "against all" and invalid. Table by table in order, so a later protocol of a
    station replaces an earlier one."""
    n = group.shape[0]
    width = max((len(o) for o in options), default=0)
    votes = np.zeros((n, width + 2))
    seen = np.zeros(n, np.bool_)
    for table in tables:
        rows = np.flatnonzero(table.ballot == ballot)
        at, known = where(table.station[rows])
        rows, at = _last(rows[known], at[known])
        if not rows.shape[0]:
            continue
        block = np.zeros((rows.shape[0], width + 2))
        column = {name: k for k, name in enumerate(table.options)}
        mine = group[at]
        for k, names in enumerate(options):
            inside: IntArray | slice = slice(None) if len(options) == 1 else np.flatnonzero(mine == k)
            here = rows[inside]  # the table's rows of the group's stations
            for w, name in enumerate(names):
                if name in column and here.shape[0]:
                    block[inside, w] = table.votes[column[name]][here]
        block[:, width] = table.figures["against_all"][rows]
        block[:, width + 1] = table.figures["invalid"][rows]
        votes[at] = block
        seen[at] = True
    return BallotCount(seen, votes)


def _last(rows: IntArray, at: IntArray) -> tuple[IntArray, IntArray]:
    """The rows (and their stations) without the earlier of two rows of one station: the last counts."""
    if at.shape[0] < 2 or _rising(at):  # each station once (a table in station order: the common case)
        return rows, at
    _, first_of_reversed = np.unique(at[::-1], return_index=True)
    if first_of_reversed.shape[0] == at.shape[0]:
        return rows, at
    keep = np.sort(at.shape[0] - 1 - first_of_reversed)
    return rows[keep], at[keep]


def _rising(values: IntArray) -> bool:
    """Whether every value is larger than the one before (so none is there twice)."""
    return bool((values[1:] > values[:-1]).all())


def _columns(history: Mapping[int, StationHistory] | HistoryColumns, parties: Sequence[str]) -> HistoryColumns:
    return history.of_parties(parties) if isinstance(history, HistoryColumns) else HistoryColumns.of(history, parties)


def _size(registered: FloatArray) -> FloatArray:
    columns = []
    for values in (np.log(np.maximum(registered, 1.0)), registered):
        spread = float(values.std())
        columns.append((values - values.mean()) / spread if spread > 0 else np.zeros_like(values))
    out: FloatArray = np.column_stack(columns)
    return out


def _history(numbers: IntArray, parties: Sequence[str], history: HistoryColumns) -> FloatArray:
    """(S, 1 + P) previous turnout and shares; a station without history takes the city's average."""
    s = numbers.shape[0]
    at, seen = _Where(history.station)(numbers)
    if len(history):
        seen &= history.found[at] > 0
    every = bool(seen.all())  # the common case: every station has a history (no masked copies then)
    same = every and at.shape[0] == len(history) and _rising(at)  # and in the register's order: no gathers
    past: IntArray | slice = slice(None) if same else at if every else at[seen]
    rows = slice(None) if every else seen
    registered, found = history.registered[past], history.found[past]
    out = np.empty((s, 1 + len(parties))) if every else np.full((s, 1 + len(parties)), np.nan)
    out[rows, 0] = np.divide(found, registered, out=np.full(found.shape[0], np.nan), where=registered > 0)
    if every:  # written in place: no copy of a million rows
        np.divide(history.votes[past], found[:, None], out=out[:, 1:])
    else:
        out[rows, 1:] = history.votes[past] / found[:, None]
    if not np.isnan(out.sum()):  # no station without a figure (the sum of numbers is a number)
        return out
    missing = np.isnan(out)
    means = np.nanmean(np.where(missing.all(axis=0), 0.0, out), axis=0) if s else 0.0
    filled: FloatArray = np.where(missing, means, out)
    return filled
