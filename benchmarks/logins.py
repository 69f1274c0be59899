"""How long a failed login takes for a known name, an unknown name and a disabled name (issue 21, item 2).

    .venv/bin/python benchmarks/logins.py [--rounds 41] [--database URL]

Why: the answer's time must not tell whether a name exists. Before issue 21 an unknown name answered in
1.6 ms and a known one in 19 ms (no hash was checked for an unknown name); now both check one argon2id hash
of the same cost (`saylau.service.users`). The three kinds of attempt are interleaved round by round, each
from its own client address and each round in a window of its own, so that no limit applies, through
`users.login` on a fresh database over the Almaty example (SQLite in a temporary folder unless `--database`
names another). It prints medians and the 90th percentile in milliseconds, and each median's difference
from the known name's, the peer it is measured side by side with.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from saylau.service import users
from saylau.service.permissions import Role
from saylau.web import Settings, prepare

ROOT = Path(__file__).resolve().parent.parent
KINDS = {
    "known name, wrong password": "chief",
    "unknown name": "nobody-here",
    "disabled name": "former",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=41)
    parser.add_argument("--database", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database or f"sqlite:///{Path(folder) / 'logins.sqlite'}"
        settings = Settings(folder=ROOT / "examples" / "almaty-2023", database=url, admin_password="admin-password-1")
        database, _ = prepare(settings)
        with database.unit_of_work() as connection:
            users.add(connection, None, "chief", "chief-of-almaty-7", Role.COORDINATOR)
            users.add(connection, None, "former", "former-clerk-7", Role.OPERATOR)
            users.disable(connection, None, "former")
        times: dict[str, list[float]] = {kind: [] for kind in KINDS}
        for round_ in range(args.rounds + 1):
            for n, (kind, name) in enumerate(KINDS.items()):
                start = time.perf_counter()
                with database.unit_of_work() as connection:
                    at = 1_000_000 + round_ * (users.WINDOW + 1)  # a fresh window each round: no limit applies
                    made = users.login(connection, name, "not-the-password", now=at, client=f"192.0.2.{n}")
                elapsed = time.perf_counter() - start
                assert made is None
                if round_:  # the first round warms the caches (the dummy hash is made on first use)
                    times[kind].append(elapsed * 1000)
        database.close()
    known = statistics.median(times["known name, wrong password"])
    print(f"{'attempt':<28} {'median ms':>10} {'p90 ms':>8} {'vs known':>9}")
    for kind, found in times.items():
        median = statistics.median(found)
        p90 = statistics.quantiles(found, n=10)[-1]
        print(f"{kind:<28} {median:>10.1f} {p90:>8.1f} {median - known:>+9.1f}")
    worst = max(abs(statistics.median(found) - known) for found in times.values())
    print(f"largest difference of medians: {worst:.1f} ms over {args.rounds} interleaved rounds")


if __name__ == "__main__":
    main()
