"""Observers' uploaded copies: the `observer_copies` table (each observers.csv as it came, who and when).

Revision ID: hfin_observer_copies
"""

import sqlalchemy as sa
from alembic import op

revision = "hfin_observer_copies"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the `observer_copies` table."""
    op.create_table(
        "observer_copies",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("contest", sa.String(64), sa.ForeignKey("contests.id"), nullable=False),
        sa.Column("observer", sa.String(64), nullable=False),
        sa.Column("at", sa.Text, nullable=False),
        sa.Column("copy_count", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
    )
    op.create_index("ix_observer_copies_observer", "observer_copies", ["observer"])


def downgrade() -> None:
    """Drop what `upgrade` added."""
    op.drop_index("ix_observer_copies_observer", "observer_copies")
    op.drop_table("observer_copies")
