"""Write illustrative polling-station protocols for examples/almaty-2023 that add up exactly to its totals.

The commission's station-level figures were not found, so these are ILLUSTRATIVE: each district's
registered voters and each line of every total (list votes per party, district votes per candidate,
"against all", invalid) is split across stations by a seeded multinomial draw, so every protocol satisfies
the control relations and the sums equal the published (list) and illustrative (district) totals exactly.

    .venv/bin/python scripts/almaty_protocols.py examples/almaty-2023
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np

SEED = 19032023


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def split(rng: np.random.Generator, total: int, weights: np.ndarray) -> np.ndarray:
    """`total` split into len(weights) whole parts that sum to it exactly."""
    return rng.multinomial(total, weights / weights.sum())


def main(folder: Path) -> None:
    rng = np.random.default_rng(SEED)
    ballots = {(r["ballot"], r["district"]): r for r in rows(folder / "results/ballots.csv")}
    parties = [r["party"] for r in rows(folder / "results/list.csv")]
    list_votes = {r["party"]: int(r["votes"]) for r in rows(folder / "results/list.csv")}
    by_district: dict[str, dict[str, int]] = {}
    for r in rows(folder / "results/districts.csv"):
        by_district.setdefault(r["district"], {})[r["candidate"]] = int(r["votes"])
    districts = sorted(by_district, key=int)
    counts = {d: int(rng.integers(24, 30)) for d in districts}
    registered = {d: split(rng, int(ballots[("district", d)]["registered"]), rng.uniform(0.7, 1.3, counts[d])) for d in districts}
    everyone = np.concatenate([registered[d] for d in districts]).astype(float)
    turnout_noise = everyone * rng.uniform(0.8, 1.2, everyone.size)
    city = ballots[("list", "")]
    list_lines = {p: split(rng, v, turnout_noise * rng.uniform(0.8, 1.2, everyone.size)) for p, v in list_votes.items()}
    list_lines["against_all"] = split(rng, int(city["against_all"]), turnout_noise)
    list_lines["invalid"] = split(rng, int(city["invalid"]), turnout_noise)
    (folder / "protocols").mkdir(exist_ok=True)
    register, offset = [], 0
    for d in districts:
        candidates = list(by_district[d])
        own = ballots[("district", d)]
        weights = registered[d].astype(float) * rng.uniform(0.8, 1.2, counts[d])
        lines = {c: split(rng, v, weights) for c, v in by_district[d].items()}
        lines["against_all"] = split(rng, int(own["against_all"]), weights)
        lines["invalid"] = split(rng, int(own["invalid"]), weights)
        header = ["station", "district", "ballot", "registered", "received", "issued", "issued_absentee"]
        header += ["issued_outside", "cancelled", "found", "invalid", "against_all", "source"]
        header += [f"vote:{p}" for p in parties] + [f"vote:{c}" for c in candidates]
        out = []
        for i in range(counts[d]):
            station = int(d) * 100 + i + 1
            reg = int(registered[d][i])
            register.append([station, d, reg, "illustrative"])
            for ballot, figures, options in (
                ("list", {k: int(v[offset + i]) for k, v in list_lines.items()}, parties),
                ("district", {k: int(v[i]) for k, v in lines.items()}, candidates),
            ):
                found = sum(figures.values())
                received = reg * 101 // 100
                absentee, outside = found // 100, found // 40
                row = [station, d, ballot, reg, received, found, absentee, outside, received - found, found]
                row += [figures["invalid"], figures["against_all"], "illustrative"]
                row += [figures[p] if ballot == "list" else "" for p in parties]
                row += [figures[c] if ballot == "district" else "" for c in candidates]
                out.append(row)
        offset += counts[d]
        with (folder / f"protocols/district-{int(d):02d}.csv").open("w", newline="", encoding="utf-8") as f:
            csv.writer(f, lineterminator="\n").writerows([header, *out])
    with (folder / "stations.csv").open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows([["station", "district", "registered", "source"], *register])


if __name__ == "__main__":
    main(Path(sys.argv[1]))
