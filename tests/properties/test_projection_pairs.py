"""The candidates' model fitted from per-candidate sums equals the fit on the whole matrix (issue 25).

`model.fit_rate` on `model.Covariates` (the matrix X, each sum as written) is the definition; `pairs.Pairs`
gives the same sums from each row's few numbers without making X. Held equal here on generated designs (any
number of labels, columns per label placed anywhere, columns of zeros, weights, groups that are not the
labels, priors or none, groups with no row; more rows than columns, as a fit with no residual sits at its
variance's floor and amplifies any rounding a millionfold whichever way it sums), on the prediction from the
fit, and on whole projections of generated folders, partial counts included.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saylau.analysis.projection import completion, project_arrays
from saylau.analysis.projection.counted import count_arrays
from saylau.analysis.projection.model import Covariates, RateFit, fit_rate, predict
from saylau.analysis.projection.pairs import Pairs
from saylau.io import load_election
from saylau.io.columnar import count_protocols
from saylau.io.history import read_history_columns
from saylau.io.writer import write_election
from saylau.synth import synthesize


def _pairs(rng: np.random.Generator, rows: int, labels: int, k: int, width: int) -> Pairs:
    """Random rows; each label's k numbers in k distinct columns of `width` (column 0 always, as the intercept)."""
    columns = np.array([[0, *rng.choice(np.arange(1, width), k - 1, replace=False)] for _ in range(labels)])
    values = rng.normal(size=(rows, k)) * rng.choice([0.0, 1.0, 3.0], size=(1, k))
    values[:, 0] = 1.0
    return Pairs(values, rng.integers(0, labels, rows), columns.astype(np.int64), width)


def _close(a: np.ndarray, b: np.ndarray) -> bool:  # type: ignore[type-arg]
    scale = max(float(np.max(np.abs(b), initial=0.0)), 1.0)
    return bool(np.allclose(a, b, rtol=1e-7, atol=1e-9 * scale))


def _same_fit(got: RateFit, want: RateFit) -> None:
    for name in ("beta", "beta_cov", "effect_mean", "effect_var", "anchor"):
        assert _close(getattr(got, name), getattr(want, name)), name
    for name in ("sigma2", "tau2", "dof"):
        assert getattr(got, name) == pytest.approx(getattr(want, name), rel=1e-7, abs=1e-12), name


@settings(max_examples=100, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    rows=st.integers(40, 400),
    labels=st.integers(1, 12),
    k=st.integers(1, 5),
    extra=st.integers(0, 8),
    groups=st.integers(1, 6),
    by_label=st.booleans(),
    prior=st.booleans(),
)
def test_pairs_fit_as_the_matrix_fits(
    seed: int, rows: int, labels: int, k: int, extra: int, groups: int, by_label: bool, prior: bool
) -> None:
    rng = np.random.default_rng(seed)
    x = _pairs(rng, rows, labels, k, k + extra)
    weight = rng.uniform(1.0, 500.0, rows)
    rate = rng.uniform(0.0, 1.0, rows)
    group = x.label if by_label else rng.integers(0, groups, rows)
    count = labels if by_label else groups
    sd = np.array([np.inf, *rng.choice([0.1, 1.0], x.width - 1)]) if prior else None
    dense = Covariates(x.dense())
    beta = rng.normal(size=x.width)
    assert _close(x.gram(weight), dense.gram(weight))
    assert _close(x.cross(weight, rate), dense.cross(weight, rate))
    assert _close(x.group_sums(weight, group, count), dense.group_sums(weight, group, count))
    assert _close(x.times(beta), dense.times(beta))
    fit = fit_rate(rate, weight, x, group, count, sd)
    want = fit_rate(rate, weight, x.dense(), group, count, sd)
    _same_fit(fit, want)
    later = _pairs(rng, rows, labels, k, x.width)  # other stations, the same columns' meaning
    later = Pairs(later.values, later.label, x.columns, x.width)
    where = later.label if by_label else rng.integers(0, groups, rows)  # the fit's groups
    got = predict(fit, weight, later, where, count)
    expected = predict(want, weight, later.dense(), where, count)
    for name in ("mean", "loading", "spread"):
        assert _close(getattr(got, name), getattr(expected, name)), name


_made: dict[int, Path] = {}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 3), share=st.sampled_from([0.1, 0.4, 1.0]), history=st.booleans())
def test_a_projection_from_the_pairs_is_the_projection_from_the_matrix(
    tmp_path_factory: pytest.TempPathFactory, seed: int, share: float, history: bool
) -> None:
    """Whole projections of generated folders (with and without previous figures, partial counts smallest
    stations first): the same seat intervals and chances with the candidates' fit from `Pairs` as from X."""
    if seed not in _made:
        _made[seed] = tmp_path_factory.mktemp(f"pairs{seed}")
        write_election(_made[seed], synthesize(seed, 5, 150, 5, heterogeneity=0.3, previous=True))
    folder = _made[seed]
    election = load_election(folder, count_protocols=False)
    count = count_protocols([folder], election, keep_accepted=True)
    register = count.stations()
    assert register is not None and count.accepted is not None
    past = read_history_columns(folder, [p.short_name for p in election.parties])[0] if history else None
    arrays = count_arrays(election, register, count.accepted, past)
    order = sorted(range(len(register)), key=lambda i: (register[i].registered, register[i].number))
    shown = np.zeros(len(register), np.bool_)
    shown[order[: round(len(order) * share)]] = True
    arrays = arrays.only(shown)
    fast = project_arrays(election, arrays, draws=400, seed=seed)
    pairs = completion._DistrictModel._pairs
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            completion._DistrictModel, "_pairs", lambda self, rows, cands: Covariates(pairs(self, rows, cands).dense())
        )
        assert project_arrays(election, arrays, draws=400, seed=seed) == fast
