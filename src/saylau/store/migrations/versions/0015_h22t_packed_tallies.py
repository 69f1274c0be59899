"""The running tallies of a district in one row: `tallies` (contest, ballot, district, line) becomes one row for
each contest, ballot and district, its lines packed side by side (`lines`, `sums`, `protocols`: a
PostgreSQL array each, JSON text on SQLite).

Why: a group of entries moves every line of each protocol it accepts or reopens, and on an election day
those protocols lie in hundreds of districts of 21 contests: a group of 50 entries upserted some 316 line
rows on PostgreSQL (each its own index lookup, row version and log record), one contest of the same size
238. Packed, it writes one row for each district and ballot it moves, whatever the lines.

The rows are packed from the lines as they are (no recount) and unpacked again on the way down, in the
lines' code-point order (`COLLATE "C"`: Python's `sorted`, which `saylau.store.tallies` writes them in);
each line's sum and count stay exact (BIGINT, INTEGER). Both databases (WITHOUT ROWID on SQLite, as 0012
made the tables). Self-contained (it does not import the service); tests/service/test_migration.py upgrades
a release's database through it and checks the tallies against a recount, and tests/service/test_tallies.py
goes down through it and up again.

Revision ID: h22t_packed_tallies
"""

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "h22t_packed_tallies"
down_revision = "h22s_entry_progress"
branch_labels = None
depends_on = None

NEW = "tallies_h22t"
"""The table made beside `tallies`, filled, then renamed to it."""

KEY = "contest, ballot, district"


def _postgresql() -> bool:
    return bool(op.get_bind().dialect.name == "postgresql")


def _key() -> list[sa.Column[Any]]:
    return [
        sa.Column("contest", sa.String(64), sa.ForeignKey("contests.id"), primary_key=True),
        sa.Column("ballot", sa.String(8), primary_key=True),
        sa.Column("district", sa.Integer, primary_key=True, autoincrement=False),
    ]


def _packed(element: Any) -> Any:
    return postgresql.ARRAY(element) if _postgresql() else sa.Text()


def _storage() -> dict[str, bool]:
    """The tables' storage: in their key's order on SQLite (0012), PostgreSQL's own."""
    return {} if _postgresql() else {"sqlite_with_rowid": False}


def upgrade() -> None:
    """Pack each district's lines into one row."""
    op.create_table(
        NEW,
        *_key(),
        sa.Column("lines", _packed(sa.Text), nullable=False),
        sa.Column("sums", _packed(sa.BigInteger), nullable=False),
        sa.Column("protocols", _packed(sa.Integer), nullable=False),
        **_storage(),
    )
    if _postgresql():
        order = 'ORDER BY line COLLATE "C"'
        packed = f"array_agg(line {order}), array_agg(value {order}), array_agg(protocols {order})"
        op.execute(f"INSERT INTO {NEW} SELECT {KEY}, {packed} FROM tallies GROUP BY {KEY} ORDER BY {KEY}")
    else:  # SQLite's own order of text is by code point; its aggregates read the rows in the subquery's order
        packed = "json_group_array(line), json_group_array(value), json_group_array(protocols)"
        op.execute(
            f"INSERT INTO {NEW} SELECT {KEY}, {packed} FROM (SELECT * FROM tallies ORDER BY {KEY}, line) "
            f"GROUP BY {KEY} ORDER BY {KEY}"
        )
    _replace()


def downgrade() -> None:
    """A row for each line again."""
    op.create_table(
        NEW,
        *_key(),
        sa.Column("line", sa.Text, primary_key=True),
        sa.Column("value", sa.BigInteger, nullable=False),
        sa.Column("protocols", sa.Integer, nullable=False),
        **_storage(),
    )
    if _postgresql():
        op.execute(
            f"INSERT INTO {NEW} SELECT t.contest, t.ballot, t.district, u.line, u.value, u.protocols FROM tallies t, "
            "unnest(t.lines, t.sums, t.protocols) AS u(line, value, protocols) ORDER BY 1, 2, 3, 4"
        )
    else:
        op.execute(
            f"INSERT INTO {NEW} SELECT t.contest, t.ballot, t.district, l.value, s.value, n.value FROM tallies t "
            "JOIN json_each(t.lines) l JOIN json_each(t.sums) s ON s.key = l.key "
            "JOIN json_each(t.protocols) n ON n.key = l.key ORDER BY 1, 2, 3, 4"
        )
    _replace()


def _replace() -> None:
    """`tallies` dropped, the table made beside it renamed to it (and its primary key's index, PostgreSQL)."""
    op.drop_table("tallies")
    op.rename_table(NEW, "tallies")
    if _postgresql():
        op.execute(f"ALTER INDEX {NEW}_pkey RENAME TO tallies_pkey")
