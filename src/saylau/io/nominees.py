"""The optional registration columns of an election folder (see docs/election-folder.md).

    lists.csv        date_of_birth, sex, disability, registered, withdrawn   (per list candidate)
    candidates.csv   date_of_birth, sex, disability, registered, withdrawn   (per district candidate)
    parties.csv      list_withdrawn                                          (the whole list withdrawn)

Read on their own, after the main loader, so that a folder without them loads as before; a row the main
loader refuses (unknown party, no name) is left to its message.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from saylau.domain import Ballot, Nominee, Particulars, Registration, Sex
from saylau.io.table import Problems, Row, read_table

_SEX = {"f": Sex.FEMALE, "female": Sex.FEMALE, "ж": Sex.FEMALE, "m": Sex.MALE, "male": Sex.MALE, "м": Sex.MALE}
_YES = {"yes", "y", "true", "1", "иә", "да"}
_NO = {"no", "n", "false", "0", "жоқ", "нет"}


OPTIONAL = ("date_of_birth", "sex", "disability", "registered", "withdrawn", "list_withdrawn")


def read_registration(root: Path, problems: Problems) -> Registration:
    """The nominees of lists.csv and candidates.csv with their particulars, and withdrawn lists.

    Only problems with the optional columns are added to `problems`: the main loader reports the rest.
    """
    own = Problems()
    registration = _read(root, own)
    problems.items += [p for p in own.items if p.field in OPTIONAL]
    return registration


def _read(root: Path, problems: Problems) -> Registration:
    nominees: list[Nominee] = []
    for row in read_table(root, "lists.csv", ("party", "position", "candidate"), problems, required=False):
        name, party = row.values.get("candidate", "").strip(), row.values.get("party", "").strip()
        position = _quiet_int(row, "position")
        if name and party and position is not None:
            nominees.append(
                Nominee(
                    name,
                    party,
                    Ballot.LIST,
                    position=position,
                    particulars=_particulars(row),
                    row=row.number,
                    constituency=(row.values.get("constituency") or "").strip(),
                    illustrative=_illustrative(row),
                )
            )
    for row in read_table(root, "candidates.csv", ("district", "candidate"), problems, required=False):
        name, party = row.values.get("candidate", "").strip(), (row.values.get("party") or "").strip()
        number = _quiet_int(row, "district")
        if name and number is not None:
            nominees.append(
                Nominee(
                    name,
                    None if party.lower() in {"", "self-nominated", "independent", "-"} else party,
                    Ballot.DISTRICT,
                    district=number,
                    particulars=_particulars(row),
                    row=row.number,
                    illustrative=_illustrative(row),
                )
            )
    withdrawn: dict[str, date] = {}
    for row in read_table(root, "parties.csv", ("short_name",), problems, required=False):
        day, party = row.day("list_withdrawn"), row.values.get("short_name", "").strip()
        if day is not None and party:
            withdrawn[party] = day
    return Registration(tuple(nominees), withdrawn)


def _quiet_int(row: Row, name: str) -> int | None:
    """A whole number, or None; the main loader reports a bad one."""
    try:
        return int((row.values.get(name) or "").strip())
    except ValueError:
        return None


def _illustrative(row: Row) -> bool:
    """Whether the row's name is a placeholder: its `source` begins with "illustrative" (its first clause, before
    any ";"). "illustrative: name not found; ..." is; "seed (found); date_of_birth illustrative" is not (the
    name is real, some particulars are not)."""
    source = (row.values.get("source") or "").split(";", 1)[0].strip().lower()
    return source.startswith("illustrative")


def _particulars(row: Row) -> Particulars:
    registered, withdrawn = row.day("registered"), row.day("withdrawn")
    if registered and withdrawn and withdrawn < registered:
        row.problems.say(
            "withdrawn on {withdrawn} before being registered on {registered}",
            row.path,
            row.number,
            "withdrawn",
            withdrawn=withdrawn,
            registered=registered,
        )
    return Particulars(row.day("date_of_birth"), _sex(row), _disability(row), registered, withdrawn)


def _sex(row: Row) -> Sex | None:
    raw = row.text("sex", required=False)
    if raw is None:
        return None
    sex = _SEX.get(raw.lower())
    if sex is None:
        row.problems.say("{value} is not a sex: write f or m", row.path, row.number, "sex", value=repr(raw))
    return sex


def _disability(row: Row) -> bool | None:
    raw = row.text("disability", required=False)
    if raw is None:
        return None
    if raw.lower() in _YES:
        return True
    if raw.lower() not in _NO:
        row.problems.say("{value} is neither yes nor no", row.path, row.number, "disability", value=repr(raw))
    return False
