"""National-scale tabulation: 1,000,000 stations, 20 parties, 500 districts, against the numpy floor.

Why: a national count must check and sum every protocol in seconds, not minutes. The object path
(`saylau.tabulation.tabulate`, one `Protocol` at a time) is for a city; this measures the column path
(`saylau.tabulation.columns`) that a national count would use, and compares it with the least numpy
itself needs to read the same columns and sum them.

What it does: builds the election in memory as int64 column arrays (both ballots, every protocol adding
up, 0.1% of list protocols with a wrong "found"), saves them as uncompressed .npy files in a temporary
folder (CSV at this size would measure the CSV parser, not the count), then times
  load      np.load of every column,
  check     every numeric control relation (P001-P003, P005, P006, P008, W001-W004) vectorised,
  tabulate  group-sum of the accepted protocols by district (np.add.reduceat) for both ballots,
  allocate  saylau.apportionment.allocate on the city list tally (Kazakhstan: Hare, 5% of valid, >= 2 lists)
            plus each district's winner by argmax;
and the floor: np.load of the same files and a plain column sum. Run: `.venv/bin/python benchmarks/tabulation.py`.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
import numpy.typing as npt

from saylau.apportionment import Ballots, Contestant, Method, Threshold, ThresholdBase, allocate
from saylau.tabulation import FIGURES
from saylau.tabulation.columns import ProtocolColumns, accepted, check_columns, tabulate_columns

STATIONS = 1_000_000
PARTIES = 20
DISTRICTS = 500
CANDIDATES = 5
LIST_SEATS = 500
SEED = 2023
REPEATS = 3

Int64Array = npt.NDArray[np.int64]


def build(rng: np.random.Generator) -> dict[str, Int64Array]:
    """Every column of both ballots: station, district, registered, the protocol lines, and the votes."""
    n = STATIONS
    district = np.sort(rng.integers(0, DISTRICTS, n)).astype(np.int64)
    registered = rng.integers(500, 3001, n, dtype=np.int64)
    found = (registered * rng.uniform(0.20, 0.70, n)).astype(np.int64)
    received = registered * 101 // 100
    cols: dict[str, Int64Array] = {"station": np.arange(1, n + 1, dtype=np.int64), "district": district}
    national = rng.dirichlet(np.full(PARTIES, 1.5))
    for ballot, options in (("list", national * 50 + 0.1), ("district", np.full(CANDIDATES, 3.0))):
        invalid = (found * rng.uniform(0.01, 0.04, n)).astype(np.int64)
        against_all = (found * rng.uniform(0.02, 0.08, n)).astype(np.int64)
        valid = found - invalid - against_all
        shares = rng.standard_gamma(options, size=(n, options.size))
        shares /= shares.sum(axis=1, keepdims=True)
        votes = np.floor(shares * valid[:, None]).astype(np.int64)
        # the rounding remainder to one option at random, so every protocol adds up and no position is favoured
        votes[np.arange(n), rng.integers(0, options.size, n)] += valid - votes.sum(axis=1)
        lines = {
            "registered": registered,
            "received": received,
            "issued": found,
            "issued_absentee": (found * 0.01).astype(np.int64),
            "issued_outside": (found * 0.02).astype(np.int64),
            "cancelled": received - found,
            "found": found.copy(),
            "invalid": invalid,
            "against_all": against_all,
        }
        if ballot == "list":  # 0.1% of list protocols entered with a wrong "found" (P001)
            lines["found"][rng.choice(n, n // 1000, replace=False)] += 1
        cols |= {f"{ballot}.{k}": v for k, v in lines.items()}
        cols[f"{ballot}.votes"] = votes
    return cols


def load(folder: Path) -> dict[str, Int64Array]:
    return {path.stem: np.load(path) for path in sorted(folder.glob("*.npy"))}


def ballot(cols: dict[str, Int64Array], name: str) -> ProtocolColumns:
    return ProtocolColumns(
        cols["station"], cols["district"], {f: cols[f"{name}.{f}"] for f in FIGURES}, cols[f"{name}.votes"]
    )


def pipeline(folder: Path) -> tuple[dict[str, float], list[str]]:
    """One full count from the files: the time of each stage, and what it found and allocated."""
    times: dict[str, float] = {}
    t = time.perf_counter()
    data = load(folder)
    t = _lap("load", times, t)
    lists, districts = ballot(data, "list"), ballot(data, "district")
    register = data["district"]  # stations are registered where they report here
    list_masks = check_columns(lists, register)
    district_masks = check_columns(districts, register)
    list_keep, district_keep = accepted(list_masks), accepted(district_masks)
    t = _lap("check", times, t)
    list_sums = tabulate_columns(lists, data["district"], DISTRICTS, list_keep)
    district_sums = tabulate_columns(districts, data["district"], DISTRICTS, district_keep)
    t = _lap("tabulate", times, t)
    city = list_sums.votes.sum(axis=0)
    allocation = allocate(
        [Contestant(f"Party {i + 1}", int(v)) for i, v in enumerate(city)],
        LIST_SEATS,
        Method.HARE,
        threshold=Threshold(percent=Fraction(5), base=ThresholdBase.VALID),
        min_admitted=2,
        ballots=Ballots(int(list_sums.against_all.sum()), int(list_sums.invalid.sum())),
    )
    winners = district_sums.votes.argmax(axis=1)
    _lap("allocate", times, t)
    seats = {name: s for name, s in allocation.seats.items() if s}
    return times, [
        f"list protocols rejected: {int((~list_keep).sum()):,} (P001: {int(list_masks['P001'].sum()):,})",
        f"list seats: {seats}",
        f"district winners by ballot position: {np.bincount(winners, minlength=CANDIDATES).tolist()}",
    ]


def numpy_floor(folder: Path) -> float:
    """The least numpy needs: read the same files and sum every column."""
    start = time.perf_counter()
    for array in load(folder).values():
        array.sum(axis=0)
    return time.perf_counter() - start


def _lap(label: str, times: dict[str, float], start: float) -> float:
    now = time.perf_counter()
    times[label] = now - start
    return now


def main() -> None:
    rng = np.random.default_rng(SEED)
    t0 = time.perf_counter()
    cols = build(rng)
    print(f"built {STATIONS:,} stations x {PARTIES} parties, {DISTRICTS} districts in {time.perf_counter() - t0:.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, array in cols.items():
            np.save(folder / f"{name}.npy", array)
        size = sum(p.stat().st_size for p in folder.glob("*.npy"))
        print(f"saved as .npy: {size / 2**20:,.0f} MiB (best of {REPEATS} runs below, floor and count alternating)")
        del cols
        runs, floors = [], []
        for _ in range(REPEATS):
            floors.append(numpy_floor(folder))
            runs.append(pipeline(folder))
    times, notes = min(runs, key=lambda run: sum(run[0].values()))
    for label, seconds in times.items():
        print(f"{label:<9} {seconds:8.3f} s")
    floor = min(floors)
    print(f"{'floor':<9} {floor:8.3f} s  (np.load + column sums of the same files)")
    for note in notes:
        print(note)
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss is bytes on macOS, KiB on Linux
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20:,.0f} MiB")
    total = sum(times.values())
    print(f"tabulation over numpy floor: {total / floor:.1f}x ({STATIONS:,} stations in {total:.2f} s)")


if __name__ == "__main__":
    main()
