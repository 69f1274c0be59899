"""District certifications: the districts whose result their district commission certified.

Creates `district_certifications` (contest, district, commission, result, by, at), empty: no district was
certified before (service/districts.py).

Revision ID: h22_district_certifications
"""

import sqlalchemy as sa
from alembic import op

revision = "h22_district_certifications"
down_revision = "h22_running_tallies"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the table."""
    op.create_table(
        "district_certifications",
        sa.Column("contest", sa.String(64), sa.ForeignKey("contests.id"), primary_key=True),
        sa.Column("district", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("commission", sa.String(64), nullable=False),
        sa.Column("result", sa.Text, nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("at", sa.Text, nullable=False),
    )


def downgrade() -> None:
    """Drop it."""
    op.drop_table("district_certifications")
