"""Publishing's words in Kazakh, Russian and English (issue 25): a gate's state, a day's held contests, a
target's and a version's refusals are catalogue msgids with their figures, said in the reader's language (the
words written out here by hand)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from typer.testing import CliRunner

import saylau.cli.publish  # noqa: F401  (registers the command)
from saylau.cli.app import app
from saylau.errors import InputError
from saylau.publish import DaySource, open_target
from saylau.publish.gate import gate_of
from saylau.reports.problems import problem_line, said

HELD = gate_of("[publication]\nhold = true\n")
CLOSING = gate_of("[publication]\npolls_close = 2023-03-19T20:00:00+05:00\n")
NOW = datetime(2023, 3, 19, 12, tzinfo=UTC)


def test_a_gate_in_three_languages() -> None:
    assert HELD.describe() == "held until a coordinator releases it"
    assert said(HELD.describe(), "ru") == "скрыты, пока координатор их не откроет"
    assert said(HELD.describe(), "kk") == "үйлестіруші жарияламайынша жасырылған"
    assert CLOSING.describe() == "held until the polls close at 2023-03-19T15:00:00+00:00"
    assert said(CLOSING.describe(), "ru") == "скрыты до закрытия участков (2023-03-19T15:00:00+00:00)"


def test_a_day_names_each_held_contest() -> None:
    contests: Any = (
        SimpleNamespace(contest="majilis", gate=HELD),
        SimpleNamespace(contest="almaty", gate=CLOSING),
        SimpleNamespace(contest="open", gate=gate_of("")),
    )
    day = DaySource(contests)
    assert day.describe(NOW) == (
        "majilis: held until a coordinator releases it; almaty: held until the polls close at 2023-03-19T15:00:00+00:00"
    )
    assert said(day.describe(NOW), "kk") == (
        "majilis: үйлестіруші жарияламайынша жасырылған; almaty: сайлау учаскелері жабылғанша "
        "(2023-03-19T15:00:00+00:00) жасырылған"
    )


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "error: [version]: version 7 was never published here"),
        ("ru", "ошибка: [version]: версия 7 здесь никогда не публиковалась"),
        ("kk", "қате: [version]: 7 нұсқасы мұнда ешқашан жарияланбаған"),
    ],
)
def test_a_rollback_to_a_version_never_published(tmp_path: Path, lang: str, line: str) -> None:
    done = CliRunner().invoke(app, ["publish", "rollback", "7", "--to", str(tmp_path), "--lang", lang])
    assert done.exit_code == 2 and done.output.strip() == line, done.output


def test_a_bucket_target_with_credentials_is_refused_in_russian() -> None:
    with pytest.raises(InputError) as caught:
        open_target("s3://key:secret@bucket/prefix")
    (problem,) = caught.value.problems
    assert problem_line(problem, "ru") == "[target]: учётным данным не место в цели: задайте их в переменных окружения"
    assert "secret" not in problem_line(problem, "kk")
