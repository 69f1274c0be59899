"""Writing a generated election day as a day folder (docs/election-day.md, docs/synth.md).

The day's `stations.csv` is the one register (each station's district in every contest it counts); each
contest folder is an ordinary election folder without its own `stations.csv`, whose `results/` hold the sums
of its protocols, so what the folder publishes equals what `saylau results DAY` counts. `commissions.csv`
is the whole tree: the Central Election Commission (declares the Mäjilis), a territorial commission per
region (declares its mäslihat), a district commission per district of every contest, a precinct commission
per station.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from saylau.synth import SyntheticContest, SyntheticDay, region_id
from saylau.tabulation import FIGURES, Protocol

ILLUSTRATIVE = "illustrative: synthetic (saylau synth --day)"


def write_day(folder: Path, day: SyntheticDay) -> None:
    """Write `day` as a day folder (created if needed; files already in it are overwritten)."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        f"# A synthetic election day of Kazakhstan's 2023 shape (saylau synth --day, seed {day.seed}): illustrative.",
        f'name = "Synthetic election day {day.seed}"',
        "date = 2023-03-19",
        'country = "Kazakhstan"',
    ]
    for contest in day.contests:
        lines += ["", "[[contests]]", f'id = "{contest.id}"', f'folder = "{contest.id}"']
        if contest.region is not None:
            lines.append(f'regions = ["{contest.region}"]')
    (folder / "day.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ids = [c.id for c in day.contests]
    _csv(
        folder / "stations.csv",
        ["station", "registered", "region", *(f"district:{c}" for c in ids), "source"],
        (
            [s.number, s.registered, s.region, *(s.districts.get(c, "") for c in ids), ILLUSTRATIVE]
            for s in day.stations
        ),
    )
    _commissions(folder / "commissions.csv", day)
    for contest in day.contests:
        _contest(folder / contest.id, contest)


def _commissions(path: Path, day: SyntheticDay) -> None:
    header = ["id", "level", "parent", "name", "region", "stations", "contest", "districts", "declares", "source"]
    rows: list[list[object]] = [["cec", "central", "", "Central Election Commission", "", "", "", "", "majilis", ""]]
    majilis = day.contests[0]
    region_of = {s.number: s.region for s in day.stations}
    for region in day.regions:
        tec = region_id(region).replace("maslihat-", "tec-")
        name = f"{region} territorial electoral commission"
        rows.append([tec, "territorial", "cec", name, region, "", "", "", region_id(region), ""])
    for district in sorted(majilis.candidates):
        first = next(s for s in majilis.stations if s.district == district)
        parent = region_id(region_of[first.number]).replace("maslihat-", "tec-")
        name = f"Mäjilis district No. {district} electoral commission"
        rows.append([f"majilis-{district}", "district", parent, name, "", "", "majilis", district, "", ""])
    for contest in day.contests[1:]:
        tec = contest.id.replace("maslihat-", "tec-")
        for district in sorted(contest.candidates):
            name = f"{contest.region} mäslihat district No. {district} electoral commission"
            rows.append([f"{contest.id}-{district}", "district", tec, name, "", "", contest.id, district, "", ""])
        for station in contest.stations:
            name = f"Precinct electoral commission No. {station.number}"
            parent = f"{contest.id}-{station.district}"
            rows.append([f"precinct-{station.number}", "precinct", parent, name, "", station.number, "", "", "", ""])
    _csv(path, header, ([*r[:9], ILLUSTRATIVE] for r in rows))


def _contest(folder: Path, contest: SyntheticContest) -> None:
    (folder / "protocols").mkdir(parents=True, exist_ok=True)
    (folder / "results").mkdir(exist_ok=True)
    toml = [
        f"# {contest.name}: every figure is illustrative (saylau synth --day).",
        f'name = "{contest.name}"',
        "date = 2023-03-19",
        "",
        "[body]",
        f'name = "{contest.name}"',
        f"seats = {contest.seats}",
        "",
        "[system]",
        f'preset = "{contest.preset}"',
        "",
        "[system.overrides.list_tier]",
        f"seats = {contest.list_seats}",
        "",
    ]
    (folder / "election.toml").write_text("\n".join(toml), encoding="utf-8")
    _csv(
        folder / "parties.csv",
        ["short_name", "full_name", "registration_order", "source"],
        ([p, p, i + 1, ILLUSTRATIVE] for i, p in enumerate(contest.parties)),
    )
    _csv(
        folder / "lists.csv",
        ["party", "position", "candidate", "source"],
        ([p, k, f"{p} list No. {k}", ILLUSTRATIVE] for p in contest.parties for k in range(1, contest.list_seats + 1)),
    )
    districts = sorted(contest.candidates)
    _csv(
        folder / "districts.csv",
        ["number", "name", "source"],
        ([d, f"District No. {d}", ILLUSTRATIVE] for d in districts),
    )
    _csv(
        folder / "candidates.csv",
        ["district", "candidate", "party", "source"],
        ([d, name, party, ILLUSTRATIVE] for d in districts for name, party in contest.candidates[d]),
    )
    options = list(contest.parties) + [n for d in districts for n, _ in contest.candidates[d]]
    _csv(
        folder / "protocols" / "all.csv",
        ["station", "district", "ballot", *FIGURES, *(f"vote:{o}" for o in options)],
        (
            [p.station, p.district, p.ballot, *(p.figure(f) for f in FIGURES), *(p.votes.get(o, "") for o in options)]
            for p in contest.protocols
        ),
    )
    _results(folder / "results", contest, districts)


def _results(folder: Path, contest: SyntheticContest, districts: Sequence[int]) -> None:
    """The published totals: the sums of the protocols (every one is clean), as the count gives them."""
    lists = [p for p in contest.protocols if p.ballot == "list"]
    by_district: dict[int, list[Protocol]] = {d: [] for d in districts}
    for p in contest.protocols:
        if p.ballot == "district":
            by_district[p.district].append(p)
    ballots: list[list[object]] = [["list", "", *_lines(lists), ILLUSTRATIVE]]
    ballots += [["district", d, *_lines(by_district[d]), ILLUSTRATIVE] for d in districts]
    _csv(
        folder / "ballots.csv",
        ["ballot", "district", "registered", "took_part", "against_all", "invalid", "source"],
        ballots,
    )
    _csv(
        folder / "list.csv",
        ["party", "votes", "source"],
        ([party, sum(p.votes.get(party, 0) for p in lists), ILLUSTRATIVE] for party in contest.parties),
    )
    _csv(
        folder / "districts.csv",
        ["district", "candidate", "votes", "source"],
        (
            [d, name, sum(p.votes.get(name, 0) for p in by_district[d]), ILLUSTRATIVE]
            for d in districts
            for name, _ in contest.candidates[d]
        ),
    )


def _lines(protocols: Sequence[Protocol]) -> list[int]:
    return [
        sum(p.registered for p in protocols),
        sum(p.found for p in protocols),
        sum(p.against_all for p in protocols),
        sum(p.invalid for p in protocols),
    ]


def _csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
