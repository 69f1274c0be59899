"""The ballot papers as a PDF: Kazakh and Russian side by side, a box per line, "against all" last.

`registration/ballots.py` decides which lines each ballot carries and in which order; this module words
them in both state languages (the terms of shared/spec/glossary.md; a native speaker should review them
before an election prints them), with the folder's Kazakh and Russian names of the body and the parties
(`name_kk`, `name_ru`, `full_name_kk`, `full_name_ru`) where it gives them. Typst lays out
`templates/ballots.typ` with its bundled fonts, which cover Kazakh Cyrillic. Names travel as JSON data,
never as Typst source.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from importlib.resources import files
from typing import Any

import typst

from saylau.domain import Ballot, Election
from saylau.domain.election import Names, localised
from saylau.registration.ballots import BallotLine, BallotPaper, ballot_papers

HEADING = ("САЙЛАУ БЮЛЛЕТЕНІ", "ИЗБИРАТЕЛЬНЫЙ БЮЛЛЕТЕНЬ")
AGAINST_ALL = ("Барлығына қарсы", "Против всех")
SELF_NOMINATED = ("өзін-өзі ұсынған", "самовыдвиженец")
INSTRUCTIONS = (
    "Өзіңіз дауыс беретін бір партияның немесе бір кандидаттың атауының оң жағындағы бос шаршыға кез келген "
    "белгі қойыңыз, немесе «Барлығына қарсы» жолына. Бірден көп белгі қойылған бюллетень жарамсыз.",
    "Поставьте любой знак в пустом квадрате справа от наименования одной партии или фамилии одного "
    "кандидата, за которых вы голосуете, либо в строке «Против всех». Бюллетень с более чем одним знаком "
    "недействителен.",
)
SIGNATURES = (
    "Учаскелік сайлау комиссиясы мүшелерінің қолы",
    "Подписи членов участковой избирательной комиссии",
)
LIST_BALLOT = (
    "партиялық тізімдер бойынша мәслихат депутаттарын сайлау",
    "выборы депутатов маслихата по партийным спискам",
)
BY_LOT = ("Жолдардың реті жеребе бойынша анықталды (seed {seed})", "Порядок строк определён жеребьёвкой (seed {seed})")
BY_REGISTRATION = ("Жолдар тіркелу ретімен", "Строки в порядке регистрации")
STAMP = "Мөр орны / Место печати"


def render_ballots(election: Election, district: int | None = None) -> bytes:
    """The ballots as one PDF, a page per ballot: the list ballot, then each district's (or only `district`)."""
    template = files("saylau.reports").joinpath("templates", "ballots.typ").read_bytes()
    data = json.dumps(ballots_data(election, district), ensure_ascii=False)
    day = election.date or date(2000, 1, 1)
    when = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    pdf = typst.compile(template, format="pdf", sys_inputs={"data": data}, timestamp=when)
    if not isinstance(pdf, bytes):
        raise TypeError("typst returned pages, not one PDF")
    return pdf


def ballots_data(election: Election, district: int | None = None) -> dict[str, Any]:
    """Everything the template prints, each text as a (Kazakh, Russian) pair."""
    return {
        "title": f"{election.name}: ballots",
        "body": _pair(election.body.names, election.body.name),
        "instructions": INSTRUCTIONS,
        "against_all": AGAINST_ALL,
        "signatures": SIGNATURES,
        "stamp": STAMP,
        "ballots": [_paper(p, election) for p in ballot_papers(election, district)],
    }


def _paper(paper: BallotPaper, election: Election) -> dict[str, Any]:
    day = election.date
    if paper.ballot is Ballot.LIST:
        what = LIST_BALLOT
    else:
        what = (
            f"№ {paper.district} бір мандатты сайлау округі бойынша мәслихат депутатын сайлау",
            f"выборы депутата маслихата по одномандатному избирательному округу № {paper.district}",
        )
    order = tuple(t.format(seed=paper.seed) for t in (BY_LOT if paper.seed is not None else BY_REGISTRATION))
    return {
        "heading": HEADING,
        "what": what,
        "when": (
            f"Дауыс беру күні: {day:%d.%m.%Y}" if day else "",
            f"День голосования: {day:%d.%m.%Y}" if day else "",
        ),
        "order": order,
        "lines": [_line(line, paper.ballot, election) for line in paper.lines],
    }


def _pair(names: Names, name: str) -> tuple[str, str]:
    """A name in Kazakh and in Russian, where the folder gives them (`name_kk`, `name_ru`), else as registered."""
    return localised(names, "kk", name), localised(names, "ru", name)


def _line(line: BallotLine, ballot: Ballot, election: Election) -> dict[str, Any]:
    party = election.party(line.party) if line.party else None
    if ballot is Ballot.LIST:
        full = _pair(party.full_names, party.full_name) if party else (line.name, line.name)
        return {"name": full, "note": ("", "")}
    made_up = any(n.illustrative and n.name == line.name for n in election.registration.in_districts())
    name = (f"{line.name} (шартты есім)", f"{line.name} (условное имя)") if made_up else (line.name, line.name)
    if line.party is None:
        return {"name": name, "note": SELF_NOMINATED}
    kk, ru = _pair(party.names, party.short_name) if party else (line.party, line.party)
    return {"name": name, "note": (f"{kk} ұсынған", f"выдвинут: {ru}")}
