"""`saylau --version` and `saylau example NAME DIR` from the source tree (the installed wheel:
tests/packaging/test_installed_wheel.py)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import saylau
from tests.conftest import EXAMPLES, ROOT
from tests.integration.test_almaty_2023 import run_saylau


def test_version_is_written_once_and_printed() -> None:
    assert run_saylau("--version").stdout == f"saylau {saylau.__version__}\n"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "saylau.__version__"}
    assert "## [Unreleased]" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def _files(folder: Path) -> dict[Path, bytes]:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_example_writes_the_folder_and_its_previous_election(tmp_path: Path) -> None:
    done = run_saylau("example", "almaty-2023", str(tmp_path / "ex"))
    assert done.returncode == 0, done.stderr
    for name in ("almaty-2023", "almaty-2021"):
        assert _files(tmp_path / "ex" / name) == _files(EXAMPLES / name)
    counted = run_saylau("results", str(tmp_path / "ex" / "almaty-2023"), "--json")
    assert counted.returncode == 0, counted.stderr
    assert counted.stdout == run_saylau("results", str(EXAMPLES / "almaty-2023"), "--json").stdout
    assert '"majority_before": true' in counted.stdout  # the comparison with 2021 found its folder
    again = run_saylau("example", "almaty-2023", str(tmp_path / "ex"))  # the same files again: nothing to refuse
    assert again.returncode == 0, again.stderr


def test_example_refuses_an_unknown_name_and_a_changed_folder(tmp_path: Path) -> None:
    unknown = run_saylau("example", "almaty-1999", str(tmp_path))
    assert unknown.returncode == 2 and "almaty-2021, almaty-2023" in unknown.stderr
    assert not any(tmp_path.iterdir())
    (tmp_path / "almaty-2021").mkdir()
    (tmp_path / "almaty-2021" / "parties.csv").write_text("mine\n", encoding="utf-8")
    refused = run_saylau("example", "almaty-2023", str(tmp_path))
    assert refused.returncode == 2 and "almaty-2021: exists, is not empty and differs" in refused.stderr
    assert (tmp_path / "almaty-2021" / "parties.csv").read_text(encoding="utf-8") == "mine\n"
    assert not (tmp_path / "almaty-2023").exists()  # nothing written when any target is refused
