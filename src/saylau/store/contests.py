"""The day and its contests: the day's own definition files (the `day` table, one row) and, per contest, its
definition files, their hash, whether its result is certified and the certified results bundle (`contests`),
as `StoredDay`, `ContestState` and `Certification` records.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection, insert, select, update

from saylau.store import arrays, commissions
from saylau.store.tables import contests, day


@dataclass(frozen=True, slots=True)
class StoredDay:
    """The election day: its name and its own files (empty for a day of one contest served from its folder)."""

    name: str
    files: dict[str, str]
    sha256: str


@dataclass(frozen=True, slots=True)
class ContestState:
    """What every write checks first: which definition a contest has (its hash) and whether it is certified."""

    id: str
    position: int
    name: str
    sha256: str
    certified: bool


@dataclass(frozen=True, slots=True)
class Certification:
    """Whether a contest's result is certified, and its certified results bundle (None before)."""

    certified: bool
    bundle: dict[str, Any] | None


def create_day(connection: Connection, name: str, files: Mapping[str, str], sha256: str) -> None:
    """Store the day (once, on first start)."""
    commissions.forget_version(connection)
    connection.execute(insert(day).values(id=1, name=name, definition=_text(files), definition_sha256=sha256))


def stored_day(connection: Connection) -> StoredDay | None:
    """The day (None before the first start)."""
    row = connection.execute(select(day.c.name, day.c.definition, day.c.definition_sha256)).first()
    return None if row is None else StoredDay(row.name, json.loads(row.definition), row.definition_sha256)


def create(
    connection: Connection, contest: str, position: int, name: str, files: Mapping[str, str], sha256: str
) -> None:
    """Store the definition of one contest of the day (once, on first start)."""
    connection.execute(
        insert(contests).values(
            id=contest, position=position, name=name, definition=_text(files), definition_sha256=sha256, certified=False
        )
    )


def every(connection: Connection) -> list[ContestState]:
    """Every contest of the day, in the day's order."""
    return [_state(r) for r in connection.execute(select(*_STATE).order_by(contests.c.position))]


def state(
    connection: Connection, contest: str, *, lock: Literal["share", "update"] | None = None
) -> ContestState | None:
    """A contest's definition hash and certification (None: no such contest).

    `lock="share"` holds its row shared until the transaction ends (every write does, so that a racing
    certification waits for it); `lock="update"` holds it exclusively (a certification).
    """
    if connection.dialect.name == "sqlite":
        return _by_index(connection, [contest]).get(contest)
    query = select(*_STATE).where(contests.c.id == contest)
    if lock is not None:
        query = query.with_for_update(read=lock == "share")
    row = connection.execute(query).first()
    return None if row is None else _state(row)


def states(
    connection: Connection, ids: Collection[str], *, lock: Literal["share"] | None = None
) -> dict[str, ContestState]:
    """Several contests' definition hashes and certifications in one query, by id (a missing id left out);
    `lock="share"` as `state` does, in id order."""
    if connection.dialect.name == "sqlite":
        return _by_index(connection, sorted(ids))
    statement = STATES_PG + (" FOR SHARE" if lock is not None else "")
    return {r.id: _state(r) for r in connection.exec_driver_sql(statement, (arrays.literal(sorted(ids)),))}


STATES_PG = (
    "SELECT id, position, name, definition_sha256, certified FROM contests WHERE id = ANY(%s::text[]) ORDER BY id"
)
"""`states` on PostgreSQL: the ids as one array (`saylau.store.arrays`), so the statement's text is the same for
a group of entries in one contest or in 21, and psycopg prepares it once per connection (an `IN` list was
rendered and converted again for each number of contests)."""


_STATE = (contests.c.id, contests.c.position, contests.c.name, contests.c.definition_sha256, contests.c.certified)
"""What `ContestState` holds: the columns of `ix_contests_state`."""


def _by_index(connection: Connection, ids: Sequence[str]) -> dict[str, ContestState]:
    """SQLite: the contests' states read from `ix_contests_state` alone (SQLite has no row locks: its writers
    queue on the database's write lock, which a certification takes too).

    SQLite keeps a row's columns in order, and the definition (the folder's files, hundreds of kilobytes on a
    country's day) lies before the hash and the certification: read from the row, every page of the
    definition's overflow chain was read to reach them, for every contest of every group of entries. Its
    planner takes the primary key's index for `id IN (...)` and then the row, so the index is named."""
    if not ids:
        return {}
    statement = STATES_SQLITE.format(marks=", ".join("?" * len(ids)))
    return {r.id: _state(r) for r in connection.exec_driver_sql(statement, tuple(ids))}


STATES_SQLITE = (
    "SELECT id, position, name, definition_sha256, certified FROM contests INDEXED BY ix_contests_state "
    "WHERE id IN ({marks}) ORDER BY id"
)
"""`_by_index`'s statement; `{marks}`: a `?` per id."""


def _state(row: Any) -> ContestState:
    return ContestState(row.id, row.position, row.name, row.definition_sha256, bool(row.certified))


def files(connection: Connection, contest: str) -> dict[str, str] | None:
    """A contest's definition files by name (None: no such contest)."""
    text = connection.execute(select(contests.c.definition).where(contests.c.id == contest)).scalar_one_or_none()
    if text is None:
        return None
    found: dict[str, str] = json.loads(text)
    return found


def redefine(connection: Connection, contest: str, files: Mapping[str, str], sha256: str) -> None:
    """Replace a contest's definition (a registration edit) with `files` and their hash."""
    connection.execute(
        update(contests).where(contests.c.id == contest).values(definition=_text(files), definition_sha256=sha256)
    )


def certification(connection: Connection, contest: str) -> Certification:
    """Whether a contest's result is certified, with its bundle (not certified: no such contest)."""
    row = connection.execute(select(contests.c.certified, contests.c.bundle).where(contests.c.id == contest)).first()
    if row is None:
        return Certification(False, None)
    return Certification(bool(row.certified), json.loads(row.bundle) if row.bundle else None)


def certify(connection: Connection, contest: str, bundle: Mapping[str, Any]) -> None:
    """Freeze a contest's result with its certified bundle."""
    connection.execute(
        update(contests)
        .where(contests.c.id == contest)
        .values(certified=True, bundle=json.dumps(bundle, ensure_ascii=False))
    )


def uncertify(connection: Connection, contest: str) -> None:
    """Unfreeze a contest's result and drop its bundle."""
    connection.execute(update(contests).where(contests.c.id == contest).values(certified=False, bundle=None))


def _text(files: Mapping[str, str]) -> str:
    return json.dumps(dict(files), sort_keys=True)
