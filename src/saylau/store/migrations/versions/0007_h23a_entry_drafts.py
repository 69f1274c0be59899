"""Entries that survive the night (issue 23): the `entry_drafts` an operator's form is saved into as they type,
and the `entry_receipts` that make finalising a form idempotent (the same key answers with the saved state).

Revision ID: h23a_entry_drafts
"""

import sqlalchemy as sa
from alembic import op

revision = "h23a_entry_drafts"
down_revision = "h26_protocol_scans"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the two tables."""
    op.create_table(
        "entry_drafts",
        sa.Column("user", sa.String(64), primary_key=True),
        sa.Column("station", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("contest", sa.String(64), primary_key=True),
        sa.Column("ballot", sa.String(8), primary_key=True),
        sa.Column("typed", sa.Text, nullable=False),
        sa.Column("at", sa.Text, nullable=False),
    )
    op.create_table(
        "entry_receipts",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("user", sa.String(64), nullable=False),
        sa.Column("station", sa.Integer, nullable=False),
        sa.Column("contest", sa.String(64), nullable=False),
        sa.Column("ballot", sa.String(8), nullable=False),
        sa.Column("at", sa.Text, nullable=False),
    )


def downgrade() -> None:
    """Drop what `upgrade` added."""
    op.drop_table("entry_receipts")
    op.drop_table("entry_drafts")
