"""Write the regression record `test_unchanged_outputs.py` compares against, from the code on the path.

    PYTHONPATH=/path/to/reference/src:. .venv/bin/python -m tests.golden.record_unchanged

Run it on the tree whose outputs are the reference (for issue 14: main before the speed work landed,
97315fc), never on the code under test: the point of the record is that a rewrite changes nothing. The
inputs of the recorded `allocate` calls stay as they are; their digests and the command outputs are
rewritten.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.golden.allocation_snapshot import digest, outcome
from tests.golden.test_unchanged_outputs import COMMANDS, DATA, SYNTH, cases


def saylau(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "saylau", *args], capture_output=True, text=True, check=False)
    return done.stdout


def main() -> None:
    recorded = [{"call": c["call"], "digest": digest(outcome(c["call"]))} for c in cases()]
    with gzip.open(DATA / "allocate-cases.jsonl.gz", "wt", encoding="utf-8") as f:
        f.writelines(json.dumps(c, separators=(",", ":")) + "\n" for c in recorded)
    almaty = next(c for c in recorded if c["call"]["seats"] == 21 and c["call"]["ballots"] == [16490, 0])
    (DATA / "almaty-2023-list-tier.txt").write_text(outcome(almaty["call"]) + "\n", encoding="utf-8")
    for args, name in COMMANDS:
        (DATA / name).write_text(saylau(*args), encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "synth"
        saylau("synth", str(folder), *SYNTH)
        text = saylau("protocols", "check", str(folder)).replace(str(folder), "{folder}")
        (DATA / "protocols-check-synth-errors.txt").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
