"""The Almaty example counted from polling-station protocols gives the same council as from its totals.

Each district is written as two stations whose protocols add up exactly to the district's published (list)
or illustrative (district) totals; the list ballot's city totals are split across the stations.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from saylau.io import load_election
from saylau.result import declare
from tests.conftest import EXAMPLES


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _split(total: int, parts: int, index: int) -> int:
    """The index-th of `parts` near-equal whole shares of `total` (the last takes the rest)."""
    share = total // parts
    return total - share * (parts - 1) if index == parts - 1 else share


def write_protocols(folder: Path) -> None:
    """Two stations per district; every figure a split of the folder's totals, so the sums are exact.

    Each protocol's "found in boxes" is the sum of its own lines; since every line sums to its total,
    so do the found ballots (the totals' took part = votes + against all + invalid).
    """
    ballots = {(r["ballot"], r["district"]): r for r in _rows(folder / "results/ballots.csv")}
    list_votes = {r["party"]: int(r["votes"]) for r in _rows(folder / "results/list.csv")}
    district_votes: dict[str, dict[str, int]] = {}
    for r in _rows(folder / "results/districts.csv"):
        district_votes.setdefault(r["district"], {})[r["candidate"]] = int(r["votes"])
    districts = sorted(district_votes, key=int)
    stations = [(d, k) for d in districts for k in range(2)]
    candidates = sorted({c for votes in district_votes.values() for c in votes})
    header = ["station", "district", "ballot", "registered", "received", "issued", "issued_absentee"]
    header += ["issued_outside", "cancelled", "found", "invalid", "against_all"]
    header += [f"vote:{p}" for p in list_votes] + [f"vote:{c}" for c in candidates]
    city = ballots[("list", "")]
    rows, register = [], []
    for index, (district, k) in enumerate(stations):
        number = 100 * int(district) + k
        own = ballots[("district", district)]
        registered = _split(int(own["registered"]), 2, k)
        register.append([number, district, registered])
        list_figures = {f: _split(int(city[f]), len(stations), index) for f in ("against_all", "invalid")}
        list_party = {p: _split(v, len(stations), index) for p, v in list_votes.items()}
        district_figures = {f: _split(int(own[f]), 2, k) for f in ("against_all", "invalid")}
        district_cand = {c: _split(v, 2, k) for c, v in district_votes[district].items()}
        for ballot, figures, votes in (
            ("list", list_figures, list_party),
            ("district", district_figures, district_cand),
        ):
            found = sum(votes.values()) + figures["against_all"] + figures["invalid"]  # the protocol's control sum
            received = registered * 101 // 100
            row = [number, district, ballot, registered, received, found, 0, 0]
            row += [received - found, found, figures["invalid"], figures["against_all"]]
            row += [votes.get(p, "") if ballot == "list" else "" for p in list_votes]
            row += [votes.get(c, "") if ballot == "district" else "" for c in candidates]
            rows.append(row)
    shutil.rmtree(folder / "protocols", ignore_errors=True)  # replace the example's own protocols
    (folder / "protocols").mkdir()
    with (folder / "protocols/all.csv").open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([header, *rows])
    with (folder / "stations.csv").open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["station", "district", "registered"], *register])


def test_the_examples_own_protocols_give_the_council_of_its_totals() -> None:
    """examples/almaty-2023/protocols (illustrative, 553 stations) sum exactly to results/ (published list)."""
    folder = EXAMPLES / "almaty-2023"
    counted = load_election(folder)
    totals = load_election(folder, count_protocols=False)
    assert counted.results.list_tally == totals.results.list_tally
    assert counted.results.district_tallies == totals.results.district_tallies
    assert declare(counted).composition == declare(totals).composition


def test_protocols_give_the_same_council_as_the_totals(almaty_copy: Path) -> None:
    from_totals = declare(load_election(almaty_copy, count_protocols=False)).composition
    write_protocols(almaty_copy)
    election = load_election(almaty_copy)
    city = election.results.list_tally
    assert city is not None and city.votes["Amanat"] == 151531 and city.against_all == 16490
    from_protocols = declare(election).composition
    assert from_protocols.parties == from_totals.parties
    assert [d.winner for d in from_protocols.districts] == [d.winner for d in from_totals.districts]


def test_a_bad_protocol_is_left_out_and_the_rest_count(almaty_copy: Path) -> None:
    write_protocols(almaty_copy)
    path = almaty_copy / "protocols/all.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")  # station 100, list ballot
    cells[9] = str(int(cells[9]) + 1)  # found in boxes no longer adds up
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    city = load_election(almaty_copy).results.list_tally
    assert city is not None
    assert city.votes["Amanat"] == 151531 - 151531 // 42
