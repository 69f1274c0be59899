"""Reading the CSV tables of an election folder, collecting every problem with its file, row and field.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first record row 2.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from pathlib import Path

from saylau.errors import Problem
from saylau.limits import MAX_CELL, MAX_COUNT, MAX_FILE_BYTES, NumberError, parse_fraction, parse_whole


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

    def integer(
        self, name: str, *, required: bool = True, minimum: int | None = 0, maximum: int = MAX_COUNT
    ) -> int | None:
        raw = self.text(name, required=required)
        if raw is None:
            return None
        try:
            value = parse_whole(raw, maximum=maximum)
        except NumberError as error:
            self.problems.add(str(error), self.path, self.number, name)
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
            return parse_fraction(raw.removesuffix("%"))
        except NumberError as error:
            self.problems.add(str(error), self.path, self.number, name)
            return None

    def day(self, name: str) -> date | None:
        raw = self.text(name, required=False)
        if raw is None:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            self.problems.add(f"{raw[:40]!r} is not a date (YYYY-MM-DD)", self.path, self.number, name)
            return None


def read_table(
    folder: Path,
    name: str,
    columns: tuple[str, ...],
    problems: Problems,
    *,
    required: bool = True,
    confined: bool = True,
) -> Iterator[Row]:
    """Yield the records of folder/name, after checking that the required columns are there.

    A file that is a link out of `folder`, larger than MAX_FILE_BYTES, or with a cell over MAX_CELL
    characters is a problem (never followed, never a traceback); the rows before a broken one still count.
    """
    text = read_text(folder, name, problems, required=required, encoding="utf-8-sig", confined=confined)
    if text is None:
        return
    reader = csv.DictReader(io.StringIO(text))
    try:
        header = [h.strip() for h in reader.fieldnames or []]
    except csv.Error as error:
        problems.add(_csv_error(error), name, 1)
        return
    missing = [c for c in columns if c not in header]
    if missing:
        problems.add(f"missing column(s): {', '.join(missing)}", name, 1)
        return
    reader.fieldnames = header
    records = iter(reader)
    while True:
        try:
            record = next(records)
        except StopIteration:
            return
        except csv.Error as error:
            problems.add(_csv_error(error), name, reader.line_num + 1)
            return
        number = reader.line_num
        if not any((v or "").strip() for v in record.values() if isinstance(v, str)):
            continue
        yield Row(
            name,
            number,
            {k: v for k, v in record.items() if isinstance(k, str) and isinstance(v, str)},
            problems,
        )


def read_text(
    folder: Path,
    name: str,
    problems: Problems,
    *,
    required: bool = True,
    encoding: str = "utf-8",
    confined: bool = True,
) -> str | None:
    """The text of folder/name, or None with a problem: missing, a link out of the folder, too large, unreadable.

    A file of an election folder (`confined`) that leads out of it by a link or `..` is refused without
    saying where it leads or whether that exists; a file the user named on the command line is not confined.
    """
    path = folder / name
    if confined and not inside(path, folder):
        problems.add("is a link that leads out of the folder: not read", name)
        return None
    if not path.is_file():
        if required:
            problems.add("file is missing", name)
        return None
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            problems.add(f"is larger than the limit of {MAX_FILE_BYTES:,} bytes", name)
            return None
        return path.read_text(encoding=encoding)
    except (OSError, UnicodeDecodeError) as error:
        problems.add(f"cannot be read: {type(error).__name__}", name)
        return None


def inside(path: Path, root: Path) -> bool:
    """True when `path`, with every link followed, stays inside `root` (also with its links followed)."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a link loop
        return False


def _csv_error(error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        return f"a cell is longer than the limit of {MAX_CELL:,} characters"
    return f"is not valid CSV: {error}"
