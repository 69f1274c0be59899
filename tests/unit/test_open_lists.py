"""Open lists with preference votes, from a folder of its own (tests/unit/folders/open-list), worked by hand.

10 seats by D'Hondt on A 6000, B 4000: A 6, B 4. The electoral quota is 10000 / 10 = 1000. Every vote is a
preference vote for a candidate (A: 2980 + 100 + 50 + 40 + 30 + 15 + 35 + 2750 = 6000; B: 3000 + 400 + 200 +
140 + 260 = 4000).
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from saylau.errors import InputError
from saylau.io import load_election
from saylau.reports.tiers import sentences
from saylau.result import declare
from tests.integration.test_almaty_2023 import run_saylau

FOLDER = Path(__file__).resolve().parent / "folders" / "open-list"


def _copy(tmp_path: Path, toml: str = "") -> Path:
    folder = Path(shutil.copytree(FOLDER, tmp_path / "open-list"))
    if toml:
        path = folder / "election.toml"
        path.write_text(path.read_text().replace('preset = "netherlands-tweede-kamer"', toml))
    return folder


def _elected(folder: Path) -> list[str]:
    return [d.name or "" for d in declare(load_election(folder)).composition.deputies]


def test_the_dutch_rule_elects_those_over_a_quarter_of_the_quota_then_list_order() -> None:
    """Threshold 1000 / 4 = 250: A's a1 (2980) and a8 (2750), then a2..a5 in list order; B's b1 (3000), b2 (400)
    and b5 (260), then b3. a7 (35 votes) is passed over for a5 (30): below the threshold, list order rules."""
    composition = declare(load_election(FOLDER)).composition
    assert [(d.name, d.list_position, d.preference_votes) for d in composition.deputies] == [
        ("a1", 1, 2980),
        ("a8", 8, 2750),
        ("a2", 2, 100),
        ("a3", 3, 50),
        ("a4", 4, 40),
        ("a5", 5, 30),
        ("b1", 1, 3000),
        ("b2", 2, 400),
        ("b5", 5, 260),
        ("b3", 3, 200),
    ]
    assert "a8 (A) elected by 2,750 preference votes, the threshold 250" in sentences(composition)


def test_the_polish_rule_elects_the_most_preference_votes(tmp_path: Path) -> None:
    """No threshold, every seat by votes: A's six are a1, a8, a2, a3, a4 and a7 (35 beats a5's 30)."""
    folder = _copy(tmp_path, 'preset = "poland-sejm"')
    assert _elected(folder) == ["a1", "a8", "a2", "a3", "a4", "a7", "b1", "b2", "b5", "b3"]


def test_a_threshold_as_a_share_of_the_lists_votes(tmp_path: Path) -> None:
    """5% of the list's votes: A needs 300 (a1, a8), B needs 200 (b1, b2, b5 and b3 exactly at it)."""
    folder = _copy(tmp_path)
    path = folder / "election.toml"
    path.write_text(path.read_text() + 'open_list = { base = "list", share = "1/20" }\n')
    assert _elected(folder) == ["a1", "a8", "a2", "a3", "a4", "a5", "b1", "b2", "b5", "b3"]
    composition = declare(load_election(folder)).composition
    assert "b3 (B) elected by 200 preference votes, the threshold 200" in sentences(composition)


def test_an_absolute_threshold(tmp_path: Path) -> None:
    """At least 2800 votes: only a1 and b1; the rest in list order."""
    folder = _copy(tmp_path)
    path = folder / "election.toml"
    path.write_text(path.read_text() + 'open_list = { base = "votes", votes = 2800 }\n')
    assert _elected(folder) == ["a1", "a2", "a3", "a4", "a5", "a6", "b1", "b2", "b3", "b4"]


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [("A,a7,35", "A,b1,35", "candidate"), ("B,b4,140", "B,b3,140", "candidate"), ("B,b5,260", "B,b5,many", "votes")],
)
def test_a_broken_preference_row_is_refused_with_its_row_and_field(
    tmp_path: Path, old: str, new: str, field: str
) -> None:
    folder = _copy(tmp_path)
    path = folder / "results" / "preferences.csv"
    path.write_text(path.read_text().replace(old, new))
    with pytest.raises(InputError) as raised:
        load_election(folder)
    [problem] = raised.value.problems
    assert (problem.path, problem.field) == ("results/preferences.csv", field) and problem.row
    done = run_saylau("results", str(folder))
    assert done.returncode == 2 and f"results/preferences.csv:{problem.row} [{field}]" in done.stderr


# tests/unit/folders/open-list-tie: 4 seats by D'Hondt on A 700, B 300 (700, 350, 300 B, 233): A 3, B 1. A's
# preference votes over three polling stations: a1 100+100+100 = 300, a4 50+50+40 = 140, a2 60+40+30 = 130,
# a3 40+45+45 = 130. a1 and a4 take two seats; a2 and a3 tie at 130 for the third. a2 had more votes than a3
# at station 1, a3 more than a2 at stations 2 and 3. B: b1 200 takes B's seat.
TIE = Path(__file__).resolve().parent / "folders" / "open-list-tie"


def _tie_copy(tmp_path: Path, tie: str, more: str = "") -> Path:
    folder = Path(shutil.copytree(TIE, tmp_path / "open-list-tie"))
    path = folder / "election.toml"
    path.write_text(path.read_text() + f'[system.overrides.list_tier.open_list]\ntie = "{tie}"\n{more}')
    return folder


def test_the_polish_tie_rule_elects_who_had_more_votes_in_more_polling_stations() -> None:
    """Electoral Code art. 232 s.2: a3 had more votes than a2 at 2 stations, a2 than a3 at 1: a3 is elected,
    although a2 stands higher on the list."""
    result = declare(load_election(TIE))
    assert [d.name for d in result.composition.deputies] == ["a1", "a4", "a3", "b1"]
    [tie] = [s.tie for s in result.composition.steps if s.tie is not None]
    assert (tie.tied, tie.seats, tie.votes, tie.stations, tie.winners) == (("a2", "a3"), 1, 130, (1, 2), ("a3",))
    assert not result.lots_required
    assert "A: a2, a3 tied at 130 preference votes for 1 seat; more polling stations" in "\n".join(
        sentences(result.composition)
    )


def test_equal_polling_stations_go_to_a_drawing_of_lots(tmp_path: Path) -> None:
    """a2 60, 35, 35 and a3 40, 55, 35 (130 each): a2 more at station 1, a3 at station 2, equal at station 3,
    one station each, so the commission draws lots; until its drawing is recorded the seat is A's unnamed."""
    folder = Path(shutil.copytree(TIE, tmp_path / "open-list-tie"))
    prefs = folder / "results" / "preferences.csv"
    text = prefs.read_text()
    for old, new in [("2,A,a2,40", "2,A,a2,35"), ("3,A,a2,30", "3,A,a2,35"), ("2,A,a3,45", "2,A,a3,55")]:
        text = text.replace(old, new)
    prefs.write_text(text.replace("3,A,a3,45", "3,A,a3,35"))
    result = declare(load_election(folder))
    assert [(t.tier.value, t.tied, t.seats) for t in result.lots_required] == [("candidate", ("a2", "a3"), 1)]
    assert [d.name for d in result.composition.deputies] == ["a1", "a4", None, "b1"]
    (folder / "decisions.csv").write_text("tier,constituency,district,tied,seats,winners\ncandidate,,,a2;a3,1,a2\n")
    result = declare(load_election(folder))
    assert not result.lots_required
    assert [d.name for d in result.composition.deputies] == ["a1", "a4", "a2", "b1"]


def test_the_dutch_tie_rule_is_a_drawing_of_lots(tmp_path: Path) -> None:
    """Kieswet P 15(2): equal preference votes, the lot decides. Without a recorded drawing the seat waits;
    the commission's drawing (a3) gives it; a drawing for names that are not tied is refused."""
    folder = _tie_copy(tmp_path, "lot")
    result = declare(load_election(folder))
    assert [(t.tier.value, t.tied, t.seats, t.decision) for t in result.lots_required] == [
        ("candidate", ("a2", "a3"), 1, None)
    ]
    (folder / "decisions.csv").write_text("tier,constituency,district,tied,seats,winners\ncandidate,,,a2;a3,1,a3\n")
    result = declare(load_election(folder))
    assert [d.name for d in result.composition.deputies] == ["a1", "a4", "a3", "b1"]
    assert [(t.tied, t.winners) for t in result.ties] == [(("a2", "a3"), ("a3",))]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_a_seeded_lot_settles_the_tie_and_is_replayed(tmp_path: Path, seed: int) -> None:
    """tie_seed: one of a2 and a3 takes the seat, the same one every time the seed is given."""
    folder = _tie_copy(tmp_path, "lot", f"tie_seed = {seed}\n")
    first = [d.name for d in declare(load_election(folder)).composition.deputies]
    assert first[:2] == ["a1", "a4"] and first[2] in {"a2", "a3"} and first[3] == "b1"
    assert [d.name for d in declare(load_election(folder)).composition.deputies] == first


def test_list_order_breaks_the_tie_where_the_law_says_so(tmp_path: Path) -> None:
    """The 1993 Sejm law (art. 111(2)): the earlier place on the list, a2."""
    assert _elected(_tie_copy(tmp_path, "list-order")) == ["a1", "a4", "a2", "b1"]


@pytest.mark.parametrize(
    ("old", "new", "row", "field"),
    [
        ("1,A,a2,60", "x,A,a2,60", 3, "station"),
        ("1,A,a2,60", "1,A,a2,60\n1,A,a2,5", 4, "candidate"),
    ],
)
def test_a_broken_station_preference_row_is_refused_with_its_row_and_field(
    tmp_path: Path, old: str, new: str, row: int, field: str
) -> None:
    folder = Path(shutil.copytree(TIE, tmp_path / "open-list-tie"))
    prefs = folder / "results" / "preferences.csv"
    prefs.write_text(prefs.read_text().replace(old, new))
    with pytest.raises(InputError) as raised:
        load_election(folder)
    assert [(p.path, p.row, p.field) for p in raised.value.problems] == [("results/preferences.csv", row, field)]


# tests/unit/folders/open-list-protocols: the same election as open-list-tie, its preference votes written in
# the three polling stations' list protocols (`pref:<party>:<candidate>` columns) instead of preferences.csv.
PROTOCOLS = Path(__file__).resolve().parent / "folders" / "open-list-protocols"


def test_preference_votes_in_the_station_protocols_are_summed_for_the_open_list_rule() -> None:
    """Station sums: a1 300, a4 140, a2 130, a3 130, b1 200, b2 100, as preferences.csv gives them; a3 had
    more votes than a2 at 2 of the 3 stations, so a3 takes A's third seat."""
    election = load_election(PROTOCOLS)
    assert election.preferences == {
        "": {"A": {"a1": 300, "a2": 130, "a3": 130, "a4": 140}, "B": {"b1": 200, "b2": 100}}
    }
    assert election.preference_stations[""]["A"][2] == {"a1": 100, "a2": 40, "a3": 45, "a4": 50}
    assert [d.name for d in declare(election).composition.deputies] == ["a1", "a4", "a3", "b1"]


def test_a_protocol_left_out_of_the_count_leaves_its_preference_votes_out(tmp_path: Path) -> None:
    """Station 3's list protocol breaks found = votes + invalid + against all (315 found, 316 counted): it
    is left out, with its preference votes: a1 200, a2 100, a4 100, a3 85; A 485, B 200 (3 and 1 seats:
    485, 242.5, 200 B, 161.7)."""
    folder = Path(shutil.copytree(PROTOCOLS, tmp_path / "p"))
    path = folder / "protocols" / "stations.csv"
    path.write_text(
        path.read_text().replace(
            "3,1,list,700,707,315,0,0,392,315,0,0,215,100", "3,1,list,700,707,315,0,0,392,315,0,0,216,100"
        )
    )
    election = load_election(folder)
    assert election.preferences[""]["A"] == {"a1": 200, "a2": 100, "a3": 85, "a4": 100}
    assert [d.name for d in declare(election).composition.deputies] == ["a1", "a2", "a4", "b1"]


@pytest.mark.parametrize(
    ("old", "new", "row", "field"),
    [
        ("pref:A:a4,", "pref:A:a9,", 2, "pref:A:a9"),
        ("pref:A:a4,", "pref:Z:a4,", 2, "pref:Z:a4"),
        ("100,60,40,50,80,20", "100,60,forty,50,80,20", 2, "pref:A:a3"),
        ("100,40,45,50,70,30", "100,40,46,50,70,30", 3, "vote:A"),
    ],
)
def test_a_broken_preference_cell_in_a_protocol_is_refused_with_its_file_row_and_column(
    tmp_path: Path, old: str, new: str, row: int, field: str
) -> None:
    """An unknown candidate or party, a cell that is no whole number, and a party whose candidates' preference
    votes (100 + 40 + 46 + 50 = 236) exceed its votes (235): each names the protocol file, row and column."""
    folder = Path(shutil.copytree(PROTOCOLS, tmp_path / "p"))
    path = folder / "protocols" / "stations.csv"
    path.write_text(path.read_text().replace(old, new, 1))
    with pytest.raises(InputError) as raised:
        load_election(folder)
    assert [(p.path, p.row, p.field) for p in raised.value.problems][:1] == [("protocols/stations.csv", row, field)]
    done = run_saylau("results", str(folder))
    assert done.returncode == 2 and "protocols/stations.csv:" in done.stderr


def test_preference_votes_in_json_protocols(tmp_path: Path) -> None:
    """The same protocols as JSON objects with `preferences`: the same sums and the same deputies."""
    folder = Path(shutil.copytree(PROTOCOLS, tmp_path / "p"))
    rows = list(csv.DictReader((folder / "protocols" / "stations.csv").read_text().splitlines()))
    (folder / "protocols" / "stations.csv").unlink()
    items = []
    for r in rows:
        item: dict[str, object] = {k: int(v) if v.isdigit() else v for k, v in r.items() if ":" not in k}
        item["votes"] = {"A": int(r["vote:A"]), "B": int(r["vote:B"])}
        item["preferences"] = {
            p: {k.split(":")[2]: int(v) for k, v in r.items() if k.startswith(f"pref:{p}:")} for p in ("A", "B")
        }
        items.append(item)
    (folder / "protocols" / "stations.json").write_text(json.dumps(items))
    election = load_election(folder)
    assert election.preferences[""]["A"] == {"a1": 300, "a2": 130, "a3": 130, "a4": 140}
    assert [d.name for d in declare(election).composition.deputies] == ["a1", "a4", "a3", "b1"]


def test_without_votes_per_station_the_polish_tie_goes_to_the_commission(tmp_path: Path) -> None:
    """preferences.csv with totals only (a2 130, a3 130): art. 232 s.2 cannot be applied from the folder, so the
    seat waits for the commission, which has the protocols (its outcome is recorded like a drawing)."""
    folder = Path(shutil.copytree(TIE, tmp_path / "open-list-tie"))
    totals = {"a1": 300, "a2": 130, "a3": 130, "a4": 140, "b1": 200, "b2": 100}
    rows = "".join(f"{n[0].upper()},{n},{v}\n" for n, v in totals.items())
    (folder / "results" / "preferences.csv").write_text("party,candidate,votes\n" + rows)
    result = declare(load_election(folder))
    assert [(t.tied, t.seats) for t in result.lots_required] == [(("a2", "a3"), 1)]
    [tie] = [s.tie for s in result.composition.steps if s.tie is not None]
    assert tie.stations == ()
