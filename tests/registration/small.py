"""A small election folder that passes every registration rule, and ways to break exactly one rule.

Election day 2023-03-19, kazakhstan-2023-maslihat preset, 4 seats = 2 list seats + 2 districts.
lists.csv rows: 2-5 list A (positions 1-4), 6-8 list B (1-3); candidates.csv rows: 2-3 district 1, 4 district 2.
Quota: A has 2 women of 4, B a woman and a young man (23) of 3.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

LIST_COLUMNS = ["party", "position", "candidate", "date_of_birth", "sex", "disability", "registered", "withdrawn"]
CANDIDATE_COLUMNS = ["district", "candidate", "party", "date_of_birth", "sex", "disability", "registered", "withdrawn"]


def base_lists() -> list[dict[str, str]]:
    rows = [
        ("A", "1", "Nurlan Abenov", "1970-05-01", "m"),
        ("A", "2", "Aru Seitova", "1990-04-02", "f"),
        ("A", "3", "Dias Omarov", "1980-01-01", "m"),
        ("A", "4", "Dana Li", "1975-06-30", "f"),
        ("B", "1", "Marat Ospanov", "1965-01-01", "m"),
        ("B", "2", "Saule Akhmetova", "1985-03-03", "f"),
        ("B", "3", "Timur Serikov", "1999-09-09", "m"),
    ]
    return [dict(zip(LIST_COLUMNS, (*r, "no", "", ""), strict=True)) for r in rows]


def base_candidates() -> list[dict[str, str]]:
    rows = [
        ("1", "Bolat Zhaksylykov", "A", "1972-02-02", "m"),
        ("1", "Gulnar Utepova", "self-nominated", "1988-08-08", "f"),
        ("2", "Serik Nurgaliev", "B", "1960-10-10", "m"),
    ]
    return [dict(zip(CANDIDATE_COLUMNS, (*r, "", "", ""), strict=True)) for r in rows]


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def make_folder(
    root: Path,
    *,
    lists: list[dict[str, str]] | None = None,
    candidates: list[dict[str, str]] | None = None,
    registration: str = "",
    designations: list[tuple[str, str]] | None = None,
    parties_extra: dict[str, dict[str, str]] | None = None,
) -> Path:
    """Write the folder; `registration` is TOML put under [system.overrides.registration]."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "election.toml").write_text(
        'name = "Small"\ndate = 2023-03-19\n[body]\nname = "Small Mäslihat"\nseats = 4\n'
        '[system]\npreset = "kazakhstan-2023-maslihat"\n'
        + (f"[system.overrides.registration]\n{registration}\n" if registration else ""),
        encoding="utf-8",
    )
    parties: list[dict[str, Any]] = [
        {"short_name": p, "full_name": f"Party {p}", "registration_order": i, "registration_date": "2023-02-18"}
        for i, p in enumerate(("A", "B"), 1)
    ]
    extra = parties_extra or {}
    for party in parties:
        party.update(extra.get(party["short_name"], {}))
    columns = ["short_name", "full_name", "registration_order", "registration_date"]
    columns += sorted({k for e in extra.values() for k in e})
    write_csv(root / "parties.csv", columns, parties)
    write_csv(root / "lists.csv", LIST_COLUMNS, base_lists() if lists is None else lists)
    candidate_rows = base_candidates() if candidates is None else candidates
    write_csv(root / "candidates.csv", CANDIDATE_COLUMNS, candidate_rows)
    write_csv(
        root / "districts.csv", ["number", "name"], [{"number": "1", "name": "One"}, {"number": "2", "name": "Two"}]
    )
    if designations is not None:
        write_csv(
            root / "designations.csv", ["party", "candidate"], [{"party": p, "candidate": c} for p, c in designations]
        )
    results = root / "results"
    write_csv(
        results / "ballots.csv",
        ["ballot", "district", "registered", "took_part", "against_all", "invalid"],
        [
            {
                "ballot": "list",
                "district": "",
                "registered": "1000",
                "took_part": "500",
                "against_all": "20",
                "invalid": "10",
            },
            {
                "ballot": "district",
                "district": "1",
                "registered": "500",
                "took_part": "250",
                "against_all": "10",
                "invalid": "5",
            },
            {
                "ballot": "district",
                "district": "2",
                "registered": "500",
                "took_part": "250",
                "against_all": "10",
                "invalid": "5",
            },
        ],
    )
    write_csv(
        results / "list.csv", ["party", "votes"], [{"party": "A", "votes": "300"}, {"party": "B", "votes": "170"}]
    )
    write_csv(
        results / "districts.csv",
        ["district", "candidate", "votes"],
        [
            {"district": "1", "candidate": "Bolat Zhaksylykov", "votes": "150"},
            {"district": "1", "candidate": "Gulnar Utepova", "votes": "85"},
            {"district": "2", "candidate": "Serik Nurgaliev", "votes": "235"},
        ],
    )
    return root
