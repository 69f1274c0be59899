"""`--lang` on every command that prints words (issue 24): project, registration check, vacancy, ballots, and
the `error:` prefix every command prints.

Each command is run in Kazakh and Russian; its words must be the language's (a phrase written out here by
hand), with the counted nouns in their forms, and an unknown language is refused before any work.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES

ALMATY = str(EXAMPLES / "almaty-2023")


def saylau(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "saylau", *args], capture_output=True, text=True, check=False)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ru", "проверки регистрации пройдены: зарегистрировано 138 кандидатов"),
        ("kk", "тіркеу тексерістерінен өтті: 138 кандидат тіркелді"),
        ("en", "registration checks pass: 138 candidates registered"),
    ],
)
def test_registration_check(lang: str, expected: str) -> None:
    done = saylau("registration", "check", ALMATY, "--lang", lang)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ru", "записано 0 выбытий; 42 депутата в составе, 0 мест вакантны."),
        ("kk", "0 бос орын тіркелді; 42 депутат жұмыс істейді, 0 орын бос."),
    ],
)
def test_vacancy(lang: str, expected: str) -> None:
    done = saylau("vacancy", ALMATY, "--lang", lang)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == expected


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ru", ["Прогноз, а не результаты подсчёта", "из 553 участков", "Большинство: 22 из 42 мест"]),
        ("kk", ["Болжам, есеп емес", "553 учаскенің", "Көпшілік: 42 орынның 22"]),
    ],
)
def test_project(lang: str, words: list[str]) -> None:
    done = saylau("project", ALMATY, "--counted", "20", "--draws", "50", "--lang", lang)
    assert done.returncode == 0, done.stderr
    for word in words:
        assert word in done.stdout, word
    assert "stations counted" not in done.stdout and "not the count" not in done.stdout


def test_ballots(tmp_path: Path) -> None:
    out = tmp_path / "b.pdf"
    done = saylau("ballots", ALMATY, "-o", str(out), "--district", "1", "--lang", "ru")
    assert done.returncode == 0 and done.stdout.strip() == f"записано: {out}"
    refused = saylau("ballots", ALMATY, "-o", str(out), "--district", "99", "--lang", "kk")
    assert refused.returncode == 2 and "№ 99 округ жоқ" in refused.stderr


@pytest.mark.parametrize("command", [["project", ALMATY], ["registration", "check", ALMATY], ["vacancy", ALMATY]])
def test_unknown_language_is_refused(command: list[str]) -> None:
    done = saylau(*command, "--lang", "de")
    assert done.returncode != 0 and "unknown language" in done.stderr
    assert done.stderr.startswith("error: ")  # no language to say it in but the source's


@pytest.mark.parametrize(
    ("lang", "error", "unwritable"),
    [("ru", "ошибка", "не удаётся записать"), ("kk", "қате", "жазу мүмкін емес"), ("en", "error", "cannot be written")],
)
def test_errors_begin_with_the_readers_word(lang: str, error: str, unwritable: str, tmp_path: Path) -> None:
    """An error line's prefix, and a file that cannot be written, in --lang (the command's exit status 2)."""
    refused = saylau("ballots", ALMATY, "-o", str(tmp_path / "b.pdf"), "--district", "99", "--lang", lang)
    assert refused.returncode == 2 and refused.stderr.startswith(f"{error}: "), refused.stderr
    target = tmp_path / "missing" / "report.html"
    done = saylau("report", ALMATY, "-f", "html", "-o", str(target), "--lang", lang)
    assert done.returncode == 2
    assert done.stderr.startswith(f"{error}: {target}: {unwritable} ("), done.stderr


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            "error: {folder}: scenario 'what-if: additional-member': additional-member needs a divisor method, not "
            "Hare quota, largest remainders (add --method dhondt)",
        ),
        (
            "ru",
            "ошибка: {folder}: сценарий 'если бы: additional-member': для системы дополнительных мандатов нужен метод "
            "делителей, а не «квота Хэйра, наибольшие остатки» (добавьте --method dhondt)",
        ),
        (
            "kk",
            "қате: {folder}: 'егер: additional-member' сценарийі: қосымша мандаттар жүйесіне бөлгіштер әдісі керек, "
            "«Хэр квотасы, ең үлкен қалдықтар» емес (--method dhondt қосыңыз)",
        ),
    ],
)
def test_a_scenario_the_rules_refuse_is_said_in_the_readers_language(lang: str, expected: str) -> None:
    """A rule's refusal raised in the core (analysis.whatif) is data; the CLI says it, the method's title too."""
    done = saylau("whatif", ALMATY, "--compensation", "additional-member", "--lang", lang)
    assert done.returncode == 2
    assert done.stderr.strip() == expected.format(folder=ALMATY)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "this election has tiers combined as 'compensatory'"),
        ("ru", "в этих выборах: части объединены по правилу 'compensatory'"),
        ("kk", "бұл сайлауда: бөліктер 'compensatory' түрінде біріктірілген"),
    ],
)
def test_a_system_the_projection_does_not_cover_is_said_in_the_readers_language(
    lang: str, expected: str, tmp_path: Path
) -> None:
    """Almaty with its tiers compensatory: `project` refuses before any work, naming what it does not cover."""
    folder = tmp_path / "almaty"
    shutil.copytree(ALMATY, folder)
    toml = (folder / "election.toml").read_text(encoding="utf-8")
    toml = toml[: toml.index("[previous]")]  # the previous election is not needed to refuse
    toml = toml.replace(
        "[system.overrides.list_tier]",
        '[system.overrides]\ncombination = "compensatory"\n\n[system.overrides.list_tier]',
    )
    (folder / "election.toml").write_text(toml, encoding="utf-8")
    done = saylau("project", str(folder), "--draws", "10", "--lang", lang)
    assert done.returncode == 2
    (line,) = done.stderr.strip().splitlines()
    assert line.endswith(expected), line
    assert lang == "en" or "projection" not in line


def saylau_env(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`saylau ARGS` with `env` added to the environment (the terminal width fixed, so panels do not wrap)."""
    environ = {**os.environ, "COLUMNS": "200", **env}
    return subprocess.run(
        [sys.executable, "-m", "saylau", *args], capture_output=True, text=True, check=False, env=environ
    )


@pytest.mark.parametrize(
    ("args", "ru", "kk"),
    [
        (["results", "--nope"], "Нет такого параметра: --nope", "Мұндай параметр жоқ: --nope"),
        (["results"], "Не указан аргумент 'folder'.", "'folder' аргументі берілмеген."),
        (
            ["allocate", "A=1", "--seats", "x"],
            "Недопустимое значение для '--seats': 'x' не целое число.",
            "'--seats' мәні жарамсыз: 'x' бүтін сан емес.",
        ),
        (
            ["project", ALMATY, "--draws", "0"],
            "Недопустимое значение для '--draws': '0' меньше наименьшего допустимого значения 1.",
            "'--draws' мәні жарамсыз: '0' рұқсат етілген ең кіші мәннен (1) кіші.",
        ),
        (
            ["report", ALMATY, "--format", "docx"],
            "Недопустимое значение для '--format' / '-f': 'docx' не входит в число допустимых: 'text',",
            "'--format' / '-f' мәні жарамсыз: 'docx' мына мәндердің бірі емес: 'text',",
        ),
        (["results", ALMATY, "extra"], "1 лишний аргумент (extra)", "1 артық аргумент берілді (extra)"),
        (["results", ALMATY, "b", "c"], "2 лишних аргумента (b c)", "2 артық аргумент берілді (b c)"),
        (["nosuch"], "Нет такой команды: 'nosuch'.", "'nosuch' деген команда жоқ."),
    ],
)
def test_typers_usage_errors_are_said_in_the_readers_language(args: list[str], ru: str, kk: str) -> None:
    """No such option, a missing argument, an invalid value, extra arguments: typer's refusals in the language
    of `--lang`, or of SAYLAU_LANG where the command line has none; English stays typer's own."""
    for lang, expected, heading in (("ru", ru, "Ошибка"), ("kk", kk, "Қате")):
        for done in (saylau_env(*args, "--lang", lang, env={}), saylau_env(*args, env={"SAYLAU_LANG": lang})):
            assert done.returncode == 2, done.stderr
            assert expected in done.stderr, done.stderr
            assert heading in done.stderr and "Error" not in done.stderr and "Usage" not in done.stderr
    english = saylau_env(*args, env={"SAYLAU_LANG": ""})
    assert english.returncode == 2 and "Error" in english.stderr and "Usage: " in english.stderr


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ru", "проверено 1\u00a0106 протоколов: 0 ошибок, 0 предупреждений"),
        ("kk", "1\u00a0106 хаттама тексерілді: 0 қате, 0 ескерту"),
        ("en", "1,106 protocols checked: 0 errors, 0 warnings"),
    ],
)
def test_protocols_check_counts_in_the_readers_language(lang: str, expected: str) -> None:
    done = saylau_env("protocols", "check", ALMATY, env={"SAYLAU_LANG": lang})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == expected


@pytest.mark.parametrize(
    ("count", "ru"),
    [
        (1, "проверен 1 протокол: 1 ошибка, 1 предупреждение"),
        (3, "проверено 3 протокола: 3 ошибки, 3 предупреждения"),
        (5, "проверено 5 протоколов: 5 ошибок, 5 предупреждений"),
        (21, "проверен 21 протокол: 21 ошибка, 21 предупреждение"),
    ],
)
def test_the_protocols_summary_takes_russians_three_forms(count: int, ru: str) -> None:
    from saylau.cli.protocols import _summary
    from saylau.reports.i18n import words

    assert _summary(count, count, count, words("ru")) == ru


def test_synth_and_its_refusals_in_the_readers_language(tmp_path: Path) -> None:
    folder = tmp_path / "synth"
    done = saylau("synth", str(folder), "--stations", "22", "--errors", "3", "--lang", "ru")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"записано: {folder}: 22 избирательных участка, 44 протокола, 3 внесённые ошибки"
    refused = saylau("synth", str(tmp_path / "big"), "--stations", "2000000", "--lang", "kk")
    assert refused.returncode == 2
    assert refused.stderr.strip() == "қате: [stations]: 2000000: 1\u00a0000\u00a0000 шегінен асады"
