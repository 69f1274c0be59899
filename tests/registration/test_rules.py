"""One small folder per registration rule, each breaking exactly that rule and getting exactly its refusal.

The folder of tests/registration/small.py passes every rule; each case changes one thing. The guard test
fails when a rule of `Rule` has no case here.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from saylau.io import load_election
from saylau.registration import Rule, check_registration
from saylau.reports.i18n import recording_misses, words
from saylau.reports.registration import refusal_lines
from tests.integration.test_almaty_2023 import run_saylau
from tests.registration.small import base_candidates, base_lists, make_folder

GROUPS = "women, young people or people with disabilities"


def _lists(**changes: dict[str, str]) -> list[dict[str, str]]:
    """The base lists with rows changed; keys are 'A2' (party A, position 2)."""
    rows = base_lists()
    for row in rows:
        row.update(changes.get(f"{row['party']}{row['position']}", {}))
    return rows


def _extra_candidate(district: str, name: str, party: str, born: str, sex: str) -> list[dict[str, str]]:
    row = dict(base_candidates()[0], district=district, candidate=name, party=party, date_of_birth=born, sex=sex)
    return [*base_candidates(), row]


Case = tuple[Callable[[Path], Path], str]

CASES: dict[Rule, Case] = {
    Rule.MIN_AGE: (
        lambda p: make_folder(p, lists=_lists(A2={"date_of_birth": "2004-01-01"})),
        "lists.csv:3 [date_of_birth]: Aru Seitova is 19 on 2023-03-19; a mäslihat candidate must be at least 20",
    ),
    Rule.ONE_LIST: (
        lambda p: make_folder(p, lists=_lists(B3={"candidate": "Dias Omarov", "date_of_birth": "1980-01-01"})),
        "lists.csv:8 [candidate]: Dias Omarov is already on the list of A (lists.csv:4); "
        "a candidate may stand on one list only",
    ),
    Rule.ONE_DISTRICT: (
        lambda p: make_folder(p, candidates=_extra_candidate("2", "Gulnar Utepova", "", "1988-08-08", "f")),
        "candidates.csv:5 [candidate]: Gulnar Utepova already stands in district 1 (candidates.csv:3); "
        "a candidate may stand in one district only",
    ),
    Rule.DUAL_CANDIDACY: (
        lambda p: make_folder(p, candidates=_extra_candidate("2", "Dias Omarov", "A", "1980-01-01", "m")),
        "candidates.csv:5 [candidate]: Dias Omarov stands in district 2 and is on the list of A (lists.csv:4); "
        "a candidate may not stand on a list and in a district at once",
    ),
    Rule.POSITIONS: (
        lambda p: make_folder(p, lists=_lists(B3={"position": "4"})),
        "lists.csv [position]: the list of B has no position 3; positions must run 1..3 without a gap",
    ),
    Rule.LIST_MIN: (
        lambda p: make_folder(p, registration="list_min = 4"),
        "lists.csv [party]: the list of B has 3 candidates; a list must have at least 4",
    ),
    Rule.LIST_MAX: (
        lambda p: make_folder(p, registration="list_max = 3"),
        "lists.csv [party]: the list of A has 4 candidates; a list may have at most 3",
    ),
    Rule.PERIOD_OPENS: (
        lambda p: make_folder(
            p,
            lists=_lists(A2={"registered": "2023-01-10"}),
            registration="opens_days_before = 60\ncloses_days_before = 20",
        ),
        "lists.csv:3 [registered]: Aru Seitova was registered on 2023-01-10, before registration opened on 2023-01-18",
    ),
    Rule.PERIOD_CLOSES: (
        lambda p: make_folder(
            p,
            lists=_lists(A2={"registered": "2023-03-01"}),
            registration="opens_days_before = 60\ncloses_days_before = 20",
        ),
        "lists.csv:3 [registered]: Aru Seitova was registered on 2023-03-01, after registration closed on 2023-02-27",
    ),
    Rule.QUOTA: (
        lambda p: make_folder(p, lists=_lists(A4={"sex": "m"})),
        f"lists.csv [party]: 1 of 4 candidates on the list of A (25.00%) are {GROUPS}; at least 30% must be",
    ),
    Rule.QUOTA_BLOCK: (
        lambda p: make_folder(
            p,
            lists=_lists(
                A2={"candidate": "Dias Omarov", "sex": "m", "date_of_birth": "1980-01-01"},
                A3={"candidate": "Aru Seitova", "sex": "f"},
            ),
            registration="quota = { block = 2 }",
        ),
        f"lists.csv [position]: 0 of 2 candidates at positions 1-2 of the list of A (0.00%) are {GROUPS}; "
        "at least 30% must be",
    ),
    Rule.DESIGNATED_WITHDRAWN: (
        lambda p: make_folder(p, lists=_lists(A2={"withdrawn": "2023-03-25"}), designations=[("A", "Aru Seitova")]),
        "designations.csv [candidate]: Aru Seitova, designated by A, withdrew on 2023-03-25; "
        "a withdrawn candidate takes no seat",
    ),
    Rule.DESIGNATION_QUOTA: (
        lambda p: make_folder(p, designations=[("A", "Nurlan Abenov")]),
        f"designations.csv [party]: 0 of 1 candidate designated by A (0.00%) are {GROUPS}; at least 30% must be",
    ),
}


def test_every_rule_has_its_case() -> None:
    """Guard: a rule added to `Rule` without a case here fails this test."""
    assert set(CASES) == set(Rule)


def test_the_small_folder_passes(tmp_path: Path) -> None:
    election = load_election(make_folder(tmp_path / "ok"))
    check = check_registration(election)
    assert check.refusals == ()
    assert check.unchecked == {}


@pytest.mark.parametrize("rule", list(CASES), ids=str)
def test_breaking_one_rule_gets_exactly_its_refusal(rule: Rule, tmp_path: Path) -> None:
    build, line = CASES[rule]
    election = load_election(build(tmp_path / "folder"))
    check = check_registration(election)
    assert [r.rule for r in check.refusals] == [rule]
    assert refusal_lines(check, election) == [line]


def test_check_command_prints_the_refusal_and_exits_2(tmp_path: Path) -> None:
    build, line = CASES[Rule.MIN_AGE]
    folder = build(tmp_path / "folder")
    outcome = run_saylau("registration", "check", str(folder))
    assert outcome.returncode == 2
    assert outcome.stdout.splitlines() == [line]


def test_check_command_passes_on_a_lawful_folder(tmp_path: Path) -> None:
    outcome = run_saylau("registration", "check", str(make_folder(tmp_path / "ok")))
    assert outcome.returncode == 0, outcome.stderr
    assert "registration checks pass: 10 candidates" in outcome.stdout


def test_results_still_declares_a_folder_that_fails_and_says_so(tmp_path: Path) -> None:
    folder = CASES[Rule.QUOTA][0](tmp_path / "folder")
    outcome = run_saylau("results", str(folder), "--json")
    assert outcome.returncode == 0
    assert '"seats"' in outcome.stdout
    assert "warning: registration checks fail (1 refusal); see saylau registration check" in outcome.stderr


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("ru", {1: "1 отказ в регистрации", 2: "2 отказа в регистрации", 5: "5 отказов в регистрации"}),
        ("kk", {n: f"{n} тіркеуден бас тарту" for n in (1, 2, 5)}),  # a noun after a number stays singular
        ("en", {1: "1 refusal", 2: "2 refusals", 5: "5 refusals"}),
    ],
)
def test_results_says_the_registration_warning_in_the_readers_language(
    lang: str, said: dict[int, str], tmp_path: Path
) -> None:
    """The warning line of `saylau results --lang`: its prefix and its counted noun in the reader's words."""
    prefix = {
        "ru": "предупреждение: проверки регистрации не пройдены",
        "kk": "ескерту: тіркеу тексерістерінен өтпеді",
        "en": "warning: registration checks fail",
    }[lang]
    see = {"ru": "см.", "kk": "қараңыз:", "en": "see"}[lang]
    for n, refusals in said.items():
        too_young = {key: {"date_of_birth": "2004-01-01"} for key in ["A1", "A2", "A3", "A4", "B1"][:n]}
        folder = make_folder(tmp_path / str(n), lists=_lists(**too_young))
        outcome = run_saylau("results", str(folder), "--json", "--lang", lang)
        assert outcome.returncode == 0, outcome.stderr
        assert f"{prefix} ({refusals}); {see} saylau registration check {folder}" in outcome.stderr.splitlines()


def test_the_dual_candidacy_setting_allows_it(tmp_path: Path) -> None:
    folder = CASES[Rule.DUAL_CANDIDACY][0](tmp_path / "folder")
    (folder / "election.toml").write_text(
        (folder / "election.toml").read_text(encoding="utf-8")
        + "[system.overrides.registration]\ndual_candidacy = true\n",
        encoding="utf-8",
    )
    assert check_registration(load_election(folder)).refusals == ()


def test_check_command_as_json(tmp_path: Path) -> None:
    folder = CASES[Rule.MIN_AGE][0](tmp_path / "folder")
    outcome = run_saylau("registration", "check", str(folder), "--json")
    assert outcome.returncode == 2
    assert json.loads(outcome.stdout) == {
        "passed": False,
        "refusals": [
            {
                "rule": "min-age",
                "file": "lists.csv",
                "row": 3,
                "field": "date_of_birth",
                "party": "A",
                "candidate": "Aru Seitova",
                "figure": 19,
                "limit": 20,
                "message": "Aru Seitova is 19 on 2023-03-19; a mäslihat candidate must be at least 20",
            }
        ],
        "unchecked": {},
    }


# The refusals in Kazakh and Russian (issue 24): every rule's sentence is in the catalogues, and the command
# says it in the reader's language.

LANGS = ("kk", "ru")
NAMES_AND_FILES = re.compile(
    r"Aru Seitova|Dias Omarov|Gulnar Utepova|Nurlan Abenov|\b[AB]\b|[a-z_]+\.csv(:\d+)?|\[[a-z_]+\]"
)
"""What a kk/ru refusal line may still hold in Latin letters: the folder's names, its files, rows and fields."""


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("rule", list(CASES), ids=str)
def test_every_refusal_has_its_sentence_in_kazakh_and_russian(rule: Rule, lang: str, tmp_path: Path) -> None:
    """Each rule's sentence comes from the catalogue (no msgid falls back to English) and keeps the refusal's
    place and figures."""
    build, english = CASES[rule]
    election = load_election(build(tmp_path / "folder"))
    check = check_registration(election)
    with recording_misses() as misses:
        (line,) = refusal_lines(check, election, words(lang))
    assert misses == set()
    assert line != english
    assert line.split(": ", 1)[0] == english.split(": ", 1)[0]  # same file, row and field
    assert re.findall(r"[A-Za-z]{2,}", NAMES_AND_FILES.sub("", line)) == [], line
    figures = Counter(re.findall(r"\d+", line.split(": ", 1)[1].replace("\xa0", "")))
    assert rule in DATED or Counter(re.findall(r"\d+", english.split(": ", 1)[1])) <= figures, line


DATED = {Rule.MIN_AGE, Rule.PERIOD_OPENS, Rule.PERIOD_CLOSES, Rule.DESIGNATED_WITHDRAWN}
"""Rules whose sentence holds a date, which kk and ru write in words (19 марта 2023 г.), not as 2023-03-19."""


def test_the_russian_sentences_read_as_written_by_hand(tmp_path: Path) -> None:
    """Two sentences written out by hand: the age (год/года/лет after the figure) and the quota (из 4
    кандидатов, the genitive after «из»), with the law's terms."""
    expected = {
        Rule.MIN_AGE: "lists.csv:3 [date_of_birth]: Aru Seitova на 19 марта 2023\u202fг. — 19 лет; "
        "возраст кандидата в депутаты маслихата должен быть не менее 20",
        Rule.QUOTA: "lists.csv [party]: 1 из 4 кандидатов партийного списка A (25,00\xa0%) — женщины, молодёжь или "
        "лица с инвалидностью; требуется не менее 30\xa0%",
        Rule.DESIGNATION_QUOTA: "designations.csv [party]: 0 из 1 кандидата, определённого партией A (0,00\xa0%), — "
        "женщины, молодёжь или лица с инвалидностью; требуется не менее 30\xa0%",
    }
    for rule, line in expected.items():
        election = load_election(CASES[rule][0](tmp_path / str(rule)))
        assert refusal_lines(check_registration(election), election, words("ru")) == [line]


@pytest.mark.parametrize("lang", LANGS)
def test_check_command_says_the_refusals_in_the_readers_language(lang: str, tmp_path: Path) -> None:
    """`saylau registration check --lang kk|ru` on a folder breaking several rules prints no English sentence."""
    folder = make_folder(
        tmp_path / "folder",
        lists=_lists(A2={"date_of_birth": "2004-01-01"}, A4={"sex": "m"}, B3={"position": "4"}),
        candidates=_extra_candidate("2", "Dias Omarov", "A", "1980-01-01", "m"),
    )
    outcome = run_saylau("registration", "check", str(folder), "--lang", lang)
    assert outcome.returncode == 2
    lines = outcome.stdout.splitlines() + outcome.stderr.splitlines()
    assert len(outcome.stdout.splitlines()) == 4, outcome.stdout
    for line in lines:
        assert re.findall(r"[A-Za-z]{2,}", NAMES_AND_FILES.sub("", line)) == [], line
    english = run_saylau("registration", "check", str(folder))
    assert [line.split(": ", 1)[0] for line in outcome.stdout.splitlines()] == [
        line.split(": ", 1)[0] for line in english.stdout.splitlines()
    ]
