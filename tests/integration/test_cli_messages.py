"""Every refusal the command line prints is said in `--lang`, not only its `error:` prefix (hclean).

Each kind of refusal is run in Kazakh and in Russian; the expected line is written out here by hand from the
glossary's words (өту шегі / проходной барьер, хаттама / протокол, учаске / участок; қалта / папка as the
folder's other problems say it). An unknown `--lang` cannot tell which language the reader reads: the refusal
is said in all three.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES

ALMATY = str(EXAMPLES / "almaty-2023")
A_FILE = str(EXAMPLES / "almaty-2023" / "election.toml")


def saylau(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "saylau", *args], capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def uncounted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Almaty example without its stations' protocols (its declared results and previous election kept)."""
    root = tmp_path_factory.mktemp("uncounted")
    shutil.copytree(EXAMPLES / "almaty-2021", root / "almaty-2021")
    shutil.copytree(ALMATY, root / "almaty-2023", ignore=shutil.ignore_patterns("protocols"))
    return root / "almaty-2023"


REFUSALS = [
    (["results", A_FILE], f"{A_FILE}: қалта емес", f"{A_FILE}: не папка"),
    (
        ["allocate", "A=5", "B=3", "--seats", "2", "--tie", "coin"],
        "[tie]: tie мәні белгісіз: 'coin' (мүмкін мәндер: registration-order/more-votes/lot/decide)",
        "[tie]: неизвестное значение tie: 'coin' (допустимые: registration-order/more-votes/lot/decide)",
    ),
    (
        ["allocate", "A=5", "B=3", "--seats", "2", "--method", "foo"],
        "[method]: method мәні белгісіз: 'foo' (--help қараңыз)",
        "[method]: неизвестное значение method: 'foo' (см. --help)",
    ),
    (
        ["allocate", "A=5", "--seats", "2", "--threshold", "five"],
        "[threshold]: өту шегі 'five' 0-ден 100-ге дейінгі пайыз емес (мысалы, 5% немесе 4.5)",
        "[threshold]: проходной барьер 'five' не процент от 0 до 100 (например, 5% или 4.5)",
    ),
    (
        ["allocate", "A5", "--seats", "2"],
        "[contestant]: 'A5' NAME=VOTES түрінде емес (VOTES: дауыстардың бүтін саны)",
        "[contestant]: 'A5' не в виде NAME=VOTES (VOTES: целое число голосов)",
    ),
    (
        ["allocate", "A=5", "A=3", "--seats", "0"],
        "[seats]: орын саны [1; 10\u00a0000] аралығында болуы керек, берілгені: 0\nқате: [name]: 'A' екі рет кездеседі",
        "[seats]: число мест должно быть от 1 до 10\u00a0000, указано 0\nошибка: [name]: 'A' указан дважды",
    ),
    (
        ["results", ALMATY, "--contest", "city"],
        f"{ALMATY} [--contest]: --contest сайлау күнінің сайлауын атайды: бұл қалтада day.toml жоқ",
        f"{ALMATY} [--contest]: --contest называет выборы дня голосования: в этой папке нет day.toml",
    ),
    (
        ["report", ALMATY, "--format", "pdf"],
        "[-o]: --format pdf екілік файл жазады: оны -o PATH арқылы беріңіз",
        "[-o]: --format pdf записывает двоичный файл: укажите его через -o PATH",
    ),
    (
        ["forensics", ALMATY, "--format", "png"],
        "[-o]: --format png екілік файл жазады: оны -o PATH арқылы беріңіз",
        "[-o]: --format png записывает двоичный файл: укажите его через -o PATH",
    ),
    (
        ["vacancy", ALMATY, "--deputy", "Someone"],
        "[date]: --deputy берілсе, --date керек",
        "[date]: с --deputy нужна --date",
    ),
    (
        ["vacancy", ALMATY, "--deputy", "Someone", "--date", "5 May"],
        "[date]: '5 May' күн емес (ЖЖЖЖ-АА-КК)",
        "[date]: '5 May' не дата (ГГГГ-ММ-ДД)",
    ),
    (
        ["whatif", ALMATY, "--pure-pr", "--mmp"],
        "[mode]: --pure-pr мен --mmp біреуін ғана таңдаңыз",
        "[mode]: выберите одно из --pure-pr и --mmp, не оба",
    ),
    (
        ["whatif", ALMATY, "--compensation", "mixed"],
        "[compensation]: compensation мәні белгісіз: 'mixed' (мүмкін мәндер: parallel, compensatory, ",
        "[compensation]: неизвестное значение compensation: 'mixed' (допустимые: parallel, compensatory, ",
    ),
    (
        ["example", "almaty-1999", "unused"],
        "[NAME]: мұндай мысал жоқ (барлары: almaty-2021, almaty-2023)",
        "[NAME]: такого примера нет (есть: almaty-2021, almaty-2023)",
    ),
    (
        ["observe", ALMATY],
        "observers.csv: файл жоқ: observers.csv немесе observers/*.csv табылмады",
        "observers.csv: файла нет: нет ни observers.csv, ни observers/*.csv",
    ),
    (["example", "almaty-2021", A_FILE], f"{A_FILE}: қалта емес", f"{A_FILE}: не папка"),
]


@pytest.mark.parametrize(("lang", "prefix"), [("kk", "қате: "), ("ru", "ошибка: ")])
@pytest.mark.parametrize(
    ("args", "kk", "ru"), REFUSALS, ids=lambda v: " ".join(v[:1] + v[-2:]) if isinstance(v, list) else None
)
def test_a_refusal_is_said_in_the_readers_language(lang: str, prefix: str, args: list[str], kk: str, ru: str) -> None:
    done = saylau(*args, "--lang", lang)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(prefix + (kk if lang == "kk" else ru)), done.stderr


@pytest.mark.parametrize(
    ("command", "kk", "ru"),
    [
        (
            "forensics",
            "protocols: қалта жоқ: статистикаға учаскелердің хаттамалары керек",
            "protocols: папки нет: статистике нужны протоколы участков",
        ),
        (
            "project",
            "protocols: қалта жоқ: болжамға учаскелердің хаттамалары керек",
            "protocols: папки нет: для прогноза нужны протоколы участков",
        ),
    ],
)
def test_a_missing_protocols_folder_is_said_in_the_readers_language(
    command: str, kk: str, ru: str, uncounted: Path
) -> None:
    for lang, expected in (("kk", f"қате: {kk}"), ("ru", f"ошибка: {ru}")):
        done = saylau(command, str(uncounted), "--lang", lang)
        assert done.returncode == 2 and done.stderr.strip() == expected, done.stderr


def test_a_folder_that_differs_from_the_example_is_refused_in_the_readers_language(tmp_path: Path) -> None:
    (tmp_path / "almaty-2021").mkdir()
    (tmp_path / "almaty-2021" / "parties.csv").write_text("mine\n", encoding="utf-8")
    where = tmp_path / "almaty-2021"
    kk = saylau("example", "almaty-2023", str(tmp_path), "--lang", "kk")
    assert kk.stderr.strip() == f"қате: {where}: бар, бос емес және жинақтағы мысалдан өзгеше"
    ru = saylau("example", "almaty-2023", str(tmp_path), "--lang", "ru")
    assert ru.stderr.strip() == f"ошибка: {where}: существует, не пуста и отличается от встроенного примера"


def test_what_the_example_wrote_is_said_in_the_readers_language(tmp_path: Path) -> None:
    done = saylau("example", "almaty-2021", str(tmp_path), "--lang", "ru")
    written = tmp_path / "almaty-2021"
    assert done.returncode == 0 and done.stdout.strip() == f"записано: {written}; запустите: saylau results {written}"


@pytest.mark.parametrize("command", [["allocate", "A=5", "--seats", "1"], ["results", ALMATY], ["example", "x", "y"]])
def test_an_unknown_language_is_refused_in_all_three(command: list[str]) -> None:
    done = saylau(*command, "--lang", "de")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "error: [lang]: unknown language 'de' (one of: en, kk, ru)",
        "қате: [lang]: белгісіз тіл 'de' (мүмкін тілдер: en, kk, ru)",
        "ошибка: [lang]: неизвестный язык 'de' (допустимые: en, kk, ru)",
    ]
