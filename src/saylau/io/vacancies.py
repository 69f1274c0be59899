"""`vacancies.csv`: the seats that fell vacant during the term, in the order they fell (docs/registration.md).

    date,deputy,filling,successor,successor_party,source
    2024-05-02,Aru Seitova,next-on-list,Dias Omarov,A,decision of the territorial commission No. 12

`filling` is next-on-list, designated, by-election or list-exhausted; `successor` is empty while a seat is
open (a by-election to come); once the by-election is held, its winner (and party, or empty for
self-nominated) is written in. Each row must name a deputy sitting at that point of the term.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from saylau.composition.deputies import Deputy
from saylau.domain import Election
from saylau.errors import InputError
from saylau.io.table import Problems, read_table
from saylau.registration.vacancy import Filling, Vacancy, term

FILE = "vacancies.csv"
COLUMNS = ("date", "deputy", "filling", "successor", "successor_party", "source")


def read_vacancies(folder: Path, election: Election, deputies: Iterable[Deputy]) -> tuple[Vacancy, ...]:
    """The recorded vacancies, each checked to name a deputy sitting when it fell; InputError otherwise."""
    declared = tuple(deputies)
    problems = Problems()
    records: list[Vacancy] = []
    for row in read_table(folder, FILE, COLUMNS[:3], problems, required=False):
        day, deputy, filling = row.day("date"), row.text("deputy"), row.text("filling")
        if day is None or deputy is None or filling is None:
            if day is None and row.text("date", required=False) is None:
                problems.say("is empty", row.path, row.number, "date")
            continue
        if filling not in Filling.__members__.values():
            known = ", ".join(f.value for f in Filling)
            problems.say(
                "{value} is not one of {known}", row.path, row.number, "filling", value=repr(filling), known=known
            )
            continue
        if records and day < records[-1].day:
            problems.say(
                "{day} is before the row above ({above})", row.path, row.number, "date", day=day, above=records[-1].day
            )
        if all(d.name != deputy for d in term(election, declared, records).sitting):
            problems.say(
                "{deputy} is not a sitting deputy at this point of the term",
                row.path,
                row.number,
                "deputy",
                deputy=repr(deputy),
            )
            continue
        successor = row.text("successor", required=False)
        party = row.text("successor_party", required=False)
        records.append(Vacancy(deputy, day, Filling(filling), successor, party))
    if problems.items:
        raise InputError(problems.items)
    return tuple(records)


def append_vacancy(folder: Path, vacancy: Vacancy, source: str = "") -> int:
    """Add one row to vacancies.csv (created with its header when missing); return the row's number."""
    path = folder / FILE
    new = not path.is_file()
    unterminated = not new and not path.read_bytes().endswith(b"\n") and path.stat().st_size > 0
    with path.open("a", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        if new:
            writer.writerow(COLUMNS)
        if unterminated:
            f.write("\n")
        writer.writerow(
            [
                vacancy.day.isoformat(),
                vacancy.deputy,
                vacancy.filling.value,
                vacancy.successor or "",
                vacancy.successor_party or "",
                source,
            ]
        )
    with path.open(encoding="utf-8") as f:
        return sum(1 for _ in csv.reader(f))
