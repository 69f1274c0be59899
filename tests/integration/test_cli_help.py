"""`--help` in Kazakh and Russian: every command's and every parameter's help text, and typer's words around
them (issue 25: every page, message, report and error in kk, ru and en).

The whole click command tree is walked for the catalogue's completeness; a few commands' help pages are run
end to end in kk and ru, their expected words written out here by hand from the glossary (сайлау қалтасы /
папка выборов, партиялық тізім / партийный список, өту шегі / проходной барьер, барлығына қарсы / против
всех), and every Latin word left on a page must be a name: a command, an option, a file, a code.
"""

from __future__ import annotations

import importlib
import inspect
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer._click import Command, Context

from saylau.cli import _COMMANDS, modules_for
from saylau.cli.helptext import OPTIONS_METAVAR, SUBCOMMAND_METAVAR, TYPER_WORDS, help_texts
from saylau.reports.i18n import messages, translator
from tests.conftest import EXAMPLES

ALMATY = str(EXAMPLES / "almaty-2023")
WIDTH = 80
SCRIPT = str(Path(sys.executable).parent / "saylau")


def saylau(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The `saylau` script on ARGS, its help boxes `WIDTH` columns wide."""
    environ = {**os.environ, "COLUMNS": str(WIDTH), "SAYLAU_LANG": "", **(env or {})}
    return subprocess.run([SCRIPT, *args], capture_output=True, text=True, check=False, env=environ)


def _tree() -> Iterator[tuple[str, Command, Context]]:
    """Every command and group of `saylau`, with the context its help is shown in."""
    for module in _COMMANDS:
        importlib.import_module(module)
    from saylau.cli.app import app

    def walk(command: Command, path: str, parent: Context | None) -> Iterator[tuple[str, Command, Context]]:
        ctx = Context(command, info_name=path.rsplit(" ", 1)[-1], parent=parent)
        yield path, command, ctx
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(sub, f"{path} {name}", ctx)

    yield from walk(typer.main.get_command(app), "saylau", None)


def help_msgids() -> dict[str, str]:
    """Every help text the command tree shows, as its catalogue msgid -> where it is shown."""
    found: dict[str, str] = {}
    for path, command, ctx in _tree():
        for owner, text in help_texts(command, ctx):
            where = path if owner is command or owner in getattr(command, "commands", {}).values() else owner.name
            found.setdefault("help|" + inspect.cleandoc(text), f"{path}: {where}")
    for msgid in [*TYPER_WORDS.values(), "help|" + OPTIONS_METAVAR, "help|" + SUBCOMMAND_METAVAR]:
        found[msgid] = "typer"
    return found


SAME: dict[str, str] = {}
"""Help texts allowed to read the same in kk or ru as in English, msgid -> why. None is today: the names and
codes in a help text (option values such as `hare`, file names, `{{Infobox election}}`) always stand in a
sentence that is translated; a help that were only a name or a code would be listed here."""


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_command_and_parameter_has_its_help_in_the_language(lang: str) -> None:
    catalogue = messages(lang)
    shown = help_msgids()
    assert len(shown) > 150  # every command module was walked, not only the app
    missing = {msgid: where for msgid, where in shown.items() if msgid not in catalogue}
    assert missing == {}
    untranslated = {m: w for m, w in shown.items() if catalogue[m] == m.removeprefix("help|") and m not in SAME}
    assert untranslated == {}


def test_the_catalogues_hold_no_help_that_no_command_shows() -> None:
    """A docstring or a `help=` changed in the code leaves its old msgid behind: the test names it."""
    shown = help_msgids()
    for lang in ("kk", "ru"):
        stale = {m for m in messages(lang) if m.startswith("help|")} - set(shown)
        assert stale == set(), lang


EAGER_HELP = """
import importlib, sys
from saylau.cli import _COMMANDS
for module in _COMMANDS:
    importlib.import_module(module)
from saylau.cli.app import app
from saylau.cli.usage import run
sys.argv[0] = "saylau"
run(app, sys.argv[1:])
"""


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_list_of_commands_read_from_source_is_the_one_the_commands_say(lang: str) -> None:
    """`saylau --help` lists the commands without importing them (`saylau.cli.outline`): in Kazakh and Russian
    too, its page is the one typer prints with every command module imported."""
    lazy = saylau("--help", "--lang", lang)
    environ = {**os.environ, "COLUMNS": str(WIDTH), "SAYLAU_LANG": ""}
    eager = subprocess.run(
        [sys.executable, "-c", EAGER_HELP, "--help", "--lang", lang], capture_output=True, text=True, env=environ
    )
    assert (lazy.returncode, lazy.stdout) == (eager.returncode, eager.stdout) == (0, eager.stdout)
    said = translator(lang)
    for path, command, _ in _tree():
        if path.count(" ") == 1 and command.help:
            first = said("help|" + inspect.cleandoc(command.help)).split()[0]
            assert first in lazy.stdout, path


def latin_words(page: str) -> set[str]:
    """The Latin words of a help page once names are taken out: options, environment variables, files and
    folders, type codes (`<path>`), parameter names (`{folder}`), `$VARIABLES`, URLs."""
    page = re.sub(r"--[\w-]+|\$?\b[A-Z][A-Z0-9_]+\b|\{\w+\}(\.\.\.)?|<[\w\[\]]+>", " ", page)
    page = re.sub(r"\S*[/.@:]\S*", " ", page)  # paths, files, addresses
    return set(re.findall(r"[A-Za-z][A-Za-z-]+", page))


CODES = {"saylau", "en", "kk", "ru", "seed", "cookie", "Cookie", "Secure", "loopback", "Ed25519", "SHA-256"}
"""Names and codes a kk or ru page keeps in Latin: the program, the languages' codes, the generator's `seed`
(the word the options name it by), HTTP's cookie and its Secure flag, the loopback interface, algorithms."""


PAGES = [
    (
        ["results", "--help"],
        {"results", "folder", "previous"},
        ["Сайлау қалтасы немесе сайлау күнінің қалтасы", "Кестелердің орнына бір JSON нысанын шығару."],
        ["Папка выборов или папка дня голосования", "Вывести один объект JSON вместо таблиц."],
    ),
    (
        ["allocate", "--help"],
        {"allocate", "contestants", "valid", "party", "cast", "lot", "decide", "registration-order", "more-votes"}
        | {"hare", "droop", "hagenbach-bischoff", "imperiali-quota", "dhondt", "sainte-lague", "modified-sainte-lague"}
        | {"danish", "imperiali", "adams", "huntington-hill"},
        ["Өту шегі пайызбен, мысалы 5%.", "«Барлығына қарсы» деп белгіленген бюллетеньдер."],
        ["Проходной барьер в процентах, например 5%.", "Бюллетени с отметкой «против всех»."],
    ),
    (
        ["protocols", "check", "--help"],
        {"protocols", "check", "paths", "csv", "json", "stations"},
        ["біреуі қате болса, шығу коды 2", "Сайлау қалталары"],
        ["если среди них есть ошибка — код выхода 2", "Папки выборов"],
    ),
    (
        ["synth", "--help"],
        {"synth", "folder", "day", "stations"},
        ["Тіркелген партиялар саны (кемінде 2).", "Бір мандатты сайлау округтерінің саны."],
        ["Число зарегистрированных партий (не менее двух).", "(не менее одного на округ;"],
    ),
    (
        ["users", "--help"],
        {"users", "add", "list", "password", "disable"},
        ["Нәтижелер қызметінің пайдаланушылары.", "Командалар"],
        ["Пользователи службы итогов.", "Команды"],
    ),
]
"""Help pages run end to end: the command line, the Latin words each may keep besides `CODES` (its commands'
names, options' values, its parameters' names), and a few of its sentences in kk and in ru."""

LAYOUT = {
    "kk": ["Қолданылуы: saylau", "[ПАРАМЕТРЛЕР]", "Параметрлер", "Осы анықтаманы көрсетіп, жұмысты аяқтау."],
    "ru": ["Использование: saylau", "[ПАРАМЕТРЫ]", "Параметры", "Показать эту справку и завершить работу."],
}
"""typer's words on every page: the usage line, the options' box, `--help`'s own help."""


def flowing(page: str) -> str:
    """A help page's text with its boxes taken away and its lines joined: a wrapped sentence reads whole."""
    return re.sub(r"\s+", " ", re.sub(r"[│╭╮╰╯─]", " ", page))


def assert_boxed(page: str) -> None:
    """Every line of a help page fits `WIDTH` columns and each box's sides line up: Cyrillic wraps cleanly."""
    for line in page.splitlines():
        assert len(line) <= WIDTH, line
        if line.startswith("│"):
            assert len(line) == WIDTH and line.endswith("│"), line


@pytest.mark.parametrize(("args", "names", "kk", "ru"), PAGES, ids=[" ".join(p[0]) for p in PAGES])
@pytest.mark.parametrize("how", ["--lang", "SAYLAU_LANG"])
def test_help_pages_in_kazakh_and_russian(
    args: list[str], names: set[str], kk: list[str], ru: list[str], how: str
) -> None:
    for lang, sentences in (("kk", kk), ("ru", ru)):
        done = saylau(*args, "--lang", lang) if how == "--lang" else saylau(*args, env={"SAYLAU_LANG": lang})
        assert done.returncode == 0, done.stderr
        page = flowing(done.stdout)
        for words in [*sentences, *LAYOUT[lang]]:
            assert words in page, (lang, words)
        assert latin_words(done.stdout) - CODES - names == set(), lang
        assert_boxed(done.stdout)


def test_arguments_required_defaults_and_environment_are_said_in_the_language() -> None:
    kk = saylau("allocate", "--help", "--lang", "kk").stdout
    ru = saylau("allocate", "--help", "--lang", "ru").stdout
    for page, words in (
        (kk, ["Аргументтер", "[міндетті]", "[әдепкі: hare]", "[орта айнымалысы: SAYLAU_LANG]"]),
        (ru, ["Аргументы", "[обязательно]", "[по умолчанию: hare]", "[переменная окружения: SAYLAU_LANG]"]),
    ):
        for word in words:
            assert word in page
    english = saylau("allocate", "--help").stdout
    assert "[default: hare]" in english and "Usage: saylau allocate [OPTIONS]" in english


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--help", "--lang", "kk"], {}),
        (["--lang", "kk", "--help"], {}),
        (["--help"], {"SAYLAU_LANG": "kk"}),
        ([], {"SAYLAU_LANG": "kk"}),
    ],
)
def test_the_list_of_commands_in_kazakh(args: list[str], env: dict[str, str]) -> None:
    done = saylau(*args, env=env)
    assert done.returncode in (0, 2), done.stderr
    page = done.stdout + done.stderr
    assert "Қолданылуы: saylau [ПАРАМЕТРЛЕР] КОМАНДА [АРГУМЕНТТЕР]..." in page
    assert "Аралас сайлау жүйесімен сайлау өткізу және оның қорытындысын жариялау." in page
    assert "Командалар" in page and "Сайлау учаскелерінің хаттамаларын тексеру және санау." in page
    assert_boxed(page)


def test_a_group_without_its_command_shows_its_help_in_russian() -> None:
    done = saylau("publish", env={"SAYLAU_LANG": "ru"})
    page = flowing(done.stdout + done.stderr)
    assert "Публикация итогов неизменяемыми версиями в папке или в бакете." in page
    assert "Использование: saylau publish [ПАРАМЕТРЫ] КОМАНДА [АРГУМЕНТЫ]..." in page
    assert "Список версий, опубликованных в месте публикации, с пометкой текущей." in page


def test_a_usage_error_says_its_usage_line_in_the_language() -> None:
    done = saylau("results", "--lang", "ru")
    assert done.returncode == 2
    assert "Использование: saylau results [ПАРАМЕТРЫ] {folder}" in done.stderr
    assert "Не указан аргумент" in done.stderr


def test_lang_before_the_command_is_the_commands_language() -> None:
    """`saylau --lang kk COMMAND` speaks as `saylau COMMAND --lang kk` (and the command's own `--lang` wins)."""
    before = saylau("--lang", "kk", "registration", "check", ALMATY)
    assert before.stdout.strip() == "тіркеу тексерістерінен өтті: 138 кандидат тіркелді"
    group = saylau("registration", "--lang", "ru", "check", ALMATY, "--lang", "kk")
    assert group.stdout.strip() == before.stdout.strip()
    assert modules_for(["--lang", "kk", "registration", "check"]) == ["saylau.cli.registration"]
    assert modules_for(["--lang=ru", "results"]) == ["saylau.cli.results"]


def test_english_help_keeps_its_brackets() -> None:
    """`[previous]` is a section of rules.toml, not rich's markup: the help shows it in every language."""
    for lang, words in (("en", "Folder inside which [previous] folder"), ("ru", "предыдущих выборов [previous];")):
        page = flowing(saylau("results", "--help", "--lang", lang).stdout)
        assert words in page


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("kk", "'servce' деген команда жоқ. Мүмкін, 'serve', 'observe' деп жазғыңыз келген шығар?"),
        ("ru", "Нет такой команды: 'servce'. Может быть, вы имели в виду 'serve', 'observe'?"),
    ],
)
def test_a_mistyped_command_is_answered_with_typers_suggestions_in_the_language(lang: str, expected: str) -> None:
    done = saylau("servce", "--lang", lang)
    assert done.returncode == 2
    assert expected in flowing(done.stderr)
    assert "Did you mean" not in done.stderr
