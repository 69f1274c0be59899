"""The commission's entry progress in one row a district: `entry_progress` (contest, district, a column for
each state other than empty) replaces `entry_states` (contest, ballot, district, state).

Every entry moves a protocol from one state to another, so every group of entries moves the counts of the
districts its protocols lie in. On an election day those are a few hundred districts of 21 contests, and
`entry_states` had a row for each ballot and state of each (about 1,800 rows): a commit of 50 entries wrote
12 of its pages to SQLite's log, against 1 for one contest of the same size (29 districts). Its only reader
sums the ballots (`store.tallies.states_by_district`), so one row a district, its states side by side, holds
the same answer in a quarter of the rows. Both databases (WITHOUT ROWID on SQLite, as `entry_states` was
since 0012); the counts are made again from the protocols, which they count (both ways).

Self-contained (it does not import the service); tests/service/test_migration.py upgrades a release's
database through it and checks the counts against a recount, and tests/service/test_tallies.py goes down
through it and up again.

Revision ID: h22s_entry_progress
"""

import sqlalchemy as sa
from alembic import op

revision = "h22s_entry_progress"
down_revision = "h22s_tally_version"
branch_labels = None
depends_on = None

STATES = {"first-entry": "first_entry", "different": "different", "warnings": "warnings", "accepted": "accepted"}
"""Each state but empty (as stored) and its column."""


def _contest() -> sa.Column[str]:
    return sa.Column("contest", sa.String(64), sa.ForeignKey("contests.id"), primary_key=True)


def _rowid() -> dict[str, bool]:
    """The tables' storage: in their key's order on SQLite (0012), PostgreSQL's own."""
    return {"sqlite_with_rowid": False} if op.get_bind().dialect.name == "sqlite" else {}


def upgrade() -> None:
    """Create `entry_progress`, count the protocols' states into it, drop `entry_states`."""
    op.create_table(
        "entry_progress",
        _contest(),
        sa.Column("district", sa.Integer, primary_key=True, autoincrement=False),
        *(sa.Column(column, sa.Integer, nullable=False, server_default="0") for column in STATES.values()),
        **_rowid(),
    )
    sums = ", ".join(f"SUM(CASE WHEN state = '{state}' THEN 1 ELSE 0 END)" for state in STATES)
    op.execute(
        f"INSERT INTO entry_progress (contest, district, {', '.join(STATES.values())}) "
        f"SELECT contest, district, {sums} FROM protocols WHERE state != 'empty' "
        "GROUP BY contest, district ORDER BY contest, district"
    )
    op.drop_table("entry_states")


def downgrade() -> None:
    """`entry_states` made again from the protocols (a row for each ballot and state), `entry_progress` dropped."""
    op.create_table(
        "entry_states",
        _contest(),
        sa.Column("ballot", sa.String(8), primary_key=True),
        sa.Column("district", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("state", sa.String(16), primary_key=True),
        sa.Column("protocols", sa.Integer, nullable=False),
        **_rowid(),
    )
    op.execute(
        "INSERT INTO entry_states (contest, ballot, district, state, protocols) "
        "SELECT contest, ballot, district, state, COUNT(*) FROM protocols WHERE state != 'empty' "
        "GROUP BY contest, ballot, district, state ORDER BY contest, ballot, district, state"
    )
    op.drop_table("entry_progress")
