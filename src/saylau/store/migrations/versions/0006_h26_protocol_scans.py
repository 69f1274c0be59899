"""Scans and photos of paper protocols: the `protocol_scans` table (service/scans.py).

Revision ID: h26_protocol_scans
"""

import sqlalchemy as sa
from alembic import op

revision = "h26_protocol_scans"
down_revision = "hfin_observer_copies"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add `protocol_scans`: nothing stored before changes."""
    op.create_table(
        "protocol_scans",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("station", sa.Integer, sa.ForeignKey("stations.number"), nullable=False),
        sa.Column("contest", sa.String(64), sa.ForeignKey("contests.id"), nullable=False),
        sa.Column("ballot", sa.String(8), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("media", sa.String(32), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("body", sa.LargeBinary, nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("at", sa.Text, nullable=False),
    )
    op.create_index("ix_protocol_scans_protocol", "protocol_scans", ["station", "contest", "ballot"])


def downgrade() -> None:
    """Drop what `upgrade` added."""
    op.drop_index("ix_protocol_scans_protocol", "protocol_scans")
    op.drop_table("protocol_scans")
