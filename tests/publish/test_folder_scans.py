"""Scans carried by an election folder (`scans/scans.csv` and the files) are published beside their accepted
protocols, with their SHA-256, as the service's are; a scan whose bytes are not the SHA-256 recorded, that is
not a JPEG, PNG or PDF, or that is not in the folder is refused with its file, row and field in kk, ru and en,
and nothing is published.

Expected hashes are computed here with hashlib from the bytes the test writes, never taken from saylau.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from saylau.errors import InputError
from saylau.publish import FolderTarget, current, from_folder, publish
from saylau.reports.problems import problem_line
from tests.publish.conftest import Count
from tests.service.test_scans import PDF, png


def _scans(folder: Path, rows: list[tuple[int, str, str, bytes, str | None]]) -> None:
    """scans/scans.csv and the files: (station, ballot, file, bytes, sha256 recorded or None: the bytes')."""
    (folder / "scans").mkdir(exist_ok=True)
    lines = ["station,ballot,file,sha256"]
    for station, ballot, name, body, recorded in rows:
        (folder / "scans" / name).write_bytes(body)
        lines.append(f"{station},{ballot},{name},{recorded or hashlib.sha256(body).hexdigest()}")
    (folder / "scans" / "scans.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_folder_s_scans_are_published_beside_their_protocols(count: Count, tmp_path: Path) -> None:
    photo, second, paper, held = png(3, 2), png(4, 4), PDF, png(2, 3)
    count.without(103)  # station 103 has not reported: its scan goes nowhere
    _scans(
        count.folder,
        [
            (101, "list", "101-list.png", photo, None),
            (101, "list", "101-list-again.png", second, None),
            (102, "district", "102-district.pdf", paper, None),
            (103, "list", "103-list.png", held, None),
        ],
    )
    site = tmp_path / "site"
    publish(FolderTarget(site), from_folder(count.folder))
    version = site / "v" / str((current(FolderTarget(site)) or {})["version"])
    station = json.loads((version / "station" / "101.json").read_text(encoding="utf-8"))
    [listed] = [p for p in station["protocols"] if p["ballot"] == "list"]
    assert listed["scans"] == [
        {"sha256": hashlib.sha256(photo).hexdigest(), "media": "image/png", "file": "station/101/list-1.png"},
        {"sha256": hashlib.sha256(second).hexdigest(), "media": "image/png", "file": "station/101/list-2.png"},
    ]
    assert (version / "station" / "101" / "list-1.png").read_bytes() == photo
    assert (version / "station" / "101" / "list-2.png").read_bytes() == second
    assert (version / "station" / "102" / "district-1.pdf").read_bytes() == paper
    page = (version / "ru" / "station" / "101.html").read_text(encoding="utf-8")
    assert 'src="../../station/101/list-1.png"' in page and hashlib.sha256(photo).hexdigest() in page
    # the NIST report names each scan on its station; station 103's scan is published nowhere
    report = json.loads((version / "results.nist.json").read_text(encoding="utf-8"))
    [unit] = [u for u in report["GpUnit"] if u["@id"] == "gpu-station-102"]
    assert [m["Value"] for m in unit["ExternalIdentifier"] if m.get("OtherType", "").startswith("protocol-scan")] == [
        hashlib.sha256(paper).hexdigest()
    ]
    assert not list(site.rglob("station/103/*"))
    everything = b"".join(p.read_bytes() for p in site.rglob("*.json"))
    assert hashlib.sha256(held).hexdigest().encode() not in everything
    # district 1's bulk JSON names the scans too, by their keys from the site's root
    bulk = json.loads((version / "stations" / "district-1.json").read_text(encoding="utf-8"))
    [row] = [s for s in bulk if s["station"] == 102]
    [district] = [p for p in row["protocols"] if p["ballot"] == "district"]
    assert district["scans"][0]["file"] == f"{version.relative_to(site).as_posix()}/station/102/district-1.pdf"


def test_an_unchanged_scan_is_not_written_again(count: Count, tmp_path: Path) -> None:
    photo = png(3, 2)
    _scans(count.folder, [(101, "list", "101-list.png", photo, None)])
    target = FolderTarget(tmp_path / "site")
    publish(target, from_folder(count.folder))
    count.swap(102, "Amanat", "QHP")
    second = publish(target, from_folder(count.folder), reason="typed in the wrong lines")
    manifest = json.loads((tmp_path / "site" / "v" / "2" / "manifest.json").read_text(encoding="utf-8"))
    assert second.version == 2 and manifest["groups"]["station/101"]["at"] == 1  # its scan stays in version 1
    assert "station/101/list-1.png" in manifest["groups"]["station/101"]["files"]


@pytest.mark.parametrize(
    ("row", "field", "words"),
    [
        (
            (101, "list", "101-list.png", png(3, 2), "0" * 64),
            "sha256",
            (
                "not the one this row records",
                "а не записанный в этой строке",
                "бұл жолда жазылғаны емес",
            ),
        ),
        (
            (101, "list", "101-list.html", b"<!DOCTYPE html><script>alert(1)</script>", None),
            "file",
            ("is not a JPEG, PNG or PDF scan", "не скан в формате JPEG, PNG или PDF", "JPEG, PNG немесе PDF скан емес"),
        ),
        (
            (101, "list", "../election.toml", b"", "a" * 64),
            "file",
            ("is not in the folder's scans/", "нет в папке scans/", "папканың scans/ ішінде жоқ"),
        ),
        (
            (101, "list", "101-list.png", png(3, 2), "not a hash"),
            "sha256",
            ("is not a SHA-256", "это не SHA-256", "SHA-256 емес"),
        ),
        (
            (9999, "list", "9999-list.png", png(3, 2), None),
            "station",
            ("station 9999 is not in the station register", "участка № 9999 нет", "9999"),
        ),
    ],
)
def test_a_wrong_scan_is_refused_with_its_place_in_every_language(
    count: Count, tmp_path: Path, row: tuple[int, str, str, bytes, str | None], field: str, words: tuple[str, ...]
) -> None:
    station, ballot, name, _body, recorded = row
    if name.startswith(".."):
        _scans(count.folder, [])
        (count.folder / "scans" / "scans.csv").write_text(
            f"station,ballot,file,sha256\n{station},{ballot},{name},{recorded}\n", encoding="utf-8"
        )
    else:
        _scans(count.folder, [row])
    with pytest.raises(InputError) as refused:
        from_folder(count.folder)
    [problem] = refused.value.problems
    assert (problem.path, problem.row, problem.field) == ("scans/scans.csv", 2, field)
    for lang, word in zip(("en", "ru", "kk"), words, strict=True):
        line = problem_line(problem, lang)
        assert line.startswith(f"scans/scans.csv:2 [{field}]: ") and word in line, (lang, line)
    assert not (tmp_path / "site").exists()
