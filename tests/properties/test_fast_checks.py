"""The speed path of the protocol checks (`saylau.tabulation.fast.check_columns`, one vectorised comparison
per relation, which the column reader uses to pick the rows `check` must judge) gives exactly the codes of
the one definition (`saylau.tabulation.check`) on every protocol it accepts: any figures (negative, above
the limit, at every boundary of every relation), any register, any thresholds.

The column path covers the relations between numbers (COLUMN_CODES); the checks about names and keys (P004
an option not on the ballot, P007/W005 duplicates, P009 an unknown station) need the objects.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saylau.limits import MAX_COUNT
from saylau.tabulation import FIGURES, CheckSettings, Protocol, Station, check
from saylau.tabulation.fast import COLUMN_CODES, ProtocolColumns, check_columns

OPTIONS = ("A", "B", "C")
figure = st.one_of(st.integers(-2, 40), st.integers(MAX_COUNT - 2, MAX_COUNT + 2))
"""Small numbers meet every relation's boundary; the limit's neighbours meet P006's."""
share = st.sampled_from([Fraction(0), Fraction(1, 100), Fraction(1, 2), Fraction(95, 100), Fraction(1)])


@st.composite
def protocols(draw: st.DrawFn) -> tuple[list[Protocol], list[Station]]:
    """Up to 12 list protocols of stations in a register of 2 districts (a station may report for the other)."""
    count = draw(st.integers(1, 12))
    stations = [Station(n, draw(st.integers(1, 2)), draw(st.integers(0, 40))) for n in range(1, count + 1)]
    found = []
    for station in stations:
        lines = {name: draw(figure) for name in FIGURES}
        votes = {o: draw(figure) for o in draw(st.lists(st.sampled_from(OPTIONS), unique=True, max_size=3))}
        district = draw(st.sampled_from([station.district, 3 - station.district]))
        found.append(Protocol(station.number, district, "list", **lines, votes=votes))
    return found, stations


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    drawn=protocols(),
    reserve=st.one_of(st.none(), share),
    turnout=share,
    invalid=share,
)
def test_the_speed_path_gives_the_codes_of_the_one_definition(
    drawn: tuple[list[Protocol], list[Station]], reserve: Fraction | None, turnout: Fraction, invalid: Fraction
) -> None:
    found, stations = drawn
    rules = CheckSettings(reserve=reserve, high_turnout=turnout, high_invalid=invalid)
    columns = ProtocolColumns(
        station=np.array([p.station for p in found], np.int64),
        district=np.array([p.district for p in found], np.int64),
        figures={name: np.array([p.figure(name) for p in found], np.int64) for name in FIGURES},
        votes=np.array([[p.votes.get(o, 0) for o in OPTIONS] for p in found], np.int64).reshape(len(found), 3),
    )
    masks = check_columns(
        columns,
        np.array([s.district for s in stations], np.int64),
        rules,
        np.array([s.registered for s in stations], np.int64),
    )
    by_columns = {(int(columns.station[i]), code) for code, mask in masks.items() for i in np.flatnonzero(mask)}
    by_definition = {(f.station, str(f.code)) for f in check(found, None, stations, rules) if f.code in COLUMN_CODES}
    assert by_columns == by_definition
