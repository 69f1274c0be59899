"""`read_table` splits records with `csv.reader` (one dict per record, built only from the cells), and gives
the same rows, row numbers and problems as the `csv.DictReader` loop it replaced: on generated tables with
short and long rows, blank lines, rows of spaces, quoted commas and line breaks, NUL bytes, a `source`
column taking extra cells back, and a file cut without its last line break."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saylau.io.table import Problems, Row, _cells, _csv_error, _header_ok, read_table, read_text

COLUMNS = ("station", "district")


def dict_reader_rows(folder: Path, name: str, columns: tuple[str, ...], problems: Problems) -> Iterator[Row]:
    """The loop `read_table` had before (issue 14), on csv.DictReader: the reference."""
    text = read_text(folder, name, problems)
    if text is None:
        return
    reader = csv.DictReader(io.StringIO(text))
    try:
        header = [h.strip() for h in reader.fieldnames or []]
    except csv.Error as error:
        problems.add(_csv_error(error), name, 1)
        return
    if not _header_ok(header, columns, name, problems):
        return
    reader.fieldnames = header
    cut_at = text.count("\n") + 1 if not text.endswith("\n") else len(text) + 2
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
        values = _cells(record, header, columns if number < cut_at else header, name, number, problems)
        if values is not None:
            yield Row(name, number, values, problems)


CELL = st.sampled_from(["", " ", "1", "22", "a b", '"x,y"', '"two\nlines"', "\x00", '"open', "3 "])
HEADER = st.sampled_from([["station", "district"], ["station", "district", "source"], ["district", "station", "x"]])


@st.composite
def table(draw: st.DrawFn) -> str:
    header = draw(HEADER)
    lines = [",".join(header)]
    for _ in range(draw(st.integers(0, 8))):
        if draw(st.integers(0, 5)) == 0:
            lines.append(draw(st.sampled_from(["", "  ", ",,", " , "])))
            continue
        width = len(header) + draw(st.sampled_from([0, 0, 0, -1, 1, 2]))
        lines.append(",".join(draw(CELL) for _ in range(max(width, 1))))
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\r\n"]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=table())
def test_read_table_reads_as_the_dict_reader_loop_did(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "t.csv").write_text(text, encoding="utf-8", newline="")
        ours, theirs = Problems(), Problems()
        rows = [(r.number, r.values) for r in read_table(folder, "t.csv", COLUMNS, ours)]
        reference = [(r.number, r.values) for r in dict_reader_rows(folder, "t.csv", COLUMNS, theirs)]
        assert rows == reference
        assert ours.items == theirs.items
