"""The projection's fits from the stations' sums equal the fits on the rows (issue 25).

`sums.Rows` makes every rate model's rows (a station, or a station and candidate pair, per row: the matrix X)
and runs `model.fit_rate` and `model.predict` on them, each sum as written: the definition. `sums.Moments`
gives the same fits and predictions from per-district sums over the stations, without the rows. Held equal
here on generated stations and labels (districts in order or not, labels per district or per candidate with
their numbers in any columns, columns of zeros, labels without a row, priors or none, any mask of counted
stations; more rows than columns, as a fit with no residual sits at its variance's floor and amplifies any
rounding a millionfold whichever way it sums), and on whole projections of generated folders, partial counts
included.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from saylau.analysis.projection import completion, project_arrays
from saylau.analysis.projection.counted import count_arrays
from saylau.analysis.projection.model import Prediction, RateFit
from saylau.analysis.projection.sums import Labels, Moments, Rows
from saylau.io import load_election
from saylau.io.columnar import count_protocols
from saylau.io.history import read_history_columns
from saylau.io.writer import write_election
from saylau.synth import synthesize


def _close(a: np.ndarray, b: np.ndarray) -> bool:  # type: ignore[type-arg]
    scale = max(float(np.max(np.abs(b), initial=0.0)), 1.0)
    return bool(np.allclose(a, b, rtol=1e-7, atol=1e-9 * scale))


def _same_fit(got: RateFit, want: RateFit) -> None:
    for name in ("beta", "beta_cov", "effect_mean", "effect_var", "anchor"):
        assert _close(getattr(got, name), getattr(want, name)), name
    for name in ("sigma2", "tau2", "dof"):
        assert getattr(got, name) == pytest.approx(getattr(want, name), rel=1e-7, abs=1e-12), name


def _same_prediction(got: Prediction, want: Prediction) -> None:
    for name in ("mean", "loading", "spread"):
        assert _close(getattr(got, name), getattr(want, name)), name
    # The square root itself is not compared: where the covariance is singular (a column of zeros) a rounding
    # of 1e-17 in a zero eigenvalue moves its root by 1e-9. What the draws take from it, L L', is.
    assert _close(got.chol @ got.chol.T, want.chol @ want.chol.T)
    assert got.dof == pytest.approx(want.dof)


def _labels(rng: np.random.Generator, districts: int, q: int, per_candidate: bool) -> Labels:
    """Labels per district (a few of the station's numbers, in order) or per candidate (several labels in a
    district, each with k combinations of the numbers, the first 1, in k distinct columns of a wider X)."""
    if not per_candidate:
        chosen = [0, *sorted(rng.choice(np.arange(1, q), int(rng.integers(0, q)), replace=False).tolist())]
        return Labels.by_district(districts, chosen, q)
    count, k = int(rng.integers(1, 12)), int(rng.integers(1, 5))
    width = k + int(rng.integers(0, 8))
    loads = rng.normal(size=(count, k, q)) * rng.choice([0.0, 1.0], size=(count, k, q), p=[0.6, 0.4])
    loads[:, 0, :] = 0.0
    loads[:, 0, 0] = 1.0
    columns = np.array([[0, *rng.choice(np.arange(1, width), k - 1, replace=False)] for _ in range(count)])
    return Labels(rng.integers(0, districts, count), loads, columns.astype(np.int64), width)


@settings(max_examples=150, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    stations=st.integers(60, 500),
    districts=st.integers(1, 6),
    q=st.integers(1, 6),
    per_candidate=st.booleans(),
    in_order=st.booleans(),
    prior=st.booleans(),
    counted=st.sampled_from([0.3, 0.8, 1.0]),
)
def test_the_fits_from_the_sums_are_the_fits_on_the_rows(
    seed: int,
    stations: int,
    districts: int,
    q: int,
    per_candidate: bool,
    in_order: bool,
    prior: bool,
    counted: float,
) -> None:
    rng = np.random.default_rng(seed)
    z = rng.normal(size=(stations, q)) * rng.choice([0.0, 1.0, 3.0], size=(1, q))
    z[:, 0] = 1.0
    district = rng.integers(0, districts, stations)
    if in_order:
        district = np.sort(district)
    labels = _labels(rng, districts, q, per_candidate)
    weight = rng.uniform(1.0, 500.0, stations)
    values = rng.uniform(0.0, 1.0, (stations, 3)) * weight[:, None]
    column = rng.integers(0, 3, labels.district.shape[0])
    chosen = rng.uniform(size=stations) < counted
    rows = sum(int(np.count_nonzero(chosen & (district == d))) for d in labels.district.tolist())
    assume(rows >= labels.width + 20)  # a residual to measure (see the module's docstring)
    sd = np.array([np.inf, *rng.choice([0.1, 1.0], labels.width - 1)]) if prior else None
    fast, slow = Moments(z, district, districts), Rows(z, district, districts)
    fit = fast.sample(weight, values, chosen).fit(labels, column, sd)
    want = slow.sample(weight, values, chosen).fit(labels, column, sd)
    _same_fit(fit, want)
    expected = rng.uniform(0.0, 800.0, stations)
    _same_prediction(
        fast.rest(expected, ~chosen).predict(fit, labels), slow.rest(expected, ~chosen).predict(want, labels)
    )


def test_the_stations_first_number_is_the_intercept() -> None:
    with pytest.raises(ValueError, match="first number"):
        Moments(np.zeros((3, 2)), np.zeros(3, np.int64), 1)


_made: dict[int, Path] = {}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 3), share=st.sampled_from([0.1, 0.4, 1.0]), history=st.booleans())
def test_a_projection_from_the_sums_is_the_projection_from_the_rows(
    tmp_path_factory: pytest.TempPathFactory, seed: int, share: float, history: bool
) -> None:
    """Whole projections of generated folders (with and without previous figures, partial counts smallest
    stations first): the same seat intervals and chances with every fit from `Moments` as from `Rows`."""
    if seed not in _made:
        _made[seed] = tmp_path_factory.mktemp(f"sums{seed}")
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
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(completion, "Moments", Rows)
        assert project_arrays(election, arrays, draws=400, seed=seed) == fast
