"""Drawings of lots for open lists: `decisions.tier` takes `candidate` (nine letters; it held eight).

The tier of a recorded drawing is `list`, `district` or now `candidate` (an open list's candidates tied on
preference votes, service/decisions.py). The column widens from VARCHAR(8) to VARCHAR(16); every row stays as
it is. SQLite rebuilds the table (batch mode: it cannot alter a column's type), PostgreSQL alters it in place.

Revision ID: h27_candidate_tier
"""

import sqlalchemy as sa
from alembic import op

revision = "h27_candidate_tier"
down_revision = "h22_entry_states"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Widen the column."""
    with op.batch_alter_table("decisions") as batch:
        batch.alter_column("tier", type_=sa.String(16), existing_type=sa.String(8), existing_nullable=False)


def downgrade() -> None:
    """Narrow it again (a `candidate` row must be withdrawn first: it no longer fits)."""
    with op.batch_alter_table("decisions") as batch:
        batch.alter_column("tier", type_=sa.String(8), existing_type=sa.String(16), existing_nullable=False)
