"""The NIST XML writers: `render_nist_xml` (each kind of element planned once, the publisher's) writes
`reference_nist_xml`'s bytes (element by element, the definition), on Almaty with its polling stations, on
text that must be escaped, on values of every kind the report holds, and refuses what the definition refuses;
its document is valid against NIST's official XML schema.
"""

from __future__ import annotations

import copy
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import xmlschema

from saylau.io import load_election
from saylau.io.count import count_folder
from saylau.reports import nist_columns, nist_xml
from saylau.reports.nist import StationCount, election_report
from saylau.reports.nist_xml import SCHEMA_FILE, reference_nist_xml, render_nist_xml, write_nist_xml
from saylau.result import declare

ROOT = Path(__file__).resolve().parents[2]
WHEN = datetime(2023, 3, 20, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def almaty() -> dict[str, Any]:
    folder = ROOT / "examples" / "almaty-2023"
    result = declare(load_election(folder))
    counted = count_folder(folder, result.election)
    assert counted is not None
    return election_report(result, generated=WHEN, count=StationCount(counted[0], counted[1].accepted))


def test_almaty_with_its_stations_is_written_the_same(almaty: dict[str, Any]) -> None:
    written = render_nist_xml(almaty)
    assert written == reference_nist_xml(almaty)
    assert written.count(b"<GpUnit ") > 500  # the city, its districts and every polling station


def test_the_summary_is_valid_against_the_official_schema() -> None:
    """(The publisher's tests validate the document with its stations, which the publisher writes by
    `render_nist_xml`.)"""
    report = election_report(declare(load_election(ROOT / "examples" / "almaty-2023")), generated=WHEN)
    written = render_nist_xml(report)
    assert written == reference_nist_xml(report)
    schema = xmlschema.XMLSchema(str(ROOT / "src/saylau/reports/schemas" / SCHEMA_FILE))
    assert [str(e).splitlines()[0] for e in schema.iter_errors(written.decode())] == []


def test_text_that_must_be_escaped_and_values_of_every_kind(almaty: dict[str, Any]) -> None:
    report = copy.deepcopy(almaty)
    election = report["Election"][0]
    election["Name"]["Text"][0]["Content"] = "A <b> & \"c\" 'd' Ақ жол"
    election["Name"]["Text"][0]["Language"] = 'k"k<&>'
    report["Notes"] = "1 < 2 & 3 > 2"
    report["Party"][0]["Abbreviation"]["Text"].append(
        {"@type": "ElectionResults.LanguageString", "Content": "", "Language": "ru"}
    )
    report["Office"][1]["IsPartisan"] = False
    report["Party"][0]["PartyScopeGpUnitIds"] = ["gpu-city", "gpu-<&>"]
    report["Election"][0]["Contest"][0]["ContestSelection"][0]["SequenceOrder"] = True
    written = render_nist_xml(report)
    assert written == reference_nist_xml(report)
    for expected in ("A &lt;b&gt; &amp; \"c\" 'd' Ақ жол", 'Language="k&quot;k&lt;&amp;&gt;"', "1 &lt; 2 &amp; 3"):
        assert expected.encode() in written
    assert b"<IsPartisan>false</IsPartisan>" in written and b"gpu-city gpu-&lt;&amp;&gt;" in written


def test_an_element_the_schema_lacks_is_refused_by_both(almaty: dict[str, Any]) -> None:
    report = copy.deepcopy(almaty)
    report["Party"][1]["Frobnication"] = "no such element"
    for writer in (reference_nist_xml, render_nist_xml):
        with pytest.raises(ValueError, match="Party has no element 'Frobnication'"):
            writer(report)


@pytest.mark.parametrize("columns", [True, False])
def test_the_xml_written_as_a_stream_is_the_whole_reports(
    almaty: dict[str, Any], columns: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`write_nist_xml` of the report made as it is written (its stations' lines from columns, or by the
    definition) is `render_nist_xml` of the report built whole, in pieces of at most PENDING texts."""
    folder = ROOT / "examples" / "almaty-2023"
    result = declare(load_election(folder))
    counted = count_folder(folder, result.election)
    assert counted is not None
    count = StationCount(counted[0], counted[1].accepted)
    monkeypatch.setattr(nist_columns, "COLUMN_ROWS", 1 if columns else 10**9)
    monkeypatch.setattr(nist_xml, "PENDING", 100)
    writes: list[int] = []
    out = io.BytesIO()
    real = out.write
    out.write = lambda data: writes.append(len(data)) or real(data)  # type: ignore[method-assign]
    write_nist_xml(out, nist_columns.lazy_report(result, generated=WHEN, count=count))
    assert out.getvalue() == render_nist_xml(almaty)
    assert len(writes) > 100 and max(writes) < len(out.getvalue()) / 50  # written piece by piece
