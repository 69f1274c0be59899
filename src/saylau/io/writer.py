"""Writing an election folder (docs/election-folder.md, docs/protocols.md) from a synthetic election.

Why: a generated election is only useful to the CLI, the web service and people if it is an ordinary folder
that `load_election` reads like any commission's. `results/` holds the sums of the *accepted* protocols
(those without an injected error), so the folder's published totals and the count from `protocols/` agree;
`synth-errors.csv` lists the injected errors (station, ballot, code) so a check can be verified.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from saylau.synth import SyntheticElection
from saylau.tabulation import FIGURES

ILLUSTRATIVE = "illustrative: synthetic (saylau synth)"


def write_election(folder: Path, synth: SyntheticElection) -> None:
    """Write `synth` as a complete election folder under the kazakhstan-2023-maslihat preset.

    The folder is created if needed; files already in it are overwritten.
    """
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "protocols").mkdir(exist_ok=True)
    (folder / "results").mkdir(exist_ok=True)
    (folder / "election.toml").write_text(_toml(synth), encoding="utf-8")
    _csv(
        folder / "parties.csv",
        ["short_name", "full_name", "registration_order", "source"],
        [[p, f"{p} (synthetic)", i + 1, ILLUSTRATIVE] for i, p in enumerate(synth.parties)],
    )
    _csv(
        folder / "lists.csv",
        ["party", "position", "candidate", "source"],
        [[p, k, f"{p} list No. {k}", ILLUSTRATIVE] for p in synth.parties for k in range(1, synth.list_seats + 1)],
    )
    _csv(
        folder / "districts.csv",
        ["number", "name", "source"],
        [[d, f"District No. {d}", ILLUSTRATIVE] for d in synth.districts],
    )
    _csv(
        folder / "candidates.csv",
        ["district", "candidate", "party", "source"],
        [[d, name, party, ILLUSTRATIVE] for d in synth.districts for name, party in synth.candidates[d]],
    )
    _stations(folder / "stations.csv", synth)
    _protocols(folder / "protocols" / "all.csv", synth)
    _results(folder / "results", synth)
    _csv(
        folder / "synth-errors.csv",
        ["station", "ballot", "code"],
        [[i.station, i.ballot, i.code] for i in synth.injected],
    )


def _toml(synth: SyntheticElection) -> str:
    return "\n".join(
        [
            f"# Synthetic election (saylau synth, seed {synth.seed}): every figure is illustrative.",
            f'name = "Synthetic election {synth.seed}"',
            "",
            "[body]",
            'name = "Synthetic Mäslihat"',
            "convocation = 1",
            f"seats = {synth.seats}",
            'majority_fraction = "1/2"',
            "",
            "[system]",
            'preset = "kazakhstan-2023-maslihat"',
            "",
            "[system.overrides.list_tier]",
            f"seats = {synth.list_seats}",
            "",
        ]
    )


def _stations(path: Path, synth: SyntheticElection) -> None:
    """The register; with previous-election figures, their `previous:` columns (docs/projection.md)."""
    header = ["station", "district", "registered"]
    extra: list[str] = []
    if synth.previous:
        extra = ["previous:registered", "previous:found", *(f"previous:{p}" for p in synth.parties)]
    rows = []
    for s in synth.stations:
        row: list[object] = [s.number, s.district, s.registered]
        h = synth.previous.get(s.number)
        if h is not None:
            row += [h.registered, h.found, *(h.votes.get(p, 0) for p in synth.parties)]
        rows.append(row)
    _csv(path, header + extra, rows)


def _protocols(path: Path, synth: SyntheticElection) -> None:
    """One row per protocol as entered; a `vote:` cell is empty where that option is not on the row's ballot."""
    options = list(dict.fromkeys(o for p in synth.protocols for o in p.votes))
    header = ["station", "district", "ballot", *FIGURES, *(f"vote:{o}" for o in options)]
    rows = [
        [p.station, p.district, p.ballot, *(p.figure(f) for f in FIGURES), *(p.votes.get(o, "") for o in options)]
        for p in synth.protocols
    ]
    _csv(path, header, rows)


def _results(folder: Path, synth: SyntheticElection) -> None:
    """The published totals: the sums of the accepted protocols, so they equal the count of `protocols/`."""
    city = synth.expected_list_tally
    ballots: list[list[object]] = [
        ["list", "", city.registered, city.took_part, city.against_all, city.invalid, ILLUSTRATIVE]
    ]
    for d in synth.districts:
        t = synth.expected_district_tallies[d]
        ballots.append(["district", d, t.registered, t.took_part, t.against_all, t.invalid, ILLUSTRATIVE])
    _csv(
        folder / "ballots.csv",
        ["ballot", "district", "registered", "took_part", "against_all", "invalid", "source"],
        ballots,
    )
    _csv(folder / "list.csv", ["party", "votes", "source"], [[p, city.votes[p], ILLUSTRATIVE] for p in synth.parties])
    _csv(
        folder / "districts.csv",
        ["district", "candidate", "votes", "source"],
        [
            [d, name, synth.expected_district_tallies[d].votes.get(name, 0), ILLUSTRATIVE]
            for d in synth.districts
            for name, _ in synth.candidates[d]
        ],
    )


def _csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
