"""Write examples/almaty-2023-day: Almaty's night of 19 March 2023, the Mäjilis and the city mäslihat.

The city mäslihat is examples/almaty-2023 itself (the day names it as `../almaty-2023`), on its 553 stations.
The Mäjilis contest (`majilis/`) is counted at the same stations, plus one aggregate station per Mäjilis
district outside Almaty, so that its list ballot adds up to the Central Election Commission's published
national figures (votes per party and "against all", 27 March 2023, as reported by inform.kz, astanatimes.com
and newtimes.kz) and its district tier has the published shape (29 districts: 22 won by Amanat, 7 by
self-nominated candidates; Wikipedia's "2023 Kazakh legislative election": Amanat 62 seats = 40 + 22).

What was not found is ILLUSTRATIVE and marked so in each row's `source`: the Mäjilis figures of Almaty's
stations (each station's Mäjilis ballots are split from the voters who took its mäslihat list ballot, by a
seeded draw), Almaty's Mäjilis districts (4, numbered 1-4, each a group of mäslihat districts), every district
candidate and district vote, registered voters outside Almaty, invalid ballots, and the split of the national
remainder between the aggregate stations.

    .venv/bin/python scripts/almaty_day.py examples/almaty-2023-day
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np

SEED = 19_03_2023
CEC = "Central Election Commission, final results of 27 March 2023 (inform.kz, astanatimes.com, newtimes.kz)"
NATIONAL = {  # the CEC's published national list votes
    "Amanat": 3_431_510,
    "Auyl": 693_938,
    "Respublica": 547_154,
    "QHP": 432_920,
    "Baytaq": 146_431,
    "Aq Jol": 535_139,
    "NSDP": 331_058,
}
NATIONAL_AGAINST_ALL = 248_291
PUBLISHED = {  # percent and list seats, as the CEC published them
    "Amanat": ("53.90", 40),
    "Auyl": ("10.90", 8),
    "Respublica": ("8.59", 6),
    "QHP": ("6.80", 5),
    "Baytaq": ("2.30", 0),
    "Aq Jol": ("8.41", 6),
    "NSDP": ("5.20", 4),
}
ALMATY_SHARES = {  # illustrative shares of Almaty's valid Mäjilis list ballots
    "Amanat": 0.50,
    "Auyl": 0.03,
    "Respublica": 0.115,
    "QHP": 0.11,
    "Baytaq": 0.06,
    "Aq Jol": 0.085,
    "NSDP": 0.05,
    "against_all": 0.05,
}
ALMATY_DISTRICTS = 4
DISTRICTS = 29
SELF = "self-nominated"
OUTSIDE = "Kazakhstan outside Almaty"
ILLUSTRATIVE = "illustrative"
AGGREGATE = (
    "aggregate station, ILLUSTRATIVE: the CEC's national figures minus Almaty's illustrative figures, split "
    "between the districts by a seeded draw; registered and invalid illustrative"
)
FIGURES = ["registered", "received", "issued", "issued_absentee", "issued_outside", "cancelled", "found"]
FIGURES += ["invalid", "against_all", "source"]


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def write(path: Path, header: list[str], body: list[list[object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows([header, *body])


def majilis_district(maslihat_district: int) -> int:
    """Almaty's illustrative Mäjilis districts: groups of consecutive city-mäslihat districts."""
    return 1 + (maslihat_district - 1) * ALMATY_DISTRICTS // 21


def candidates(district: int) -> list[tuple[str, str]]:
    """(name, party) in ballot order; the intended winner first. Outside Almaty, every fourth district is won by
    a self-nominated candidate (6 of 25), so with Almaty's one the national 7 hold; Amanat wins the rest (22)."""
    own_winner = (
        SELF if (district == ALMATY_DISTRICTS or (district > ALMATY_DISTRICTS and district % 4 == 0)) else "Amanat"
    )
    others = ["Aq Jol", SELF, "NSDP", "Respublica"] if district <= ALMATY_DISTRICTS else [SELF, "QHP"]
    if own_winner == SELF:
        others = ["Amanat" if p == SELF else p for p in others]
    parties = [own_winner, *others]
    return [(f"Mäjilis district {district} candidate {chr(65 + i)}", p) for i, p in enumerate(parties)]


def protocol_row(
    station: int,
    district: int,
    ballot: str,
    registered: int,
    figures: dict[str, int],
    source: str,
    options: list[str],
    ballot_options: list[str],
) -> list[object]:
    found = sum(figures.values())
    received = registered * 101 // 100
    row: list[object] = [station, district, ballot, registered, received, found, found // 100, found // 40]
    row += [received - found, found, figures["invalid"], figures["against_all"], source]
    row += [figures[o] if o in ballot_options else "" for o in options]
    return row


def main(day: Path) -> None:
    rng = np.random.default_rng(SEED)
    almaty = day.parent / "almaty-2023"
    stations = rows(almaty / "stations.csv")
    found = {}
    for file in sorted((almaty / "protocols").glob("*.csv")):
        for r in rows(file):
            if r["ballot"] == "list":
                found[int(r["station"])] = int(r["found"])
    parties = list(NATIONAL)
    majilis = day / "majilis"
    all_candidates = {d: candidates(d) for d in range(1, DISTRICTS + 1)}
    options = parties + [name for d in range(1, DISTRICTS + 1) for name, _ in all_candidates[d]]
    header = ["station", "district", "ballot", *FIGURES] + [f"vote:{o}" for o in options]

    # Almaty's stations: the Mäjilis ballots of the voters who took the mäslihat list ballot (illustrative).
    shares = np.array([ALMATY_SHARES[p] for p in [*parties, "against_all"]])
    district_shares = np.array([0.40, 0.24, 0.16, 0.11, 0.09])  # the intended winner (candidate A) leads
    almaty_rows: list[list[object]] = []
    list_sum = dict.fromkeys([*parties, "against_all", "invalid"], 0)
    day_stations: list[list[object]] = []
    for s in stations:
        number, maslihat, registered = int(s["station"]), int(s["district"]), int(s["registered"])
        district = majilis_district(maslihat)
        day_stations.append(
            [
                number,
                registered,
                "Almaty",
                "",
                district,
                maslihat,
                "almaty-2023/stations.csv; Mäjilis district illustrative",
            ]
        )
        voters = found[number]
        invalid = int(rng.binomial(voters, 0.035))
        split = rng.multinomial(voters - invalid, rng.dirichlet(shares * 400))
        figures = {p: int(v) for p, v in zip([*parties, "against_all"], split, strict=True)} | {"invalid": invalid}
        for k, v in figures.items():
            list_sum[k] += v
        almaty_rows.append(protocol_row(number, district, "list", registered, figures, ILLUSTRATIVE, options, parties))
        names = [n for n, _ in all_candidates[district]]
        d_invalid = int(rng.binomial(voters, 0.03))
        d_against = int(rng.binomial(voters - d_invalid, 0.06))
        weights = rng.dirichlet(district_shares * 300)
        votes = rng.multinomial(voters - d_invalid - d_against, weights)
        d_figures = {n: int(v) for n, v in zip(names, votes, strict=True)} | {
            "invalid": d_invalid,
            "against_all": d_against,
        }
        almaty_rows.append(
            protocol_row(number, district, "district", registered, d_figures, ILLUSTRATIVE, options, names)
        )

    # One aggregate station per Mäjilis district outside Almaty: the national remainder, split illustratively.
    outside = list(range(ALMATY_DISTRICTS + 1, DISTRICTS + 1))
    weights = rng.uniform(0.6, 1.4, len(outside))
    remainder = {p: NATIONAL[p] - list_sum[p] for p in parties} | {
        "against_all": NATIONAL_AGAINST_ALL - list_sum["against_all"]
    }
    split_lines = {k: rng.multinomial(v, weights / weights.sum()) for k, v in remainder.items()}
    outside_rows: list[list[object]] = []
    for i, district in enumerate(outside):
        number = 9000 + district
        figures = {k: int(v[i]) for k, v in split_lines.items()}
        valid = sum(figures.values())
        figures["invalid"] = int(valid * rng.uniform(0.01, 0.02))
        voters = valid + figures["invalid"]
        registered = int(voters / rng.uniform(0.52, 0.58))
        day_stations.append([number, registered, OUTSIDE, "", district, "", AGGREGATE])
        outside_rows.append(protocol_row(number, district, "list", registered, figures, AGGREGATE, options, parties))
        names = [n for n, _ in all_candidates[district]]
        d_invalid = int(voters * 0.015)
        d_against = int(voters * 0.05)
        votes = rng.multinomial(voters - d_invalid - d_against, rng.dirichlet(np.array([12.0, 5.0, 3.0]) * 50))
        d_figures = {n: int(v) for n, v in zip(names, votes, strict=True)} | {
            "invalid": d_invalid,
            "against_all": d_against,
        }
        outside_rows.append(
            protocol_row(number, district, "district", registered, d_figures, AGGREGATE, options, names)
        )

    write(majilis / "protocols" / "almaty.csv", header, almaty_rows)
    write(majilis / "protocols" / "outside-almaty.csv", header, outside_rows)
    write(
        day / "stations.csv",
        ["station", "registered", "region", "area", "district:majilis", "district:almaty-maslihat", "source"],
        day_stations,
    )

    # The Mäjilis contest folder's own files.
    party_rows = {r["short_name"]: r for r in rows(almaty / "parties.csv")}
    columns = list(next(iter(party_rows.values())))
    party_rows["NSDP"] = dict(
        zip(
            columns,
            [
                "NSDP",
                "Nationwide Social Democratic Party",
                "7",
                "2023-02-18",
                "",
                "",
                "",
                "#AD1457",
                "Nationwide Social Democratic Party",
                "ЖСДП",
                "ОСДП",
                "Жалпыұлттық социал-демократиялық партия",
                "Общенациональная социал-демократическая партия",
                "CEC: the party stood for the Mäjilis (not for Almaty's mäslihat); registration order and colour "
                "illustrative; kk/ru names written from memory (review)",
            ],
            strict=True,
        )
    )
    body = []
    for order, p in enumerate(parties, 1):
        r = dict(party_rows[p])
        r["registration_order"] = str(order)
        if p != "NSDP":
            r["source"] = (
                "examples/almaty-2023/parties.csv; Mäjilis registration order = the CEC's results order (assumed)"
            )
        for key in ("leader", "leader_since", "list_leader"):
            r[key] = ""
        body.append([r[c] for c in columns])
    write(majilis / "parties.csv", columns, body)
    write(
        majilis / "districts.csv",
        ["number", "name", "name_kk", "name_ru", "source"],
        [
            [
                d,
                f"Mäjilis district No. {d}",
                f"№ {d} бір мандатты сайлау округі",
                f"Одномандатный избирательный округ № {d}",
                "illustrative: numbers and names not recorded"
                + ("; in Almaty" if d <= ALMATY_DISTRICTS else "; outside Almaty"),
            ]
            for d in range(1, DISTRICTS + 1)
        ],
    )
    write(
        majilis / "candidates.csv",
        ["district", "candidate", "party", "source"],
        [
            [
                d,
                name,
                party,
                "illustrative: the published district seats are 22 Amanat and 7 self-nominated (Wikipedia)",
            ]
            for d in range(1, DISTRICTS + 1)
            for name, party in all_candidates[d]
        ],
    )
    totals = {k: list_sum[k] + sum(int(x) for x in split_lines.get(k, [])) for k in [*parties, "against_all"]}
    assert all(totals[p] == NATIONAL[p] for p in parties) and totals["against_all"] == NATIONAL_AGAINST_ALL
    write(
        majilis / "results" / "list.csv",
        ["party", "votes", "published_percent", "published_seats", "source"],
        [[p, NATIONAL[p], PUBLISHED[p][0], PUBLISHED[p][1], CEC] for p in parties],
    )
    list_rows = almaty_rows[0::2] + outside_rows[0::2]
    district_rows = almaty_rows[1::2] + outside_rows[1::2]
    invalid = sum(int(str(r[10])) for r in list_rows)
    registered_all = sum(int(str(r[1])) for r in day_stations)
    took_part = sum(NATIONAL.values()) + NATIONAL_AGAINST_ALL + invalid
    ballots = [
        [
            "list",
            "",
            registered_all,
            took_part,
            NATIONAL_AGAINST_ALL,
            invalid,
            f"{CEC}: party votes and against all (they add up to the 6,366,441 who took part as published); "
            "invalid and registered illustrative",
        ]
    ]
    votes_by = []
    for d in range(1, DISTRICTS + 1):
        own = [r for r in district_rows if r[1] == d]
        ballots.append(
            [
                "district",
                d,
                sum(int(str(r[3])) for r in own),
                sum(int(str(r[9])) for r in own),
                sum(int(str(r[11])) for r in own),
                sum(int(str(r[10])) for r in own),
                ILLUSTRATIVE,
            ]
        )
        for name, _party in all_candidates[d]:
            column = 13 + options.index(name)
            votes_by.append([d, name, sum(int(str(r[column])) for r in own), ILLUSTRATIVE])
    write(
        majilis / "results" / "ballots.csv",
        ["ballot", "district", "registered", "took_part", "against_all", "invalid", "source"],
        ballots,
    )
    write(majilis / "results" / "districts.csv", ["district", "candidate", "votes", "source"], votes_by)

    # The commissions: the CEC; Almaty's territorial commission; district commissions; Almaty's precincts.
    commission_rows: list[list[object]] = [
        [
            "cec",
            "central",
            "",
            "Central Election Commission",
            "Орталық сайлау комиссиясы",
            "Центральная избирательная комиссия",
            "",
            "",
            "",
            "",
            "majilis",
            "shared/spec/glossary.md",
        ],
        [
            "almaty",
            "territorial",
            "cec",
            "Almaty City Territorial Electoral Commission",
            "Алматы қалалық аумақтық сайлау комиссиясы",
            "Алматинская городская территориальная избирательная комиссия",
            "Almaty",
            "",
            "",
            "",
            "almaty-maslihat",
            "examples/almaty-2023/election.toml",
        ],
    ]
    for d in range(1, DISTRICTS + 1):
        parent = "almaty" if d <= ALMATY_DISTRICTS else "cec"
        commission_rows.append(
            [
                f"majilis-{d}",
                "district",
                parent,
                f"Mäjilis district No. {d} electoral commission",
                f"№ {d} округтік сайлау комиссиясы (Мәжіліс)",
                f"Окружная избирательная комиссия № {d} (Мажилис)",
                "",
                "",
                "majilis",
                d,
                "",
                ILLUSTRATIVE,
            ]
        )
    for d in range(1, 22):
        commission_rows.append(
            [
                f"almaty-{d}",
                "district",
                "almaty",
                f"Almaty City Mäslihat district No. {d} electoral commission",
                f"№ {d} округтік сайлау комиссиясы (Алматы қалалық мәслихаты)",
                f"Окружная избирательная комиссия № {d} (маслихат города Алматы)",
                "",
                "",
                "almaty-maslihat",
                d,
                "",
                ILLUSTRATIVE,
            ]
        )
    for s in stations:
        number = int(s["station"])
        commission_rows.append(
            [
                f"precinct-{number}",
                "precinct",
                f"almaty-{int(s['district'])}",
                f"Precinct electoral commission No. {number}",
                f"№ {number} учаскелік сайлау комиссиясы",
                f"Участковая избирательная комиссия № {number}",
                "",
                number,
                "",
                "",
                "",
                ILLUSTRATIVE,
            ]
        )
    write(
        day / "commissions.csv",
        [
            "id",
            "level",
            "parent",
            "name",
            "name_kk",
            "name_ru",
            "region",
            "stations",
            "contest",
            "districts",
            "declares",
            "source",
        ],
        commission_rows,
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
