"""The election folder's problems in Kazakh, Russian and English: every sentence the loader builds is a catalogue
msgid with its figures (issue 25), said in the reader's language with the file, row and field kept, counts
grouped as the language writes them and counted nouns in their plural form (Russian 1 / 2-4 / 5+)."""

from __future__ import annotations

from pathlib import Path

import pytest

from saylau.errors import InputError
from saylau.io import load_election
from saylau.reports.problems import problem_line
from tests.integration.test_folder_validation import replace

NBSP = "\xa0"


def said(folder: Path, lang: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_election(folder)
    return [problem_line(p, lang) for p in caught.value.problems]


def test_totals_that_do_not_add_up_in_three_languages(almaty_copy: Path) -> None:
    """302,270 took part; 16,490 against all and 10,513 invalid beside the parties' 275,266 make 302,269."""
    replace(almaty_copy / "results/ballots.csv", "302270,16490,10514", "302270,16490,10513")
    where = "results/ballots.csv:2 [took_part]: "
    assert said(almaty_copy, "en") == [
        f"{where}totals do not add up for the list ballot: votes 275,266 + against all 16,490 + invalid 10,513 = "
        "302,269, but took part = 302,270"
    ]
    assert said(almaty_copy, "ru") == [
        f"{where}бюллетень по партийным спискам: итоги не сходятся: голоса 275{NBSP}266 + против всех 16{NBSP}490 "
        f"+ недействительные 10{NBSP}513 = 302{NBSP}269, но приняли участие = 302{NBSP}270"
    ]
    assert said(almaty_copy, "kk") == [
        f"{where}партиялық тізімдер бойынша бюллетень: қорытындылар сәйкес келмейді: дауыстар 275{NBSP}266 + "
        f"барлығына қарсы 16{NBSP}490 + жарамсыз 10{NBSP}513 = 302{NBSP}269, ал дауыс беруге қатысқандар = "
        f"302{NBSP}270"
    ]


def test_more_voters_than_registered_names_the_district_ballot(almaty_copy: Path) -> None:
    replace(almaty_copy / "results/ballots.csv", "district,1,55821,", "district,1,14049,")
    where = "results/ballots.csv:3 [registered]: "
    assert f"{where}more voters took part (14,050) than are registered (14,049) for the district 1 ballot" in said(
        almaty_copy, "en"
    )
    assert (
        f"{where}бюллетень по округу № 1: избирателей, принявших участие в голосовании (14{NBSP}050), больше, "
        f"чем включённых в списки (14{NBSP}049)"
    ) in said(almaty_copy, "ru")
    assert (
        f"{where}№ 1 округ бойынша бюллетень: дауыс беруге қатысқан сайлаушылар (14{NBSP}050) тізімге "
        f"енгізілгендерден (14{NBSP}049) көп"
    ) in said(almaty_copy, "kk")


@pytest.mark.parametrize(
    ("seats", "ru", "kk"),
    [
        (41, "в органе 41 место", "органда 41 орын"),
        (43, "в органе 43 места", "органда 43 орын"),
        (45, "в органе 45 мест", "органда 45 орын"),
    ],
)
def test_a_body_the_rules_do_not_fill_is_counted_in_russian(almaty_copy: Path, seats: int, ru: str, kk: str) -> None:
    """The body's seats pick the noun's form (41 место, 43 места, 45 мест); Kazakh keeps орын singular."""
    replace(almaty_copy / "election.toml", "seats = 42 ", f"seats = {seats} ")
    where = "election.toml [body.seats]: "
    assert said(almaty_copy, "en") == [
        f"{where}the body has {seats} seats but the rules give 21 list seats + 21 districts = 42"
    ]
    assert said(almaty_copy, "ru") == [f"{where}{ru}, но по правилам: мест по спискам 21 + округов 21 = 42"]
    assert said(almaty_copy, "kk") == [f"{where}{kk}, бірақ ережелер бойынша: тізім орындары 21 + округтер 21 = 42"]


def test_a_duplicate_list_position_in_three_languages(almaty_copy: Path) -> None:
    replace(almaty_copy / "lists.csv", "Amanat,3,", "Amanat,2,")
    where = "lists.csv:4 [position]: "
    assert f"{where}duplicate list position 2 for Amanat (first on row 3)" in said(almaty_copy, "en")
    assert f"{where}номер 2 в списке Amanat повторяется (впервые в строке 3)" in said(almaty_copy, "ru")
    assert f"{where}Amanat тізіміндегі № 2 реттік нөмір қайталанады (алғашқысы 3-жолда)" in said(almaty_copy, "kk")


def test_a_constituency_in_a_folder_without_any(almaty_copy: Path) -> None:
    replace(almaty_copy / "results/list.csv", "party,votes", "party,votes,constituency")
    replace(almaty_copy / "results/list.csv", "QHP,38563", "QHP,38563,North")
    where = "results/list.csv:3 [constituency]: "
    assert f"{where}constituency 'North' given but constituencies.csv lists none" in said(almaty_copy, "en")
    assert f"{where}указан округ 'North', но в constituencies.csv нет ни одного округа" in said(almaty_copy, "ru")
    assert f"{where}'North' округі көрсетілген, бірақ constituencies.csv ішінде бірде-бір округ жоқ" in said(
        almaty_copy, "kk"
    )


@pytest.mark.parametrize(
    ("args", "lang", "line"),
    [
        (
            ["--day", "--stations", "100"],
            "en",
            "error: [stations]: a day of Kazakhstan's shape needs at least 1,000 stations",
        ),
        (
            ["--day", "--stations", "100"],
            "ru",
            f"ошибка: [stations]: дню выборов в масштабе Казахстана нужно как минимум 1{NBSP}000 участков",
        ),
        (
            ["--stations", "50", "--errors", "51"],
            "ru",
            "ошибка: нельзя внести 51 ошибку: участков — 50 (не больше одной на участок)",
        ),
        (
            ["--stations", "50", "--errors", "52"],
            "kk",
            "қате: 52 қатені енгізу мүмкін емес: учаскелер саны 50 (әр учаскеге біреуден)",
        ),
    ],
)
def test_synth_refuses_a_size_in_the_readers_language(tmp_path: Path, args: list[str], lang: str, line: str) -> None:
    """A size synth cannot make is said with its count grouped and the noun in the form the count takes."""
    from typer.testing import CliRunner

    import saylau.cli.synth  # noqa: F401  (registers the command)
    from saylau.cli.app import app

    done = CliRunner().invoke(app, ["synth", str(tmp_path / "out"), *args, "--lang", lang], terminal_width=200)
    assert done.exit_code == 2 and done.output.strip() == line, done.output
