"""The short form of the soak (benchmarks/service.py --soak): public reads and entries at once, 2 workers, 0 errors."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from tests.service.conftest import ADMIN_PASSWORD
from tests.service.live import Server, small_election

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "service.py"


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_short_soak_with_two_workers_has_no_errors(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(BENCHMARK.parent))  # its sibling benchmarks/_operators.py
    spec = importlib.util.spec_from_file_location("service_benchmark", BENCHMARK)
    assert spec is not None and spec.loader is not None
    benchmark = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = benchmark  # its dataclasses look themselves up there
    spec.loader.exec_module(benchmark)
    folder = small_election(tmp_path / "election", per_district=3)
    server = Server(folder, database_url, tmp_path / "serve.log", workers=2)
    server.start()
    try:
        report = benchmark.soak(server.url, ADMIN_PASSWORD, folder, seconds=4, clients=40, operators=4)
    finally:
        server.stop()
    print(f"\npostgresql, 2 workers, 40 clients; {report.line()}")
    assert report.errors == []
    assert report.reads > 0 and report.entries > 0
