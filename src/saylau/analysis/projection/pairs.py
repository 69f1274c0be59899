"""The district candidates' covariates without their matrix: the speed path of `model.fit_rate`'s sums.

Why: the candidates' model has a row per (station, candidate) pair, three and a half million at a million
stations, and seventeen columns, but each row holds at most five numbers (1, the station's two sizes in its
party's pair of columns, the party's strength, the party's previous share); the matrix would be half a
gigabyte, and most of the fit's time went into making it and multiplying its zeros. A `Pairs` keeps the five
numbers of each row and, per candidate, the columns they stand in; the fit's sums (X'WX, X'Wy, the group
sums of WX, X beta) are taken per candidate and placed in their columns. The same fit to rounding as the
matrix's (`model.Covariates`, the definition): tests/properties/test_projection_pairs.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from saylau.analysis.projection.model import FloatArray, IntArray


@dataclass(frozen=True, slots=True)
class Pairs:
    """X (n, m) as its nonzero numbers: row i holds `values[i, k]` in column `columns[label[i], k]`.

    The columns of one label are distinct (a `Pairs` never adds two numbers into one cell)."""

    values: FloatArray
    """(n, k) each row's numbers."""
    label: IntArray
    """(n,) each row's label (here: its candidate), 0..L-1."""
    columns: IntArray
    """(L, k) the column of X each of a label's numbers stands in."""
    width: int
    """m, the columns of X."""

    @property
    def shape(self) -> tuple[int, int]:
        return int(self.values.shape[0]), self.width

    def gram(self, weight: FloatArray) -> FloatArray:
        labels, k = self.columns.shape
        out = np.zeros((self.width, self.width))
        for a in range(k):
            wa = weight * self.values[:, a]
            for b in range(a, k):
                sums = np.bincount(self.label, wa * self.values[:, b], labels)
                np.add.at(out, (self.columns[:, a], self.columns[:, b]), sums)
                if b != a:
                    np.add.at(out, (self.columns[:, b], self.columns[:, a]), sums)
        return out

    def cross(self, weight: FloatArray, values: FloatArray) -> FloatArray:
        labels, k = self.columns.shape
        out = np.zeros(self.width)
        wv = weight * values
        for a in range(k):
            np.add.at(out, self.columns[:, a], np.bincount(self.label, wv * self.values[:, a], labels))
        return out

    def group_sums(self, weight: FloatArray, group: IntArray, groups: int) -> FloatArray:
        out = np.zeros(groups * self.width)
        start = group * self.width
        for a in range(self.columns.shape[1]):
            cell = start + self.columns[self.label, a]
            out += np.bincount(cell, weight * self.values[:, a], groups * self.width)
        return out.reshape(groups, self.width)

    def times(self, beta: FloatArray) -> FloatArray:
        at = beta[self.columns]  # (L, k): each label's coefficients
        out = np.zeros(self.values.shape[0])
        for a in range(self.columns.shape[1]):
            out += self.values[:, a] * at[self.label, a]
        return out

    def dense(self) -> FloatArray:
        """X as a matrix (the definition's input; for the tests)."""
        out = np.zeros(self.shape)
        rows = np.arange(self.values.shape[0])
        for a in range(self.columns.shape[1]):
            out[rows, self.columns[self.label, a]] += self.values[:, a]
        return out
