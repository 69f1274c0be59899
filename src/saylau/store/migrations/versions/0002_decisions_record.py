"""Drawings of lots as the commission records them: the seats at stake, when they were drawn, when recorded.

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the record's seats, drawing date, recording time and note to `decisions`."""
    with op.batch_alter_table("decisions") as batch:
        batch.add_column(sa.Column("seats", sa.Integer, nullable=False, server_default="1"))
        batch.add_column(sa.Column("drawn_on", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("at", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("note", sa.Text, nullable=False, server_default=""))


def downgrade() -> None:
    """Drop the added columns."""
    with op.batch_alter_table("decisions") as batch:
        for name in ("note", "at", "drawn_on", "seats"):
            batch.drop_column(name)
