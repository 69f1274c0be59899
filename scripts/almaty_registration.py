"""Add illustrative dates of birth and sexes to the lists and candidates of examples/almaty-2023.

The registration documents were not found, so these particulars are ILLUSTRATIVE (the `source` column says
so): a seeded draw of ages 25-68 on election day, and sexes chosen so that every list meets the 30% quota
(women at positions 2, 5, 8, ...; the names the sources give keep the sex their first name shows). Run once;
running again rewrites the same values.

    .venv/bin/python scripts/almaty_registration.py examples/almaty-2023
"""

from __future__ import annotations

import csv
import random
import sys
from datetime import date, timedelta
from pathlib import Path

SEED = 19032023
ELECTION_DAY = date(2023, 3, 19)
WOMEN = {"Zhansaya", "Gülnara", "Гульжан", "Анна", "Зауреш", "Алтынай"}
NOTE = "date_of_birth and sex illustrative"


def _born(rng: random.Random) -> str:
    age_days = rng.randint(25 * 365 + 10, 68 * 365)
    return (ELECTION_DAY - timedelta(days=age_days)).isoformat()


def _sex(rng: random.Random, name: str, position: int | None) -> str:
    first = name.split()[0]
    if first in WOMEN:
        return "f"
    if "candidate" not in name:
        return "m"
    if position is not None:
        return "f" if position % 3 == 2 else "m"
    return rng.choice("fm")


def _rewrite(path: Path, rng: random.Random, position_column: str | None) -> None:
    with path.open(encoding="utf-8") as f:
        reader = csv.DictReader(f)
        columns = [c for c in reader.fieldnames or [] if c not in ("date_of_birth", "sex", "source")]
        records = list(reader)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, [*columns, "date_of_birth", "sex", "source"], lineterminator="\n")
        writer.writeheader()
        for record in records:
            position = int(record[position_column]) if position_column else None
            record["date_of_birth"] = _born(rng)
            record["sex"] = _sex(rng, record["candidate"], position)
            if NOTE not in record["source"]:
                record["source"] = f"{record['source']}; {NOTE}"
            writer.writerow(record)


def main(folder: str) -> None:
    rng = random.Random(SEED)
    _rewrite(Path(folder) / "lists.csv", rng, "position")
    _rewrite(Path(folder) / "candidates.csv", rng, None)


if __name__ == "__main__":
    main(sys.argv[1])
