"""Each kind of bad election folder gets one clear message naming file, row and field, and exit status 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from saylau.errors import InputError
from saylau.io import load_election
from tests.integration.test_almaty_2023 import run_saylau


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(folder: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_election(folder)
    return [str(p) for p in caught.value.problems]


def test_the_untouched_copy_loads(almaty_copy: Path) -> None:
    assert load_election(almaty_copy).body.seats == 42


def test_unknown_party(almaty_copy: Path) -> None:
    replace(almaty_copy / "results/list.csv", "QHP,38563", "QXP,38563")
    found = problems(almaty_copy)
    assert "results/list.csv:3 [party]: unknown party 'QXP' (not in parties.csv)" in found
    assert any("no list votes for registered party 'QHP'" in p for p in found)


def test_duplicate_list_position(almaty_copy: Path) -> None:
    replace(almaty_copy / "lists.csv", "Amanat,3,", "Amanat,2,")
    assert any(
        p.startswith("lists.csv:4 [position]: duplicate list position 2 for Amanat") for p in problems(almaty_copy)
    )


def test_negative_votes(almaty_copy: Path) -> None:
    replace(almaty_copy / "results/list.csv", "Auyl,8264", "Auyl,-8264")
    assert "results/list.csv:7 [votes]: -8264 is below 0" in problems(almaty_copy)


def test_totals_that_do_not_add_up(almaty_copy: Path) -> None:
    replace(almaty_copy / "results/ballots.csv", "302270,16490,10514", "302270,16490,10513")
    found = problems(almaty_copy)
    assert len(found) == 1
    assert found[0].startswith("results/ballots.csv:2 [took_part]: totals do not add up for the list ballot")


def test_missing_file(almaty_copy: Path) -> None:
    (almaty_copy / "parties.csv").unlink()
    assert "parties.csv: file is missing" in problems(almaty_copy)


def test_district_candidate_of_unknown_party(almaty_copy: Path) -> None:
    replace(almaty_copy / "candidates.csv", "1,Аким Турсунов,Amanat", "1,Аким Турсунов,Amanet")
    assert "candidates.csv:2 [party]: unknown party 'Amanet' (not in parties.csv)" in problems(almaty_copy)


def test_seats_that_do_not_match_the_tiers(almaty_copy: Path) -> None:
    replace(almaty_copy / "election.toml", "seats = 42", "seats = 43")
    assert any("body.seats" in p and "21 list seats + 21 districts = 42" in p for p in problems(almaty_copy))


def test_bad_rule_override_names_its_path(almaty_copy: Path) -> None:
    replace(almaty_copy / "election.toml", "seats = 21", 'seats = 21\nmethod = "hear"')
    assert any("[system.list_tier.method]" in p for p in problems(almaty_copy))


def test_many_problems_are_reported_together(almaty_copy: Path) -> None:
    replace(almaty_copy / "results/list.csv", "Auyl,8264", "Auyl,lots")
    (almaty_copy / "districts.csv").write_text("number,name\n1,A\n1,B\n", encoding="utf-8")
    found = problems(almaty_copy)
    assert "results/list.csv:7 [votes]: 'lots' is not a whole number" in found
    assert "districts.csv:3 [number]: district 1 is listed twice" in found


def test_cli_exits_2_with_no_traceback(almaty_copy: Path) -> None:
    replace(almaty_copy / "results/list.csv", "Auyl,8264", "Auyl,-8264")
    done = run_saylau("results", str(almaty_copy))
    assert done.returncode == 2
    assert "error: results/list.csv:7 [votes]: -8264 is below 0" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_broken_previous_folder_is_named(almaty_copy: Path) -> None:
    replace(almaty_copy.parent / "almaty-2021/results/list.csv", "ADAL,23086", "ADAL,x")
    assert any(p.startswith("../almaty-2021/results/list.csv:6 [votes]") for p in problems(almaty_copy))


def test_export_keys_are_checked(almaty_copy: Path) -> None:
    """The keys the exports read (wikitext `country`, NIST `territory`, `[commission]`, `[names]`)."""
    replace(almaty_copy / "election.toml", 'cyrillic = "ru"', 'cyrillic = "de"')
    replace(almaty_copy / "election.toml", 'country = "Kazakhstan"', "country = 7")
    replace(almaty_copy / "election.toml", 'name = "Almaty City Territorial Electoral Commission"', 'name = " "')
    found = problems(almaty_copy)
    assert "election.toml [names.cyrillic]: must be one of kk, ru" in found
    assert "election.toml [country]: must be a non-empty text" in found
    assert "election.toml [commission.name]: must be a non-empty text" in found
