"""Scans and photos of paper protocols: uploaded by the station's commission, checked by their magic bytes,
limited in size, kept with their SHA-256 in the audit chain, served as nothing a browser runs; SQLite and
PostgreSQL. Role x action: the public, an observer, an administrator and an operator of another district or
commission cannot upload.

The files are made here: a minimal PNG (its signature and an IHDR chunk), a JPEG's first bytes, a PDF's
header; an SVG and an HTML page stand for what must never be kept.
"""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import xmlschema
from fastapi.testclient import TestClient

from saylau.service import audit
from saylau.service.scans import MAX_BYTES
from saylau.store import Database
from saylau.web import Settings
from tests.service.helpers import STATION_101_LIST, user
from tests.service.test_commissions import _member, tree_client  # noqa: F401  (the fixture)
from tests.service.test_election_day import day_folder  # noqa: F401  (the fixture)

UPLOAD = "/api/protocols/101/list/scans"


def png(width: int = 2, height: int = 2) -> bytes:
    """A valid PNG of a grey square (signature, IHDR, IDAT, IEND)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><script>alert(1)</script></html>"


def test_a_commission_uploads_a_scan_kept_with_its_sha256_in_the_audit_chain(
    client: TestClient, database_url: str
) -> None:
    operator = user(client, "op1", "operator", [1])
    body = png()
    made = client.post(UPLOAD, content=body, headers={**operator, "content-type": "image/svg+xml"})
    assert made.status_code == 201, made.text
    scan = made.json()
    assert scan["sha256"] == hashlib.sha256(body).hexdigest() and scan["media"] == "image/png"
    assert (scan["station"], scan["ballot"], scan["size"], scan["by"]) == (101, "list", len(body), "op1")

    read = client.get(scan["href"], headers=operator)
    assert read.status_code == 200 and read.content == body
    assert read.headers["content-type"] == "image/png", "the magic bytes' type, not the one the upload claimed"
    assert read.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in read.headers["content-security-policy"]
    pdf = client.post(UPLOAD, content=PDF, headers=operator).json()
    answer = client.get(pdf["href"], headers=operator)
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"].startswith("attachment")
    listed = client.get("/api/stations/101/scans", headers=operator).json()
    assert [s["sha256"] for s in listed] == [scan["sha256"], pdf["sha256"]]

    database: Database = client.app.state.database  # type: ignore[attr-defined]
    with database.unit_of_work() as connection:
        assert audit.verify(connection).intact
        rows = [r for r in audit.rows(connection, limit=1000) if r.action == "scan"]
    assert {(r.after or {})["sha256"] for r in rows} == {scan["sha256"], pdf["sha256"]}
    assert {r.subject for r in rows} == {"station 101 list"}


@pytest.mark.parametrize(
    ("body", "code"),
    [(SVG, "scan-type"), (HTML, "scan-type"), (b"GIF89a" + b"\x00" * 20, "scan-type"), (b"", "scan-empty")],
)
def test_what_is_not_a_jpeg_png_or_pdf_is_refused_and_nothing_kept(client: TestClient, body: bytes, code: str) -> None:
    operator = user(client, "op1", "operator", [1])
    refused = client.post(UPLOAD, content=body, headers={**operator, "content-type": "image/png"})
    assert refused.status_code == 422 and refused.json()["code"] == code, refused.text
    assert client.get("/api/stations/101/scans", headers=operator).json() == []


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_scan_too_large_is_refused(client: TestClient) -> None:
    operator = user(client, "op1", "operator", [1])
    big = b"\xff\xd8\xff\xe0" + b"\x00" * MAX_BYTES
    refused = client.post(UPLOAD, content=big, headers=operator)
    assert refused.status_code in (413, 422) and refused.json()["code"] in ("too-large", "scan-too-large")
    assert client.get("/api/stations/101/scans", headers=operator).json() == []
    ordinary = client.post("/api/protocols/101/list/entries", content=b"x" * (2 * 1024 * 1024), headers=operator)
    assert ordinary.status_code == 413, "other bodies keep their limit"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_who_may_upload(client: TestClient) -> None:
    """Role x action: an operator or coordinator of the station's district may; the public, an observer, an
    administrator, an operator of another district may not."""
    table: list[tuple[dict[str, str], int]] = [
        (user(client, "watcher", "observer"), 403),
        (user(client, "boss", "administrator"), 403),
        (user(client, "op2", "operator", [2]), 403),
        (user(client, "op1", "operator", [1]), 201),
        (user(client, "co", "coordinator"), 201),
    ]
    for headers, status in table:
        answer = client.post(UPLOAD, content=png(), headers=headers)
        assert answer.status_code == status, (headers, answer.text)
    client.cookies.clear()  # the public: no session at all
    assert client.post(UPLOAD, content=png()).status_code == 401
    assert client.get("/api/scans/1").status_code == 401, "the public reads scans where they are published"
    assert len(client.get("/api/stations/101/scans", headers=user(client, "op3", "operator", [1])).json()) == 2


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_operator_of_another_commission_cannot_upload(tree_client: tuple[TestClient, Database]) -> None:  # noqa: F811
    client, _ = tree_client
    one, two = _member(client, "op-1", "operator", "dec-1"), _member(client, "op-2", "operator", "dec-2")
    own = client.post("/api/protocols/101/list/scans?contest=city", content=png(), headers=one)
    assert own.status_code == 201, own.text
    other = client.post("/api/protocols/101/list/scans?contest=city", content=png(), headers=two)
    assert other.status_code == 403 and other.json()["code"] == "commission"
    assert client.get("/api/scans/1", headers=two).status_code == 403
    page = client.get("/staff/station/101/scans?lang=en", headers=one)
    assert page.status_code == 200, page.text
    options = {
        v for v in ("city:list", "city:district", "majilis:list", "majilis:district") if f'value="{v}"' in page.text
    }
    assert options == {"city:list", "city:district", "majilis:list", "majilis:district"}, "every contest's protocols"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_staff_page_uploads_and_shows_a_scan(client: TestClient) -> None:
    user(client, "op1", "operator", [1])
    client.headers.clear()
    csrf = client.post("/api/login", json={"name": "op1", "password": "pw-op1-123"}).json()["csrf"]
    station = client.get("/staff/station/101?lang=ru")
    assert 'href="/staff/station/101/scans"' in station.text, "the station's page leads to its scans"
    page = client.get("/staff/station/101/scans?lang=ru")
    assert page.status_code == 200 and "Сканы бумажных протоколов" in page.text
    assert '<option value="election:district">Бюллетень по одномандатному округу</option>' in page.text
    body = png()
    done = client.post(
        "/staff/station/101/scans",
        data={"csrf": csrf, "protocol": "election:district"},
        files={"file": ("photo.png", body, "image/png")},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    shown = client.get("/staff/station/101/scans?lang=kk").text
    assert hashlib.sha256(body).hexdigest() in shown and 'src="/api/scans/1"' in shown
    forged = client.post(
        "/staff/station/101/scans", data={"protocol": "election:list"}, files={"file": ("p.png", body, "image/png")}
    )
    assert forged.status_code == 403, "a form without its CSRF token is refused"


def test_a_certified_contest_takes_no_scan(client: TestClient, tmp_path: Path) -> None:
    """Nothing changes once certified: the scan is refused with 409 `certified`."""
    database: Database = client.app.state.database  # type: ignore[attr-defined]
    from sqlalchemy import update

    from saylau.store.tables import contests

    with database.unit_of_work() as connection:
        connection.execute(update(contests).values(certified=True))
    operator = user(client, "op1", "operator", [1])
    refused = client.post(UPLOAD, content=png(), headers=operator)
    assert refused.status_code == 409 and refused.json()["code"] == "certified"
    _: Any = STATION_101_LIST


def _accepted_and_pending(client: TestClient) -> tuple[bytes, bytes]:
    """Station 101's list protocol accepted (two operators' entries) with a scan, and a scan of station 102's list
    protocol, which is not accepted: the two scans' bytes."""
    one, two = user(client, "op1", "operator", [1]), user(client, "op2", "operator", [1])
    for who in (one, two):
        assert client.post("/api/protocols/101/list/entries", json=STATION_101_LIST, headers=who).status_code < 300
    photo, pending = png(3, 2), png(2, 3)
    assert client.post(UPLOAD, content=photo, headers=one).status_code == 201
    assert client.post("/api/protocols/102/list/scans", content=pending, headers=one).status_code == 201
    return photo, pending


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_scan_is_published_beside_its_accepted_protocol(client: TestClient, tmp_path: Path) -> None:
    """Station 101's list protocol is accepted and has a scan: the version has the scan's file (the same bytes),
    its SHA-256 in the station's JSON and the picture on the station page; station 102's scan, whose protocol
    is not accepted, is published nowhere."""
    from saylau.publish import FolderTarget, current, from_database, publish

    photo, pending = _accepted_and_pending(client)
    database: Database = client.app.state.database  # type: ignore[attr-defined]
    site = tmp_path / "site"
    publish(FolderTarget(site), from_database(database))
    pointer = current(FolderTarget(site)) or {}
    version = site / "v" / str(pointer["version"])
    station = json.loads((version / "station" / "101.json").read_text(encoding="utf-8"))
    [protocol] = station["protocols"]
    [scan] = protocol["scans"]
    assert scan == {"sha256": hashlib.sha256(photo).hexdigest(), "media": "image/png", "file": "station/101/list-1.png"}
    assert (version / scan["file"]).read_bytes() == photo
    page = (version / "kk" / "station" / "101.html").read_text(encoding="utf-8")
    assert 'src="../../station/101/list-1.png"' in page and scan["sha256"] in page and "Қағаз хаттама" in page
    assert (version / "kk" / "station" / "101.html").parent.joinpath("../../station/101/list-1.png").resolve().is_file()
    assert not list(site.rglob("station/102/*")), "a scan of a protocol not accepted is not published"
    # the NIST report names the scan on its station's reporting unit, and stays valid (JSON and XML)
    report = json.loads((version / "results.nist.json").read_text(encoding="utf-8"))
    [unit] = [u for u in report["GpUnit"] if u["@id"] == "gpu-station-101"]
    marks = unit["ExternalIdentifier"]
    assert [(m["OtherType"], m["Value"]) for m in marks] == [("protocol-scan-sha256/list", scan["sha256"])]
    schemas = Path(__file__).resolve().parents[2] / "src" / "saylau" / "reports" / "schemas"
    schema = json.loads((schemas / "NIST_V2_election_results_reporting.json").read_text(encoding="utf-8"))
    assert [e.message for e in jsonschema.Draft4Validator(schema).iter_errors(report)] == []
    xsd = xmlschema.XMLSchema(str(schemas / "NIST_V2_election_results_reporting.xsd"))
    assert [str(e).splitlines()[0] for e in xsd.iter_errors(str(version / "results.nist.xml"))] == []
    assert scan["sha256"] in (version / "results.nist.xml").read_text(encoding="utf-8")
    # district 1's bulk JSON names the scan by its key from the site's root, and not the pending one
    bulk = (version / "stations" / "district-1.json").read_text(encoding="utf-8")
    [row] = [s for s in json.loads(bulk) if s["station"] == 101]
    assert row["protocols"][0]["scans"] == [{**scan, "file": f"v/{pointer['version']}/station/101/list-1.png"}]
    assert hashlib.sha256(pending).hexdigest() not in bulk


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_exported_folder_carries_its_scans_and_publishes_them(
    client: TestClient, settings: Settings, tmp_path: Path
) -> None:
    """`saylau export` writes the scans and the SHA-256 the audit chain recorded; `saylau publish folder` of the
    exported folder publishes the accepted protocol's scan with that SHA-256 (station 102's, whose protocol is
    not accepted, goes nowhere)."""
    from typer.testing import CliRunner

    import saylau.cli.publish
    import saylau.cli.service  # noqa: F401  (registers the command)
    from saylau.cli.app import app
    from saylau.publish import FolderTarget, current

    photo, pending = _accepted_and_pending(client)
    database: Database = client.app.state.database  # type: ignore[attr-defined]
    with database.unit_of_work() as connection:
        recorded = [(r.after or {})["sha256"] for r in audit.rows(connection, limit=1000) if r.action == "scan"]
    assert recorded == [hashlib.sha256(photo).hexdigest(), hashlib.sha256(pending).hexdigest()]

    out = tmp_path / "exported"
    done = CliRunner().invoke(app, ["export", str(out), "--database", str(settings.database)])
    assert done.exit_code == 0 and done.output.strip().endswith("1 accepted protocol, 2 scans"), done.output
    assert (out / "scans" / "scans.csv").read_text(encoding="utf-8").splitlines() == [
        "station,ballot,file,sha256",
        f"101,list,101-list-1.png,{recorded[0]}",
        f"102,list,102-list-1.png,{recorded[1]}",
    ]
    site = tmp_path / "site"
    done = CliRunner().invoke(app, ["publish", "folder", str(out), "--to", str(site), "--release"])
    assert done.exit_code == 0, done.output
    version = site / "v" / str((current(FolderTarget(site)) or {})["version"])
    station = json.loads((version / "station" / "101.json").read_text(encoding="utf-8"))
    assert station["protocols"][0]["scans"] == [
        {"sha256": recorded[0], "media": "image/png", "file": "station/101/list-1.png"}
    ]
    assert (version / "station" / "101" / "list-1.png").read_bytes() == photo
    assert not list(site.rglob("station/102/*")), "a scan of a protocol not accepted is not published"
