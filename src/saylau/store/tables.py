"""The service's tables (SQLAlchemy Core). Migrations in `migrations/versions` create the same schema.

Figures are stored as JSON text, exactly as entered (ints only), so a protocol can be compared, audited and
exported without loss. The audit log has no foreign key to users, so it outlives any change to them.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

election = Table(
    "election",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("definition", Text, nullable=False),
    Column("definition_sha256", String(64), nullable=False),
    Column("certified", Boolean, nullable=False, default=False),
    Column("bundle", Text),
)
"""One row: the election's definition (its folder's files as JSON) and whether the result is certified."""

stations = Table(
    "stations",
    metadata,
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("district", Integer, nullable=False, index=True),
    Column("registered", Integer, nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(16), nullable=False),
    Column("districts", Text, nullable=False, default=""),
    Column("active", Boolean, nullable=False, default=True),
)
"""`districts`: comma-separated district numbers the user works for; empty means the whole city."""

sessions = Table(
    "sessions",
    metadata,
    Column("token_sha256", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("expires", Integer, nullable=False),
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, index=True),
    Column("at", Integer, nullable=False),
    Column("client", String(64), nullable=False, server_default="", index=True),
)
"""One row per wrong password within the login window: the name tried, when, and the client address."""

login_clients = Table(
    "login_clients",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("client", String(64), primary_key=True),
    Column("at", Integer, nullable=False),
)
"""Where each user last logged in from: a known client passes the per-name login limit (service/users.py)."""

protocols = Table(
    "protocols",
    metadata,
    Column("station", Integer, ForeignKey("stations.number"), primary_key=True, autoincrement=False),
    Column("ballot", String(8), primary_key=True),
    Column("district", Integer, nullable=False, index=True),
    Column("state", String(16), nullable=False),
    Column("first", Text),
    Column("second", Text),
    Column("definitive", Text),
)
"""One row per station and ballot; entries are JSON {"figures": ..., "by": ..., "warnings": [...]}."""

decisions = Table(
    "decisions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tier", String(8), nullable=False),
    Column("district", Integer, nullable=False, default=0),
    Column("tied", Text, nullable=False),
    Column("winners", Text, nullable=False),
    Column("by", String(64), nullable=False),
    Column("seats", Integer, nullable=False, server_default="1"),
    Column("drawn_on", Text, nullable=False, server_default=""),
    Column("at", Text, nullable=False, server_default=""),
    Column("note", Text, nullable=False, server_default=""),
    UniqueConstraint("tier", "district", "tied"),
)
"""Drawings of lots the commission recorded (service/decisions.py): among `tied` (a JSON list, the tie's own
order), competing for `seats`, the lot gave them to `winners`; `district` 0 for the list tier; `by` the user
who recorded it at `at`, `drawn_on` when the lots were drawn."""

audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("at", Text, nullable=False),
    Column("user", String(64), nullable=False),
    Column("role", String(16), nullable=False),
    Column("action", String(32), nullable=False),
    Column("subject", Text, nullable=False),
    Column("before", Text),
    Column("after", Text),
    Column("reason", Text),
    Column("previous_sha256", String(64), nullable=False),
    Column("sha256", String(64), nullable=False),
)
"""Append-only; each row's hash covers its fields and the previous row's hash (a SHA-256 chain)."""

audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("last_id", Integer, nullable=False),
    Column("last_sha256", String(64), nullable=False),
)
"""One row, locked by every write: it serialises appends so the chain has one order on any database."""
