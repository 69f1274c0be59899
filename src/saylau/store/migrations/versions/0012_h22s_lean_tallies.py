"""The running tallies kept as SQLite reads and writes them; a contest's and the day's hash read without their
definitions.

1. SQLite: `tallies`, `commission_tallies` and `entry_states` become WITHOUT ROWID tables, stored in their
   primary key's order. Each was a table of rowids beside an index of its primary key, so moving a line looked
   it up in the index and then changed the row in the table: two B-trees for each of the few hundred lines a
   group of entries moves on an election day. The rows are copied as they are (same columns, same values).
   `station_tallies` keeps its rowids: its rows carry a protocol's figures, and stored in key order each new
   one would be written into the middle of the table (more pages to the log at every commit, measured),
   where with rowids it is appended. PostgreSQL keeps its tables as they are.
2. Both databases: `ix_contests_state` (a contest's id, position, name, definition hash and certification) and
   `ix_day_definition_sha256`. SQLite stores a row's columns in order, and the definition (every file of the
   folder as JSON, hundreds of kilobytes on a country's day) comes before the hash and the certification, so
   reading those walked every page of the definition's overflow chain: every group of entries read every
   contest's (to refuse a certified one) and the day's (which commission tree the tallies follow), some 700
   pages at 10,146 stations, more than SQLite's page cache (2 MiB) holds. With the indexes SQLite answers from
   them (`store.contests` names `ix_contests_state`: SQLite's planner would take the primary key's index).

Revision ID: h22s_lean_tallies
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "h22s_lean_tallies"
down_revision = "h27_candidate_tier"
branch_labels = None
depends_on = None

STATE = ("id", "position", "name", "definition_sha256", "certified")
"""The contest columns a group of entries reads: what `ix_contests_state` holds."""


def _contest() -> sa.Column[str]:
    return sa.Column("contest", sa.String(64), sa.ForeignKey("contests.id"), primary_key=True)


def _tables() -> list[tuple[str, list[sa.Column[Any]], list[tuple[str, list[str]]]]]:
    """Each table rebuilt: its name, columns (as migrations 0008 and 0010 made them) and indexes."""
    return [
        (
            "tallies",
            [
                _contest(),
                sa.Column("ballot", sa.String(8), primary_key=True),
                sa.Column("district", sa.Integer, primary_key=True, autoincrement=False),
                sa.Column("line", sa.Text, primary_key=True),
                sa.Column("value", sa.BigInteger, nullable=False),
                sa.Column("protocols", sa.Integer, nullable=False),
            ],
            [],
        ),
        (
            "commission_tallies",
            [
                sa.Column("commission", sa.String(64), primary_key=True),
                _contest(),
                sa.Column("ballot", sa.String(8), primary_key=True),
                sa.Column("line", sa.Text, primary_key=True),
                sa.Column("value", sa.BigInteger, nullable=False),
                sa.Column("protocols", sa.Integer, nullable=False),
            ],
            [],
        ),
        (
            "entry_states",
            [
                _contest(),
                sa.Column("ballot", sa.String(8), primary_key=True),
                sa.Column("district", sa.Integer, primary_key=True, autoincrement=False),
                sa.Column("state", sa.String(16), primary_key=True),
                sa.Column("protocols", sa.Integer, nullable=False),
            ],
            [],
        ),
    ]


def upgrade() -> None:
    """Rebuild the tally tables WITHOUT ROWID (SQLite); index the contests' and the day's hashes (both)."""
    if op.get_bind().dialect.name == "sqlite":
        _rebuild(with_rowid=False)
    op.create_index("ix_contests_state", "contests", list(STATE))
    op.create_index("ix_day_definition_sha256", "day", ["definition_sha256"])


def downgrade() -> None:
    """Drop the indexes; rebuild the tally tables with rowids again (SQLite)."""
    op.drop_index("ix_day_definition_sha256", "day")
    op.drop_index("ix_contests_state", "contests")
    if op.get_bind().dialect.name == "sqlite":
        _rebuild(with_rowid=True)


def _rebuild(*, with_rowid: bool) -> None:
    """Each tally table made again beside the old one, every row copied in key order, the old one dropped and
    the new one renamed to its name (SQLite cannot change a table's storage in place)."""
    for name, columns, indexes in _tables():
        new = f"{name}_h22s"
        op.create_table(new, *columns, sqlite_with_rowid=with_rowid)
        names = ", ".join(c.name for c in columns)
        keys = ", ".join(c.name for c in columns if c.primary_key)
        op.execute(f"INSERT INTO {new} ({names}) SELECT {names} FROM {name} ORDER BY {keys}")
        for index, _ in indexes:
            op.drop_index(index, name)
        op.drop_table(name)
        op.rename_table(new, name)
        for index, indexed in indexes:
            op.create_index(index, name, indexed)
