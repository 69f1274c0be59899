"""A protocol's row carries the audit version at which the figures it counts with last changed; the stations'
running tallies (`station_tallies`) go.

`station_tallies` held, for every protocol that ever counted, its district, its figures (again: the
protocol's definitive entry while accepted) and that version, so that a snapshot reads only what changed
since the one before it. Each group of entries wrote its rows, its key's index (the rows of one group lie
at random stations) and its `(contest, version)` index (on an election day one place for each contest the
group touches): about 30 pages of SQLite's log a commit of 50 entries on a day of 21 contests, beside the
protocols' own rows, which the same transaction writes anyway. Now the protocol's row is stamped
(`protocols.tally_version`, 0: it never counted), and `ix_protocols_tally_version` (version, contest) holds
only the stamped protocols (a partial index, both databases), in the order they were stamped: a group
appends its own at its end.

The stamps are copied from `station_tallies`; the figures need no copy (they are the protocols'). Both
databases. Self-contained (it does not import the service); tests/service/test_migration.py upgrades a
release's database through it and checks the tallies against a recount, and tests/service/test_tallies.py
goes down through it and up again.

Revision ID: h22s_tally_version
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "h22s_tally_version"
down_revision = "h22s_lean_tallies"
branch_labels = None
depends_on = None

STAMPED = "tally_version > 0"
"""The protocols `ix_protocols_tally_version` holds."""


def upgrade() -> None:
    """Stamp each protocol with its station row's version, index the stamped ones, drop `station_tallies`."""
    op.add_column("protocols", sa.Column("tally_version", sa.Integer, nullable=False, server_default="0"))
    op.execute(
        "UPDATE protocols SET tally_version = (SELECT s.version FROM station_tallies s WHERE s.contest = "
        "protocols.contest AND s.station = protocols.station AND s.ballot = protocols.ballot) "
        "WHERE EXISTS (SELECT 1 FROM station_tallies s WHERE s.contest = protocols.contest AND "
        "s.station = protocols.station AND s.ballot = protocols.ballot)"
    )
    _index_stamped()
    op.drop_index("ix_station_tallies_contest_version", "station_tallies")
    op.drop_table("station_tallies")


def _index_stamped() -> None:
    where = sa.text(STAMPED)
    op.create_index(
        "ix_protocols_tally_version",
        "protocols",
        ["tally_version", "contest"],
        sqlite_where=where,
        postgresql_where=where,
    )


def downgrade() -> None:
    """`station_tallies` made again from the stamped protocols (their figures while accepted), then the stamps
    and their index dropped."""
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
    assert station_tallies is not None
    query = sa.text(
        f"SELECT contest, station, ballot, district, tally_version, state, definitive FROM protocols WHERE {STAMPED} "
        "ORDER BY contest, station, ballot"
    )
    rows = []
    for contest, station, ballot, district, version, state, definitive in op.get_bind().execute(query):
        figures = None
        if state == "accepted" and definitive is not None:
            found = json.loads(definitive)["figures"]
            figures = json.dumps(found, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        rows.append(
            {
                "contest": contest,
                "station": station,
                "ballot": ballot,
                "district": district,
                "version": version,
                "figures": figures,
            }
        )
    if rows:
        op.bulk_insert(station_tallies, rows)
    op.drop_index("ix_protocols_tally_version", "protocols")
    with op.batch_alter_table("protocols") as batch:
        batch.drop_column("tally_version")
