"""Reading the CSV tables of an election folder, collecting every problem with its file, row and field.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first record row 2.

What a table may be (docs/election-folder.md, "Encoding and layout"): UTF-8 text, with or without a byte
order mark, with LF or CRLF line ends. Refused, each with the file, row and column: another encoding
(`encoding`), a column named twice (`duplicate-column`), a required column missing (`missing-column`), a
row with fewer cells than the header (`short-row`: a file cut short), a row with more (`long-row`; except
that a last `source` column, a free-text note, takes the extra cells back as its commas), a column name or
a name with an invisible character (`invisible-character`, see `saylau.limits.invisible`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from pathlib import Path

from saylau.errors import Count, Phrase, Problem, phrase_of, worded
from saylau.limits import (
    MAX_CELL,
    MAX_COLUMNS,
    MAX_COUNT,
    MAX_FILE_BYTES,
    NumberError,
    invisible,
    parse_fraction,
    parse_whole,
)

NOT_UTF8 = (
    "is not UTF-8 text: byte {byte} at byte {at} (save the file as UTF-8; Latin-1 and Windows code pages are not read)"
)


@dataclass
class Problems:
    """The problems found so far while loading one folder."""

    items: list[Problem] = field(default_factory=list)

    def add(
        self,
        message: Phrase,
        path: str | None = None,
        row: int | None = None,
        field: str | None = None,
        code: str = "invalid",
    ) -> None:
        """A problem said by a `Phrase` (a counted one, or one holding another Phrase): kk and ru too. A plain
        sentence goes through `say` with its msgid and values."""
        self.items.append(Problem(message, path, row, field, code))

    def say(
        self,
        template: str,
        path: str | None = None,
        row: int | None = None,
        field: str | None = None,
        code: str = "invalid",
        **values: object,
    ) -> None:
        """A problem said by a catalogue msgid and its values (`saylau.errors.worded`): kk and ru too."""
        self.items.append(worded(template, path, row, field, code, **values))


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
                self.problems.items.append(worded("is empty", self.path, self.number, name))
            return None
        return value

    def name(self, name: str, *, required: bool = True) -> str | None:
        """A name (of a party, candidate, district, ...): text that must be visible, every character of it."""
        value = self.text(name, required=required)
        if value is not None and not visible(value, self.problems, self.path, self.number, name):
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
            self.problems.items.append(Problem(phrase_of(error), self.path, self.number, name))
            return None
        if minimum is not None and value < minimum:
            self.problems.items.append(
                worded("{value} is below {minimum}", self.path, self.number, name, value=value, minimum=minimum)
            )
            return None
        return value

    def number_(self, name: str, *, required: bool = True) -> Fraction | None:
        raw = self.text(name, required=required)
        if raw is None:
            return None
        try:
            return parse_fraction(raw.removesuffix("%"))
        except NumberError as error:
            self.problems.items.append(Problem(phrase_of(error), self.path, self.number, name))
            return None

    def day(self, name: str) -> date | None:
        raw = self.text(name, required=False)
        if raw is None:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            self.problems.items.append(
                worded("{value} is not a date (YYYY-MM-DD)", self.path, self.number, name, value=repr(raw[:40]))
            )
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
    text = read_text(folder, name, problems, required=required, confined=confined)
    if text is None:
        return
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip() for h in next(reader, [])]
    except csv.Error as error:
        problems.add(_csv_error(error), name, 1)
        return
    if not _header_ok(header, columns, name, problems):
        return
    cut_at = text.count("\n") + 1 if not text.endswith("\n") else len(text) + 2  # the last line, if unended
    number = reader.line_num  # numbered as csv.DictReader numbers its records
    while True:
        try:
            cells = next(reader)
            number = reader.line_num
            while not cells:  # a blank line
                cells = next(reader)
            number = reader.line_num
        except StopIteration:
            return
        except csv.Error as error:
            problems.add(_csv_error(error), name, number + 1)
            return
        if not any(c.strip() for c in cells[: len(header)]):  # cells past the header are not looked at
            continue
        if len(cells) == len(header):  # the usual record: one cell per column
            yield Row(name, number, dict(zip(header, cells, strict=True)), problems)
            continue
        values = _cells(_record(header, cells), header, columns if number < cut_at else header, name, number, problems)
        if values is not None:
            yield Row(name, number, values, problems)


def _record(header: list[str], cells: list[str]) -> dict[str | None, object]:
    """The record as csv.DictReader gives one: extra cells in a list under None, missing cells None."""
    record: dict[str | None, object] = dict(zip(header, cells, strict=False))
    if len(cells) > len(header):
        record[None] = cells[len(header) :]
    for column in header[len(cells) :]:
        record[column] = None
    return record


TOO_MANY_COLUMNS = ("has {n} column: more than the limit of {limit}", "has {n} columns: more than the limit of {limit}")
SHORT_ROW = "{cells} but {header}: the row is cut short"
LONG_ROW = "{cells} but {header} (a comma in a value needs quotes)"
CELLS = ("has {n} cell", "has {n} cells")
HEADER = ("the header has {n} column", "the header has {n} columns")
"""A row's width against its header's, as counted phrases (Russian's three forms) inside SHORT_ROW and LONG_ROW."""


def _widths(cells: int, header: Sequence[str]) -> dict[str, Phrase]:
    """A row's cells and its header's columns, counted, for SHORT_ROW and LONG_ROW."""
    return {"cells": Phrase(*CELLS, n=Count(cells)), "header": Phrase(*HEADER, n=Count(len(header)))}


def _header_ok(header: list[str], columns: tuple[str, ...], name: str, problems: Problems) -> bool:
    """No column named twice or with an invisible character, and every required column there (linear in the
    header: each column is looked up once in the columns seen before it)."""
    if len(header) > MAX_COLUMNS:
        problems.add(Phrase(*TOO_MANY_COLUMNS, n=Count(len(header)), limit=Count(MAX_COLUMNS)), name, 1, code="columns")
        return False
    ok = True
    first: dict[str, int] = {}
    for k, column in enumerate(header):
        if column in first:
            problems.say(
                "the column is named twice (columns {first} and {second})",
                name,
                1,
                column,
                "duplicate-column",
                first=first[column] + 1,
                second=k + 1,
            )
            ok = False
            continue
        first[column] = k
        if not visible(column, problems, name, 1, column):
            ok = False
    missing = [c for c in columns if c not in first]
    if missing:
        named = ", ".join(missing)
        if len(missing) == 1:
            problems.items.append(worded("missing column: {columns}", name, 1, named, "missing-column", columns=named))
        else:
            problems.items.append(worded("missing columns: {columns}", name, 1, named, "missing-column", columns=named))
    return ok and not missing


def _cells(
    record: dict[str | None, object],
    header: list[str],
    needed: Sequence[str],
    name: str,
    number: int,
    problems: Problems,
) -> dict[str, str] | None:
    """The record's cells by column, or None with a problem when it has too few or too many cells.

    Too few: a `needed` column has no cell (for the last line of a file without a final line break, which is
    how a cut file ends, every column is needed); trailing optional cells may be left out. Extra cells go
    back into a last `source` column (a note written with unquoted commas).
    """
    values = {k: v for k, v in record.items() if isinstance(k, str) and isinstance(v, str)}
    extra = record.get(None)
    count = len(values) + (len(extra) if isinstance(extra, list) else 0)
    if any(c not in values for c in needed):
        cut = header[len(values)]
        problems.add(Phrase(SHORT_ROW, **_widths(count, header)), name, number, cut, "short-row")
        return None
    if isinstance(extra, list) and any(str(e).strip() for e in extra):
        if header[-1] == "source":
            values["source"] = ",".join([values["source"], *map(str, extra)])
            return values
        problems.add(Phrase(LONG_ROW, **_widths(count, header)), name, number, header[-1], "long-row")
        return None
    return values


MAX_HEADER_CHARS = 32 * 1024**2
"""The longest header line `read_header` reads (MAX_COLUMNS columns of a few hundred characters each)."""


def read_header(folder: Path, name: str, *, confined: bool = True) -> list[str] | None:
    """The stripped column names of the CSV file folder/name, or None when the table reader would refuse the
    file anyway (a link out of the folder, not UTF-8, a header cell over MAX_CELL, a header over
    MAX_HEADER_CHARS): the reader reports those with the file and row."""
    path = folder / name
    if confined and not inside(path, folder):
        return None
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            first = f.readline(MAX_HEADER_CHARS)
    except (OSError, UnicodeDecodeError):
        return None
    if len(first) == MAX_HEADER_CHARS and not first.endswith("\n"):
        return None
    try:
        return [h.strip() for h in next(csv.reader([first]), [])]
    except csv.Error:
        return None


def visible(text: str, problems: Problems, path: str, row: int | None, field: str | None) -> bool:
    """True when every character of `text` can be seen; else False with the problem added."""
    found = invisible(text)
    if found is None:
        return True
    position, char = found
    problems.say(
        "{text} has the invisible character {char} at position {position}: names must be visible",
        path,
        row,
        field,
        "invisible-character",
        text=repr(text[:40]),
        char=char,
        position=position,
    )
    return False


def read_text(
    folder: Path,
    name: str,
    problems: Problems,
    *,
    required: bool = True,
    confined: bool = True,
) -> str | None:
    """The UTF-8 text of folder/name (a byte order mark dropped, CRLF read as LF), or None with a problem:
    missing, a link out of the folder, too large, unreadable, or not UTF-8 (with the row and byte).

    A file of an election folder (`confined`) that leads out of it by a link or `..` is refused without
    saying where it leads or whether that exists; a file the user named on the command line is not confined.
    """
    path = folder / name
    if confined and not inside(path, folder):
        problems.items.append(worded("is a link that leads out of the folder: not read", name))
        return None
    if not path.is_file():
        if required:
            problems.items.append(worded("file is missing", name))
        return None
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            problems.items.append(
                worded("is larger than the limit of {limit} bytes", name, limit=Count(MAX_FILE_BYTES))
            )
            return None
        data = path.read_bytes()
    except OSError as error:
        problems.items.append(worded("cannot be read: {reason}", name, reason=error.strerror or type(error).__name__))
        return None
    try:
        return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")  # as universal newlines
    except UnicodeDecodeError as error:
        problems.items.append(_not_utf8(data, error, name))
        return None


def _not_utf8(data: bytes, error: UnicodeDecodeError, name: str) -> Problem:
    """The problem of a file in another encoding (Latin-1, Windows-1251, ...): its row, column and byte."""
    start = error.start
    row = data.count(b"\n", 0, start) + 1
    line_start = data.rfind(b"\n", 0, start) + 1
    column = None
    if name.lower().endswith(".csv") and row > 1:
        header = next(csv.reader([data[: data.find(b"\n")].decode("utf-8-sig", "replace")]), [])
        before = data[line_start:start].decode("utf-8", "replace")
        cells = len(next(csv.reader([before]), [""])) if before else 1
        column = header[cells - 1].strip() if 0 < cells <= len(header) else None
    return worded(NOT_UTF8, name, row, column, "encoding", byte=f"0x{data[start]:02X}", at=Count(start + 1))


def inside(path: Path, root: Path) -> bool:
    """True when `path`, with every link followed, stays inside `root` (also with its links followed)."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a link loop
        return False


def _csv_error(error: csv.Error) -> Phrase:
    if "field larger than field limit" in str(error):
        return Phrase(*LONG_CELL, n=Count(MAX_CELL))
    return Phrase("is not valid CSV: {reason}", reason=str(error))


LONG_CELL = (
    "a cell is longer than the limit of {n} character",
    "a cell is longer than the limit of {n} characters",
)
