"""Reading the CSV tables of an election folder, collecting every problem with its file, row and field.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first record row 2.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path

from saylau.errors import Problem


@dataclass
class Problems:
    """The problems found so far while loading one folder."""

    items: list[Problem] = field(default_factory=list)

    def add(self, message: str, path: str | None = None, row: int | None = None, field: str | None = None) -> None:
        self.items.append(Problem(message, path, row, field))


@dataclass(frozen=True)
class Row:
    """One CSV record with where it came from, and typed accessors that report problems."""

    path: str
    number: int
    values: dict[str, str]
    problems: Problems

    def text(self, name: str, *, required: bool = True) -> str | None:
        value = (self.values.get(name) or "").strip()
        if not value:
            if required:
                self.problems.add("is empty", self.path, self.number, name)
            return None
        return value

    def integer(self, name: str, *, required: bool = True, minimum: int | None = 0) -> int | None:
        raw = self.text(name, required=required)
        if raw is None:
            return None
        try:
            value = int(raw.replace(",", "").replace("_", "").replace(" ", ""))
        except ValueError:
            self.problems.add(f"{raw!r} is not a whole number", self.path, self.number, name)
            return None
        if minimum is not None and value < minimum:
            self.problems.add(f"{value} is below {minimum}", self.path, self.number, name)
            return None
        return value

    def number_(self, name: str, *, required: bool = True) -> Fraction | None:
        raw = self.text(name, required=required)
        if raw is None:
            return None
        try:
            return Fraction(Decimal(raw.rstrip("%")))
        except InvalidOperation:
            self.problems.add(f"{raw!r} is not a number", self.path, self.number, name)
            return None

    def day(self, name: str) -> date | None:
        raw = self.text(name, required=False)
        if raw is None:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            self.problems.add(f"{raw!r} is not a date (YYYY-MM-DD)", self.path, self.number, name)
            return None


def read_table(
    folder: Path, name: str, columns: tuple[str, ...], problems: Problems, *, required: bool = True
) -> Iterator[Row]:
    """Yield the records of folder/name, after checking that the required columns are there."""
    path = folder / name
    if not path.is_file():
        if required:
            problems.add("file is missing", name)
        return
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        problems.add(f"cannot be read: {error}", name)
        return
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in columns if c not in header]
    if missing:
        problems.add(f"missing column(s): {', '.join(missing)}", name, 1)
        return
    reader.fieldnames = header
    for record in reader:
        number = reader.line_num
        if not any((v or "").strip() for v in record.values() if isinstance(v, str)):
            continue
        yield Row(
            name,
            number,
            {k: v for k, v in record.items() if isinstance(k, str) and isinstance(v, str)},
            problems,
        )
