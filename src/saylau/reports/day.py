"""An election day's declared result as JSON and as headed parts: each contest as its own report says it.

`day_summary` is the JSON of `saylau results DAY --json` (docs/election-day.md): the day's register and one
entry per contest whose `result` is exactly `summary(result)` of that contest alone (docs/json.md).
`commission_name` says a commission's name in the reader's language where the name is the law's term itself.
"""

from __future__ import annotations

from typing import Any

from saylau.domain import localised
from saylau.reports.i18n import N_, words
from saylau.reports.summary import summary
from saylau.result_day import DayResult


def day_summary(declared: DayResult) -> dict[str, Any]:
    """The day (name, date, status, stations, registered voters) and each contest declared, in the day's order."""
    day = declared.day
    return {
        "day": day.name,
        "date": day.date.isoformat() if day.date else None,
        "country": day.country,
        "status": str(declared.status),
        "stations": len(day.stations),
        "registered": day.registered,
        "contests": [
            {
                "id": contest.id,
                "folder": contest.folder,
                "stations": len(contest.stations),
                "registered": sum(day.stations[n].registered for n in contest.stations),
                "declared_by": declarer.id if (declarer := day.declarer(contest.id)) else None,
                "result": summary(result),
            }
            for contest, result in declared.contests
        ],
    }


def contest_heading(declared: DayResult, contest_id: str, lang: str) -> str:
    """The heading of one contest's part of a day's report: its election's name in `lang`, and its id."""
    contest = declared.day.contest(contest_id)
    if contest is None:
        return contest_id
    election = contest.election
    return f"{localised(election.names, lang, election.name)} ({contest.id})"


TERMS = frozenset({N_("Central Election Commission")})
"""Commission names that are the law's terms, msgids of the catalogues: the central commission of a day folder
without commissions.csv is named so (`saylau.io.day.CENTRAL_COMMISSION`), and a folder may name it so too."""


def commission_name(name: str, lang: str) -> str:
    """A day commission's name in `lang`: the catalogue's words where the name is the law's term (`TERMS`:
    Орталық сайлау комиссиясы, Центральная избирательная комиссия), any other name as its folder writes it."""
    return words(lang)(name) if name in TERMS else name
