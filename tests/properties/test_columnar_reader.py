"""The column reader (pyarrow CSV blocks, checked and summed by numpy) finds and counts exactly what the
object path (`read_protocols`, `check`, `tabulate`) does, on generated CSV and JSON files that carry every
kind of error the checks name: P001-P009 and W001-W005, unreadable cells and rows (the reader's problems),
numbers beyond int64, blank lines, quoted line breaks, a missing column."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import EXAMPLES

from saylau.io import columnar, load_election
from saylau.io.columnar import count_protocols
from saylau.io.protocols import read_protocols
from saylau.reports.checks import describe
from saylau.tabulation import FIGURES, check, tabulate

BASE = EXAMPLES / "almaty-2023"
ELECTION = load_election(BASE, follow_previous=False, count_protocols=False)
PARTIES = [p.short_name for p in ELECTION.parties]
CANDIDATES = {d.number: [c.name for c in d.candidates] for d in ELECTION.districts}
STATIONS = [
    (int(line.split(",")[0]), int(line.split(",")[1])) for line in (BASE / "stations.csv").read_text().split()[1:]
]
OPTIONS = [*PARTIES, *CANDIDATES[1], *CANDIDATES[2], "Nobody"]

# cell spoilers: what a clerk may write instead of a clean number
SPOILED = st.sampled_from(
    ["", "12a", "1 200", "1,200", "-3", "NA", str(2**50), str(2**70), " 7", "0x1", str(3 * 10**9), str(-(2**31) - 1)]
)


@st.composite
def protocol(draw: st.DrawFn) -> dict[str, object]:
    """One protocol row, consistent unless the draw spoils it."""
    station, district = draw(st.sampled_from([*STATIONS, (99999, 1)]))
    if draw(st.booleans()) and draw(st.booleans()):
        district = draw(st.sampled_from([1, 2, 3, 77]))  # P005 / P009
    ballot = draw(st.sampled_from(["list", "district", " List ", "DISTRICT"]))
    options = PARTIES if ballot.strip().lower() == "list" else CANDIDATES.get(district, ["Nobody"])
    votes = {o: draw(st.integers(0, 400)) for o in options}
    if draw(st.integers(0, 9)) == 0:
        votes[draw(st.sampled_from(OPTIONS))] = draw(st.integers(0, 50))  # P004 or a harmless repeat
    registered = draw(st.integers(1, 3000))
    found = sum(votes.values()) + 30
    row: dict[str, object] = {
        "station": station,
        "district": district,
        "ballot": ballot,
        "registered": registered,
        "received": registered * 101 // 100,
        "issued": found,
        "issued_absentee": 2,
        "issued_outside": 3,
        "cancelled": registered * 101 // 100 - found,
        "found": found,
        "invalid": 10,
        "against_all": 20,
        "votes": votes,
    }
    for _ in range(draw(st.integers(0, 2))):  # P001-P003, P006, P008, W001-W004 all follow from a bent number
        name = draw(st.sampled_from(list(FIGURES)))
        row[name] = draw(st.one_of(st.integers(-5, 5000), SPOILED))
    if draw(st.integers(0, 19)) == 0:
        row["station"] = draw(st.sampled_from(["", "x", "0"]))  # an unidentifiable row: a reader's problem
    return row


def csv_text(rows: list[dict[str, object]], *, blank: bool, quoted: bool, drop: str | None, source: str = "x") -> str:
    columns = ["station", "district", "ballot", *FIGURES, "source"]
    columns = [c for c in columns if c != drop]
    header = columns + [f"vote:{o}" for o in OPTIONS]
    lines = [",".join(header)]
    for row in rows:
        votes = row["votes"]
        assert isinstance(votes, dict)
        cells = [str(row.get(c, "")) if c != "source" else ('"a\nb"' if quoted else source) for c in columns]
        cells += [str(votes[o]) if o in votes else "" for o in OPTIONS]
        lines.append(",".join(f'"{c}"' if "," in c and c not in ('"a\nb"', source) else c for c in cells))
        if blank:
            lines.append("")
    return "\n".join(lines) + "\n"


def json_text(rows: list[dict[str, object]]) -> str:
    def value(v: object) -> object:
        return v if not isinstance(v, str) or not v.strip().lstrip("-").isdigit() else int(v)

    return json.dumps([{k: (value(v) if k != "votes" else v) for k, v in row.items()} for row in rows])


def election_of(folder: Path, texts: dict[str, str]) -> Path:
    """The Almaty example's election in `folder` with these protocol files (name: text, written as UTF-8)."""
    shutil.copytree(BASE, folder, ignore=shutil.ignore_patterns("protocols"))
    (folder / "protocols").mkdir()
    for name, text in texts.items():
        (folder / "protocols" / name).write_bytes(text.encode())
    return folder


@settings(
    max_examples=int(os.environ.get("SAYLAU_COLUMNAR_EXAMPLES", "80")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    files=st.lists(st.lists(protocol(), min_size=0, max_size=12), min_size=1, max_size=3),
    kinds=st.lists(st.sampled_from(["csv", "json"]), min_size=3, max_size=3),
    repeat=st.integers(0, 3),
    quirks=st.tuples(st.booleans(), st.booleans(), st.sampled_from([None, None, None, "cancelled"])),
    arrow=st.booleans(),
    layout=st.tuples(st.sampled_from([None, 1, 90, 700]), st.sampled_from(["\n", "\r\n"]), st.booleans()),
    source=st.sampled_from(["x", '"a, b"', "Алматы"]),
)
def test_the_column_reader_finds_and_counts_what_the_object_path_does(
    files: list[list[dict[str, object]]],
    kinds: list[str],
    repeat: int,
    quirks: tuple[bool, bool, str | None],
    arrow: bool,
    layout: tuple[int | None, str, bool],
    source: str,
) -> None:
    """`arrow`: every file through pyarrow's reader (as large files go), else through the csv module;
    `layout`: the bytes a piece read on its own thread holds (None: the default, larger than the file), the
    line break, and whether the file begins with a byte order mark; `source`: a cell the counts never read,
    quoted or not ASCII."""
    blank, quoted, drop = quirks
    piece, newline, bom = layout
    seen: set[tuple[object, str]] = set()
    for rows in files:  # one protocol per station and ballot, unless `repeat` asks for a second one
        rows[:] = [
            r for r in rows if not ((key := (r["station"], str(r["ballot"]).strip().lower())) in seen or seen.add(key))
        ]
    if repeat == 1 and files[0]:  # an identical duplicate (W005); 2: a differing one (P007)
        files[-1].append(dict(files[0][0]))
    elif repeat == 2 and files[0]:
        files[-1].append({**files[0][0], "invalid": 11})
    texts = {}
    for k, rows in enumerate(files):
        if kinds[k] == "json":
            texts[f"f{k}.json"] = json_text(rows)
        else:
            text = csv_text(
                rows, blank=blank and k == 0, quoted=quoted and k == 1, drop=drop if k == 2 else None, source=source
            )
            texts[f"f{k}.csv"] = ("\ufeff" if bom else "") + text.replace("\n", newline)
    with tempfile.TemporaryDirectory() as tmp:
        folder = election_of(Path(tmp) / "election", texts)
        with (
            mock.patch.object(columnar, "SMALL", 0 if arrow else columnar.SMALL),
            mock.patch.object(columnar, "_RANGE", piece or columnar._RANGE),
        ):
            columns = count_protocols([folder], ELECTION)
        objects = read_protocols([folder])
        assert columns.problems == objects.problems
        assert columns.protocols == len(objects.protocols)
        assert columns.findings == check(objects.protocols, ELECTION, objects.stations)
        counted = tabulate(objects.protocols, ELECTION, objects.stations or [])
        assert columns.list_tally(ELECTION) == counted.list_tally
        assert columns.list_by_district == dict(counted.list_by_district)
        assert columns.district_tallies == dict(counted.district_tallies)


def test_a_hexadecimal_cell_is_text_as_the_object_path_reads_it(tmp_path: Path) -> None:
    """pyarrow reads 0x1 as 1; Python's int, and so the object path, reads it as text (P006)."""
    folder = tmp_path / "election"
    shutil.copytree(BASE, folder, ignore=shutil.ignore_patterns("protocols"))
    (folder / "protocols").mkdir()
    row = {"station": 101, "district": 1, "ballot": "list", "registered": "0x1", "votes": {PARTIES[0]: 1}}
    (folder / "protocols" / "f.csv").write_text(csv_text([row], blank=False, quoted=False, drop=None))
    with mock.patch.object(columnar, "SMALL", 0):
        columns = count_protocols([folder], ELECTION)
    objects = read_protocols([folder])
    assert any(f.code == "P006" and "'0x1' is not a whole number" in describe(f) for f in columns.findings)
    assert columns.findings == check(objects.protocols, ELECTION, objects.stations)


def clean(station: int, district: int, ballot: str, votes: dict[str, int]) -> dict[str, object]:
    """A protocol that breaks no check."""
    found = sum(votes.values()) + 30
    return {
        "station": station,
        "district": district,
        "ballot": ballot,
        "registered": 3000,
        "received": 3030,
        "issued": found,
        "issued_absentee": 2,
        "issued_outside": 3,
        "cancelled": 3030 - found,
        "found": found,
        "invalid": 10,
        "against_all": 20,
        "votes": votes,
    }


CLEAN = [clean(s, d, "list", {p: 10 * k + s % 7 for k, p in enumerate(PARTIES)}) for s, d in STATIONS[:6]] + [
    clean(s, d, "district", {c: 40 + k for k, c in enumerate(CANDIDATES[d])})
    for s, d in STATIONS[:6]
    if d in CANDIDATES
]


def counted_like_objects(folder: Path, *, piece: int, columns_read: bool) -> None:
    """Through pyarrow in pieces of `piece` bytes, the count equals the object path's; `columns_read`: and
    the column reader took every file (the object path was not asked)."""
    objects = read_protocols([folder])
    refuse = mock.patch.object(columnar, "read_protocol_file", side_effect=AssertionError("object path"))
    with (
        mock.patch.object(columnar, "SMALL", 0),
        mock.patch.object(columnar, "_RANGE", piece),
        refuse if columns_read else mock.patch.object(columnar, "_THREADS", columnar._THREADS),
    ):
        columns = count_protocols([folder], ELECTION)
    assert columns.problems == objects.problems
    assert columns.protocols == len(objects.protocols)
    assert columns.findings == check(objects.protocols, ELECTION, objects.stations)
    counted = tabulate(objects.protocols, ELECTION, objects.stations or [])
    assert columns.list_by_district == dict(counted.list_by_district)
    assert columns.district_tallies == dict(counted.district_tallies)


def election_with(tmp_path: Path, text: str) -> Path:
    return election_of(tmp_path / "election", {"f.csv": text})


def test_pieces_read_on_threads_count_and_number_rows_as_one_stream(tmp_path: Path) -> None:
    """Every line a piece of its own, a piece larger than the file, and pieces across CRLF line breaks
    after a byte order mark: the same findings (with their row numbers) and sums."""
    rows = [*CLEAN, {**CLEAN[0], "station": STATIONS[7][0], "district": STATIONS[7][1], "invalid": 11}]
    rows.append({**CLEAN[1], "station": STATIONS[8][0], "district": STATIONS[8][1], "found": -1})
    text = csv_text(rows, blank=False, quoted=False, drop=None)
    for piece in (1, 150, 1 << 24):
        counted_like_objects(election_with(tmp_path / f"lf{piece}", text), piece=piece, columns_read=True)
        crlf = "\ufeff" + text.replace("\n", "\r\n")
        counted_like_objects(election_with(tmp_path / f"crlf{piece}", crlf), piece=piece, columns_read=True)


def test_a_number_beyond_32_bits_is_read_again_in_64(tmp_path: Path) -> None:
    """3,000,000,000 ballots is a finding (P001 and more), not a reason to leave the column reader."""
    rows = [*CLEAN, {**CLEAN[0], "station": STATIONS[7][0], "district": STATIONS[7][1], "found": 3 * 10**9}]
    folder = election_with(tmp_path, csv_text(rows, blank=False, quoted=False, drop=None))
    counted_like_objects(folder, piece=200, columns_read=True)


def test_a_quoted_cell_is_read_in_one_stream(tmp_path: Path) -> None:
    """A quote character sends the file to the one-stream reader, which knows where a quoted cell ends."""
    text = csv_text(CLEAN, blank=False, quoted=False, drop=None, source='"Almaty, city"')
    counted_like_objects(election_with(tmp_path, text), piece=100, columns_read=True)


def test_a_quoted_line_break_at_a_cut_is_one_record_as_csv_reads_it(tmp_path: Path) -> None:
    """`n,…,"x` then `y",…,t`: two rows that each parse alone in a piece of their own (a text column first
    and last), but one record of too many cells to the csv module: not two protocols."""
    header, first, second = csv_text(CLEAN[:2], blank=False, quoted=False, drop=None).splitlines()
    text = f'note,{header},tail\nn,{first},"x\ny",{second},t\n'
    folder = election_with(tmp_path, text)
    counted_like_objects(folder, piece=len(header) + len(first) + 10, columns_read=False)
    assert read_protocols([folder]).problems


def test_a_byte_order_mark_inside_the_file_is_text_as_the_object_path_reads_it(tmp_path: Path) -> None:
    """pyarrow skips a byte order mark where its input begins: a piece must not begin there."""
    lines = csv_text(CLEAN, blank=False, quoted=False, drop=None).splitlines(keepends=True)
    lines[3] = "\ufeff" + lines[3]
    folder = election_with(tmp_path, "".join(lines))
    counted_like_objects(folder, piece=1, columns_read=False)


def test_a_line_as_long_as_a_cell_may_be_is_read_by_the_object_path(tmp_path: Path) -> None:
    """The column reader takes lines shorter than MAX_CELL bytes, in every piece; a longer one, the object
    path (which says which cell is too long, if one is)."""
    text = csv_text(CLEAN, blank=False, quoted=False, drop=None)
    longest = max(len(line.encode()) for line in text.splitlines())  # bytes: the names are Kazakh
    folder = election_with(tmp_path, text)
    with mock.patch.object(columnar, "MAX_CELL", longest + 1):
        counted_like_objects(folder, piece=1, columns_read=True)
        counted_like_objects(folder, piece=1 << 24, columns_read=True)
    with mock.patch.object(columnar, "MAX_CELL", longest):
        counted_like_objects(folder, piece=1, columns_read=False)
        with pytest.raises(columnar._NotPlain):
            columnar._records(folder / "protocols" / "f.csv")


def test_a_vote_off_the_ballot_is_found_in_a_column_the_piece_did_not_expect(tmp_path: Path) -> None:
    """A piece is first read with only the `vote:` columns its rows' ballots hold; a vote anywhere else (a
    candidate of another district, a candidate on the list ballot) is still read and found (P004)."""
    (s1, d1), (s2, d2) = STATIONS[7], STATIONS[8]
    other = next(c for d, names in CANDIDATES.items() if d != d1 for c in names)
    rows = [*CLEAN, clean(s1, d1, "district", {CANDIDATES[d1][0]: 40, other: 3})]
    rows.append(clean(s2, d2, "list", {PARTIES[0]: 40, CANDIDATES[d2][0]: 2}))
    folder = election_with(tmp_path, csv_text(rows, blank=False, quoted=False, drop=None))
    for piece in (1, 1 << 24):
        counted_like_objects(folder, piece=piece, columns_read=True)
    found = count_protocols([folder], ELECTION).findings
    assert [(f.code, f.row) for f in found if f.code == "P004"] == [("P004", len(CLEAN) + 2), ("P004", len(CLEAN) + 3)]


def test_a_clean_piece_is_read_with_the_vote_columns_of_its_ballots_only(tmp_path: Path) -> None:
    """The two narrow reads agree with the piece's bytes (CRLF too), so no third read with every column."""
    text = csv_text(CLEAN, blank=False, quoted=False, drop=None)
    folder = election_with(tmp_path, text.replace("\n", "\r\n"))
    reads: list[list[str]] = []
    parsed = columnar._parsed

    def counted(data: bytes, header: list[str], first: bool, convert: Any) -> Any:
        table = parsed(data, header, first, convert)
        reads.append(table.column_names)
        return table

    with mock.patch.object(columnar, "_parsed", counted):
        counted_like_objects(folder, piece=1 << 24, columns_read=True)
    votes = [[name for name in names if name.startswith("vote:")] for names in reads]
    assert len(reads) == 2 and not votes[0]
    districts = {d for _, d in STATIONS[:6]}
    assert sorted(votes[1]) == sorted(f"vote:{o}" for o in [*PARTIES, *(c for d in districts for c in CANDIDATES[d])])
