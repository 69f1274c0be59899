"""The public statistics page: a section of the public page links to it; on a partial count it says the
statistics come with the complete count; on the complete Almaty count it shows them, labelled."""

from __future__ import annotations

import csv
import json
import sqlite3
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from saylau.service import tallies
from saylau.store import open_database
from saylau.tabulation import FIGURES
from saylau.web import statistics
from tests.service.conftest import ALMATY

ACCEPT = text("UPDATE protocols SET state = 'accepted', definitive = :d WHERE station = :s AND ballot = :b")


@pytest.fixture(params=["sqlite"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'saylau.db'}"


def test_the_public_page_links_to_the_statistics_which_wait_for_the_complete_count(client: TestClient) -> None:
    page = client.get("/?lang=ru").text
    assert '<a href="/statistics?lang=ru">' in page
    assert "Это статистика, а не выводы" in page
    waiting = client.get("/statistics?lang=kk")
    assert waiting.status_code == 200
    assert "Статистика барлық хаттама түскеннен кейін есептеледі." in waiting.text


def _accept_every_protocol(database_url: str) -> None:
    """Every protocol of examples/almaty-2023 accepted as typed (written straight into the store, as if double
    entry had run: read with the csv module, not saylau)."""
    database = open_database(database_url, migrate=False)
    with database.unit_of_work() as connection:
        for path in sorted((ALMATY / "protocols").glob("*.csv")):
            with path.open(encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    figures: dict[str, object] = {line: int(row[line]) for line in FIGURES}
                    figures["votes"] = {k[5:]: int(v) for k, v in row.items() if k.startswith("vote:") and v}
                    entry = json.dumps({"figures": figures, "by": "test", "warnings": []})
                    connection.execute(
                        ACCEPT,
                        {"d": entry, "s": int(row["station"]), "b": row["ballot"]},
                    )
        tallies.rebuild(connection)  # accepted behind the service's back: count the running tallies again
    database.close()


def test_the_complete_count_shows_its_statistics(client: TestClient, database_url: str) -> None:
    _accept_every_protocol(database_url)
    page = client.get("/statistics?lang=ru")
    assert page.status_code == 200
    html = page.text
    assert "Это статистика, а не выводы" in html
    assert "Бюллетень по партийным спискам (лидер: Amanat)" in html
    assert html.count("<svg") == 2 and html.count("<table") == 8
    assert client.get("/statistics?lang=ru").text == html  # computed once per snapshot


def test_the_statistics_read_without_the_write_lock(
    client: TestClient, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The statistics read the accepted protocols in a read transaction (`read_unit_of_work`, deferred on
    SQLite): with another process holding SQLite's write lock (`BEGIN IMMEDIATE`, as a writer does) for the
    whole request, the page is computed from the complete count; with a `BEGIN IMMEDIATE` of its own it waited
    for the lock (30 s of busy timeout, then failed), and a `--public-only` process held the operators' entries
    back while it read."""
    monkeypatch.setattr(statistics, "RESAMPLES", 20)  # what is read matters here, not the resampling
    _accept_every_protocol(database_url)
    writer = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
    answered: list[str] = []
    try:
        writer.execute("BEGIN IMMEDIATE")
        reader = threading.Thread(target=lambda: answered.append(client.get("/statistics?lang=ru").text))
        reader.start()
        reader.join(timeout=120)
        assert not reader.is_alive(), "the statistics page is still waiting"
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert "Бюллетень по партийным спискам (лидер: Amanat)" in answered[0], "computed from the complete count"
