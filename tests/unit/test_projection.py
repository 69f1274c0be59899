"""The election-night projection: exact at a full count, deterministic, honest about what is missing."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.analysis.projection import NothingCounted, Projection, project
from saylau.analysis.projection.backtest import FinishedCount, score
from saylau.analysis.projection.completion import Completions, count_arrays
from saylau.analysis.projection.council import VACANT, Councils, admitted, councils, district_winners
from saylau.apportionment import Threshold, ThresholdBase, TieRule
from saylau.apportionment.threshold import apply_threshold
from saylau.apportionment.ties import Undecided
from saylau.composition import compose
from saylau.composition.council import list_allocation, one_allocation
from saylau.composition.districts import decide_district
from saylau.domain import Candidate, District, Election, LotDecision, Results, Tally, TieTier
from saylau.errors import RuleError
from saylau.io import load_election
from saylau.io.protocols import read_protocols, read_station_history
from saylau.io.writer import write_election
from saylau.reports.projection import projection_panel
from saylau.result import declare
from saylau.rules import AgainstAllRule, Combination, DistrictRounds, DistrictTier, Exhausted, OpenList
from saylau.synth import synthesize
from saylau.tabulation import tabulate
from tests.conftest import EXAMPLES

ALMATY = EXAMPLES / "almaty-2023"


def _almaty() -> tuple[object, list, list]:  # type: ignore[type-arg]
    election = load_election(ALMATY)
    found = read_protocols([ALMATY])
    assert found.stations is not None
    return election, found.stations, list(tabulate(found.protocols, election, found.stations).accepted)


def _smallest_first(stations: list, share: float) -> set[int]:  # type: ignore[type-arg]
    order = sorted(stations, key=lambda s: (s.registered, s.number))
    return {s.number for s in order[: round(len(order) * share)]}


def test_with_every_station_in_the_projection_is_the_declared_result_with_certainty() -> None:
    election, stations, accepted = _almaty()
    projection = project(election, stations, accepted, draws=300, seed=5)
    declared = declare(election).composition  # what `saylau results` prints
    assert projection.complete
    for line in projection.parties:
        seats = declared.party(line.party)
        assert seats is not None
        assert (line.list_seats.low, line.list_seats.median, line.list_seats.high) == (seats.list_seats,) * 3
        assert (line.district_seats.low, line.district_seats.high) == (seats.district_seats,) * 2
        assert (line.seats.low, line.seats.high) == (seats.seats,) * 2
        assert line.majority == (1.0 if declared.majority_holder == line.party else 0.0)
    assert projection.likely_majority == declared.majority_holder == "Amanat"  # seed: Amanat 25 of 42
    for outcome, district in zip(declared.districts, projection.districts, strict=True):
        winner = outcome.winner.name if outcome.winner else None
        assert {c.name: c.wins for c in district.candidates if c.wins} == ({winner: 1.0} if winner else {})


def _drawn_results(election: Election, list_votes: np.ndarray, district: tuple, row: int) -> Results:  # type: ignore[type-arg]
    """Row `row` of the drawn counts as the results `declare` takes: the list tally and each district's."""
    parties = [p.short_name for p in election.parties_in_registration_order]
    p = len(parties)
    votes = list_votes[row]
    list_tally = Tally(dict(zip(parties, map(int, votes[:p]), strict=True)), int(votes[p]), int(votes[p + 1]))
    candidates, against, invalid = (np.asarray(a[row]) for a in district)
    tallies, start = {}, 0
    for k, d in enumerate(sorted(election.districts, key=lambda d: d.number)):
        names = [c.name for c in d.candidates]
        block = candidates[start : start + len(names)]
        tallies[d.number] = Tally(dict(zip(names, map(int, block), strict=True)), int(against[k]), int(invalid[k]))
        start += len(names)
    return replace(election.results, list_tally=list_tally, district_tallies=tallies)


def _assert_each_council_is_declared(election: Election, councils_: Councils, list_votes, district) -> None:  # type: ignore[no-untyped-def]
    parties = [p.short_name for p in election.parties_in_registration_order]
    districts = sorted(election.districts, key=lambda d: d.number)
    names = [c.name for d in districts for c in d.candidates]
    for row in range(list_votes.shape[0]):
        declared = compose(replace(election, results=_drawn_results(election, list_votes, district, row)))
        assert declared.list_allocation is not None
        assert dict(zip(parties, councils_.list_seats[row].tolist(), strict=True)) == dict(
            declared.list_allocation.seats
        )
        admitted_now = {line.name for line in declared.list_allocation.threshold.lines if line.admitted}
        assert {q for q, a in zip(parties, councils_.admitted[row].tolist(), strict=True) if a} == admitted_now
        winners = [None if w == VACANT else names[w] for w in councils_.winners[row].tolist()]
        assert winners == [o.winner.name if o.winner else None for o in declared.districts]
        seats = (councils_.list_seats[row] + councils_.district_seats[row]).tolist()
        assert dict(zip(parties, seats, strict=True)) == {q.party: q.seats for q in declared.parties}


@pytest.mark.parametrize(
    ("share", "list_rule"),
    [
        (0.1, {}),
        (0.5, {}),
        (0.3, {"method": "dhondt", "threshold_percent": Fraction(7)}),
        (0.3, {"method": "sainte-lague", "min_admitted": 4, "threshold_percent": Fraction(15)}),
    ],
)
def test_every_drawn_council_is_the_one_declare_gives_on_its_figures(
    share: float, list_rule: dict[str, object]
) -> None:
    """The projection runs the council's rules, not its own (issue 25): each drawn count, declared by `compose`,
    gives the list seats, the lists admitted, the district winners and the council the projection took."""
    election, stations, accepted = _almaty()
    assert election.system.list_tier is not None
    tier = election.system.list_tier.model_copy(update=list_rule)
    election = replace(election, system=election.system.model_copy(update={"list_tier": tier}))
    shown = _smallest_first(stations, share)
    completions = Completions(
        count_arrays(election, stations, [p for p in accepted if p.station in shown]), np.random.default_rng(3)
    )
    list_votes, district = completions.list_draws(25), completions.district_draws(25)
    assert list_votes is not None and district is not None
    _assert_each_council_is_declared(election, councils(election, list_votes, district, seed=0), list_votes, district)


def test_drawn_councils_take_the_council_s_caps_and_recorded_drawings() -> None:
    """A list shorter than its share is held to its names, as `compose` holds it; a tie the commission decides
    is settled by its recorded drawing in a drawn count exactly as in the declared one."""
    election, stations, accepted = _almaty()
    assert election.system.list_tier is not None
    short = {**election.lists, "QHP": replace(election.lists["QHP"], candidates=election.lists["QHP"].candidates[:1])}
    tier = election.system.list_tier.model_copy(update={"tie": TieRule.DECIDE, "method": "dhondt"})
    decision = LotDecision(TieTier.LIST, ("Baytaq", "Aq Jol"), 1, ("Aq Jol",))
    system = election.system.model_copy(update={"list_tier": tier})
    election = replace(election, lists=short, decisions=(decision,), system=system)
    completions = Completions(
        count_arrays(election, stations, accepted[: len(accepted) // 3]), np.random.default_rng(1)
    )
    list_votes, district = completions.list_draws(12), completions.district_draws(12)
    assert list_votes is not None and district is not None
    # Rows 0 and 1: Baytaq and Aq Jol tied for the last D'Hondt seat (QHP, 4 seats' worth, held to 1 name).
    # Registration order: Amanat, Auyl, Respublica, QHP, Baytaq, Aq Jol; then "against all", invalid.
    tied = next(
        v
        for v in range(100, 400)
        if list_allocation(
            replace(election, decisions=()), Tally({"Amanat": 1750, "QHP": 400, "Baytaq": v, "Aq Jol": v}, 10, 5)
        ).undecided
        == Undecided(("Baytaq", "Aq Jol"), 1)
    )
    list_votes[:2] = [1750, 0, 0, 400, tied, tied, 10, 5]
    drawn = councils(election, list_votes, district, seed=0)
    _assert_each_council_is_declared(election, drawn, list_votes, district)
    assert drawn.list_seats[0].tolist() == drawn.list_seats[1].tolist()
    qhp, baytaq, aq_jol = drawn.list_seats[0, 3:].tolist()
    assert qhp == 1  # held to its one name
    assert aq_jol == baytaq + 1  # equal votes, and the recorded drawing gave Aq Jol the seat they tied for
    assert (drawn.list_seats[:, 3] <= 1).all()
    assert (drawn.list_seats.sum(axis=1) == 21).all()


def test_a_drawn_council_with_more_seats_than_names_is_the_one_declare_gives() -> None:
    """Every list of two names, 21 list seats: each admitted list takes its two, the rest stay vacant, as
    `compose` declares the council; with a recorded drawing in the election (the tie rule: the commission
    decides) such a row is not taken for an open tie and handed to the one allocation, which has no seat
    for the names that are not there."""
    election, stations, accepted = _almaty()
    assert election.system.list_tier is not None
    short = {name: replace(entry, candidates=entry.candidates[:2]) for name, entry in election.lists.items()}
    tier = election.system.list_tier.model_copy(update={"tie": TieRule.DECIDE, "method": "dhondt"})
    decision = LotDecision(TieTier.LIST, ("Baytaq", "Aq Jol"), 1, ("Aq Jol",))
    system = election.system.model_copy(update={"list_tier": tier})
    election = replace(election, lists=short, decisions=(decision,), system=system)
    completions = Completions(
        count_arrays(election, stations, accepted[: len(accepted) // 3]), np.random.default_rng(2)
    )
    list_votes, district = completions.list_draws(12), completions.district_draws(12)
    assert list_votes is not None and district is not None
    drawn = councils(election, list_votes, district, seed=0)
    _assert_each_council_is_declared(election, drawn, list_votes, district)
    assert (drawn.list_seats == np.where(drawn.admitted, 2, 0)).all()
    assert (drawn.list_seats.sum(axis=1) < 21).all()  # vacant list seats in every draw


def test_the_same_seed_gives_the_same_projection_and_another_seed_another() -> None:
    election, stations, accepted = _almaty()
    shown = _smallest_first(stations, 0.2)
    partial = [p for p in accepted if p.station in shown]
    first = project(election, stations, partial, draws=2000, seed=11)
    assert project(election, stations, partial, draws=2000, seed=11) == first
    assert project(election, stations, partial, draws=2000, seed=12) != first


def _width(projection: Projection) -> int:
    return sum(p.seats.high - p.seats.low for p in projection.parties)


def test_uncertainty_shrinks_as_the_count_advances() -> None:
    election, stations, accepted = _almaty()
    widths = []
    for share in (0.1, 0.5, 0.9):
        shown = _smallest_first(stations, share)
        projection = project(election, stations, [p for p in accepted if p.station in shown], draws=3000)
        assert not projection.complete
        widths.append(_width(projection))
    assert widths[0] > widths[1] >= widths[2]
    assert widths[0] >= 6  # at 10% counted the intervals are wide, not falsely certain


def test_nothing_counted_is_refused_with_a_reason() -> None:
    election, stations, _ = _almaty()
    with pytest.raises(NothingCounted, match="nothing to project"):
        project(election, stations, [], draws=10)


@settings(max_examples=60, deadline=None)
@given(
    votes=st.lists(st.lists(st.integers(0, 60), min_size=4, max_size=4), min_size=1, max_size=8),
    percent=st.sampled_from([Fraction(0), Fraction(5), Fraction(25), Fraction(100, 3)]),
    base=st.sampled_from(list(ThresholdBase)),
    minimum=st.integers(0, 3),
)
def test_admitted_rows_match_the_scalar_threshold(
    votes: list[list[int]], percent: Fraction, base: ThresholdBase, minimum: int
) -> None:
    array = np.array(votes, dtype=np.int64)
    against, invalid = array[:, 0] // 2, array[:, 1] // 3
    threshold = Threshold(percent, None, base)
    rows = admitted(array, against, invalid, threshold, minimum)
    for i, row in enumerate(votes):
        report = apply_threshold(
            list("abcd"), row, threshold, against_all=int(against[i]), invalid=int(invalid[i]), min_admitted=minimum
        )
        assert [line.admitted for line in report.lines] == rows[i].tolist()


@settings(max_examples=60, deadline=None)
@given(
    votes=st.lists(st.lists(st.integers(0, 4), min_size=5, max_size=5), min_size=1, max_size=10),
    repeat=st.booleans(),
    lot=st.booleans(),
)
def test_district_winners_match_decide_district_row_by_row(votes: list[list[int]], repeat: bool, lot: bool) -> None:
    district = District(1, (Candidate("A", "P"), Candidate("B", "Q"), Candidate("C")))
    tier = DistrictTier(
        against_all=AgainstAllRule.REPEAT_ELECTION if repeat else AgainstAllRule.LEADING_CANDIDATE,
        tie=TieRule.LOT if lot else TieRule.DECIDE,
        tie_seed=3 if lot else None,
    )
    election = replace(_almaty_shell(), districts=(district,))
    array = np.array(votes, dtype=np.int64)
    winners = district_winners(election, tier, array[:, :3], array[:, 3:4], array[:, 4:5])
    for i, row in enumerate(votes):
        outcome = decide_district(district, Tally(dict(zip("ABC", row[:3], strict=True)), row[3], row[4]), tier)
        expected = VACANT if outcome.winner is None else "ABC".index(outcome.winner.name)
        assert winners[i, 0] == expected


_SHELL: list[object] = []


def _almaty_shell():  # type: ignore[no-untyped-def]
    if not _SHELL:
        _SHELL.append(load_election(ALMATY, count_protocols=False))
    return _SHELL[0]


def test_the_panel_says_projection_escapes_names_and_draws_one_interval_per_party() -> None:
    election, stations, accepted = _almaty()
    shown = _smallest_first(stations, 0.3)
    projection = project(election, stations, [p for p in accepted if p.station in shown], draws=500)
    hostile = replace(projection, parties=(replace(projection.parties[0], party="<script>x</script>"),))
    panel = projection_panel(hostile)
    assert "<h2>Projection (not the count)</h2>" in panel
    assert "<script>" not in panel and "&lt;script&gt;" in panel
    assert panel.count("(90% interval)</title>") == 1
    assert projection_panel(projection).count("(90% interval)</title>") == len(election.parties)


def test_station_history_is_optional_and_checked(tmp_path: Path) -> None:
    assert read_station_history(ALMATY, ["Amanat"]) == (None, [])  # the folder format without it still loads
    write_election(tmp_path / "e", synthesize(4, 3, 30, 3, previous=True))
    history, problems = read_station_history(tmp_path / "e", ["Party 1", "Party 2", "Party 3"])
    assert problems == [] and history is not None and len(history) == 30
    assert history[1000].found >= sum(history[1000].votes.values())
    _, problems = read_station_history(tmp_path / "e", ["Party 1", "Party 2"])
    assert [(p.row, p.field) for p in problems] == [(1, "previous:Party 3")]


def test_station_history_reads_the_same_by_columns_and_row_by_row(tmp_path: Path) -> None:
    """A plain stations.csv is read column by column (fast); a file with one cell that is not plain digits is read
    row by row with every check. Both give the same history; an empty `previous:` row is a new station."""
    write_election(tmp_path / "e", synthesize(4, 3, 30, 3, previous=True))
    parties = ["Party 1", "Party 2", "Party 3"]
    plain, problems = read_station_history(tmp_path / "e", parties)
    assert problems == [] and plain is not None and len(plain) == 30
    path = tmp_path / "e" / "stations.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    first = lines[1].split(",")
    at = header.index("previous:Party 1")
    first[at] = f" {first[at]} "  # a cell with spaces: read by the careful path, the same number
    path.write_text("\n".join([lines[0], ",".join(first), *lines[2:]]) + "\n", encoding="utf-8")
    assert read_station_history(tmp_path / "e", parties) == (plain, [])
    last = lines[-1].split(",")
    number = int(last[header.index("station")])
    for k, name in enumerate(header):
        if name.startswith("previous:"):
            last[k] = ""
    path.write_text("\n".join([*lines[:-1], ",".join(last)]) + "\n", encoding="utf-8")
    history, _ = read_station_history(tmp_path / "e", parties)
    assert history == {n: h for n, h in plain.items() if n != number}


def test_synth_without_the_new_options_writes_what_it_wrote_before(tmp_path: Path) -> None:
    # Sums of the files `saylau synth --seed 7 --districts 6 --stations 80 --parties 5 --errors 4` wrote at
    # commit 57149f0, before --heterogeneity and --previous existed.
    write_election(tmp_path / "e", synthesize(7, 6, 80, 5, errors=4))
    digests = {
        name: hashlib.md5((tmp_path / "e" / name).read_bytes()).hexdigest()
        for name in ("stations.csv", "protocols/all.csv", "results/list.csv")
    }
    assert digests == GOLDEN_SYNTH


def test_backtest_short_form_intervals_cover_and_beat_the_naive_call(tmp_path: Path) -> None:
    covered = parties = right = naive_right = calls = 0
    for k in range(6):
        synth = synthesize(100 + k, 6, 90, 4, list_seats=8, heterogeneity=0.3, previous=True)
        write_election(tmp_path / f"e{k}", synth)
        election = load_election(tmp_path / f"e{k}", count_protocols=False)
        order = [s.number for s in sorted(synth.stations, key=lambda s: (s.registered, s.number))]
        finished = FinishedCount(election, synth.stations, synth.protocols, synth.previous)
        for s in score(finished, order, (0.25, 0.5), draws=600):
            covered, parties = covered + s.covered, parties + s.parties
            right, naive_right, calls = right + s.majority_right, naive_right + s.naive_majority_right, calls + 1
    assert covered / parties >= 0.75
    assert right >= naive_right - 1


GOLDEN_SYNTH = {
    "stations.csv": "25c0408b049714a8f7461fef804b6ae8",
    "protocols/all.csv": "06bf4bd8b264387bf26069c8da9f9dce",
    "results/list.csv": "49929f6311129802b74ddcb902932fb5",
}


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"combination": Combination.COMPENSATORY}, "tiers combined as 'compensatory'"),
        ({"district_tier": DistrictTier(rounds=DistrictRounds.TWO)}, "two-round districts"),
    ],
)
def test_rules_the_vectorised_path_does_not_cover_are_refused(change: dict[str, object], named: str) -> None:
    election, stations, accepted = _almaty()
    other = replace(election, system=election.system.model_copy(update=change))
    with pytest.raises(RuleError, match=named):
        project(other, stations, accepted, draws=10)


@pytest.mark.parametrize(
    "list_rule",
    [{"exhausted": Exhausted.VACANT}, {"open_list": OpenList()}, {"threshold_exempt": ("Auyl",)}],
)
def test_the_projection_refuses_what_the_council_runs_beyond_one_allocation(list_rule: dict[str, object]) -> None:
    """One gate for both (issue 25): whatever `compose` sends beyond one allocation, the projection, which runs
    one allocation per draw, refuses rather than project a council `declare` would not give."""
    election, stations, accepted = _almaty()
    assert election.system.list_tier is not None
    tier = election.system.list_tier.model_copy(update=list_rule)
    other = replace(election, system=election.system.model_copy(update={"list_tier": tier}))
    assert not one_allocation(other)
    with pytest.raises(RuleError, match=r"beyond one allocation|threshold alternatives"):
        project(other, stations, accepted, draws=10)
