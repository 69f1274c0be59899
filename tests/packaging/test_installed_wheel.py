"""saylau as a commission installs it: a wheel built from this tree, put into a fresh virtualenv outside the
tree from the wheelhouse alone (no index, no network), then run from there on its bundled example.

`make test` runs `make wheelhouse` first and names the folder in SAYLAU_WHEELHOUSE (docs/installing.md); the
wheelhouse's other wheels are the runtime lock's, which `make wheelhouse` fetched checking their hashes. Here
nothing is fetched: pip is given `--no-index` and no configuration, and where the machine allows it
(`unshare -n`) runs in a network namespace of its own with no network at all.

The installed saylau must find its templates, fonts, catalogues, migrations and examples without the
source tree: `results` must print what the source tree prints, `report --format pdf` must hold the same text,
`serve` must answer its public page in Kazakh and Russian, and `verify` must accept the bundle the installed
service certified (and refuse it once a figure is changed).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import saylau
from saylau.replay import password_for
from tests.conftest import EXAMPLES, ROOT

WHEELHOUSE = Path(os.environ.get("SAYLAU_WHEELHOUSE") or ROOT / "wheelhouse")
PASSWORD = "installed-admin-1"


def _run(args: list[str | Path], *, cwd: Path, env: dict[str, str], timeout: float = 300) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, f"{' '.join(map(str, args))} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _offline() -> list[str]:
    """A prefix that runs a command with no network at all (a new network namespace), when this machine can."""
    unshare = shutil.which("unshare")
    for prefix in ([unshare, "-n"], [unshare, "-rn"]) if unshare else []:
        tried = subprocess.run([*prefix, "true"], capture_output=True, check=False)
        if tried.returncode == 0:
            return prefix
    return []


def _clean_environment(venv: Path) -> dict[str, str]:
    """The environment of a person's shell with only the new virtualenv on PATH: no pip configuration (no
    index, no find-links of this machine), nothing of this tree on the import path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHON", "VIRTUAL_ENV", "SAYLAU_"))}
    env["PIP_CONFIG_FILE"] = os.devnull
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return env


@pytest.fixture
def installed(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str], Path]]:
    """(the virtualenv's bin folder, its environment, a working folder outside the tree)."""
    wheels = sorted(WHEELHOUSE.glob("*.whl")) if WHEELHOUSE.is_dir() else []
    assert wheels and (WHEELHOUSE / "runtime.lock").is_file(), f"no wheelhouse at {WHEELHOUSE}: run make wheelhouse"
    for line in (WHEELHOUSE / "SHA256SUMS").read_text().splitlines():  # the folder a commission copies is whole
        digest, name = line.split(maxsplit=1)
        assert hashlib.sha256((WHEELHOUSE / name.lstrip("*")).read_bytes()).hexdigest() == digest, name

    dist = tmp_path / "dist"  # this tree's wheel, built now (not the wheelhouse's, which may be older)
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = dist.glob("saylau-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    env = _clean_environment(venv)
    pip = [*_offline(), str(venv / "bin" / "python"), "-m", "pip", "--disable-pip-version-check", "-q"]
    lock = WHEELHOUSE / "runtime.lock"
    offline = ["--no-index", "--find-links", WHEELHOUSE]
    _run([*pip, "install", *offline, "--require-hashes", "-r", lock], cwd=tmp_path, env=env)
    _run([*pip, "install", "--no-index", "--no-deps", wheel], cwd=tmp_path, env=env)
    _run([*pip, "check"], cwd=tmp_path, env=env)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    yield venv / "bin", env, elsewhere


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_wheel_installs_offline_and_runs_on_its_own(installed: tuple[Path, dict[str, str], Path]) -> None:
    bin_, env, here = installed
    saylau_ = bin_ / "saylau"
    located = _run([bin_ / "python", "-c", "import saylau; print(saylau.__file__)"], cwd=here, env=env)
    assert Path(located.strip()).is_relative_to(bin_.parent), located  # the installed copy, not this tree
    assert _run([saylau_, "--version"], cwd=here, env=env).strip() == f"saylau {saylau.__version__}"

    wrote = _run([saylau_, "example", "almaty-2023", "examples"], cwd=here, env=env)
    assert "examples/almaty-2023" in wrote
    for name in ("almaty-2023", "almaty-2021"):  # the bundled examples are the tree's, file for file
        ours = sorted(p.relative_to(EXAMPLES / name) for p in (EXAMPLES / name).rglob("*") if p.is_file())
        written = here / "examples" / name
        theirs = sorted(p.relative_to(written) for p in written.rglob("*") if p.is_file())
        assert ours == theirs and ours
        assert all((EXAMPLES / name / p).read_bytes() == (here / "examples" / name / p).read_bytes() for p in ours)
    folder = here / "examples" / "almaty-2023"

    tree = [sys.executable, "-m", "saylau"]
    for name, args in (
        ("almaty-2023", ["--lang", "en"]),
        ("almaty-2023", ["--json"]),
        ("almaty-2023", ["--lang", "kk"]),
        ("almaty-2021", ["--lang", "ru"]),
    ):
        installed_run = _run([saylau_, "results", here / "examples" / name, *args], cwd=here, env=env)
        assert installed_run == _run([*tree, "results", EXAMPLES / name, *args], cwd=ROOT, env=dict(os.environ))

    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "poppler-utils (make system-deps)"
    for lang in ("kk", "ru"):  # the fonts and the typst template come with the wheel: the same text
        pdf = ["--format", "pdf", "--lang", lang, "-o"]
        _run([saylau_, "report", folder, *pdf, here / f"{lang}.pdf"], cwd=here, env=env)
        _run([*tree, "report", EXAMPLES / "almaty-2023", *pdf, here / "t.pdf"], cwd=ROOT, env=dict(os.environ))
        text = _run([pdftotext, here / f"{lang}.pdf", "-"], cwd=here, env=env)
        assert text == _run([pdftotext, here / "t.pdf", "-"], cwd=here, env=env)
        assert ("Алматы қалалық мәслихаты" if lang == "kk" else "Маслихат города Алматы") in text

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = here / "serve.log"
    with log.open("w") as output:
        served = subprocess.Popen(  # the service from the wheel: migrations, templates, catalogues, static files
            [saylau_, "serve", folder, "--data", here / "data", "--port", str(port)],
            cwd=here,
            env={**env, "SAYLAU_ADMIN_PASSWORD": PASSWORD},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert served.poll() is None, log.read_text()
            try:
                page = httpx.get(f"{url}/?lang=kk", timeout=10)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "saylau serve did not answer"
                time.sleep(0.2)
        assert page.status_code == 200 and "Алматы қалалық мәслихаты" in page.text
        assert "Маслихат города Алматы" in httpx.get(f"{url}/?lang=ru", timeout=10).text

        replayed = _run(
            [saylau_, "replay", folder, "--url", url, "--operators", "4"],
            cwd=here,
            env={**env, "SAYLAU_ADMIN_PASSWORD": PASSWORD},
        )
        assert replayed.startswith(f"{2 * 553 * 2:,} entries"), replayed
        with httpx.Client(base_url=url, timeout=60) as client:
            coordinator = "replay-coordinator"
            token = client.post(
                "/api/login", json={"name": coordinator, "password": password_for(coordinator, PASSWORD)}
            ).json()["token"]
            certified = client.post("/api/certify", headers={"Authorization": f"Bearer {token}"})
            assert certified.status_code == 200, certified.text
            bundle = client.get("/api/bundle").json()
    finally:
        served.send_signal(signal.SIGINT)
        try:
            served.wait(timeout=30)
        except subprocess.TimeoutExpired:
            served.kill()
            served.wait()

    path = here / "bundle.json"
    path.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    assert _run([saylau_, "verify", path], cwd=here, env=env).startswith("matches")
    changed = next(p for p in bundle["protocols"] if p["ballot"] == "list")
    changed["votes"]["Auyl"] += 1
    path.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    refused = subprocess.run([saylau_, "verify", path], cwd=here, env=env, capture_output=True, text=True, check=False)
    assert refused.returncode == 1 and "does not match" in refused.stdout, refused.stdout + refused.stderr
