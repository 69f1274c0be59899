"""The first schema: election, stations, users, sessions, login failures, protocols, decisions, audit.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create every table of the service."""
    op.create_table(
        "election",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("definition", sa.Text, nullable=False),
        sa.Column("definition_sha256", sa.String(64), nullable=False),
        sa.Column("certified", sa.Boolean, nullable=False),
        sa.Column("bundle", sa.Text),
    )
    op.create_table(
        "stations",
        sa.Column("number", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("district", sa.Integer, nullable=False, index=True),
        sa.Column("registered", sa.Integer, nullable=False),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("districts", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
    )
    op.create_table(
        "sessions",
        sa.Column("token_sha256", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("expires", sa.Integer, nullable=False),
    )
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64), nullable=False, index=True),
        sa.Column("at", sa.Integer, nullable=False),
    )
    op.create_table(
        "protocols",
        sa.Column("station", sa.Integer, sa.ForeignKey("stations.number"), primary_key=True, autoincrement=False),
        sa.Column("ballot", sa.String(8), primary_key=True),
        sa.Column("district", sa.Integer, nullable=False, index=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("first", sa.Text),
        sa.Column("second", sa.Text),
        sa.Column("definitive", sa.Text),
    )
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("tier", sa.String(8), nullable=False),
        sa.Column("district", sa.Integer, nullable=False),
        sa.Column("tied", sa.Text, nullable=False),
        sa.Column("winners", sa.Text, nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.UniqueConstraint("tier", "district", "tied"),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("at", sa.Text, nullable=False),
        sa.Column("user", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("before", sa.Text),
        sa.Column("after", sa.Text),
        sa.Column("reason", sa.Text),
        sa.Column("previous_sha256", sa.String(64), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
    )
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("last_id", sa.Integer, nullable=False),
        sa.Column("last_sha256", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    """Drop every table (children first)."""
    for table in ("audit_head", "audit", "decisions", "protocols", "login_failures", "sessions", "users"):
        op.drop_table(table)
    op.drop_table("stations")
    op.drop_table("election")
