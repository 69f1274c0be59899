"""Entry states counted as they move, and stale commission tallies deleted.

1. Creates `entry_states` (contest, ballot, district, state -> protocols): how many protocols are in each
   state other than empty, filled here from the protocols table and from then on moved in the same
   transaction as the protocols, so the commission's entry progress is a few rows per district rather than
   a count over every protocol of the day in every snapshot.
2. Migration 0008 filled `commission_tallies` for every commission above a precinct and every contest, and
   the service moved them so until a commission came to keep only the contests it takes part in (a district
   commission its districts' contest; any other commission those it or a commission above it declares; in
   a tree that names no declarations, every contest). A database migrated or counted before that change
   still holds the other lines; nothing reads them, but they are not the commission's figures. This deletes
   every (commission, contest) whose commission does not take part in the contest under that rule. It
   also deletes the lines of a commission whose area holds each of the contest's districts it touches
   whole: those are now its districts' lines summed when read, never written. The rest stay as they are
   (they were moved by the same protocols under every rule).

Self-contained (it does not import the service), so later changes of the code leave it as it ran;
tests/service/test_tallies.py checks that a database counted under the old rule equals a recount after it.

Revision ID: h22_entry_states
"""

import csv
import io
import json

import sqlalchemy as sa
from alembic import op

revision = "h22_entry_states"
down_revision = "h22_district_certifications"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Count the protocols' states into `entry_states`; delete the stale commission lines."""
    states = op.create_table(
        "entry_states",
        sa.Column("contest", sa.String(64), sa.ForeignKey("contests.id"), primary_key=True),
        sa.Column("ballot", sa.String(8), primary_key=True),
        sa.Column("district", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("state", sa.String(16), primary_key=True),
        sa.Column("protocols", sa.Integer, nullable=False),
    )
    assert states is not None
    connection = op.get_bind()
    counted = connection.execute(
        sa.text(
            "SELECT contest, ballot, district, state, COUNT(*) FROM protocols WHERE state != 'empty' "
            "GROUP BY contest, ballot, district, state"
        )
    ).all()
    keys = ("contest", "ballot", "district", "state", "protocols")
    if counted:
        connection.execute(sa.insert(states), [dict(zip(keys, row, strict=True)) for row in counted])
    _delete_stale(connection)


def _delete_stale(connection: sa.Connection) -> None:
    """Delete the lines of every (commission, contest) the commission takes no part in, or whose lines are
    now its whole districts' lines summed."""
    contests = {
        str(c): _districts(json.loads(d)) for c, d in connection.execute(sa.text("SELECT id, definition FROM contests"))
    }
    tree = {
        str(id_): (level, parent, [str(c) for c, _ in json.loads(districts)], [str(c) for c in json.loads(declares)])
        for id_, level, parent, districts, declares in connection.execute(
            sa.text("SELECT id, level, parent, districts, declares FROM commissions")
        )
    }
    areas = {
        str(id_): {int(s) for s in json.loads(stations)}
        for id_, stations in connection.execute(sa.text("SELECT id, stations FROM commissions"))
    }
    declaring = any(declares for _, _, _, declares in tree.values())
    stored = connection.execute(sa.text("SELECT DISTINCT commission, contest FROM commission_tallies")).all()
    for commission, contest in sorted(stored):
        taking = contest in _taking(tree, str(commission), set(contests), declaring)
        if not taking or _whole(areas.get(str(commission), set()), contests.get(str(contest), {})):
            connection.execute(
                sa.text("DELETE FROM commission_tallies WHERE commission = :commission AND contest = :contest"),
                {"commission": commission, "contest": contest},
            )


def _districts(files: dict[str, str]) -> dict[int, int]:
    """A contest's stations and their districts, from its stations.csv: station number -> district."""
    text = files.get("stations.csv", "").lstrip("\ufeff")
    out = {}
    for row in csv.DictReader(io.StringIO(text)):
        try:
            out[int(row["station"])] = int(row["district"])
        except (KeyError, TypeError, ValueError):
            continue
    return out


def _whole(area: set[int], district_of: dict[int, int]) -> bool:
    """Whether an area holds each of the contest's districts it touches whole."""
    touched = {district_of[s] for s in area if s in district_of}
    return sum(1 for s in area if s in district_of) == sum(1 for d in district_of.values() if d in touched)


def _taking(
    tree: dict[str, tuple[str, str | None, list[str], list[str]]], commission: str, contests: set[str], declaring: bool
) -> set[str]:
    """The contests a commission keeps running tallies of (none for a precinct or a commission not in the tree)."""
    found = tree.get(commission)
    if found is None or found[0] == "precinct":
        return set()
    if found[2]:
        return set(found[2])
    if not declaring:
        return set(contests)
    own: set[str] = set()
    above: str | None = commission
    while above is not None and above in tree:
        own.update(tree[above][3])
        above = tree[above][1]
    return own


def downgrade() -> None:
    """Drop the entry states (the stale lines deleted were no commission's figures: they stay deleted)."""
    op.drop_table("entry_states")
