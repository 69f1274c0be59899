"""Shared fixtures: the example folders, and a way to break a copy of one; the fuzz tests' combined line."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import settings

# No timed tests (speed is measured in benchmarks/): hypothesis's per-example deadline only flakes on a
# loaded machine, so it is off for every property test.
settings.register_profile("saylau", deadline=None)
settings.load_profile("saylau")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture
def almaty_copy(tmp_path: Path) -> Path:
    """A private copy of both Almaty folders, so a test can break the 2023 one."""
    for name in ("almaty-2023", "almaty-2021"):
        shutil.copytree(EXAMPLES / name, tmp_path / name)
    return tmp_path / "almaty-2023"


FUZZ = Counter[str]()
"""What the fuzz tests recorded (`record_property`): requests and 5xx answers of the API fuzz
(tests/service/test_fuzz_api.py), folder mutations and tracebacks of the folder fuzzes (tests/properties)."""


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Add up the fuzz tests' counts; under xdist the reports reach the controller with their properties."""
    if report.when == "call":
        for key, value in report.user_properties:
            if key in ("fuzzed requests", "5xx", "folder mutations", "tracebacks") and isinstance(value, int):
                FUZZ[key] += value


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Issue 12 item 3's line, once both the API fuzz and a folder fuzz have run in this session."""
    if "fuzzed requests" in FUZZ and "folder mutations" in FUZZ:
        terminalreporter.write_line(
            f"fuzzed: {FUZZ['fuzzed requests']} requests, 5xx: {FUZZ['5xx']}; "
            f"folder mutations: {FUZZ['folder mutations']}, tracebacks: {FUZZ['tracebacks']}"
        )
