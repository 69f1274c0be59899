"""The district candidates' covariates without their matrix: the speed path of `model.fit_rate`'s sums.

Why: the candidates' model has a row per (station, candidate) pair, three and a half million at a million
stations, and seventeen columns, but each row holds at most five numbers (1, the station's two sizes in its
party's pair of columns, the party's strength, the party's previous share); the matrix would be half a
gigabyte, and most of the fit's time went into making it and multiplying its zeros. A `Pairs` keeps the five
numbers of each row and, per candidate, the columns they stand in; the fit's sums (X'WX, X'Wy, the group
sums of WX, X beta) are taken per candidate, one small matrix product over its block of rows, and placed in
their columns. The same fit to rounding as the
matrix's (`model.Covariates`, the definition): tests/properties/test_projection_pairs.py.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from saylau.analysis.projection.model import FloatArray, IntArray


@dataclass(frozen=True, slots=True)
class Pairs:
    """X (n, m) as its nonzero numbers: row i holds `values[i, k]` in column `columns[label[i], k]`.

    The rows come label by label (`label` never decreases: the pairs of one candidate together), so a label's
    sums are one small matrix product over its block of rows; the columns of one label are distinct (a `Pairs`
    never adds two numbers into one cell)."""

    values: FloatArray
    """(n, k) each row's numbers."""
    label: IntArray
    """(n,) each row's label (here: its candidate), 0..L-1, in order."""
    columns: IntArray
    """(L, k) the column of X each of a label's numbers stands in."""
    width: int
    """m, the columns of X."""
    starts: IntArray = field(init=False, repr=False, compare=False)
    """(L + 1,) where each label's block of rows starts (and the last ends)."""

    def __post_init__(self) -> None:
        if self.label.shape[0] and bool((self.label[1:] < self.label[:-1]).any()):
            raise ValueError("the rows of a Pairs come label by label")
        labels = self.columns.shape[0]
        object.__setattr__(self, "starts", np.searchsorted(self.label, np.arange(labels + 1)))

    @property
    def shape(self) -> tuple[int, int]:
        return int(self.values.shape[0]), self.width

    def _blocks(self) -> Iterator[tuple[int, slice, IntArray]]:
        """(label, its rows, its columns) of every label with rows."""
        for at, (start, end) in enumerate(itertools.pairwise(self.starts.tolist())):
            if end > start:
                yield at, slice(start, end), self.columns[at]

    def gram(self, weight: FloatArray) -> FloatArray:
        out = np.zeros((self.width, self.width))
        for _, rows, columns in self._blocks():
            v = self.values[rows]
            out[np.ix_(columns, columns)] += v.T @ (v * weight[rows, None])
        return out

    def cross(self, weight: FloatArray, values: FloatArray) -> FloatArray:
        out = np.zeros(self.width)
        wv = weight * values
        for _, rows, columns in self._blocks():
            out[columns] += self.values[rows].T @ wv[rows]
        return out

    def group_sums(self, weight: FloatArray, group: IntArray, groups: int) -> FloatArray:
        if groups >= self.columns.shape[0] and np.array_equal(group, self.label):  # by label: block by block
            by_label = np.zeros((groups, self.width))
            for at, rows, columns in self._blocks():
                by_label[at, columns] += weight[rows] @ self.values[rows]
            return by_label
        out = np.zeros(groups * self.width)
        start = group * self.width
        for a in range(self.columns.shape[1]):
            cell = start + self.columns[self.label, a]
            out += np.bincount(cell, weight * self.values[:, a], groups * self.width)
        return out.reshape(groups, self.width)

    def times(self, beta: FloatArray) -> FloatArray:
        out = np.zeros(self.values.shape[0])
        for _, rows, columns in self._blocks():
            out[rows] = self.values[rows] @ beta[columns]
        return out

    def dense(self) -> FloatArray:
        """X as a matrix (the definition's input; for the tests)."""
        out = np.zeros(self.shape)
        rows = np.arange(self.values.shape[0])
        for a in range(self.columns.shape[1]):
            out[rows, self.columns[self.label, a]] += self.values[:, a]
        return out
