"""Shared fixtures: the example folders, and a way to break a copy of one."""

from __future__ import annotations

import shutil
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
