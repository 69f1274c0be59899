"""The Almaty 2023 example end to end, through the command a user runs.

Every expected figure comes from the seed (shared/seed/000_6f5d0e82cda8ae51.txt) or from
shared/spec/almaty-data.md, never from saylau's own output.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import EXAMPLES

SEED_LIST_SEATS = {"Amanat": 12, "QHP": 3, "Respublica": 3, "Baytaq": 2, "Aq Jol": 1, "Auyl": 0}
SEED_SEATS = {"Amanat": 25, "Respublica": 5, "QHP": 3, "Baytaq": 3, "Aq Jol": 2, "Auyl": 0}
SEED_PERCENT = {
    "Amanat": 51.94,
    "QHP": 13.22,
    "Respublica": 13.15,
    "Baytaq": 7.97,
    "Aq Jol": 5.23,
    "Auyl": 2.83,
}
SEED_SEAT_CHANGE = {"Amanat": -4, "QHP": 0, "Aq Jol": -2, "Auyl": -3, "Respublica": None, "Baytaq": None}
SEED_SWING = {
    "Amanat": -16.17,
    "QHP": 5.91,
    "Aq Jol": -4.88,
    "Auyl": -4.85,
    "Respublica": None,
    "Baytaq": None,
}


def run_saylau(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "saylau", *args], capture_output=True, text=True, check=False, timeout=120
    )


@pytest.fixture(scope="module")
def almaty() -> dict:
    done = run_saylau("results", str(EXAMPLES / "almaty-2023"), "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def parties(result: dict) -> dict[str, dict]:
    return {p["name"]: p for p in result["parties"]}


def test_list_seats_match_the_seed(almaty: dict) -> None:
    assert {n: p["list_seats"] for n, p in parties(almaty).items()} == SEED_LIST_SEATS


def test_council_matches_the_seed(almaty: dict) -> None:
    assert {n: p["seats"] for n, p in parties(almaty).items()} == SEED_SEATS
    assert almaty["independents"] == 4
    assert almaty["seats_total"] == 42
    assert sum(SEED_SEATS.values()) + almaty["independents"] == 42


def test_majority_is_22_held_by_amanat(almaty: dict) -> None:
    assert almaty["majority"] == 22
    assert almaty["majority_holder"] == "Amanat"


def test_list_percentages_and_turnout(almaty: dict) -> None:
    assert {n: p["list_percent"] for n, p in parties(almaty).items()} == SEED_PERCENT
    assert almaty["turnout_percent"] == 25.15
    assert almaty["turnout_change_pp"] == -5.00


def test_comparison_with_2021(almaty: dict) -> None:
    lines = parties(almaty)
    assert {n: p["seat_change"] for n, p in lines.items()} == SEED_SEAT_CHANGE
    assert {n: p["swing_pp"] for n, p in lines.items()} == SEED_SWING


def test_districts_name_their_winners(almaty: dict) -> None:
    districts = {d["number"]: d for d in almaty["districts"]}
    assert sorted(districts) == list(range(1, 22))
    # spec/almaty-data.md: winners found for districts 1 and 11
    assert districts[1]["winner"] == "Аким Турсунов"
    assert districts[11]["winner"] == "Кайрат Бегалин"
    independents = [d for d in districts.values() if d["winner"] and d["party"] is None]
    assert len(independents) == almaty["independents"]


def test_deputies_fill_every_seat(almaty: dict) -> None:
    assert len(almaty["deputies"]) == 42
    amanat_list = [d for d in almaty["deputies"] if d["party"] == "Amanat" and d["kind"] == "list"]
    assert [d["list_position"] for d in amanat_list] == list(range(1, 13))
    assert amanat_list[0]["name"] == "Zhansaya Abdumalik"  # seed: No. 1 on the Amanat list


def test_tables_show_the_council() -> None:
    done = run_saylau("results", str(EXAMPLES / "almaty-2023"))
    assert done.returncode == 0, done.stderr
    for text in ("Amanat", "51.94%", "Majority", "25.15%", "Zhansaya Abdumalik", "Hare"):
        assert text in done.stdout


def test_previous_election_alone_reproduces_its_published_seats() -> None:
    """2021: 39 seats, 7%: Nur Otan 29, Aq Jol 4, Auyl 3, QHP 3, ADAL 0 (spec/almaty-data.md)."""
    done = run_saylau("results", str(EXAMPLES / "almaty-2021"), "--json")
    assert done.returncode == 0, done.stderr
    seats = {n: p["seats"] for n, p in parties(json.loads(done.stdout)).items()}
    assert seats == {"Nur Otan": 29, "Aq Jol": 4, "Auyl": 3, "QHP": 3, "ADAL": 0}


def test_the_largest_partys_majority_against_2021(almaty: dict) -> None:
    """Seed: Nur Otan (now Amanat) held 29 of 39 in 2021 (majority 20); Amanat holds 25 of 42 (majority 22)."""
    assert almaty["majority_change"] == {
        "party_before": "Amanat",
        "seats_before": 29,
        "majority_before": True,
        "party_now": "Amanat",
        "seats_now": 25,
        "majority_now": True,
    }
