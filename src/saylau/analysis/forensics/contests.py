"""The contests the statistical checks look at: per station, who took part and how the leader did.

A contest is one ballot read as a two-way race between its leader and everybody else, the way Klimek et al.
(PNAS 109, 2012) and Kobak, Shpilkin and Pshenichnikov (Ann. Appl. Stat. 10, 2016) read an election:

- `list`: the party-list ballot; the leader is the party with the most list votes in the count.
- `district`: the district ballots pooled; at each station the leader is the candidate with the most votes in
  that station's district (so each station is measured against its own race).

Turnout is ballots found in the boxes over registered voters; the leader's share is the leader's votes over
the ballots found (invalid and "against all" ballots included in the denominator, as Kobak et al. do).

A contest holds its stations as columns (`StationColumns`), made from the column reader's tables
(`tabulation.fast.AcceptedRows.tables`) without a `Protocol` object per row: a national count has a million
stations, and every statistic reads them as arrays (issue 25: every command within 3x of `results`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from saylau.tabulation import Protocol, StationHistory
from saylau.tabulation.fast import AcceptedRows, ProtocolTable

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


class ContestKind(StrEnum):
    """Which ballot a contest reads."""

    LIST = "list"
    DISTRICT = "district"


@dataclass(frozen=True, slots=True)
class StationVote:
    """One station's figures in one contest (exact counts; the ratios are taken by each statistic)."""

    station: int
    district: int
    registered: int
    found: int
    """Ballots found in the boxes: the voters who took part."""
    leader: int
    """Votes for the contest's leader (the district's leader on the district ballot)."""
    counts: tuple[int, ...]
    """Every option's votes, "against all" last: the counts whose last digits the digit test reads."""
    previous_turnout: float | None = None
    previous_share: float | None = None
    """The station's turnout and the leader's (party's) list share at the previous election, when known."""


@dataclass(frozen=True, slots=True, eq=False)
class StationColumns:
    """A contest's stations as columns, in station order: row i of every array is one station; `counts` are
    every station's written counts one station after another (`owner`: the row each belongs to), in the order
    of `StationVote.counts`; the previous figures are NaN where unknown."""

    station: IntArray
    district: IntArray
    registered: IntArray
    found: IntArray
    leader: IntArray
    counts: IntArray
    owner: IntArray
    previous_turnout: FloatArray
    previous_share: FloatArray

    def __len__(self) -> int:
        return int(self.station.shape[0])

    @classmethod
    def of(cls, stations: Sequence[StationVote]) -> StationColumns:
        """Station objects (hand-made ones, in the tests) as columns."""

        def ints(values: Iterable[int]) -> IntArray:
            return np.fromiter(values, np.int64)

        def floats(values: Iterable[float | None]) -> FloatArray:
            return np.array([np.nan if v is None else v for v in values], np.float64)

        return cls(
            ints(s.station for s in stations),
            ints(s.district for s in stations),
            ints(s.registered for s in stations),
            ints(s.found for s in stations),
            ints(s.leader for s in stations),
            ints(c for s in stations for c in s.counts),
            ints(i for i, s in enumerate(stations) for _ in s.counts),
            floats(s.previous_turnout for s in stations),
            floats(s.previous_share for s in stations),
        )

    def votes(self) -> tuple[StationVote, ...]:
        """Every station as an object (for a caller that wants them; the statistics read the columns)."""
        bounds = np.searchsorted(self.owner, np.arange(len(self) + 1)).tolist()
        counts = self.counts.tolist()

        def maybe(value: float) -> float | None:
            return None if value != value else value  # NaN: unknown

        return tuple(
            StationVote(
                station,
                district,
                registered,
                found,
                leader,
                tuple(counts[bounds[i] : bounds[i + 1]]),
                maybe(turnout),
                maybe(share),
            )
            for i, (station, district, registered, found, leader, turnout, share) in enumerate(
                zip(
                    self.station.tolist(),
                    self.district.tolist(),
                    self.registered.tolist(),
                    self.found.tolist(),
                    self.leader.tolist(),
                    self.previous_turnout.tolist(),
                    self.previous_share.tolist(),
                    strict=True,
                )
            )
        )


@dataclass(frozen=True, slots=True, init=False, eq=False)
class Contest:
    """One ballot's stations, read against its leader (`leaders`: district number -> leader on the district
    ballot; on the list ballot every district maps to the one leading party). Made from station objects or
    from columns; `columns` is what the statistics read."""

    kind: ContestKind
    leaders: Mapping[int, str]
    columns: StationColumns

    def __init__(
        self, kind: ContestKind, leaders: Mapping[int, str], stations: Sequence[StationVote] | StationColumns
    ) -> None:
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "leaders", leaders)
        columns = stations if isinstance(stations, StationColumns) else StationColumns.of(stations)
        object.__setattr__(self, "columns", columns)

    @property
    def stations(self) -> tuple[StationVote, ...]:
        """The stations as objects, in station order."""
        return self.columns.votes()

    @property
    def leader(self) -> str:
        """The list ballot's leading party; on the district ballot "" (each district has its own)."""
        names = set(self.leaders.values())
        return next(iter(names)) if self.kind is ContestKind.LIST and len(names) == 1 else ""


def _leader(totals: Mapping[str, int]) -> str:
    """The option with the most votes; a tie goes to the first in name order (a statistic decides no seat)."""
    return min(totals, key=lambda option: (-totals[option], option))


def contests(
    protocols: Iterable[Protocol],
    history: Mapping[int, StationHistory] | PastColumns | None = None,
    parties_of: Mapping[int, Mapping[str, str | None]] | None = None,
    *,
    workers: int = 1,
) -> tuple[Contest, ...]:
    """The list and district contests of the accepted protocols (a contest with no station is left out).

    `history` adds each station's previous turnout and its leader's previous list share; on the district
    ballot that is the list share of the leading candidate's party (`parties_of`: district -> candidate ->
    party), and unknown for a self-nominated leader. The column reader's rows (`AcceptedRows`) are read as
    columns, never as one object per row. `workers` 2: the two contests are made side by side (the same
    columns; numpy lets go of the interpreter while it works).
    """
    past = history if history is None or isinstance(history, PastColumns) else PastColumns.of(history)  # once
    tables = protocols.tables() if isinstance(protocols, AcceptedRows) else [ProtocolTable.of(list(protocols))]
    with ThreadPoolExecutor(max_workers=max(1, min(workers, 2))) as pool:
        made = [pool.submit(_list_contest, tables, past), pool.submit(_district_contest, tables, past, parties_of)]
        return tuple(c for c in (m.result() for m in made) if c is not None)


def _list_contest(tables: Sequence[ProtocolTable], history: PastColumns | None) -> Contest | None:
    """The party-list ballot against the party with the most list votes (None: no list protocol)."""
    lists = [_Rows.of_ballot(t, 0) for t in tables]
    totals: dict[str, int] = {}
    for rows in lists:
        for option, votes in rows.totals().items():
            totals[option] = totals.get(option, 0) + votes
    if not totals:
        return None
    leader = _leader(totals)
    leaders = {int(d): leader for rows in lists for d in np.unique(rows.district).tolist()}
    return Contest(ContestKind.LIST, leaders, _stations(lists, leaders, history, None))


def _district_contest(
    tables: Sequence[ProtocolTable],
    history: PastColumns | None,
    parties_of: Mapping[int, Mapping[str, str | None]] | None,
) -> Contest | None:
    """The district ballots pooled, each district against its own leader (None: no district protocol)."""
    districts = [_Rows.of_ballot(t, 1) for t in tables]
    per_district: dict[int, dict[str, int]] = {}
    for rows in districts:
        for (district, option), votes in rows.district_totals().items():
            per_district.setdefault(district, {})
            per_district[district][option] = per_district[district].get(option, 0) + votes
    leaders = {d: _leader(t) for d, t in per_district.items() if t}
    if not leaders:
        return None
    party = {d: (parties_of or {}).get(d, {}).get(leader) for d, leader in leaders.items()}
    kept = [rows.only(np.isin(rows.district, np.fromiter(leaders, np.int64))) for rows in districts]
    if not any(len(rows.station) for rows in kept):
        return None
    return Contest(ContestKind.DISTRICT, leaders, _stations(kept, leaders, history, party))


class _Rows:
    """The rows of one table that one contest reads (`rows`: their positions in the table, in order).

    Positions, not a mask: every column is gathered once by the same indices, where a mask is searched again
    for each column it picks from (a national count's table has a dozen option columns)."""

    def __init__(self, table: ProtocolTable, rows: IntArray) -> None:
        self.table = table
        self.rows = rows
        self.station = table.station[rows]
        self.district = table.district[rows]
        self._written: list[tuple[str, IntArray, npt.NDArray[np.bool_]]] | None = None

    @classmethod
    def of_ballot(cls, table: ProtocolTable, ballot: int) -> _Rows:
        """The rows of one ballot (0 list, 1 district)."""
        return cls(table, np.flatnonzero(table.ballot == ballot))

    def only(self, mask: npt.NDArray[np.bool_]) -> _Rows:
        """The rows of `mask` (these rows themselves, with what they gathered, when it keeps every one)."""
        return self if bool(mask.all()) else _Rows(self.table, self.rows[mask])

    def release(self) -> None:
        """Let go of the gathered options (`written` gathers them again if asked)."""
        self._written = None

    def written(self) -> list[tuple[str, IntArray, npt.NDArray[np.bool_]]]:
        """(option, votes, written) of every option written in one of these rows, in name order."""
        if self._written is None:
            mine = np.zeros(len(self.table), np.bool_)
            mine[self.rows] = True
            out = []
            for option, votes, written in zip(self.table.options, self.table.votes, self.table.written, strict=True):
                if np.logical_and(written, mine).any():  # the other ballot's options are never gathered
                    out.append((option, votes[self.rows], written[self.rows]))
            self._written = sorted(out, key=lambda o: o[0])
        return self._written

    def totals(self) -> dict[str, int]:
        return {option: int(votes[written].sum()) for option, votes, written in self.written()}

    def district_totals(self) -> dict[tuple[int, str], int]:
        """(district, option) -> votes, for every option written in a district's rows."""
        out: dict[tuple[int, str], int] = {}
        names, at = groups(self.district)
        for option, votes, written in self.written():
            sums = np.zeros(names.shape[0], np.int64)
            np.add.at(sums, at[written], votes[written])
            seen = np.zeros(names.shape[0], np.bool_)
            seen[at[written]] = True
            for d, total in zip(names[seen].tolist(), sums[seen].tolist(), strict=True):
                out[(int(d), option)] = int(total)
        return out


def groups(values: IntArray) -> tuple[IntArray, IntArray]:
    """`np.unique(values, return_inverse=True)` of small non-negative numbers (district numbers), the same
    arrays by a table lookup instead of a sort of every station; other values by `np.unique` itself."""
    n = int(values.shape[0])
    if not n or int(values.min()) < 0 or int(values.max()) > 4 * n + 1024:
        names, inverse = np.unique(values, return_inverse=True)
        return names, inverse.astype(np.int64, copy=False).reshape(-1)
    present = np.zeros(int(values.max()) + 1, np.bool_)
    present[values] = True
    lookup = np.cumsum(present, dtype=np.int64) - 1
    return np.flatnonzero(present).astype(values.dtype, copy=False), lookup[values]


def _options(rows: _Rows, leaders: Mapping[int, str]) -> tuple[IntArray, IntArray, IntArray]:
    """One table's counts row by row (each row's options in name order, "against all" last), how many counts
    each row has, and each row's votes for its district's leader."""
    n = int(rows.station.shape[0])
    written = rows.written()
    at = {option: k for k, (option, _, _) in enumerate(written)}
    names, group = groups(rows.district)
    leader_at = np.array([at.get(leaders.get(int(d), ""), -1) for d in names.tolist()], np.int64)[group]
    values = np.zeros((n, len(written) + 1), np.int64)
    given = np.ones((n, len(written) + 1), np.bool_)
    got = np.zeros(n, np.int64)
    for k, (_, votes, w) in enumerate(written):
        values[:, k] = votes
        given[:, k] = w
        mine = w & (leader_at == k)
        got[mine] = votes[mine]
    values[:, -1] = rows.table.figures["against_all"][rows.rows]
    rows.release()  # the gathered options are in `values` now
    return values[given], given.sum(axis=1, dtype=np.int64), got


def _stations(
    parts: Sequence[_Rows],
    leaders: Mapping[int, str],
    history: Mapping[int, StationHistory] | PastColumns | None,
    party: Mapping[int, str | None] | None,
) -> StationColumns:
    """The contest's columns from its rows in every table, sorted by station number."""
    station, district, registered, found, leader, counts, lengths = [], [], [], [], [], [], []
    for rows in parts:
        n = int(rows.station.shape[0])
        if not n:
            continue
        figures = rows.table.figures
        station.append(rows.station)
        district.append(rows.district)
        registered.append(figures["registered"][rows.rows])
        found.append(figures["found"][rows.rows])
        flat, written, got = _options(rows, leaders)
        counts.append(flat)
        lengths.append(written)
        leader.append(got)
    if not station:
        empty = np.zeros(0, np.int64)
        return StationColumns(empty, empty, empty, empty, empty, empty, empty, empty.astype(float), empty.astype(float))
    numbers = np.concatenate(station)
    all_counts = np.concatenate(counts)
    del counts
    all_owner = np.repeat(np.arange(numbers.shape[0], dtype=np.int64), np.concatenate(lengths))
    columns = [np.concatenate(district), np.concatenate(registered), np.concatenate(found), np.concatenate(leader)]
    if numbers.shape[0] > 1 and not bool((np.diff(numbers) > 0).all()):
        sort = np.argsort(numbers, kind="stable")
        rank = np.empty_like(sort)
        rank[sort] = np.arange(sort.shape[0])
        all_owner = rank[all_owner]
        by = np.argsort(all_owner, kind="stable")  # keeps each station's counts in their order
        all_counts, all_owner = all_counts[by], all_owner[by]
        numbers = numbers[sort]
        columns = [c[sort] for c in columns]
    previous_turnout, previous_share = _previous(numbers, columns[0], leaders, history, party)
    district_of, registered_of, found_of, leader_of = columns
    return StationColumns(
        numbers,
        district_of,
        registered_of,
        found_of,
        leader_of,
        all_counts,
        all_owner,
        previous_turnout,
        previous_share,
    )


@dataclass(frozen=True, slots=True, eq=False)
class PastColumns:
    """The stations' previous list ballot as columns (stations.csv `previous:` figures), sorted by station:
    registered voters, ballots found and each party's votes (by its current short name) then."""

    station: IntArray
    registered: FloatArray
    found: FloatArray
    votes: Mapping[str, FloatArray]

    @classmethod
    def of(cls, history: Mapping[int, StationHistory]) -> PastColumns:
        """A history read station by station (`io.protocols.read_station_history`) as columns."""
        numbers = np.fromiter(history, np.int64, len(history))
        order = np.argsort(numbers, kind="stable")
        past = list(history.values())
        parties = sorted({party for h in past for party in h.votes})

        def column(values: Iterable[float]) -> FloatArray:
            return np.fromiter(values, np.float64, len(past))[order]

        return cls(
            numbers[order],
            column(h.registered for h in past),
            column(h.found for h in past),
            {party: column(h.votes.get(party, 0) for h in past) for party in parties},
        )

    def __len__(self) -> int:
        return int(self.station.shape[0])


def _previous(
    numbers: IntArray,
    district: IntArray,
    leaders: Mapping[int, str],
    history: Mapping[int, StationHistory] | PastColumns | None,
    party: Mapping[int, str | None] | None,
) -> tuple[FloatArray, FloatArray]:
    """Each station's previous turnout and its leader's (party's) previous list share; NaN where unknown.
    Each district's stations take their backer's share; the stations of every district one party backs are
    read together (a handful of passes over the stations, not one per district)."""
    n = numbers.shape[0]
    turnout = np.full(n, np.nan)
    share = np.full(n, np.nan)
    if history is None or not len(history):
        return turnout, share
    past = history if isinstance(history, PastColumns) else PastColumns.of(history)
    at = np.minimum(np.searchsorted(past.station, numbers), max(past.station.shape[0] - 1, 0))
    past_registered, past_found = past.registered[at], past.found[at]
    had = past.station[at] == numbers
    had &= past_registered > 0
    turnout[had] = past_found[had] / past_registered[had]
    names, group = groups(district)
    backers: dict[str, list[int]] = {}
    for k, d in enumerate(names.tolist()):
        leader = leaders.get(int(d))
        backer = leader if party is None else party.get(int(d))
        if backer is not None:
            backers.setdefault(backer, []).append(k)
    counted = had & (past_found > 0)
    for backer, ks in backers.items():
        of_backer = np.zeros(names.shape[0], np.bool_)
        of_backer[ks] = True
        rows = np.flatnonzero(of_backer[group] & counted)
        votes = past.votes.get(backer)
        share[rows] = (votes[at[rows]] if votes is not None else 0.0) / past_found[rows]
    return turnout, share
