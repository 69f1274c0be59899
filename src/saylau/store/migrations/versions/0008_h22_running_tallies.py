"""Running tallies: every contest's totals per district, per commission and per station, kept as protocols move.

Creates `tallies` (contest, ballot, district, line), `commission_tallies` (commission, contest, ballot,
line; for every commission above a precinct) and `station_tallies` (contest, station, ballot), and fills
them from the protocols already accepted: each numbered line and each option's votes (`vote:NAME`) summed
with exact integers, with the number of accepted protocols carrying it, and `_register`, the station
register's voters of the stations counted (from each contest's stations.csv, as the count reads it). The
stations' rows are stamped with the audit log's last row. Self-contained (it does not import the
service), so later changes of the code leave it as it ran; tests/service/test_migration.py checks that
what it fills equals a recount.

Revision ID: h22_running_tallies
"""

import csv
import io
import json
from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "h22_running_tallies"
down_revision = "h23a_entry_drafts"
branch_labels = None
depends_on = None

FIGURES = (
    "registered",
    "received",
    "issued",
    "issued_absentee",
    "issued_outside",
    "cancelled",
    "found",
    "invalid",
    "against_all",
)


def upgrade() -> None:
    """Create the three tables and fill them from the accepted protocols."""
    tallies = op.create_table(
        "tallies",
        sa.Column("contest", sa.String(64), sa.ForeignKey("contests.id"), primary_key=True),
        sa.Column("ballot", sa.String(8), primary_key=True),
        sa.Column("district", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("line", sa.Text, primary_key=True),
        sa.Column("value", sa.BigInteger, nullable=False),
        sa.Column("protocols", sa.Integer, nullable=False),
    )
    commission_tallies = op.create_table(
        "commission_tallies",
        sa.Column("commission", sa.String(64), primary_key=True),
        sa.Column("contest", sa.String(64), sa.ForeignKey("contests.id"), primary_key=True),
        sa.Column("ballot", sa.String(8), primary_key=True),
        sa.Column("line", sa.Text, primary_key=True),
        sa.Column("value", sa.BigInteger, nullable=False),
        sa.Column("protocols", sa.Integer, nullable=False),
    )
    station_tallies = op.create_table(
        "station_tallies",
        sa.Column("contest", sa.String(64), sa.ForeignKey("contests.id"), primary_key=True),
        sa.Column("station", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("ballot", sa.String(8), primary_key=True),
        sa.Column("district", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("figures", sa.Text),
    )
    op.create_index("ix_station_tallies_contest_version", "station_tallies", ["contest", "version"])
    assert tallies is not None and commission_tallies is not None and station_tallies is not None
    _fill(op.get_bind(), tallies, commission_tallies, station_tallies)


def _fill(connection: Any, tallies: sa.Table, commission_tallies: sa.Table, station_tallies: sa.Table) -> None:
    version = connection.execute(sa.text("SELECT last_id FROM audit_head WHERE id = 1")).scalar() or 0
    registers = {
        contest: _register(json.loads(definition))
        for contest, definition in connection.execute(sa.text("SELECT id, definition FROM contests"))
    }
    above: dict[int, list[str]] = defaultdict(list)
    query = sa.text("SELECT id, stations FROM commissions WHERE level != 'precinct' ORDER BY id")
    for commission, stations in connection.execute(query):  # a precinct's tally is its station's own row
        for station in json.loads(stations):
            above[int(station)].append(commission)
    by_district: dict[tuple[str, str, int, str], list[int]] = defaultdict(lambda: [0, 0])
    by_commission: dict[tuple[str, str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    stations = []
    query = sa.text(
        "SELECT station, contest, ballot, district, definitive FROM protocols WHERE state = 'accepted' "
        "ORDER BY contest, station, ballot"
    )
    for station, contest, ballot, district, definitive in connection.execute(query):
        figures = json.loads(definitive)["figures"]
        lines = {name: int(figures[name]) for name in FIGURES}
        lines.update({f"vote:{option}": int(votes) for option, votes in figures["votes"].items()})
        lines["_register"] = registers.get(contest, {}).get(int(station), 0)
        for line, value in lines.items():
            for change in (
                by_district[(contest, ballot, int(district), line)],
                *(by_commission[(c, contest, ballot, line)] for c in above.get(int(station), ())),
            ):
                change[0] += value
                change[1] += 1
        text = json.dumps(figures, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        stations.append(
            {
                "contest": contest,
                "station": int(station),
                "ballot": ballot,
                "district": int(district),
                "version": int(version),
                "figures": text,
            }
        )
    keys = ("contest", "ballot", "district", "line")
    rows = [dict(zip(keys, k, strict=True)) | {"value": v, "protocols": n} for k, (v, n) in by_district.items()]
    if rows:
        connection.execute(sa.insert(tallies), rows)
    keys = ("commission", "contest", "ballot", "line")
    rows = [dict(zip(keys, k, strict=True)) | {"value": v, "protocols": n} for k, (v, n) in by_commission.items()]
    if rows:
        connection.execute(sa.insert(commission_tallies), rows)
    if stations:
        connection.execute(sa.insert(station_tallies), stations)


def _register(files: dict[str, str]) -> dict[int, int]:
    """A contest's station register from its stations.csv: station number -> registered voters."""
    text = files.get("stations.csv", "").lstrip("\ufeff")
    out = {}
    for row in csv.DictReader(io.StringIO(text)):
        try:
            out[int(row["station"])] = int(row["registered"])
        except (KeyError, TypeError, ValueError):
            continue
    return out


def downgrade() -> None:
    """Drop the running tallies (the protocols they were counted from stay)."""
    op.drop_index("ix_station_tallies_contest_version", "station_tallies")
    op.drop_table("station_tallies")
    op.drop_table("commission_tallies")
    op.drop_table("tallies")
