"""`{{Infobox election}}` and `{{Election results}}` an editor can paste in place of the seed's infobox
(issue 24): every parameter checked against each template's documented list, every seed figure carried.

The wikitext is read back with mwparserfromhell (the MediaWiki parser Wikipedia's bots use), not with
saylau's own code. The seed's figures below are copied from shared/seed/000_6f5d0e82cda8ae51.txt (its
"Infobox" block), not from saylau's output.
"""

from __future__ import annotations

import html
import shutil
import subprocess
import sys
from pathlib import Path

import mwparserfromhell
import pytest
from mwparserfromhell.nodes import Template

from saylau.io import load_election
from saylau.reports.wikitext import render_wikitext
from saylau.result import Result, declare
from tests.conftest import EXAMPLES
from tests.golden.test_wikitext import HOSTILE, _hostile

# Template:Infobox election/doc, "Usage" (English Wikipedia; read through its copies at
# or.wikipedia.org/wiki/ଛାଞ୍ଚ:Infobox_election/doc and micras.org's import of the doc, December 2026):
# the election's parameters, then per candidate or party N ("person 1" ... ).
INFOBOX_ELECTION = {
    "election_name", "country", "flag_year", "flag_image", "type", "vote_type", "ongoing", "party_colour",
    "party_name", "alliance_name", "previous_election", "previous_year", "outgoing_members", "election_date",
    "elected_members", "next_election", "next_year", "votes_for_election", "needed_votes", "seats_for_election",
    "majority_seats", "opinion_polls", "registered", "turnout", "votes_counted", "reporting", "declared",
    "last_update", "time_zone", "image_upright", "map_image", "map_size", "map_upright", "map_alt", "map_caption",
    "title", "before_election", "before_party", "after_election", "after_party",
} | {
    name.format(n)
    for n in range(1, 10)
    for name in ("image{}", "image{}_upright", "colour{}", "nominee{}", "candidate{}", "leader{}", "party{}",
                 "alliance{}", "home_state{}", "running_mate{}", "electoral_vote{}", "delegate_count{}",
                 "states_carried{}", "districts_won{}", "leader_since{}", "leaders_seat{}", "last_election{}",
                 "seats_before{}", "seats_needed{}", "seats{}", "seats_after{}", "seat_change{}", "popular_vote{}",
                 "percentage{}", "swing{}")
}  # fmt: skip

# Template:Election results/doc, "How to use this template" (English Wikipedia; read through its copies at
# ny.wikipedia.org/wiki/Template:Election_results/doc and iiwiki.us/wiki/Template:Election_results/doc,
# December 2026): the table's parameters, then per row N.
ELECTION_RESULTS = {
    "caption", "image", "reporting", "dsv", "candtitle", "partytitle", "firstround", "secondround", "total_sc",
    "valid", "validsw", "invalid", "invalidsw", "blank", "electorate", "source",
    *(f"seattype{k}" for k in range(1, 6)),
} | {
    name.format(n)
    for n in range(1, 30)
    for name in ("party{}", "color{}", "alliance{}", "acolor{}", "aspan{}", "cand{}", "vp{}", "votes{}",
                 "votes{}_2", "sw{}", "seats{}", "sc{}", "row{}", *(f"st{{}}t{k}" for k in range(1, 6)))
}  # fmt: skip

# The seed's infobox: per party (in its order) the party article, leader, leader since, last election, seats,
# seat change (the seed drops the sign: Amanat 29 -> 25 is a decrease), popular vote, percentage and swing.
SEED_PARTIES = [
    ("Amanat (political party)", "Meyirjan Otynşiev", "26 January 2023", "29 seats, 68.11%", "25",
     "{{decrease}} 4", "151,531", "51.94% (PR)", "{{decrease}} 16.17pp"),
    ("People's Party of Kazakhstan", "Nursultan Şoqanov", "20 December 2022", "3 seats, 7.31%", "3",
     "{{steady}} 0", "38,563", "13.22% (PR)", "{{increase}} 5.91pp"),
    ("Respublica (Kazakh political party)", "Raiymbek Suñğat", "27 January 2023", "New", "5", "New", "38,369",
     "13.15% (PR)", "New"),
    ("Baytaq", "Beibit Äpsenbetov", "January 2023", "New", "3", "New", "23,266", "7.97% (PR)", "New"),
    ("Aq Jol", "Oljas Nuraldinov", "30 August 2021", "4 seats, 10.11%", "2", "{{decrease}} 2", "15,273",
     "5.23% (PR)", "{{decrease}} 4.88pp"),
    ("Auyl", "Aibyn Törehanov", "18 December 2022", "3 seats, 7.68%", "0", "{{decrease}} 3", "8,264",
     "2.83% (PR)", "{{decrease}} 4.85pp"),
]  # fmt: skip
SEED_ELECTION = {
    "election_name": "2023 Almaty City Mäslihat election",
    "country": "Almaty",
    "type": "parliamentary",
    "ongoing": "no",
    "previous_election": "[[2021 Almaty City Mäslihat election]]",
    "previous_year": "2021",
    "next_year": "2028",
    "seats_for_election": "All 42 seats in the [[Almaty City Mäslihat]]",
    "majority_seats": "22",
    "turnout": "25.15% ({{decrease}} 5.00pp)",
    "election_date": "{{Start date|2023|03|19|df=y}}",
    "title": "Secretary",
    "before_election": "Stanislav Kankurov",
    "before_party": "[[Amanat (political party)|Amanat]]",
    "after_election": "Meyirjan Otynşiev",
    "after_party": "[[Amanat (political party)|Amanat]]",
}
OUR_TEMPLATES = {"Infobox election", "Election results", "Start date", "increase", "decrease", "steady"}


@pytest.fixture(scope="module")
def almaty() -> Result:
    return declare(load_election(EXAMPLES / "almaty-2023"))


def _templates(text: str) -> dict[str, Template]:
    return {str(t.name).strip(): t for t in mwparserfromhell.parse(text).filter_templates(recursive=False)}


def _params(template: Template) -> dict[str, str]:
    return {str(p.name).strip(): str(p.value).strip() for p in template.params}


def test_only_documented_parameters(almaty: Result) -> None:
    found = _templates(render_wikitext(almaty, next_year=2028, images={"Amanat": "Amanat.svg"}))
    assert set(found) == {"Infobox election", "Election results"}
    infobox, results = _params(found["Infobox election"]), _params(found["Election results"])
    assert set(infobox) <= INFOBOX_ELECTION, set(infobox) - INFOBOX_ELECTION
    assert set(results) <= ELECTION_RESULTS, set(results) - ELECTION_RESULTS


def test_the_infobox_carries_every_seed_figure(almaty: Result) -> None:
    infobox = _params(_templates(render_wikitext(almaty, next_year=2028))["Infobox election"])
    for key, value in SEED_ELECTION.items():
        assert infobox[key] == value, key
    for i, (article, leader, since, last, seats, change, votes, pct, swing) in enumerate(SEED_PARTIES, start=1):
        party = mwparserfromhell.parse(infobox[f"party{i}"]).filter_wikilinks()[0]
        assert str(party.title) == article
        got = [infobox.get(f"{k}{i}") for k in ("leader", "leader_since", "last_election", "seats", "seat_change")]
        assert got == [leader, since, last, seats, change], i
        assert [infobox[f"popular_vote{i}"], infobox[f"percentage{i}"], infobox[f"swing{i}"]] == [votes, pct, swing]
    assert "party7" not in infobox  # the seed lists six parties; independents are in the results table


def test_every_party_that_held_seats_before_appears(almaty: Result) -> None:
    """Auyl held 3 seats and won none: the seed shows it, so must the infobox."""
    infobox = _params(_templates(render_wikitext(almaty))["Infobox election"])
    assert infobox["seats6"] == "0" and infobox["last_election6"] == "3 seats, 7.68%"


def test_images_come_from_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "almaty-2023"
    shutil.copytree(EXAMPLES / "almaty-2023", folder)
    shutil.copytree(EXAMPLES / "almaty-2021", tmp_path / "almaty-2021")
    (folder / "images").mkdir()
    (folder / "images" / "Amanat.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    (folder / "images" / "Auyl.png").write_bytes(b"\x89PNG")
    done = subprocess.run(
        [sys.executable, "-m", "saylau", "report", str(folder), "--format", "wikitext", "--next-year", "2028"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    infobox = _params(_templates(done.stdout)["Infobox election"])
    assert (infobox["image1"], infobox["image6"], infobox["next_year"]) == ("Amanat.svg", "Auyl.png", "2028")
    assert "image2" not in infobox
    legacy = subprocess.run(
        [sys.executable, "-m", "saylau", "report", str(folder), "--format", "wikitext", "--template", "legislative"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert legacy.returncode == 0 and "{{Infobox legislative election" in legacy.stdout


def test_the_results_table_adds_up_to_the_count(almaty: Result) -> None:
    """The template sums the rows: list votes and "against all" make the 291,756 valid votes the
    percentages are taken of; with the invalid ballots, the 302,270 who took part; seats add up to 42."""
    results = _params(_templates(render_wikitext(almaty))["Election results"])
    rows = sorted({int(k[5:]) for k in results if k.startswith("votes") and k[5:].isdigit()})
    votes = sum(int(results[f"votes{n}"]) for n in rows)
    assert votes == 291_756
    assert votes + int(results["invalid"]) == 302_270
    assert results["electorate"] == "1201869"
    seats = [int(v) for k, v in results.items() if k.startswith("seats") and k[5:].isdigit()]
    assert sum(seats) == 42
    against = next(n for n in rows if results.get(f"row{n}") == "Against all")
    assert results[f"votes{against}"] == "16490"
    assert (results["seattype1"], results["st1t1"], results["st1t2"], results["seats1"]) == (
        "Party list",
        "12",
        "13",
        "25",
    )


def test_hostile_names_stay_data(almaty: Result) -> None:
    text = render_wikitext(_hostile(almaty))
    parsed = mwparserfromhell.parse(text)
    assert {str(t.name).strip() for t in parsed.filter_templates()} <= OUR_TEMPLATES
    assert not parsed.filter_tags(matches=lambda t: str(t.tag).lower() == "script")
    assert not [w for w in parsed.filter_wikilinks() if "Evil" in str(w.title)]
    infobox = _params(_templates(text)["Infobox election"])
    assert html.unescape(infobox["election_name"]) == " ".join(HOSTILE.split())
    assert "__NOTOC__" not in text and "~~~~" not in text and "\n*" not in text
