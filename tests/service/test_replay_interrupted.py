"""`saylau replay` after a killed server: run again, it completes the count (issue 11, item 10).

The replay is the real command line against a real `saylau serve` process. The server is killed with SIGKILL
while the replay types; the replay must stop with one clear line (exit 2, no traceback). After a restart, a
second run types only what is not accepted yet, and a third run finds every protocol accepted.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from tests.service.conftest import ADMIN_PASSWORD
from tests.service.live import Server, protocols_of, small_election


def _replay(folder: Path, url: str, *extra: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "saylau", "replay", str(folder), "--url", url, "--operators", "2", *extra]
    env = {**os.environ, "SAYLAU_ADMIN_PASSWORD": ADMIN_PASSWORD}
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _summary(output: str) -> tuple[int, int]:
    """(entries typed, protocols already accepted) from the replay's closing line."""
    found = re.search(r"^([\d,]+) entr(?:y|ies) in .*?; ([\d,]+) protocols? already accepted", output, re.MULTILINE)
    assert found, output
    return int(found.group(1).replace(",", "")), int(found.group(2).replace(",", ""))


def test_replay_run_again_after_a_killed_server_completes_the_count(tmp_path: Path) -> None:
    folder = small_election(tmp_path / "election", per_district=1)
    protocols = len(protocols_of(folder))
    server = Server(folder, f"sqlite:///{tmp_path / 'saylau.sqlite'}", tmp_path / "serve.log")
    server.start()
    try:
        interrupted = _replay(folder, server.url, "--rate", "15")
        time.sleep(2.5)  # some entries in, most still to type (2 x 42 entries at 15/s take ~6 s)
        server.kill()
        out, err = interrupted.communicate(timeout=120)
        assert interrupted.returncode == 2, (out, err)
        assert "Traceback" not in err and err.strip(), err
        server.start()
        second = _replay(folder, server.url)
        out, err = second.communicate(timeout=300)
        assert second.returncode == 0, (out, err)
        typed, skipped = _summary(out)
        assert skipped < protocols and typed > 0  # the killed run had not finished
        third = _replay(folder, server.url)
        out, err = third.communicate(timeout=300)
        assert third.returncode == 0, (out, err)
        assert _summary(out) == (0, protocols)  # every protocol accepted: nothing left to type
    finally:
        server.stop()
