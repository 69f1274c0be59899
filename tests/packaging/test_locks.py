"""The two locks say what they are and agree with pyproject.toml and with each other.

A dependency added to pyproject.toml without `make locks` fails here with the command to run, before an
install from the lock would miss it (make demo and make test install the development lock with
--require-hashes; a commission installs the runtime lock the same way).
"""

from __future__ import annotations

import re
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.conftest import ROOT

LOCKS = ROOT / "requirements"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def pins(name: str) -> dict[str, tuple[Version, str | None, int]]:
    """name -> (version, marker, number of hashes) of every pin in requirements/NAME.lock."""
    found: dict[str, tuple[Version, str | None, int]] = {}
    current = ""
    for line in (LOCKS / f"{name}.lock").read_text(encoding="utf-8").splitlines():
        matched = PIN.match(line)
        if matched:
            current = canonicalize_name(matched[1])
            found[current] = (Version(matched[2]), matched[3], 0)
        elif line.strip().startswith("--hash=sha256:") and current:
            version, marker, hashes = found[current]
            found[current] = (version, marker, hashes + 1)
    return found


def wanted(extra: str | None) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = project["dependencies"] + (project["optional-dependencies"][extra] if extra else [])
    return [Requirement(r) for r in names]


@pytest.mark.parametrize(("lock", "extra"), [("runtime", None), ("dev", "dev")])
def test_every_requirement_is_pinned_with_hashes(lock: str, extra: str | None) -> None:
    pinned = pins(lock)
    assert pinned, f"requirements/{lock}.lock pins nothing"
    missing = [str(r) for r in wanted(extra) if canonicalize_name(r.name) not in pinned]
    stale = [
        f"{r.name}=={pinned[canonicalize_name(r.name)][0]} (pyproject.toml wants {r})"
        for r in wanted(extra)
        if canonicalize_name(r.name) in pinned and pinned[canonicalize_name(r.name)][0] not in r.specifier
    ]
    assert not missing and not stale, f"run `make locks`: not in requirements/{lock}.lock: {missing + stale}"
    assert all(hashes for _, _, hashes in pinned.values()), "every pin carries its hashes (--require-hashes)"


def test_the_runtime_lock_is_the_development_lock_less_the_tools() -> None:
    runtime, dev = pins("runtime"), pins("dev")
    assert {n: v for n, (v, _, _) in runtime.items()} == {n: dev[n][0] for n in runtime if n in dev}
    assert set(runtime) <= set(dev)
    for tool in ("pytest", "playwright", "pandas", "votelib", "mypy", "ruff", "uv"):
        assert tool in dev and tool not in runtime  # an analyst's `pip install` gets no test tool or browser driver


def test_both_locks_name_the_one_command_that_regenerates_them() -> None:
    for lock in ("runtime", "dev"):
        header = (LOCKS / f"{lock}.lock").read_text(encoding="utf-8").splitlines()[:8]
        assert any("make locks" in line for line in header) and any("--require-hashes" in line for line in header)
