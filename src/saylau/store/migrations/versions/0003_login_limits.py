"""Login limits per client: the client address of each failed login, and the clients each user logged in from.

Revision ID: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add `login_failures.client` and the `login_clients` table."""
    with op.batch_alter_table("login_failures") as batch:
        batch.add_column(sa.Column("client", sa.String(64), nullable=False, server_default=""))
        batch.create_index("ix_login_failures_client", ["client"])
    op.create_table(
        "login_clients",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("client", sa.String(64), primary_key=True),
        sa.Column("at", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    """Drop what `upgrade` added."""
    op.drop_table("login_clients")
    with op.batch_alter_table("login_failures") as batch:
        batch.drop_index("ix_login_failures_client")
        batch.drop_column("client")
