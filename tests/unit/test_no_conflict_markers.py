"""No tracked file holds a merge-conflict marker (issue 21: docs/election-folder.md carried some on main, and
nothing caught them). The same pattern as `git grep -nE '^(<<<<<<<|>>>>>>>)( |$)|^=======$'`."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MARKER = re.compile(rb"^(?:<{7}|>{7})(?: |$)|^={7}$", re.MULTILINE)


def _tracked() -> list[Path]:
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout (an unpacked release): nothing is tracked")
    return [ROOT / name for name in listed.decode().split("\0") if name]


def markers(text: bytes) -> list[int]:
    """The line numbers (from 1) of the conflict markers in `text`."""
    return [text.count(b"\n", 0, m.start()) + 1 for m in MARKER.finditer(text.replace(b"\r\n", b"\n"))]


def test_the_pattern_finds_each_kind_of_marker_and_nothing_else() -> None:
    sample = b"a\n" + b"<" * 7 + b" HEAD\nb\n" + b"=" * 7 + b"\nc\n" + b">" * 7 + b" main\n" + b"=" * 8 + b"\n"
    assert markers(sample) == [2, 4, 6]
    assert markers(b"x = '" + b"<" * 7 + b"'\n" + b"=" * 6 + b"\n") == []


def test_no_tracked_file_holds_a_conflict_marker() -> None:
    found = []
    for path in _tracked():
        if path.is_file() and not path.is_symlink():
            lines = markers(path.read_bytes())
            found += [f"{path.relative_to(ROOT)}:{line}" for line in lines]
    assert found == []
