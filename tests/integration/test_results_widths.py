"""`saylau results` at 60, 80 and 120 columns in kk, ru and en keeps every column's figures (issue 24).

The party figures are the seed's infobox (shared/seed/000_6f5d0e82cda8ae51.txt: votes, percentages, seats,
seat change and swing); the ballot lines and districts are the example folder's (read from the JSON summary,
another renderer). Each row's figures must follow its name whole, in the column order, before the next row
starts (a number split over two lines, a column dropped or a figure cut by an ellipsis fails), and no line may
be wider than the terminal.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from saylau.cli.quick import results_and_show
from saylau.io import load_election
from saylau.reports.summary import summary
from saylau.result import declare
from tests.conftest import EXAMPLES

ALMATY = EXAMPLES / "almaty-2023"

# The seed's infobox: party -> (popular vote, percentage, seats, seat change, swing); None: "New".
SEED = {
    "Amanat": (151531, "51.94", 25, -4, "-16.17"),
    "QHP": (38563, "13.22", 3, 0, "+5.91"),
    "Respublica": (38369, "13.15", 5, None, None),
    "Baytaq": (23266, "7.97", 3, None, None),
    "Aq Jol": (15273, "5.23", 2, -2, "-4.88"),
    "Auyl": (8264, "2.83", 0, -3, "-4.85"),
}
NAMES = {  # the folder's localised short names (parties.csv), as a reader sees them
    "kk": {"Amanat": "AMANAT", "QHP": "ҚХП", "Respublica": "Respublica", "Baytaq": "Байтақ", "Aq Jol": "Ақ жол",
           "Auyl": "Ауыл"},
    "ru": {"Amanat": "AMANAT", "QHP": "НПК", "Respublica": "Respublica", "Baytaq": "Байтак", "Aq Jol": "Ак жол",
           "Auyl": "Ауыл"},
    "en": {p: p for p in SEED},
}  # fmt: skip
NEW = {"kk": "Жаңа", "ru": "Новая", "en": "New"}  # a party: «партия» is feminine


def _int(n: int, lang: str) -> str:
    grouped = f"{n:,}"
    return grouped if lang == "en" else grouped.replace(",", "\xa0")


def _dec(text: str, lang: str) -> str:
    return text if lang == "en" else text.replace(".", ",")


def _pct(text: str, lang: str) -> str:
    return {"en": f"{text}%", "kk": f"{_dec(text, lang)}%", "ru": f"{_dec(text, lang)}\xa0%"}[lang]


def _figures_in_order(text: str, figures: list[str]) -> None:
    """Each figure whole (not inside a longer number), in this order, in `text`."""
    at = 0
    for figure in figures:
        found = re.compile(r"(?<![\d\xa0,.])" + re.escape(figure) + r"(?![\d\xa0,.%])").search(text, at)
        assert found, f"{figure!r} missing or split after position {at}:\n{text[at : at + 400]}"
        at = found.end()


def _run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], lang: str, width: int) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.setenv("LINES", "50")
    results_and_show(ALMATY, lang=lang)
    return capsys.readouterr().out


@pytest.fixture(scope="module")
def data() -> dict[str, object]:
    return summary(declare(load_election(ALMATY)))


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
@pytest.mark.parametrize("width", [60, 80, 120])
def test_every_column_keeps_its_figures(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    data: dict[str, object],
    lang: str,
    width: int,
    tmp_path: Path,
) -> None:
    out = _run(monkeypatch, capsys, lang, width)
    (tmp_path / f"results-{lang}-{width}.txt").write_text(out, encoding="utf-8")
    assert max(len(line) for line in out.splitlines()) <= width
    assert "…" not in out  # nothing cut short
    order = sorted(SEED, key=lambda p: -SEED[p][0])
    names = NAMES[lang]
    for party, following in zip(order, [*order[1:], None], strict=True):
        votes, pct, seats, change, swing = SEED[party]
        start = out.index(names[party], out.index("┘"))
        end = out.index(names[following], start) if following else len(out)
        row = out[start:end]
        _figures_in_order(
            row,
            [
                _int(votes, lang),
                _pct(pct, lang),
                str(seats),
                NEW[lang] if change is None else f"{change:+d}",
                NEW[lang] if swing is None else _dec(swing, lang),
            ],
        )
    # the ballot lines: against all, the total, invalid, ballots cast, registered voters
    lines = [_int(line["count"], lang) for line in data["ballot_lines"]]  # type: ignore[index]
    _figures_in_order(out, lines)
    # every district's number, winner's votes and margin, in district order
    districts = out[out.index(_int(data["ballot_lines"][-1]["count"], lang)) :]  # type: ignore[index]
    figures = []
    for d in data["districts"]:  # type: ignore[attr-defined]
        figures += [_int(d["votes"], lang), _int(d["margin"], lang)]
    _figures_in_order(districts, figures)
