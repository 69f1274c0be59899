"""The service's tables (SQLAlchemy Core). Migrations in `migrations/versions` create the same schema.

Figures are stored as JSON text, exactly as entered (ints only), so a protocol can be compared, audited and
exported without loss. The audit log has no foreign key to users, so it outlives any change to them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeEngine

metadata = MetaData()


class Packed(TypeDecorator[list[Any]]):
    """A list of whole numbers or of text in one column: a PostgreSQL array of `element`, JSON text on SQLite
    (which has no arrays). Read and written as a Python list on both, so a backup's rows are the same JSON
    whichever database wrote them and restore into either."""

    impl = Text
    cache_ok = True

    def __init__(self, element: type[TypeEngine[Any]]) -> None:
        super().__init__()
        self.element = element

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(ARRAY(self.element))
        return dialect.type_descriptor(Text())

    def process_bind_param(self, value: list[Any] | None, dialect: Dialect) -> Any:
        if value is None or dialect.name == "postgresql":
            return value
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)

    def process_result_value(self, value: Any, dialect: Dialect) -> list[Any] | None:
        if value is None:
            return None
        found: list[Any] = value if dialect.name == "postgresql" else json.loads(value)
        return found


day = Table(
    "day",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("definition", Text, nullable=False),
    Column("definition_sha256", String(64), nullable=False),
    Index("ix_day_definition_sha256", "definition_sha256"),
)
"""One row: the election day, its own files as JSON (day.toml, stations.csv, counts.csv, commissions.csv;
`{}` for a day of one contest served from its folder)."""

contests = Table(
    "contests",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("definition", Text, nullable=False),
    Column("definition_sha256", String(64), nullable=False),
    Column("certified", Boolean, nullable=False, default=False),
    Column("bundle", Text),
    Index("ix_contests_state", "id", "position", "name", "definition_sha256", "certified"),
)
"""One row per contest of the day: its definition (its folder's files as JSON, with its station register),
whether its result is certified, and the certified results bundle."""

stations = Table(
    "stations",
    metadata,
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("registered", Integer, nullable=False),
    Column("region", Text, nullable=False, server_default=""),
    Column("area", Text, nullable=False, server_default=""),
)
"""Every polling station of the day, once (its district in each contest is its protocols')."""

commissions = Table(
    "commissions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("level", String(16), nullable=False),
    Column("parent", String(64)),
    Column("name", Text, nullable=False),
    Column("stations", Text, nullable=False),
    Column("districts", Text, nullable=False),
    Column("declares", Text, nullable=False),
)
"""The commission tree of the day (from its commissions.csv): level, parent, area (`stations` a JSON list of
numbers, `districts` a JSON list of [contest, district]) and the contests it declares (a JSON list)."""

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(16), nullable=False),
    Column("districts", Text, nullable=False, default=""),
    Column("active", Boolean, nullable=False, default=True),
    Column("commission", String(64)),
)
"""`districts`: comma-separated district numbers the user works for; empty means the whole city.
`commission`: the id of the user's commission (None: the commission at the top of the day's tree)."""

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
"""One row per wrong password, kept `users.FAILURES_KEPT` (90 days): the name tried, when, and the client address;
the log of failed logins (outside the audit chain, so that nobody anonymous moves the published version)."""

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
    Column("contest", String(64), ForeignKey("contests.id"), primary_key=True),
    Column("ballot", String(8), primary_key=True),
    Column("district", Integer, nullable=False, index=True),
    Column("state", String(16), nullable=False),
    Column("first", Text),
    Column("second", Text),
    Column("definitive", Text),
    Column("tally_version", Integer, nullable=False, server_default="0"),
    Index(
        "ix_protocols_tally_version",
        "tally_version",
        "contest",
        sqlite_where=text("tally_version > 0"),
        postgresql_where=text("tally_version > 0"),
    ),
)
"""One row per station, contest and ballot, with the station's district in that contest; entries are JSON
{"figures": ..., "by": ..., "warnings": [...]}. `tally_version`: the audit version after which the figures
the protocol counts with (its definitive entry's while accepted, none otherwise) last changed, 0 if it never
counted (`store.tallies.mark`): a snapshot reads only the protocols that changed since the one before it,
through `ix_protocols_tally_version`, which holds only those that ever counted, in the order they changed."""

tallies = Table(
    "tallies",
    metadata,
    Column("contest", String(64), ForeignKey("contests.id"), primary_key=True),
    Column("ballot", String(8), primary_key=True),
    Column("district", Integer, primary_key=True, autoincrement=False),
    Column("lines", Packed(Text), nullable=False),
    Column("sums", Packed(BigInteger), nullable=False),
    Column("protocols", Packed(Integer), nullable=False),
    sqlite_with_rowid=False,
)
"""Running tallies per district (store/tallies.py): one row for each contest, ballot and district, its lines
packed side by side (migration 0015): `lines` the lines' names (`vote:NAME` for an option, `_register` for
the station register's voters), `sums` each line's sum over the accepted protocols and `protocols` how many
of them carry it, in the same order; updated in the transaction that accepts or reopens a protocol. Until
0015 a row a line: an election day's group of 50 entries moved some 316 rows (its protocols lie in hundreds
of districts), one contest of its size 238; packed, a group moves a row per district and ballot it accepts
a protocol in."""

commission_tallies = Table(
    "commission_tallies",
    metadata,
    Column("commission", String(64), primary_key=True),
    Column("contest", String(64), ForeignKey("contests.id"), primary_key=True),
    Column("ballot", String(8), primary_key=True),
    Column("line", Text, primary_key=True),
    Column("value", BigInteger, nullable=False),
    Column("protocols", Integer, nullable=False),
    sqlite_with_rowid=False,
)
"""The same running tallies per commission of the tree above the precincts (a precinct's is its station's own
row): over the accepted protocols of its area's stations."""

entry_progress = Table(
    "entry_progress",
    metadata,
    Column("contest", String(64), ForeignKey("contests.id"), primary_key=True),
    Column("district", Integer, primary_key=True, autoincrement=False),
    Column("first_entry", Integer, nullable=False, server_default="0"),
    Column("different", Integer, nullable=False, server_default="0"),
    Column("warnings", Integer, nullable=False, server_default="0"),
    Column("accepted", Integer, nullable=False, server_default="0"),
    sqlite_with_rowid=False,
)
"""How many protocols of each contest's district (every ballot) are in each state other than empty, a column a
state, moved in the same transaction as the protocols (`saylau.service.tallies.record`): the commission's entry
progress is one row per district, not a count over every protocol of the day (the empty ones: the district's
protocols less these). One row a district (migration 0014; `entry_states` had one a ballot and state): an
election day's groups of entries touch a few hundred districts, and the fewer and shorter the rows, the fewer
pages each commit writes."""

district_certifications = Table(
    "district_certifications",
    metadata,
    Column("contest", String(64), ForeignKey("contests.id"), primary_key=True),
    Column("district", Integer, primary_key=True, autoincrement=False),
    Column("commission", String(64), nullable=False),
    Column("result", Text, nullable=False),
    Column("by", String(64), nullable=False),
    Column("at", Text, nullable=False),
)
"""The districts whose result their district commission certified (service/districts.py): the district's
result as certified (canonical JSON: status, winner, its tally) by whom and when; the district's protocols
are frozen while it stands."""

summaries = Table(
    "summaries",
    metadata,
    Column("commission", String(64), primary_key=True),
    Column("contest", String(64), ForeignKey("contests.id"), primary_key=True),
    Column("ballot", String(8), primary_key=True),
    Column("district", Integer, primary_key=True, autoincrement=False),
    Column("state", String(16), nullable=False),
    Column("first", Text),
    Column("second", Text),
    Column("definitive", Text),
    Column("bundle_sha256", String(64), nullable=False),
)
"""The summary protocols of the commissions below (results up the tree): one per commission, contest, ballot
and district (0 for the list ballot), with the imported figures as the first entry and the paper summary
typed as the second, as protocols are; `bundle_sha256` names the imported bundle it rests on."""

imports = Table(
    "imports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("commission", String(64), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("bundle", Text, nullable=False),
    Column("at", Text, nullable=False),
    UniqueConstraint("commission", "version"),
)
"""Every results bundle imported from a commission below, whole, as it came (signed)."""

keys = Table(
    "keys",
    metadata,
    Column("commission", String(64), primary_key=True),
    Column("public_key", String(64), nullable=False),
    Column("private_key", Text),
)
"""Ed25519 keys: the public key of each commission whose bundles this one trusts, and this commission's own
key pair (its private key as PEM) that signs the bundles it exports."""

decisions = Table(
    "decisions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("contest", String(64), ForeignKey("contests.id"), nullable=False),
    Column("tier", String(16), nullable=False),
    Column("district", Integer, nullable=False, default=0),
    Column("tied", Text, nullable=False),
    Column("winners", Text, nullable=False),
    Column("by", String(64), nullable=False),
    Column("seats", Integer, nullable=False, server_default="1"),
    Column("drawn_on", Text, nullable=False, server_default=""),
    Column("at", Text, nullable=False, server_default=""),
    Column("note", Text, nullable=False, server_default=""),
    UniqueConstraint("contest", "tier", "district", "tied"),
)
"""Drawings of lots the commission recorded (service/decisions.py), per contest: among `tied` (a JSON list, the
tie's own order), competing for `seats`, the lot gave them to `winners`; `district` 0 for the list tier; `by` the user
who recorded it at `at`, `drawn_on` when the lots were drawn."""

protocol_scans = Table(
    "protocol_scans",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("station", Integer, ForeignKey("stations.number"), nullable=False),
    Column("contest", String(64), ForeignKey("contests.id"), nullable=False),
    Column("ballot", String(8), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("media", String(32), nullable=False),
    Column("size", Integer, nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("by", String(64), nullable=False),
    Column("at", Text, nullable=False),
    Index("ix_protocol_scans_protocol", "station", "contest", "ballot"),
)
"""Scans and photos of paper protocols a commission uploaded (service/scans.py): the file's bytes, its media
type as its magic bytes say, its SHA-256 (also in the audit chain), who uploaded it and when; several per
protocol (pages), in upload order."""

observer_copies = Table(
    "observer_copies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("contest", String(64), ForeignKey("contests.id"), nullable=False),
    Column("observer", String(64), nullable=False, index=True),
    Column("at", Text, nullable=False),
    Column("copy_count", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("body", Text, nullable=False),
)
"""Observers' uploads (service/observers.py): each observers.csv as it came (`body`, UTF-8 text, with its
SHA-256 and `copy_count`, the copies it holds), who uploaded it (`observer`, the user's name) and when, for one
contest; compared with the accepted protocols whenever it is read, so the comparison follows the count."""

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

entry_drafts = Table(
    "entry_drafts",
    metadata,
    Column("user", String(64), primary_key=True),
    Column("station", Integer, primary_key=True, autoincrement=False),
    Column("contest", String(64), primary_key=True),
    Column("ballot", String(8), primary_key=True),
    Column("typed", Text, nullable=False),
    Column("at", Text, nullable=False),
)
"""An entry in progress (issue 23): what one operator has typed so far into one protocol's form, as typed (a JSON
object of field -> text), saved as they type and deleted when they finalise it. Never an entry: no count, result
or export reads this table."""

entry_receipts = Table(
    "entry_receipts",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("user", String(64), nullable=False),
    Column("station", Integer, nullable=False),
    Column("contest", String(64), nullable=False),
    Column("ballot", String(8), nullable=False),
    Column("at", Text, nullable=False),
)
"""The idempotency key of every finalised entry form (issue 23): a form sent again with the same key (a double
click, a resent page) is answered with the protocol's saved state instead of being entered twice."""


def by_whole_keys(statement: str, keys: Sequence[tuple[Any, ...]]) -> tuple[str, tuple[Any, ...]]:
    """SQLite: `statement` with `{keys}` made a table of `keys`' constant rows (`(VALUES (?, ?), ...)`, its
    columns `column1`, `column2`, ...) and its parameters, for a statement that joins a table on its whole
    key, so each row is found by one search of the key's index.

    A row value `IN` a list is planned by SQLite as a scan of the whole table; the key's first column's own
    `IN` beside it (what the writer used until this) read every row under each of its values (a station's
    every protocol, a contest's every district), and SQLAlchemy compiled a bound parameter for each value of
    each `IN` anew for every group of entries. This reads only the rows asked for and binds the keys as they
    are: what a group of an election day's entries costs no longer grows with the contests its stations
    count. At most
    `KEYS_AT_ONCE` keys a statement (SQLite binds at most 32,766 parameters)."""
    one = "(" + ", ".join(["?"] * len(keys[0])) + ")"
    return statement.format(keys="(VALUES " + ", ".join([one] * len(keys)) + ")"), tuple(v for k in keys for v in k)


KEYS_AT_ONCE = 1000
"""Most keys `by_whole_keys` makes one statement of."""
