"""The NIST export written from columns (`saylau.reports.nist_columns`) is the definition's file
(`saylau.reports.nist`), byte for byte: on the Almaty folder, on synthetic counts read through the column
reader (complete, partial, with protocols left out, options nobody wrote), and line by line where a format
cannot stand in for the definition.
"""

from __future__ import annotations

import io
import json
import random
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np
import pytest

from saylau.io import load_election
from saylau.io.count import OBJECT_COUNT, count_folder
from saylau.io.writer import write_election
from saylau.reports import nist_columns
from saylau.reports.nist import StationCount, election_report, encoder, report_of, stream, write_nist
from saylau.reports.nist_columns import ColumnExport, Format, Joined, export_of
from saylau.result import Result, declare
from saylau.synth import synthesize
from saylau.tabulation import Protocol
from saylau.tabulation.fast import AcceptedRows, ProtocolTable, StationRows

ROOT = Path(__file__).resolve().parents[2]
ALMATY = ROOT / "examples" / "almaty-2023"
WHEN = datetime(2023, 3, 20, 12, 0, tzinfo=UTC)
SCHEMA = ROOT / "src/saylau/reports/schemas/NIST_V2_election_results_reporting.json"


def _counted(folder: Path) -> tuple[Result, StationCount]:
    kept: list[Any] = []
    result = declare(load_election(folder, kept=kept))
    stations, tabulation = kept[0] if kept else count_folder(folder, result.election) or ([], None)
    assert tabulation is not None
    return result, StationCount(stations, tabulation.accepted)


def _definition(result: Result, count: StationCount) -> str:
    out = io.StringIO()
    write_nist(out, result, generated=WHEN, count=count)
    return out.getvalue()


def _from_columns(result: Result, count: StationCount, aligned: bool = False) -> str:
    """Through `ColumnExport` whatever the size of the count (the command picks it from COLUMN_ROWS); its
    chunks of lines packed as the definition writes them, or `aligned` as tables (the command's layout)."""
    accepted = count.accepted
    rows = Joined(accepted.tables() if isinstance(accepted, AcceptedRows) else [ProtocolTable.of(accepted)])
    out = io.StringIO()
    stream(out, report_of(lambda r, c: ColumnExport(r, c, rows), result, None, WHEN, "saylau", count), aligned=aligned)
    return out.getvalue()


def _tabled(aligned: str, reference: str) -> bool:
    """Whether `aligned` is `reference` with its chunks of lines laid out as tables: line for line the same,
    or the same JSON differing in spaces only (before a figure, before a string that holds one, before the
    separator)."""
    pairs = zip(aligned.split("\n"), reference.split("\n"), strict=True)
    return all(
        a == b or (a.replace(" ", "") == b.replace(" ", "") and json.loads(a.strip(", ")) == json.loads(b.strip(",")))
        for a, b in pairs
    )


def _synth(folder: Path, stations: int, keep: Callable[[int], bool] = lambda _: True, broken: int = 0) -> Path:
    """A synthetic folder with a polling day, its protocol rows where `keep` says, and the found ballots of
    `broken` rows made one more than the ballots counted (P001: left out of the count)."""
    write_election(folder, synthesize(seed=25, districts=4, stations=stations, parties=5))
    toml = folder / "election.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("\nname = ", "\ndate = 2024-03-10\nname = ", 1))
    path = folder / "protocols" / "all.csv"
    header, *rows = [line.split(",") for line in path.read_text(encoding="utf-8").splitlines()]
    found = header.index("found")
    for row in rows[5 : 5 + 97 * broken : 97]:
        row[found] = str(int(row[found]) + 1)
    kept = [row for i, row in enumerate(rows) if keep(i)]
    path.write_text("\n".join(",".join(row) for row in [header, *kept]) + "\n", encoding="utf-8")
    return folder


def test_almaty_from_columns_is_the_definitions_file() -> None:
    result, count = _counted(ALMATY)
    reference = _definition(result, count)
    assert '"gpu-station-' in reference and reference.count('"Type":"precinct"') == len(count.stations)
    assert _from_columns(result, count) == reference
    assert _from_columns(declare(load_election(ALMATY)), StationCount(count.stations, ())) == _definition(
        declare(load_election(ALMATY)), StationCount(count.stations, ())
    )


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A count the column reader reads (over OBJECT_COUNT bytes of protocols), with a few errors left out."""
    folder = _synth(tmp_path_factory.mktemp("nist") / "e", 8000, broken=6)
    assert (folder / "protocols" / "all.csv").stat().st_size > OBJECT_COUNT
    return folder


def test_a_count_through_the_column_reader_is_written_the_same(national: Path) -> None:
    result, count = _counted(national)
    assert isinstance(count.accepted, AcceptedRows)
    assert len(count.accepted) == 2 * 8000 - 6  # the broken rows are left out
    assert isinstance(count.stations, StationRows)  # the register kept as columns
    fast = io.StringIO()
    nist_columns.write_nist(fast, result, generated=WHEN, count=count)  # what the command calls
    assert count.stations._made is None  # written from the register's columns: no Station object made
    assert isinstance(export_of(result, count), ColumnExport)
    reference = _definition(result, count)
    assert fast.getvalue() != reference and _tabled(fast.getvalue(), reference)
    assert _from_columns(result, count) == reference
    assert _from_columns(result, count, aligned=True) == fast.getvalue()
    as_objects = StationCount(list(count.stations), count.accepted)  # a register given as a list of stations
    assert count.stations == as_objects.stations and len(count.stations) == 8000
    assert _from_columns(result, as_objects) == reference
    json.loads(reference)


def test_the_layout_is_the_same_document_with_each_long_list_item_compact_on_a_line(national: Path) -> None:
    """The outline indented as `json.dumps(indent=2)` indents it; each item of a long list (a unit, a count, a
    ballot count) on a line of its own, compact and unindented: the definition's document (`election_report`,
    made whole), valid against NIST's schema, one line per station item."""
    result, count = _counted(national)
    text = _from_columns(result, count)
    whole = election_report(result, generated=WHEN, count=count)
    assert json.loads(text) == whole
    lines = text.splitlines()
    assert lines[:3] == ["{", '  "@type": "ElectionResults.ElectionReport",', '  "Format": "precinct-level",']
    items = [line.removesuffix(",") for line in lines if line.startswith("{") and len(line) > 1]
    read = [json.loads(item) for item in items]
    assert all(encoder()(item) == line for item, line in zip(read, items, strict=True))  # no space after , or :
    tables = io.StringIO()
    nist_columns.write_nist(tables, result, generated=WHEN, count=count)  # the command's: chunks as tables
    assert json.loads(tables.getvalue()) == whole and _tabled(tables.getvalue(), text)
    rows = [line for line in tables.getvalue().splitlines() if line.startswith('{"@type":"ElectionResults.VoteCounts')]
    assert len({len(line) for line in rows if '"gpu-station-' in line}) < len(rows) / 1000  # a width a chunk
    election = whole["Election"][0]
    counts = [c for contest in election["Contest"] for s in contest["ContestSelection"] for c in s["VoteCounts"]]
    of_stations = [*whole["GpUnit"], *election["BallotCounts"], *counts]
    expected = sum(item.get("@id", item.get("GpUnitId")).startswith("gpu-station-") for item in of_stations)
    assert sum(item.get("@id", item.get("GpUnitId", "")).startswith("gpu-station-") for item in read) == expected
    assert expected > 8000 * 3
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    assert [error.message for error in validator.iter_errors(json.loads(text))] == []


def test_a_partial_count_is_written_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Stations with one ballot's protocol, with none, whole districts not yet in: statuses, progress."""
    monkeypatch.setattr("saylau.io.count.OBJECT_COUNT", 0)  # through the column reader, however small
    chance = random.Random(3)
    folder = _synth(tmp_path / "e", 2000, keep=lambda i: chance.random() < 0.6 and not 1000 <= i < 1900)
    result, count = _counted(folder)
    assert isinstance(count.accepted, AcceptedRows)
    reference = _definition(result, count)
    for status in ('"Status":"in-process"', '"Status":"not-processed"', '"Status":"completed"'):
        assert status in reference
    assert _from_columns(result, count) == reference


def test_an_option_nobody_wrote_and_protocols_as_objects(tmp_path: Path) -> None:
    """A party column left empty everywhere (the reader drops it): zeros, as the definition writes them; the
    count as `Protocol` objects (a service's) gives the same file from columns."""
    folder = _synth(tmp_path / "e", 300)
    path = folder / "protocols" / "all.csv"
    header, *rows = [line.split(",") for line in path.read_text(encoding="utf-8").splitlines()]
    column = header.index("vote:Party 5")
    path.write_text("\n".join(",".join([*r[:column], "", *r[column + 1 :]]) for r in [header, *rows]) + "\n")
    result, count = _counted(folder)
    assert not isinstance(count.accepted, AcceptedRows)
    assert not any("Party 5" in p.votes for p in count.accepted)
    assert _from_columns(result, count) == _definition(result, count)


def test_protocol_tables_give_back_the_protocols(national: Path) -> None:
    _, count = _counted(national)
    assert isinstance(count.accepted, AcceptedRows)
    objects = list(count.accepted)
    assert count.accepted == objects and len(count.accepted) == len(objects)
    assert ProtocolTable.of(objects).protocols() == objects
    halves = [ProtocolTable.of(objects[:100]), ProtocolTable.of(objects[100:])]
    assert ProtocolTable.joined(halves).protocols() == objects
    mixed = AcceptedRows([ProtocolTable.of(objects[:5]), objects[5], ProtocolTable.of(objects[6:9])])
    assert list(mixed) == objects[:9] and len(mixed.tables()) == 3
    assert ProtocolTable.joined(mixed.tables()).protocols() == objects[:9]


def test_tables_with_columns_of_their_own_are_written_the_same(national: Path) -> None:
    """A national file is read in blocks, each holding only the `vote:` columns its rows wrote (a district's
    candidates); cut into tables of 997 rows and a few loose objects, the count is written the same."""
    result, count = _counted(national)
    objects = list(count.accepted)
    pieces: list[ProtocolTable | Protocol] = [ProtocolTable.of(objects[i : i + 997]) for i in range(0, 9970, 997)]
    pieces += objects[9970:9975]
    pieces += [ProtocolTable.of(objects[9975:])]
    accepted = AcceptedRows(pieces)
    assert {len(t.options) for t in accepted.tables()} != {len(accepted.tables()[0].options)}
    assert accepted == objects
    assert _from_columns(result, StationCount(count.stations, accepted)) == _definition(result, count)


def test_a_format_that_cannot_stand_in_writes_each_line_by_the_definition() -> None:
    def grouped(n: int, s: int) -> dict[str, Any]:  # a figure written with thousands separators
        return {"Count": f"{n:,}", "GpUnitId": f"gpu-station-{s}"}

    def plain(n: int, s: int) -> dict[str, Any]:
        return {"Count": n, "GpUnitId": f"gpu-station-{s}", "Note": "100%"}

    for make in (grouped, plain):
        columns = [[0, 7, 1_234_567], [1, 22, 303]]
        expected = [encoder()(make(n, s)) for n, s in zip(*columns, strict=True)]
        assert Format(make, 2).fill(columns) == expected
    assert Format(grouped, 2).text is None and Format(plain, 2).text is not None
    assert Format(grouped, 2).pieces is None and Format(plain, 2).pieces is not None

    def station_first(n: int, s: int) -> dict[str, Any]:
        return {"GpUnitId": f"gpu-station-{s}", "Count": n, "Name": f"№ {s} сайлау учаскесі"}

    # numbers of every width (0, one digit, 19 digits), negative figures (written by `fill`), NUL-free pieces
    wide = [[0, 9, 10, 99, 100, 1_234_567, 2**63 - 1, 5], [1, 22, 303, 4_000, 0, 7, 10**18, 999_999]]
    for make in (grouped, plain, station_first):
        for columns in (wide, [[3, -4, 0], [1, 2, -30]], [[], []]):
            form = Format(make, 2)
            expected = [encoder()(make(n, s)) for n, s in zip(*columns, strict=True)]
            arrays = [np.array(c, np.int64) for c in columns]
            assert str(form.block(arrays).join(b",\n    "), "utf-8") == ",\n    ".join(expected)
            assert form.block(arrays).lines == expected
            table = str(form.block(arrays).join(b",\n", True), "utf-8")  # as a table: the same items
            assert _tabled(table, ",\n".join(expected))
    assert Format(station_first, 2).moving == [b'"gpu-station-', b"", '"№ '.encode()]  # a string's opening
    assert Format(grouped, 2).moving is None  # no pieces: written by the definition

    def twice(n: int, s: int) -> dict[str, Any]:  # two figures in one string: not as a table
        return {"Count": n, "GpUnitId": f"gpu-station-{s}-{n}"}

    assert Format(twice, 2).pieces is not None and Format(twice, 2).moving is None
    arrays = [np.array(c, np.int64) for c in wide]
    expected = [encoder()(twice(n, s)) for n, s in zip(*wide, strict=True)]
    assert str(Format(twice, 2).block(arrays).join(b",\n", True), "utf-8") == ",\n".join(expected)


def test_lines_of_several_formats_are_packed_in_row_order() -> None:
    """A chunk of stations holds units of three kinds (no protocol, one, both), each painted into its rows."""

    def none(s: int, r: int) -> dict[str, Any]:
        return {"@id": f"gpu-station-{s}", "VotersRegistered": r, "Name": f"Избирательный участок № {s}"}

    def some(s: int, r: int, f: int) -> dict[str, Any]:
        return {"@id": f"gpu-station-{s}", "VotersRegistered": r, "VotersParticipated": f, "Number": str(s)}

    kinds = np.array([1, 0, 1, 1, 0, 0, 1, 0])
    numbers, registered = np.arange(1, 9, dtype=np.int64) * 97, np.arange(8, dtype=np.int64) * 1001
    found = registered // 3
    first, second = np.flatnonzero(kinds == 0), np.flatnonzero(kinds == 1)
    painted = [
        (Format(none, 2), first, [numbers[first], registered[first]]),
        (Format(some, 3), second, [numbers[second], registered[second], found[second]]),
    ]
    expected = [
        encoder()(some(s, r, f) if k else none(s, r))
        for k, s, r, f in zip(kinds, numbers.tolist(), registered.tolist(), found.tolist(), strict=True)
    ]
    assert str(nist_columns._block(painted, 8, b",\n"), "utf-8") == ",\n".join(expected)
    table = str(nist_columns._block(painted, 8, b",\n", True), "utf-8")
    assert _tabled(table, ",\n".join(expected))
    assert len({len(line.encode()) for line in table.split("\n")[:-1]}) == 1  # one width: a table


def test_figures_of_many_widths_in_no_order_and_tables_held_by_the_writer() -> None:
    """A chunk whose station numbers change width from row to row (no runs to paint as one) is still the
    definition's items; a table's memory is used again only once nothing refers to it."""

    def unit(s: int, r: int) -> dict[str, Any]:
        return {"@id": f"gpu-station-{s}", "VotersRegistered": r, "Name": f"№ {s} сайлау учаскесі"}

    numbers = np.array([7, 12_345, 99, 1_000_000, 5, 10, 314, 2**40] * 9, np.int64)
    registered = np.arange(numbers.size, dtype=np.int64) * 37
    expected = [encoder()(unit(s, r)) for s, r in zip(numbers.tolist(), registered.tolist(), strict=True)]
    table = Format(unit, 2).block([numbers, registered]).join(b",\n", True)
    assert _tabled(str(table, "utf-8"), ",\n".join(expected))
    tables = nist_columns._Tables()
    first = tables.take(4, 8)
    held = nist_columns._table(first, b",\n")
    del first
    assert tables.take(4, 8).base is not tables.kept[0]  # the first is still held by what the writer got
    del held
    assert tables.take(4, 8).base is tables.kept[0] and len(tables.kept) == 2


def test_small_counts_and_duplicates_keep_the_definition(national: Path) -> None:
    result, count = _counted(ALMATY)
    assert type(export_of(result, count)).__name__ == "Export"
    result, count = _counted(national)
    twice: list[Protocol] = [*count.accepted, next(iter(count.accepted))]
    assert type(export_of(result, StationCount(count.stations, twice))).__name__ == "Export"


def test_counts_wider_than_the_ballots_found_are_painted_anew(national: Path) -> None:
    """A contest's stations are painted once with room for a count as wide as the ballots found; a count
    wider than that (or the next option's, narrower) is still written as the format writes it."""
    result, count = _counted(national)
    export = export_of(result, count)
    assert isinstance(export, ColumnExport)
    units = export.units_for("list", None)
    assert isinstance(units, nist_columns.ColumnUnits)
    stations = units.stations[: nist_columns._LINES]
    n, form = stations.size, export.format("count")
    for values in (np.arange(n, dtype=np.int64), np.full(n, 10**12, np.int64), np.zeros(n, np.int64)):
        expected = ",\n  ".join(form.fill([values.tolist(), stations.tolist()]))
        assert str(units.count_lines(0, values, b",\n  "), "utf-8") == expected
    assert units.bases[0].width == 13  # made anew for the count of 13 digits, and kept
    for values in (np.arange(n, dtype=np.int64), np.full(n, 10**12, np.int64), np.zeros(n, np.int64)):
        expected = ",\n".join(form.fill([values.tolist(), stations.tolist()]))
        assert _tabled(str(units.count_lines(0, values, b",\n", True), "utf-8"), expected)  # as a table
    assert units.bases[0].aligned and units.bases[0].width == 13


def test_a_file_gets_the_same_bytes_and_a_refused_write_is_raised(national: Path, tmp_path: Path) -> None:
    """A UTF-8 file gets the stations' bytes as they are, written by a thread of their own; a file that
    refuses a write (a full disk) raises its error in the caller."""
    result, count = _counted(national)
    reference = _definition(result, count)
    path = tmp_path / "report.json"
    with path.open("w", encoding="utf-8") as out:
        nist_columns.write_nist(out, result, generated=WHEN, count=count)
    assert path.read_bytes() == _from_columns(result, count, aligned=True).encode()
    assert _tabled(path.read_text(encoding="utf-8"), reference)

    class Full(io.RawIOBase):
        def writable(self) -> bool:
            return True

        def write(self, data: Any) -> int:
            raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        nist_columns.write_nist(io.TextIOWrapper(io.BufferedWriter(Full()), encoding="utf-8"), result, count=count)
