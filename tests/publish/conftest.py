"""Fixtures of the publishing tests: an Almaty folder whose count moves on, nginx over a folder, moto's S3."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import saylau.publish.pages as pages
from saylau.publish.temporary import NoServer, temporary_nginx, temporary_s3

ALMATY = Path(__file__).resolve().parents[2] / "examples" / "almaty-2023"
SECRET = "publish-test-secret-key-0123456789"
"""The dummy secret key the bucket tests give boto3 through the environment: it must appear nowhere stored."""


class Count:
    """A copy of the Almaty folder whose protocols the test changes between two publications."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.file = folder / "protocols" / "district-01.csv"
        self.original = self.file.read_text(encoding="utf-8")

    def _rows(self) -> tuple[list[str], list[dict[str, str]]]:
        reader = csv.DictReader(io.StringIO(self.original))
        return list(reader.fieldnames or []), list(reader)

    def _write(self, header: list[str], rows: list[dict[str, str]]) -> None:
        out = io.StringIO()
        writer = csv.DictWriter(out, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        self.file.write_text(out.getvalue(), encoding="utf-8")

    def without(self, station: int) -> None:
        """Station `station` has not reported yet (its protocols are not in the folder)."""
        header, rows = self._rows()
        self._write(header, [r for r in rows if r["station"] != str(station)])

    def complete(self) -> None:
        self.file.write_text(self.original, encoding="utf-8")

    def swap(self, station: int, first: str, second: str) -> tuple[int, int]:
        """A corrected list protocol: two parties' votes were typed in each other's line. Returns the votes
        (first, second) as they were before the swap."""
        header, rows = self._rows()
        for row in rows:
            if row["station"] == str(station) and row["ballot"] == "list":
                a, b = row[f"vote:{first}"], row[f"vote:{second}"]
                row[f"vote:{first}"], row[f"vote:{second}"] = b, a
                before = (int(a), int(b))
        self._write(header, rows)
        return before


@pytest.fixture
def count(tmp_path: Path) -> Count:
    folder = tmp_path / "almaty"
    shutil.copytree(ALMATY, folder)
    return Count(folder)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """An empty folder served by nginx: (folder, base URL)."""
    folder = tmp_path / "site"
    folder.mkdir()
    try:
        with temporary_nginx(folder) as url:
            yield folder, url
    except NoServer as error:
        pytest.fail(str(error))


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """moto's S3 server, with dummy credentials in the environment only; yields the endpoint."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "publish-test-key-id")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    try:
        with temporary_s3() as endpoint:
            yield endpoint
    except NoServer as error:
        pytest.fail(str(error))


HOSTILE = "Ақ \"жол\" <b>&</b> 'x'"
"""Text escaping must handle: quotes of both kinds, markup, an ampersand, and a Kazakh letter."""


def both_ways(monkeypatch: pytest.MonkeyPatch, module: Any, template: str, label: str) -> list[Mapping[str, Any]]:
    """Every page `module.render` writes from now on, checked against `template` as it is rendered (a page written
    out in Python is the template's, byte for byte); the contexts seen. `label`: the context's key that names the
    page in a failure."""
    seen: list[Mapping[str, Any]] = []
    jinja, render = pages._ENV.get_template(template), module.render

    def both(context: Mapping[str, Any]) -> str:
        written = render(context)
        assert written == jinja.render(**context), (context["lang"], context[label])
        seen.append(context)
        return written

    monkeypatch.setattr(module, "render", both)
    return seen


def hostile_layout(context: Mapping[str, Any]) -> dict[str, Any]:
    """The layout's part of a page's `context` (`saylau.publish.layout`: names, links, languages, contests,
    the preview banner) with hostile text in every field."""
    other = {"id": "other", "name": "Other", "href": "../other/", "current": False}
    return {
        "view": replace(context["view"], election_name=HOSTILE, body_name=HOSTILE),
        "home": HOSTILE,
        "css": HOSTILE,
        "languages": {code: HOSTILE for code in context["languages"]},
        "switch": {code: HOSTILE for code in context["switch"]},
        "contests": [{"id": HOSTILE, "name": HOSTILE, "href": HOSTILE, "current": True}, other],
        "preview": True,
    }
