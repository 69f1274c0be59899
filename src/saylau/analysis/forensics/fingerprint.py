"""The election fingerprint: how many stations lie at each turnout and each leader's share.

Klimek, Yegorov, Hanel and Thurner, "Statistical detection of systematic election irregularities", PNAS 109
(2012) 16469-16473: in a clean count the stations form one compact cloud (turnout and the leader's share
roughly independent, each about normal); ballot stuffing drags stations towards the top right corner (more
voters, all for the leader), and figures written in wholesale pile them up at 100% turnout and 100% share.

Bins are taken with integer arithmetic (bin = found x bins // registered), so every station lands in exactly
one cell whatever the floating point would say; turnout above 100% (voters added on the day) falls in the
last column.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from saylau.analysis.forensics.contests import Contest

BINS = 100
"""Cells per axis: one percentage point each."""


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """The turnout x share histogram of one contest: `cells[(turnout_bin, share_bin)] = stations`."""

    bins: int
    cells: dict[tuple[int, int], int]
    stations: int
    """Stations in the picture (those where somebody voted)."""
    left_out: int
    """Stations with nobody registered or no ballot found (no turnout or share to place)."""

    @property
    def peak(self) -> int:
        """The most stations in one cell (the top of the colour scale)."""
        return max(self.cells.values(), default=0)


def cell(numerator: int, denominator: int, bins: int = BINS) -> int:
    """The bin of numerator/denominator on [0, 1] in `bins` equal parts (exact; above 1: the last bin)."""
    return min(bins - 1, numerator * bins // denominator)


def fingerprint(contest: Contest, bins: int = BINS) -> Fingerprint:
    """The fingerprint of one contest (every station, as columns: `cell` on arrays)."""
    c = contest.columns
    placed = (c.registered > 0) & (c.found > 0)
    found, registered, leader = c.found[placed], c.registered[placed], c.leader[placed]
    turnout = np.minimum(bins - 1, found * bins // registered)
    share = np.minimum(bins - 1, leader * bins // found)
    where, stations = np.unique(turnout * bins + share, return_counts=True)
    cells = {(int(w) // bins, int(w) % bins): int(k) for w, k in zip(where.tolist(), stations.tolist(), strict=True)}
    return Fingerprint(bins, cells, int(placed.sum()), int((~placed).sum()))
