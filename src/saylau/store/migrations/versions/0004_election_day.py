"""The election day: many contests in one database, stations once, protocols by station, contest and ballot.

A database of the previous releases holds one contest (the `election` table's one row). It becomes the one
contest `election` of a day of one contest: its row moves to `contests`, every protocol and drawing of lots
gets `contest = 'election'`, stations keep their number and registered voters (their district stays on
their protocols, where the count reads it) and gain a region and an area. The day's own row, the commission
tree (empty: the day of one contest has no commissions.csv) and each user's commission (none: the top of the
tree, as before) are added, and the tables of results travelling up the tree: the summary protocols of the
commissions below, the bundles imported from them, and the keys that sign and check those bundles. Nothing
entered is lost: tests/service/test_migration.py upgrades a database written by release 8640354 and compares
every row.

Revision ID: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

CONTEST = "election"
"""The id the contest of a one-contest database gets (and that a contest folder served alone gets)."""


def upgrade() -> None:
    """Move the one contest into the day's tables; key protocols and drawings of lots by contest."""
    op.create_table(
        "day",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("definition", sa.Text, nullable=False),
        sa.Column("definition_sha256", sa.String(64), nullable=False),
    )
    op.create_table(
        "contests",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("definition", sa.Text, nullable=False),
        sa.Column("definition_sha256", sa.String(64), nullable=False),
        sa.Column("certified", sa.Boolean, nullable=False),
        sa.Column("bundle", sa.Text),
    )
    op.create_table(
        "commissions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("parent", sa.String(64)),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("stations", sa.Text, nullable=False),
        sa.Column("districts", sa.Text, nullable=False),
        sa.Column("declares", sa.Text, nullable=False),
    )
    op.create_table(
        "summaries",
        sa.Column("commission", sa.String(64), primary_key=True),
        sa.Column("contest", sa.String(64), sa.ForeignKey("contests.id"), primary_key=True),
        sa.Column("ballot", sa.String(8), primary_key=True),
        sa.Column("district", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("first", sa.Text),
        sa.Column("second", sa.Text),
        sa.Column("definitive", sa.Text),
        sa.Column("bundle_sha256", sa.String(64), nullable=False),
    )
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("commission", sa.String(64), nullable=False, index=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("bundle", sa.Text, nullable=False),
        sa.Column("at", sa.Text, nullable=False),
        sa.UniqueConstraint("commission", "version"),
    )
    op.create_table(
        "keys",
        sa.Column("commission", sa.String(64), primary_key=True),
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.Column("private_key", sa.Text),
    )
    # The sha256 of '{}' (an empty day definition: the one contest is served from its own folder).
    op.execute(
        "INSERT INTO day (id, name, definition, definition_sha256) SELECT 1, name, '{}', "
        "'44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a' FROM election"
    )
    op.execute(
        "INSERT INTO contests (id, position, name, definition, definition_sha256, certified, bundle) "
        f"SELECT '{CONTEST}', 0, name, definition, definition_sha256, certified, bundle FROM election"
    )

    op.create_table(
        "protocols_day",
        sa.Column("station", sa.Integer, sa.ForeignKey("stations.number"), primary_key=True, autoincrement=False),
        sa.Column("contest", sa.String(64), sa.ForeignKey("contests.id"), primary_key=True),
        sa.Column("ballot", sa.String(8), primary_key=True),
        sa.Column("district", sa.Integer, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("first", sa.Text),
        sa.Column("second", sa.Text),
        sa.Column("definitive", sa.Text),
    )
    op.execute(
        "INSERT INTO protocols_day (station, contest, ballot, district, state, first, second, definitive) "
        f"SELECT station, '{CONTEST}', ballot, district, state, first, second, definitive FROM protocols"
    )
    op.drop_table("protocols")
    op.rename_table("protocols_day", "protocols")
    op.create_index("ix_protocols_district", "protocols", ["district"])

    op.create_table(
        "decisions_day",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("contest", sa.String(64), sa.ForeignKey("contests.id"), nullable=False),
        sa.Column("tier", sa.String(8), nullable=False),
        sa.Column("district", sa.Integer, nullable=False),
        sa.Column("tied", sa.Text, nullable=False),
        sa.Column("winners", sa.Text, nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("seats", sa.Integer, nullable=False, server_default="1"),
        sa.Column("drawn_on", sa.Text, nullable=False, server_default=""),
        sa.Column("at", sa.Text, nullable=False, server_default=""),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.UniqueConstraint("contest", "tier", "district", "tied"),
    )
    op.execute(
        'INSERT INTO decisions_day (id, contest, tier, district, tied, winners, "by", seats, drawn_on, at, note) '
        f"SELECT id, '{CONTEST}', tier, district, tied, winners, \"by\", seats, drawn_on, at, note FROM decisions"
    )
    op.drop_table("decisions")
    op.rename_table("decisions_day", "decisions")
    if op.get_bind().dialect.name == "postgresql":  # the serial counter follows the ids copied
        op.execute(
            "SELECT setval(pg_get_serial_sequence('decisions', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM decisions"
        )

    op.drop_table("election")
    op.drop_index("ix_stations_district", "stations")
    # In place, not rebuilt: SQLite (3.35 and later) drops and adds these columns itself, and rebuilding
    # `stations` would orphan, for a moment, every protocol that refers to it.
    op.drop_column("stations", "district")
    op.add_column("stations", sa.Column("region", sa.Text, nullable=False, server_default=""))
    op.add_column("stations", sa.Column("area", sa.Text, nullable=False, server_default=""))
    op.add_column("users", sa.Column("commission", sa.String(64)))


def downgrade() -> None:
    """Not supported: a day of several contests has no one-contest form (restore a backup instead)."""
    raise NotImplementedError("the election day cannot be downgraded to one contest: restore a backup")
